"""Figures over /api/v1/: the registry, one value with its breakdown, and the rows behind it."""

import builtins
import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.orgs.models import Unit

from . import figures
from .errors import ActionError, OutOfScope
from .http import AuthedHttpRequest
from .periods import Period
from .schemas import ERRORS, Page, Ref, register_labels
from .scope import get_scoped, require

router = Router(tags=["统计指标"])


class FigureOut(Schema):
    name: str
    label: str
    unit_label: str
    description: str
    breakdown: str | None = Field(
        None, description="分列所依据的字段（如单位类型 kind），无则为 null"
    )


class BreakdownOut(Schema):
    key: str
    label: str
    value: int | Decimal


class FigureValueOut(Schema):
    name: str
    label: str
    unit_label: str
    unit: Ref
    start: dt.date
    end: dt.date = Field(..., description="结束日期（含）")
    value: int | Decimal
    breakdown: list[BreakdownOut]
    rows_url: str = Field(..., description="列出构成该数值的记录的页面")
    rows_api_url: str = Field(..., description="同一批记录的 API")


class RowOut(Schema):
    """One record behind a figure: its id, its name as shown, its page."""

    id: int | builtins.str
    str: builtins.str
    url: builtins.str | None

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.pk

    @staticmethod
    def resolve_str(obj: Any) -> builtins.str:
        return builtins.str(obj)

    @staticmethod
    def resolve_url(obj: Any) -> builtins.str | None:
        get_url = getattr(obj, "get_absolute_url", None)
        return get_url() if callable(get_url) else None


class FigureQuery(Schema):
    unit: int | None = Field(None, title="单位", description="默认：本人可见范围的最上级单位")
    start: dt.date | None = Field(None, title="开始日期", description="YYYY-MM-DD，默认本年1月1日")
    end: dt.date | None = Field(None, title="结束日期", description="YYYY-MM-DD（含），默认本年末")


register_labels("figures", FigureQuery)


def _figure(request: AuthedHttpRequest, name: str) -> figures.Figure:
    require(request.user, "figures.view")
    if name not in figures.REGISTRY:
        raise OutOfScope("未找到该指标")
    return figures.get(name)


def _unit_and_period(request: AuthedHttpRequest, params: FigureQuery) -> tuple[Unit, Period]:
    year = timezone.localdate().year
    start = params.start or dt.date(year, 1, 1)
    last = params.end or dt.date(year, 12, 31)
    if last < start:
        raise ActionError("「结束日期」：不能早于开始日期", field="end", label="结束日期")
    if params.unit is not None:
        unit = get_scoped(Unit, request.user, pk=params.unit)
    else:
        top = Unit.objects.for_user(request.user).order_by("depth", "pk").first()
        if top is None:
            raise OutOfScope("未找到该记录")
        unit = top
    return unit, Period.inclusive(start, last)


def _query(unit: Unit, period: Period) -> str:
    return urlencode({"unit": unit.pk, "start": period.start, "end": period.last})


@router.get(
    "/figures/",
    response={200: list[FigureOut], **ERRORS},
    url_name="figure-list",
    summary="统计指标列表",
)
def figure_list(request: AuthedHttpRequest) -> list[figures.Figure]:
    """已登记的全部统计指标。"""
    require(request.user, "figures.view")
    return list(figures.REGISTRY.values())


@router.get(
    "/figures/{name}",
    response={200: FigureValueOut, **ERRORS},
    url_name="figure-value",
    summary="指标数值",
)
def figure_value(
    request: AuthedHttpRequest, name: str, params: Query[FigureQuery]
) -> dict[str, Any]:
    """某单位（含下级）在期间内的指标值、分列值，以及构成该值的记录的链接。"""
    fig = _figure(request, name)
    unit, period = _unit_and_period(request, params)
    rows_api = reverse("api-1.0.0:figure-rows", args=[name])
    return {
        "name": fig.name,
        "label": fig.label,
        "unit_label": fig.unit_label,
        "unit": unit,
        "start": period.start,
        "end": period.last,
        "value": figures.value(name, unit, period),
        "breakdown": [
            {"key": key, "label": lbl, "value": v}
            for key, lbl, v in figures.breakdown(name, unit, period)
        ],
        "rows_url": figures.url(name, unit, period),
        "rows_api_url": f"{rows_api}?{_query(unit, period)}",
    }


@router.get(
    "/figures/{name}/rows",
    response={200: list[RowOut], **ERRORS},
    url_name="figure-rows",
    summary="指标对应的记录",
)
@paginate(Page)
def figure_rows(request: AuthedHttpRequest, name: str, params: Query[FigureQuery]) -> QuerySet[Any]:
    """构成指标值的记录（与 value 取自同一查询）。"""
    _figure(request, name)
    unit, period = _unit_and_period(request, params)
    rows = figures.rows(name, unit, period)
    return rows if rows.ordered else rows.order_by("pk")  # stable pages
