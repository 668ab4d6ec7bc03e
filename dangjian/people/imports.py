"""Import of people from the 人员 template; key: 身份证号 (one person, one record)."""

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
from dangjian.core.scope import in_scope
from dangjian.orgs.models import Unit

from . import crypto
from .actions import person_create, person_update
from .models import Person
from .rules import check_id_number

CHUNK = 500


class PersonRowForm(ImportForm):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=32)
    sex = LabelChoiceField(Person.Sex.choices, label="性别", required=False)
    birth_date = CellDateField(label="出生日期", required=False)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    education = LabelChoiceField(Person.Education.choices, label="学历", required=False)
    job_title = forms.CharField(label="职务/岗位", max_length=50, required=False)
    unit_code = forms.CharField(label="所在单位代码", max_length=32)
    is_teacher = YesNoField(label="专任教师", default=True)
    is_key_teacher = YesNoField(label="骨干教师", default=False)

    def clean_id_number(self) -> str:
        check = check_id_number(self.cleaned_data["id_number"], timezone.localdate())
        if not check.valid:
            raise forms.ValidationError(check.error)
        self.id_check = check
        return check.normalized

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].replace(" ", "").replace("-", "")
        if phone and (not phone.isdigit() or len(phone) not in (11, 12)):
            raise forms.ValidationError("应为11位手机号码或12位固定电话")
        return phone

    def clean_unit_code(self) -> str:
        return str(self.cleaned_data["unit_code"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check = getattr(self, "id_check", None)
        if check is None:
            return data
        if data.get("birth_date") and data["birth_date"] != check.birth_date:
            self.add_error("birth_date", "与身份证号中的出生日期不一致")
        if data.get("sex") and data["sex"] != check.sex:
            self.add_error("sex", "与身份证号中的性别不一致")
        data["birth_date"], data["sex"] = check.birth_date, check.sex
        return data


EDUCATION = "、".join(str(label) for _, label in Person.Education.choices)


@importer
class PersonImporter(Importer):
    kind = "people"
    title = "人员"
    list_url = "people:person-list"
    form_class = PersonRowForm
    key_fields = ("id_number",)
    columns = [
        Column("姓名", "name", required=True, example="王晓明"),
        Column(
            "身份证号",
            "id_number",
            required=True,
            example="11010519491231002X",
            note="18位公民身份号码；请将单元格设为文本格式，以免末尾数字丢失",
            text=True,
        ),
        Column("性别", "sex", example="女", note="男、女；可不填，按身份证号判断"),
        Column(
            "出生日期",
            "birth_date",
            example="1949-12-31",
            note="如2024-03-16；可不填，按身份证号读取",
        ),
        Column("手机号码", "phone", example="13800138000", note="11位手机号码", text=True),
        Column("学历", "education", example="大学本科", note=EDUCATION),
        Column("职务/岗位", "job_title", example="语文教师"),
        Column(
            "所在单位代码",
            "unit_code",
            required=True,
            example="QSX-CG-01",
            note="须为您管理范围内、状态正常的单位的代码",
            text=True,
        ),
        Column("专任教师", "is_teacher", example="是", note="是、否；不填为“是”"),
        Column("骨干教师", "is_key_teacher", example="否", note="是、否；不填为“否”"),
    ]
    help = [
        "身份证号是人员的唯一标识：已登记的人员按文件内容更新，空白单元格会清空该项。",
        "人员调往其他单位请使用“交流轮岗”办理，不能通过导入改变所在单位。",
    ]

    def prepare(self, rows: list[Row]) -> None:
        codes = {r.cleaned["unit_code"] for r in rows}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        indexes = {crypto.blind_index(r.cleaned["id_number"]): r for r in rows}
        keys = list(indexes)
        self.existing: dict[str, Person] = {}
        for i in range(0, len(keys), CHUNK):
            people = Person.objects.filter(id_number_index__in=keys[i : i + CHUNK]).select_related(
                "unit"
            )
            for p in people:
                self.existing[indexes[p.id_number_index].cleaned["id_number"]] = p

    def check(self, row: Row) -> None:
        data = row.cleaned
        unit = self.units.get(data["unit_code"])
        if unit is None:
            self.error(row, "unit_code", f"未找到单位代码「{data['unit_code']}」")
            return
        person = self.existing.get(data["id_number"])
        capability = "people.person_update" if person else "people.person_create"
        if not self.allowed(row, "unit_code", unit, capability):
            return
        if person is None:
            if not unit.is_active:
                self.error(row, "unit_code", f"「{unit.name}」已撤并，不能新增人员")
            return
        if person.unit_id != unit.pk:
            where = person.unit.name if self._sees(person.unit) else "其他单位"
            self.error(
                row,
                "unit_code",
                f"此人已在「{where}」登记，调动请使用“交流轮岗”办理",
            )

    def _sees(self, unit: Unit) -> bool:
        return in_scope(self.user, unit)

    def find(self, row: Row) -> Person | None:
        return self.existing.get(row.cleaned["id_number"])

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        person: Person = obj
        data = row.cleaned
        changes = {
            name: data[name]
            for name in ("name", "education", "job_title", "is_teacher", "is_key_teacher")
            if getattr(person, name) != data[name]
        }
        if person.birth_date != data["birth_date"] or person.sex != data["sex"]:
            changes |= {"birth_date": data["birth_date"], "sex": data["sex"]}
        if person._phone_plain() != data["phone"]:
            changes["phone"] = data["phone"]
        return changes

    def create(self, row: Row) -> Person:
        data = row.cleaned
        return person_create(
            actor=self.user,
            unit=self.units[data["unit_code"]],
            name=data["name"],
            id_number=data["id_number"],
            birth_date=data["birth_date"],
            sex=data["sex"],
            phone=data["phone"],
            education=data["education"],
            job_title=data["job_title"],
            is_teacher=data["is_teacher"],
            is_key_teacher=data["is_key_teacher"],
        )

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> Person:
        return person_update(actor=self.user, person=obj, **changes)
