"""What each role sees first (UI.md "Home page per role"): 待办 counts, then figures.

Every count links to the filtered list behind it. Party-org to-dos are one grouped query over the
user's scope; leaders' numbers come from the figure registry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import figures
from .dates import add_months
from .listing import Filter
from .periods import Period
from .scope import has_capability, roles_of

TERM_WARNING_DAYS = 180
SCHOOL_ROLES = frozenset({"school_secretary", "school_clerk"})
BUREAU_ROLES = frozenset({"bureau_admin", "district_staff", "inspector", "discipline_inspector"})
LEADER_ROLES = frozenset({"bureau_leader"})
GROUPED_ROWS = 20  # schools shown in the grouped to-do table; the rest via the list links

# (name, label, hint) of the party-org to-dos, most urgent first
PARTYORG_TODOS: tuple[tuple[str, str, str], ...] = (
    ("term_overdue", "任期已届满、尚未换届的党组织", "应及时召开党员大会进行换届选举"),
    ("secretary_vacant", "书记空缺的党组织", "党组织应配备书记"),
    ("term_due", f"{TERM_WARNING_DAYS}天内任期届满的党组织", "提前做好换届准备"),
)
TODO_LEVEL = {"term_overdue": "danger", "secretary_vacant": "danger", "term_due": "warning"}


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


# ---- party-org to-dos: a term's end (start + years, clamped like add_months) in SQL ----


def _first_start_ending_on_or_after(limit: dt.date, years: int) -> dt.date:
    """The earliest term start whose term of `years` ends on or after `limit`."""
    months = 12 * years
    start = add_months(limit, -months)
    while add_months(start - dt.timedelta(days=1), months) >= limit:
        start -= dt.timedelta(days=1)
    while add_months(start, months) < limit:
        start += dt.timedelta(days=1)
    return start


def _term_ends_before(limit: dt.date, years: list[int]) -> Q:
    terms = [
        Q(term_years=y, term_started_on__lt=_first_start_ending_on_or_after(limit, y))
        for y in years
    ]
    return reduce(or_, terms, Q(pk__in=[]))


def term_years_in_use() -> list[int]:
    from dangjian.orgs.models import PartyOrg

    return sorted(set(PartyOrg.objects.order_by().values_list("term_years", flat=True).distinct()))


def partyorg_todo_q(name: str, today: dt.date, years: list[int] | None = None) -> Q:
    """The condition of one party-org to-do; party groups hold no elections and no secretary."""
    from dangjian.orgs.models import PartyOrg, Post, Unit

    base = (
        Q(is_active=True, unit__status=Unit.Status.ACTIVE)
        & ~Q(kind=PartyOrg.Kind.GROUP)
        & Q(term_started_on__isnull=False)
    )
    if name in ("term_overdue", "term_due"):
        years = term_years_in_use() if years is None else years
    if name == "term_overdue":
        return base & _term_ends_before(today, years or [])
    if name == "term_due":
        soon = today + dt.timedelta(days=TERM_WARNING_DAYS + 1)
        return base & ~_term_ends_before(today, years or []) & _term_ends_before(soon, years or [])
    if name == "secretary_vacant":
        current = Post.objects.filter(
            org=OuterRef("pk"), title=Post.Title.SECRETARY, started_on__lte=today
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        return (
            Q(is_active=True, unit__status=Unit.Status.ACTIVE)
            & ~Q(kind=PartyOrg.Kind.GROUP)
            & ~Q(Exists(current))
        )
    raise ValueError(name)


def _todo_pks(raw: str) -> QuerySet[Any]:
    from dangjian.orgs.models import PartyOrg

    return PartyOrg.objects.filter(partyorg_todo_q(raw, timezone.localdate())).values("pk")


# the party-org list's filter behind the to-do links (?todo=term_overdue)
PARTYORG_TODO_FILTER = Filter(
    "todo", "待办", "pk__in", choices=[(n, lbl) for n, lbl, _ in PARTYORG_TODOS], cast=_todo_pks
)


def partyorg_todo_counts(user: Any, today: dt.date, by_unit: bool = False) -> Any:
    """Counts of each party-org to-do in the user's scope: one query (grouped by unit if asked)."""
    from dangjian.orgs.models import PartyOrg

    years = term_years_in_use()
    counts = {
        name: Count("pk", filter=partyorg_todo_q(name, today, years))
        for name, _, _ in PARTYORG_TODOS
    }
    qs = PartyOrg.objects.for_user(user)
    if by_unit:
        return list(qs.order_by().values("unit_id").annotate(**counts))
    return qs.aggregate(**counts)


def _level(name: str, count: int) -> str:
    return TODO_LEVEL[name] if count else "ok"


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
        for name, label, hint in PARTYORG_TODOS
    ]


def partyorg_todos_by_unit(user: Any, today: dt.date) -> tuple[list[dict[str, Any]], int]:
    """Units with at least one to-do, most urgent first (capped), and how many there are."""
    from dangjian.orgs.models import Unit

    rows = [
        r
        for r in partyorg_todo_counts(user, today, by_unit=True)
        if any(r[name] for name, _, _ in PARTYORG_TODOS)
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
                for name, _, _ in PARTYORG_TODOS
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
        "grouped_columns": [label for _, label, _ in PARTYORG_TODOS],
        "figures": [],
        "chart": None,
        "can_verify_audit": False,
        "member_url": None,
        "no_role": not roles,
    }
    business = roles & (SCHOOL_ROLES | BUREAU_ROLES | LEADER_ROLES)
    if business:
        ctx["todos"] = partyorg_todos(user, today)
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
