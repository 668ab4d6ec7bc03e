"""RULES.md §3.6 vectors, copied verbatim with their labels, plus the edges around them."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.orglife.rules import (
    BranchFacts,
    GroupFacts,
    Kind,
    Settings,
    Span,
    TermState,
    Verdict,
    counts_toward,
    is_late_entry,
    judge,
    month_compliant,
    org_life_calendar,
    org_life_gaps,
    owed_now,
    period_of,
    periods,
    reelection,
)

D = dt.date
ZERO = (0,) * 12


def months(*dates: dt.date) -> tuple[int, ...]:
    counts = [0] * 12
    for d in dates:
        counts[d.month - 1] += 1
    return tuple(counts)


def branch(
    full: int = 9,
    established: dt.date | None = None,
    counts: dict[str, tuple[int, ...]] | None = None,
) -> BranchFacts:
    return BranchFacts(
        established_on=established, ended_on=None, full_members=(full,) * 12, counts=counts or {}
    )


def cell(cells, kind, key):
    return next(c for c in cells if c.kind == kind and c.period.key == key)


# | # | input (today = as_of) | expected |
VECTORS = [
    (
        "O1",
        "branch 9 full members, general meeting on 2024-02-20; as_of 2024-04-02",
        "Q1 2024 general meeting: met",
    ),
    (
        "O2",
        "same branch, committee meetings 2024-01-10 and 2024-03-05; as_of 2024-04-02",
        "Jan met, **Feb missed**, Mar met",
    ),
    ("O3", "no general meeting in Q2 2024; as_of 2024-06-20", "Q2: at_risk (10 days left ≤ 15)"),
    ("O4", "no general meeting in Q2 2024; as_of 2024-06-10", "Q2: open (20 days left)"),
    ("O5", "general meeting held 2024-04-01, none in Q1; as_of 2024-04-02", "Q1 missed, Q2 met"),
    (
        "O6",
        "branch with 6 full + 4 probationary",
        "no committee required; committee-meeting check not_applicable",
    ),
    (
        "O7",
        "branch created 2024-02-15; as_of 2024-04-02",
        "Feb theme day not_applicable; Q1 general meeting not_applicable; "
        "Mar theme day judged normally",
    ),
    (
        "O8",
        "branch committee elected 2021-09-10, term 3 years, no delay approval; as_of 2024-09-11",
        "term ended 2024-09-10; re-election overdue",
    ),
]


def check_o1() -> None:
    b = branch(counts={Kind.GENERAL: months(D(2024, 2, 20))})
    assert cell(org_life_calendar(b, 2024, D(2024, 4, 2)), Kind.GENERAL, "q1").verdict == "met"


def check_o2() -> None:
    b = branch(counts={Kind.COMMITTEE: months(D(2024, 1, 10), D(2024, 3, 5))})
    cells = org_life_calendar(b, 2024, D(2024, 4, 2))
    assert [cell(cells, Kind.COMMITTEE, f"m{m}").verdict for m in (1, 2, 3)] == [
        Verdict.MET,
        Verdict.MISSED,
        Verdict.MET,
    ]


def check_o3() -> None:
    cells = org_life_calendar(branch(), 2024, D(2024, 6, 20))
    assert cell(cells, Kind.GENERAL, "q2").verdict == Verdict.AT_RISK
    assert (period_of(D(2024, 6, 20), Span.QUARTER).last - D(2024, 6, 20)).days == 10


def check_o4() -> None:
    cells = org_life_calendar(branch(), 2024, D(2024, 6, 10))
    assert cell(cells, Kind.GENERAL, "q2").verdict == Verdict.OPEN


def check_o5() -> None:
    b = branch(counts={Kind.GENERAL: months(D(2024, 4, 1))})
    cells = org_life_calendar(b, 2024, D(2024, 4, 2))
    assert cell(cells, Kind.GENERAL, "q1").verdict == Verdict.MISSED
    assert cell(cells, Kind.GENERAL, "q2").verdict == Verdict.MET


def check_o6() -> None:
    # probationary members do not count toward 7: only the 6 full members are passed
    cells = org_life_calendar(branch(full=6), 2024, D(2024, 4, 2))
    assert {c.verdict for c in cells if c.kind == Kind.COMMITTEE} == {Verdict.NOT_APPLICABLE}


def check_o7() -> None:
    cells = org_life_calendar(branch(established=D(2024, 2, 15)), 2024, D(2024, 4, 2))
    assert cell(cells, Kind.THEME_DAY, "m2").verdict == Verdict.NOT_APPLICABLE
    assert cell(cells, Kind.GENERAL, "q1").verdict == Verdict.NOT_APPLICABLE
    assert cell(cells, Kind.THEME_DAY, "m3").verdict == Verdict.MISSED


def check_o8() -> None:
    r = reelection(D(2021, 9, 10), 3, D(2024, 9, 11))
    assert r.term_ends_on == D(2024, 9, 10)
    assert r.state == TermState.OVERDUE


@pytest.mark.parametrize(("label", "given", "expected"), VECTORS, ids=[v[0] for v in VECTORS])
def test_rules_vector(label: str, given: str, expected: str) -> None:
    globals()[f"check_{label.lower()}"]()


def test_judge_boundaries() -> None:
    june = period_of(D(2024, 6, 1), Span.MONTH)
    assert judge(0, 1, june, D(2024, 6, 23), 7) == Verdict.AT_RISK  # 7 days left
    assert judge(0, 1, june, D(2024, 6, 22), 7) == Verdict.OPEN  # 8 days left
    assert judge(0, 1, june, D(2024, 6, 30), 7) == Verdict.AT_RISK  # last day still on time
    assert judge(0, 1, june, D(2024, 7, 1), 7) == Verdict.MISSED
    assert judge(0, 1, june, D(2024, 5, 30), 7) == Verdict.OPEN  # not started yet
    assert judge(1, 1, june, D(2024, 5, 30), 7) == Verdict.MET
    assert judge(0, 1, june, D(2024, 7, 1), 7, applicable=False) == Verdict.NOT_APPLICABLE


def test_yearly_warning_is_sixty_days() -> None:
    cells = org_life_calendar(branch(), 2024, D(2024, 11, 1))  # 60 days to 31 December
    assert cell(cells, Kind.ORG_LIFE, "y1").verdict == Verdict.AT_RISK
    cells = org_life_calendar(branch(), 2024, D(2024, 10, 31))
    assert cell(cells, Kind.ORG_LIFE, "y1").verdict == Verdict.OPEN


def test_lecture_minimum_is_a_setting() -> None:
    b = branch(counts={Kind.LECTURE: months(D(2024, 1, 5))})
    assert cell(org_life_calendar(b, 2024, D(2024, 4, 2)), Kind.LECTURE, "q1").verdict == "met"
    strict = Settings(lecture_min_per_quarter=2)
    assert cell(org_life_calendar(b, 2024, D(2024, 4, 2), strict), Kind.LECTURE, "q1").verdict == (
        Verdict.MISSED
    )


def test_each_group_must_meet_every_month() -> None:
    b = BranchFacts(
        established_on=None,
        ended_on=None,
        full_members=(9,) * 12,
        counts={},
        groups=(
            GroupFacts(None, None, months(D(2024, 1, 3), D(2024, 2, 3))),
            GroupFacts(None, None, months(D(2024, 1, 9))),
            GroupFacts(D(2024, 2, 10), None, ZERO),  # founded mid-February: judged from March
        ),
    )
    cells = org_life_calendar(b, 2024, D(2024, 3, 5))
    jan, feb, mar = (cell(cells, Kind.GROUP, f"m{m}") for m in (1, 2, 3))
    assert (jan.verdict, jan.count, jan.minimum) == (Verdict.MET, 2, 2)
    assert (feb.verdict, feb.count, feb.minimum) == (Verdict.MISSED, 1, 2)
    assert (mar.verdict, mar.minimum) == (Verdict.OPEN, 3)
    no_groups = org_life_calendar(branch(), 2024, D(2024, 3, 5))
    assert cell(no_groups, Kind.GROUP, "m1").verdict == Verdict.NOT_APPLICABLE


def test_closed_branch_is_not_judged_after_closure() -> None:
    b = BranchFacts(D(2010, 1, 1), D(2024, 3, 1), (9,) * 12, {})
    cells = org_life_calendar(b, 2024, D(2024, 6, 1))
    assert cell(cells, Kind.THEME_DAY, "m2").verdict == Verdict.MISSED
    assert cell(cells, Kind.THEME_DAY, "m3").verdict == Verdict.NOT_APPLICABLE


def test_gaps_owed_and_month_compliance() -> None:
    b = branch(
        counts={
            Kind.THEME_DAY: months(D(2024, 1, 9), D(2024, 3, 9)),
            Kind.COMMITTEE: months(D(2024, 1, 9), D(2024, 2, 9), D(2024, 3, 9)),
        }
    )
    today = D(2024, 3, 28)
    gaps = org_life_gaps(b, 2024, today)
    assert {(c.kind, c.period.key) for c in gaps} == {
        (Kind.THEME_DAY, "m2"),
        (Kind.GENERAL, "q1"),
        (Kind.LECTURE, "q1"),
    }
    cells = org_life_calendar(b, 2024, today)
    assert {(c.kind, c.period.key) for c in owed_now(cells, today)} == {
        (Kind.GENERAL, "q1"),
        (Kind.LECTURE, "q1"),
        (Kind.ORG_LIFE, "y1"),
        (Kind.APPRAISAL, "y1"),
        (Kind.SECRETARY_LECTURE, "y1"),
    }
    assert month_compliant(cells, 1) is True
    assert month_compliant(cells, 2) is False
    closed = BranchFacts(D(2025, 1, 1), None, ZERO, {})
    assert month_compliant(org_life_calendar(closed, 2024, today), 1) is None


def test_periods_and_labels() -> None:
    quarters = periods(2024, Span.QUARTER)
    assert quarters[0].label == "2024年第一季度"
    assert quarters[0].last == D(2024, 3, 31)
    assert periods(2024, Span.MONTH)[1].last == D(2024, 2, 29)
    assert period_of(D(2024, 12, 31), Span.YEAR).label == "2024年"


@pytest.mark.parametrize(
    ("kind", "facts", "expected"),
    [
        (Kind.GENERAL, {"has_minutes": True, "has_attendance": False}, False),
        (Kind.GENERAL, {"has_minutes": True, "has_attendance": True}, True),
        (Kind.COMMITTEE, {"has_minutes": False, "has_attendance": True}, False),
        (Kind.GROUP, {"has_minutes": True}, True),
        (Kind.LECTURE, {"has_speaker": True, "has_topics": True, "has_attendance": True}, True),
        (Kind.LECTURE, {"has_speaker": False, "has_topics": True, "has_attendance": True}, False),
        (Kind.APPRAISAL, {"every_member_graded": False, "has_minutes": True}, False),
        (Kind.APPRAISAL, {"every_member_graded": True}, True),
        (Kind.THEME_DAY, {}, True),
    ],
)
def test_counts_toward(kind: Kind, facts: dict[str, bool], expected: bool) -> None:
    base = {
        "has_minutes": False,
        "has_attendance": False,
        "has_speaker": False,
        "has_topics": False,
    }
    assert counts_toward(kind, **{**base, **facts}) is expected


def test_late_entry_after_thirty_days() -> None:
    assert not is_late_entry(D(2024, 3, 1), D(2024, 3, 31))
    assert is_late_entry(D(2024, 3, 1), D(2024, 4, 1))


@pytest.mark.parametrize(
    ("elected", "years", "today", "delay", "state", "ends"),
    [
        (D(2021, 9, 10), 3, D(2024, 9, 10), None, TermState.DUE_90, D(2024, 9, 10)),
        (D(2021, 9, 10), 3, D(2024, 6, 12), None, TermState.DUE_90, D(2024, 9, 10)),
        (D(2021, 9, 10), 3, D(2024, 6, 11), None, TermState.DUE_180, D(2024, 9, 10)),
        (D(2021, 9, 10), 3, D(2024, 3, 14), None, TermState.DUE_180, D(2024, 9, 10)),
        (D(2021, 9, 10), 3, D(2024, 3, 13), None, TermState.OK, D(2024, 9, 10)),
        (D(2021, 9, 10), 3, D(2024, 9, 11), D(2025, 3, 1), TermState.DELAYED, D(2024, 9, 10)),
        (D(2021, 9, 10), 3, D(2025, 3, 2), D(2025, 3, 1), TermState.OVERDUE, D(2024, 9, 10)),
        (D(2020, 2, 29), 5, D(2025, 1, 1), None, TermState.DUE_90, D(2025, 2, 28)),
    ],
)
def test_reelection(elected, years, today, delay, state, ends) -> None:
    r = reelection(elected, years, today, delay)
    assert (r.state, r.term_ends_on) == (state, ends)
