"""Reads over accounts: lockouts (django-axes), admin scope, demo logins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from dangjian.core.scope import scope_paths

from .models import User
from .roles import Role

ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN.value, Role.SECURITY_ADMIN.value})


def cooloff() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def locked_usernames(usernames: Iterable[str], now: dt.datetime | None = None) -> set[str]:
    """Usernames locked out now: the failure limit reached within the cool-off time."""
    from axes.models import AccessAttempt

    names = list(usernames)
    if not names:
        return set()
    since = (now or timezone.now()) - cooloff()
    rows = (  # one row per username: the highest failure count within the cool-off
        AccessAttempt.objects.filter(username__in=names, attempt_time__gte=since)
        .values("username")
        .annotate(f=Max("failures_since_start"))
        .filter(f__gte=settings.AXES_FAILURE_LIMIT)
    )
    return {r["username"] for r in rows}


def admin_units(user: Any) -> QuerySet[Any]:
    """Units an account administrator manages: the subtrees of their admin role units."""
    from dangjian.orgs.models import Unit

    paths = scope_paths(user, ADMIN_ROLES)
    q = reduce(or_, (Q(path__startswith=p) for p in paths), Q(pk__in=[]))
    return Unit.objects.filter(q)


def users_for_admin(user: Any) -> QuerySet[User]:
    return User.objects.for_user(user).exclude(username="system")


def locked_attempts(now: dt.datetime | None = None) -> QuerySet[Any]:
    """Usernames (a values() queryset) at the failure limit within the cool-off time."""
    from axes.models import AccessAttempt

    since = (now or timezone.now()) - cooloff()
    return AccessAttempt.objects.filter(
        attempt_time__gte=since, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).values("username")


def failed_attempts(now: dt.datetime | None = None) -> QuerySet[Any]:
    """Usernames (a values() queryset) with failed logins within the cool-off time."""
    from axes.models import AccessAttempt

    since = (now or timezone.now()) - cooloff()
    return AccessAttempt.objects.filter(attempt_time__gte=since, failures_since_start__gt=0).values(
        "username"
    )


def admin_todos(user: Any) -> list[dict[str, Any]]:
    """What the system and security admins look at first; every count links to the user list."""
    from django.urls import reverse

    from dangjian.core.scope import has_capability

    from .models import RoleAssignment

    if not has_capability(user, "accounts.view"):
        return []
    users = users_for_admin(user)
    base = reverse("accounts:user-list")
    locked = users.filter(username__in=locked_attempts()).count()
    failing = users.filter(username__in=failed_attempts()).count()
    inactive = users.filter(is_active=False).count()
    no_role = users.exclude(pk__in=RoleAssignment.objects.values("user")).count()
    return [
        {
            "label": "被锁定的账号",
            "hint": "连续5次密码错误，锁定15分钟",
            "count": locked,
            "level": "danger" if locked else "ok",
            "url": f"{base}?locked=1",
        },
        {
            "label": "近15分钟登录失败的账号",
            "hint": "可能是忘记密码，也可能是有人尝试猜测密码",
            "count": failing,
            "level": "warning" if failing else "ok",
            "url": f"{base}?failed=1",
        },
        {
            "label": "尚未分配角色的账号",
            "hint": "由安全管理员分配角色后才能使用",
            "count": no_role,
            "level": "warning" if no_role else "ok",
            "url": f"{base}?norole=1",
        },
        {
            "label": "已停用的账号",
            "hint": "",
            "count": inactive,
            "level": "ok",
            "url": f"{base}?active=0",
        },
    ]


def demo_logins() -> list[dict[str, Any]]:
    """Accounts named demo_* with their roles and units, for the development login page."""
    users = (
        User.objects.filter(username__startswith="demo_", is_active=True)
        .prefetch_related("role_assignments__unit")
        .order_by("username")
    )
    return [
        {
            "username": u.username,
            "name": u.display_name,
            "roles": [f"{a.get_role_display()}（{a.unit.name}）" for a in u.role_assignments.all()],
        }
        for u in users
    ]
