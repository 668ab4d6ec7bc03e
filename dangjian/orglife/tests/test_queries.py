"""The compliance roll-up: fixed data in, verdicts out, in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import count_queries
from dangjian.orglife import queries
from dangjian.orglife.rules import Kind, Verdict

pytestmark = pytest.mark.django_db
D = dt.date


def test_rollup_judges_each_branch(
    county, branch_a, branch_b, members_a, make_members, make_branch, record
):
    make_members(branch_b, 3)  # no committee required
    group = make_branch(county["a"], "数学党小组", kind="group", parent=branch_a)
    for month in (1, 2, 3):
        record(branch_a, "theme_day", D(2026, month, 10))
        record(branch_a, "branch_committee_meeting", D(2026, month, 12))
    record(group, "group_meeting", D(2026, 1, 15))
    record(
        branch_a, "branch_general_meeting", D(2026, 2, 20), minutes=""
    )  # incomplete: not counted
    record(branch_b, "theme_day", D(2026, 2, 10), also_counts_as=["branch_general_meeting"])
    rollup = queries.compliance_for_unit(county["bureau"], 2026, D(2026, 4, 2))
    a, b = (next(x for x in rollup.branches if x.id == o.pk) for o in (branch_a, branch_b))
    assert a.cell(Kind.THEME_DAY, "m2").verdict == Verdict.MET
    assert a.cell(Kind.COMMITTEE, "m3").verdict == Verdict.MET
    assert a.cell(Kind.GROUP, "m1").verdict == Verdict.MET
    assert a.cell(Kind.GROUP, "m2").verdict == Verdict.MISSED
    assert a.cell(Kind.GENERAL, "q1").verdict == Verdict.MISSED
    assert b.cell(Kind.GENERAL, "q1").verdict == Verdict.MET
    assert b.cell(Kind.COMMITTEE, "m1").verdict == Verdict.NOT_APPLICABLE
    assert b.cell(Kind.THEME_DAY, "m1").verdict == Verdict.MISSED
    assert rollup.grid[(Kind.THEME_DAY, "m2")][Verdict.MET] == 2
    # branch-months up to March: A met Jan (all three), Feb/Mar group missed; B only Feb
    assert queries.branch_months(rollup, D(2026, 1, 1), D(2027, 1, 1)) == (2, 6)
    only_a = queries.compliance(2026, D(2026, 4, 2), org_ids=[branch_a.pk])
    assert [x.id for x in only_a.branches] == [branch_a.pk]
    assert only_a.branches[0].cells == a.cells


def test_rollup_queries_do_not_grow_with_branches(county, make_branch, make_members, record):
    def add(n: int, start: int) -> None:
        for i in range(n):
            b = make_branch(county["a"], f"支部{start + i}")
            make_members(b, 1)
            record(b, "theme_day", D(2026, 1, 5))

    add(2, 0)
    first = count_queries(
        lambda: queries.compliance_for_unit(county["bureau"], 2026, D(2026, 4, 2))
    )
    add(10, 2)
    second = count_queries(
        lambda: queries.compliance_for_unit(county["bureau"], 2026, D(2026, 4, 2))
    )
    assert first == second <= 4


def test_todos_and_reelections(system, secretary_a, county, branch_a, members_a, record):
    from dangjian.orgs.actions import partyorg_update

    partyorg_update(actor=system, org=branch_a, term_started_on=D(2023, 12, 1), term_years=3)
    record(branch_a, "theme_day", D(2026, 11, 3))
    todos = {t.name: t for t in queries.todos(secretary_a, D(2026, 11, 23))}
    assert todos["orglife_owed_month"].count == 1  # committee meeting (8 full members)
    assert todos["orglife_owed_month"].level == "warning"  # 7 days left
    assert todos["orglife_owed_quarter"].count == 2  # general meeting, lecture
    assert todos["orglife_missed"].count > 0
    assert todos["orglife_reelection"].count == 1  # ends 2026-12-01: within 90 days
    rows = queries.reelections(secretary_a, D(2026, 11, 23))
    assert [(r.org, r.reelection.state) for r in rows] == [(branch_a, "due_90")]


def test_todos_empty_for_people_without_orglife(county, make_user):
    auditor = make_user("audit_admin", county["a"])
    assert queries.todos(auditor, D(2026, 11, 23)) == []
