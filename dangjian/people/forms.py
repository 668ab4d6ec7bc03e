"""Forms for people: create, edit and leave; the actions do the checking (RULES.md §8)."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import BaseForm
from dangjian.orgs.models import Unit

from .models import Person

BLANK = [("", "—")]


class PersonForm(BaseForm):
    name = forms.CharField(label="姓名", max_length=50)
    id_type = forms.ChoiceField(label="证件类型", choices=Person.IdType.choices)
    id_number = forms.CharField(label="身份证号", max_length=32)
    sex = forms.ChoiceField(
        label="性别",
        choices=BLANK + Person.Sex.choices,
        required=False,
        help_text="居民身份证可不填，按号码判断",
    )
    birth_date = forms.DateField(
        label="出生日期", required=False, help_text="居民身份证可不填，按号码读取"
    )
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    education = forms.ChoiceField(
        label="学历", choices=BLANK + Person.Education.choices, required=False
    )
    job_title = forms.CharField(label="职务/岗位", max_length=50, required=False)
    unit = forms.ModelChoiceField(label="所在单位", queryset=Unit.objects.none())
    is_teacher = forms.BooleanField(label="专任教师", required=False, initial=True)
    is_key_teacher = forms.BooleanField(label="骨干教师", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.for_user(user).filter(status=Unit.Status.ACTIVE).order_by("path")
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = units
        field.empty_label = "请选择单位"
        field.widget.attrs["data-search"] = "1"
        only = list(units[:2])
        if len(only) == 1 and not self.initial.get("unit"):
            self.initial["unit"] = only[0]  # a school's own staff: nothing to choose


class PersonUpdateForm(PersonForm):
    """Editing: the unit changes only by exchange; the number and phone are not shown in full."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["unit"]
        for name in ("id_number", "phone"):
            self.fields[name].required = False
            self.fields[name].help_text = "留空则不修改"

    def changes(self, person: Person) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {
            k: data[k]
            for k in ("name", "education", "job_title", "is_teacher", "is_key_teacher")
            if getattr(person, k) != data[k]
        }
        identity = data["id_number"] or data["id_type"] != person.id_type
        if data["id_type"] == Person.IdType.OTHER and (
            data["birth_date"] != person.birth_date or data["sex"] != person.sex
        ):
            identity = True
        if identity:
            changes["id_type"] = data["id_type"]
            if data["id_number"]:
                changes["id_number"] = data["id_number"]
            changes["birth_date"] = data["birth_date"]
            changes["sex"] = data["sex"]
        if data["phone"]:
            changes["phone"] = data["phone"]
        return changes


class LeaveForm(BaseForm):
    status = forms.ChoiceField(
        label="办理事项",
        choices=[
            (Person.Status.LEFT, "离开本单位（调出、辞职等）"),
            (Person.Status.RETIRED, "退休"),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
