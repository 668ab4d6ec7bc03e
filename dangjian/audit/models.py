"""The tamper-evident audit log: one SHA-256 chain over every change (STYLE.md §2)."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangjian.core.models import ScopedQuerySet
from dangjian.core.scope import scope_paths


class AuditQuerySet(ScopedQuerySet):
    path_lookups = ("unit_path",)
    scope_roles = frozenset({"audit_admin"})  # 三员分立: only the audit admin reads the log

    def for_user(self, user: Any) -> Self:
        paths = scope_paths(user, self.scope_roles)
        q = self._q(paths)
        # entries tied to no unit (failed logins of unknown names) belong to the top of the tree
        if any(p.count("/") == 2 for p in paths):
            q |= Q(unit_path="")
        return self.filter(q)


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=80, db_index=True)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="单位"
    )
    # copied, so the log stays scoped even if the unit later moves in the tree
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    object_type = models.CharField("对象类型", max_length=80, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=255, blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    ip = models.GenericIPAddressField(null=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class AuditHead(models.Model):
    """One row holding the newest hash; locking it serialises writers so the chain cannot fork."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.last_hash
