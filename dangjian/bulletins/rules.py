"""一月一通报 (RULES.md §7.1): the bulletin for a month is published by a set day of the next
month (setting `bulletin_day`, default 10). Pure: the clock is a parameter."""

from __future__ import annotations

import datetime as dt
from typing import Final

BULLETIN_DAY: Final = 10


def due_month(today: dt.date) -> dt.date:
    """The month whose bulletin is due now: last month."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def deadline(month: dt.date, bulletin_day: int = BULLETIN_DAY) -> dt.date:
    """The day by which `month`'s bulletin must be issued."""
    first_next = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first_next.replace(day=bulletin_day)


def is_late(
    month: dt.date, issued_on: dt.date | None, today: dt.date, day: int = BULLETIN_DAY
) -> bool:
    """Not issued by the deadline: issued after it, or still not issued and the deadline passed."""
    due = deadline(month, day)
    return (issued_on or today) > due
