"""Input shapes of the dues pages (the branch batch is parsed in views.batch_entries)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from dangjian.core.forms import BaseForm
from dangjian.party.models import PartyMember

from .models import DuesExemption, DuesPayment
from .rules import BaseDeductions

MONEY_ERRORS = {
    "invalid": "请输入金额，如5000.00",
    "max_decimal_places": "最多两位小数",
    "max_digits": "金额过大",
    "min_value": "不能为负数",
    "required": "不能为空",
}


def money_field(label: str, required: bool = False, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        error_messages=MONEY_ERRORS,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        **kw,
    )


class MonthField(forms.CharField):
    """`YYYY-MM` (a month picker) → the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-10"})

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            year, month = text.split("-")[:2]
            return dt.date(int(year), int(month), 1)
        except ValueError as exc:
            raise forms.ValidationError("请选择有效月份，如2026-10") from exc

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value


class DuesBaseForm(BaseForm):
    year = forms.IntegerField(label="年度", min_value=1949, max_value=2100)
    category = forms.ChoiceField(label="党费类别", choices=PartyMember.DuesCategory.choices)
    monthly_base = money_field(
        "党费基数（元/月）",
        help_text="在岗职工等：每月固定工资收入扣除个人所得税后的金额；"
        "离退休：每月实际领取的离退休费总额。也可不填，填写下面三项由系统计算。",
    )
    regular_pay = money_field("月固定工资收入", help_text="岗位工资、薪级工资、规范津贴补贴等")
    income_tax = money_field("个人所得税")
    social_insurance = money_field("个人缴纳社保公积金")
    deductions = forms.ChoiceField(
        label="扣除口径",
        choices=[
            (BaseDeductions.TAX_ONLY.value, "仅扣个人所得税（中组部答复口径）"),
            (BaseDeductions.TAX_AND_SOCIAL_INSURANCE.value, "扣个人所得税及个人缴纳社保公积金"),
        ],
    )
    fixed_amount = money_field(
        "固定金额（元/月）", help_text="农民党员：0.20元至1.00元，由支部确定"
    )


class PaymentForm(BaseForm):
    first_month = MonthField(label="起始月份")
    last_month = MonthField(label="截止月份", required=False, help_text="只交一个月可不填")
    method = forms.ChoiceField(label="缴纳方式", choices=DuesPayment.Method.choices)
    receipt_number = forms.CharField(label="收据号", max_length=50, required=False)
    paid_on = forms.DateField(label="缴纳日期")
    voluntary_extra = forms.BooleanField(
        label="自愿多交", required=False, help_text="自愿多交党费：只选一个月份并填写金额"
    )
    amount = money_field("金额", help_text="不填则按各月应交金额登记")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_month"), data.get("last_month") or data.get("first_month")
        if first and last and last < first:
            self.add_error("last_month", "不能早于起始月份")
        data["last_month"] = last
        return data


class ExemptionForm(BaseForm):
    kind = forms.ChoiceField(label="类型", choices=DuesExemption.Kind.choices)
    first_month = MonthField(label="起始月份")
    last_month = MonthField(label="截止月份")
    approved_amount = money_field("批准金额（元/月）", help_text="减交时填写每月应交的金额")
    document_number = forms.CharField(label="批准文号", max_length=100)
    approved_by = forms.CharField(label="批准机关", max_length=100, help_text="上级党委名称")
    approved_on = forms.DateField(label="批准日期")
    reason = forms.CharField(label="事由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class CalculatorForm(BaseForm):
    kind = forms.ChoiceField(label="党费类别", choices=PartyMember.DuesCategory.choices)
    base = money_field("党费基数（元/月）", help_text="学生、下岗失业等固定金额类别可不填")
    fixed_amount = money_field("固定金额（元/月）", help_text="农民党员：0.20元至1.00元")
