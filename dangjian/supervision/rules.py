"""Pure rules of the inspection cycle (RULES.md §7.1): 一月一督察 and the spot-check sample."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from typing import Final

SPOT_CHECK_RATIO: Final = 0.2  # RULES.md setting spot_check_ratio


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def monthly_inspection_missed(
    month: dt.date, inspected_on: Iterable[dt.date], as_of: dt.date
) -> bool:
    """一月一督察 missed for `month` (any day in it): the month has ended by `as_of` and the school
    had no inspection of any kind held in it."""
    start = month_start(month)
    end = next_month(start)
    if as_of < end:
        return False
    return not any(start <= d < end for d in inspected_on)


def spot_check_sample(
    school_ids: Sequence[int], ratio: float = SPOT_CHECK_RATIO, seed: int = 0
) -> list[int]:
    """A reproducible sample of ⌈n × ratio⌉ schools (at least one when there are any)."""
    ids = sorted(set(school_ids))
    if not ids:
        return []
    size = min(len(ids), max(1, math.ceil(round(len(ids) * ratio, 9))))
    return sorted(random.Random(seed).sample(ids, size))  # noqa: S311  a reproducible sample, not a secret
