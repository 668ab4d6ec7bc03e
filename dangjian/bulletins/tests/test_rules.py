import datetime as dt

import pytest

from dangjian.bulletins import rules

D = dt.date


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (D(2024, 6, 5), D(2024, 5, 1)),
        (D(2024, 1, 1), D(2023, 12, 1)),
        (D(2024, 3, 31), D(2024, 2, 1)),
    ],
)
def test_due_month_is_last_month(today, month):
    assert rules.due_month(today) == month


@pytest.mark.parametrize(
    ("month", "deadline"),
    [
        (D(2024, 5, 1), D(2024, 6, 10)),
        (D(2024, 12, 1), D(2025, 1, 10)),
        (D(2024, 1, 1), D(2024, 2, 10)),
    ],
)
def test_deadline_is_the_bulletin_day_of_next_month(month, deadline):
    assert rules.deadline(month) == deadline


def test_late_when_issued_or_still_missing_after_the_day():
    may = D(2024, 5, 1)
    assert not rules.is_late(may, D(2024, 6, 10), D(2024, 7, 1))
    assert rules.is_late(may, D(2024, 6, 11), D(2024, 7, 1))
    assert not rules.is_late(may, None, D(2024, 6, 10))
    assert rules.is_late(may, None, D(2024, 6, 11))
    assert rules.deadline(may, bulletin_day=5) == D(2024, 6, 5)
