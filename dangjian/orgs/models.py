"""The unit tree, party organisations, posts, liaison cadres and teacher exchanges."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse

from dangjian.core.models import ScopedQuerySet, scoped_queryset


class UnitQuerySet(ScopedQuerySet):
    path_lookups = ("path",)

    def active_during(self, start: dt.date, end: dt.date) -> UnitQuerySet:
        """Units that existed for at least one day of [start, end): closed ones still count."""
        return self.filter(
            models.Q(established_on__isnull=True) | models.Q(established_on__lt=end),
            models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=start),
        )


class Unit(models.Model):
    class Kind(models.TextChoices):
        PROVINCE_BUREAU = "province_bureau", "省教育厅"
        CITY_BUREAU = "city_bureau", "市教育局"
        BUREAU = "bureau", "县（区）教育局"
        DISTRICT_OFFICE = "district_office", "学区/教管中心"
        KINDERGARTEN = "kindergarten", "幼儿园"
        PRIMARY = "primary", "小学"
        JUNIOR = "junior", "初级中学"
        SENIOR = "senior", "高级中学"
        NINE_YEAR = "nine_year", "九年一贯制学校"
        COMPLETE = "complete", "完全中学"
        VOCATIONAL = "vocational", "职业学校"
        SPECIAL = "special", "特殊教育学校"
        TRAINING_INSTITUTION = "training_institution", "校外培训机构"
        CARE_INSTITUTION = "care_institution", "托管机构"

    class Status(models.TextChoices):
        ACTIVE = "active", "正常"
        CLOSED = "closed", "已撤销"
        MERGED = "merged", "已合并"

    TRANSITIONS = {
        Status.ACTIVE: {Status.CLOSED, Status.MERGED},
        Status.CLOSED: set(),
        Status.MERGED: set(),
    }
    BUREAU_KINDS = frozenset({Kind.PROVINCE_BUREAU, Kind.CITY_BUREAU, Kind.BUREAU})
    SCHOOL_KINDS = frozenset(
        {
            Kind.KINDERGARTEN,
            Kind.PRIMARY,
            Kind.JUNIOR,
            Kind.SENIOR,
            Kind.NINE_YEAR,
            Kind.COMPLETE,
            Kind.VOCATIONAL,
            Kind.SPECIAL,
        }
    )

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级单位",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    code = models.CharField("单位代码", max_length=32, unique=True)
    name = models.CharField("单位名称", max_length=100, db_index=True)
    kind = models.CharField("单位类型", max_length=30, choices=Kind.choices)
    is_private = models.BooleanField("民办", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    head = models.ForeignKey(
        "people.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="单位负责人（校长/园长）",
    )
    principal_responsibility_system = models.BooleanField(
        "已实行党组织领导的校长负责制", default=False
    )
    principal_system_since = models.DateField("实行日期", null=True, blank=True)
    established_on = models.DateField("设立日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    closed_on = models.DateField("撤并日期", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="承继单位",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:unit-detail", args=[self.pk])

    @property
    def is_school(self) -> bool:
        return self.kind in self.SCHOOL_KINDS

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]


class UnitEvent(models.Model):
    """A closure or merger: the unit stays, read-only, with the event that ended it."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", "撤销"
        MERGER = "merger", "合并"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=10, choices=Kind.choices)
    happened_on = models.DateField("日期")
    document_number = models.CharField("文号", max_length=100, blank=True)
    successor = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承继单位",
    )
    note = models.CharField("说明", max_length=500, blank=True)
    people_moved = models.PositiveIntegerField(default=0)
    orgs_moved = models.PositiveIntegerField(default=0)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = "撤并记录"

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.happened_on}"


class PartyOrg(models.Model):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", "党委"
        GENERAL_BRANCH = "general_branch", "党总支"
        BRANCH = "branch", "党支部"
        GROUP = "group", "党小组"

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="party_orgs", verbose_name="所在单位"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级党组织",
    )
    name = models.CharField("党组织名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    established_on = models.DateField("成立日期", null=True, blank=True)
    term_started_on = models.DateField("本届起始日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("任期（年）", default=3)
    is_active = models.BooleanField("有效", default=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = "党组织"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:partyorg-detail", args=[self.pk])

    @property
    def term_ends_on(self) -> dt.date | None:
        from dangjian.core.dates import add_months

        if self.term_started_on is None:
            return None
        return add_months(self.term_started_on, 12 * self.term_years)


class Post(models.Model):
    class Title(models.TextChoices):
        SECRETARY = "secretary", "书记"
        DEPUTY_SECRETARY = "deputy_secretary", "副书记"
        ORGANIZATION = "organization_member", "组织委员"
        PROPAGANDA = "propaganda_member", "宣传委员"
        DISCIPLINE = "discipline_member", "纪检委员"
        COMMITTEE_MEMBER = "committee_member", "委员"
        GROUP_LEADER = "group_leader", "党小组组长"

    org = models.ForeignKey(
        PartyOrg, on_delete=models.PROTECT, related_name="posts", verbose_name="党组织"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="posts", verbose_name="任职人"
    )
    title = models.CharField("职务", max_length=30, choices=Title.choices)
    started_on = models.DateField("任职日期")
    ended_on = models.DateField("离任日期", null=True, blank=True)

    objects = scoped_queryset("org__unit__path").as_manager()

    class Meta:
        ordering = ["org", "title", "-started_on"]
        verbose_name = "党组织职务"

    def __str__(self) -> str:
        return f"{self.org} {self.get_title_display()} {self.person}"

    def audit_unit(self) -> Unit:
        return self.org.unit


class Liaison(models.Model):
    """挂联干部: a bureau cadre assigned to a school for a period (三挂一蹲点)."""

    class Kind(models.TextChoices):
        LIAISON = "liaison", "挂联"
        STATIONED = "stationed", "蹲点"

    cadre = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="liaisons", verbose_name="挂联干部"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="liaisons", verbose_name="挂联学校"
    )
    kind = models.CharField("方式", max_length=10, choices=Kind.choices, default=Kind.LIAISON)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    # the school's side and the cadre's own unit both see the assignment
    objects = scoped_queryset("unit__path", "cadre__unit__path").as_manager()

    class Meta:
        ordering = ["-started_on", "id"]
        verbose_name = "挂联安排"

    def __str__(self) -> str:
        return f"{self.cadre} 挂联 {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("orgs:liaison-detail", args=[self.pk])


class Exchange(models.Model):
    """区管校聘: a teacher moved between schools by exchange or rotation."""

    class Kind(models.TextChoices):
        EXCHANGE = "exchange", "交流"
        ROTATION = "rotation", "轮岗"
        SUPPORT = "support", "支教"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="exchanges", verbose_name="教师"
    )
    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="exchanges_out", verbose_name="调出单位"
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="exchanges_in", verbose_name="调入单位"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    happened_on = models.DateField("日期")
    document_number = models.CharField("文号", max_length=100, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    objects = scoped_queryset("from_unit__path", "to_unit__path").as_manager()

    class Meta:
        ordering = ["-happened_on", "-id"]
        verbose_name = "交流轮岗"

    def __str__(self) -> str:
        return f"{self.person} {self.from_unit}→{self.to_unit}"

    def audit_unit(self) -> Unit:
        return self.to_unit
