"""Excel imports of dues: yearly bases (key: 身份证号 + 年度) and payments received
(key: 身份证号 + 所属月份, plus 收据号 for voluntary extras)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal
from typing import Any, cast

from django import forms

from dangjian.core.imports import (
    CellDateField,
    Column,
    Importer,
    ImportForm,
    LabelChoiceField,
    Row,
    YesNoField,
    importer,
)
from dangjian.party.models import PartyMember
from dangjian.people import crypto
from dangjian.people.rules import check_id_number

from . import rules
from .actions import dues_base_set, dues_payment_create, dues_start
from .forms import MONEY_ERRORS
from .models import DuesBase, DuesCharge, DuesPayment, month_label

CHUNK = 500
CATEGORIES = "、".join(str(label) for _, label in PartyMember.DuesCategory.choices)


class BaseRowForm(ImportForm):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_number = forms.CharField(label="身份证号", max_length=32)
    year = forms.IntegerField(
        label="年度",
        min_value=1949,
        max_value=2100,
        error_messages={
            "invalid": "请填写四位年度，如2026",
            "min_value": "年度无效",
            "max_value": "年度无效",
        },
    )
    category = LabelChoiceField(PartyMember.DuesCategory.choices, label="党费类别", required=False)
    monthly_base = forms.DecimalField(
        label="党费基数",
        required=False,
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        error_messages=MONEY_ERRORS,
    )
    fixed_amount = forms.DecimalField(
        label="固定金额",
        required=False,
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        error_messages=MONEY_ERRORS,
    )

    def clean_id_number(self) -> str:
        from django.utils import timezone

        check = check_id_number(self.cleaned_data["id_number"], timezone.localdate())
        if not check.valid:
            raise forms.ValidationError(check.error)
        return check.normalized


def normalized(
    category: str, monthly_base: Decimal | None, fixed: Decimal | None
) -> dict[str, Any]:
    """What the action will store for these inputs (so a re-import compares like with like)."""
    if category in rules.BANDED:
        return {"category": category, "monthly_base": monthly_base, "fixed_amount": None}
    if category == rules.Category.FARMER:
        return {
            "category": category,
            "monthly_base": None,
            "fixed_amount": fixed if fixed is not None else rules.FARMER_MIN,
        }
    return {"category": category, "monthly_base": None, "fixed_amount": None}


@importer
class DuesBaseImporter(Importer):
    kind = "dues-bases"
    title = "党费基数"
    list_url = "dues:overview"
    form_class = BaseRowForm
    key_fields = ("id_number", "year")
    columns = [
        Column("姓名", "name", example="王晓明", note="用于核对，须与身份证号对应的人员一致"),
        Column(
            "身份证号",
            "id_number",
            required=True,
            example="11010519491231002X",
            text=True,
            note="18位公民身份号码；此人须已登记为党员",
        ),
        Column("年度", "year", required=True, example="2026", note="四位年度"),
        Column(
            "党费类别", "category", example="在岗职工", note=f"{CATEGORIES}；不填按党员信息中的类别"
        ),
        Column(
            "党费基数",
            "monthly_base",
            example="5200.00",
            note="元/月；在岗职工、年薪制、个体经营者、离退休党员必填，其他类别不填",
        ),
        Column("固定金额", "fixed_amount", example="", note="农民党员：0.20至1.00元；其他类别不填"),
    ]
    help = [
        "身份证号＋年度是一条基数的唯一标识：已核定的按文件内容更新，已交的月份不受影响。",
        "同一文件重复导入不会产生任何变化。",
    ]

    def prepare(self, rows: list[Row]) -> None:
        indexes = {crypto.blind_index(r.cleaned["id_number"]): r.cleaned["id_number"] for r in rows}
        keys = list(indexes)
        self.members: dict[str, PartyMember] = {}
        for i in range(0, len(keys), CHUNK):
            found = PartyMember.objects.filter(
                person__id_number_index__in=keys[i : i + CHUNK]
            ).select_related("person", "branch__unit")
            for m in found:
                self.members[indexes[m.person.id_number_index]] = m
        member_ids = [m.pk for m in self.members.values()]
        self.bases = {
            (b.member_id, b.year): b
            for b in DuesBase.objects.filter(
                member__in=member_ids, year__in={r.cleaned["year"] for r in rows}
            )
        }

    def check(self, row: Row) -> None:
        data = row.cleaned
        member = self.members.get(data["id_number"])
        if member is None:
            self.error(row, "id_number", "未找到此人的党员记录，请先登记党员")
            return
        if not self.allowed(row, "id_number", member.branch.unit, "dues.base_set"):
            return
        if data["name"] and data["name"] != member.person.name:
            self.error(row, "name", f"与身份证号对应的党员「{member.person.name}」不一致")
        if not member.is_active:
            self.error(row, "id_number", f"该党员的状态为{member.get_status_display()}，不能核定")
        category = data["category"] or member.dues_category
        try:
            rules.monthly_dues(category, data["monthly_base"], data["fixed_amount"])
        except rules.DuesRuleError as exc:
            name = {"kind": "category"}.get(exc.field, exc.field)
            self.error(row, name, exc.message.split("：", 1)[-1])

    def _values(self, row: Row) -> dict[str, Any]:
        data = row.cleaned
        member = self.members[data["id_number"]]
        return normalized(
            data["category"] or member.dues_category, data["monthly_base"], data["fixed_amount"]
        )

    def find(self, row: Row) -> DuesBase | None:
        member = self.members[row.cleaned["id_number"]]
        return self.bases.get((member.pk, row.cleaned["year"]))

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        return {k: v for k, v in self._values(row).items() if getattr(obj, k) != v}

    def _write(self, row: Row) -> DuesBase:
        return dues_base_set(
            actor=self.user,
            member=self.members[row.cleaned["id_number"]],
            year=row.cleaned["year"],
            source=DuesBase.Source.IMPORT,
            **self._values(row),
        )

    def create(self, row: Row) -> DuesBase:
        return self._write(row)

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> DuesBase:
        return self._write(row)


# ---- payments ----

METHODS = "、".join(str(label) for _, label in DuesPayment.Method.choices)
MONTH_CELL = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月\s*(?:\d{1,2}\s*日)?|[-/.]\s*\d{1,2})?$"
)
BAD_MONTH = "月份无效，请按“年-月”填写，如2026-03"


def parse_month_cell(text: str) -> dt.date:
    """2026-03 (also 2026/3, 2026年3月, 202603; a date cell Excel made of it gives its month)."""
    text = text.strip()
    match = MONTH_CELL.match(text) or re.match(r"^(\d{4})(\d{2})$", text)
    if match is None:
        raise forms.ValidationError(BAD_MONTH)
    year, month = int(match.group(1)), int(match.group(2))
    if not (1949 <= year <= 2100 and 1 <= month <= 12):
        raise forms.ValidationError(BAD_MONTH)
    return dt.date(year, month, 1)


class MonthCellField(forms.CharField):
    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        return parse_month_cell(text)


class PaymentRowForm(ImportForm):
    id_number = forms.CharField(label="身份证号", max_length=32)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    month = MonthCellField(label="所属月份", max_length=20)
    amount = forms.DecimalField(
        label="金额",
        max_digits=10,
        decimal_places=2,
        error_messages=MONEY_ERRORS,
    )
    method = LabelChoiceField(DuesPayment.Method.choices, label="交纳方式")
    receipt_number = forms.CharField(label="收据号", max_length=50, required=False)
    paid_on = CellDateField(label="交纳日期")
    voluntary_extra = YesNoField(label="自愿多交")

    def clean_id_number(self) -> str:
        from django.utils import timezone

        check = check_id_number(self.cleaned_data["id_number"], timezone.localdate())
        if not check.valid:
            raise forms.ValidationError(check.error)
        return check.normalized

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("须大于0")
        return amount

    def clean_paid_on(self) -> dt.date:
        from django.utils import timezone

        paid_on: dt.date = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError("不能晚于今天")
        return paid_on


def _money(value: Decimal) -> str:
    return f"¥{value:,.2f}"


@importer
class DuesPaymentImporter(Importer):
    """Payments received, one row per member and month (a voluntary extra is its own row).

    A month is paid once: a row for a month already recorded with the same amount is left
    alone (so re-importing a file changes nothing); with another amount it is an error — a
    payment is corrected by hand, never overwritten by a file.
    """

    kind = "dues-payments"
    title = "党费缴纳记录"
    list_url = "dues:overview"
    form_class = PaymentRowForm
    key_fields = ("id_number", "month", "receipt_number")
    columns = [
        Column(
            "身份证号",
            "id_number",
            required=True,
            example="11010519491231002X",
            text=True,
            note="18位公民身份号码；此人须已登记为党员",
        ),
        Column("姓名", "name", example="王晓明", note="用于核对，须与身份证号对应的党员一致"),
        Column(
            "所属月份",
            "month",
            required=True,
            example="2026-03",
            text=True,
            note="交的是哪个月的党费，按“年-月”填写，如2026-03；不能早于入党当月",
        ),
        Column("金额", "amount", required=True, example="75.00", note="元，大于0，最多两位小数"),
        Column("交纳方式", "method", required=True, example="微信", note=METHODS),
        Column("收据号", "receipt_number", example="2026-0031", text=True, note="选填，不超过50字"),
        Column(
            "交纳日期",
            "paid_on",
            required=True,
            example="2026-03-20",
            note="如2026-03-20，不能晚于今天",
        ),
        Column("自愿多交", "voluntary_extra", example="否", note="是/否，不填为否"),
    ]
    help = [
        "身份证号＋所属月份（自愿多交再加收据号）是一条缴费的唯一标识，同一文件中不能重复。",
        "按月交纳的，须已核定该年度党费基数；该月已登记缴费且金额相同的不再重复登记，金额不同的请在党员党费页面核对。",
        "同一文件重复导入不会产生任何变化。",
    ]

    def key(self, cleaned: dict[str, Any]) -> Hashable:
        # a month is paid once; voluntary extras are told apart by their receipt number
        if cleaned["voluntary_extra"]:
            return (cleaned["id_number"], cleaned["month"], "extra", cleaned["receipt_number"])
        return (cleaned["id_number"], cleaned["month"], "regular")

    def prepare(self, rows: list[Row]) -> None:
        indexes = {crypto.blind_index(r.cleaned["id_number"]): r.cleaned["id_number"] for r in rows}
        keys = list(indexes)
        self.members: dict[str, PartyMember] = {}
        for i in range(0, len(keys), CHUNK):
            found = PartyMember.objects.filter(
                person__id_number_index__in=keys[i : i + CHUNK]
            ).select_related("person", "branch__unit")
            for m in found:
                self.members[indexes[m.person.id_number_index]] = m
        ids = [m.pk for m in self.members.values()]
        months = {r.cleaned["month"] for r in rows}
        self.charges: dict[tuple[int, dt.date], DuesCharge] = {}
        self.paid: dict[tuple[int, dt.date, bool], list[DuesPayment]] = defaultdict(list)
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            for c in DuesCharge.objects.filter(member__in=chunk, month__in=months):
                self.charges[(c.member_id, c.month)] = c
            for p in DuesPayment.objects.filter(member__in=chunk, month__in=months).order_by("pk"):
                self.paid[(p.member_id, p.month, p.voluntary_extra)].append(p)
        self.existing: dict[int, DuesPayment] = {}  # row number → the payment it repeats

    def check(self, row: Row) -> None:
        data = row.cleaned
        member = self.members.get(data["id_number"])
        if member is None:
            self.error(row, "id_number", "未找到此人的党员记录，请先登记党员")
            return
        if not self.allowed(row, "id_number", member.branch.unit, "dues.payment_create"):
            return
        if data["name"] and data["name"] != member.person.name:
            self.error(row, "name", f"与身份证号对应的党员「{member.person.name}」不一致")
        if not member.is_active:
            self.error(
                row, "id_number", f"该党员的状态为{member.get_status_display()}，不能登记缴费"
            )
            return
        month: dt.date = data["month"]
        start = dues_start(member)
        if month < start:
            self.error(row, "month", f"{member.person.name}的党费自{month_label(start)}起交纳")
            return
        if data["voluntary_extra"]:
            self._check_extra(row, member)
        else:
            self._check_regular(row, member)

    def _check_regular(self, row: Row, member: PartyMember) -> None:
        data = row.cleaned
        month, amount = data["month"], data["amount"]
        recorded = self.paid.get((member.pk, month, False), [])
        if recorded:
            total = sum((p.amount for p in recorded), Decimal("0"))
            if total != amount:
                self.error(
                    row,
                    "amount",
                    f"{month_label(month)}已登记缴费{_money(total)}，与本行{_money(amount)}不一致；"
                    "如需更正，请在该党员的党费页面核对",
                )
                return
            if len(recorded) == 1:
                self._same(row, recorded[0])
            if not row.errors:
                self.existing[row.number] = recorded[0]
            return
        charge = self.charges.get((member.pk, month))
        if charge is None:
            self.error(
                row, "month", f"尚未核定{member.person.name}{month.year}年党费基数，请先核定"
            )
        elif charge.settled:
            self.error(
                row,
                "month",
                f"{month_label(month)}党费已交清（应交{_money(charge.amount)}），无需再交",
            )

    def _check_extra(self, row: Row, member: PartyMember) -> None:
        data = row.cleaned
        for p in self.paid.get((member.pk, data["month"], True), []):
            if p.receipt_number == data["receipt_number"].strip():
                if p.amount != data["amount"]:
                    self.error(
                        row,
                        "amount",
                        f"{month_label(data['month'])}已登记自愿多交{_money(p.amount)}"
                        f"（收据号{p.receipt_number or '空'}），与本行金额不一致",
                    )
                    return
                self._same(row, p)
                if not row.errors:
                    self.existing[row.number] = p
                return

    def _same(self, row: Row, payment: DuesPayment) -> None:
        """A row repeating a recorded payment must agree with it in every column."""
        data = row.cleaned
        what = f"{month_label(payment.month)}已登记的缴费"
        if payment.method != data["method"]:
            self.error(row, "method", f"{what}为{payment.get_method_display()}，与本行不一致")
        if payment.paid_on != data["paid_on"]:
            self.error(
                row, "paid_on", f"{what}交纳日期为{payment.paid_on.isoformat()}，与本行不一致"
            )
        if payment.receipt_number != data["receipt_number"].strip():
            shown = payment.receipt_number or "空"
            self.error(row, "receipt_number", f"{what}收据号为{shown}，与本行不一致")

    def find(self, row: Row) -> DuesPayment | None:
        return self.existing.get(row.number)

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        return {}  # a recorded payment that differs is refused in check(), never overwritten

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> DuesPayment:
        """A payment on record stays as recorded (changes() is always empty): re-importing the
        same row is a no-op, and a differing one was refused by check()."""
        return cast(DuesPayment, obj)

    def create(self, row: Row) -> DuesPayment:
        data = row.cleaned
        payments = dues_payment_create(
            actor=self.user,
            member=self.members[data["id_number"]],
            months=[data["month"]],
            method=data["method"],
            paid_on=data["paid_on"],
            receipt_number=data["receipt_number"],
            amount=data["amount"],
            voluntary_extra=data["voluntary_extra"],
        )
        return payments[0]
