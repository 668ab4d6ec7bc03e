"""Inspections and checklists over /api/v1/ (the same actions and scoped reads as the pages)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.models import User
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import (
    ERRORS,
    In,
    Page,
    Ref,
    label,
    mf,
    ref,
    ref_or_none,
    register_labels,
)
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import Unit

from . import actions, queries
from .models import Campaign, Checklist, ChecklistItem, Inspection, Result

router = Router(tags=["督查"])


class ItemOut(Schema):
    id: int
    position: int
    area: str
    text: str
    standard: str
    score: int


class ChecklistOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    unit: Ref
    items: list[ItemOut]


class ResultOut(Schema):
    item_id: int
    verdict: str
    verdict_label: str
    score: Decimal
    note: str

    @staticmethod
    def resolve_verdict_label(obj: Result) -> str:
        return obj.get_verdict_display()


class InspectionOut(Schema):
    id: int
    unit: Ref
    kind: str
    kind_label: str
    status: str
    status_label: str
    planned_on: dt.date
    held_on: dt.date | None
    title: str
    notes: str
    unannounced: bool
    plan_id: int | None
    checklist_id: int | None
    campaign_id: int | None
    lead_inspector_id: int | None
    url: str

    @staticmethod
    def resolve_kind_label(obj: Inspection) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Inspection) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: Inspection) -> str:
        return obj.get_absolute_url()


class InspectionDetailOut(InspectionOut):
    results: list[ResultOut]

    @staticmethod
    def resolve_results(obj: Inspection) -> list[Result]:
        return list(obj.results.all())


class InspectionFilter(FilterSchema):
    kind: Annotated[Inspection.Kind | None, FilterLookup("kind")] = Field(None, title="检查方式")
    status: Annotated[Inspection.Status | None, FilterLookup("status")] = Field(None, title="状态")
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("planned_on__year")] = Field(None, title="年度")
    month: Annotated[int | None, FilterLookup("planned_on__month")] = Field(None, title="月份")
    campaign: Annotated[int | None, FilterLookup("campaign_id")] = Field(None, title="专项整治")

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()


class InspectionCreate(In):
    unit: int = mf(Inspection, "unit")
    kind: Inspection.Kind = mf(Inspection, "kind")
    planned_on: dt.date = mf(Inspection, "planned_on")
    title: str = mf(Inspection, "title", "")
    checklist: int | None = mf(Inspection, "checklist", None)
    campaign: int | None = mf(Inspection, "campaign", None)
    lead_inspector: int | None = mf(Inspection, "lead_inspector", None)
    unannounced: bool = mf(Inspection, "unannounced", False)


class StartIn(In):
    held_on: dt.date | None = mf(Inspection, "held_on", None, description="默认今天")


class CompleteIn(In):
    held_on: dt.date | None = mf(Inspection, "held_on", None, description="默认开始日期或今天")
    notes: str | None = mf(Inspection, "notes", None)


register_labels("inspections", InspectionFilter, InspectionCreate, StartIn, CompleteIn)


def _inspections(request: AuthedHttpRequest) -> QuerySet[Inspection]:
    return queries.inspections_for(request.user)


def _inspection(request: AuthedHttpRequest, pk: int) -> Inspection:
    require(request.user, "supervision.view")
    get_scoped(Inspection, request.user, pk=pk)
    return _inspections(request).prefetch_related("results").get(pk=pk)


@router.get(
    "/inspections",
    response={200: list[InspectionOut], **ERRORS},
    url_name="inspection-list",
    summary="督查列表",
)
@paginate(Page)
def inspection_list(
    request: AuthedHttpRequest, filters: Query[InspectionFilter]
) -> QuerySet[Inspection]:
    """本人可见范围内的督查（暗访在开始前对受检学校不可见），计划日期新的在前。"""
    require(request.user, "supervision.view")
    return filters.filter(_inspections(request)).order_by("-planned_on", "-id")


@router.get(
    "/inspections/{pk}",
    response={200: InspectionDetailOut, **ERRORS},
    url_name="inspection-detail",
    summary="督查详情",
)
def inspection_detail(request: AuthedHttpRequest, pk: int) -> Inspection:
    return _inspection(request, pk)


@router.post(
    "/inspections",
    response={201: InspectionDetailOut, **ERRORS},
    url_name="inspection-create",
    summary="新建督查",
)
def inspection_create(request: AuthedHttpRequest, payload: InspectionCreate) -> Status:
    """学校只能新建本校自查；学区巡查、挂联复查、抽查、暗访由学区、督导员和教育局安排。"""
    user = request.user
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(user), data.pop("unit"), "unit", label(Inspection, "unit"))
    checklist = ref_or_none(
        Checklist.objects.for_user(user), data.pop("checklist"), "checklist", "督查清单"
    )
    campaign = ref_or_none(
        Campaign.objects.for_user(user), data.pop("campaign"), "campaign", "专项整治"
    )
    lead = ref_or_none(
        User.objects.for_user(user), data.pop("lead_inspector"), "lead_inspector", "检查组长"
    )
    inspection = actions.inspection_create(
        actor=user, unit=unit, checklist=checklist, campaign=campaign, lead_inspector=lead, **data
    )
    return Status(201, _inspection(request, inspection.pk))


@router.post(
    "/inspections/{pk}/start",
    response={200: InspectionDetailOut, **ERRORS},
    url_name="inspection-start",
    summary="开始督查",
)
def inspection_start(request: AuthedHttpRequest, pk: int, payload: StartIn) -> Inspection:
    inspection = _inspection(request, pk)
    actions.inspection_start(
        actor=request.user,
        inspection=inspection,
        held_on=payload.held_on or timezone.localdate(),
    )
    return _inspection(request, pk)


@router.post(
    "/inspections/{pk}/complete",
    response={200: InspectionDetailOut, **ERRORS},
    url_name="inspection-complete",
    summary="完成督查",
)
def inspection_complete(request: AuthedHttpRequest, pk: int, payload: CompleteIn) -> Inspection:
    """使用清单的督查须先在页面逐项登记结果。"""
    inspection = _inspection(request, pk)
    held_on = payload.held_on or inspection.held_on or timezone.localdate()
    actions.inspection_complete(
        actor=request.user, inspection=inspection, held_on=held_on, notes=payload.notes
    )
    return _inspection(request, pk)


# ---- checklists (read) ----


def _checklists(request: AuthedHttpRequest) -> QuerySet[Checklist]:
    return (
        Checklist.objects.for_user(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("items", queryset=ChecklistItem.objects.order_by("position")))
    )


@router.get(
    "/checklists",
    response={200: list[ChecklistOut], **ERRORS},
    url_name="checklist-list",
    summary="督查清单列表",
)
@paginate(Page)
def checklist_list(request: AuthedHttpRequest) -> QuerySet[Checklist]:
    """本单位及上级单位制定的督查清单，含各检查领域的项目、标准和分值。"""
    require(request.user, "supervision.view")
    return _checklists(request).order_by("-created_at", "-id")


@router.get(
    "/checklists/{pk}",
    response={200: ChecklistOut, **ERRORS},
    url_name="checklist-detail",
    summary="督查清单详情",
)
def checklist_detail(request: AuthedHttpRequest, pk: int) -> Checklist:
    require(request.user, "supervision.view")
    get_scoped(Checklist, request.user, pk=pk)
    return _checklists(request).get(pk=pk)
