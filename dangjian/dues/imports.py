"""Import of yearly dues bases (key: 身份证号 + 年度): one row per member and year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from dangjian.core.imports import Column, Importer, ImportForm, LabelChoiceField, Row, importer
from dangjian.party.models import PartyMember
from dangjian.people import crypto
from dangjian.people.rules import check_id_number

from . import rules
from .actions import dues_base_set
from .forms import MONEY_ERRORS
from .models import DuesBase

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
