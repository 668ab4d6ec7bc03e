"""一月一通报 (RULES.md §7.1): the monthly bulletin of a unit's supervision work. A draft collects
the good and bad examples the inspector picks; issuing it freezes the month's figures as they are
that day (the history keeps what was published even when records change later) and a background
task writes the Word document from the frozen figures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dangjian.core.models import ScopedQuerySet
from dangjian.core.scope import scope_paths

# who reads drafts and every bulletin of their subtree: the supervising side
READER_ROLES = frozenset(
    {"bureau_admin", "bureau_leader", "inspector", "district_staff", "discipline_inspector"}
)


def _ancestor_ids(paths: list[str]) -> set[int]:
    return {int(p) for path in paths for p in path.strip("/").split("/") if p}


class BulletinQuerySet(ScopedQuerySet):
    scope_roles = READER_ROLES

    def for_user(self, user: Any) -> BulletinQuerySet:
        """The supervising side's own subtree (drafts too); and, for every business role, the
        bulletins issued by the units above them — a 通报 is sent down to the district offices
        and schools it covers, as the paper one is (印发各学区、各学校)."""
        own = self._q(scope_paths(user, self.scope_roles))
        issued = Bulletin.ISSUED_STATUSES
        sent_down = Q(status__in=issued, unit_id__in=_ancestor_ids(scope_paths(user)))
        return self.filter(own | sent_down)


class ExampleQuerySet(ScopedQuerySet):
    scope_roles = READER_ROLES
    path_lookups = ("bulletin__unit__path",)


class Bulletin(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        GENERATING = "generating", "生成中"
        ISSUED = "issued", "已印发"
        FAILED = "failed", "生成失败"

    # draft → generating (issue: figures frozen) → issued | failed; failed → generating (retry)
    TRANSITIONS = {
        Status.DRAFT: {Status.GENERATING},
        Status.GENERATING: {Status.ISSUED, Status.FAILED},
        Status.FAILED: {Status.GENERATING},
        Status.ISSUED: set(),
    }
    EDITABLE = (Status.DRAFT,)
    ISSUED_STATUSES = (Status.ISSUED,)

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="通报单位"
    )
    month = models.DateField("通报月份", db_index=True)  # the first day of the month
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("总体情况", blank=True)
    requirements = models.TextField("下步工作要求", blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    number = models.PositiveSmallIntegerField("期数", null=True, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="签发人",
    )
    # frozen at issue: {"figures": [...], "schools": [...], "as_of": "YYYY-MM-DD"}
    content = models.JSONField("通报数据", default=dict, blank=True)
    file = models.FileField("通报文件", upload_to="bulletins/%Y/", blank=True)
    failure = models.CharField("失败原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="起草人",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = "督导通报"
        constraints = [
            # 一月一通报: one bulletin per unit and month
            models.UniqueConstraint(fields=["unit", "month"], name="bulletin_unit_month")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("bulletins:bulletin-detail", args=[self.pk])

    @property
    def month_label(self) -> str:
        return f"{self.month.year}年{self.month.month}月"

    @property
    def number_label(self) -> str:
        return f"{self.month.year}年第{self.number}期" if self.number else ""

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class Example(models.Model):
    """A good practice to spread (典型经验) or a problem to criticise by name (反面典型)."""

    class Kind(models.TextChoices):
        GOOD = "good", "典型经验"
        BAD = "bad", "反面典型"

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="examples")
    kind = models.CharField("类别", max_length=4, choices=Kind.choices)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="学校"
    )
    finding = models.ForeignKey(
        "rectification.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="关联问题",
    )
    text = models.TextField("内容")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExampleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = "通报典型"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.unit}"

    def audit_unit(self) -> object:
        return self.bulletin.unit
