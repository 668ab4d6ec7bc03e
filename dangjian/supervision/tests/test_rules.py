"""RULES.md §7.1 (一月一督察) and the spot-check sample."""

import datetime as dt

import pytest

from dangjian.supervision import rules


@pytest.mark.parametrize(
    ("label", "month", "inspected_on", "as_of", "missed"),
    [
        # S6 | school with no inspection of any kind in June 2024; as_of 2024-07-01 |
        # 一月一督察 missed for June
        ("S6", dt.date(2024, 6, 1), [], dt.date(2024, 7, 1), True),
        ("S6 inspected", dt.date(2024, 6, 1), [dt.date(2024, 6, 30)], dt.date(2024, 7, 1), False),
        ("S6 May only", dt.date(2024, 6, 1), [dt.date(2024, 5, 31)], dt.date(2024, 7, 1), True),
        ("S6 July only", dt.date(2024, 6, 1), [dt.date(2024, 7, 1)], dt.date(2024, 7, 1), True),
        ("S6 month not over", dt.date(2024, 6, 1), [], dt.date(2024, 6, 30), False),
        ("S6 any day names the month", dt.date(2024, 6, 15), [], dt.date(2024, 7, 1), True),
        ("S6 December", dt.date(2024, 12, 1), [], dt.date(2025, 1, 1), True),
    ],
)
def test_monthly_inspection_missed(label, month, inspected_on, as_of, missed):
    assert rules.monthly_inspection_missed(month, inspected_on, as_of) is missed, label


@pytest.mark.parametrize(("n", "size"), [(0, 0), (1, 1), (4, 1), (5, 1), (6, 2), (10, 2), (55, 11)])
def test_spot_check_sample_size_is_ratio_rounded_up(n, size):
    sample = rules.spot_check_sample(list(range(1, n + 1)), 0.2, seed=3)
    assert len(sample) == size
    assert set(sample) <= set(range(1, n + 1))


def test_spot_check_sample_is_reproducible_and_varies_with_seed():
    ids = list(range(100))
    assert rules.spot_check_sample(ids, seed=1) == rules.spot_check_sample(ids, seed=1)
    assert rules.spot_check_sample(ids, seed=1) != rules.spot_check_sample(ids, seed=2)
