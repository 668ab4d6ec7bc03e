"""Organisational life: meetings with attendance and attachments, standardisation checklists,
and model posts / responsibility zones / pledges (RULES.md §3; seeds 000, 002, 004)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse

from dangjian.core.models import ScopedQuerySet, scoped_queryset

from . import rules

KIND_CHOICES = [
    (k.value, rules.KIND_LABELS[k]) for k in rules.Kind if k != rules.Kind.SECRETARY_LECTURE
]


class Meeting(models.Model):
    """One event of org life; it may count for several kinds (主题党日+三会一课, RULES.md §3.3)."""

    class Kind(models.TextChoices):
        GENERAL = rules.Kind.GENERAL.value, "支部党员大会"
        COMMITTEE = rules.Kind.COMMITTEE.value, "支委会"
        GROUP = rules.Kind.GROUP.value, "党小组会"
        LECTURE = rules.Kind.LECTURE.value, "党课"
        THEME_DAY = rules.Kind.THEME_DAY.value, "主题党日"
        ORG_LIFE = rules.Kind.ORG_LIFE.value, "组织生活会"
        APPRAISAL = rules.Kind.APPRAISAL.value, "民主评议党员"
        FIRST_TOPIC = rules.Kind.FIRST_TOPIC.value, "第一议题学习"

    org = models.ForeignKey(
        "orgs.PartyOrg", on_delete=models.PROTECT, related_name="meetings", verbose_name="党组织"
    )
    kind = models.CharField("会议类型", max_length=30, choices=Kind.choices, db_index=True)
    also_counts_as = models.JSONField("同时计为", default=list, blank=True)
    held_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=100, blank=True)
    topics = models.TextField("议题/主题", blank=True)
    host = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主持人/主讲人",
    )
    minutes = models.TextField("会议记录", blank=True)
    expected_count = models.PositiveSmallIntegerField("应到人数", default=0)
    present_count = models.PositiveSmallIntegerField("实到人数", default=0)
    excused_count = models.PositiveSmallIntegerField("请假人数", default=0)
    absent_count = models.PositiveSmallIntegerField("缺席人数", default=0)
    entered_on = models.DateField("登记日期")

    objects = scoped_queryset("org__unit__path").as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "组织生活"
        indexes = [models.Index(fields=["org", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.org.name} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("orglife:meeting-detail", args=[self.pk])

    def audit_unit(self) -> object:
        return self.org.unit

    @property
    def is_late_entry(self) -> bool:
        return rules.is_late_entry(self.held_on, self.entered_on)

    @property
    def kinds(self) -> list[str]:
        return [self.kind, *[k for k in self.also_counts_as if k != self.kind]]

    def kinds_display(self) -> str:
        return "、".join(rules.KIND_LABELS.get(k, k) for k in self.kinds)


class MeetingTag(models.Model):
    """A kind the meeting counts for, and whether its record is complete enough to count
    (RULES.md §3.3 "counts only if"). The compliance roll-up groups these rows."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tags")
    org = models.ForeignKey("orgs.PartyOrg", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    held_on = models.DateField()
    qualifies = models.BooleanField(default=True)

    objects = scoped_queryset("org__unit__path").as_manager()

    class Meta:
        indexes = [models.Index(fields=["held_on", "kind"])]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind"], name="orglife_tag_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.kind}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "出席"
        EXCUSED = "excused", "请假"
        ABSENT = "absent", "缺席"

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        QUALIFIED = "qualified", "合格"
        BASIC = "basic", "基本合格"
        UNQUALIFIED = "unqualified", "不合格"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "party.PartyMember", on_delete=models.PROTECT, related_name="+", verbose_name="党员"
    )
    status = models.CharField("出勤", max_length=10, choices=Status.choices)
    reason = models.CharField("缺席原因", max_length=200, blank=True)
    grade = models.CharField("评议等次", max_length=12, choices=Grade.choices, blank=True)

    objects = scoped_queryset("meeting__org__unit__path").as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = "出勤"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="orglife_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.get_status_display()}"


def _upload_to(instance: Attachment, filename: str) -> str:
    today = dt.date.today()  # noqa: DTZ011  a storage folder name, not a business date
    return f"orglife/{today:%Y/%m}/{filename}"


class Attachment(models.Model):
    IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=_upload_to)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)

    objects = scoped_queryset("meeting__org__unit__path").as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "附件"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orglife:attachment-download", args=[self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type in self.IMAGE_TYPES


# ---- standardisation checklists (五好支部, 八上墙) ----


class ChecklistQuerySet(ScopedQuerySet):
    """A checklist is defined by a bureau for everything below it: visible in its subtree and
    to every unit under it (a school sees its bureau's checklists)."""

    path_lookups = ("unit__path",)

    def for_user(self, user: object) -> ChecklistQuerySet:
        from functools import reduce
        from operator import or_

        from dangjian.core.scope import scope_paths

        roots = scope_paths(user)
        ancestors = {int(p) for root in roots for p in root.strip("/").split("/") if p}
        below = reduce(
            or_, (models.Q(unit__path__startswith=r) for r in roots), models.Q(pk__in=[])
        )
        return self.filter(below | models.Q(unit_id__in=ancestors))


class StandardChecklist(models.Model):
    class Kind(models.TextChoices):
        FIVE_GOOD = "five_good", "五好党支部"
        EIGHT_WALLS = "eight_walls", "八上墙"
        OTHER = "other", "其他标准化规范化"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="制定单位"
    )
    kind = models.CharField("类型", max_length=15, choices=Kind.choices)
    name = models.CharField("名称", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    pass_score = models.PositiveSmallIntegerField("达标分数", default=60)
    is_active = models.BooleanField("启用", default=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = "标准化检查表"

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"

    def get_absolute_url(self) -> str:
        return reverse("orglife:checklist-detail", args=[self.pk])

    @property
    def total(self) -> int:
        return sum(i.max_score for i in self.items.all())


class StandardItem(models.Model):
    checklist = models.ForeignKey(StandardChecklist, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    text = models.CharField("检查内容", max_length=300)
    max_score = models.PositiveSmallIntegerField("分值")

    class Meta:
        ordering = ["checklist", "position", "id"]
        verbose_name = "检查项"

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class StandardAssessment(models.Model):
    """A branch's filled checklist: a score per item with evidence."""

    checklist = models.ForeignKey(
        StandardChecklist,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name="检查表",
    )
    org = models.ForeignKey(
        "orgs.PartyOrg", on_delete=models.PROTECT, related_name="+", verbose_name="党支部"
    )
    filled_on = models.DateField("填报日期")
    score = models.PositiveSmallIntegerField("得分", default=0)

    objects = scoped_queryset("org__unit__path").as_manager()

    class Meta:
        ordering = ["-filled_on", "-id"]
        verbose_name = "标准化自评"
        constraints = [
            models.UniqueConstraint(fields=["checklist", "org"], name="orglife_one_fill_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.org.name} · {self.checklist}"

    def get_absolute_url(self) -> str:
        return reverse("orglife:assessment-detail", args=[self.pk])

    def audit_unit(self) -> object:
        return self.org.unit

    @property
    def passed(self) -> bool:
        return self.score >= self.checklist.pass_score


class StandardScore(models.Model):
    assessment = models.ForeignKey(
        StandardAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField("得分")
    note = models.CharField("说明", max_length=300, blank=True)
    evidence = models.FileField("佐证材料", upload_to="orglife/evidence/%Y/%m/", blank=True)

    class Meta:
        ordering = ["item__position", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.score}"


# ---- 党员示范岗, 党员责任区, 承诺践诺 ----


class Vanguard(models.Model):
    """A model post, responsibility zone or pledge, the members who answer for it, and its
    fulfilment (seeds 000, 002)."""

    class Kind(models.TextChoices):
        MODEL_POST = "model_post", "党员示范岗"
        RESPONSIBILITY_ZONE = "responsibility_zone", "党员责任区"
        PLEDGE = "pledge", "承诺践诺"

    class Status(models.TextChoices):
        ACTIVE = "active", "履行中"
        FULFILLED = "fulfilled", "已践诺/已达标"
        UNFULFILLED = "unfulfilled", "未达标"

    TRANSITIONS = {
        Status.ACTIVE: {Status.FULFILLED, Status.UNFULFILLED},
        Status.FULFILLED: set(),
        Status.UNFULFILLED: set(),
    }

    org = models.ForeignKey(
        "orgs.PartyOrg", on_delete=models.PROTECT, related_name="+", verbose_name="党支部"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    title = models.CharField("名称", max_length=100)
    content = models.TextField("内容/承诺事项")
    members = models.ManyToManyField("party.PartyMember", related_name="+", verbose_name="党员")
    started_on = models.DateField("开始日期")
    due_on = models.DateField("期限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField("评定日期", null=True, blank=True)
    result = models.TextField("践诺情况/评定意见", blank=True)

    objects = scoped_queryset("org__unit__path").as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = "示范岗/责任区/承诺"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self) -> str:
        return reverse("orglife:vanguard-detail", args=[self.pk])

    def audit_unit(self) -> object:
        return self.org.unit
