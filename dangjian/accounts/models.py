"""Users, their role assignments (the source of scope), password history and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from dangjian.core.models import ScopedQuerySet

from .roles import Role

SYSTEM_USERNAME = "system"


class UserQuerySet(ScopedQuerySet):
    path_lookups = ("unit__path",)
    scope_roles = frozenset({"system_admin", "security_admin"})


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单位",
    )
    person = models.OneToOneField(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name="对应人员",
    )
    display_name = models.CharField("姓名", max_length=50, blank=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = "账号"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_system(self) -> bool:
        """The scheduler/demo actor: a fixed account that cannot log in."""
        return self.username == SYSTEM_USERNAME and not self.has_usable_password()


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="role_assignments", verbose_name="单位"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="uniq_role_assignment")
        ]
        verbose_name = "角色分配"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def audit_unit(self) -> object:
        return self.unit


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
