"""Reads of bulletins: the list, the units a user issues for, the 待办."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from dangjian.core.scope import capability_paths, has_capability
from dangjian.orgs.models import Unit

from . import rules
from .models import Bulletin

ISSUED = (Bulletin.Status.GENERATING, Bulletin.Status.ISSUED, Bulletin.Status.FAILED)


def bulletins_for(user: Any) -> QuerySet[Bulletin]:
    if not has_capability(user, "bulletins.view"):
        return Bulletin.objects.none()
    return Bulletin.objects.for_user(user).select_related("unit", "issued_by")


def issuing_units(user: Any) -> QuerySet[Unit]:
    """The units the user drafts bulletins for (their role units, not every unit below)."""
    paths = capability_paths(user, "bulletins.bulletin_create")
    return Unit.objects.filter(path__in=paths, status=Unit.Status.ACTIVE).order_by("path")


def missing_units(user: Any, month: dt.date) -> QuerySet[Unit]:
    """The user's issuing units with no issued bulletin for `month`."""
    issued = Bulletin.objects.filter(month=month, status__in=ISSUED).values("unit_id")
    return issuing_units(user).exclude(pk__in=issued)


def todos(user: Any, today: dt.date) -> list[Any]:
    """一月一通报: last month's bulletin not yet issued (red once past the bulletin day)."""
    from dangjian.core.home import Todo, _url

    if not has_capability(user, "bulletins.bulletin_issue"):
        return []
    month = rules.due_month(today)
    missing = missing_units(user, month).count()
    late = rules.is_late(month, None, today)
    due = rules.deadline(month)
    return [
        Todo(
            "bulletin_missing",
            f"{month.month}月督导通报未印发",
            f"一月一通报：{due.month}月{due.day}日前印发上月通报",
            missing,
            ("danger" if late else "warning") if missing else "ok",
            _url("bulletins:bulletin-list", month=f"{month:%Y-%m}"),
        )
    ]
