"""Accounts over /api/v1/: administrators list and manage users in their scope; everyone has /me."""

import datetime as dt

from django.db.models import Q, QuerySet
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import NotAllowed, OutOfScope
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
from dangjian.core.scope import get_scoped, has_capability, scope_paths
from dangjian.orgs.models import Unit
from dangjian.people.models import Person

from . import actions
from .models import RoleAssignment, User
from .roles import Role

router = Router(tags=["账号"])

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})


class RoleOut(Schema):
    id: int
    role: str
    role_label: str
    unit: Ref

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return obj.get_role_display()


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    unit: Ref | None
    person_id: int | None
    is_active: bool
    must_change_password: bool
    last_login: dt.datetime | None
    roles: list[RoleOut]

    @staticmethod
    def resolve_roles(obj: User) -> list[RoleAssignment]:
        # prefetched by the list; one query for a single user
        return list(obj.role_assignments.all())


class UserFilter(FilterSchema):
    q: str | None = Field(None, title="搜索", description="用户名或姓名包含")

    def filter_q(self, value: str | None) -> Q:
        value = (value or "").strip()
        return Q(username__contains=value) | Q(display_name__contains=value) if value else Q()


class UserCreate(In):
    username: str = Field(..., title="用户名", max_length=150)
    unit: int = mf(User, "unit")
    password: str = Field(..., title="密码", max_length=128)
    display_name: str = mf(User, "display_name", "")
    person: int | None = mf(User, "person", None)
    must_change_password: bool = mf(User, "must_change_password", True)


class RoleAssignIn(In):
    role: Role = mf(RoleAssignment, "role")
    unit: int = mf(RoleAssignment, "unit")


register_labels("users", UserFilter, UserCreate)
register_labels("users/roles", RoleAssignIn)


def _users(request: AuthedHttpRequest) -> QuerySet[User]:
    return User.objects.for_user(request.user).select_related("unit")


def _require_here(request: AuthedHttpRequest, capability: str, unit: Unit) -> None:
    """403 for a unit inside the administrator's own units but without the capability.

    `scope.require` decides 404-or-403 by business scope, which administrators do not hold;
    the unit was already found among the administrator's units, so refusal here is a 403.
    """
    if not has_capability(request.user, capability, unit):
        raise NotAllowed("您没有执行此操作的权限")


def _admin_units(request: AuthedHttpRequest) -> QuerySet[Unit]:
    """Units under the administrator's role units (admins hold no business scope)."""
    terms = Q(pk__in=[])
    for path in scope_paths(request.user, ADMIN_ROLES):
        terms |= Q(path__startswith=path)
    return Unit.objects.filter(terms)


@router.get("/users/me", response={200: UserOut, **ERRORS}, url_name="user-me", summary="当前账号")
def user_me(request: AuthedHttpRequest) -> User:
    """当前登录账号及其角色。"""
    return User.objects.select_related("unit").get(pk=request.user.pk)


@router.get(
    "/users", response={200: list[UserOut], **ERRORS}, url_name="user-list", summary="账号列表"
)
@paginate(Page)
def user_list(
    request: AuthedHttpRequest,
    filters: Query[UserFilter],
    unit: int | None = Query(None, title=label(User, "unit"), description="该单位及其下级"),
) -> QuerySet[User]:
    """系统管理员、安全管理员可见其单位范围内的账号；其他人请用 /users/me。"""
    if not has_capability(request.user, "accounts.view"):
        raise NotAllowed("您没有查看账号的权限")
    qs = _users(request).prefetch_related("role_assignments__unit")
    if unit is not None:
        top = _admin_units(request).filter(pk=unit).first()
        if top is None:
            raise OutOfScope("未找到该记录")
        qs = qs.filter(unit__path__startswith=top.path)
    return filters.filter(qs)


@router.get(
    "/users/{pk}", response={200: UserOut, **ERRORS}, url_name="user-detail", summary="账号详情"
)
def user_detail(request: AuthedHttpRequest, pk: int) -> User:
    if pk == request.user.pk:
        return user_me(request)
    return get_scoped(User, request.user, pk=pk)


@router.post(
    "/users", response={201: UserOut, **ERRORS}, url_name="user-create", summary="新建账号"
)
def user_create(request: AuthedHttpRequest, payload: UserCreate) -> Status:
    """新建账号（系统管理员）。"""
    data = payload.model_dump()
    units = _admin_units(request)
    unit = ref(units, data.pop("unit"), "unit", label(User, "unit"))
    _require_here(request, "accounts.user_create", unit)
    data["person"] = ref_or_none(
        Person.objects.filter(unit__in=units), data["person"], "person", label(User, "person")
    )
    return Status(201, actions.user_create(actor=request.user, unit=unit, **data))


@router.post(
    "/users/{pk}/roles",
    response={201: RoleOut, **ERRORS},
    url_name="user-role-assign",
    summary="分配角色",
)
def role_assign(request: AuthedHttpRequest, pk: int, payload: RoleAssignIn) -> Status:
    """给账号分配角色（安全管理员；三员分立由系统检查）。"""
    user = get_scoped(User, request.user, pk=pk)
    unit = ref(_admin_units(request), payload.unit, "unit", label(RoleAssignment, "unit"))
    _require_here(request, "accounts.role_assign", unit)
    assignment = actions.role_assign(actor=request.user, user=user, role=payload.role, unit=unit)
    return Status(201, assignment)
