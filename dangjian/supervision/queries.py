"""Reads of the inspection cycle: lists, campaign roll-ups, 一月一督察 gaps, to-dos."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangjian.core.scope import has_capability, scope_paths
from dangjian.orgs.models import Unit

from . import rules
from .models import Campaign, Checklist, Inspection, Plan

INSPECTED = (Inspection.Status.IN_PROGRESS, Inspection.Status.DONE)


def inspections_for(user: Any) -> QuerySet[Inspection]:
    return Inspection.objects.for_user(user).select_related(
        "unit", "lead_inspector", "campaign", "plan"
    )


def plans_for(user: Any) -> QuerySet[Plan]:
    return (
        Plan.objects.for_user(user)
        .select_related("unit", "checklist")
        .annotate(
            planned=Count("inspections"),
            done=Count("inspections", filter=Q(inspections__status=Inspection.Status.DONE)),
        )
    )


def checklists_for(user: Any) -> QuerySet[Checklist]:
    return (
        Checklist.objects.for_user(user)
        .select_related("unit")
        .annotate(item_count=Count("items", distinct=True))
    )


def campaigns_for(user: Any) -> QuerySet[Campaign]:
    return (
        Campaign.objects.for_user(user)
        .select_related("unit")
        .annotate(
            school_count=Count("schools", distinct=True),
            inspection_count=Count("inspections", distinct=True),
        )
    )


def schools_in(paths: list[str]) -> QuerySet[Unit]:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(path__startswith=p)
    return Unit.objects.filter(q, kind__in=Unit.SCHOOL_KINDS, status=Unit.Status.ACTIVE)


def uninspected_schools(paths: list[str], month: dt.date) -> QuerySet[Unit]:
    """Active schools under `paths` with no inspection of any kind held in `month` (so far)."""
    start = rules.month_start(month)
    held = Inspection.objects.filter(
        status__in=INSPECTED, held_on__gte=start, held_on__lt=rules.next_month(start)
    ).values("unit_id")
    return schools_in(paths).exclude(pk__in=held).order_by("path")


def missed_schools(paths: list[str], month: dt.date, as_of: dt.date) -> list[Unit]:
    """一月一督察 missed (RULES.md S6): schools established before the month with no
    inspection held in it, judged by the pure rule."""
    start = rules.month_start(month)
    end = rules.next_month(start)
    schools = list(
        schools_in(paths)
        .filter(Q(established_on__isnull=True) | Q(established_on__lt=start))
        .order_by("path")
    )
    days: dict[int, list[dt.date]] = defaultdict(list)
    for unit_id, held_on in Inspection.objects.filter(
        unit__in=schools, status__in=INSPECTED, held_on__gte=start, held_on__lt=end
    ).values_list("unit_id", "held_on"):
        days[unit_id].append(held_on)
    return [s for s in schools if rules.monthly_inspection_missed(start, days[s.pk], as_of)]


def campaign_rollup(campaign: Campaign, user: Any) -> dict[str, Any]:
    """Its inspections by status and kind, schools covered and visited, findings if recorded."""
    rows = Inspection.objects.for_user(user).filter(campaign=campaign)
    by_status = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    by_kind = dict(rows.order_by().values_list("kind").annotate(n=Count("pk")))
    visited = rows.filter(status=Inspection.Status.DONE).values("unit").distinct().count()
    from dangjian.rectification.models import Finding

    findings = Finding.objects.for_user(user).filter(inspection__campaign=campaign).count()
    return {
        "by_status": [(k, lbl, by_status.get(k, 0)) for k, lbl in Inspection.Status.choices],
        "by_kind": [(k, lbl, by_kind[k]) for k, lbl in Inspection.Kind.choices if k in by_kind],
        "total": sum(by_status.values()),
        "schools_visited": visited,
        "findings": findings,
    }


def todos(user: Any, today: dt.date) -> list[Any]:
    """This month's planned inspections not yet done; for planners, schools not yet inspected
    this month and schools that missed last month (一月一督察)."""
    from dangjian.core.home import Todo, _url

    if not has_capability(user, "supervision.view"):
        return []
    month = rules.month_start(today)
    out: list[Any] = []
    mine = Inspection.objects.for_user(user).filter(
        planned_on__gte=month,
        planned_on__lt=rules.next_month(month),
        status__in=[Inspection.Status.PLANNED, Inspection.Status.IN_PROGRESS],
    )
    pending = mine.count()
    overdue = mine.filter(planned_on__lt=today).count()
    out.append(
        Todo(
            "supervision_planned",
            f"本月（{today.month}月）尚未完成的督查",
            f"其中{overdue}项已过计划日期" if overdue else "按计划日期开展并登记结果",
            pending,
            "danger" if overdue else ("warning" if pending else "ok"),
            _url("supervision:inspection-list", month=f"{month:%Y-%m}", status="open"),
        )
    )
    if has_capability(user, "supervision.plan_create"):
        paths = scope_paths(user)
        not_yet = uninspected_schools(paths, month).count()
        last = rules.month_start(month - dt.timedelta(days=1))
        missed = len(missed_schools(paths, last, today))
        out.append(
            Todo(
                "supervision_uninspected",
                "本月尚未督查的学校",
                "一月一督察：每校每月至少检查一次",
                not_yet,
                "warning" if not_yet else "ok",
                _url("supervision:plan-list", uninspected=f"{month:%Y-%m}"),
            )
        )
        out.append(
            Todo(
                "supervision_missed",
                f"上月（{last.month}月）未督查的学校",
                "上月没有任何形式检查的学校",
                missed,
                "danger" if missed else "ok",
                _url("supervision:plan-list", uninspected=f"{last:%Y-%m}"),
            )
        )
    return out


def spot_check_ratio() -> float:
    from django.conf import settings

    return float(getattr(settings, "SPOT_CHECK_RATIO", rules.SPOT_CHECK_RATIO))
