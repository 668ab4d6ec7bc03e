"""UI components shared by every page: fields, badges, dates, money, list headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html

from dangjian.core.dates import cn_date as _cn_date

register = template.Library()

BADGE_COLOURS = {
    "active": "green",
    "closed": "secondary",
    "merged": "secondary",
    "left": "secondary",
    "retired": "secondary",
    "queued": "secondary",
    "running": "blue",
    "done": "green",
    "failed": "red",
    "ok": "green",
    "warning": "yellow",
    "danger": "red",
    "planned": "blue",
    "in_progress": "yellow",
    "cancelled": "secondary",
    "open": "yellow",
    "submitted": "blue",
    "verified": "green",
    "rejected": "red",
    # 三重一大 agenda items
    "draft": "secondary",
    "filed": "blue",
    "returned": "orange",
    "approved": "cyan",
    "not_major": "secondary",
    "passed": "green",
    "not_passed": "red",
    "executing": "yellow",
    "completed": "green",
    # bulletins
    "generating": "blue",
    "issued": "green",
}


@register.inclusion_tag("core/_field.html")
def field(bound: BoundField, **attrs: Any) -> dict[str, Any]:
    """A labelled form control with its Chinese errors beside it."""
    return {"f": bound, "attrs": attrs}


@register.simple_tag
def status_badge(value: str, label: str | None = None) -> str:
    colour = BADGE_COLOURS.get(str(value), "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, label or value)


@register.filter
def cn_date(value: dt.date | dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _cn_date(value)


@register.filter
def money(value: Decimal | int | float | None) -> str:
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"


@register.simple_tag(takes_context=True)
def sort_header(context: dict[str, Any], key: str, label: str) -> str:
    """A sortable column header that keeps the other query parameters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    new = f"-{key}" if current == key else key
    params["sort"] = new
    params.pop("page", None)
    arrow = "↑" if current == key else ("↓" if current == f"-{key}" else "")
    return format_html(
        '<a href="?{}" class="text-reset">{} {}</a>', params.urlencode(), label, arrow
    )


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], page: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = page
    return "?" + params.urlencode()
