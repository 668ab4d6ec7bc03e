"""Party members: a person's membership of a branch, its status and dues category.

Split from the other party-affairs apps (development, dues, orglife) so each area keeps its own
small modules and migrations; they all hang off PartyMember.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset


class PartyMember(models.Model):
    class Status(models.TextChoices):
        PROBATIONARY = "probationary", "预备党员"
        FULL = "full", "正式党员"
        SUSPENDED = "suspended", "停止党籍"
        LEFT = "left", "已出党"
        DECEASED = "deceased", "已去世"

    class DuesCategory(models.TextChoices):  # RULES.md §1.3
        ON_POST = "on_post", "在岗职工"
        ANNUAL_SALARY = "annual_salary", "实行年薪制人员"
        SELF_EMPLOYED = "self_employed", "个体经营者等"
        RETIRED = "retired", "离退休干部职工"
        FARMER = "farmer", "农民党员"
        STUDENT = "student", "学生党员"
        UNEMPLOYED = "unemployed", "下岗失业党员"
        RELIEF = "relief", "依靠抚恤或救济生活"
        DIBAO = "dibao", "领取最低生活保障金"

    ACTIVE_STATUSES = frozenset({Status.PROBATIONARY, Status.FULL})
    TRANSITIONS = {
        Status.PROBATIONARY: {Status.FULL, Status.LEFT, Status.DECEASED},
        Status.FULL: {Status.SUSPENDED, Status.LEFT, Status.DECEASED},
        Status.SUSPENDED: {Status.FULL, Status.LEFT, Status.DECEASED},
        Status.LEFT: set(),
        Status.DECEASED: set(),
    }

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="membership", verbose_name="人员"
    )
    branch = models.ForeignKey(
        "orgs.PartyOrg", on_delete=models.PROTECT, related_name="members", verbose_name="所在支部"
    )
    status = models.CharField(
        "党员状态",
        max_length=15,
        choices=Status.choices,
        default=Status.PROBATIONARY,
        db_index=True,
    )
    joined_on = models.DateField("入党日期")  # the branch meeting's admission date
    full_on = models.DateField("转正日期", null=True, blank=True)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    status_reason = models.CharField("变更原因", max_length=300, blank=True)
    dues_category = models.CharField(
        "党费类别", max_length=15, choices=DuesCategory.choices, default=DuesCategory.ON_POST
    )
    is_mobile = models.BooleanField("流动党员", default=False)

    objects = scoped_queryset("branch__unit__path").as_manager()

    class Meta:
        ordering = ["branch", "person__name", "id"]
        verbose_name = "党员"
        indexes = [models.Index(fields=["branch", "status"])]

    def __str__(self) -> str:
        return self.person.name

    def get_absolute_url(self) -> str:
        return reverse("party:member-detail", args=[self.pk])

    def audit_unit(self) -> object:
        return self.branch.unit

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
