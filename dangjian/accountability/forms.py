"""Forms of accountability; every choice is limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import BaseForm, style
from dangjian.orglife.forms import MultipleFileField
from dangjian.orgs.models import Unit
from dangjian.people.models import Person
from dangjian.rectification.models import Finding

from . import rules
from .models import AccountabilityRecord, WarningSession

SUB_KIND_CHOICES: list[tuple[str, Any]] = [("", "——")] + [
    (
        rules.FORM_LABELS[form],
        [(f"{form.value}.{key}", label) for key, (label, _) in subs.items()],
    )
    for form, subs in rules.SUB_KINDS.items()
]
LEVEL_HINT = "；".join(
    f"{'、'.join(rules.FORM_LABELS[f] for f, lvl in rules.DEFAULT_LEVEL.items() if lvl == level)}"
    f"为{rules.LEVEL_LABELS[level]}"
    for level in sorted(set(rules.DEFAULT_LEVEL.values()))
)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class FindingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        text = obj.description if len(obj.description) <= 30 else obj.description[:30] + "…"
        return f"{obj.unit.name}：{obj.area}—{text}（{obj.found_on:%Y-%m-%d}）"


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        post = f"，{obj.job_title}" if obj.job_title else ""
        return f"{obj.name}（{obj.unit.name}{post}）"


class UnitPickForm(BaseForm):
    unit = UnitChoiceField(label="责任单位", queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].help_text = "被问责人所在单位或被问责的党组织所在单位"
        self.fields["unit"].widget.attrs["data-search"] = "1"


class RecordForm(BaseForm):
    findings = FindingChoiceField(label="涉及问题", queryset=Finding.objects.none())
    form = forms.ChoiceField(label="问责方式", choices=AccountabilityRecord.Form.choices)
    sub_kind = forms.ChoiceField(
        label="具体种类",
        choices=SUB_KIND_CHOICES,
        required=False,
        help_text="党纪处分、政务处分须选择",
    )
    form_level = forms.TypedChoiceField(
        label="形态（四种形态）",
        choices=[("", "按问责方式默认"), *AccountabilityRecord.LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=f"默认：{LEVEL_HINT}；党纪、政务处分的重处分为第三种形态",
    )
    people = PersonChoiceField(
        label="被问责人",
        queryset=Person.objects.none(),
        required=False,
        help_text="检查、改组针对党组织，可不选人员",
    )
    decided_on = forms.DateField(label="决定日期")
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    decided_by = forms.CharField(label="决定机关", max_length=100)
    notes = forms.CharField(label="备注", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, findings: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = findings  # type: ignore[attr-defined]
        self.fields["people"].queryset = people  # type: ignore[attr-defined]
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = data.get("sub_kind") or ""
        form = data.get("form") or ""
        if raw:
            prefix, _, key = raw.partition(".")
            if prefix != form:
                self.add_error("sub_kind", "所选种类与问责方式不一致")
            data["sub_kind"] = key
        return data


class NoDecisionForm(BaseForm):
    reason = forms.CharField(
        label="不予追责理由",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="如：经核查系客观原因所致、已整改到位且情节轻微、责任人已调离并另案处理等",
    )
    decided_by = forms.CharField(label="决定机关", max_length=100)
    decided_on = forms.DateField(label="决定日期")


class SessionForm(BaseForm):
    unit = UnitChoiceField(label="单位", queryset=Unit.objects.none())
    held_on = forms.DateField(label="日期")
    kind = forms.ChoiceField(label="形式", choices=WarningSession.Kind.choices)
    topic = forms.CharField(label="主题", max_length=200)
    expected_count = forms.IntegerField(label="应参加人数", min_value=1)
    present_count = forms.IntegerField(label="实参加人数", min_value=0)
    notes = forms.CharField(
        label="情况说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attachments = MultipleFileField(
        label="照片和附件", required=False, help_text="jpg、png、pdf、docx，每个不超过 10 MB"
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        style(self)
