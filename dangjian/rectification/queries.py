"""Reads of findings and rectifications: scoped lists, the overdue list, the accountability
hand-over and the home page's to-dos."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from . import rules
from .models import Finding, Rectification

PENDING = list(Rectification.PENDING)
DUE_SOON_DAYS = 3


def findings_for(user: Any) -> QuerySet[Finding]:
    return Finding.objects.for_user(user).select_related(
        "unit", "inspection", "rectification", "rectification__owner"
    )


def overdue_q(as_of: dt.date, prefix: str = "rectification__") -> Q:
    """Still owed (open or re-opened) and past the deadline on `as_of`."""
    return Q(**{f"{prefix}status__in": PENDING, f"{prefix}deadline__lt": as_of})


def level_q(level: rules.Level, as_of: dt.date, prefix: str = "rectification__") -> Q:
    """Pending rectifications at `level` or above on `as_of` (rules.escalate as a filter)."""
    bound = rules.level_thresholds(as_of)[level]
    q = Q(**{f"{prefix}status__in": PENDING, f"{prefix}deadline__lte": bound})
    if level == rules.Level.BUREAU:
        q |= Q(
            **{f"{prefix}status__in": PENDING, f"{prefix}reopen_count__gte": rules.BUREAU_REOPENS}
        )
    return q


def overdue_rectifications(user: Any, today: dt.date) -> QuerySet[Rectification]:
    """The superior unit's overdue list: one query (plus the count), longest overdue first."""
    return (
        Rectification.objects.for_user(user)
        .filter(overdue_q(today, prefix=""))
        .select_related("unit", "finding", "owner")
        .order_by("deadline", "id")
    )


def needing_decision(user: Any, today: dt.date) -> QuerySet[Finding]:
    """Findings that call for an accountability decision (一事一追责, RULES.md §7.2).

    Contract for the accountability app: a finding is returned when, within `user`'s scope,
    (a) its rectification is still owed (open or re-opened) and has reached the bureau level
    on `today` — the 16th day after the deadline, i.e. the 15th day after becoming overdue
    (vector S4: deadline 2024-05-21, as of 2024-06-06) — or (b) it has been rejected at least
    twice (reopen_count ≥ 2, whatever its status now). When Finding has the reverse relation
    `accountability_records` (the accountability app's FK with that related_name), findings
    that already have a record are left out; otherwise that filter is the caller's.
    Rows come with unit and rectification selected, oldest deadline first.
    """
    bound = rules.level_thresholds(today)[rules.Level.BUREAU]
    qs = findings_for(user).filter(
        Q(rectification__status__in=PENDING, rectification__deadline__lte=bound)
        | Q(rectification__reopen_count__gte=rules.BUREAU_REOPENS)
    )
    if hasattr(Finding, "accountability_records"):
        qs = qs.filter(accountability_records__isnull=True)
    return qs.order_by("rectification__deadline", "pk").distinct()


def overdue_by_school(user: Any, today: dt.date, limit: int = 20) -> list[dict[str, Any]]:
    """Per school: overdue rectifications and the longest overdue days (one grouped query)."""
    from django.db.models import Count, Min

    rows = list(
        Rectification.objects.for_user(user)
        .filter(overdue_q(today, prefix=""))
        .values("unit_id", "unit__name")
        .annotate(n=Count("id"), oldest=Min("deadline"))
        .order_by("oldest", "unit_id")[:limit]
    )
    for r in rows:
        esc = rules.escalate(r["oldest"], today)
        r["days"] = esc.overdue_days
        r["level"] = esc.label
    return rows


def todos(user: Any, today: dt.date) -> list[Any]:
    """Schools: rectifications due within 3 days and overdue ones. Bureau and district staff:
    overdue ones in their subtree and submitted ones awaiting verification."""
    from django.db.models import Count

    from dangjian.core.home import Todo, _url
    from dangjian.core.scope import has_capability

    if not has_capability(user, "rectification.view"):
        return []
    school = has_capability(user, "rectification.rectification_submit")
    verifier = has_capability(user, "rectification.rectification_verify")
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    counts = Rectification.objects.for_user(user).aggregate(
        due=Count("id", filter=Q(status__in=PENDING, deadline__gte=today, deadline__lte=soon)),
        overdue=Count("id", filter=overdue_q(today, prefix="")),
        waiting=Count("id", filter=Q(status=Rectification.Status.SUBMITTED)),
    )
    out = []
    if school:
        out.append(
            Todo(
                "rectification_due",
                "3天内到期的整改",
                "按期提交整改措施和整改后的照片",
                counts["due"],
                "warning" if counts["due"] else "ok",
                _url("rectification:finding-list", overdue="due"),
            )
        )
    out.append(
        Todo(
            "rectification_overdue",
            "逾期未整改的问题" if school else "辖区内逾期未整改的问题",
            "逾期次日起督办，逾期满7天报学区、满15天报教育局和纪检",
            counts["overdue"],
            "danger" if counts["overdue"] else "ok",
            _url("rectification:overdue-list"),
        )
    )
    if verifier:
        out.append(
            Todo(
                "rectification_to_verify",
                "待验收的整改",
                "核实整改情况，通过的销号，不通过的退回",
                counts["waiting"],
                "warning" if counts["waiting"] else "ok",
                _url("rectification:finding-list", status="submitted"),
            )
        )
    return out
