"""Which rectification reminders are due on a day, and to whom (RULES.md §7.2): pure, the clock
is a parameter.

Before the deadline the school is reminded twice: once within the last three days (a run that
missed the third day still reminds on the second or the last), and on the deadline day. After
it, the escalation level of `rectification.rules.escalate` says who hears of it: the school's
secretary from the first overdue day, the district office and the liaison cadre from the
eighth, the bureau's party-affairs staff and 纪检 from the sixteenth (or at the second
re-opening). Each kind is sent once per deadline cycle; the sender dedupes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from dangjian.core.dates import cn_date
from dangjian.rectification import rules as rect_rules
from dangjian.rectification.rules import Level


class Kind(StrEnum):
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    DISTRICT = "escalated_district"
    BUREAU = "escalated_bureau"


DUE_SOON_DAYS: Final = 3
# who hears of it before the deadline: the school's secretary and party-affairs clerks
SCHOOL: Final = ("secretary", "clerk")
LEVEL_KIND: Final[dict[Level, Kind]] = {
    Level.OVERDUE: Kind.OVERDUE,
    Level.DISTRICT: Kind.DISTRICT,
    Level.BUREAU: Kind.BUREAU,
}


@dataclass(frozen=True)
class Reminder:
    kind: Kind
    groups: tuple[str, ...]  # secretary, clerk, district, liaison, bureau, discipline
    days: int  # days left before the deadline, or days overdue


def due(deadline: dt.date, as_of: dt.date, reopen_count: int = 0) -> tuple[Reminder, ...]:
    """The reminders a pending (open or re-opened) rectification calls for on `as_of`."""
    out: list[Reminder] = []
    left = (deadline - as_of).days
    if 0 < left <= DUE_SOON_DAYS:
        out.append(Reminder(Kind.DUE_SOON, SCHOOL, left))
    elif left == 0:
        out.append(Reminder(Kind.DUE_TODAY, SCHOOL, 0))
    esc = rect_rules.escalate(deadline, as_of, reopen_count)
    if esc.level != Level.NONE:
        out.append(Reminder(LEVEL_KIND[esc.level], esc.notify, esc.overdue_days))
    return tuple(out)


def key(rectification_id: int, reopen_count: int, kind: Kind) -> str:
    """One notice of a kind per rectification and deadline cycle (a re-opening starts anew)."""
    return f"rectification:{rectification_id}:{reopen_count}:{kind.value}"


def text(
    reminder: Reminder,
    school: str,
    description: str,
    deadline: dt.date,
    reopen_count: int,
    *,
    to_school: bool = True,
) -> tuple[str, str]:
    """(title, body) in Chinese; the school is asked to rectify, the supervisors to act."""
    what = description if len(description) <= 30 else description[:30] + "…"
    subject = f"{school}「{what}」"
    day = cn_date(deadline)
    if reminder.kind == Kind.DUE_SOON:
        return (
            f"整改即将到期：{subject}",
            f"整改期限为{day}（还有{reminder.days}天），请按期提交整改措施和整改后的照片。",
        )
    if reminder.kind == Kind.DUE_TODAY:
        return (
            f"整改今天到期：{subject}",
            f"整改期限为{day}（今天到期），请今天提交整改措施和整改后的照片。",
        )
    if reminder.kind == Kind.OVERDUE:
        return (
            f"整改已逾期：{subject}",
            f"整改期限为{day}，已逾期{reminder.days}天，请尽快整改并提交。"
            f"逾期满{rect_rules.DISTRICT_STEP}天将督办至学区和挂联干部。",
        )
    if reminder.kind == Kind.DISTRICT:
        return (
            f"整改逾期督办：{subject}",
            f"整改期限为{day}，整改已逾期{reminder.days}天，已督办至学区和挂联干部。"
            f"逾期满{rect_rules.BUREAU_STEP}天将督办至教育局和纪检。",
        )
    why = (
        f"整改已逾期{reminder.days}天"
        if reminder.days > rect_rules.BUREAU_STEP
        else f"整改已退回重改{reopen_count}次"
    )
    ask = "请立即整改到位并报送整改情况。" if to_school else "请研究问责处理。"
    return (
        f"整改督办至教育局：{subject}",
        f"整改期限为{day}，{why}，已督办至教育局和纪检，{ask}",
    )
