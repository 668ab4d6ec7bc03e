"""Forms of the bulletin pages: the draft (unit, month, texts) and an example."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from dangjian.core.forms import BaseForm
from dangjian.orgs.models import Unit
from dangjian.rectification.models import Finding
from dangjian.supervision.forms import MonthField

from .models import Example

TEXTAREA = {"rows": 4}


class BulletinForm(BaseForm):
    unit = forms.ModelChoiceField(label="通报单位", queryset=Unit.objects.none())
    month = MonthField(label="通报月份")
    title = forms.CharField(
        label="标题",
        max_length=200,
        required=False,
        help_text="不填则为“××单位×年×月党建督导工作通报”",
    )
    summary = forms.CharField(
        label="总体情况",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="写在通报开头的一段话，可不填",
    )
    requirements = forms.CharField(
        label="下步工作要求",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="每行一条；不填则使用通用要求",
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class BulletinEditForm(BaseForm):
    title = forms.CharField(label="标题", max_length=200)
    summary = BulletinForm.base_fields["summary"]
    requirements = BulletinForm.base_fields["requirements"]


class FindingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name}：{obj.area}—{obj.description[:30]}"


class ExampleForm(BaseForm):
    kind = forms.ChoiceField(label="类别", choices=Example.Kind.choices)
    unit = forms.ModelChoiceField(label="学校", queryset=Unit.objects.none())
    finding = FindingChoice(
        label="关联问题",
        queryset=Finding.objects.none(),
        required=False,
        help_text="反面典型可关联本月发现或逾期的问题",
    )
    text = forms.CharField(
        label="内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="典型经验写做法和成效；反面典型写存在的问题和整改要求",
    )

    def __init__(
        self, *args: Any, schools: QuerySet[Unit], findings: QuerySet[Finding], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = schools  # type: ignore[attr-defined]
        self.fields["finding"].queryset = findings  # type: ignore[attr-defined]
