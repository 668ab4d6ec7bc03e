"""What each role sees first (UI.md "Home page per role"): 待办 counts, then figures.

Every count links to the filtered list behind it. Party-org to-dos are one grouped query over the
user's scope; leaders' numbers come from the figure registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.areas import AREA_APPS
from dangjian.orgs.queries import (
    PARTYORG_REMINDERS,
    REMINDER_LEVEL,
)
from dangjian.orgs.queries import (
    partyorg_reminder_counts as partyorg_todo_counts,
)

from . import figures
from .periods import Period
from .scope import has_capability, roles_of

SCHOOL_ROLES = frozenset({"school_secretary", "school_clerk"})
BUREAU_ROLES = frozenset({"bureau_admin", "district_staff", "inspector", "discipline_inspector"})
LEADER_ROLES = frozenset({"bureau_leader"})
GROUPED_ROWS = 20  # schools shown in the grouped to-do table; the rest via the list links


@dataclass(frozen=True)
class Todo:
    name: str
    label: str
    hint: str
    count: int
    level: str  # danger (red), warning (yellow), ok (green)
    url: str | None


def _url(name: str, **params: Any) -> str | None:
    """A list URL with filters, or None while that list is not installed."""
    try:
        base = reverse(name)
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{base}?{query}" if query else base


def _level(name: str, count: int) -> str:
    return REMINDER_LEVEL[name] if count else "ok"


def partyorg_todos(user: Any, today: dt.date) -> list[Todo]:
    totals = partyorg_todo_counts(user, today)
    return [
        Todo(
            name,
            label,
            hint,
            totals[name],
            _level(name, totals[name]),
            _url("orgs:partyorg-list", todo=name),
        )
        for name, label, hint in PARTYORG_REMINDERS
    ]


def partyorg_todos_by_unit(user: Any, today: dt.date) -> tuple[list[dict[str, Any]], int]:
    """Units with at least one to-do, most urgent first (capped), and how many there are."""
    from dangjian.orgs.models import Unit

    rows = [
        r
        for r in partyorg_todo_counts(user, today, by_unit=True)
        if any(r[name] for name, _, _ in PARTYORG_REMINDERS)
    ]
    rows.sort(key=lambda r: (-(r["term_overdue"] + r["secretary_vacant"]), -r["term_due"]))
    shown = rows[:GROUPED_ROWS]
    names = dict(
        Unit.objects.filter(pk__in=[r["unit_id"] for r in shown]).values_list("pk", "name")
    )
    grouped = [
        {
            "unit_id": r["unit_id"],
            "unit_name": names.get(r["unit_id"], ""),
            "cells": [
                {
                    "count": r[name],
                    "level": _level(name, r[name]),
                    "url": _url("orgs:partyorg-list", todo=name, unit=r["unit_id"]),
                }
                for name, _, _ in PARTYORG_REMINDERS
            ],
        }
        for r in shown
    ]
    return grouped, len(rows)


# ---- figures for bureau staff and leaders ----


def top_unit(user: Any) -> Any:
    from dangjian.orgs.models import Unit

    return Unit.objects.for_user(user).order_by("depth", "pk").first()


def figure_cards(unit: Any, period: Period, names: list[str] | None = None) -> list[dict[str, Any]]:
    chosen = [figures.REGISTRY[n] for n in names if n in figures.REGISTRY] if names else None
    return [
        {
            "name": fig.name,
            "label": fig.label,
            "unit_label": fig.unit_label,
            "description": fig.description,
            "value": figures.value(fig.name, unit, period),
            "url": figures.url(fig.name, unit, period),
        }
        for fig in (chosen if chosen is not None else figures.REGISTRY.values())
    ]


def people_chart(unit: Any, period: Period, today: dt.date) -> dict[str, Any] | None:
    """In-post people per district office (or per child unit) from the `people` figure."""
    from dangjian.orgs.models import Unit

    if "people" not in figures.REGISTRY:
        return None
    children = list(
        Unit.objects.filter(parent=unit, status=Unit.Status.ACTIVE).order_by("code", "pk")
    )
    offices = [c for c in children if c.kind == Unit.Kind.DISTRICT_OFFICE]
    if not children:
        return None
    bars = offices or children
    label = "学区" if offices else "下级单位"
    values = [figures.value("people", c, period) for c in bars]
    urls = [figures.url("people", c, period) for c in bars]
    return {
        "rows": [(c.name, v, u) for c, v, u in zip(bars, values, urls, strict=True)],
        "title": f"各{label}在岗人员（{period.label()}，截至{today.month}月{today.day}日）",
        "labels": [c.name for c in bars],
        "values": values,
        "urls": urls,
        "unit_label": figures.REGISTRY["people"].unit_label,
    }


# ---- admins (三员分立): account and audit pages only, no business data ----


def audit_todos(user: Any, today: dt.date) -> list[Todo]:
    from dangjian.audit.models import AuditEntry

    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    todays = AuditEntry.objects.for_user(user).filter(at__gte=start)
    counts = todays.aggregate(
        all=Count("pk"), failed=Count("pk", filter=Q(action="accounts.login_failed"))
    )
    day = today.isoformat()
    return [
        Todo(
            "login_failed",
            "今日登录失败",
            "多次失败可能是有人在尝试猜测密码",
            counts["failed"],
            "warning" if counts["failed"] else "ok",
            _url("audit:entry-list", action="accounts.login_failed", date_from=day, date_to=day),
        ),
        Todo(
            "entries_today",
            "今日审计记录",
            "",
            counts["all"],
            "ok",
            _url("audit:entry-list", date_from=day, date_to=day),
        ),
    ]


def area_todos(user: Any, today: dt.date) -> list[Todo]:
    """To-dos of the party-affairs areas (development steps due, dues unpaid, meetings owed),
    each from its own `<app>.queries.todos(user, today)`, most urgent first."""
    from importlib import import_module

    todos: list[Todo] = []
    for app in AREA_APPS:
        try:
            module = import_module(f"dangjian.{app}.queries")
        except ModuleNotFoundError as exc:
            if exc.name != f"dangjian.{app}.queries":
                raise
            continue
        if hasattr(module, "todos"):
            todos += module.todos(user, today)
    rank = {"danger": 0, "warning": 1, "ok": 2}
    return sorted(todos, key=lambda t: rank.get(t.level, 3))


def home_context(user: Any, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    roles = roles_of(user)
    period = Period.year(today.year)
    ctx: dict[str, Any] = {
        "page_title": "首页",
        "today": today,
        "period": period,
        "todos": [],
        "grouped": [],
        "grouped_total": 0,
        "grouped_columns": [label for _, label, _ in PARTYORG_REMINDERS],
        "figures": [],
        "chart": None,
        "can_verify_audit": False,
        "member_url": None,
        "no_role": not roles,
    }
    business = roles & (SCHOOL_ROLES | BUREAU_ROLES | LEADER_ROLES)
    if business:
        from dangjian.notices.queries import todos as notice_todos

        ctx["todos"] = (
            notice_todos(user, today) + partyorg_todos(user, today) + area_todos(user, today)
        )
        unit = top_unit(user)
        ctx["unit"] = unit
        if roles & (BUREAU_ROLES | LEADER_ROLES) and unit is not None:
            ctx["grouped"], ctx["grouped_total"] = partyorg_todos_by_unit(user, today)
        if roles & BUREAU_ROLES and unit is not None:
            ctx["figures"] = figure_cards(unit, period, ["units_closed", "units_merged"])
        if roles & LEADER_ROLES and unit is not None:
            ctx["figures"] = figure_cards(unit, period)
            ctx["chart"] = people_chart(unit, period, today)
    if "system_admin" in roles or "security_admin" in roles:
        from dangjian.accounts.queries import admin_todos

        ctx["todos"] += admin_todos(user)
    if has_capability(user, "audit.view"):
        ctx["todos"] += audit_todos(user, today)
        ctx["can_verify_audit"] = True
    if "member" in roles and not business:
        ctx["member_url"] = _url("people:me")
    return ctx
