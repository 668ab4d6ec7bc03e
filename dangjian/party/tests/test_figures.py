"""Fixed-data tests of the party figures: value, rows, sibling subtrees, periods."""

from __future__ import annotations

import datetime as dt

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.party import actions

D = dt.date
Y2026 = Period.year(2026)


def test_members_by_status(system, county, make_member, branch_a, branch_b):
    make_member(branch_a, "甲一")
    make_member(branch_a, "甲二", status="probationary", joined_on=D(2026, 3, 1))
    gone = make_member(branch_a, "甲三")
    actions.member_status_change(
        actor=system, member=gone, status="deceased", on=D(2026, 5, 1), reason="病故"
    )
    make_member(branch_a, "明年入党", status="probationary", joined_on=D(2027, 2, 1))
    make_member(branch_b, "乙一")
    a = county["a"]
    assert figures.value("members_by_status", a, Y2026) == 3
    counts = {k: v for k, _, v in figures.breakdown("members_by_status", a, Y2026)}
    assert (counts["full"], counts["probationary"], counts["deceased"]) == (1, 1, 1)
    assert figures.value("members_by_status", county["district"], Y2026) == 4
    assert figures.value("members_by_status", a, Period.year(2014)) == 0


def test_probationary_made_full(system, county, make_member, branch_a):
    m = make_member(branch_a, "转正者", status="probationary", joined_on=D(2025, 6, 1))
    make_member(branch_a, "早已转正", full_on=D(2016, 7, 1))
    assert figures.value("probationary_made_full", county["a"], Y2026) == 0
    actions.member_make_full(actor=system, member=m, full_on=D(2026, 6, 3))
    rows = figures.rows("probationary_made_full", county["a"], Y2026)
    assert [r.pk for r in rows] == [m.pk]
    assert figures.value("probationary_made_full", county["a"], Period.year(2025)) == 0


def test_transfers_in_and_out(system, county, make_member, make_person, branch_a, branch_b):
    a, b, district = county["a"], county["b"], county["district"]
    moving = make_member(branch_a, "调动者")
    t = actions.transfer_create(
        actor=system,
        member=moving,
        kind="within",
        to_branch=branch_b,
        letter_number="1",
        issued_on=D(2026, 3, 1),
    )
    pending = actions.transfer_create(
        actor=system,
        member=make_member(branch_a, "未接收"),
        kind="within",
        to_branch=branch_b,
        letter_number="2",
        issued_on=D(2026, 3, 1),
    )
    assert figures.value("transfers_in", b, Y2026) == 0
    actions.transfer_confirm(actor=system, transfer=t, confirmed_on=D(2026, 3, 5))
    incoming = actions.transfer_in_from_outside(
        actor=system,
        person=make_person(a, "外来者"),
        to_branch=branch_a,
        outside_org="外县党支部",
        letter_number="3",
        issued_on=D(2026, 4, 1),
        received_on=D(2026, 4, 2),
        joined_on=D(2010, 1, 1),
        full_on=D(2011, 1, 1),
    )
    out = actions.transfer_create(
        actor=system,
        member=make_member(branch_b, "外调者"),
        kind="out",
        outside_org="外县党支部",
        letter_number="4",
        issued_on=D(2025, 12, 20),
    )
    actions.transfer_confirm(actor=system, transfer=out, confirmed_on=D(2026, 1, 3))
    assert {r.pk for r in figures.rows("transfers_in", b, Y2026)} == {t.pk}
    assert {r.pk for r in figures.rows("transfers_in", a, Y2026)} == {incoming.pk}
    assert {r.pk for r in figures.rows("transfers_out", a, Y2026)} == {t.pk}
    assert {r.pk for r in figures.rows("transfers_out", b, Y2026)} == {out.pk}
    # inside the district the school-to-school move is neither in nor out
    assert {r.pk for r in figures.rows("transfers_in", district, Y2026)} == {incoming.pk}
    assert {r.pk for r in figures.rows("transfers_out", district, Y2026)} == {out.pk}
    assert figures.value("transfers_out", b, Period.year(2025)) == 0
    assert pending.pk not in {r.pk for r in figures.rows("transfers_out", a, Y2026)}


def test_mobile_members(system, county, make_member, branch_a, branch_b):
    make_member(branch_a, "流动一", is_mobile=True, mobile_since=D(2026, 2, 1))
    left = make_member(branch_a, "流动二", is_mobile=True)
    actions.member_status_change(
        actor=system, member=left, status="left", on=D(2026, 5, 1), reason="除名"
    )
    make_member(branch_a, "在家")
    make_member(branch_b, "流动乙", is_mobile=True)
    assert figures.value("mobile_members", county["a"], Y2026) == 1
    assert figures.value("mobile_members", county["district"], Y2026) == 2
