"""Findings (问题) from inspections and self-checks, and their rectification (整改): an owner,
measures, a deadline by severity, progress notes, evidence, submission and verification
(RULES.md §7.2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset

from . import rules


class Finding(models.Model):
    class Source(models.TextChoices):
        SELF_CHECK = "self_check", "学校自查"
        INSPECTION = "inspection", "督查发现"

    class Severity(models.TextChoices):  # RULES.md §7.2
        MINOR = rules.Severity.MINOR.value, "轻微"
        GENERAL = rules.Severity.GENERAL.value, "一般"
        SERIOUS = rules.Severity.SERIOUS.value, "严重"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="findings", verbose_name="学校"
    )
    inspection = models.ForeignKey(
        "supervision.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name="来源督查",
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    area = models.CharField("问题领域", max_length=50)
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    found_on = models.DateField("发现日期")
    # the supervision app has no checklist-item model yet: the rule is named in words
    rule_broken = models.CharField("违反的规定或清单条目", max_length=200, blank=True)
    recurrent = models.BooleanField("重复发生", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = "问题"
        indexes = [
            models.Index(fields=["source", "found_on"]),
            models.Index(fields=["unit", "area"]),
            # the finding lists, newest first: a page is the first rows of this index instead
            # of a sort of the whole (city-wide) join (bench/supervision.py)
            models.Index(fields=["-found_on", "-id"], name="finding_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:finding-detail", args=[self.pk])


class Rectification(models.Model):
    """One per finding. Status changes only through actions (TRANSITIONS)."""

    class Status(models.TextChoices):
        OPEN = "open", "整改中"
        SUBMITTED = "submitted", "待验收"
        VERIFIED = "verified", "已销号"
        REJECTED = "rejected", "退回重改"

    TRANSITIONS = {
        Status.OPEN: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.VERIFIED, Status.REJECTED},
        Status.REJECTED: {Status.SUBMITTED},
        Status.VERIFIED: set(),
    }
    PENDING = (Status.OPEN, Status.REJECTED)  # the school still owes the rectification

    finding = models.OneToOneField(
        Finding, on_delete=models.CASCADE, related_name="rectification", verbose_name="问题"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="学校"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="整改责任人",
    )
    measures = models.TextField("整改措施", blank=True)
    evidence_note = models.CharField(
        "佐证材料说明", max_length=200, blank=True, help_text="纸质材料的存放处，如“存学校党建档案”"
    )
    period_days = models.PositiveSmallIntegerField("整改期限（天）")
    deadline = models.DateField("整改期限", db_index=True)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交人",
    )
    verified_on = models.DateField("销号日期", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="验收人",
    )
    verification_note = models.TextField("验收意见", blank=True)
    rejected_on = models.DateField("退回日期", null=True, blank=True)
    rejection_reasons = models.TextField("退回原因", blank=True)
    reopen_count = models.PositiveSmallIntegerField("退回次数", default=0)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = "整改"
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"整改：{self.finding}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:finding-detail", args=[self.finding_id])

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    def escalation(self, as_of: dt.date) -> rules.Escalation:
        if not self.is_pending:
            return rules.escalate(self.deadline, self.deadline, 0)
        return rules.escalate(self.deadline, as_of, self.reopen_count)

    @property
    def on_time(self) -> bool:
        return (
            self.status == self.Status.VERIFIED
            and self.submitted_on is not None
            and self.submitted_on <= self.deadline
        )


class ProgressNote(models.Model):
    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="notes", verbose_name="整改"
    )
    written_on = models.DateField("日期")
    text = models.TextField("进展情况")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="填写人"
    )

    objects = scoped_queryset("rectification__unit__path").as_manager()

    class Meta:
        ordering = ["written_on", "id"]
        verbose_name = "整改进展"

    def __str__(self) -> str:
        return self.text[:30]

    def audit_unit(self) -> object:
        return self.rectification.unit


def _upload_to(instance: Evidence, filename: str) -> str:
    today = dt.date.today()  # noqa: DTZ011  a storage folder name, not a business date
    return f"rectification/{today:%Y/%m}/{filename}"


class Evidence(models.Model):
    """A photo or PDF: of the problem (kind finding) or of its rectification (completion)."""

    IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

    class Kind(models.TextChoices):
        FINDING = "finding", "问题佐证"
        COMPLETION = "completion", "整改佐证"

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_upload_to)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("finding__unit__path").as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "佐证材料"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rectification:evidence-download", args=[self.pk])

    def audit_unit(self) -> object:
        return self.finding.unit

    @property
    def is_image(self) -> bool:
        return self.content_type in self.IMAGE_TYPES
