"""Half-open date periods [start, end) used by every figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(dt.date(year, month, 1), nxt)

    @classmethod
    def inclusive(cls, start: dt.date, last: dt.date) -> Period:
        """From people's inclusive 'start..end' to half-open."""
        return cls(start, last + dt.timedelta(days=1))

    @property
    def last(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def label(self) -> str:
        s, e = self.start, self.last
        if s.month == 1 and s.day == 1 and e.month == 12 and e.day == 31 and s.year == e.year:
            return f"{s.year}年"
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"
