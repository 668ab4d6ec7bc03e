"""Accountability (一事一追责): decisions on findings with their form and 四种形态 level, the
recorded reason where no one is held to account, and warning-education sessions (seed 004)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse

from dangjian.core.models import ScopedQuerySet

from . import rules

# roles that read accountability decisions (a school's own staff do not: decisions name people
# and reach the school as the issuing body's document, not through the platform)
DECISION_ROLES = frozenset(
    {"bureau_admin", "bureau_leader", "inspector", "district_staff", "discipline_inspector"}
)


class DecisionQuerySet(ScopedQuerySet):
    scope_roles = DECISION_ROLES


class RecordQuerySet(DecisionQuerySet):
    path_lookups = ("unit__path",)


class NoDecisionQuerySet(DecisionQuerySet):
    path_lookups = ("finding__unit__path",)


class SessionQuerySet(ScopedQuerySet):
    path_lookups = ("unit__path",)


class AttachmentQuerySet(ScopedQuerySet):
    path_lookups = ("session__unit__path",)


class AccountabilityRecord(models.Model):
    class Form(models.TextChoices):
        TALK_REMINDER = rules.Form.TALK_REMINDER.value, "谈话提醒"
        CRITICISM = rules.Form.CRITICISM.value, "批评教育"
        SELF_EXAM = rules.Form.SELF_EXAM.value, "责令检查"
        BULLETIN_CRITICISM = rules.Form.BULLETIN_CRITICISM.value, "通报批评"
        ADMONISHMENT = rules.Form.ADMONISHMENT.value, "诫勉"
        ORG_HANDLING = rules.Form.ORG_HANDLING.value, "组织调整/组织处理"
        PARTY_SANCTION = rules.Form.PARTY_SANCTION.value, "党纪处分"
        GOV_SANCTION = rules.Form.GOV_SANCTION.value, "政务处分"
        ORG_INSPECTION = rules.Form.ORG_INSPECTION.value, "检查（党组织）"
        ORG_REORGANISATION = rules.Form.ORG_REORGANISATION.value, "改组（党组织）"

    LEVEL_CHOICES = list(rules.LEVEL_LABELS.items())

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="责任单位"
    )
    findings = models.ManyToManyField(
        "rectification.Finding", related_name="accountability_records", verbose_name="问题"
    )
    people = models.ManyToManyField(
        "people.Person", related_name="+", blank=True, verbose_name="被问责人"
    )
    form = models.CharField("问责方式", max_length=20, choices=Form.choices, db_index=True)
    sub_kind = models.CharField("具体种类", max_length=24, blank=True)
    form_level = models.PositiveSmallIntegerField("形态", choices=LEVEL_CHOICES)
    decided_on = models.DateField("决定日期", db_index=True)
    document_number = models.CharField("文号", max_length=100, blank=True)
    decided_by = models.CharField("决定机关", max_length=100)
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "问责决定"

    def __str__(self) -> str:
        # no names here: figure drill-downs list records by this text
        return f"{self.unit} {self.form_display} {self.decided_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:record-detail", args=[self.pk])

    @property
    def form_display(self) -> str:
        sub = rules.sub_kind_label(self.form, self.sub_kind)
        return f"{self.get_form_display()}（{sub}）" if sub else str(self.get_form_display())


class NoAccountabilityDecision(models.Model):
    """The recorded decision that a finding calls for no accountability, and why."""

    finding = models.OneToOneField(
        "rectification.Finding",
        on_delete=models.PROTECT,
        related_name="no_accountability",
        verbose_name="问题",
    )
    reason = models.TextField("不予追责理由")
    decided_by = models.CharField("决定机关", max_length=100)
    decided_on = models.DateField("决定日期")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NoDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "不予追责决定"

    def __str__(self) -> str:
        return f"不予追责 {self.decided_on:%Y-%m-%d}"

    def audit_unit(self) -> object:
        return self.finding.unit


class WarningSession(models.Model):
    class Kind(models.TextChoices):
        FILM = "film", "观看警示教育片"
        BASE_VISIT = "base_visit", "参观警示教育基地"
        CASE_BRIEFING = "case_briefing", "案例通报会"
        PARTY_LECTURE = "party_lecture", "专题党课"
        COURT_HEARING = "court_hearing", "旁听庭审"
        CASE_STUDY = "case_study", "以案促改专题学习"
        OTHER = "other", "其他"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    held_on = models.DateField("日期", db_index=True)
    kind = models.CharField("形式", max_length=20, choices=Kind.choices)
    topic = models.CharField("主题", max_length=200)
    expected_count = models.PositiveIntegerField("应参加人数")
    present_count = models.PositiveIntegerField("实参加人数")
    notes = models.TextField("情况说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "警示教育"
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:session-detail", args=[self.pk])


def _upload_to(instance: SessionAttachment, filename: str) -> str:
    today = dt.date.today()  # noqa: DTZ011  a storage folder name, not a business date
    return f"accountability/{today:%Y/%m}/{filename}"


class SessionAttachment(models.Model):
    IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

    session = models.ForeignKey(
        WarningSession, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=_upload_to)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "警示教育附件"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accountability:attachment-download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in self.IMAGE_TYPES

    def audit_unit(self) -> object:
        return self.session.unit
