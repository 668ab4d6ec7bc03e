"""One mechanism for every list page: filters, search, sort, paging, and export of exactly
what is filtered (UI.md "Lists"). A view declares a ListSpec; the template gets `listing`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

PER_PAGE_CHOICES = (25, 50, 100)
MAX_PAGES = 400  # numbered pages are capped: deep OFFSETs are slow (PERF.md)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable[[Any], Any]  # row → cell value (for the table and for xlsx)
    sort: str | None = None  # ORM ordering key, None = not sortable
    link: bool = False  # the cell links to row.get_absolute_url()
    badge: str | None = None  # attribute holding the raw status for status_badge


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    lookup: str
    choices: list[tuple[str, str]] | None = None  # None: free text
    cast: Callable[[str], Any] = str


@dataclass
class ListSpec:
    columns: list[Column]
    search: tuple[str, ...] = ()
    filters: list[Filter] = field(default_factory=list)
    default_sort: str = ""


@dataclass
class Listing:
    spec: ListSpec
    page: Page
    count: int
    query: str
    sort: str
    per_page: int
    filter_values: dict[str, str]
    rows: list[Any]
    columns: list[Column]

    def cells(self) -> list[tuple[Any, list[tuple[Column, Any]]]]:
        return [(row, [(c, c.value(row)) for c in self.columns]) for row in self.rows]


def apply(spec: ListSpec, qs: QuerySet[Any], params: Any) -> tuple[QuerySet[Any], dict[str, str]]:
    """Filter, search and sort `qs` by the request parameters (shared by page and export)."""
    values: dict[str, str] = {}
    for f in spec.filters:
        raw = (params.get(f.name) or "").strip()
        if not raw:
            continue
        if f.choices is not None and raw not in {k for k, _ in f.choices}:
            continue
        try:
            qs = qs.filter(**{f.lookup: f.cast(raw)})
        except (ValueError, TypeError):
            continue
        values[f.name] = raw
    q = (params.get("q") or "").strip()
    if q and spec.search:
        cond = Q()
        for name in spec.search:
            cond |= Q(**{name: q})
        qs = qs.filter(cond)
    sort = params.get("sort") or spec.default_sort
    sortable = {c.key: c.sort for c in spec.columns if c.sort}
    key = sort.lstrip("-")
    if key in sortable:
        order = sortable[key]
        desc = sort.startswith("-")
        qs = qs.order_by(f"-{order}" if desc else order, "-pk" if desc else "pk")
    return qs, values


def build(request: HttpRequest, spec: ListSpec, qs: QuerySet[Any]) -> Listing:
    qs, values = apply(spec, qs, request.GET)
    try:
        per_page = int(request.GET.get("per_page", 25))
    except ValueError:
        per_page = 25
    if per_page not in PER_PAGE_CHOICES:
        per_page = 25
    paginator = Paginator(qs, per_page)
    try:
        number = max(1, min(int(request.GET.get("page", 1)), MAX_PAGES))
    except ValueError:
        number = 1
    page = paginator.get_page(number)
    return Listing(
        spec=spec,
        page=page,
        count=paginator.count,
        query=request.GET.get("q", ""),
        sort=request.GET.get("sort", spec.default_sort),
        per_page=per_page,
        filter_values=values,
        rows=list(page.object_list),
        columns=spec.columns,
    )


# casts shared by list filters (raise ValueError on bad input: `apply` then ignores the filter)
def cast_year(raw: str) -> int:
    year = int(raw)
    if not 1949 <= year <= 2100:
        raise ValueError(raw)
    return year


def cast_month(raw: str) -> dt.date:
    """'2024-05' → the first day of that month (ValueError otherwise, so a bad link filters
    nothing instead of failing)."""
    year, month = (int(p) for p in raw.split("-"))
    return dt.date(year, month, 1)


def year_choices(today: dt.date, span: int = 6) -> list[tuple[str, str]]:
    """The year filter's options: this year and the `span - 1` before it."""
    return [(str(y), f"{y}年") for y in range(today.year, today.year - span, -1)]


def month_choices(today: dt.date, span: int = 13, ahead: int = 0) -> list[tuple[str, str]]:
    """The month filter's options ('2024-05', '2024年5月'), newest first: `ahead` months after
    this one (plans are made ahead), this month, and the months before it."""
    index = today.year * 12 + today.month - 1 + ahead
    out = []
    for n in range(index, index - span, -1):
        year, month = divmod(n, 12)
        out.append((f"{year}-{month + 1:02d}", f"{year}年{month + 1}月"))
    return out


def cast_subtree(raw: str) -> str:
    """A unit id → the path segment every unit of its subtree contains (`…path__contains`)."""
    return f"/{int(raw)}/"
