"""Findings and rectification over /api/v1/: list/get/create findings; submit and verify."""

import base64
import binascii
import datetime as dt
from typing import Annotated, Literal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q, QuerySet
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.accounts.models import User
from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, In, Page, Ref, label, mf, ref, register_labels
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import Unit
from dangjian.supervision.models import Inspection

from . import actions, queries
from .models import Evidence, Finding, Rectification

router = Router(tags=["问题整改"])
MAX_FILES = 9


class UserRef(Schema):
    id: int
    name: str


def _user(u: User | None) -> dict[str, object] | None:
    return {"id": u.pk, "name": str(u)} if u is not None else None


class EvidenceOut(Schema):
    id: int
    kind: str
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_url(obj: Evidence) -> str:
        return obj.get_absolute_url()


class RectificationOut(Schema):
    id: int
    status: str
    status_label: str
    owner: UserRef | None
    measures: str
    period_days: int
    deadline: dt.date
    submitted_on: dt.date | None
    verified_on: dt.date | None
    verified_by: UserRef | None
    verification_note: str
    rejected_on: dt.date | None
    rejection_reasons: str
    reopen_count: int
    overdue_days: int
    escalation: str
    escalation_label: str

    @staticmethod
    def resolve_status_label(obj: Rectification) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_owner(obj: Rectification) -> dict[str, object] | None:
        return _user(obj.owner)

    @staticmethod
    def resolve_verified_by(obj: Rectification) -> dict[str, object] | None:
        return _user(obj.verified_by)

    @staticmethod
    def resolve_overdue_days(obj: Rectification) -> int:
        return obj.escalation(timezone.localdate()).overdue_days

    @staticmethod
    def resolve_escalation(obj: Rectification) -> str:
        return obj.escalation(timezone.localdate()).level.name.lower()

    @staticmethod
    def resolve_escalation_label(obj: Rectification) -> str:
        return obj.escalation(timezone.localdate()).label


class FindingOut(Schema):
    id: int
    unit: Ref
    inspection_id: int | None
    source: str
    source_label: str
    area: str
    description: str
    severity: str
    severity_label: str
    found_on: dt.date
    rule_broken: str
    recurrent: bool
    rectification: RectificationOut
    url: str

    @staticmethod
    def resolve_source_label(obj: Finding) -> str:
        return obj.get_source_display()

    @staticmethod
    def resolve_severity_label(obj: Finding) -> str:
        return obj.get_severity_display()

    @staticmethod
    def resolve_url(obj: Finding) -> str:
        return obj.get_absolute_url()


class FindingDetailOut(FindingOut):
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Finding) -> list[Evidence]:
        return list(obj.evidence.all())


class FindingFilter(FilterSchema):
    source: Annotated[Finding.Source | None, FilterLookup("source")] = Field(None, title="来源")
    severity: Annotated[Finding.Severity | None, FilterLookup("severity")] = Field(
        None, title="严重程度"
    )
    status: Annotated[Rectification.Status | None, FilterLookup("rectification__status")] = Field(
        None, title="整改状态"
    )
    overdue: bool | None = Field(None, title="已逾期", description="true：已过整改期限仍未整改")
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("found_on__year")] = Field(None, title="年度")
    month: Annotated[int | None, FilterLookup("found_on__month")] = Field(None, title="月份")

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()

    def filter_overdue(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        q = queries.overdue_q(timezone.localdate())
        return q if value else ~q


class FindingCreate(In):
    unit: int = mf(Finding, "unit")
    source: Finding.Source = mf(Finding, "source")
    inspection: int | None = mf(Finding, "inspection", None)
    area: str = mf(Finding, "area")
    description: str = mf(Finding, "description")
    severity: Finding.Severity = mf(Finding, "severity")
    found_on: dt.date = mf(Finding, "found_on")
    rule_broken: str = mf(Finding, "rule_broken", "")
    owner: int | None = mf(Rectification, "owner", None)
    deadline: dt.date | None = mf(Rectification, "deadline", None)


class FileIn(In):
    name: str = Field(..., title="文件名", max_length=200)
    content_base64: str = Field(..., title="文件内容（base64）")


# every field has a default: the scope check comes before any complaint about the body
class SubmitIn(In):
    measures: str = mf(Rectification, "measures", "")
    evidence: list[FileIn] = Field([], title="整改佐证", description="jpg、png、pdf，base64")


class VerifyIn(In):
    result: Literal["pass", "fail"] | None = Field(None, title="验收结果")
    note: str = Field("", title="验收意见")
    reasons: str = Field("", title="退回原因")


register_labels("findings", FindingFilter, FindingCreate)
register_labels("rectifications", SubmitIn, VerifyIn, FileIn)


def _findings(request: AuthedHttpRequest) -> QuerySet[Finding]:
    return queries.findings_for(request.user).select_related("rectification__verified_by")


def _one(request: AuthedHttpRequest, pk: int) -> Finding:
    try:
        return _findings(request).get(pk=pk)
    except Finding.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc


@router.get(
    "/findings",
    response={200: list[FindingOut], **ERRORS},
    url_name="finding-list",
    summary="问题列表",
)
@paginate(Page)
def finding_list(request: AuthedHttpRequest, filters: Query[FindingFilter]) -> QuerySet[Finding]:
    """本人可见范围内的问题（督查发现和学校自查），连同整改情况，新的在前。"""
    require(request.user, "rectification.view")
    return filters.filter(_findings(request)).order_by("-found_on", "-id")


@router.get(
    "/findings/{pk}",
    response={200: FindingDetailOut, **ERRORS},
    url_name="finding-detail",
    summary="问题详情",
)
def finding_detail(request: AuthedHttpRequest, pk: int) -> Finding:
    require(request.user, "rectification.view")
    return _one(request, pk)


@router.post(
    "/findings",
    response={201: FindingDetailOut, **ERRORS},
    url_name="finding-create",
    summary="登记问题",
)
def finding_create(request: AuthedHttpRequest, payload: FindingCreate) -> Status:
    """整改期限不填时按严重程度（轻微7天、一般15天、严重30天）；学校只能登记自查问题。
    问题照片请在页面上传。"""
    user = request.user
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(user), data.pop("unit"), "unit", label(Finding, "unit"))
    inspection_id = data.pop("inspection")
    inspection = (
        ref(
            Inspection.objects.for_user(user),
            inspection_id,
            "inspection",
            label(Finding, "inspection"),
        )
        if inspection_id is not None
        else None
    )
    owner_id = data.pop("owner")
    owner = (
        ref(User.objects.filter(is_active=True), owner_id, "owner", label(Rectification, "owner"))
        if owner_id is not None
        else None
    )
    finding = actions.finding_create(
        actor=user, unit=unit, inspection=inspection, owner=owner, **data
    )
    return Status(201, _one(request, finding.pk))


def _files(items: list[FileIn]) -> list[SimpleUploadedFile]:
    out = []
    if len(items) > MAX_FILES:
        raise ActionError(f"「整改佐证」：最多{MAX_FILES}个文件", "evidence", "整改佐证")
    for item in items:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ActionError(
                f"「整改佐证」：{item.name} 不是有效的 base64", "evidence", "整改佐证"
            ) from exc
        out.append(SimpleUploadedFile(item.name, content))
    return out


@router.post(
    "/rectifications/{pk}/submit",
    response={200: FindingDetailOut, **ERRORS},
    url_name="rectification-submit",
    summary="提交整改",
)
def rectification_submit(request: AuthedHttpRequest, pk: int, payload: SubmitIn) -> Finding:
    """学校提交整改措施和整改后的照片或材料（首次提交须至少一个文件）。"""
    rect = get_scoped(Rectification, request.user, pk=pk)
    actions.rectification_submit(
        actor=request.user,
        rectification=rect,
        measures=payload.measures,
        evidence=_files(payload.evidence),
    )
    return _one(request, rect.finding_id)


@router.post(
    "/rectifications/{pk}/verify",
    response={200: FindingDetailOut, **ERRORS},
    url_name="rectification-verify",
    summary="验收整改",
)
def rectification_verify(request: AuthedHttpRequest, pk: int, payload: VerifyIn) -> Finding:
    """result=pass 验收通过（销号）；result=fail 退回重改，须写 reasons，新的整改期限自退回之日
    起按原期限重新计算。验收人不能是整改责任人或提交人。"""
    rect = get_scoped(Rectification, request.user, pk=pk)
    if payload.result == "pass":
        actions.rectification_verify(actor=request.user, rectification=rect, note=payload.note)
    elif payload.result == "fail":
        actions.rectification_reject(
            actor=request.user, rectification=rect, reasons=payload.reasons
        )
    else:
        require(request.user, "rectification.rectification_verify", rect.unit)
        raise ActionError(
            "「验收结果」：请选择 pass（通过）或 fail（不通过）", "result", "验收结果"
        )
    return _one(request, rect.finding_id)
