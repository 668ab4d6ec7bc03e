"""Table cells for the org list pages: dates, yes/no, status badges, links to related rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.safestring import SafeString

from dangjian.core.dates import cn_date
from dangjian.core.listing import Column
from dangjian.core.templatetags.ui import status_badge

register = template.Library()


def _url(obj: Any) -> str:
    try:
        return str(obj.get_absolute_url())
    except (AttributeError, NoReverseMatch):
        return ""  # the target page is not installed (yet): plain text


@register.simple_tag
def cell(row: Any, column: Column, value: Any) -> SafeString | str:
    """One list cell as HTML: the xlsx export gets the same value as plain data."""
    if column.badge:
        return SafeString(status_badge(getattr(row, column.badge), value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return cn_date(value)
    if value is None or value == "":
        return SafeString('<span class="text-secondary">—</span>')
    if column.link:
        url = _url(row)
        return format_html('<a href="{}">{}</a>', url, value) if url else str(value)
    if hasattr(value, "_meta"):
        url = _url(value)
        return format_html('<a href="{}">{}</a>', url, value) if url else str(value)
    return str(value)


@register.simple_tag
def link(obj: Any) -> str:
    """A model instance as a link to its page, or plain text when it has none."""
    if obj is None:
        return ""
    url = _url(obj)
    return format_html('<a href="{}">{}</a>', url, obj) if url else str(obj)
