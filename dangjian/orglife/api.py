"""Organisational life over /api/v1/: meetings, a branch's compliance calendar, checklists."""

import datetime as dt
from typing import Annotated

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import ActionError
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, In, Page, Ref, label, mf, ref, register_labels
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import PartyOrg
from dangjian.party.models import PartyMember
from dangjian.people.models import Person

from . import actions, queries, rules
from .models import Attendance, Meeting, StandardChecklist, StandardItem

router = Router(tags=["组织生活"])


class AttendanceOut(Schema):
    member_id: int
    name: str
    status: str
    status_label: str
    reason: str
    grade: str

    @staticmethod
    def resolve_name(obj: Attendance) -> str:
        return obj.member.person.name

    @staticmethod
    def resolve_status_label(obj: Attendance) -> str:
        return obj.get_status_display()


class MeetingOut(Schema):
    id: int
    org: Ref
    unit: Ref
    kind: str
    kind_label: str
    also_counts_as: list[str]
    held_on: dt.date
    place: str
    topics: str
    host: Ref | None
    minutes: str
    expected_count: int
    present_count: int
    excused_count: int
    absent_count: int
    entered_on: dt.date
    is_late_entry: bool
    url: str

    @staticmethod
    def resolve_unit(obj: Meeting) -> dict[str, object]:
        return {"id": obj.org.unit_id, "name": obj.org.unit.name}

    @staticmethod
    def resolve_kind_label(obj: Meeting) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return obj.get_absolute_url()


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut]

    @staticmethod
    def resolve_attendance(obj: Meeting) -> list[Attendance]:
        return list(obj.attendance.select_related("member__person"))


class MeetingFilter(FilterSchema):
    kind: Annotated[Meeting.Kind | None, FilterLookup("tags__kind")] = Field(
        None, title="会议类型", description="含“同时计为”该类型的会议"
    )
    org: Annotated[int | None, FilterLookup("org_id")] = Field(None, title="党组织")
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("held_on__year")] = Field(None, title="年度")
    month: Annotated[int | None, FilterLookup("held_on__month")] = Field(None, title="月份")

    def filter_unit(self, value: int | None) -> Q:
        return Q(org__unit__path__contains=f"/{value}/") if value else Q()


class AttendanceIn(In):
    member: int = Field(..., title="党员")
    status: Attendance.Status = mf(Attendance, "status")
    reason: str = mf(Attendance, "reason", "")
    grade: Attendance.Grade | None = mf(Attendance, "grade", None)


class MeetingCreate(In):
    org: int = mf(Meeting, "org")
    kind: Meeting.Kind = mf(Meeting, "kind")
    also_counts_as: list[Meeting.Kind] = Field([], title="同时计为")
    held_on: dt.date = mf(Meeting, "held_on")
    place: str = mf(Meeting, "place", "")
    topics: str = mf(Meeting, "topics", "")
    host: int | None = mf(Meeting, "host", None)
    minutes: str = mf(Meeting, "minutes", "")
    attendance: list[AttendanceIn] = Field([], title="出勤")


register_labels("meetings", MeetingFilter, MeetingCreate, AttendanceIn)


def _meetings(request: AuthedHttpRequest) -> QuerySet[Meeting]:
    return Meeting.objects.for_user(request.user).select_related("org__unit", "host")


@router.get(
    "/meetings",
    response={200: list[MeetingOut], **ERRORS},
    url_name="meeting-list",
    summary="组织生活记录列表",
)
@paginate(Page)
def meeting_list(request: AuthedHttpRequest, filters: Query[MeetingFilter]) -> QuerySet[Meeting]:
    """本人可见范围内的会议（三会一课、主题党日等），新的在前。"""
    require(request.user, "orglife.view")
    return filters.filter(_meetings(request)).order_by("-held_on", "-id")


@router.get(
    "/meetings/{pk}",
    response={200: MeetingDetailOut, **ERRORS},
    url_name="meeting-detail",
    summary="组织生活记录详情",
)
def meeting_detail(request: AuthedHttpRequest, pk: int) -> Meeting:
    require(request.user, "orglife.view")
    try:
        return _meetings(request).get(pk=pk)
    except Meeting.DoesNotExist as exc:
        from dangjian.core.errors import OutOfScope

        raise OutOfScope("未找到该记录") from exc


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, **ERRORS},
    url_name="meeting-create",
    summary="登记组织生活",
)
def meeting_create(request: AuthedHttpRequest, payload: MeetingCreate) -> Status:
    """出勤按党员 id 逐人登记；未出席须填原因。附件请在页面上传。"""
    user = request.user
    data = payload.model_dump()
    org = ref(
        PartyOrg.objects.for_user(user).select_related("unit", "parent"),
        data.pop("org"),
        "org",
        label(Meeting, "org"),
    )
    host_id = data.pop("host")
    host = (
        ref(Person.objects.for_user(user), host_id, "host", label(Meeting, "host"))
        if host_id is not None
        else None
    )
    rows = data.pop("attendance")
    members = {
        m.pk: m
        for m in PartyMember.objects.for_user(user)
        .filter(pk__in=[r["member"] for r in rows])
        .select_related("person")
    }
    attendance = []
    for r in rows:
        member = members.get(r["member"])
        if member is None:
            raise ActionError("「出勤」：未找到该党员", "attendance", "出勤")
        attendance.append(actions.AttendanceIn(member, r["status"], r["reason"], r["grade"] or ""))
    meeting = actions.meeting_create(actor=user, org=org, host=host, attendance=attendance, **data)
    return Status(201, meeting)


# ---- compliance ----


class PeriodOut(Schema):
    span: str
    key: str
    label: str
    start: dt.date
    last: dt.date


class CellOut(Schema):
    kind: str
    kind_label: str
    period: PeriodOut
    verdict: str
    verdict_label: str
    level: str
    count: int
    minimum: int


class BranchComplianceOut(Schema):
    id: int
    name: str
    unit: Ref
    cells: list[CellOut]
    owed_now: list[CellOut]


class ComplianceOut(Schema):
    org: Ref
    year: int
    today: dt.date
    branches: list[BranchComplianceOut]


def _cell(c: rules.Cell) -> dict[str, object]:
    return {
        "kind": c.kind.value,
        "kind_label": rules.KIND_LABELS[c.kind],
        "period": {
            "span": c.period.span.value,
            "key": c.period.key,
            "label": c.period.label,
            "start": c.period.start,
            "last": c.period.last,
        },
        "verdict": c.verdict.value,
        "verdict_label": c.label,
        "level": c.level,
        "count": c.count,
        "minimum": c.minimum,
    }


@router.get(
    "/party-orgs/{pk}/compliance",
    response={200: ComplianceOut, **ERRORS},
    url_name="partyorg-compliance",
    summary="党组织组织生活日历",
)
def partyorg_compliance(
    request: AuthedHttpRequest, pk: int, year: int | None = Query(None, title="年度")
) -> dict[str, object]:
    """该党支部（或该党组织下各党支部）全年每月、每季度、全年各项组织生活：met 已完成、
    missed 未完成、at_risk 即将到期、open 进行中、not_applicable 不适用（RULES.md §3.4）。"""
    require(request.user, "orglife.view")
    org = get_scoped(PartyOrg, request.user, pk=pk)
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= 2100:
        raise ActionError("「年度」：请输入有效年度", "year", "年度")
    rollup = queries.compliance(year, today, org_ids=[org.pk])
    return {
        "org": {"id": org.pk, "name": org.name},
        "year": year,
        "today": today,
        "branches": [
            {
                "id": b.id,
                "name": b.name,
                "unit": {"id": b.unit_id, "name": b.unit_name},
                "cells": [_cell(c) for c in b.cells],
                "owed_now": [_cell(c) for c in rules.owed_now(b.cells, today)],
            }
            for b in rollup.branches
        ],
    }


# ---- checklists (read) ----


class ItemOut(Schema):
    position: int
    text: str
    max_score: int


class ChecklistOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    year: int
    pass_score: int
    is_active: bool
    unit: Ref
    items: list[ItemOut]

    @staticmethod
    def resolve_kind_label(obj: StandardChecklist) -> str:
        return obj.get_kind_display()


def _checklists(request: AuthedHttpRequest) -> QuerySet[StandardChecklist]:
    return (
        StandardChecklist.objects.for_user(request.user)
        .select_related("unit")
        .prefetch_related(Prefetch("items", queryset=StandardItem.objects.order_by("position")))
    )


@router.get(
    "/standard-checklists",
    response={200: list[ChecklistOut], **ERRORS},
    url_name="standard-checklist-list",
    summary="标准化检查表列表",
)
@paginate(Page)
def checklist_list(request: AuthedHttpRequest) -> QuerySet[StandardChecklist]:
    """本单位及上级单位制定的“五好”党支部、“八上墙”等检查表。"""
    require(request.user, "orglife.view")
    return _checklists(request)


@router.get(
    "/standard-checklists/{pk}",
    response={200: ChecklistOut, **ERRORS},
    url_name="standard-checklist-detail",
    summary="标准化检查表详情",
)
def checklist_detail(request: AuthedHttpRequest, pk: int) -> StandardChecklist:
    require(request.user, "orglife.view")
    return get_scoped(StandardChecklist, request.user, pk=pk)
