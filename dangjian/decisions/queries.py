"""Reads of 三重一大: the settings that apply to a school, the catalogue, scoped lists, flag
filters (as of a date) and the home page's to-dos."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dangjian.core.periods import Period

from . import rules
from .models import AgendaItem, DecisionCategory, DecisionMeeting, DecisionSettings, ItemFlag

S = AgendaItem.Status


def settings_row_for(unit: Any) -> DecisionSettings | None:
    """The settings of the nearest unit at or above `unit` that has some."""
    ids = unit.ancestor_ids()
    rows = {s.unit_id: s for s in DecisionSettings.objects.filter(unit_id__in=ids)}
    return next((rows[i] for i in reversed(ids) if i in rows), None)


def settings_for(unit: Any) -> rules.Settings:
    row = settings_row_for(unit)
    return row.as_rules() if row is not None else rules.Settings()


def categories_for(unit: Any) -> QuerySet[DecisionCategory]:
    """Active catalogue entries defined at `unit` or any unit above it."""
    return (
        DecisionCategory.objects.filter(unit_id__in=unit.ancestor_ids(), is_active=True)
        .select_related("unit")
        .order_by("category", "position", "id")
    )


def required_steps(item: AgendaItem) -> tuple[str, ...]:
    """The catalogue entry's steps, else the category's defaults (RULES.md §5.1)."""
    if item.subcategory_id is not None and item.subcategory is not None:
        steps = list(item.subcategory.required_steps)
        if item.subcategory.staff_congress_required and rules.Step.STAFF_CONGRESS not in steps:
            steps.append(rules.Step.STAFF_CONGRESS.value)
        return tuple(steps)
    return tuple(s.value for s in rules.DEFAULT_STEPS[rules.Category(item.category)])


def items_for(user: Any) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.for_user(user)
        .select_related("unit", "subcategory", "discussion__meeting", "execution")
        .prefetch_related("flag_rows")
    )


def meetings_for(user: Any) -> QuerySet[DecisionMeeting]:
    return DecisionMeeting.objects.for_user(user).select_related("unit")


def execution_overdue_q(as_of: dt.date, prefix: str = "") -> Q:
    """Execution not completed by `as_of` and past its due date."""
    p = f"{prefix}execution__"
    return Q(**{f"{p}due_on__lt": as_of}) & (
        Q(**{f"{p}completed_on__isnull": True}) | Q(**{f"{p}completed_on__gt": as_of})
    )


def in_period_q(period: Period, prefix: str = "") -> Q:
    """Filed in the period, or (never filed) decided in it."""
    return Q(**{f"{prefix}filed_on__gte": period.start, f"{prefix}filed_on__lt": period.end}) | Q(
        **{
            f"{prefix}filed_on__isnull": True,
            f"{prefix}decided_on__gte": period.start,
            f"{prefix}decided_on__lt": period.end,
        }
    )


def _active_flags(as_of: dt.date) -> QuerySet[ItemFlag]:
    return ItemFlag.objects.filter(ItemFlag.active_q(as_of))


def with_flag(qs: QuerySet[AgendaItem], code: str, as_of: dt.date) -> QuerySet[AgendaItem]:
    return qs.filter(Exists(_active_flags(as_of).filter(item=OuterRef("pk"), code=code)))


def flagged(
    qs: QuerySet[AgendaItem], as_of: dt.date, severity: str | None = None
) -> QuerySet[AgendaItem]:
    """Items with any flag on `as_of` (of `severity`, if given)."""
    flags = _active_flags(as_of).filter(item=OuterRef("pk"))
    if severity:
        flags = flags.filter(severity=severity)
    return qs.filter(Exists(flags))


def unflagged(qs: QuerySet[AgendaItem], as_of: dt.date) -> QuerySet[AgendaItem]:
    return qs.exclude(Exists(_active_flags(as_of).filter(item=OuterRef("pk"))))


def flag_counts(qs: QuerySet[AgendaItem], as_of: dt.date) -> dict[str, int]:
    """Items per flag code on `as_of` (one grouped query)."""
    rows = (
        _active_flags(as_of)
        .filter(item__in=qs.order_by().values("pk"))
        .values("code")
        .annotate(n=Count("item", distinct=True))
    )
    return {r["code"]: r["n"] for r in rows}


def todos(user: Any, today: dt.date) -> list[Any]:
    """Schools: returned items to re-file, approved items whose meeting is due to be recorded,
    passed items without execution, overdue executions. Reviewers: items awaiting review."""
    from dangjian.core.home import Todo, _url
    from dangjian.core.scope import has_capability

    if not has_capability(user, "decisions.view"):
        return []
    school = has_capability(user, "decisions.meeting_record")
    reviewer = has_capability(user, "decisions.item_approve")
    counts = AgendaItem.objects.for_user(user).aggregate(
        returned=Count("id", filter=Q(status=S.RETURNED)),
        to_record=Count("id", filter=Q(status=S.APPROVED, planned_meeting_on__lte=today)),
        to_execute=Count("id", filter=Q(status=S.PASSED)),
        overdue=Count("id", filter=Q(status=S.EXECUTING) & execution_overdue_q(today)),
        to_review=Count("id", filter=Q(status=S.FILED)),
    )
    out = []
    if reviewer:
        out.append(
            Todo(
                "decisions_to_review",
                "待审核的三重一大议题",
                "会前审核：同意上会、退回修改或认定非三重一大事项",
                counts["to_review"],
                "warning" if counts["to_review"] else "ok",
                _url("decisions:item-list", todo="to_review"),
            )
        )
    if school:
        out += [
            Todo(
                "decisions_returned",
                "被退回的三重一大议题",
                "按审核意见修改后重新报备",
                counts["returned"],
                "warning" if counts["returned"] else "ok",
                _url("decisions:item-list", todo="returned"),
            ),
            Todo(
                "decisions_to_record",
                "待登记会议记录的议题",
                "已同意上会且拟上会日期已到，请登记会议表决情况",
                counts["to_record"],
                "warning" if counts["to_record"] else "ok",
                _url("decisions:item-list", todo="to_record"),
            ),
            Todo(
                "decisions_to_execute",
                "会议通过待执行的议题",
                "明确责任人和执行期限",
                counts["to_execute"],
                "warning" if counts["to_execute"] else "ok",
                _url("decisions:item-list", todo="to_execute"),
            ),
        ]
    out.append(
        Todo(
            "decisions_execution_overdue",
            "决策执行逾期的议题" if school else "辖区内决策执行逾期的议题",
            "超过执行期限仍未执行完毕",
            counts["overdue"],
            "danger" if counts["overdue"] else "ok",
            _url("decisions:item-list", todo="execution_overdue"),
        )
    )
    return out


TODO_FILTERS: dict[str, str] = {
    "to_review": "待审核",
    "returned": "被退回",
    "to_record": "待登记会议",
    "to_execute": "待执行",
    "execution_overdue": "执行逾期",
}


def todo_filter(qs: QuerySet[AgendaItem], name: str, today: dt.date) -> QuerySet[AgendaItem]:
    """The rows behind a to-do count (for the item list's `todo=` parameter)."""
    if name == "to_review":
        return qs.filter(status=S.FILED)
    if name == "returned":
        return qs.filter(status=S.RETURNED)
    if name == "to_record":
        return qs.filter(status=S.APPROVED, planned_meeting_on__lte=today)
    if name == "to_execute":
        return qs.filter(status=S.PASSED)
    if name == "execution_overdue":
        return qs.filter(Q(status=S.EXECUTING) & execution_overdue_q(today))
    return qs
