"""RULES.md §5.4 vectors M1–M9 (copied verbatim) and the arithmetic behind the flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.decisions import rules
from dangjian.decisions.rules import (
    Category,
    Code,
    Discussion,
    FundItem,
    HalfRule,
    ItemFacts,
    MajorityBase,
    Settings,
)

D = dt.date
MORE = HalfRule.MORE_THAN_HALF
LEAST = HalfRule.AT_LEAST_HALF


# | M1 | 7 members, 4 present, major_matter | quorum ok |
# | M2 | 7 members, 3 present | no_quorum |
# | M3 | 9 members, 6 present, cadre_appointment | quorum ok (6×3=18 ≥ 18) |
# | M4 | 7 members, 4 present, cadre_appointment | no_quorum (needs 5) |
# | M9 | 6 members, 3 present, major_matter | no_quorum (default `more_than_half`);
#        quorum ok under `at_least_half` |
@pytest.mark.parametrize(
    ("vector", "members", "present", "category", "half_rule", "ok"),
    [
        ("M1", 7, 4, Category.MAJOR_MATTER, MORE, True),
        ("M1", 7, 4, Category.MAJOR_MATTER, LEAST, True),
        ("M2", 7, 3, Category.MAJOR_MATTER, MORE, False),
        ("M2", 7, 3, Category.MAJOR_MATTER, LEAST, False),
        ("M3", 9, 6, Category.CADRE_APPOINTMENT, MORE, True),
        ("M3", 9, 6, Category.CADRE_APPOINTMENT, LEAST, True),
        ("M4", 7, 4, Category.CADRE_APPOINTMENT, MORE, False),
        ("M4", 7, 4, Category.CADRE_APPOINTMENT, LEAST, False),
        ("M4", 7, 5, Category.CADRE_APPOINTMENT, MORE, True),
        ("M9", 6, 3, Category.MAJOR_MATTER, MORE, False),
        ("M9", 6, 3, Category.MAJOR_MATTER, LEAST, True),
    ],
)
def test_quorum_vectors(
    vector: str, members: int, present: int, category: str, half_rule: str, ok: bool
) -> None:
    assert rules.quorum_met(members, present, category, half_rule) is ok, vector


@pytest.mark.parametrize(
    ("members", "category", "half_rule", "needed"),
    [
        (7, Category.MAJOR_MATTER, MORE, 4),
        (6, Category.MAJOR_MATTER, MORE, 4),
        (6, Category.MAJOR_MATTER, LEAST, 3),
        (7, Category.CADRE_APPOINTMENT, MORE, 5),  # 2/3 × 7 = 4.67 → 5
        (9, Category.CADRE_APPOINTMENT, LEAST, 6),  # 三分之二以上 includes exactly 2/3
        (0, Category.MAJOR_MATTER, MORE, 1),
    ],
)
def test_quorum_needed(members: int, category: str, half_rule: str, needed: int) -> None:
    assert rules.quorum_needed(members, category, half_rule) == needed


def test_quorum_impossible_counts() -> None:
    assert not rules.quorum_met(0, 0, Category.MAJOR_MATTER)
    assert not rules.quorum_met(5, 6, Category.MAJOR_MATTER)


# | M5 | threshold 100000; fund item 100000.00 | large_fund |
def test_m5_threshold_includes_the_number() -> None:
    assert rules.is_large_fund(Decimal("100000.00"), Decimal("100000"))
    assert not rules.is_large_fund(Decimal("99999.99"), Decimal("100000"))
    assert not rules.is_large_fund(None, Decimal("100000"))


# | M6 | threshold 100000; items 60000 + 50000 to the same payee 10 days apart |
#        possible_splitting |
def test_m6_possible_splitting() -> None:
    items = [
        FundItem("a", "青山县鑫达装饰公司", Decimal("60000"), D(2024, 4, 1)),
        FundItem("b", "青山县 鑫达装饰公司", Decimal("50000"), D(2024, 4, 11)),
    ]
    assert rules.possible_splitting(items, Decimal("100000"), 30) == {"a", "b"}


@pytest.mark.parametrize(
    ("second", "payee", "window", "expected"),
    [
        (Decimal("30000"), "鑫达", 30, set()),  # sum 90000 < threshold
        (Decimal("50000"), "宏远", 30, set()),  # another payee
        (Decimal("50000"), "鑫达", 5, set()),  # outside a 5-day window
        (Decimal("50000"), "鑫达", 10, {"a", "b"}),  # 10 days apart is within 10 days
        (Decimal("120000"), "鑫达", 30, set()),  # the big one is itself a large-fund item
    ],
)
def test_splitting_needs_same_payee_window_and_sum(
    second: Decimal, payee: str, window: int, expected: set[str]
) -> None:
    items = [
        FundItem("a", "鑫达", Decimal("60000"), D(2024, 4, 1)),
        FundItem("b", payee, second, D(2024, 4, 11)),
    ]
    assert rules.possible_splitting(items, Decimal("100000"), window) == expected


def test_splitting_three_small_items() -> None:
    items = [
        FundItem(k, "食堂设备", Decimal("40000"), D(2024, 5, d)) for k, d in enumerate((1, 9, 20))
    ]
    assert rules.possible_splitting(items, Decimal("100000"), 30) == {0, 1, 2}
    assert rules.possible_splitting(items, Decimal("100000"), 15) == set()


# | M7 | 7 members due, 5 present, 3 yes | not_passed (3 is not > 3.5) |
def test_m7_majority_of_members_due() -> None:
    assert not rules.passes(3, 7, 5, MajorityBase.DUE)
    assert rules.passes(4, 7, 5, MajorityBase.DUE)
    # the other setting counts members present: 3 > 2.5
    assert rules.passes(3, 7, 5, MajorityBase.PRESENT)
    assert not rules.passes(0, 0, 0, MajorityBase.DUE)


# | M8 | secretary spoke 2nd of 5 | chief_not_last |
def test_m8_chief_not_last() -> None:
    assert rules.chief_not_last(["a", "sec", "c", "d", "e"], "sec")
    assert not rules.chief_not_last(["a", "b", "c", "d", "sec"], "sec")
    assert rules.chief_not_last([], "sec")  # no order recorded


@pytest.mark.parametrize(
    ("filed", "meeting", "days"),
    [
        (D(2024, 3, 4), D(2024, 3, 7), 3),  # Mon → Thu
        (D(2024, 3, 4), D(2024, 3, 6), 2),
        (D(2024, 3, 1), D(2024, 3, 6), 3),  # Fri → Wed: the weekend does not count
        (D(2024, 3, 1), D(2024, 3, 4), 1),
        (D(2024, 3, 6), D(2024, 3, 6), 0),
        (D(2024, 3, 7), D(2024, 3, 6), -1),
    ],
)
def test_working_days_before(filed: dt.date, meeting: dt.date, days: int) -> None:
    assert rules.working_days_before(filed, meeting) == days


def test_latest_filing_day() -> None:
    assert rules.latest_filing_day(D(2024, 3, 7), 3) == D(2024, 3, 4)
    assert rules.latest_filing_day(D(2024, 3, 6), 3) == D(2024, 3, 1)
    assert rules.filed_in_time(D(2024, 3, 1), D(2024, 3, 6), 3)
    assert not rules.filed_in_time(D(2024, 3, 4), D(2024, 3, 6), 3)


def test_execution_overdue() -> None:
    due = D(2024, 6, 30)
    assert not rules.execution_overdue(due, None, due)
    assert rules.execution_overdue(due, None, D(2024, 7, 1))
    assert not rules.execution_overdue(due, D(2024, 6, 20), D(2024, 7, 1))
    assert rules.execution_overdue(due, D(2024, 7, 10), D(2024, 7, 5))
    assert not rules.execution_overdue(None, None, D(2024, 7, 1))


def test_settings_threshold_per_kind() -> None:
    s = Settings(threshold_by_kind={"primary": Decimal("50000")})
    assert s.threshold_for("primary") == Decimal("50000")
    assert s.threshold_for("senior") == Decimal("100000")


# ---- flags as a whole ----------------------------------------------------------------------


def _clean(**kw: object) -> ItemFacts:
    meeting = Discussion(
        held_on=D(2024, 3, 8),
        body="party_org_meeting",
        members=7,
        present=7,
        speakers=(2, 3, 4, 5, 6, 7, 1),
        chief=1,
    )
    base: dict[str, object] = {
        "category": Category.MAJOR_MATTER,
        "filed_on": D(2024, 3, 4),
        "approved_on": D(2024, 3, 5),
        "planned_on": D(2024, 3, 8),
        "required_steps": ("investigation",),
        "steps_done": ("investigation",),
        "discussion": meeting,
    }
    base.update(kw)
    return ItemFacts(**base)  # type: ignore[arg-type]


def _codes(
    facts: ItemFacts, settings: Settings | None = None, today: dt.date | None = None
) -> set[str]:
    return {f.code for f in rules.flags(facts, settings or Settings(), today)}


def test_clean_item_raises_nothing() -> None:
    assert _codes(_clean(), today=D(2024, 12, 31)) == set()


def test_flags_quorum_under_both_settings() -> None:
    d = Discussion(
        D(2024, 3, 8), "party_org_meeting", members=6, present=3, speakers=(2, 3, 1), chief=1
    )
    assert Code.NO_QUORUM in _codes(_clean(discussion=d))
    lenient = Settings(quorum_half_rule=HalfRule.AT_LEAST_HALF)
    assert Code.NO_QUORUM not in _codes(_clean(discussion=d), lenient)
    flag = next(
        f for f in rules.flags(_clean(discussion=d), Settings()) if f.code == Code.NO_QUORUM
    )
    assert flag.detail == "应到6人，实到3人，至少需4人"
    assert flag.rule.startswith("【规则5.3】")
    assert flag.severity == rules.Severity.VIOLATION
    assert flag.label == "到会人数不足"


def test_flags_filing() -> None:
    assert Code.FILED_LATE in _codes(_clean(filed_on=D(2024, 3, 6)))
    assert Code.FILED_LATE not in _codes(_clean(filed_on=D(2024, 3, 5)))  # Tue → Fri: 3 days
    lead5 = Settings(filing_lead_days=5)
    assert Code.FILED_LATE in _codes(_clean(filed_on=D(2024, 3, 5)), lead5)
    assert Code.NOT_FILED_IN_ADVANCE in _codes(_clean(filed_on=None, approved_on=None))
    assert Code.NOT_FILED_IN_ADVANCE in _codes(_clean(filed_on=D(2024, 3, 11), approved_on=None))
    assert Code.NOT_FILED_IN_ADVANCE in _codes(_clean(approved_on=None))
    assert Code.NOT_FILED_IN_ADVANCE in _codes(_clean(approved_on=D(2024, 3, 9)))
    # before the meeting: lateness against the planned date
    assert Code.FILED_LATE in _codes(_clean(discussion=None, filed_on=D(2024, 3, 8)))
    assert Code.FILED_LATE in _codes(_clean(discussion=None, filed_on=D(2024, 3, 7)))
    assert _codes(_clean(discussion=None)) == set()


def test_filed_and_approved_on_the_meeting_day_is_filed_late_not_unfiled() -> None:
    """Lead time counts to the day the meeting was actually held, not the planned one; filed
    and approved that same day is late (0 working days), not "not filed in advance"."""
    same_day = _clean(filed_on=D(2024, 3, 8), approved_on=D(2024, 3, 8), planned_on=D(2024, 3, 20))
    found = {f.code: f.detail for f in rules.flags(same_day, Settings())}
    assert found == {Code.FILED_LATE: "应提前3个工作日，实际提前0个工作日"}
    # planned far ahead, held early: late against the real date
    early = _clean(filed_on=D(2024, 3, 6), approved_on=D(2024, 3, 7), planned_on=D(2024, 3, 29))
    assert _codes(early) == {Code.FILED_LATE}
    details = {
        f.detail
        for facts in (
            _clean(filed_on=None, approved_on=None),
            _clean(filed_on=D(2024, 3, 8), approved_on=None),
            _clean(filed_on=D(2024, 3, 6), approved_on=D(2024, 3, 11)),
        )
        for f in rules.flags(facts, Settings())
        if f.code == Code.NOT_FILED_IN_ADVANCE
    }
    assert details == {
        "会议（2024年3月8日）召开前未报备",
        "报备后未经审核同意即提交会议",
        "2024年3月11日才审核同意，晚于会议日期2024年3月8日",
    }


def test_flag_details_money_and_recusal() -> None:
    big = _clean(
        category=Category.LARGE_FUND,
        amount=Decimal("201000"),
        discussion=Discussion(
            D(2024, 3, 8), "principal_office_meeting", members=5, present=5, speakers=(2,), chief=2
        ),
    )
    flag = next(f for f in rules.flags(big, Settings()) if f.code == Code.LARGE_FUND_NOT_COLLECTIVE)
    assert flag.detail == "金额201,000.00元，达到100,000.00元标准"
    stayed = _clean(
        discussion=Discussion(
            D(2024, 3, 8),
            "party_org_meeting",
            members=5,
            present=5,
            speakers=(2, 1),
            chief=1,
            recusal_breaches=("陈委员",),
        )
    )
    flag = next(f for f in rules.flags(stayed, Settings()) if f.code == Code.RECUSAL_BREACH)
    assert flag.detail == "陈委员应回避但参加了讨论/表决"


def test_flags_large_fund_needs_party_meeting() -> None:
    big = {"category": Category.LARGE_FUND, "amount": Decimal("100000")}
    assert _codes(_clean(**big)) == set()
    office = Discussion(
        D(2024, 3, 8), "principal_office_meeting", members=5, present=5, speakers=(2, 1), chief=1
    )
    assert Code.LARGE_FUND_NOT_COLLECTIVE in _codes(_clean(discussion=office, **big))
    small = {"category": Category.LARGE_FUND, "amount": Decimal("99999.99")}
    assert Code.LARGE_FUND_NOT_COLLECTIVE not in _codes(_clean(discussion=office, **small))
    per_kind = Settings(threshold_by_kind={"primary": Decimal("50000")})
    assert Code.LARGE_FUND_NOT_COLLECTIVE in _codes(
        _clean(discussion=office, unit_kind="primary", **small), per_kind
    )


def test_flags_without_meeting() -> None:
    circ = Discussion(D(2024, 3, 8), "party_org_meeting", mode="circulation")
    codes = _codes(_clean(discussion=circ, category=Category.LARGE_FUND, amount=Decimal("200000")))
    assert codes == {Code.NO_MEETING, Code.LARGE_FUND_NOT_COLLECTIVE}


def test_flags_recusal_chief_votes_steps() -> None:
    base = _clean().discussion
    assert base is not None
    from dataclasses import replace

    assert Code.RECUSAL_BREACH in _codes(
        _clean(discussion=replace(base, recusal_breaches=("刘委员",)))
    )
    assert Code.CHIEF_NOT_LAST in _codes(_clean(discussion=replace(base, speakers=(1, 2, 3))))
    assert Code.CHIEF_NOT_LAST not in _codes(
        _clean(discussion=replace(base, speakers=(2, 3), chief_recused=True))
    )
    assert Code.VOTE_NOT_RECORDED in _codes(_clean(discussion=replace(base, votes_recorded=False)))
    assert Code.MISSING_STEPS in _codes(_clean(steps_done=()))
    assert Code.POSSIBLE_SPLITTING in _codes(_clean(splitting=True))


def test_execution_overdue_only_with_a_date() -> None:
    late = _clean(execution_due=D(2024, 6, 30))
    assert Code.EXECUTION_OVERDUE not in _codes(late)
    assert Code.EXECUTION_OVERDUE in _codes(late, today=D(2024, 7, 1))
    assert Code.EXECUTION_OVERDUE not in _codes(late, today=D(2024, 6, 30))
