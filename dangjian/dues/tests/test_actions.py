"""Dues actions: charges from the rules, reductions, batch all-or-nothing, one audit entry each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.dues import actions
from dangjian.dues.models import DuesBase, DuesCharge, DuesExemption, DuesPayment

D = Decimal
Y = 2025  # a past year: every month is overdue and paid_on dates lie in the past


def _months(member):
    return list(DuesCharge.objects.filter(member=member).order_by("month"))


def test_base_set_computes_every_month_with_the_rule_version(system, branch_a, make_member):
    member = make_member(branch_a)
    base = actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000.01"))
    assert (base.monthly_amount, base.rate, base.rule_version) == (
        D("75.00"),
        D("0.015"),
        "dues_rate_table=2008",
    )
    charges = _months(member)
    assert len(charges) == 12
    assert {c.amount for c in charges} == {D("75.00")}
    assert {c.rule_version for c in charges} == {"dues_rate_table=2008"}
    assert AuditEntry.objects.filter(action="dues.base_set").count() == 1


def test_probationary_member_owes_from_the_admission_month(system, branch_a, make_member):
    member = make_member(branch_a, joined_on=dt.date(Y, 3, 20), status="probationary")
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("2800"))
    charges = _months(member)
    assert charges[0].month == dt.date(Y, 3, 1)
    assert len(charges) == 10
    assert charges[0].amount == D("14.00")


def test_missing_base_is_refused_and_writes_nothing(system, branch_a, make_member):
    member = make_member(branch_a)
    entries = AuditEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        actions.dues_base_set(actor=system, member=member, year=Y)
    assert exc.value.field == "monthly_base"
    assert "党费基数未核定" in exc.value.message
    assert not DuesBase.objects.exists() and not DuesCharge.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_fixed_category_needs_no_base(system, branch_a, make_member):
    member = make_member(branch_a, category="student")
    base = actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("9000"))
    assert base.monthly_base is None and base.monthly_amount == D("0.20")


def test_base_from_pay_items_uses_the_deductions_setting(system, branch_a, make_member):
    member = make_member(branch_a)
    base = actions.dues_base_set(
        actor=system,
        member=member,
        year=Y,
        regular_pay=D("6000"),
        income_tax=D("120"),
        social_insurance=D("900"),
        deductions="tax_and_social_insurance",
    )
    assert base.monthly_base == D("4980.00") and base.monthly_amount == D("49.80")


def test_same_base_again_writes_nothing(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    entries = AuditEntry.objects.count()
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000.00"))
    assert AuditEntry.objects.count() == entries


def test_new_base_recomputes_unpaid_months_only(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(Y, 1, 1)],
        method="cash",
        paid_on=dt.date(Y, 1, 15),
    )
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("6000"))
    charges = _months(member)
    assert charges[0].amount == D("50.00") and charges[0].settled
    assert charges[1].amount == D("90.00")


def test_exemption_sets_unpaid_months_to_zero(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    exemption = actions.dues_exemption_create(
        actor=system,
        member=member,
        kind="exemption",
        first_month=dt.date(Y, 3, 1),
        last_month=dt.date(Y, 5, 1),
        document_number="青教党〔2025〕3号",
        approved_by="中共青山县教育局委员会",
        approved_on=dt.date(Y, 2, 20),
        reason="重病",
    )
    amounts = [c.amount for c in _months(member)]
    assert amounts[2:5] == [D("0.00")] * 3 and amounts[1] == D("50.00")
    assert exemption.charges.count() == 3
    with pytest.raises(ActionError) as exc:
        actions.dues_exemption_create(
            actor=system,
            member=member,
            kind="reduction",
            first_month=dt.date(Y, 5, 1),
            last_month=dt.date(Y, 6, 1),
            approved_amount=D("10"),
            document_number="x",
            approved_by="y",
            approved_on=dt.date(Y, 2, 20),
            reason="z",
        )
    assert exc.value.field == "first_month"


def test_reduction_expects_the_approved_amount_and_later_bases_keep_it(
    system, branch_a, make_member
):
    member = make_member(branch_a)
    actions.dues_exemption_create(
        actor=system,
        member=member,
        kind="reduction",
        first_month=dt.date(Y, 1, 1),
        last_month=dt.date(Y, 6, 1),
        approved_amount=D("10"),
        document_number="文号",
        approved_by="党委",
        approved_on=dt.date(Y, 1, 5),
        reason="生活困难",
    )
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    amounts = [c.amount for c in _months(member)]
    assert amounts[:6] == [D("10.00")] * 6 and amounts[6] == D("50.00")
    assert DuesExemption.objects.get().charges.count() == 6


def _entry(member, amount="50.00", **kw):
    return actions.PaymentEntry(
        member=member,
        amount=D(amount),
        method=kw.pop("method", "wechat"),
        paid_on=dt.date(Y, 4, 10),
        **kw,
    )


def test_batch_writes_all_rows_and_one_audit_entry(system, branch_a, make_member):
    members = [make_member(branch_a) for _ in range(3)]
    for m in members:
        actions.dues_base_set(actor=system, member=m, year=Y, monthly_base=D("5000"))
    before = AuditEntry.objects.count()
    done = actions.dues_payment_batch(
        actor=system,
        branch=branch_a,
        month=dt.date(Y, 4, 1),
        entries=[_entry(m, receipt_number=f"R{i}") for i, m in enumerate(members)],
    )
    assert len(done) == 3 and DuesPayment.objects.count() == 3
    assert all(c.settled for c in DuesCharge.objects.filter(month=dt.date(Y, 4, 1)))
    entries = AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[
        : AuditEntry.objects.count() - before
    ]
    assert [e.action for e in entries] == ["dues.payment_batch"]
    after = entries[0].after
    assert after is not None
    assert after["month"] == f"{Y}-04" and after["count"] == 3 and after["total"] == "150.00"
    assert {p["receipt_number"] for p in after["payments"]} == {"R0", "R1", "R2"}
    assert entries[0].object_type == "orgs.partyorg"


def test_batch_is_all_or_nothing(system, branch_a, branch_b, make_member, assert_unchanged):
    good = make_member(branch_a)
    no_base = make_member(branch_a)
    other = make_member(branch_b)
    actions.dues_base_set(actor=system, member=good, year=Y, monthly_base=D("5000"))
    actions.dues_base_set(actor=system, member=other, year=Y, monthly_base=D("5000"))
    charge = DuesCharge.objects.get(member=good, month=dt.date(Y, 4, 1))
    with assert_unchanged(charge), pytest.raises(actions.BatchError) as exc:
        actions.dues_payment_batch(
            actor=system,
            branch=branch_a,
            month=dt.date(Y, 4, 1),
            entries=[_entry(good), _entry(no_base), _entry(other), _entry(good, "-1", method="x")],
        )
    problems = {(pk, field) for pk, field, _ in exc.value.errors}
    assert (no_base.pk, "amount") in problems
    assert (other.pk, "member") in problems
    assert (good.pk, "method") in problems and (good.pk, "amount") in problems
    assert not DuesPayment.objects.exists()


def test_batch_refuses_a_settled_month(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    actions.dues_payment_batch(
        actor=system, branch=branch_a, month=dt.date(Y, 4, 1), entries=[_entry(member)]
    )
    with pytest.raises(actions.BatchError) as exc:
        actions.dues_payment_batch(
            actor=system, branch=branch_a, month=dt.date(Y, 4, 1), entries=[_entry(member)]
        )
    assert "已交清" in exc.value.errors[0][2]


def test_underpaid_month_can_be_topped_up(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    actions.dues_payment_batch(
        actor=system, branch=branch_a, month=dt.date(Y, 4, 1), entries=[_entry(member, "30")]
    )
    charge = DuesCharge.objects.get(member=member, month=dt.date(Y, 4, 1))
    assert not charge.settled and charge.received == D("30.00")
    actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(Y, 4, 1)],
        method="cash",
        paid_on=dt.date(Y, 5, 2),
    )
    charge.refresh_from_db()
    assert charge.settled and DuesPayment.objects.filter(month=dt.date(Y, 4, 1)).count() == 2


def test_multi_month_payment_is_one_row_per_month_and_one_audit_entry(
    system, branch_a, make_member
):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    before = AuditEntry.objects.count()
    done = actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(Y, 1, 1), dt.date(Y, 2, 1), dt.date(Y, 3, 1)],
        method="transfer",
        paid_on=dt.date(Y, 3, 5),
        receipt_number="补交-01",
    )
    assert [p.month.month for p in done] == [1, 2, 3]
    assert {p.receipt_number for p in done} == {"补交-01"}
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "dues.payment_create" and entry.after is not None
    assert entry.after["months"] == [f"{Y}-01", f"{Y}-02", f"{Y}-03"]


def test_voluntary_extra_is_its_own_row_and_does_not_settle(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    (extra,) = actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(Y, 7, 1)],
        method="cash",
        paid_on=dt.date(Y, 7, 1),
        amount=D("1000"),
        voluntary_extra=True,
    )
    assert extra.voluntary_extra and extra.charge is None
    assert not DuesCharge.objects.get(member=member, month=dt.date(Y, 7, 1)).settled


def test_months_before_admission_are_refused(system, branch_a, make_member):
    member = make_member(branch_a, joined_on=dt.date(Y, 6, 1), status="probationary")
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    with pytest.raises(ActionError) as exc:
        actions.dues_payment_create(
            actor=system,
            member=member,
            months=[dt.date(Y, 5, 1)],
            method="cash",
            paid_on=dt.date(Y, 6, 5),
        )
    assert exc.value.field == "months"


def test_other_school_is_out_of_scope(secretary_b, branch_a, make_member, assert_unchanged, system):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    base = DuesBase.objects.get()
    with assert_unchanged(base), pytest.raises(OutOfScope):
        actions.dues_base_set(actor=secretary_b, member=member, year=Y, monthly_base=D("9000"))
    with pytest.raises(OutOfScope):
        actions.dues_payment_batch(
            actor=secretary_b, branch=branch_a, month=dt.date(Y, 4, 1), entries=[_entry(member)]
        )


def test_view_only_role_is_refused(
    county, make_user, branch_a, make_member, system, assert_unchanged
):
    staff = make_user("district_staff", county["district"])
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=Y, monthly_base=D("5000"))
    base = DuesBase.objects.get()
    with assert_unchanged(base), pytest.raises(NotAllowed):
        actions.dues_base_set(actor=staff, member=member, year=Y, monthly_base=D("9000"))
    with pytest.raises(NotAllowed):
        actions.dues_payment_batch(
            actor=staff, branch=branch_a, month=dt.date(Y, 4, 1), entries=[_entry(member)]
        )


def test_secretary_may_record_own_branch(secretary_a, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=secretary_a, member=member, year=Y, monthly_base=D("5000"))
    actions.dues_payment_batch(
        actor=secretary_a, branch=branch_a, month=dt.date(Y, 4, 1), entries=[_entry(member)]
    )
    assert DuesPayment.objects.get().recorded_by == secretary_a
