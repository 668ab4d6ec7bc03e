"""Which reminders are due on a day (RULES.md §7.2, vectors of §7.4 with a fixed clock)."""

import datetime as dt

import pytest

from dangjian.notices import rules
from dangjian.notices.rules import Kind

D = dt.date
DEADLINE = D(2024, 5, 21)  # S1: general finding created 2024-05-06


def kinds(as_of: dt.date, reopen_count: int = 0) -> list[Kind]:
    return [r.kind for r in rules.due(DEADLINE, as_of, reopen_count)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2024, 5, 17), []),  # 4 days before: nothing yet
        (D(2024, 5, 18), [Kind.DUE_SOON]),  # 3 days before
        (D(2024, 5, 19), [Kind.DUE_SOON]),  # a run that missed the 18th still reminds
        (D(2024, 5, 20), [Kind.DUE_SOON]),
        (D(2024, 5, 21), [Kind.DUE_TODAY]),  # the deadline day
        (D(2024, 5, 22), [Kind.OVERDUE]),  # S2: overdue, secretary notified
        (D(2024, 5, 28), [Kind.OVERDUE]),  # 7 days overdue: still the school
        (D(2024, 5, 29), [Kind.DISTRICT]),  # S3: escalated to district/liaison
        (D(2024, 6, 5), [Kind.DISTRICT]),
        (D(2024, 6, 6), [Kind.BUREAU]),  # S4: escalated to bureau + 纪检
    ],
)
def test_due_by_day(as_of, expected):
    assert kinds(as_of) == expected


def test_groups_follow_the_escalation_level():
    by_kind = {
        r.kind: r
        for d in range(-3, 17)
        for r in rules.due(DEADLINE, DEADLINE + dt.timedelta(days=d))
    }
    assert by_kind[Kind.DUE_SOON].groups == ("secretary", "clerk")
    assert by_kind[Kind.DUE_TODAY].groups == ("secretary", "clerk")
    assert by_kind[Kind.OVERDUE].groups == ("secretary",)
    assert by_kind[Kind.DISTRICT].groups == ("secretary", "district", "liaison")
    assert by_kind[Kind.BUREAU].groups == (
        "secretary",
        "district",
        "liaison",
        "bureau",
        "discipline",
    )


def test_reopened_twice_goes_to_the_bureau_before_its_deadline():
    # new deadline still 10 days away, but re-opened twice → the bureau (RULES.md §7.2)
    assert kinds(DEADLINE - dt.timedelta(days=10), reopen_count=2) == [Kind.BUREAU]
    # and the school is still reminded of the deadline as usual
    assert kinds(DEADLINE - dt.timedelta(days=2), reopen_count=2) == [Kind.DUE_SOON, Kind.BUREAU]
    assert kinds(DEADLINE - dt.timedelta(days=10), reopen_count=1) == []


def test_days_left_and_days_overdue():
    assert rules.due(DEADLINE, D(2024, 5, 18))[0].days == 3
    assert rules.due(DEADLINE, D(2024, 5, 20))[0].days == 1
    assert rules.due(DEADLINE, D(2024, 5, 22))[0].days == 1
    assert rules.due(DEADLINE, D(2024, 6, 6))[0].days == 16


def test_key_is_per_rectification_cycle_and_kind():
    assert rules.key(7, 0, Kind.OVERDUE) == "rectification:7:0:overdue"
    assert rules.key(7, 1, Kind.OVERDUE) != rules.key(7, 0, Kind.OVERDUE)


def test_texts_in_chinese():
    soon = rules.due(DEADLINE, D(2024, 5, 18))[0]
    title, body = rules.text(soon, "青山县第一中学", "支部党员大会会议记录不完整", DEADLINE, 0)
    assert title == "整改即将到期：青山县第一中学「支部党员大会会议记录不完整」"
    assert body.startswith("整改期限为2024年5月21日（还有3天）")
    today = rules.due(DEADLINE, DEADLINE)[0]
    assert "今天到期" in rules.text(today, "甲校", "问题", DEADLINE, 0)[1]
    overdue = rules.due(DEADLINE, D(2024, 5, 22))[0]
    assert "已逾期1天" in rules.text(overdue, "甲校", "问题", DEADLINE, 0)[1]
    district = rules.due(DEADLINE, D(2024, 5, 29))[0]
    assert "整改已逾期8天，已督办至学区" in rules.text(district, "甲校", "问题", DEADLINE, 0)[1]
    bureau = rules.due(DEADLINE, D(2024, 6, 6))[0]
    assert (
        "整改已逾期16天，已督办至教育局和纪检" in rules.text(bureau, "甲校", "问题", DEADLINE, 0)[1]
    )
    twice = rules.due(DEADLINE, D(2024, 5, 10), 2)[0]
    assert (
        "整改已退回重改2次，已督办至教育局和纪检"
        in rules.text(twice, "甲校", "问题", DEADLINE, 2)[1]
    )


def test_long_descriptions_are_cut_in_the_title():
    soon = rules.due(DEADLINE, D(2024, 5, 18))[0]
    title, _ = rules.text(soon, "甲校", "很" * 40, DEADLINE, 0)
    assert title == f"整改即将到期：甲校「{'很' * 30}…」"
