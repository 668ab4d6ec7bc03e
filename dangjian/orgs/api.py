"""Units, party organisations and their posts over /api/v1/ (same scope and actions as the UI)."""

import datetime as dt
from typing import Annotated

from django.db.models import F, Q, QuerySet
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

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
    ref_or_none,
    register_labels,
)
from dangjian.core.scope import get_scoped
from dangjian.people.models import Person

from . import actions
from .models import PartyOrg, Post, Unit, UnitEvent

router = Router(tags=["单位与党组织"])


# ---------------------------------------------------------------- units


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    is_private: bool
    address: str
    phone: str
    parent: Ref | None
    depth: int
    status: str
    status_label: str
    head_id: int | None
    principal_responsibility_system: bool
    principal_system_since: dt.date | None
    established_on: dt.date | None
    closed_on: dt.date | None
    successor_id: int | None
    url: str

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Unit) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: Unit) -> str:
        return obj.get_absolute_url()


class UnitFilter(FilterSchema):
    kind: Unit.Kind | None = Field(None, title=label(Unit, "kind"))
    status: Unit.Status | None = Field(None, title=label(Unit, "status"))
    parent: Annotated[int | None, FilterLookup("parent_id")] = Field(
        None, title=label(Unit, "parent"), description="直属上级单位的 id"
    )
    q: str | None = Field(None, title="搜索", description="单位名称包含，或单位代码等于")

    def filter_q(self, value: str | None) -> Q:
        value = (value or "").strip()
        return Q(name__contains=value) | Q(code=value.upper()) if value else Q()


class UnitCreate(In):
    parent: int = mf(Unit, "parent")
    code: str = mf(Unit, "code")
    name: str = mf(Unit, "name")
    kind: Unit.Kind = mf(Unit, "kind")
    is_private: bool = mf(Unit, "is_private", False)
    address: str = mf(Unit, "address", "")
    phone: str = mf(Unit, "phone", "")
    established_on: dt.date | None = mf(Unit, "established_on", None)
    principal_responsibility_system: bool = mf(Unit, "principal_responsibility_system", False)
    principal_system_since: dt.date | None = mf(Unit, "principal_system_since", None)


class UnitPatch(In):
    code: str | None = mf(Unit, "code", None)
    name: str | None = mf(Unit, "name", None)
    kind: Unit.Kind | None = mf(Unit, "kind", None)
    is_private: bool | None = mf(Unit, "is_private", None)
    address: str | None = mf(Unit, "address", None)
    phone: str | None = mf(Unit, "phone", None)
    head: int | None = mf(Unit, "head", None, description="本单位人员的 id；null 清除")
    established_on: dt.date | None = mf(Unit, "established_on", None)
    principal_responsibility_system: bool | None = mf(Unit, "principal_responsibility_system", None)
    principal_system_since: dt.date | None = mf(Unit, "principal_system_since", None)


class UnitCloseIn(In):
    happened_on: dt.date = mf(UnitEvent, "happened_on")
    document_number: str = mf(UnitEvent, "document_number", "")
    successor: int | None = mf(UnitEvent, "successor", None)
    note: str = mf(UnitEvent, "note", "")


class UnitMergeIn(In):
    successor: int = mf(UnitEvent, "successor")
    happened_on: dt.date = mf(UnitEvent, "happened_on")
    document_number: str = mf(UnitEvent, "document_number", "")
    note: str = mf(UnitEvent, "note", "")


class UnitEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    happened_on: dt.date
    document_number: str
    successor_id: int | None
    note: str
    people_moved: int
    orgs_moved: int
    unit: UnitOut

    @staticmethod
    def resolve_kind_label(obj: UnitEvent) -> str:
        return obj.get_kind_display()


register_labels("units", UnitFilter, UnitCreate, UnitPatch, UnitCloseIn, UnitMergeIn)


def _units(request: AuthedHttpRequest) -> QuerySet[Unit]:
    return Unit.objects.for_user(request.user).select_related("parent")


def _unit_ref(request: AuthedHttpRequest, pk: int, field: str, model: type = Unit) -> Unit:
    return ref(Unit.objects.for_user(request.user), pk, field, label(model, field))


@router.get(
    "/units", response={200: list[UnitOut], **ERRORS}, url_name="unit-list", summary="单位列表"
)
@paginate(Page)
def unit_list(request: AuthedHttpRequest, filters: Query[UnitFilter]) -> QuerySet[Unit]:
    """单位列表（仅本人可见范围内）。"""
    return filters.filter(_units(request))


@router.get(
    "/units/{pk}", response={200: UnitOut, **ERRORS}, url_name="unit-detail", summary="单位详情"
)
def unit_detail(request: AuthedHttpRequest, pk: int) -> Unit:
    return get_scoped(Unit, request.user, pk=pk)


@router.post(
    "/units", response={201: UnitOut, **ERRORS}, url_name="unit-create", summary="新增单位"
)
def unit_create(request: AuthedHttpRequest, payload: UnitCreate) -> Status:
    """新增单位（须指定上级单位）。"""
    data = payload.model_dump()
    parent = _unit_ref(request, data.pop("parent"), "parent")
    unit = actions.unit_create(actor=request.user, parent=parent, **data)
    return Status(201, unit)


@router.patch(
    "/units/{pk}", response={200: UnitOut, **ERRORS}, url_name="unit-update", summary="修改单位"
)
def unit_update(request: AuthedHttpRequest, pk: int, payload: UnitPatch) -> Unit:
    unit = get_scoped(Unit, request.user, pk=pk)
    changes = changes_of(payload, Unit)
    if "head" in changes:
        changes["head"] = ref_or_none(
            Person.objects.for_user(request.user), changes["head"], "head", label(Unit, "head")
        )
    return actions.unit_update(actor=request.user, unit=unit, **changes)


@router.post(
    "/units/{pk}/close",
    response={200: UnitEventOut, **ERRORS},
    url_name="unit-close",
    summary="撤销单位",
)
def unit_close(request: AuthedHttpRequest, pk: int, payload: UnitCloseIn) -> UnitEvent:
    """撤销单位；指定承继单位时，其人员和党组织转入承继单位。"""
    unit = get_scoped(Unit, request.user, pk=pk)
    data = payload.model_dump()
    successor_id = data.pop("successor")
    successor = (
        None if successor_id is None else _unit_ref(request, successor_id, "successor", UnitEvent)
    )
    return actions.unit_close(actor=request.user, unit=unit, successor=successor, **data)


@router.post(
    "/units/{pk}/merge",
    response={200: UnitEventOut, **ERRORS},
    url_name="unit-merge",
    summary="合并单位",
)
def unit_merge(request: AuthedHttpRequest, pk: int, payload: UnitMergeIn) -> UnitEvent:
    """合并单位：并入承继单位，人员和党组织随之转入。"""
    unit = get_scoped(Unit, request.user, pk=pk)
    data = payload.model_dump()
    successor = _unit_ref(request, data.pop("successor"), "successor", UnitEvent)
    return actions.unit_merge(actor=request.user, unit=unit, successor=successor, **data)


# ---------------------------------------------------------------- party organisations


class PartyOrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    unit: Ref
    parent_id: int | None
    established_on: dt.date | None
    term_started_on: dt.date | None
    term_years: int
    term_ends_on: dt.date | None
    is_active: bool
    url: str

    @staticmethod
    def resolve_kind_label(obj: PartyOrg) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_url(obj: PartyOrg) -> str:
        return obj.get_absolute_url()


class PartyOrgFilter(FilterSchema):
    kind: PartyOrg.Kind | None = Field(None, title=label(PartyOrg, "kind"))


class PartyOrgCreate(In):
    unit: int = mf(PartyOrg, "unit")
    name: str = mf(PartyOrg, "name")
    kind: PartyOrg.Kind = mf(PartyOrg, "kind")
    parent: int | None = mf(PartyOrg, "parent", None)
    established_on: dt.date | None = mf(PartyOrg, "established_on", None)
    term_started_on: dt.date | None = mf(PartyOrg, "term_started_on", None)
    term_years: int = mf(PartyOrg, "term_years", 3, ge=1, le=10)
    is_active: bool = mf(PartyOrg, "is_active", True)


class PartyOrgPatch(In):
    name: str | None = mf(PartyOrg, "name", None)
    kind: PartyOrg.Kind | None = mf(PartyOrg, "kind", None)
    parent: int | None = mf(PartyOrg, "parent", None)
    established_on: dt.date | None = mf(PartyOrg, "established_on", None)
    term_started_on: dt.date | None = mf(PartyOrg, "term_started_on", None)
    term_years: int | None = mf(PartyOrg, "term_years", None, ge=1, le=10)
    is_active: bool | None = mf(PartyOrg, "is_active", None)


class PostOut(Schema):
    id: int
    org_id: int
    person: Ref
    title: str
    title_label: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_title_label(obj: Post) -> str:
        return obj.get_title_display()


class PostCreate(In):
    person: int = mf(Post, "person")
    title: Post.Title = mf(Post, "title")
    started_on: dt.date = mf(Post, "started_on")
    ended_on: dt.date | None = mf(Post, "ended_on", None)


register_labels("party-orgs", PartyOrgFilter, PartyOrgCreate, PartyOrgPatch)

SUBTREE = "该单位及其下级单位（须在本人可见范围内）"
register_labels("party-orgs/posts", PostCreate)


def _partyorg_ref(request: AuthedHttpRequest, pk: int | None) -> PartyOrg | None:
    return ref_or_none(
        PartyOrg.objects.for_user(request.user), pk, "parent", label(PartyOrg, "parent")
    )


@router.get(
    "/party-orgs",
    response={200: list[PartyOrgOut], **ERRORS},
    url_name="partyorg-list",
    summary="党组织列表",
)
@paginate(Page)
def partyorg_list(
    request: AuthedHttpRequest,
    filters: Query[PartyOrgFilter],
    unit: int | None = Query(None, title=label(PartyOrg, "unit"), description=SUBTREE),
) -> QuerySet[PartyOrg]:
    """党组织列表；`unit` 取该单位及其下级单位的党组织。"""
    qs = PartyOrg.objects.for_user(request.user).select_related("unit")
    if unit is not None:
        qs = qs.in_subtree(get_scoped(Unit, request.user, pk=unit))
    return filters.filter(qs)


@router.get(
    "/party-orgs/{pk}",
    response={200: PartyOrgOut, **ERRORS},
    url_name="partyorg-detail",
    summary="党组织详情",
)
def partyorg_detail(request: AuthedHttpRequest, pk: int) -> PartyOrg:
    return get_scoped(PartyOrg, request.user, pk=pk)


@router.post(
    "/party-orgs",
    response={201: PartyOrgOut, **ERRORS},
    url_name="partyorg-create",
    summary="新增党组织",
)
def partyorg_create(request: AuthedHttpRequest, payload: PartyOrgCreate) -> Status:
    data = payload.model_dump()
    unit = _unit_ref(request, data.pop("unit"), "unit", PartyOrg)
    data["parent"] = _partyorg_ref(request, data["parent"])
    return Status(201, actions.partyorg_create(actor=request.user, unit=unit, **data))


@router.patch(
    "/party-orgs/{pk}",
    response={200: PartyOrgOut, **ERRORS},
    url_name="partyorg-update",
    summary="修改党组织",
)
def partyorg_update(request: AuthedHttpRequest, pk: int, payload: PartyOrgPatch) -> PartyOrg:
    org = get_scoped(PartyOrg, request.user, pk=pk)
    changes = changes_of(payload, PartyOrg)
    if "parent" in changes:
        changes["parent"] = _partyorg_ref(request, changes["parent"])
    return actions.partyorg_update(actor=request.user, org=org, **changes)


@router.get(
    "/party-orgs/{pk}/posts",
    response={200: list[PostOut], **ERRORS},
    url_name="post-list",
    summary="党组织职务列表",
)
@paginate(Page)
def post_list(request: AuthedHttpRequest, pk: int) -> QuerySet[Post]:
    """该党组织的职务（含已离任），在任在前。"""
    org = get_scoped(PartyOrg, request.user, pk=pk)
    return (
        Post.objects.filter(org=org)
        .select_related("person")
        .order_by(F("ended_on").desc(nulls_first=True), "title", "-started_on", "id")
    )


@router.post(
    "/party-orgs/{pk}/posts",
    response={201: PostOut, **ERRORS},
    url_name="post-create",
    summary="任职",
)
def post_create(request: AuthedHttpRequest, pk: int, payload: PostCreate) -> Status:
    org = get_scoped(PartyOrg, request.user, pk=pk)
    data = payload.model_dump()
    person = ref(
        Person.objects.for_user(request.user), data.pop("person"), "person", label(Post, "person")
    )
    return Status(201, actions.post_create(actor=request.user, org=org, person=person, **data))
