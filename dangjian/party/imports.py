"""Import of party members; key: 身份证号 of a person already registered under 人员.

The branch is named by 所在单位代码 + 党组织名称 (unique within a unit), as in the party-org
import. Moving a member to another branch is a transfer, never an import.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

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
from dangjian.core.scope import has_capability, in_scope, require
from dangjian.orgs.models import PartyOrg, Unit
from dangjian.people import crypto
from dangjian.people.models import Person
from dangjian.people.rules import check_id_number

from .actions import member_create, member_make_full, member_update
from .models import PartyMember
from .queries import MEMBER_ORG_KINDS

CHUNK = 500
NEW = (PartyMember.Status.PROBATIONARY, PartyMember.Status.FULL)
VALUES = ("joined_on", "full_on", "dues_category", "is_mobile")


def _labels(choices: Any) -> str:
    return "、".join(str(label) for _, label in choices)


class MemberRowForm(ImportForm):
    id_number = forms.CharField(label="身份证号", max_length=32)
    name = forms.CharField(label="姓名", max_length=50)
    unit_code = forms.CharField(label="所在单位代码", max_length=32)
    branch_name = forms.CharField(label="所在党组织", max_length=100)
    status = LabelChoiceField(PartyMember.Status.choices, label="党员状态")
    joined_on = CellDateField(label="入党日期")
    full_on = CellDateField(label="转正日期", required=False)
    dues_category = LabelChoiceField(
        PartyMember.DuesCategory.choices, label="党费类别", required=False
    )
    is_mobile = YesNoField(label="流动党员", default=False)

    def clean_id_number(self) -> str:
        check = check_id_number(self.cleaned_data["id_number"], timezone.localdate())
        if not check.valid:
            raise forms.ValidationError(check.error)
        return check.normalized

    def clean_unit_code(self) -> str:
        return str(self.cleaned_data["unit_code"]).strip().upper()

    def clean_name(self) -> str:
        return str(self.cleaned_data["name"]).strip()

    def clean_branch_name(self) -> str:
        return str(self.cleaned_data["branch_name"]).strip()

    def clean_dues_category(self) -> str:
        return self.cleaned_data["dues_category"] or PartyMember.DuesCategory.ON_POST

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status, full_on = data.get("status"), data.get("full_on")
        if status == PartyMember.Status.FULL and not full_on and "full_on" not in self.errors:
            self.add_error("full_on", "正式党员须填写转正日期")
        if status == PartyMember.Status.PROBATIONARY and full_on:
            self.add_error("full_on", "预备党员不填转正日期")
        joined = data.get("joined_on")
        if joined and full_on and full_on < joined:
            self.add_error("full_on", "不能早于入党日期")
        return data


@importer
class MemberImporter(Importer):
    kind = "members"
    title = "党员"
    list_url = "party:member-list"
    form_class = MemberRowForm
    key_fields = ("id_number",)
    columns = [
        Column(
            "身份证号",
            "id_number",
            required=True,
            example="11010519491231002X",
            text=True,
            note="须为已在“人员”中登记的人员；请将单元格设为文本格式",
        ),
        Column(
            "姓名", "name", required=True, example="王晓明", note="须与该身份证号登记的姓名一致"
        ),
        Column(
            "所在单位代码",
            "unit_code",
            required=True,
            example="QSX-CG-01",
            text=True,
            note="党组织所在单位的代码，须在您的管理范围内",
        ),
        Column(
            "所在党组织",
            "branch_name",
            required=True,
            example="青山县第一中学党支部",
            note="该单位中的党支部（党总支、党委）全称；不能是党小组",
        ),
        Column(
            "党员状态",
            "status",
            required=True,
            example="正式党员",
            note="新登记的为预备党员或正式党员；已登记的党员由预备党员改为正式党员即办理转正",
        ),
        Column("入党日期", "joined_on", required=True, example="2010-07-01", note="如2024-03-16"),
        Column("转正日期", "full_on", example="2011-07-01", note="正式党员必填"),
        Column(
            "党费类别",
            "dues_category",
            example="在岗职工",
            note=_labels(PartyMember.DuesCategory.choices) + "；不填为“在岗职工”",
        ),
        Column("流动党员", "is_mobile", example="否", note="是、否；不填为“否”"),
    ]
    help = [
        "身份证号是党员的唯一标识：已登记的党员按文件内容更新入党、转正日期和党费类别。",
        "党员调往其他党支部请办理“组织关系转接”；停止党籍、出党等请在党员页面办理。",
    ]

    def prepare(self, rows: list[Row]) -> None:
        codes = {r.cleaned["unit_code"] for r in rows}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        self.orgs = {
            (o.unit_id, o.name): o
            for o in PartyOrg.objects.filter(
                unit__in=self.units.values(), kind__in=MEMBER_ORG_KINDS
            ).select_related("unit")
        }
        indexes = {crypto.blind_index(r.cleaned["id_number"]): r for r in rows}
        keys = list(indexes)
        self.people: dict[str, Person] = {}
        self.members: dict[int, PartyMember] = {}
        for i in range(0, len(keys), CHUNK):
            for p in Person.objects.filter(id_number_index__in=keys[i : i + CHUNK]).select_related(
                "unit"
            ):
                self.people[indexes[p.id_number_index].cleaned["id_number"]] = p
        person_ids = [p.pk for p in self.people.values()]
        for i in range(0, len(person_ids), CHUNK):
            for m in PartyMember.objects.filter(
                person_id__in=person_ids[i : i + CHUNK]
            ).select_related("branch__unit"):
                self.members[m.person_id] = m

    def _branch(self, row: Row) -> PartyOrg | None:
        unit = self.units.get(row.cleaned["unit_code"])
        return self.orgs.get((unit.pk, row.cleaned["branch_name"])) if unit else None

    def check(self, row: Row) -> None:
        data = row.cleaned
        person = self.people.get(data["id_number"])
        if person is None or not in_scope(self.user, person.unit):
            self.error(row, "id_number", "未找到该身份证号的人员，请先在“人员”中登记或导入")
            return
        if person.name != data["name"]:
            self.error(row, "name", f"与该身份证号登记的姓名「{person.name}」不一致")
        unit = self.units.get(data["unit_code"])
        if unit is None:
            self.error(row, "unit_code", f"未找到单位代码「{data['unit_code']}」")
            return
        member = self.members.get(person.pk)
        capability = "party.member_update" if member else "party.member_create"
        if not self.allowed(row, "unit_code", unit, capability):
            return
        branch = self._branch(row)
        if branch is None:
            self.error(
                row, "branch_name", f"「{unit.name}」没有名为「{data['branch_name']}」的党支部"
            )
            return
        if member is None:
            if data["status"] not in NEW:
                self.error(row, "status", "新登记的党员只能是预备党员或正式党员")
            if not branch.is_active or not unit.is_active:
                self.error(row, "branch_name", "该党组织已撤销或所在单位已撤并")
            return
        if member.branch_id != branch.pk:
            where = member.branch.name if in_scope(self.user, member.branch.unit) else "其他党组织"
            self.error(
                row, "branch_name", f"此人已是「{where}」的党员，调整所在支部请办理组织关系转接"
            )
            return
        made_full = (
            member.status == PartyMember.Status.PROBATIONARY
            and data["status"] == PartyMember.Status.FULL
        )
        if data["status"] != member.status and not made_full:
            self.error(
                row,
                "status",
                f"现为「{member.get_status_display()}」；停止党籍、出党等请在党员页面办理",
            )
        elif made_full and not has_capability(self.user, "party.member_make_full", unit):
            self.error(row, "status", f"您没有在「{unit.name}」办理转正的权限")

    def find(self, row: Row) -> PartyMember | None:
        person = self.people[row.cleaned["id_number"]]
        return self.members.get(person.pk)

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        member: PartyMember = obj
        data = row.cleaned
        changes = {k: data[k] for k in VALUES if getattr(member, k) != data[k]}
        if member.status != data["status"]:
            changes["status"] = data["status"]
        return changes

    def create(self, row: Row) -> PartyMember:
        data = row.cleaned
        branch = self._branch(row)
        assert branch is not None  # noqa: S101  checked in check()
        require(self.user, "core.import", branch.unit)
        return member_create(
            actor=self.user,
            person=self.people[data["id_number"]],
            branch=branch,
            status=data["status"],
            **{k: data[k] for k in VALUES},
        )

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> PartyMember:
        member: PartyMember = obj
        if changes.pop("status", None) == PartyMember.Status.FULL:
            member = member_make_full(
                actor=self.user, member=member, full_on=changes.pop("full_on", member.full_on)
            )
            changes = {k: v for k, v in changes.items() if getattr(member, k) != v}
        if changes:
            member = member_update(actor=self.user, member=member, **changes)
        return member
