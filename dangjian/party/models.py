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
        TRANSFERRED_OUT = "transferred_out", "已转出系统"

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
        Status.PROBATIONARY: {
            Status.FULL,
            Status.LEFT,
            Status.DECEASED,
            Status.TRANSFERRED_OUT,
        },
        Status.FULL: {Status.SUSPENDED, Status.LEFT, Status.DECEASED, Status.TRANSFERRED_OUT},
        Status.SUSPENDED: {Status.FULL, Status.LEFT, Status.DECEASED},
        Status.LEFT: set(),
        Status.DECEASED: set(),
        # back on a roll here when the relationship is transferred in again from outside
        Status.TRANSFERRED_OUT: {Status.PROBATIONARY, Status.FULL},
    }
    # suspend / leave / death, with date and reason (member_status_change)
    STATUS_CHANGES = (Status.SUSPENDED, Status.LEFT, Status.DECEASED)

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
    mobile_since = models.DateField("外出日期", null=True, blank=True)
    mobile_place = models.CharField(
        "外出地点",
        max_length=100,
        blank=True,
        help_text="外出学习、工作、生活地点相对固定的，填写地点",
    )

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


class Transfer(models.Model):
    """组织关系转接 (RULES.md §4): the member stays on the sending roll until it is confirmed."""

    class Kind(models.TextChoices):
        WITHIN = "within", "系统内转接"
        OUT = "out", "转出本系统"
        IN = "in", "从系统外转入"

    class Status(models.TextChoices):
        PENDING = "pending", "待接收"
        CONFIRMED = "confirmed", "已接收"
        CANCELLED = "cancelled", "已撤销"
        EXPIRED = "expired", "已逾期"

    TRANSITIONS = {
        Status.PENDING: {Status.CONFIRMED, Status.CANCELLED, Status.EXPIRED},
        Status.CONFIRMED: set(),
        Status.CANCELLED: set(),
        Status.EXPIRED: set(),
    }

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="transfers", verbose_name="党员"
    )
    kind = models.CharField("转接类型", max_length=10, choices=Kind.choices)
    from_branch = models.ForeignKey(
        "orgs.PartyOrg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_out",
        verbose_name="转出党组织",
    )
    to_branch = models.ForeignKey(
        "orgs.PartyOrg",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers_in",
        verbose_name="转入党组织",
    )
    outside_org = models.CharField("系统外党组织", max_length=200, blank=True)
    letter_number = models.CharField("介绍信编号", max_length=50)
    issued_on = models.DateField("开具日期")
    valid_until = models.DateField("有效期至")
    dues_paid_until = models.DateField(
        "党费交到", null=True, blank=True, help_text="所交党费的最后月份（取该月1日）"
    )
    reason = models.CharField("转接原因", max_length=300, blank=True)
    reissue_note = models.CharField(
        "超期重开说明", max_length=300, blank=True, help_text="前一封介绍信逾期时必填"
    )
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    confirmed_on = models.DateField("接收日期", null=True, blank=True)
    closed_on = models.DateField("撤销/逾期日期", null=True, blank=True)
    close_reason = models.CharField("撤销原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # both sides of a transfer inside the deployment see it
    objects = scoped_queryset("from_branch__unit__path", "to_branch__unit__path").as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "组织关系转接"
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.letter_number}"

    def get_absolute_url(self) -> str:
        return reverse("party:transfer-detail", args=[self.pk])

    def audit_unit(self) -> object:
        # the sending side owns the letter; a transfer in from outside belongs to the receiver
        branch = self.from_branch if self.from_branch_id else self.to_branch
        return branch.unit if branch is not None else None

    @property
    def destination(self) -> str:
        return self.to_branch.name if self.to_branch is not None else self.outside_org

    @property
    def origin(self) -> str:
        return self.from_branch.name if self.from_branch is not None else self.outside_org
