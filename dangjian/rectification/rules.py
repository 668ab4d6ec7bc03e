"""Rectification deadlines, escalation and recurrence (RULES.md §7.2): pure, the clock is a
parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Final

from dangjian.core.dates import add_months


class Severity(StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


# settings: rectification deadlines (7/15/30 days)
DEADLINE_DAYS: Final[dict[Severity, int]] = {
    Severity.MINOR: 7,
    Severity.GENERAL: 15,
    Severity.SERIOUS: 30,
}
# escalation steps (+0, +7, +15 days) counted from the first overdue day (deadline + 1)
DISTRICT_STEP: Final = 7
BUREAU_STEP: Final = 15
BUREAU_REOPENS: Final = 2  # re-opened twice → the bureau
RECURRENT_MONTHS: Final = 12


class Level(IntEnum):
    NONE = 0
    OVERDUE = 1  # the owner's secretary is told
    DISTRICT = 2  # district office / liaison cadre
    BUREAU = 3  # bureau party-affairs staff and 纪检; accountability proposed


LEVEL_LABELS: Final[dict[Level, str]] = {
    Level.NONE: "未逾期",
    Level.OVERDUE: "已逾期",
    Level.DISTRICT: "督办至学区/挂联干部",
    Level.BUREAU: "督办至教育局和纪检",
}
NOTIFY: Final[dict[Level, tuple[str, ...]]] = {
    Level.NONE: (),
    Level.OVERDUE: ("secretary",),
    Level.DISTRICT: ("secretary", "district", "liaison"),
    Level.BUREAU: ("secretary", "district", "liaison", "bureau", "discipline"),
}


@dataclass(frozen=True)
class Escalation:
    overdue_days: int
    level: Level
    notify: tuple[str, ...]
    accountability_prompt: bool

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]


def period_days(severity: str) -> int:
    return DEADLINE_DAYS[Severity(severity)]


def default_deadline(severity: str, found_on: dt.date) -> dt.date:
    """found_on + N days (RULES.md §0.2: the finding day is not counted)."""
    return found_on + dt.timedelta(days=period_days(severity))


def deadline_allowed(severity: str, found_on: dt.date, deadline: dt.date) -> bool:
    """An inspector may shorten the default deadline, never lengthen it or set it before the
    finding."""
    return found_on <= deadline <= default_deadline(severity, found_on)


def reopened_deadline(rejected_on: dt.date, days: int) -> dt.date:
    """Rejected: the original period again, from the rejection date."""
    return rejected_on + dt.timedelta(days=days)


def overdue_days(deadline: dt.date, as_of: dt.date) -> int:
    return max(0, (as_of - deadline).days)


def level_thresholds(as_of: dt.date) -> dict[Level, dt.date]:
    """A pending rectification is at `level` or above when its deadline is on or before the
    date given (the same rule as `escalate`, as date bounds for a database filter)."""
    return {
        Level.OVERDUE: as_of - dt.timedelta(days=1),
        Level.DISTRICT: as_of - dt.timedelta(days=1 + DISTRICT_STEP),
        Level.BUREAU: as_of - dt.timedelta(days=1 + BUREAU_STEP),
    }


def escalate(deadline: dt.date, as_of: dt.date, reopen_count: int = 0) -> Escalation:
    """The escalation of a rectification not yet submitted (or re-opened) as of a day."""
    days = overdue_days(deadline, as_of)
    if days > BUREAU_STEP:
        level = Level.BUREAU
    elif days > DISTRICT_STEP:
        level = Level.DISTRICT
    elif days > 0:
        level = Level.OVERDUE
    else:
        level = Level.NONE
    if reopen_count >= BUREAU_REOPENS:
        level = Level.BUREAU
    return Escalation(days, level, NOTIFY[level], level == Level.BUREAU)


def is_recurrent(found_on: dt.date, verified_before: Iterable[dt.date]) -> bool:
    """Same area at the same school within 12 months after a verified (销号) finding."""
    since = add_months(found_on, -RECURRENT_MONTHS)
    return any(since <= d <= found_on for d in verified_before)
