"""Structure counts (sub-orgs count upward), status history, and the home page's to-dos."""

from __future__ import annotations

import datetime as dt

from dangjian.orgs.actions import partyorg_create, post_create
from dangjian.party import actions, queries

D = dt.date


def test_general_branch_counts_its_branches(system, county, make_member, make_person):
    top = partyorg_create(actor=system, unit=county["a"], name="一中党总支", kind="general_branch")
    sub = partyorg_create(
        actor=system, unit=county["a"], name="高一党支部", kind="branch", parent=top
    )
    make_member(top, "总支党员")
    for n in range(8):
        make_member(sub, f"支部党员{n}")
    make_member(sub, "预备", status="probationary", joined_on=D(2026, 3, 1))
    post_create(
        actor=system,
        org=sub,
        person=make_person(county["a"]),
        title="secretary",
        started_on=D(2024, 1, 1),
    )
    assert queries.structure_counts(top) == (9, 1, 0)
    assert queries.structure_counts(sub) == (8, 1, 1)
    assert queries.structure_warnings(sub) == [
        "正式党员8人（7人以上），应设立支部委员会（3至5人），现有委员1人"
    ]
    assert queries.structure_warnings(top) == [
        "党员10人，一般设立党支部（党员50至99人设党总支，100人以上设基层党委），现为党总支"
    ]


def test_status_history_from_the_audited_actions(system, make_member, branch_a):
    m = make_member(branch_a, status="probationary", joined_on=D(2025, 5, 1))
    actions.member_update(actor=system, member=m, is_mobile=True)
    actions.member_make_full(actor=system, member=m, full_on=D(2026, 5, 2))
    actions.member_status_change(
        actor=system, member=m, status="suspended", on=D(2026, 9, 1), reason="失联"
    )
    history = queries.status_history(m)
    assert [(h["status"], h["on"], h["reason"]) for h in history] == [
        ("probationary", D(2025, 5, 1), ""),
        ("full", D(2026, 5, 2), ""),
        ("suspended", D(2026, 9, 1), "失联"),
    ]


def test_todos_count_incoming_and_overdue(
    system, secretary_a, secretary_b, make_member, branch_a, branch_b
):
    today = D(2026, 11, 23)
    for n, issued in enumerate((D(2026, 11, 1), D(2026, 11, 2), D(2026, 3, 1))):
        actions.transfer_create(
            actor=system,
            member=make_member(branch_a, f"转出{n}"),
            kind="within",
            to_branch=branch_b,
            letter_number=f"T{n}",
            issued_on=issued,
        )
    todos_b = {t.name: t for t in queries.todos(secretary_b, today)}
    # every pending letter to B's branch, the overdue one included: what the linked list shows
    assert (todos_b["transfers_incoming"].count, todos_b["transfers_overdue"].count) == (3, 1)
    assert (
        todos_b["transfers_incoming"].url
        == "/party/transfers/?status=pending&kind=within&receive=1"
    )
    todos_a = {t.name: t.count for t in queries.todos(secretary_a, today)}
    assert todos_a == {"transfers_incoming": 0, "transfers_overdue": 1}


def test_relocation_due_for_a_mobile_member(make_member, branch_a):
    m = make_member(branch_a, is_mobile=True, mobile_since=D(2024, 1, 5), mobile_place="杭州市")
    assert queries.relocation_due(m, D(2024, 7, 5))  # RULES.md T4
    assert not queries.relocation_due(m, D(2024, 7, 4))
