"""Scoped querysets and the background Job record."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from .scope import scope_paths


class ScopedQuerySet(models.QuerySet):
    """Rows reachable through a unit path. `path_lookups` lists every path that grants sight."""

    path_lookups: tuple[str, ...] = ("unit__path",)
    scope_roles: frozenset[str] | None = None  # None: the business roles

    def _q(self, paths: list[str]) -> Q:
        terms = [Q(**{f"{lookup}__startswith": p}) for p in paths for lookup in self.path_lookups]
        return reduce(or_, terms, Q(pk__in=[]))

    def in_subtree(self, unit: Any) -> Self:
        return self.filter(self._q([unit.path]))

    def for_user(self, user: Any) -> Self:
        qs = self.filter(self._q(scope_paths(user, self.scope_roles)))
        # several lookups can match one row through joins: keep rows unique
        return qs.distinct() if len(self.path_lookups) > 1 else qs


def scoped_queryset(*lookups: str) -> type[ScopedQuerySet]:
    return type("ScopedQuerySet", (ScopedQuerySet,), {"path_lookups": lookups})


class Job(models.Model):
    """A long import/export run as a task; its owner polls it (core/_job.html)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=40)
    title = models.CharField("名称", max_length=200)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, null=True, related_name="+")
    params = models.JSONField(default=dict)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    message = models.CharField(max_length=500, blank=True)
    input_file = models.FileField(upload_to="jobs/in/%Y/%m/", blank=True)
    result_file = models.FileField(upload_to="jobs/out/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "后台任务"

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.finished else 0)

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
