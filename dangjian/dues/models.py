"""Party dues: a member's yearly base, approved reductions, the expected amount per member-month
(DuesCharge, computed by rules.py and stamped with the rule version) and the payments.

A payment is stored as one row per month paid: a receipt covering March–May is three rows with
the same receipt number. Reconciliation, arrears and the figures then ask one question per
month ("what was received for May?"), and amounts that differ between months (a new base in
January, a reduction) never have to be split out of a range.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset
from dangjian.party.models import PartyMember

from . import rules

MEMBER_PATH = "member__branch__unit__path"


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


class DuesBase(models.Model):
    """The member's dues category and monthly income base for one year (核定党费基数)."""

    class Source(models.TextChoices):
        MANUAL = "manual", "逐人核定"
        BATCH = "batch", "按支部批量核定"
        IMPORT = "import", "Excel导入"
        API = "api", "接口"

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="dues_bases", verbose_name="党员"
    )
    year = models.PositiveSmallIntegerField("年度")
    category = models.CharField("党费类别", max_length=15, choices=PartyMember.DuesCategory.choices)
    monthly_base = models.DecimalField(
        "党费基数", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fixed_amount = models.DecimalField(
        "固定金额", max_digits=6, decimal_places=2, null=True, blank=True
    )
    regular_pay = models.DecimalField(
        "月固定工资收入", max_digits=10, decimal_places=2, null=True, blank=True
    )
    income_tax = models.DecimalField(
        "个人所得税", max_digits=10, decimal_places=2, null=True, blank=True
    )
    social_insurance = models.DecimalField(
        "个人缴纳社保公积金", max_digits=10, decimal_places=2, null=True, blank=True
    )
    deductions = models.CharField(
        "扣除口径",
        max_length=30,
        choices=[
            (rules.BaseDeductions.TAX_ONLY.value, "仅扣个人所得税"),
            (rules.BaseDeductions.TAX_AND_SOCIAL_INSURANCE.value, "扣个税及个人社保公积金"),
        ],
        default=rules.BaseDeductions.TAX_ONLY.value,
    )
    monthly_amount = models.DecimalField("月应交党费", max_digits=8, decimal_places=2)
    rate = models.DecimalField("比例", max_digits=6, decimal_places=4, null=True, blank=True)
    rule_version = models.CharField("规则版本", max_length=40)
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.MANUAL)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="核定人",
    )
    updated_at = models.DateTimeField("核定时间", auto_now=True)

    objects = scoped_queryset(MEMBER_PATH).as_manager()

    class Meta:
        ordering = ["-year", "member_id"]
        verbose_name = "党费基数"
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="dues_base_member_year")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.year}年党费基数"

    def get_absolute_url(self) -> str:
        return reverse("dues:member-detail", args=[self.member_id])

    def audit_unit(self) -> object:
        return self.member.branch.unit


class DuesExemption(models.Model):
    """An approved reduction or exemption (own application → branch → higher committee), or a
    recorded proper reason for not paying (abroad, seriously ill)."""

    class Kind(models.TextChoices):  # values of rules.ExemptionKind
        REDUCTION = "reduction", "减交"
        EXEMPTION = "exemption", "免交"
        DEFERRAL = "deferral", "正当理由缓交"

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="dues_exemptions", verbose_name="党员"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    first_month = models.DateField("起始月份")
    last_month = models.DateField("截止月份")
    approved_amount = models.DecimalField(
        "批准金额（元/月）", max_digits=8, decimal_places=2, null=True, blank=True
    )
    document_number = models.CharField("批准文号", max_length=100)
    approved_by = models.CharField("批准机关", max_length=100)
    approved_on = models.DateField("批准日期")
    reason = models.CharField("事由", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )

    objects = scoped_queryset(MEMBER_PATH).as_manager()

    class Meta:
        ordering = ["-first_month", "-pk"]
        verbose_name = "党费减免"

    def __str__(self) -> str:
        return (
            f"{self.member} {self.get_kind_display()} "
            f"{month_label(self.first_month)}至{month_label(self.last_month)}"
        )

    def get_absolute_url(self) -> str:
        return reverse("dues:member-detail", args=[self.member_id])

    def audit_unit(self) -> object:
        return self.member.branch.unit

    def covers(self, month: dt.date) -> bool:
        return self.first_month <= month <= self.last_month


class DuesCharge(models.Model):
    """What one member is expected to pay for one month (应交), and what has been received."""

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="dues_charges", verbose_name="党员"
    )
    month = models.DateField("月份")  # the first day of the month
    category = models.CharField("党费类别", max_length=15, choices=PartyMember.DuesCategory.choices)
    base = models.DecimalField("党费基数", max_digits=10, decimal_places=2, null=True)
    rate = models.DecimalField("比例", max_digits=6, decimal_places=4, null=True)
    standard = models.DecimalField("按标准应交", max_digits=8, decimal_places=2)
    amount = models.DecimalField("应交金额", max_digits=8, decimal_places=2)
    received = models.DecimalField("已交金额", max_digits=8, decimal_places=2, default=0)
    exemption = models.ForeignKey(
        DuesExemption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        verbose_name="减免",
    )
    rule_version = models.CharField("规则版本", max_length=40)

    objects = scoped_queryset(MEMBER_PATH).as_manager()

    class Meta:
        ordering = ["month", "member_id"]
        verbose_name = "应交党费"
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_charge_member_month")
        ]
        indexes = [models.Index(fields=["month", "member"], name="dues_charge_month_member")]

    def __str__(self) -> str:
        return f"{self.member} {month_label(self.month)} 应交¥{self.amount:,.2f}"

    def get_absolute_url(self) -> str:
        return reverse("dues:member-detail", args=[self.member_id])

    def audit_unit(self) -> object:
        return self.member.branch.unit

    @property
    def settled(self) -> bool:
        return self.received >= self.amount

    @property
    def outstanding(self) -> object:
        return max(self.amount - self.received, 0)

    @property
    def excused(self) -> bool:
        return self.exemption is not None and self.exemption.kind == rules.ExemptionKind.DEFERRAL


class DuesPayment(models.Model):
    """Money received for one month (or a voluntary extra payment) with its receipt."""

    class Method(models.TextChoices):
        CASH = "cash", "现金"
        TRANSFER = "transfer", "银行转账"
        WECHAT = "wechat", "微信"
        ALIPAY = "alipay", "支付宝"
        PAYROLL = "payroll", "工资代扣"
        OTHER = "other", "其他"

    member = models.ForeignKey(
        PartyMember, on_delete=models.PROTECT, related_name="dues_payments", verbose_name="党员"
    )
    month = models.DateField("所属月份")
    charge = models.ForeignKey(
        DuesCharge,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name="应交记录",
    )
    amount = models.DecimalField("金额", max_digits=10, decimal_places=2)
    method = models.CharField("缴纳方式", max_length=10, choices=Method.choices)
    receipt_number = models.CharField("收据号", max_length=50, blank=True)
    paid_on = models.DateField("缴纳日期")
    voluntary_extra = models.BooleanField("自愿多交", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = scoped_queryset(MEMBER_PATH).as_manager()

    class Meta:
        ordering = ["-month", "-pk"]
        verbose_name = "党费缴纳"
        indexes = [models.Index(fields=["month", "member"], name="dues_payment_month_member")]

    def __str__(self) -> str:
        extra = "（自愿多交）" if self.voluntary_extra else ""
        return f"{self.member} {month_label(self.month)} 交纳¥{self.amount:,.2f}{extra}"

    def get_absolute_url(self) -> str:
        return reverse("dues:member-detail", args=[self.member_id])

    def audit_unit(self) -> object:
        return self.member.branch.unit
