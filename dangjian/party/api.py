"""Party members and transfers over /api/v1/ (same scope and actions as the pages)."""

import datetime as dt
from typing import Annotated

from django.db.models import Q, QuerySet
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import ActionError
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import (
    ERRORS,
    In,
    Page,
    Ref,
    changes_of,
    label,
    mf,
    ref,
    register_labels,
)
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import PartyOrg, Unit
from dangjian.people.models import Person

from . import actions, queries
from .models import PartyMember, Transfer

router = Router(tags=["党员与组织关系转接"])


# ---------------------------------------------------------------- members


class MemberOut(Schema):
    id: int
    person: Ref
    branch: Ref
    unit: Ref
    status: str
    status_label: str
    joined_on: dt.date
    full_on: dt.date | None
    status_changed_on: dt.date | None
    status_reason: str
    dues_category: str
    dues_category_label: str
    is_mobile: bool
    mobile_since: dt.date | None
    mobile_place: str
    url: str

    @staticmethod
    def resolve_unit(obj: PartyMember) -> Unit:
        return obj.branch.unit

    @staticmethod
    def resolve_status_label(obj: PartyMember) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_dues_category_label(obj: PartyMember) -> str:
        return obj.get_dues_category_display()

    @staticmethod
    def resolve_url(obj: PartyMember) -> str:
        return obj.get_absolute_url()


class MemberFilter(FilterSchema):
    branch: Annotated[int | None, FilterLookup("branch_id")] = Field(
        None, title=label(PartyMember, "branch"), description="党组织 id"
    )
    status: PartyMember.Status | None = Field(None, title=label(PartyMember, "status"))
    dues_category: PartyMember.DuesCategory | None = Field(
        None, title=label(PartyMember, "dues_category")
    )
    is_mobile: bool | None = Field(None, title=label(PartyMember, "is_mobile"))
    q: str | None = Field(None, title="搜索", description="姓名包含")

    def filter_q(self, value: str | None) -> Q:
        value = (value or "").strip()
        return Q(person__name__contains=value) if value else Q()


class MemberCreate(In):
    person: int = mf(PartyMember, "person")
    branch: int = mf(PartyMember, "branch")
    status: PartyMember.Status = mf(PartyMember, "status", PartyMember.Status.PROBATIONARY)
    joined_on: dt.date = mf(PartyMember, "joined_on")
    full_on: dt.date | None = mf(PartyMember, "full_on", None)
    dues_category: PartyMember.DuesCategory = mf(
        PartyMember, "dues_category", PartyMember.DuesCategory.ON_POST
    )
    is_mobile: bool = mf(PartyMember, "is_mobile", False)
    mobile_since: dt.date | None = mf(PartyMember, "mobile_since", None)
    mobile_place: str = mf(PartyMember, "mobile_place", "")


class MemberPatch(In):
    joined_on: dt.date | None = mf(PartyMember, "joined_on", None)
    full_on: dt.date | None = mf(PartyMember, "full_on", None)
    dues_category: PartyMember.DuesCategory | None = mf(PartyMember, "dues_category", None)
    is_mobile: bool | None = mf(PartyMember, "is_mobile", None)
    mobile_since: dt.date | None = mf(PartyMember, "mobile_since", None)
    mobile_place: str | None = mf(PartyMember, "mobile_place", None)


# bodies of actions on one record: the record is looked up (404) before a missing field (400)
class MakeFullIn(In):
    full_on: dt.date | None = mf(PartyMember, "full_on", None)


class StatusIn(In):
    status: PartyMember.Status | None = mf(PartyMember, "status", None)
    on: dt.date | None = Field(None, title="变更日期")
    reason: str | None = Field(None, title="变更原因", max_length=300)


def _required(payload: Schema, name: str) -> object:
    value = getattr(payload, name)
    if value is None or value == "":
        title = type(payload).model_fields[name].title or name
        raise ActionError(f"「{title}」：不能为空", field=name, label=title)
    return value


register_labels("party-members", MemberFilter, MemberCreate, MemberPatch)
register_labels("party-members/make-full", MakeFullIn)
register_labels("party-members/status", StatusIn)


def _members(request: AuthedHttpRequest) -> QuerySet[PartyMember]:
    return queries.members(request.user)


def _branch(request: AuthedHttpRequest, pk: int, field: str = "branch") -> PartyOrg:
    return ref(PartyOrg.objects.for_user(request.user), pk, field, label(PartyMember, "branch"))


@router.get(
    "/party-members",
    response={200: list[MemberOut], **ERRORS},
    url_name="partymember-list",
    summary="党员列表",
)
@paginate(Page)
def member_list(
    request: AuthedHttpRequest,
    filters: Query[MemberFilter],
    unit: int | None = Query(None, title="单位", description="该单位及其下级单位的党员"),
) -> QuerySet[PartyMember]:
    require(request.user, "party.view")
    qs = _members(request)
    if unit is not None:
        qs = qs.filter(branch__unit__path__startswith=get_scoped(Unit, request.user, pk=unit).path)
    return filters.filter(qs)


@router.get(
    "/party-members/{pk}",
    response={200: MemberOut, **ERRORS},
    url_name="partymember-detail",
    summary="党员详情",
)
def member_detail(request: AuthedHttpRequest, pk: int) -> PartyMember:
    require(request.user, "party.view")
    return get_scoped(PartyMember, request.user, pk=pk)


@router.post(
    "/party-members",
    response={201: MemberOut, **ERRORS},
    url_name="partymember-create",
    summary="登记党员",
)
def member_create(request: AuthedHttpRequest, payload: MemberCreate) -> Status:
    data = payload.model_dump()
    person = ref(
        Person.objects.for_user(request.user),
        data.pop("person"),
        "person",
        label(PartyMember, "person"),
    )
    branch = _branch(request, data.pop("branch"))
    member = actions.member_create(actor=request.user, person=person, branch=branch, **data)
    return Status(201, member)


@router.patch(
    "/party-members/{pk}",
    response={200: MemberOut, **ERRORS},
    url_name="partymember-patch",
    summary="修改党员信息",
)
def member_update(request: AuthedHttpRequest, pk: int, payload: MemberPatch) -> PartyMember:
    member = get_scoped(PartyMember, request.user, pk=pk)
    changes = changes_of(payload, PartyMember, blank=("mobile_place",))
    return actions.member_update(actor=request.user, member=member, **changes)


@router.post(
    "/party-members/{pk}/make-full",
    response={200: MemberOut, **ERRORS},
    url_name="partymember-make-full",
    summary="预备党员转正",
)
def member_make_full(request: AuthedHttpRequest, pk: int, payload: MakeFullIn) -> PartyMember:
    member = get_scoped(PartyMember, request.user, pk=pk)
    full_on = _required(payload, "full_on")
    return actions.member_make_full(actor=request.user, member=member, full_on=full_on)  # type: ignore[arg-type]


@router.post(
    "/party-members/{pk}/status",
    response={200: MemberOut, **ERRORS},
    url_name="partymember-status",
    summary="党员状态变更（停止党籍、出党、去世）",
)
def member_status(request: AuthedHttpRequest, pk: int, payload: StatusIn) -> PartyMember:
    member = get_scoped(PartyMember, request.user, pk=pk)
    for name in ("status", "on", "reason"):
        _required(payload, name)
    if payload.status not in PartyMember.STATUS_CHANGES:
        raise ActionError(
            "「党员状态」：只能变更为停止党籍、已出党或已去世", field="status", label="党员状态"
        )
    return actions.member_status_change(
        actor=request.user,
        member=member,
        status=payload.status,
        on=payload.on,  # type: ignore[arg-type]
        reason=payload.reason or "",
    )


# ---------------------------------------------------------------- transfers


class TransferOut(Schema):
    id: int
    member: Ref
    kind: str
    kind_label: str
    from_branch: Ref | None
    to_branch: Ref | None
    outside_org: str
    letter_number: str
    issued_on: dt.date
    valid_until: dt.date
    dues_paid_until: dt.date | None
    reason: str
    reissue_note: str
    status: str
    status_label: str
    overdue: bool
    confirmed_on: dt.date | None
    closed_on: dt.date | None
    close_reason: str
    url: str

    @staticmethod
    def resolve_member(obj: Transfer) -> dict[str, object]:
        return {"id": obj.member_id, "name": obj.member.person.name}

    @staticmethod
    def resolve_kind_label(obj: Transfer) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Transfer) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj: Transfer) -> bool:
        from django.utils import timezone

        return queries.is_overdue(obj, timezone.localdate())

    @staticmethod
    def resolve_url(obj: Transfer) -> str:
        return obj.get_absolute_url()


class TransferFilter(FilterSchema):
    status: Transfer.Status | None = Field(None, title=label(Transfer, "status"))
    kind: Transfer.Kind | None = Field(None, title=label(Transfer, "kind"))
    member: Annotated[int | None, FilterLookup("member_id")] = Field(
        None, title=label(Transfer, "member")
    )


class TransferCreate(In):
    member: int = mf(Transfer, "member")
    kind: Transfer.Kind = mf(Transfer, "kind")
    to_branch: int | None = mf(Transfer, "to_branch", None)
    outside_org: str = mf(Transfer, "outside_org", "")
    letter_number: str = mf(Transfer, "letter_number")
    issued_on: dt.date = mf(Transfer, "issued_on")
    valid_until: dt.date | None = mf(Transfer, "valid_until", None)
    dues_paid_until: dt.date | None = mf(Transfer, "dues_paid_until", None)
    reason: str = mf(Transfer, "reason", "")
    reissue_note: str = mf(Transfer, "reissue_note", "")


class TransferInCreate(In):
    person: int = mf(PartyMember, "person")
    to_branch: int = mf(Transfer, "to_branch")
    outside_org: str = mf(Transfer, "outside_org")
    letter_number: str = mf(Transfer, "letter_number")
    issued_on: dt.date = mf(Transfer, "issued_on")
    valid_until: dt.date | None = mf(Transfer, "valid_until", None)
    received_on: dt.date = Field(..., title="接收日期")
    status: PartyMember.Status = mf(PartyMember, "status", PartyMember.Status.FULL)
    joined_on: dt.date = mf(PartyMember, "joined_on")
    full_on: dt.date | None = mf(PartyMember, "full_on", None)
    dues_category: PartyMember.DuesCategory = mf(
        PartyMember, "dues_category", PartyMember.DuesCategory.ON_POST
    )
    dues_paid_until: dt.date | None = mf(Transfer, "dues_paid_until", None)
    reason: str = mf(Transfer, "reason", "")


class ConfirmIn(In):
    confirmed_on: dt.date | None = mf(Transfer, "confirmed_on", None)


class CancelIn(In):
    on: dt.date | None = Field(None, title="撤销日期")
    reason: str | None = Field(None, title="撤销原因", max_length=300)


register_labels("transfers", TransferFilter, TransferCreate)
register_labels("transfers/in", TransferInCreate)
register_labels("transfers/confirm", ConfirmIn)
register_labels("transfers/cancel", CancelIn)


@router.get(
    "/transfers",
    response={200: list[TransferOut], **ERRORS},
    url_name="transfer-list",
    summary="组织关系转接列表",
)
@paginate(Page)
def transfer_list(
    request: AuthedHttpRequest,
    filters: Query[TransferFilter],
    direction: str | None = Query(
        None, title="方向", description="in 转入本单位，out 本单位转出，internal 范围内调转"
    ),
    overdue: bool | None = Query(None, title="逾期", description="true：逾期未接收"),
) -> QuerySet[Transfer]:
    from django.utils import timezone

    require(request.user, "party.view")
    qs = queries.transfers(request.user)
    if direction is not None:
        if direction not in {k for k, _ in queries.DIRECTIONS}:
            raise ActionError("「方向」：不是有效的选项", field="direction", label="方向")
        qs = qs.filter(**{"direction": direction})  # annotated by queries.transfers
    if overdue is not None:
        q = queries.overdue_q(timezone.localdate())
        qs = qs.filter(q) if overdue else qs.exclude(q)
    return filters.filter(qs)


@router.post(
    "/transfers/in",
    response={201: TransferOut, **ERRORS},
    url_name="transfer-in",
    summary="从系统外转入",
)
def transfer_in(request: AuthedHttpRequest, payload: TransferInCreate) -> Status:
    data = payload.model_dump()
    person = ref(
        Person.objects.for_user(request.user),
        data.pop("person"),
        "person",
        label(PartyMember, "person"),
    )
    branch = _branch(request, data.pop("to_branch"), "to_branch")
    transfer = actions.transfer_in_from_outside(
        actor=request.user, person=person, to_branch=branch, **data
    )
    return Status(201, transfer)


@router.get(
    "/transfers/{pk}",
    response={200: TransferOut, **ERRORS},
    url_name="transfer-detail",
    summary="组织关系转接详情",
)
def transfer_detail(request: AuthedHttpRequest, pk: int) -> Transfer:
    require(request.user, "party.view")
    return get_scoped(Transfer, request.user, pk=pk)


@router.post(
    "/transfers",
    response={201: TransferOut, **ERRORS},
    url_name="transfer-create",
    summary="开具组织关系介绍信（系统内转接或转出本系统）",
)
def transfer_create(request: AuthedHttpRequest, payload: TransferCreate) -> Status:
    data = payload.model_dump()
    member = ref(_members(request), data.pop("member"), "member", label(Transfer, "member"))
    to_branch = data.pop("to_branch")
    if to_branch is not None:
        # the receiving branch is usually in another school: any active org in the deployment
        data["to_branch"] = ref(
            queries.receiving_branches(), to_branch, "to_branch", label(Transfer, "to_branch")
        )
    return Status(201, actions.transfer_create(actor=request.user, member=member, **data))


@router.post(
    "/transfers/{pk}/confirm",
    response={200: TransferOut, **ERRORS},
    url_name="transfer-confirm",
    summary="确认接收组织关系",
)
def transfer_confirm(request: AuthedHttpRequest, pk: int, payload: ConfirmIn) -> Transfer:
    transfer = get_scoped(Transfer, request.user, pk=pk)
    confirmed_on = _required(payload, "confirmed_on")
    return actions.transfer_confirm(
        actor=request.user,
        transfer=transfer,
        confirmed_on=confirmed_on,  # type: ignore[arg-type]
    )


@router.post(
    "/transfers/{pk}/cancel",
    response={200: TransferOut, **ERRORS},
    url_name="transfer-cancel",
    summary="撤销或退回组织关系转接",
)
def transfer_cancel(request: AuthedHttpRequest, pk: int, payload: CancelIn) -> Transfer:
    transfer = get_scoped(Transfer, request.user, pk=pk)
    on = _required(payload, "on")
    _required(payload, "reason")
    return actions.transfer_cancel(
        actor=request.user,
        transfer=transfer,
        on=on,  # type: ignore[arg-type]
        reason=payload.reason or "",
    )
