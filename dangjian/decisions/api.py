"""三重一大 over /api/v1/: agenda items (each with its flags, each flag naming its rule) and
decision meetings; schools create and file items, the bureau and discipline inspection review
them. The same scoped reads and actions as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.periods import Period
from dangjian.core.schemas import ERRORS, In, Page, Ref, label, mf, ref, register_labels
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import Unit

from . import actions, queries
from .models import (
    AgendaItem,
    Attachment,
    Body,
    Category,
    DecisionCategory,
    DecisionMeeting,
    Execution,
    FlagCode,
    ItemFlag,
    ItemReview,
    MeetingItem,
    Step,
)

router = Router(tags=["三重一大"])
ANY_FLAG = "any"


def _today() -> dt.date:
    return timezone.localdate()


class FlagOut(Schema):
    code: str = Field(..., description="问题类型代码，如 no_quorum")
    label: str = Field(..., description="问题类型")
    rule: str = Field(..., description="所依据的规则")
    severity: str = Field(..., description="violation 违规 / warning 预警")
    detail: str = Field(..., description="具体情况")

    @staticmethod
    def resolve_label(obj: ItemFlag) -> str:
        return obj.get_code_display()


class ReviewOut(Schema):
    decision: str
    decision_label: str
    opinion: str
    reviewed_on: dt.date
    reviewer: str | None

    @staticmethod
    def resolve_decision_label(obj: ItemReview) -> str:
        return obj.get_decision_display()

    @staticmethod
    def resolve_reviewer(obj: ItemReview) -> str | None:
        return str(obj.reviewer) if obj.reviewer_id else None


class MilestoneOut(Schema):
    id: int
    position: int
    text: str
    due_on: dt.date
    done_on: dt.date | None
    note: str


class ExecutionOut(Schema):
    id: int
    responsible_name: str
    started_on: dt.date
    due_on: dt.date
    completed_on: dt.date | None
    overdue: bool
    progress: str
    report: str
    evidence_note: str
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_overdue(obj: Execution) -> bool:
        return obj.overdue_on(_today())

    @staticmethod
    def resolve_milestones(obj: Execution) -> list[Any]:
        return list(obj.milestones.all())


class SpotCheckOut(Schema):
    id: int
    checked_on: dt.date
    result: str
    result_label: str
    note: str
    finding_id: int | None

    @staticmethod
    def resolve_result_label(obj: Any) -> str:
        return str(obj.get_result_display())


class AttachmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    size: int
    content_type: str
    url: str

    @staticmethod
    def resolve_kind_label(obj: Attachment) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj: Attachment) -> str:
        return obj.get_absolute_url()


def _meeting_item(obj: AgendaItem) -> MeetingItem | None:
    try:
        return obj.discussion
    except MeetingItem.DoesNotExist:
        return None


class DecisionItemOut(Schema):
    id: int
    unit: Ref
    category: str
    category_label: str
    subcategory: Ref | None
    title: str
    content: str
    amount: Decimal | None
    payee: str
    steps_done: list[str]
    planned_body: str
    planned_meeting_on: dt.date | None
    proposer: str
    status: str
    status_label: str
    filed_on: dt.date | None
    approved_on: dt.date | None
    return_count: int
    decided_on: dt.date | None
    meeting_id: int | None = Field(None, description="决策会议")
    result: str | None = Field(None, description="表决结果：passed / not_passed")
    flags: list[FlagOut] = Field(..., description="当前的问题提示，每项写明所依据的规则")
    url: str

    @staticmethod
    def resolve_category_label(obj: AgendaItem) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_subcategory(obj: AgendaItem) -> dict[str, Any] | None:
        sub = obj.subcategory
        return {"id": sub.pk, "name": sub.name} if sub is not None else None

    @staticmethod
    def resolve_status_label(obj: AgendaItem) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_meeting_id(obj: AgendaItem) -> int | None:
        mi = _meeting_item(obj)
        return mi.meeting_id if mi is not None else None

    @staticmethod
    def resolve_result(obj: AgendaItem) -> str | None:
        mi = _meeting_item(obj)
        return mi.result if mi is not None else None

    @staticmethod
    def resolve_flags(obj: AgendaItem) -> list[ItemFlag]:
        today = _today()
        return [f for f in obj.flag_rows.all() if f.active_on(today)]

    @staticmethod
    def resolve_url(obj: AgendaItem) -> str:
        return obj.get_absolute_url()


class DecisionItemDetailOut(DecisionItemOut):
    steps_note: str
    reviews: list[ReviewOut]
    execution: ExecutionOut | None
    spot_checks: list[SpotCheckOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_reviews(obj: AgendaItem) -> list[Any]:
        return list(obj.reviews.select_related("reviewer"))

    @staticmethod
    def resolve_execution(obj: AgendaItem) -> Execution | None:
        try:
            return obj.execution
        except Execution.DoesNotExist:
            return None

    @staticmethod
    def resolve_spot_checks(obj: AgendaItem) -> list[Any]:
        return list(obj.spot_checks.order_by("-checked_on", "-pk"))

    @staticmethod
    def resolve_attachments(obj: AgendaItem) -> list[Any]:
        return list(obj.attachments.all())


class DecisionItemFilter(FilterSchema):
    category: Annotated[Category | None, FilterLookup("category")] = Field(None, title="类别")
    status: Annotated[AgendaItem.Status | None, FilterLookup("status")] = Field(None, title="状态")
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    flag: FlagCode | None = Field(None, title="问题提示", description="有该问题提示的议题")
    flagged: bool | None = Field(None, title="有问题提示", description="true：有任一问题提示")
    year: int | None = Field(
        None, title="年度", ge=1949, le=2100, description="该年度报备（未报备的按决策日期）"
    )

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()

    def filter_flag(self, value: str | None) -> Q:
        if not value:
            return Q()
        rows = ItemFlag.objects.filter(ItemFlag.active_q(_today()), code=value)
        return Q(pk__in=rows.values("item_id"))

    def filter_flagged(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        q = Q(pk__in=ItemFlag.objects.filter(ItemFlag.active_q(_today())).values("item_id"))
        return q if value else ~q

    def filter_year(self, value: int | None) -> Q:
        return queries.in_period_q(Period.year(value)) if value else Q()


class DecisionItemCreate(In):
    unit: int = mf(AgendaItem, "unit")
    category: Category = mf(AgendaItem, "category")
    subcategory: int | None = mf(AgendaItem, "subcategory", None)
    title: str = mf(AgendaItem, "title")
    content: str = mf(AgendaItem, "content")
    amount: Decimal | None = mf(AgendaItem, "amount", None, gt=0, decimal_places=2)
    payee: str = mf(AgendaItem, "payee", "")
    steps_done: list[Step] = mf(AgendaItem, "steps_done", [])
    steps_note: str = mf(AgendaItem, "steps_note", "")
    planned_body: Body = mf(AgendaItem, "planned_body", Body.PARTY_ORG_MEETING)
    planned_meeting_on: dt.date | None = mf(AgendaItem, "planned_meeting_on", None)
    proposer: str = mf(AgendaItem, "proposer", "")


# every field has a default: the scope check comes before any complaint about the body
class ReviewIn(In):
    decision: ItemReview.Decision | None = mf(ItemReview, "decision", None)
    opinion: str = mf(ItemReview, "opinion", "")


register_labels("decision-items", DecisionItemFilter, DecisionItemCreate, ReviewIn)


def _items(request: AuthedHttpRequest) -> QuerySet[AgendaItem]:
    return queries.items_for(request.user)


def _one(request: AuthedHttpRequest, pk: int) -> AgendaItem:
    try:
        return _items(request).get(pk=pk)
    except AgendaItem.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc


@router.get(
    "/decision-items",
    response={200: list[DecisionItemOut], **ERRORS},
    url_name="decision-item-list",
    summary="三重一大议题列表",
)
@paginate(Page)
def item_list(
    request: AuthedHttpRequest, filters: Query[DecisionItemFilter]
) -> QuerySet[AgendaItem]:
    """本人可见范围内的议题，连同当前的问题提示（flags），新报备的在前。"""
    require(request.user, "decisions.view")
    return filters.filter(_items(request)).order_by("-filed_on", "-decided_on", "-id")


@router.get(
    "/decision-items/{pk}",
    response={200: DecisionItemDetailOut, **ERRORS},
    url_name="decision-item-detail",
    summary="三重一大议题详情",
)
def item_detail(request: AuthedHttpRequest, pk: int) -> AgendaItem:
    """议题、审核记录、执行情况、抽查和附件；flags 中每项问题提示写明所依据的规则。"""
    require(request.user, "decisions.view")
    return _one(request, pk)


@router.post(
    "/decision-items",
    response={201: DecisionItemDetailOut, **ERRORS},
    url_name="decision-item-create",
    summary="填报议题",
)
def item_create(request: AuthedHttpRequest, payload: DecisionItemCreate) -> Status:
    """学校填报议题（草稿），报备请调用 /decision-items/{id}/file。附件请在页面上传。"""
    user = request.user
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(user), data.pop("unit"), "unit", label(AgendaItem, "unit"))
    sub_id = data.pop("subcategory")
    subcategory = (
        ref(
            DecisionCategory.objects.for_user(user),
            sub_id,
            "subcategory",
            label(AgendaItem, "subcategory"),
        )
        if sub_id is not None
        else None
    )
    item = actions.item_create(actor=user, unit=unit, subcategory=subcategory, **data)
    return Status(201, _one(request, item.pk))


@router.post(
    "/decision-items/{pk}/file",
    response={200: DecisionItemDetailOut, **ERRORS},
    url_name="decision-item-file",
    summary="报备议题",
)
def item_file(request: AuthedHttpRequest, pk: int) -> AgendaItem:
    """草稿或被退回的议题报备审核。距拟上会日期不足规定的工作日的，照常报备，并提示
    “报备时间不足”（flags 中的 filed_late）。"""
    item = get_scoped(AgendaItem, request.user, pk=pk)
    actions.item_file(actor=request.user, item=item)
    return _one(request, pk)


@router.post(
    "/decision-items/{pk}/review",
    response={200: DecisionItemDetailOut, **ERRORS},
    url_name="decision-item-review",
    summary="审核议题",
)
def item_review(request: AuthedHttpRequest, pk: int, payload: ReviewIn) -> AgendaItem:
    """教育局（纪检）审核已报备的议题：approved 同意上会；returned 退回修改（须写 opinion）；
    not_major 认定非三重一大事项（须写 opinion）。"""
    item = get_scoped(AgendaItem, request.user, pk=pk)
    decision = payload.decision
    if decision == ItemReview.Decision.APPROVED:
        actions.item_approve(actor=request.user, item=item, opinion=payload.opinion)
    elif decision == ItemReview.Decision.RETURNED:
        actions.item_return(actor=request.user, item=item, opinion=payload.opinion)
    elif decision == ItemReview.Decision.NOT_MAJOR:
        actions.item_mark_not_major(actor=request.user, item=item, opinion=payload.opinion)
    else:
        require(request.user, "decisions.item_approve", item.unit)
        field_label = label(ItemReview, "decision")
        raise ActionError(
            f"「{field_label}」：请选择 approved（同意上会）、returned（退回修改）"
            "或 not_major（非三重一大事项）",
            "decision",
            field_label,
        )
    return _one(request, pk)


# ---- meetings ----


class MemberOut(Schema):
    position: int
    name: str
    title: str
    is_chair: bool
    present: bool
    absence_reason: str


class OpinionOut(Schema):
    order: int
    member: str
    stance: str
    stance_label: str
    text: str

    @staticmethod
    def resolve_member(obj: Any) -> str:
        return str(obj.member.name)

    @staticmethod
    def resolve_stance_label(obj: Any) -> str:
        return str(obj.get_stance_display())


class RecusalOut(Schema):
    member: str
    reason: str
    withdrew: bool

    @staticmethod
    def resolve_member(obj: Any) -> str:
        return str(obj.member.name)


class MeetingItemOut(Schema):
    position: int
    item_id: int
    title: str
    category: str
    votes_yes: int | None
    votes_no: int | None
    votes_abstain: int | None
    result: str
    result_label: str
    decision: str
    recusals: list[RecusalOut]
    opinions: list[OpinionOut] = Field(..., description="按发言顺序")
    flags: list[FlagOut]

    @staticmethod
    def resolve_title(obj: MeetingItem) -> str:
        return obj.item.title

    @staticmethod
    def resolve_category(obj: MeetingItem) -> str:
        return obj.item.category

    @staticmethod
    def resolve_result_label(obj: MeetingItem) -> str:
        return obj.get_result_display()

    @staticmethod
    def resolve_recusals(obj: MeetingItem) -> list[Any]:
        return list(obj.recusals.all())

    @staticmethod
    def resolve_opinions(obj: MeetingItem) -> list[Any]:
        return list(obj.opinions.all())

    @staticmethod
    def resolve_flags(obj: MeetingItem) -> list[ItemFlag]:
        today = _today()
        return [f for f in obj.item.flag_rows.all() if f.active_on(today)]


class MeetingOut(Schema):
    id: int
    unit: Ref
    body: str
    body_label: str
    mode: str
    mode_label: str
    title: str
    held_on: dt.date
    place: str
    recorder: str
    members_due: int
    members_present: int
    item_count: int
    url: str
    minutes_url: str

    @staticmethod
    def resolve_body_label(obj: DecisionMeeting) -> str:
        return obj.get_body_display()

    @staticmethod
    def resolve_mode_label(obj: DecisionMeeting) -> str:
        return obj.get_mode_display()

    @staticmethod
    def resolve_url(obj: DecisionMeeting) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_minutes_url(obj: DecisionMeeting) -> str:
        from django.urls import reverse

        return reverse("decisions:meeting-minutes", args=[obj.pk])


class MeetingDetailOut(MeetingOut):
    notes: str
    members: list[MemberOut]
    items: list[MeetingItemOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_members(obj: DecisionMeeting) -> list[Any]:
        return list(obj.members.all())

    @staticmethod
    def resolve_items(obj: DecisionMeeting) -> list[Any]:
        return list(
            obj.items.select_related("item")
            .prefetch_related("opinions__member", "recusals__member", "item__flag_rows")
            .order_by("position")
        )

    @staticmethod
    def resolve_attachments(obj: DecisionMeeting) -> list[Any]:
        return list(obj.attachments.all())


class MeetingFilter(FilterSchema):
    meeting_body: Annotated[Body | None, FilterLookup("body")] = Field(
        None, title="会议类型", description="party_org_meeting / principal_office_meeting / …"
    )
    mode: Annotated[DecisionMeeting.Mode | None, FilterLookup("mode")] = Field(
        None, title="决策方式"
    )
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("held_on__year")] = Field(
        None, title="年度", ge=1949, le=2100
    )

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()


register_labels("decision-meetings", MeetingFilter)


def _meetings(request: AuthedHttpRequest) -> QuerySet[DecisionMeeting]:
    return queries.meetings_for(request.user).annotate(
        members_due=Count("members", distinct=True),
        members_present=Count("members", filter=Q(members__present=True), distinct=True),
        item_count=Count("items", distinct=True),
    )


@router.get(
    "/decision-meetings",
    response={200: list[MeetingOut], **ERRORS},
    url_name="decision-meeting-list",
    summary="决策会议列表",
)
@paginate(Page)
def meeting_list(
    request: AuthedHttpRequest, filters: Query[MeetingFilter]
) -> QuerySet[DecisionMeeting]:
    """本人可见范围内的决策会议（含传签、个别征求意见等未开会的决策），新的在前。"""
    require(request.user, "decisions.view")
    return filters.filter(_meetings(request)).order_by("-held_on", "-id")


@router.get(
    "/decision-meetings/{pk}",
    response={200: MeetingDetailOut, **ERRORS},
    url_name="decision-meeting-detail",
    summary="决策会议详情",
)
def meeting_detail(request: AuthedHttpRequest, pk: int) -> DecisionMeeting:
    """到会成员，逐个议题的回避、表态发言（按发言顺序）、表决票数、结果和问题提示。"""
    require(request.user, "decisions.view")
    try:
        return _meetings(request).get(pk=pk)
    except DecisionMeeting.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc
