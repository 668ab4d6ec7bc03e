"""Badges and cells of the member and transfer pages; the branch-structure warnings tag."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from dangjian.core.listing import Column
from dangjian.orgs.templatetags.orgs_ui import cell

register = template.Library()

COLOURS = {
    # members
    "probationary": "yellow",
    "full": "green",
    "suspended": "orange",
    "left": "secondary",
    "deceased": "secondary",
    "transferred_out": "secondary",
    # transfers
    "pending": "blue",
    "confirmed": "green",
    "cancelled": "secondary",
    "expired": "red",
}


@register.simple_tag
def party_badge(value: str, label: str) -> str:
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>', COLOURS.get(str(value), "secondary"), label
    )


@register.simple_tag
def party_cell(row: Any, column: Column, value: Any) -> SafeString | str:
    if column.badge:
        return SafeString(party_badge(getattr(row, column.badge), value))
    return cell(row, column, value)


@register.simple_tag
def structure_warnings_for(org: Any) -> list[str]:
    """RULES.md §3.5 warnings of a party org (see party.queries.structure_warnings)."""
    from dangjian.party.queries import structure_warnings

    return structure_warnings(org) if org is not None else []
