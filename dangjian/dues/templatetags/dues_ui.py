"""Dues figures in templates: a rate as a percentage (0.015 → 1.5%)."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{(Decimal(rate) * 100).normalize():f}%"


@register.filter
def signed_money(value: Decimal | None) -> str:
    """A difference as money with its sign in front: -¥157.00, +¥5.00, ¥0.00."""
    if value is None:
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ("+" if amount > 0 else "")
    return f"{sign}¥{abs(amount):,.2f}"
