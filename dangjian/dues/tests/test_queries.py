"""Arrears streaks from stored rows, reconciliation, overview, 待办, and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.dues import actions, queries
from dangjian.dues.figures import money_value
from dangjian.party.models import PartyMember

D = Decimal
Y = 2025


def _pay(system, member, *months, amount=None):
    return actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(Y, m, 1) for m in months],
        method="cash",
        paid_on=dt.date(Y, max(months), 28),
        amount=amount,
    )


@pytest.fixture
def ledger(system, branch_a, branch_b, make_member):
    """A1–A5 as stored rows in 2025: paid through January, then nothing (and variants)."""
    out = {}
    for key, branch in (
        ("jan_only", branch_a),
        ("current", branch_a),
        ("late_joiner", branch_a),
        ("exempt", branch_a),
        ("b_side", branch_b),
    ):
        joined = dt.date(Y, 3, 20) if key == "late_joiner" else dt.date(2010, 7, 1)
        status = "probationary" if key == "late_joiner" else "full"
        out[key] = m = make_member(branch, name=key, joined_on=joined, status=status)
        actions.dues_base_set(actor=system, member=m, year=Y, monthly_base=D("5000"))
    _pay(system, out["jan_only"], 1)
    _pay(system, out["current"], *range(1, 13))
    _pay(system, out["exempt"], 1)
    actions.dues_exemption_create(
        actor=system,
        member=out["exempt"],
        kind="exemption",
        first_month=dt.date(Y, 3, 1),
        last_month=dt.date(Y, 12, 1),
        document_number="文号",
        approved_by="党委",
        approved_on=dt.date(Y, 2, 1),
        reason="困难",
    )
    _pay(system, out["b_side"], 1)
    return out


def _streaks(as_of):
    return {
        PartyMember.objects.get(pk=pk).person.name: s
        for pk, s in queries.streaks(PartyMember.objects.all(), as_of).items()
    }


def test_streaks_from_stored_rows_follow_the_vectors(ledger):
    assert _streaks(dt.date(Y, 4, 30))["jan_only"] == 2  # A1
    assert _streaks(dt.date(Y, 5, 1))["jan_only"] == 3  # A2
    got = _streaks(dt.date(Y, 8, 1))
    assert got["jan_only"] == 6  # A3
    assert got["current"] == 0
    assert got["exempt"] == 0
    assert _streaks(dt.date(Y, 9, 1))["late_joiner"] == 6  # A4
    assert _streaks(dt.date(Y + 1, 1, 15))["exempt"] == 0  # A5


def test_arrears_lists_months_and_owed_within_scope(ledger, secretary_a):
    found = queries.arrears(secretary_a, dt.date(Y, 8, 1), minimum=3)
    names = [a.member.person.name for a in found]
    assert names[0] == "jan_only" and "b_side" not in names and "current" not in names
    jan = found[0]
    assert jan.level == "flag" and jan.streak == 6
    assert jan.unpaid[0] == dt.date(Y, 2, 1) and jan.owed == D("300.00")
    exempt = queries.arrears(secretary_a, dt.date(Y + 1, 1, 15), minimum=1)
    assert "exempt" not in [a.member.person.name for a in exempt]


def test_reconciliation_balances_when_everyone_paid(ledger, branch_a, system):
    recon = queries.reconciliation(branch_a, dt.date(Y, 1, 1))
    assert recon.expected == D("150.00")  # jan_only, current, exempt (late joiner not yet)
    assert recon.received == D("150.00") and recon.balanced
    june = queries.reconciliation(branch_a, dt.date(Y, 6, 1))
    assert june.expected == D("150.00")  # exempt owes 0; late joiner joined in March
    assert june.received == D("50.00")
    assert sorted(r.member.person.name for r in june.unpaid) == ["jan_only", "late_joiner"]
    assert not june.balanced and june.difference == D("-100.00")


def test_overview_per_branch(ledger, secretary_a, branch_a):
    rows = queries.overview(secretary_a, dt.date(Y, 6, 1), dt.date(Y, 8, 1))
    assert [r["branch"] for r in rows] == [branch_a]
    row = rows[0]
    assert (row["members"], row["expected"], row["received"]) == (4, D("150.00"), D("50.00"))
    assert (row["warned"], row["flagged"]) == (1, 1)  # late joiner 5 (Mar–Jul), jan_only 6


def test_todos_count_unpaid_warned_flagged(ledger, secretary_a):
    todos = {t.name: t for t in queries.todos(secretary_a, dt.date(Y, 8, 1))}
    assert todos["dues_unpaid"].count == 2
    assert todos["dues_arrears_flag"].count == 1 and todos["dues_arrears_flag"].level == "danger"
    assert todos["dues_arrears_warning"].count == 2  # 3 months or more: what ?min=3 lists
    assert todos["dues_arrears_flag"].url.endswith("?min=6")


def test_figures_expected_received_and_arrears(ledger, county):
    period = Period.month(Y, 6)
    school = county["a"]
    assert money_value("dues_expected", school, period) == D("150.00")
    assert money_value("dues_received", school, period) == D("50.00")
    assert money_value("dues_expected", county["bureau"], period) == D("200.00")
    year = Period.year(Y)
    assert money_value("dues_received", county["bureau"], year) == D("600.00") + D("150.00")
    assert (
        figures.value("members_in_arrears_6", school, Period(dt.date(Y, 1, 1), dt.date(Y, 8, 1)))
        == 1
    )
    assert (
        figures.value("members_in_arrears_3", school, Period(dt.date(Y, 1, 1), dt.date(Y, 8, 1)))
        == 2
    )
    rows = figures.rows("members_in_arrears_6", school, Period(dt.date(Y, 1, 1), dt.date(Y, 8, 1)))
    assert [m.person.name for m in rows] == ["jan_only"]


def test_transfer_letter_dues_paid_until_counts_as_paid(system, branch_a, county):
    # §1.6 "A member transferred in mid-year: the transfer letter states 党费交到 X年X月"
    party_actions = pytest.importorskip("dangjian.party.actions")
    if not hasattr(party_actions, "transfer_in_from_outside"):
        pytest.skip("the party app records no transfers in")
    from conftest import make_id_number
    from dangjian.people.actions import person_create

    person = person_create(
        actor=system, unit=county["a"], name="转入党员", id_number=make_id_number(77)
    )
    transfer = party_actions.transfer_in_from_outside(
        actor=system,
        person=person,
        to_branch=branch_a,
        outside_org="外省某中学党支部",
        letter_number="转-001",
        issued_on=dt.date(Y, 6, 1),
        received_on=dt.date(Y, 6, 10),
        joined_on=dt.date(2010, 7, 1),
        full_on=dt.date(2011, 7, 1),
        dues_paid_until=dt.date(Y, 5, 1),
    )
    member = transfer.member
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    got = queries.streaks(PartyMember.objects.filter(pk=member.pk), dt.date(Y, 8, 1))
    assert got[member.pk] == 2  # June and July; January to May were paid at the old branch
