"""Data scope: a user sees their role units' subtrees and nothing else (STYLE.md §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

from .errors import NotAllowed, OutOfScope

if TYPE_CHECKING:
    from dangjian.orgs.models import Unit

M = TypeVar("M", bound=models.Model)


def _assignments(user: Any) -> list[tuple[str, str]]:
    """(role, unit path) pairs of the user, cached on the user object for the request."""
    cached = getattr(user, "_role_paths", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        result: list[tuple[str, str]] = []
    else:
        from dangjian.accounts.models import RoleAssignment

        result = list(RoleAssignment.objects.filter(user=user).values_list("role", "unit__path"))
    user._role_paths = result
    return result


def scope_paths(user: Any, roles: frozenset[str] | None = None) -> list[str]:
    """Subtree roots the user may read through `roles` (default: the business roles)."""
    from dangjian.accounts.roles import BUSINESS_ROLES

    if getattr(user, "is_system", False):
        return ["/"]
    roles = BUSINESS_ROLES if roles is None else roles
    paths = sorted({p for role, p in _assignments(user) if role in roles and p})
    # drop roots that lie inside another root: fewer OR terms in every query
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def roles_of(user: Any) -> set[str]:
    return {role for role, _ in _assignments(user)}


def has_capability(user: Any, capability: str, unit: Unit | None = None) -> bool:
    """True if one of the user's roles grants `capability` on `unit` (or anywhere, if None)."""
    from dangjian.accounts.roles import CAPABILITIES

    if getattr(user, "is_system", False):
        return True
    for role, path in _assignments(user):
        if capability in CAPABILITIES.get(role, frozenset()) and (
            unit is None or (path and unit.path.startswith(path))
        ):
            return True
    return False


def capability_paths(user: Any, capability: str) -> list[str]:
    """The unit paths where the user's roles grant `capability` (e.g. the units a user issues
    bulletins for)."""
    from dangjian.accounts.roles import CAPABILITIES

    return [
        path
        for role, path in _assignments(user)
        if path and capability in CAPABILITIES.get(role, frozenset())
    ]


def in_scope(user: Any, unit: Unit) -> bool:
    return any(unit.path.startswith(p) for p in scope_paths(user))


def require(actor: Any, capability: str, unit: Unit | None = None) -> None:
    """Refuse unless `actor` holds `capability` on `unit`: out of scope → 404, else → 403."""
    # out of every role unit's subtree → 404 (missing and forbidden look alike); inside → 403
    reachable = (
        unit is None
        or getattr(actor, "is_system", False)
        or any(unit.path.startswith(p) for _, p in _assignments(actor) if p)
    )
    if not reachable:
        raise OutOfScope("未找到该记录")
    if not has_capability(actor, capability, unit):
        raise NotAllowed("您没有执行此操作的权限")


def get_scoped(model: type[M], user: Any, **lookup: Any) -> M:
    """One object within the user's scope, or 404 (missing and forbidden look the same)."""
    manager = model._default_manager
    try:
        return manager.for_user(user).get(**lookup)  # type: ignore[attr-defined,no-any-return]
    except (model.DoesNotExist, ValueError, TypeError) as exc:  # type: ignore[attr-defined]
        raise OutOfScope("未找到该记录") from exc
