"""Accounts, roles (三员分立 enforced here), passwords and API tokens; all audited."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from dangjian.audit.log import record
from dangjian.core.actions_util import assign
from dangjian.core.errors import ActionError
from dangjian.core.scope import require

from .models import SYSTEM_USERNAME, ApiToken, PasswordHistory, RoleAssignment, User, token_digest
from .roles import SEPARATED_ADMIN_ROLES, Role

USER_FIELDS = {"display_name", "email", "unit", "person", "is_active"}


def system_user() -> User:
    """The actor for schedulers and the demo loader; it has no password and cannot log in."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, display_name="系统", must_change_password=False)
        user.set_unusable_password()
        user.save()
    return user


def _validate_new_password(password: str, user: User | None) -> None:
    try:
        # Chinese messages from Django's validators also outside a request (API, commands)
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as exc:
        messages = [_chinese(e) for e in exc.error_list]
        raise ActionError(
            "「密码」：" + "；".join(messages), field="password", label="密码"
        ) from exc


# Django 5.2's zh-hans catalogue lacks the reworded length message
CHINESE_MESSAGES = {"password_too_short": "长度至少为{min_length}个字符"}


def _chinese(error: ValidationError) -> str:
    template = CHINESE_MESSAGES.get(error.code or "")
    if template is not None:
        return template.format(**(error.params or {}))
    return str(error.messages[0])


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    unit: Any,
    password: str,
    display_name: str = "",
    email: str = "",
    person: Any = None,
    must_change_password: bool = True,
) -> User:
    require(actor, "accounts.user_create", unit)
    username = username.strip()
    if not username:
        raise ActionError("「用户名」：不能为空", field="username", label="用户名")
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(f"「用户名」：{username} 已存在", field="username", label="用户名")
    _validate_new_password(password, None)
    user = User(
        username=username,
        unit=unit,
        display_name=display_name,
        email=email,
        person=person,
        must_change_password=must_change_password,
    )
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    record(actor, "accounts.user_create", user, unit=unit)
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, **changes: Any) -> User:
    require(actor, "accounts.user_update", user.unit)
    unknown = set(changes) - USER_FIELDS
    if unknown:
        raise TypeError(f"unknown user fields {unknown}")
    if "unit" in changes:
        require(actor, "accounts.user_update", changes["unit"])
    if changes.get("is_active") is False and getattr(actor, "pk", None) == user.pk:
        raise ActionError("「启用」：不能停用自己的账号", field="is_active", label="启用")
    before = assign(user, changes)
    user.save()
    record(actor, "accounts.user_update", user, before=before, unit=user.unit)
    return user


@transaction.atomic
def role_assign(*, actor: Any, user: User, role: str, unit: Any) -> RoleAssignment:
    require(actor, "accounts.role_assign", unit)
    if role not in Role.values:
        raise ActionError("「角色」：无效的角色", field="role", label="角色")
    if getattr(actor, "pk", None) == user.pk and not getattr(actor, "is_system", False):
        raise ActionError("不能给自己分配角色")
    held: set[str] = {str(r) for r in user.role_assignments.values_list("role", flat=True)}
    separated = {str(r) for r in SEPARATED_ADMIN_ROLES} & (held | {role})
    if separated and (held | {role}) - separated:
        raise ActionError(
            "「角色」：系统、安全、审计管理员不能兼任业务角色（三员分立）",
            field="role",
            label="角色",
        )
    if len(separated) > 1:
        raise ActionError(
            "「角色」：系统管理员、安全管理员、审计管理员三者不能由同一人兼任",
            field="role",
            label="角色",
        )
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
        raise ActionError("「角色」：该用户在该单位已有此角色", field="role", label="角色")
    assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
    record(actor, "accounts.role_assign", assignment)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    require(actor, "accounts.role_revoke", assignment.unit)
    record(
        actor, "accounts.role_revoke", assignment, before=assign(assignment, {}), take_after=False
    )
    assignment.delete()


def _store_password(user: User, password: str) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(password)
    user.password_changed_at = timezone.now()


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """The user changes their own password (also the forced change on first login)."""
    if not actor.check_password(old_password):
        raise ActionError("「原密码」：不正确", field="old_password", label="原密码")
    _validate_new_password(new_password, actor)
    _store_password(actor, new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record(actor, "accounts.password_change", actor, unit=actor.unit, take_after=False)
    return actor


@transaction.atomic
def password_reset(*, actor: Any, user: User, new_password: str) -> User:
    """An administrator sets a temporary password; the user must change it at next login."""
    require(actor, "accounts.password_reset", user.unit)
    _validate_new_password(new_password, user)
    _store_password(user, new_password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record(actor, "accounts.password_reset", user, unit=user.unit, take_after=False)
    return user


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A token for the actor's own account; the raw value is returned once and never stored."""
    if not name.strip():
        raise ActionError("「名称」：不能为空", field="name", label="名称")
    raw = "dj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip(), prefix=raw[3:9], token_hash=token_digest(raw)
    )
    record(actor, "accounts.token_create", token, unit=actor.unit)
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise ActionError("只能撤销自己的令牌")
    token.revoked = True
    token.save(update_fields=["revoked"])
    record(actor, "accounts.token_revoke", token, unit=actor.unit)
    return token


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> User:
    """Lift a lockout (five failed logins) before the 15 minutes are over."""
    from axes.utils import reset

    require(actor, "accounts.user_unlock", user.unit)
    removed = reset(username=user.username)
    record(
        actor,
        "accounts.user_unlock",
        user,
        unit=user.unit,
        take_after=False,
        after={"attempts_cleared": removed},
    )
    return user
