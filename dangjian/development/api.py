"""/api/v1/development-records: the 发展党员 pipeline, with the rules' violations and warnings
on every record (same scope and actions as the pages)."""

import datetime as dt
from typing import Annotated

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import ActionError
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, In, Page, Ref, label, mf, ref, register_labels
from dangjian.core.scope import require
from dangjian.people.models import Person

from . import actions, queries, rules
from .models import DevelopmentRecord, Step

router = Router(tags=["发展党员"])


class FindingOut(Schema):
    rule: str = Field(..., title="规则编号", description="RULES.md 第2节的编号，如 2.3-7")
    message: str = Field(..., title="说明")
    field: str | None = Field(None, title="字段")
    due: dt.date | None = Field(None, title="期限")


class StepOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: int = Field(..., title="步骤序号", description="RULES.md 2.3 的25个步骤之一；0 为其他")
    on: dt.date
    people: list[Ref]
    notes: str
    training_days: int | None
    training_hours: int | None
    votes_due: int | None
    votes_present: int | None
    votes_yes: int | None
    extension_months: int | None
    received_on: dt.date | None
    warnings: list[FindingOut]

    @staticmethod
    def resolve_kind_label(obj: Step) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_number(obj: Step) -> int:
        return obj.kind_info.number

    @staticmethod
    def resolve_people(obj: Step) -> list[Person]:
        return list(obj.people.all())


class NextStepOut(Schema):
    kind: str
    label: str


def _standing(obj: DevelopmentRecord) -> tuple[list[rules.Finding], list[rules.Finding]]:
    cached = getattr(obj, "_standing", None)
    if cached is None:
        cached = obj.standing(timezone.localdate())
        obj._standing = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[no-any-return]


class RecordOut(Schema):
    id: int
    person: Ref
    branch: Ref
    unit: Ref
    status: str
    status_label: str
    applied_on: dt.date
    received_on: dt.date | None
    talk_on: dt.date | None
    activist_on: dt.date | None
    candidate_on: dt.date | None
    political_review_on: dt.date | None
    training_met: bool
    admitted_on: dt.date | None
    approved_on: dt.date | None
    oath_on: dt.date | None
    extension_months: int
    probation_ends_on: dt.date | None
    full_meeting_on: dt.date | None
    full_approved_on: dt.date | None
    terminated_on: dt.date | None
    key_teacher_at_application: bool
    became_key_teacher_on: dt.date | None
    member_id: int | None
    next_due_on: dt.date | None
    next_due_label: str
    next_steps: list[NextStepOut]
    violations: list[FindingOut] = Field(..., title="违反规定（硬性规则）")
    warnings: list[FindingOut] = Field(..., title="提醒（期限将到或已过）")
    url: str

    @staticmethod
    def resolve_unit(obj: DevelopmentRecord) -> object:
        return obj.branch.unit

    @staticmethod
    def resolve_status_label(obj: DevelopmentRecord) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_next_steps(obj: DevelopmentRecord) -> list[dict[str, str]]:
        return [{"kind": k.code, "label": k.label} for k in rules.next_kinds(obj.facts())]

    @staticmethod
    def resolve_violations(obj: DevelopmentRecord) -> list[dict[str, str | None]]:
        return [f.as_dict() for f in _standing(obj)[0]]

    @staticmethod
    def resolve_warnings(obj: DevelopmentRecord) -> list[dict[str, str | None]]:
        return [f.as_dict() for f in _standing(obj)[1]]

    @staticmethod
    def resolve_url(obj: DevelopmentRecord) -> str:
        return obj.get_absolute_url()


class RecordDetailOut(RecordOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: DevelopmentRecord) -> list[Step]:
        return list(obj.steps.all())


class RecordFilter(FilterSchema):
    status: DevelopmentRecord.Status | None = Field(None, title="当前阶段")
    branch: Annotated[int | None, FilterLookup("branch_id")] = Field(
        None, title="所在党组织", description="党组织 id"
    )
    unit: int | None = Field(None, title="单位", description="单位 id：含其下级单位")
    due: str | None = Field(
        None, title="期限提醒", description="overdue 已逾期、soon 即将到期、any 有提醒"
    )
    q: str | None = Field(None, title="搜索", description="姓名包含")

    def filter_unit(self, value: int | None) -> Q:
        return Q(branch__unit__path__contains=f"/{value}/") if value else Q()

    def filter_due(self, value: str | None) -> Q:
        if value not in {"overdue", "soon", "any"}:
            return Q()
        return queries.due_q(value, timezone.localdate())

    def filter_q(self, value: str | None) -> Q:
        value = (value or "").strip()
        return Q(person__name__contains=value) if value else Q()


class RecordCreateIn(In):
    person: int = Field(..., title="申请人", description="人员 id")
    branch: int = Field(..., title="所在党组织", description="党组织 id")
    applied_on: dt.date = mf(DevelopmentRecord, "applied_on")
    received_on: dt.date | None = mf(DevelopmentRecord, "received_on", None)
    notes: str = Field("", title="说明", max_length=2000)


class StepIn(In):
    # both are checked after the record is found, so another school's record reads as 404
    kind: str = Field(
        "",
        title="步骤",
        max_length=30,
        description="步骤代码（RULES.md 2.3）："
        + "、".join(f"{k.code} {k.label}" for k in rules.STEP_KINDS if k.code != "application"),
    )
    on: dt.date | None = Field(None, title="日期", description="必填")
    people: list[int] = Field([], title="相关人员", description="培养联系人、入党介绍人等的人员 id")
    notes: str = Field("", title="说明", max_length=2000, description="终止发展时为终止原因")
    training_days: int | None = mf(Step, "training_days", None, ge=0, le=60)
    training_hours: int | None = mf(Step, "training_hours", None, ge=0, le=500)
    votes_due: int | None = mf(Step, "votes_due", None, ge=0)
    votes_present: int | None = mf(Step, "votes_present", None, ge=0)
    votes_yes: int | None = mf(Step, "votes_yes", None, ge=0)
    extension_months: int | None = mf(Step, "extension_months", None, ge=0, le=24)
    received_on: dt.date | None = mf(Step, "received_on", None)


register_labels("development-records", RecordFilter, RecordCreateIn)
register_labels("development-records/steps", StepIn)


def _records(request: AuthedHttpRequest) -> QuerySet[DevelopmentRecord]:
    return queries.records_for(request.user).select_related("member")


def _one(request: AuthedHttpRequest, pk: int) -> DevelopmentRecord:
    require(request.user, "development.view")
    from dangjian.core.errors import OutOfScope

    steps = Prefetch(
        "steps",
        queryset=Step.objects.prefetch_related("people").order_by("on", "pk"),
    )
    try:
        return _records(request).prefetch_related(steps).get(pk=pk)
    except DevelopmentRecord.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc


@router.get(
    "/development-records",
    response={200: list[RecordOut], **ERRORS},
    url_name="development-record-list",
    summary="发展党员记录列表",
)
@paginate(Page)
def record_list(
    request: AuthedHttpRequest, filters: Query[RecordFilter]
) -> QuerySet[DevelopmentRecord]:
    """发展党员记录（仅本人可见范围内），每条带 violations（违反规定）和 warnings（提醒）。"""
    require(request.user, "development.view")
    return filters.filter(_records(request))


@router.get(
    "/development-records/{pk}",
    response={200: RecordDetailOut, **ERRORS},
    url_name="development-record-detail",
    summary="发展党员记录详情",
)
def record_detail(request: AuthedHttpRequest, pk: int) -> DevelopmentRecord:
    """一条发展记录及其全部步骤。"""
    return _one(request, pk)


@router.post(
    "/development-records",
    response={201: RecordDetailOut, **ERRORS},
    url_name="development-record-create",
    summary="登记入党申请",
)
def record_create(request: AuthedHttpRequest, payload: RecordCreateIn) -> Status:
    """登记入党申请（第1步：递交入党申请书）。未满18周岁等违反硬性规则时返回400。"""
    user = request.user
    person = ref(queries.applicants_for(user), payload.person, "person", "申请人")
    branch = ref(queries.branches_for(user), payload.branch, "branch", "所在党组织")
    record = actions.record_create(
        actor=user,
        person=person,
        branch=branch,
        applied_on=payload.applied_on,
        received_on=payload.received_on,
        notes=payload.notes,
    )
    return Status(201, _one(request, record.pk))


@router.post(
    "/development-records/{pk}/steps",
    response={201: RecordDetailOut, **ERRORS},
    url_name="development-record-step-create",
    summary="记录发展步骤",
)
def step_create(request: AuthedHttpRequest, pk: int, payload: StepIn) -> Status:
    """记录一个发展步骤。违反硬性规则（如入党积极分子不满一年确定为发展对象）时返回400，
    message 中写明规则编号；软性规则（期限）记入 warnings。"""
    user = request.user
    record = _one(request, pk)
    data = payload.model_dump()
    kind = data.pop("kind")
    if not kind:
        raise ActionError("「步骤」：不能为空", field="kind", label="步骤")
    if data["on"] is None:
        raise ActionError("「日期」：不能为空", field="on", label="日期")
    if kind == "application":
        raise ActionError("「步骤」：入党申请在登记记录时已记录", field="kind", label="步骤")
    if kind == "termination":
        try:
            actions.record_terminate(actor=user, record=record, on=data["on"], reason=data["notes"])
        except ActionError as exc:
            if exc.field == "termination_reason":
                exc.field, exc.label = "notes", "说明"
            raise
        return Status(201, _one(request, pk))
    people_qs = Person.objects.for_user(user)
    people = [ref(people_qs, p, "people", label(Step, "people")) for p in data.pop("people")]
    actions.step_record(actor=user, record=record, kind=kind, people=people, **data)
    return Status(201, _one(request, pk))
