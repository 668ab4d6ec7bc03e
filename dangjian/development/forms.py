"""Input shapes of the development pages; choices limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import BaseForm
from dangjian.orgs.models import PartyOrg
from dangjian.people.models import Person

from . import queries, rules
from .models import DevelopmentRecord, Step

NEEDS = {
    "training": {"candidate_training"},
    "votes": {"admission_meeting", "full_membership_meeting", "extension"},
    "extension": {"extension"},
    "received": {"admission_meeting", "admission_approval"},
}
ATTACH_HELP = "可选；PDF、JPG、PNG 或 Word（docx），不超过10MB"


def _name(obj: Any) -> str:
    return str(obj.name)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class RecordCreateForm(BaseForm):
    person = PersonChoice(queryset=Person.objects.none(), label="申请人", empty_label="请选择")
    branch: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=PartyOrg.objects.none(),
        label="所在党组织",
        empty_label="请选择",
    )
    applied_on = forms.DateField(label="申请日期", help_text="入党申请书落款日期")
    received_on = forms.DateField(
        label="党组织收到申请日期", required=False, help_text="不填则按申请日期计算谈话期限"
    )
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = queries.applicants_for(user)  # type: ignore[attr-defined]
        self.fields["branch"].queryset = queries.branches_for(user)  # type: ignore[attr-defined]
        for name in ("person", "branch"):
            self.fields[name].widget.attrs["data-search"] = "1"


class StepForm(BaseForm):
    """One step of RULES.md §2.3; the fields shown depend on the step."""

    on = forms.DateField(label="日期")
    people = PersonChoice(queryset=Person.objects.none(), label="相关人员", required=False)
    training_days = forms.IntegerField(label="培训天数", required=False, min_value=0, max_value=60)
    training_hours = forms.IntegerField(
        label="培训学时", required=False, min_value=0, max_value=500
    )
    votes_due = forms.IntegerField(
        label="应到会有表决权正式党员（人）", required=False, min_value=0, max_value=999
    )
    votes_present = forms.IntegerField(
        label="实到会有表决权正式党员（人）", required=False, min_value=0, max_value=999
    )
    votes_yes = forms.IntegerField(label="赞成票（票）", required=False, min_value=0, max_value=999)
    extension_months = forms.IntegerField(
        label="延长月数", required=False, min_value=1, max_value=24, help_text="6至12个月"
    )
    received_on = forms.DateField(label="上级党委收到决议日期", required=False)
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label="附件", required=False, help_text=ATTACH_HELP)

    def __init__(
        self, *args: Any, user: Any, record: DevelopmentRecord, kind: rules.StepKind, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["on"].label = kind.date_label
        if kind.people:
            multi = forms.ModelMultipleChoiceField(
                queryset=queries.full_members_for(user, record.branch.unit),
                label=kind.people,
                required=True,
                help_text="本单位正式党员",
            )
            multi.label_from_instance = _name  # type: ignore[method-assign,assignment]
            multi.widget.attrs.update({"class": "form-select", "data-search": "1"})
            self.fields["people"] = multi
        else:
            del self.fields["people"]
        for group, names in (
            ("training", ("training_days", "training_hours")),
            ("votes", ("votes_due", "votes_present", "votes_yes")),
            ("extension", ("extension_months",)),
            ("received", ("received_on",)),
        ):
            if kind.code not in NEEDS[group]:
                for name in names:
                    del self.fields[name]
        if kind.code in NEEDS["votes"]:
            for name in ("votes_due", "votes_present", "votes_yes"):
                self.fields[name].required = True
        if kind.code == "extension":
            self.fields["extension_months"].required = True
        if kind.code == "political_review":
            self.fields["notes"].label = "审查结论"
            self.fields["notes"].required = True
        if kind.code == "candidate_training":
            self.fields["training_days"].help_text = "不少于3天或不少于24学时"


class TerminateForm(BaseForm):
    on = forms.DateField(label="终止日期")
    reason = forms.CharField(
        label="终止原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class KeyTeacherForm(BaseForm):
    on = forms.DateField(label="认定为骨干教师日期")


class DocumentForm(BaseForm):
    title = forms.CharField(
        label="材料名称", max_length=100, required=False, help_text="不填则用文件名"
    )
    file = forms.FileField(label="文件", help_text="PDF、JPG、PNG 或 Word（docx），不超过10MB")
    step: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Step.objects.none(), label="所属步骤", required=False, empty_label="（整个记录）"
    )

    def __init__(self, *args: Any, record: DevelopmentRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step"]
        field.queryset = Step.objects.filter(record=record).order_by("on", "pk")  # type: ignore[attr-defined]
        field.label_from_instance = lambda s: f"{s.get_kind_display()}（{s.on:%Y-%m-%d}）"  # type: ignore[attr-defined]
