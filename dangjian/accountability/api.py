"""Accountability over /api/v1/: decisions (/accountability) and warning education."""

import datetime as dt
from typing import Annotated

from django.db.models import Q, QuerySet
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, In, Page, Ref, label, mf, ref, register_labels
from dangjian.core.scope import require
from dangjian.orgs.models import Unit
from dangjian.people.models import Person
from dangjian.rectification.models import Finding

from . import actions, queries
from .models import AccountabilityRecord, WarningSession

router = Router(tags=["追责问责"])


class FindingRef(Schema):
    id: int
    unit: Ref
    area: str
    description: str
    found_on: dt.date


class RecordOut(Schema):
    id: int
    unit: Ref
    form: str
    form_label: str
    sub_kind: str
    form_level: int
    form_level_label: str
    decided_on: dt.date
    document_number: str
    decided_by: str
    notes: str
    people: list[Ref]
    findings: list[FindingRef]
    url: str

    @staticmethod
    def resolve_form_label(obj: AccountabilityRecord) -> str:
        return obj.form_display

    @staticmethod
    def resolve_form_level_label(obj: AccountabilityRecord) -> str:
        return str(obj.get_form_level_display())

    @staticmethod
    def resolve_people(obj: AccountabilityRecord) -> list[Person]:
        return list(obj.people.all())

    @staticmethod
    def resolve_findings(obj: AccountabilityRecord) -> list[Finding]:
        return list(obj.findings.all())

    @staticmethod
    def resolve_url(obj: AccountabilityRecord) -> str:
        return obj.get_absolute_url()


class RecordFilter(FilterSchema):
    form: Annotated[AccountabilityRecord.Form | None, FilterLookup("form")] = Field(
        None, title="问责方式"
    )
    form_level: Annotated[int | None, FilterLookup("form_level")] = Field(
        None, title="形态", ge=1, le=4
    )
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("decided_on__year")] = Field(None, title="年度")

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()


class RecordCreate(In):
    unit: int = mf(AccountabilityRecord, "unit")
    findings: list[int] = Field(..., title="问题", min_length=1)
    people: list[int] = Field([], title="被问责人")
    form: AccountabilityRecord.Form = mf(AccountabilityRecord, "form")
    sub_kind: str = mf(AccountabilityRecord, "sub_kind", "")
    form_level: int | None = Field(None, title="形态", description="1–4；不填按问责方式默认")
    decided_on: dt.date = mf(AccountabilityRecord, "decided_on")
    decided_by: str = mf(AccountabilityRecord, "decided_by")
    document_number: str = mf(AccountabilityRecord, "document_number", "")
    notes: str = mf(AccountabilityRecord, "notes", "")


register_labels("accountability", RecordFilter, RecordCreate)


@router.get(
    "/accountability",
    response={200: list[RecordOut], **ERRORS},
    url_name="accountability-record-list",
    summary="问责决定列表",
)
@paginate(Page)
def record_list(
    request: AuthedHttpRequest, filters: Query[RecordFilter]
) -> QuerySet[AccountabilityRecord]:
    """本人可见范围内的问责决定，新的在前。"""
    require(request.user, "accountability.view")
    return filters.filter(queries.records_for(request.user)).order_by("-decided_on", "-id")


@router.get(
    "/accountability/{pk}",
    response={200: RecordOut, **ERRORS},
    url_name="accountability-record-detail",
    summary="问责决定详情",
)
def record_detail(request: AuthedHttpRequest, pk: int) -> AccountabilityRecord:
    try:
        rec = queries.records_for(request.user).get(pk=pk)
    except AccountabilityRecord.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc
    require(request.user, "accountability.view", rec.unit)
    return rec


@router.post(
    "/accountability",
    response={201: RecordOut, **ERRORS},
    url_name="accountability-record-create",
    summary="登记问责决定",
)
def record_create(request: AuthedHttpRequest, payload: RecordCreate) -> Status:
    """问题与被问责人须在责任单位及其下级单位；党纪处分、政务处分须填具体种类。"""
    user = request.user
    data = payload.model_dump()
    unit = ref(
        Unit.objects.for_user(user), data.pop("unit"), "unit", label(AccountabilityRecord, "unit")
    )
    finding_ids = data.pop("findings")
    findings = list(
        Finding.objects.for_user(user).filter(pk__in=finding_ids).select_related("unit")
    )
    if len(findings) != len(set(finding_ids)):
        raise ActionError("「问题」：未找到该记录", "findings", "问题")
    person_ids = data.pop("people")
    people = list(Person.objects.for_user(user).filter(pk__in=person_ids).select_related("unit"))
    if len(people) != len(set(person_ids)):
        raise ActionError("「被问责人」：未找到该人员", "people", "被问责人")
    rec = actions.record_create(
        actor=user, unit=unit, findings=findings, people=people, today=timezone.localdate(), **data
    )
    return Status(201, queries.records_for(user).get(pk=rec.pk))


# ---- warning education ----


class SessionOut(Schema):
    id: int
    unit: Ref
    held_on: dt.date
    kind: str
    kind_label: str
    topic: str
    expected_count: int
    present_count: int
    notes: str
    url: str

    @staticmethod
    def resolve_kind_label(obj: WarningSession) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj: WarningSession) -> str:
        return obj.get_absolute_url()


class SessionFilter(FilterSchema):
    kind: Annotated[WarningSession.Kind | None, FilterLookup("kind")] = Field(None, title="形式")
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("held_on__year")] = Field(None, title="年度")

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()


class SessionCreate(In):
    unit: int = mf(WarningSession, "unit")
    held_on: dt.date = mf(WarningSession, "held_on")
    kind: WarningSession.Kind = mf(WarningSession, "kind")
    topic: str = mf(WarningSession, "topic")
    expected_count: int = mf(WarningSession, "expected_count", ge=0)
    present_count: int = mf(WarningSession, "present_count", ge=0)
    notes: str = mf(WarningSession, "notes", "")


register_labels("warning-education", SessionFilter, SessionCreate)


@router.get(
    "/warning-education",
    response={200: list[SessionOut], **ERRORS},
    url_name="warning-session-list",
    summary="警示教育列表",
)
@paginate(Page)
def session_list(
    request: AuthedHttpRequest, filters: Query[SessionFilter]
) -> QuerySet[WarningSession]:
    """本人可见范围内的警示教育，新的在前。"""
    require(request.user, "accountability.session_view")
    return filters.filter(queries.sessions_for(request.user)).order_by("-held_on", "-id")


@router.get(
    "/warning-education/{pk}",
    response={200: SessionOut, **ERRORS},
    url_name="warning-session-detail",
    summary="警示教育详情",
)
def session_detail(request: AuthedHttpRequest, pk: int) -> WarningSession:
    try:
        session = queries.sessions_for(request.user).get(pk=pk)
    except WarningSession.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc
    require(request.user, "accountability.session_view", session.unit)
    return session


@router.post(
    "/warning-education",
    response={201: SessionOut, **ERRORS},
    url_name="warning-session-create",
    summary="登记警示教育",
)
def session_create(request: AuthedHttpRequest, payload: SessionCreate) -> Status:
    """照片和附件请在页面上传。"""
    user = request.user
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(user), data.pop("unit"), "unit", label(WarningSession, "unit"))
    session = actions.session_create(actor=user, unit=unit, today=timezone.localdate(), **data)
    return Status(201, session)
