"""三重一大 (MajorDecision, RULES.md §5): a bureau's settings and catalogue, agenda items (议题)
filed by schools and reviewed before the meeting, the meeting record (attendance, recusals,
opinions in speaking order, votes), execution follow-up and discipline spot checks.

Flags (RULES.md §5.3) are stored as ItemFlag rows refreshed by every action that changes what
they depend on; a flag that depends on the date (execution_overdue) is stored as a date range
(`since`/`until`), so "flagged as of day D" is a query, never a stale boolean.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.models import ScopedQuerySet, scoped_queryset
from dangjian.core.scope import scope_paths

from . import rules


def _subtree_q(lookup: str, paths: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths), Q(pk__in=[]))


class FromAboveQuerySet(ScopedQuerySet):
    """Bureau definitions: seen in the reader's subtree and from every unit above it (a school
    reads its bureau's settings and catalogue)."""

    def for_user(self, user: Any) -> FromAboveQuerySet:
        roots = scope_paths(user)
        above = {int(p) for root in roots for p in root.strip("/").split("/") if p}
        return self.filter(_subtree_q("unit__path", roots) | Q(unit_id__in=above))


class Category(models.TextChoices):
    MAJOR_MATTER = (
        rules.Category.MAJOR_MATTER.value,
        rules.CATEGORY_LABELS[rules.Category.MAJOR_MATTER],
    )
    CADRE_APPOINTMENT = (
        rules.Category.CADRE_APPOINTMENT.value,
        rules.CATEGORY_LABELS[rules.Category.CADRE_APPOINTMENT],
    )
    MAJOR_PROJECT = (
        rules.Category.MAJOR_PROJECT.value,
        rules.CATEGORY_LABELS[rules.Category.MAJOR_PROJECT],
    )
    LARGE_FUND = rules.Category.LARGE_FUND.value, rules.CATEGORY_LABELS[rules.Category.LARGE_FUND]


class Body(models.TextChoices):
    PARTY_ORG_MEETING = (
        rules.Body.PARTY_ORG_MEETING.value,
        rules.BODY_LABELS[rules.Body.PARTY_ORG_MEETING],
    )
    PRINCIPAL_OFFICE_MEETING = (
        rules.Body.PRINCIPAL_OFFICE_MEETING.value,
        rules.BODY_LABELS[rules.Body.PRINCIPAL_OFFICE_MEETING],
    )
    STAFF_CONGRESS = rules.Body.STAFF_CONGRESS.value, rules.BODY_LABELS[rules.Body.STAFF_CONGRESS]


class Step(models.TextChoices):
    INVESTIGATION = rules.Step.INVESTIGATION.value, rules.STEP_LABELS[rules.Step.INVESTIGATION]
    EXPERT_REVIEW = rules.Step.EXPERT_REVIEW.value, rules.STEP_LABELS[rules.Step.EXPERT_REVIEW]
    LEGALITY_REVIEW = (
        rules.Step.LEGALITY_REVIEW.value,
        rules.STEP_LABELS[rules.Step.LEGALITY_REVIEW],
    )
    OPINIONS = rules.Step.OPINIONS.value, rules.STEP_LABELS[rules.Step.OPINIONS]
    PARTY_PREVIEW = rules.Step.PARTY_PREVIEW.value, rules.STEP_LABELS[rules.Step.PARTY_PREVIEW]
    STAFF_CONGRESS = rules.Step.STAFF_CONGRESS.value, rules.STEP_LABELS[rules.Step.STAFF_CONGRESS]


class FlagCode(models.TextChoices):
    NOT_FILED_IN_ADVANCE = (
        rules.Code.NOT_FILED_IN_ADVANCE.value,
        rules.FLAG_KINDS[rules.Code.NOT_FILED_IN_ADVANCE].label,
    )
    FILED_LATE = rules.Code.FILED_LATE.value, rules.FLAG_KINDS[rules.Code.FILED_LATE].label
    MISSING_STEPS = rules.Code.MISSING_STEPS.value, rules.FLAG_KINDS[rules.Code.MISSING_STEPS].label
    NO_MEETING = rules.Code.NO_MEETING.value, rules.FLAG_KINDS[rules.Code.NO_MEETING].label
    NO_QUORUM = rules.Code.NO_QUORUM.value, rules.FLAG_KINDS[rules.Code.NO_QUORUM].label
    RECUSAL_BREACH = (
        rules.Code.RECUSAL_BREACH.value,
        rules.FLAG_KINDS[rules.Code.RECUSAL_BREACH].label,
    )
    CHIEF_NOT_LAST = (
        rules.Code.CHIEF_NOT_LAST.value,
        rules.FLAG_KINDS[rules.Code.CHIEF_NOT_LAST].label,
    )
    VOTE_NOT_RECORDED = (
        rules.Code.VOTE_NOT_RECORDED.value,
        rules.FLAG_KINDS[rules.Code.VOTE_NOT_RECORDED].label,
    )
    LARGE_FUND_NOT_COLLECTIVE = (
        rules.Code.LARGE_FUND_NOT_COLLECTIVE.value,
        rules.FLAG_KINDS[rules.Code.LARGE_FUND_NOT_COLLECTIVE].label,
    )
    POSSIBLE_SPLITTING = (
        rules.Code.POSSIBLE_SPLITTING.value,
        rules.FLAG_KINDS[rules.Code.POSSIBLE_SPLITTING].label,
    )
    EXECUTION_OVERDUE = (
        rules.Code.EXECUTION_OVERDUE.value,
        rules.FLAG_KINDS[rules.Code.EXECUTION_OVERDUE].label,
    )


class DecisionSettings(models.Model):
    """One per bureau (or district office); a school uses its nearest ancestor's."""

    class HalfRule(models.TextChoices):
        MORE_THAN_HALF = rules.HalfRule.MORE_THAN_HALF.value, "超过半数（不含半数）"
        AT_LEAST_HALF = rules.HalfRule.AT_LEAST_HALF.value, "半数以上（含半数）"

    class MajorityBase(models.TextChoices):
        DUE = rules.MajorityBase.DUE.value, "应到会成员"
        PRESENT = rules.MajorityBase.PRESENT.value, "实到会成员"

    unit = models.OneToOneField(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="制定单位"
    )
    large_fund_threshold_yuan = models.DecimalField(
        "大额资金标准（元）", max_digits=14, decimal_places=2, default=rules.DEFAULT_THRESHOLD
    )
    # {unit kind: "50000.00"}: a different threshold for some kinds of school
    threshold_by_kind = models.JSONField("按学校类型的大额资金标准", default=dict, blank=True)
    filing_lead_days = models.PositiveSmallIntegerField(
        "会前报备时限（工作日）", default=rules.DEFAULT_LEAD_DAYS
    )
    quorum_half_rule = models.CharField(
        "到会人数要求",
        max_length=16,
        choices=HalfRule.choices,
        default=HalfRule.MORE_THAN_HALF,
    )
    majority_base = models.CharField(
        "表决通过基数", max_length=10, choices=MajorityBase.choices, default=MajorityBase.DUE
    )
    split_window_days = models.PositiveSmallIntegerField(
        "拆分预警时间窗口（天）", default=rules.DEFAULT_SPLIT_WINDOW
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FromAboveQuerySet.as_manager()

    class Meta:
        verbose_name = "三重一大设置"

    def __str__(self) -> str:
        return f"{self.unit}三重一大设置"

    def get_absolute_url(self) -> str:
        return reverse("decisions:settings")

    def as_rules(self) -> rules.Settings:
        return rules.Settings(
            large_fund_threshold_yuan=self.large_fund_threshold_yuan,
            threshold_by_kind={
                k: Decimal(str(v)) for k, v in (self.threshold_by_kind or {}).items()
            },
            filing_lead_days=self.filing_lead_days,
            quorum_half_rule=rules.HalfRule(self.quorum_half_rule),
            majority_base=rules.MajorityBase(self.majority_base),
            split_window_days=self.split_window_days,
        )


class DecisionCategory(models.Model):
    """A catalogue entry (事项清单): a subcategory of one of the four categories, its examples,
    the bodies that may decide it and the preparatory steps it needs."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="制定单位"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    name = models.CharField("事项名称", max_length=100)
    examples = models.TextField("具体事项举例", blank=True)
    bodies = models.JSONField("决策会议", default=list)  # Body values, in order
    required_steps = models.JSONField("必经前置程序", default=list)  # Step values
    staff_congress_required = models.BooleanField("须经教代会审议", default=False)
    position = models.PositiveSmallIntegerField("序号", default=0)
    is_active = models.BooleanField("启用", default=True)

    objects = FromAboveQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "category", "position", "id"]
        verbose_name = "三重一大事项目录"

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:category-list")

    def get_bodies_display(self) -> str:
        labels = dict(Body.choices)
        return "、".join(str(labels.get(b, b)) for b in self.bodies)

    def get_required_steps_display(self) -> str:
        labels = dict(Step.choices)
        return "、".join(str(labels.get(s, s)) for s in self.required_steps)


class AgendaItemQuerySet(ScopedQuerySet):
    path_lookups = ("unit__path",)


class AgendaItem(models.Model):
    """议题: filed before the meeting, reviewed, decided, executed. Status only via actions."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        FILED = "filed", "已报备待审核"
        RETURNED = "returned", "退回修改"
        APPROVED = "approved", "同意上会"
        NOT_MAJOR = "not_major", "非三重一大事项"
        PASSED = "passed", "会议通过"
        NOT_PASSED = "not_passed", "会议未通过"
        EXECUTING = "executing", "执行中"
        COMPLETED = "completed", "执行完毕"

    S = Status
    TRANSITIONS = {
        S.DRAFT: {S.FILED, S.PASSED, S.NOT_PASSED},
        S.FILED: {S.APPROVED, S.RETURNED, S.NOT_MAJOR, S.PASSED, S.NOT_PASSED},
        S.RETURNED: {S.FILED, S.PASSED, S.NOT_PASSED},
        S.APPROVED: {S.PASSED, S.NOT_PASSED},
        S.NOT_MAJOR: set(),
        S.PASSED: {S.EXECUTING},
        S.NOT_PASSED: set(),
        S.EXECUTING: {S.COMPLETED},
        S.COMPLETED: set(),
    }
    EDITABLE = (S.DRAFT, S.RETURNED)  # the school may still change the content
    UNDECIDED = (S.DRAFT, S.FILED, S.RETURNED, S.APPROVED)  # may be put on a meeting record
    DECIDED = (S.PASSED, S.NOT_PASSED, S.EXECUTING, S.COMPLETED)

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="agenda_items", verbose_name="学校"
    )
    category = models.CharField("类别", max_length=20, choices=Category.choices, db_index=True)
    subcategory = models.ForeignKey(
        DecisionCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="具体事项",
    )
    title = models.CharField("议题名称", max_length=200)
    content = models.TextField("议题内容")
    amount = models.DecimalField(
        "涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    payee = models.CharField(
        "收款单位/项目", max_length=100, blank=True, help_text="用于识别同一对象的拆分支付"
    )
    steps_done = models.JSONField("已完成的前置程序", default=list, blank=True)  # Step values
    steps_note = models.TextField("前置程序情况说明", blank=True)
    planned_body = models.CharField(
        "拟提交会议", max_length=30, choices=Body.choices, default=Body.PARTY_ORG_MEETING
    )
    planned_meeting_on = models.DateField("拟上会日期", null=True, blank=True)
    proposer = models.CharField("提议人", max_length=50, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    filed_on = models.DateField("报备日期", null=True, blank=True, db_index=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报备人",
    )
    approved_on = models.DateField("审核同意日期", null=True, blank=True)
    return_count = models.PositiveSmallIntegerField("退回次数", default=0)
    decided_on = models.DateField("决策日期", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="填报人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "三重一大议题"
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["unit", "payee"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:item-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    def get_steps_done_display(self) -> str:
        labels = dict(Step.choices)
        return "、".join(str(labels.get(s, s)) for s in self.steps_done)

    def active_flags(self, as_of: dt.date) -> list[rules.Flag]:
        """The item's flags on `as_of` (use with prefetch_related("flag_rows"))."""
        return [
            rules.Flag(rules.Code(f.code), f.detail)
            for f in self.flag_rows.all()
            if f.active_on(as_of)
        ]


class ItemFlag(models.Model):
    """One flag an item raises; refreshed by actions. `since`/`until` bound flags that depend
    on the date (execution overdue from the day after the due date until completion)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="flag_rows")
    code = models.CharField("问题类型", max_length=30, choices=FlagCode.choices, db_index=True)
    severity = models.CharField(
        "性质",
        max_length=10,
        choices=[(rules.Severity.VIOLATION.value, "违规"), (rules.Severity.WARNING.value, "预警")],
    )
    detail = models.CharField("情况", max_length=200, blank=True)
    since = models.DateField("起始日期", null=True, blank=True)
    until = models.DateField("截止日期", null=True, blank=True)

    objects = scoped_queryset("item__unit__path").as_manager()

    class Meta:
        ordering = ["item", "code"]
        verbose_name = "三重一大问题提示"
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="dec_flag_once")]

    def __str__(self) -> str:
        return f"{self.item}：{self.get_code_display()}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()

    def active_on(self, as_of: dt.date) -> bool:
        return (self.since is None or self.since <= as_of) and (
            self.until is None or self.until > as_of
        )

    @property
    def rule(self) -> str:
        return rules.FLAG_KINDS[rules.Code(self.code)].rule

    @staticmethod
    def active_q(as_of: dt.date, prefix: str = "") -> Q:
        return (Q(**{f"{prefix}since__isnull": True}) | Q(**{f"{prefix}since__lte": as_of})) & (
            Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gt": as_of})
        )


class ItemReview(models.Model):
    """One review of a filed item by the bureau or discipline inspection."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "同意上会"
        RETURNED = "returned", "退回修改"
        NOT_MAJOR = "not_major", "非三重一大事项"

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField("审核结果", max_length=12, choices=Decision.choices)
    opinion = models.TextField("审核意见", blank=True)
    reviewed_on = models.DateField("审核日期")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )

    objects = scoped_queryset("item__unit__path").as_manager()

    class Meta:
        ordering = ["reviewed_on", "id"]
        verbose_name = "议题审核"

    def __str__(self) -> str:
        return f"{self.item.title}：{self.get_decision_display()}"

    def audit_unit(self) -> Any:
        return self.item.unit


class DecisionMeeting(models.Model):
    """The meeting (or, flagged, the circulation) that decided one or more items."""

    class Mode(models.TextChoices):
        MEETING = rules.Mode.MEETING.value, rules.MODE_LABELS[rules.Mode.MEETING]
        CIRCULATION = rules.Mode.CIRCULATION.value, rules.MODE_LABELS[rules.Mode.CIRCULATION]
        INDIVIDUAL = rules.Mode.INDIVIDUAL.value, rules.MODE_LABELS[rules.Mode.INDIVIDUAL]

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="学校"
    )
    body = models.CharField("会议类型", max_length=30, choices=Body.choices)
    mode = models.CharField("决策方式", max_length=12, choices=Mode.choices, default=Mode.MEETING)
    title = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期", db_index=True)
    place = models.CharField("会议地点", max_length=100, blank=True)
    recorder = models.CharField("记录人", max_length=50, blank=True)
    notes = models.TextField("会议情况", blank=True)
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
        ordering = ["-held_on", "-id"]
        verbose_name = "决策会议"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:meeting-detail", args=[self.pk])


class MeetingMember(models.Model):
    """A member due to attend (应到会成员): present or absent with a reason."""

    meeting = models.ForeignKey(DecisionMeeting, on_delete=models.CASCADE, related_name="members")
    position = models.PositiveSmallIntegerField("序号")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="人员",
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=50, blank=True)
    is_chair = models.BooleanField("主持人", default=False)
    present = models.BooleanField("到会", default=True)
    absence_reason = models.CharField("缺席原因", max_length=100, blank=True)

    objects = scoped_queryset("meeting__unit__path").as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = "会议成员"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="dec_member_position")
        ]

    def __str__(self) -> str:
        return self.name


class MeetingItem(models.Model):
    """One item as the meeting took it: its own vote and decision (一事一议一表决)."""

    class Result(models.TextChoices):
        PASSED = "passed", "通过"
        NOT_PASSED = "not_passed", "未通过"

    meeting = models.ForeignKey(DecisionMeeting, on_delete=models.CASCADE, related_name="items")
    item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="discussion", verbose_name="议题"
    )
    position = models.PositiveSmallIntegerField("议程序号")
    votes_yes = models.PositiveSmallIntegerField("赞成票", null=True, blank=True)
    votes_no = models.PositiveSmallIntegerField("反对票", null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField("弃权票", null=True, blank=True)
    decision = models.TextField("决定事项", blank=True)
    result = models.CharField("表决结果", max_length=12, choices=Result.choices)

    objects = scoped_queryset("meeting__unit__path").as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = "会议议题"

    def __str__(self) -> str:
        return f"{self.meeting}：{self.item.title}"

    @property
    def votes_recorded(self) -> bool:
        return None not in (self.votes_yes, self.votes_no, self.votes_abstain)


class Recusal(models.Model):
    """A member with a conflict of interest on an item; `withdrew`: absent from its discussion
    and vote (otherwise a recusal breach)."""

    meeting_item = models.ForeignKey(MeetingItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="recusals")
    reason = models.CharField("回避事由", max_length=200)
    withdrew = models.BooleanField("已回避", default=True)

    objects = scoped_queryset("meeting_item__meeting__unit__path").as_manager()

    class Meta:
        ordering = ["meeting_item", "member__position"]
        verbose_name = "回避"
        constraints = [
            models.UniqueConstraint(fields=["meeting_item", "member"], name="dec_recusal_once")
        ]

    def __str__(self) -> str:
        return f"{self.member.name}：{self.reason}"


class Opinion(models.Model):
    """A member's stated view on an item, in speaking order."""

    class Stance(models.TextChoices):
        AGREE = "agree", "同意"
        DISAGREE = "disagree", "不同意"
        ABSTAIN = "abstain", "弃权"
        OTHER = "other", "其他意见"

    meeting_item = models.ForeignKey(MeetingItem, on_delete=models.CASCADE, related_name="opinions")
    member = models.ForeignKey(MeetingMember, on_delete=models.CASCADE, related_name="opinions")
    order = models.PositiveSmallIntegerField("发言顺序")
    stance = models.CharField("表态", max_length=10, choices=Stance.choices, default=Stance.AGREE)
    text = models.TextField("发表意见", blank=True)

    objects = scoped_queryset("meeting_item__meeting__unit__path").as_manager()

    class Meta:
        ordering = ["meeting_item", "order"]
        verbose_name = "表态发言"
        constraints = [
            models.UniqueConstraint(fields=["meeting_item", "order"], name="dec_opinion_order"),
            models.UniqueConstraint(fields=["meeting_item", "member"], name="dec_opinion_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.member.name}：{self.get_stance_display()}"


class Execution(models.Model):
    """Follow-up of a passed item: who, by when, milestones, progress, completion."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="execution")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="学校"
    )
    responsible = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="责任人",
    )
    responsible_name = models.CharField("责任人", max_length=50)
    started_on = models.DateField("开始执行日期")
    due_on = models.DateField("执行期限", db_index=True)
    progress = models.TextField("执行进展", blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    report = models.TextField("执行情况报告", blank=True)
    evidence_note = models.CharField("佐证材料说明", max_length=200, blank=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "决策执行"

    def __str__(self) -> str:
        return f"执行：{self.item.title}"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()

    def overdue_on(self, as_of: dt.date) -> bool:
        return rules.execution_overdue(self.due_on, self.completed_on, as_of)


class Milestone(models.Model):
    execution = models.ForeignKey(Execution, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("节点内容", max_length=200)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)
    note = models.CharField("完成情况", max_length=200, blank=True)

    objects = scoped_queryset("execution__unit__path").as_manager()

    class Meta:
        ordering = ["execution", "position"]
        verbose_name = "执行节点"

    def __str__(self) -> str:
        return self.text

    def audit_unit(self) -> Any:
        return self.execution.unit


class SpotCheck(models.Model):
    """纪检抽查 of a decided item; a problem opens a finding in the rectification loop."""

    class Result(models.TextChoices):
        OK = "ok", "未发现问题"
        PROBLEM = "problem", "发现问题"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="spot_checks")
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="学校"
    )
    checked_on = models.DateField("抽查日期", db_index=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="抽查人",
    )
    result = models.CharField("抽查结果", max_length=10, choices=Result.choices)
    note = models.TextField("抽查情况", blank=True)
    finding = models.OneToOneField(
        "rectification.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_spot_check",
        verbose_name="发现的问题",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["-checked_on", "-id"]
        verbose_name = "三重一大抽查"

    def __str__(self) -> str:
        return f"抽查：{self.item.title}（{self.get_result_display()}）"

    def get_absolute_url(self) -> str:
        return self.item.get_absolute_url()


def _upload_to(instance: Attachment, filename: str) -> str:
    today = dt.date.today()  # noqa: DTZ011  a storage folder name, not a business date
    return f"decisions/{today:%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file of an item (materials, a preparatory step's record, execution evidence) or of a
    meeting (minutes, sign-in sheet)."""

    class Kind(models.TextChoices):
        MATERIAL = "material", "议题材料"
        INVESTIGATION = "investigation", "调查研究材料"
        EXPERT_REVIEW = "expert_review", "专家论证意见"
        LEGALITY_REVIEW = "legality_review", "合法性审查意见"
        OPINIONS = "opinions", "征求意见情况"
        PARTY_PREVIEW = "party_preview", "前置研究/会前沟通记录"
        STAFF_CONGRESS = "staff_congress", "教代会决议"
        MINUTES = "minutes", "会议纪要/记录"
        SIGN_IN = "sign_in", "签到表"
        EXECUTION = "execution", "执行佐证"

    ITEM_KINDS = frozenset(
        {
            Kind.MATERIAL,
            Kind.INVESTIGATION,
            Kind.EXPERT_REVIEW,
            Kind.LEGALITY_REVIEW,
            Kind.OPINIONS,
            Kind.PARTY_PREVIEW,
            Kind.STAFF_CONGRESS,
            Kind.EXECUTION,
        }
    )
    MEETING_KINDS = frozenset({Kind.MINUTES, Kind.SIGN_IN})
    IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="学校"
    )
    item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    meeting = models.ForeignKey(
        DecisionMeeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_upload_to)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("文件类型", max_length=100)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "三重一大附件"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("decisions:attachment-download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in self.IMAGE_TYPES
