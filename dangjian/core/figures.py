"""The figure registry: every number users see is a named queryset and its aggregate (STYLE.md §5).

A figure function returns the rows that explain it; the value is an aggregate over exactly those
rows, so a dashboard number and its drill-down can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Aggregate, Count, QuerySet
from django.urls import reverse

from .periods import Period

FigureFn = Callable[[Any, Period], QuerySet[Any]]


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    unit_label: str
    fn: FigureFn
    description: str = ""
    aggregate: Callable[[], Aggregate] = field(default=lambda: Count("pk"))
    breakdown: str | None = None  # a choices field: value per choice, e.g. units by kind
    ratio: tuple[str, str] | None = None  # (numerator, denominator) figure names: a percentage


REGISTRY: dict[str, Figure] = {}


def figure(
    name: str,
    *,
    label: str,
    unit_label: str,
    description: str = "",
    aggregate: Callable[[], Aggregate] | None = None,
    breakdown: str | None = None,
) -> Callable[[FigureFn], FigureFn]:
    def register(fn: FigureFn) -> FigureFn:
        if name in REGISTRY and REGISTRY[name].fn is not fn:
            raise ValueError(f"figure {name!r} registered twice")
        REGISTRY[name] = Figure(
            name,
            label,
            unit_label,
            fn,
            description or (fn.__doc__ or "").strip(),
            aggregate or (lambda: Count("pk")),
            breakdown,
        )
        return fn

    return register


def ratio_figure(
    name: str, *, label: str, numerator: str, denominator: str, description: str = ""
) -> Figure:
    """A percentage of two registered counts (e.g. rectified on time / rectified). Its rows are
    the numerator's rows, so the drill-down shows what was counted as meeting the standard."""

    def fn(unit: Any, period: Period) -> QuerySet[Any]:
        return rows(numerator, unit, period)

    fig = Figure(
        name,
        label,
        "%",
        fn,
        description or f"{REGISTRY[numerator].label} ÷ {REGISTRY[denominator].label}",
        ratio=(numerator, denominator),
    )
    REGISTRY[name] = fig
    return fig


def get(name: str) -> Figure:
    return REGISTRY[name]


def rows(name: str, unit: Any, period: Period) -> QuerySet[Any]:
    return REGISTRY[name].fn(unit, period)


def plain(result: Any) -> int | Decimal:
    """Counts are ints; money sums stay Decimal, to the fen (SQLite sums decimals as floats,
    so the raw sum may carry noise like 861571.050000004)."""
    if isinstance(result, Decimal):
        return result.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return int(result or 0)


def value(name: str, unit: Any, period: Period) -> int | Decimal:
    fig = REGISTRY[name]
    if fig.ratio is not None:
        num, den = (value(n, unit, period) for n in fig.ratio)
        if not den:
            return Decimal("0.0")
        return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return plain(rows(name, unit, period).aggregate(v=fig.aggregate())["v"])


def breakdown(name: str, unit: Any, period: Period) -> list[tuple[str, str, int | Decimal]]:
    """(key, Chinese label, value) per choice of the figure's breakdown field, in choice order."""
    fig = REGISTRY[name]
    if not fig.breakdown:
        return []
    return breakdown_by(name, unit, period, fig.breakdown)


def breakdown_by(
    name: str, unit: Any, period: Period, field_name: str
) -> list[tuple[str, str, int | Decimal]]:
    """The figure's value per value of any field of its rows, with the figure's own aggregate (so
    the parts of a distinct count, e.g. schools per kind of check, are distinct counts too). A
    choices field gives every choice in choice order; another field the values present, largest
    first."""
    fig = REGISTRY[name]
    qs = rows(name, unit, period)
    counts = dict(qs.order_by().values_list(field_name).annotate(v=fig.aggregate()))
    model_field = qs.model._meta.get_field(field_name)
    if model_field.choices:
        return [(key, str(lbl), plain(counts.get(key, 0))) for key, lbl in model_field.choices]
    present = sorted(counts.items(), key=lambda kv: (-plain(kv[1]), str(kv[0])))
    return [(str(key), str(key), plain(v)) for key, v in present]


def url(name: str, unit: Any, period: Period) -> str:
    """The page listing the rows behind the number."""
    query = urlencode({"unit": unit.pk, "start": period.start, "end": period.last})
    return f"{reverse('core:figure-rows', args=[name])}?{query}"


def api_url(name: str, unit: Any, period: Period) -> str:
    query = urlencode({"unit": unit.pk, "start": period.start, "end": period.last})
    return f"/api/v1/figures/{name}?{query}"
