"""What a bulletin says, as numbers: the month's figures from the registry (the same functions
the dashboards and ledgers use) and a table of schools built from those figures' own rows, so
every number in the document adds up to a registered figure. The result is plain JSON, frozen
on the bulletin when it is issued."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count

from dangjian.core import figures
from dangjian.core.periods import Period

# (figure, breakdowns by field): the order is the order of the document's sections
FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("schools_inspected", ("kind",)),
    ("schools_uninspected", ()),
    ("inspections", ("kind",)),
    ("findings", ("severity", "area")),
    ("self_check_findings", ("severity", "area")),
    ("rectified", ()),
    ("rectified_on_time", ()),
    ("rectified_on_time_rate", ()),
    ("overdue", ()),
    ("accountability", ("form",)),
    ("warning_education_sessions", ()),
)
# the per-school table: column → figure whose rows are counted per school
SCHOOL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("inspections", "督查次数"),
    ("findings", "督查发现问题"),
    ("self_check_findings", "自查问题"),
    ("rectified", "整改销号"),
    ("overdue", "逾期未整改"),
)


NAMED_UNINSPECTED = 30


def _json(v: int | Decimal) -> int | str:
    return str(v) if isinstance(v, Decimal) else int(v)


def month_period(month: dt.date) -> Period:
    return Period.month(month.year, month.month)


def compose(unit: Any, month: dt.date, as_of: dt.date) -> dict[str, Any]:
    period = month_period(month)
    out: dict[str, Any] = {}
    for name, fields in FIGURES:
        fig = figures.get(name)
        out[name] = {
            "label": fig.label,
            "unit_label": fig.unit_label,
            "value": _json(figures.value(name, unit, period)),
            "breakdowns": {
                f: [[k, lbl, _json(v)] for k, lbl, v in figures.breakdown_by(name, unit, period, f)]
                for f in fields
            },
        }
    uninspected = figures.rows("schools_uninspected", unit, period).order_by("path")
    return {
        "as_of": as_of.isoformat(),
        # named in the document (一月一督察 not met); the count is the figure above
        "uninspected": list(uninspected.values_list("name", flat=True)[:NAMED_UNINSPECTED]),
        "start": period.start.isoformat(),
        "last": period.last.isoformat(),
        "figures": out,
        "schools": school_rows(unit, period),
    }


def school_rows(unit: Any, period: Period) -> list[dict[str, Any]]:
    """One row per school with anything to report, most findings and overdue first."""
    table: dict[int, dict[str, Any]] = {}
    for name, _ in SCHOOL_COLUMNS:
        qs = figures.rows(name, unit, period).order_by()
        for unit_id, school, n in qs.values_list("unit_id", "unit__name").annotate(n=Count("pk")):
            row = table.setdefault(
                unit_id, {"unit_id": unit_id, "name": school} | {c: 0 for c, _ in SCHOOL_COLUMNS}
            )
            row[name] = n
    return sorted(
        table.values(),
        key=lambda r: (-(r["findings"] + r["self_check_findings"]), -r["overdue"], r["name"]),
    )


def value(content: dict[str, Any], name: str) -> int | Decimal:
    raw = content["figures"][name]["value"]
    return Decimal(raw) if isinstance(raw, str) else int(raw)


def parts(content: dict[str, Any], name: str, field: str, *, nonzero: bool = True) -> str:
    """ "严重2个、一般5个" from a frozen breakdown."""
    fig = content["figures"][name]
    items = fig["breakdowns"].get(field, [])
    unit_label = fig["unit_label"]
    return "、".join(f"{lbl}{v}{unit_label}" for _, lbl, v in items if v or not nonzero)
