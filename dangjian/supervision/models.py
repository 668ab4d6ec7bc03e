"""Inspections of schools: the four checks, unannounced visits and campaign visits (RULES.md §7).

The supervision loop is split over three apps (supervision: plans, checklists, inspections,
campaigns; rectification: findings and their rectification; accountability: decisions and
warning education) so each stays small; they meet at Inspection and Finding.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.models import ScopedQuerySet, scoped_queryset
from dangjian.core.scope import scope_paths

# roles that plan and carry out inspections: they see unannounced visits before they start
TEAM_ROLES = frozenset(
    {"bureau_admin", "bureau_leader", "inspector", "district_staff", "discipline_inspector"}
)


def _subtree_q(lookup: str, paths: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths), Q(pk__in=[]))


class TemplateQuerySet(ScopedQuerySet):
    """Checklists are defined by a bureau or district office for everything below it: visible in
    the reader's subtree and from every unit above it (a school sees its bureau's checklists)."""

    def for_user(self, user: Any) -> TemplateQuerySet:
        roots = scope_paths(user)
        above = {int(p) for root in roots for p in root.strip("/").split("/") if p}
        return self.filter(_subtree_q("unit__path", roots) | Q(unit_id__in=above))


class Checklist(models.Model):
    """督查清单: a template of items grouped by area, each with a standard and a score."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="制定单位"
    )
    name = models.CharField("名称", max_length=100)
    description = models.TextField("说明", blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "督查清单"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:checklist-detail", args=[self.pk])


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    area = models.CharField("检查领域", max_length=50)
    text = models.CharField("检查项目", max_length=300)
    standard = models.TextField("检查标准", blank=True)
    score = models.PositiveSmallIntegerField("分值")

    class Meta:
        ordering = ["checklist", "position"]
        verbose_name = "清单项目"
        constraints = [
            models.UniqueConstraint(fields=["checklist", "position"], name="sup_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.area}：{self.text}"


class CampaignQuerySet(ScopedQuerySet):
    """A campaign is seen in its lead unit's subtree and by the schools it covers."""

    def for_user(self, user: Any) -> CampaignQuerySet:
        roots = scope_paths(user)
        covering = Campaign.schools.through.objects.filter(_subtree_q("unit__path", roots))
        return self.filter(
            _subtree_q("unit__path", roots) | Q(pk__in=covering.values("campaign_id"))
        )


class Campaign(models.Model):
    """专项整治: a named campaign over key areas, a period and the schools it covers."""

    KEY_AREAS = ("教辅资料", "学生保险", "食堂管理", "招生入学", "校外培训", "师德师风", "收费管理")

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    name = models.CharField("名称", max_length=100)
    key_areas = models.JSONField("整治重点", default=list)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    description = models.TextField("工作要求", blank=True)
    schools = models.ManyToManyField("orgs.Unit", related_name="+", verbose_name="覆盖学校")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = "专项整治"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:campaign-detail", args=[self.pk])


class Plan(models.Model):
    """一月一督察: the month's plan for a unit subtree; each planned school is an Inspection."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="计划单位"
    )
    month = models.DateField("月份", db_index=True)  # the first day of the month
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("检查方式", max_length=20)
    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name="督查清单",
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name="专项整治",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="检查人员"
    )
    notes = models.TextField("说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = "督查计划"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:plan-detail", args=[self.pk])

    def get_kind_display(self) -> str:
        return str(dict(Inspection.Kind.choices).get(self.kind, self.kind))

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"


class InspectionQuerySet(ScopedQuerySet):
    def for_user(self, user: Any) -> InspectionQuerySet:
        """In scope; an unannounced visit not yet started (四不三直) shows only to the inspection
        team (bureau, district office, inspectors) and its lead, never to the school's users."""
        qs = super().for_user(user)
        if getattr(user, "is_system", False):
            return qs
        team = scope_paths(user, TEAM_ROLES)
        hidden = Q(unannounced=True, status__in=Inspection.HIDDEN_STATUSES)
        seen = _subtree_q("unit__path", team) | Q(lead_inspector_id=getattr(user, "pk", None))
        return qs.filter(~hidden | seen)


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
    HIDDEN_STATUSES = (Status.PLANNED, Status.CANCELLED)  # an unannounced visit not yet begun

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
    unannounced = models.BooleanField("不打招呼（四不三直）", default=False)
    plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="督查计划",
    )
    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="督查清单",
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="专项整治",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name="检查人员"
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = "督查"
        indexes = [
            models.Index(fields=["kind", "planned_on"]),
            models.Index(fields=["status", "held_on"]),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.unit} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection-detail", args=[self.pk])

    @property
    def month(self) -> dt.date:
        return self.planned_on.replace(day=1)


class ThroughInspection(ScopedQuerySet):
    """Rows of an inspection are read exactly when the inspection is (unannounced rule too)."""

    def for_user(self, user: Any) -> ThroughInspection:
        via = "inspection" if self.model is Result else "result__inspection"
        return self.filter(**{f"{via}__in": Inspection.objects.for_user(user).values("pk")})

    def in_subtree(self, unit: Any) -> ThroughInspection:
        via = "inspection" if self.model is Result else "result__inspection"
        return self.filter(**{f"{via}__unit__path__startswith": unit.path})


class Result(models.Model):
    """One checklist item as the inspection found it."""

    class Verdict(models.TextChoices):
        MET = "met", "符合"
        PARTLY = "partly", "基本符合"
        NOT_MET = "not_met", "不符合"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name="清单项目"
    )
    verdict = models.CharField("检查结果", max_length=10, choices=Verdict.choices)
    score = models.DecimalField("得分", max_digits=5, decimal_places=1)
    note = models.TextField("情况说明", blank=True)

    objects = ThroughInspection.as_manager()

    class Meta:
        ordering = ["inspection", "item__position"]
        verbose_name = "检查结果"
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="sup_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.get_verdict_display()}"


def _upload_to(instance: Evidence, filename: str) -> str:
    today = dt.date.today()  # noqa: DTZ011  a storage folder name, not a business date
    return f"supervision/{today:%Y/%m}/{filename}"


class Evidence(models.Model):
    IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=_upload_to)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    objects = ThroughInspection.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "检查佐证"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("supervision:evidence-download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in self.IMAGE_TYPES
