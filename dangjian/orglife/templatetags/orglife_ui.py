"""Compliance-calendar cells: a coloured verdict for one branch, counts for a roll-up."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

CELL_CLASS = {
    "ok": "bg-green-lt text-green",
    "danger": "bg-red-lt text-red",
    "warning": "bg-yellow-lt text-yellow",
    "open": "bg-light text-secondary",
    "na": "text-secondary",
}
MARK = {"met": "✓", "missed": "✗", "at_risk": "!", "open": "…", "not_applicable": "—"}


@register.simple_tag
def verdict_cell(
    cells: dict[tuple[str, str], Any], kind: str, key: str, colspan: int = 1
) -> SafeString:
    """One <td> of a branch's calendar: mark, count and the Chinese verdict as a tooltip."""
    c = cells.get((kind, key))
    if c is None:
        return format_html('<td colspan="{}"></td>', colspan)
    detail = f"{c.period.label}：{c.label}（{c.count}/{c.minimum}）"
    return format_html(
        '<td colspan="{}" class="text-center {}" title="{}" data-verdict="{}">'
        '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}</td>',
        colspan,
        CELL_CLASS[c.level],
        detail,
        c.verdict,
        MARK[c.verdict],
        c.label,
        format_html('<small class="ms-1">{}</small>', c.count) if c.count else "",
    )


@register.simple_tag(takes_context=True)
def rollup_cell(context: dict[str, Any], kind: str, key: str, colspan: int = 1) -> SafeString:
    """One <td> of a roll-up: branches missed / at risk / met, each linking to those branches."""
    counts = context["grid"].get((kind, key))
    if not counts:
        return format_html('<td colspan="{}"></td>', colspan)
    base = {"year": context["year"], "kind": kind, "period": key}
    if context.get("unit") is not None:
        base["unit"] = context["unit"].pk
    parts = []
    for verdict, css in (("missed", "text-red"), ("at_risk", "text-yellow"), ("met", "text-green")):
        n = counts.get(verdict, 0)
        if n:
            url = "?" + urlencode({**base, "verdict": verdict})
            parts.append(
                (url, css, n, {"missed": "未完成", "at_risk": "即将到期", "met": "已完成"}[verdict])
            )
    if not parts:
        return format_html('<td colspan="{}" class="text-center text-secondary">—</td>', colspan)
    links = format_html_join(
        " ",
        '<a href="{}" class="{} fw-bold" title="{}个支部{}">{}</a>',
        ((u, c, n, lbl, n) for u, c, n, lbl in parts),
    )
    return format_html('<td colspan="{}" class="text-center text-nowrap">{}</td>', colspan, links)
