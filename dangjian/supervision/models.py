"""Inspections of schools: the four checks, unannounced visits and campaign visits (RULES.md §7).

The supervision loop is split over three apps (supervision: plans, checklists, inspections,
campaigns; rectification: findings and their rectification; accountability: decisions and
warning education) so each stays small; they meet at Inspection and Finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset


class Inspection(models.Model):
    class Kind(models.TextChoices):  # 对标四查 + 四不三直 + 专项整治
        SELF_CHECK = "self_check", "学校自查"
        DISTRICT_PATROL = "district_patrol", "学区巡查"
        LIAISON_RECHECK = "liaison_recheck", "挂联干部复查"
        BUREAU_SPOT_CHECK = "bureau_spot_check", "督导组抽查"
        UNANNOUNCED = "unannounced", "四不三直暗访"
        CAMPAIGN_VISIT = "campaign_visit", "专项整治检查"

    class Status(models.TextChoices):
        PLANNED = "planned", "已计划"
        IN_PROGRESS = "in_progress", "进行中"
        DONE = "done", "已完成"
        CANCELLED = "cancelled", "已取消"

    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.DONE, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.DONE, Status.CANCELLED},
        Status.DONE: set(),
        Status.CANCELLED: set(),
    }

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name="受检学校"
    )
    kind = models.CharField("检查方式", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    planned_on = models.DateField("计划日期")
    held_on = models.DateField("检查日期", null=True, blank=True)
    lead_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="检查组长",
    )
    title = models.CharField("名称", max_length=200, blank=True)
    notes = models.TextField("检查情况", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = "督查"
        indexes = [models.Index(fields=["kind", "planned_on"])]

    def __str__(self) -> str:
        return self.title or f"{self.unit} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection-detail", args=[self.pk])
