"""发展党员: one DevelopmentRecord per person, its Steps (RULES.md §2.3) and documents.

The record keeps the dates reached so far (the rules read them without touching the steps) and
its next deadline, so lists filter "overdue" and "due soon" in the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset

from . import rules


class DevelopmentRecord(models.Model):
    class Status(models.TextChoices):
        APPLICANT = rules.APPLICANT, "入党申请人"
        ACTIVIST = rules.ACTIVIST, "入党积极分子"
        CANDIDATE = rules.CANDIDATE, "发展对象"
        PROBATIONARY = rules.PROBATIONARY, "预备党员"
        FULL = rules.FULL, "正式党员"
        TERMINATED = rules.TERMINATED, "已终止"

    TRANSITIONS = {
        Status.APPLICANT: {Status.ACTIVIST, Status.TERMINATED},
        Status.ACTIVIST: {Status.CANDIDATE, Status.TERMINATED},
        Status.CANDIDATE: {Status.PROBATIONARY, Status.TERMINATED},
        Status.PROBATIONARY: {Status.FULL, Status.TERMINATED},
        Status.FULL: set(),
        Status.TERMINATED: set(),
    }

    person = models.OneToOneField(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="development",
        verbose_name="发展对象人员",
    )
    branch = models.ForeignKey(
        "orgs.PartyOrg",
        on_delete=models.PROTECT,
        related_name="development_records",
        verbose_name="所在党组织",
    )
    status = models.CharField(
        "当前阶段", max_length=15, choices=Status.choices, default=Status.APPLICANT
    )
    applied_on = models.DateField("申请日期")
    received_on = models.DateField("党组织收到申请日期", null=True, blank=True)
    talk_on = models.DateField("谈话日期", null=True, blank=True)
    activist_on = models.DateField("确定为入党积极分子日期", null=True, blank=True)
    last_assessment_on = models.DateField("最近考察日期", null=True, blank=True)
    candidate_on = models.DateField("确定为发展对象日期", null=True, blank=True)
    political_review_on = models.DateField("政审结论日期", null=True, blank=True)
    training_met = models.BooleanField("集中培训达标", default=False)
    admitted_on = models.DateField("支部大会接收日期", null=True, blank=True)
    resolution_received_on = models.DateField("上级党委收到决议日期", null=True, blank=True)
    approved_on = models.DateField("上级党委审批日期", null=True, blank=True)
    oath_on = models.DateField("入党宣誓日期", null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", default=0)
    probation_ends_on = models.DateField("预备期满日期", null=True, blank=True)
    full_meeting_on = models.DateField("支部大会讨论转正日期", null=True, blank=True)
    full_approved_on = models.DateField("转正审批日期", null=True, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=300, blank=True)
    done = models.JSONField("已办步骤", default=list, blank=True)
    # 双培养 (seeds 002, 003)
    key_teacher_at_application = models.BooleanField("申请时为骨干教师", default=False)
    became_key_teacher_on = models.DateField("培养成骨干教师日期", null=True, blank=True)
    # the next deadline (rules.deadlines), kept by the actions for list filters
    next_due_on = models.DateField("下一期限", null=True, blank=True, db_index=True)
    next_warn_from = models.DateField("提醒开始日期", null=True, blank=True)
    next_due_label = models.CharField("下一待办", max_length=100, blank=True)
    recorded_warnings = models.JSONField("已记录的提醒", default=list, blank=True)
    flagged = models.BooleanField("有步骤违反期限规定", default=False)
    member = models.OneToOneField(
        "party.PartyMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="development_record",
        verbose_name="党员记录",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("branch__unit__path").as_manager()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = "发展党员记录"
        indexes = [models.Index(fields=["branch", "status"])]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("development:record-detail", args=[self.pk])

    def audit_unit(self) -> Any:
        return self.branch.unit

    def facts(self) -> rules.Facts:
        return rules.Facts(
            stage=self.status,
            applied_on=self.applied_on,
            birth_date=self.person.birth_date,
            received_on=self.received_on,
            talk_on=self.talk_on,
            activist_on=self.activist_on,
            last_assessment_on=self.last_assessment_on,
            candidate_on=self.candidate_on,
            political_review_on=self.political_review_on,
            admitted_on=self.admitted_on,
            resolution_received_on=self.resolution_received_on,
            approved_on=self.approved_on,
            oath_on=self.oath_on,
            extension_months=self.extension_months,
            full_meeting_on=self.full_meeting_on,
            full_approved_on=self.full_approved_on,
            training_met=self.training_met,
            done=frozenset(self.done),
        )

    def standing(self, today: dt.date) -> tuple[list[rules.Finding], list[rules.Finding]]:
        """(violations, warnings) as of `today`, with the warnings its steps left behind."""
        violations, warnings = rules.standing(self.facts(), today)
        recorded = [
            rules.Finding(w["rule"], w["message"], w.get("field")) for w in self.recorded_warnings
        ]
        return violations, recorded + warnings

    def due_state(self, today: dt.date) -> str:
        """ "overdue", "soon" or "" for the list's badge (no query)."""
        if self.next_due_on is None:
            return ""
        if self.next_due_on < today:
            return "overdue"
        if self.next_warn_from is not None and self.next_warn_from <= today:
            return "soon"
        return ""


class Step(models.Model):
    KIND_CHOICES = [(k.code, k.label) for k in rules.STEP_KINDS]

    record = models.ForeignKey(
        DevelopmentRecord, on_delete=models.PROTECT, related_name="steps", verbose_name="发展记录"
    )
    kind = models.CharField("步骤", max_length=30, choices=KIND_CHOICES)
    on = models.DateField("日期")
    people = models.ManyToManyField(
        "people.Person", blank=True, related_name="development_steps", verbose_name="相关人员"
    )
    notes = models.TextField("说明", blank=True)
    training_days = models.PositiveSmallIntegerField("培训天数", null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField("培训学时", null=True, blank=True)
    votes_due = models.PositiveSmallIntegerField("应到会有表决权正式党员", null=True, blank=True)
    votes_present = models.PositiveSmallIntegerField(
        "实到会有表决权正式党员", null=True, blank=True
    )
    votes_yes = models.PositiveSmallIntegerField("赞成票", null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长月数", null=True, blank=True)
    received_on = models.DateField("上级党委收到决议日期", null=True, blank=True)
    warnings = models.JSONField("提醒", default=list, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("record__branch__unit__path").as_manager()

    class Meta:
        ordering = ["on", "id"]
        verbose_name = "发展步骤"

    def __str__(self) -> str:
        return f"{self.record.person.name} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("development:record-detail", args=[self.record_id])

    def audit_unit(self) -> Any:
        return self.record.branch.unit

    @property
    def kind_info(self) -> rules.StepKind:
        return rules.KINDS[self.kind]


def _upload_to(instance: Document, filename: str) -> str:
    today = dt.date.today()  # noqa: DTZ011  only a storage folder name
    return f"development/{today:%Y/%m}/{filename}"


class Document(models.Model):
    record = models.ForeignKey(
        DevelopmentRecord,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name="发展记录",
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name="所属步骤",
    )
    title = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to=_upload_to, max_length=200)
    filename = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("record__branch__unit__path").as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "发展材料"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("development:document-download", args=[self.pk])

    def audit_unit(self) -> Any:
        return self.record.branch.unit

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
