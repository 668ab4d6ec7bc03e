"""Calendar arithmetic per RULES.md §0.2: months from the original anchor, clamped to month end."""

import calendar
import datetime as dt


def add_months(anchor: dt.date, months: int) -> dt.date:
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(anchor.day, last))


def add_days(anchor: dt.date, days: int) -> dt.date:
    return anchor + dt.timedelta(days=days)


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
