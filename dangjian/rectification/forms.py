"""Input shapes of findings and rectification pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q

from dangjian.core.forms import BaseForm
from dangjian.core.scope import scope_paths
from dangjian.orgs.models import Unit

from .models import Finding

ACCEPT = ".jpg,.jpeg,.png,.pdf"
SCHOOL_ROLES = ("school_secretary", "school_clerk")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("help_text", "jpg、png、pdf，每个不超过 10 MB")
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = getattr(obj, "unit", None)
        return f"{obj}（{unit.name}）" if unit else str(obj)


def _users() -> Any:
    from dangjian.accounts.models import User

    return User.objects.all()


def owner_queryset(user: Any, unit: Unit | None = None) -> Any:
    """School secretaries and clerks in the user's scope (or at one school)."""
    from dangjian.accounts.models import User

    if unit is not None:
        where = Q(role_assignments__unit=unit)
    else:
        where = Q(pk__in=[])
        for p in scope_paths(user):
            where |= Q(role_assignments__unit__path__startswith=p)
    return (
        User.objects.filter(where, role_assignments__role__in=SCHOOL_ROLES, is_active=True)
        .select_related("unit")
        .distinct()
        .order_by("unit__path", "username")
    )


class FindingForm(BaseForm):
    unit = forms.ModelChoiceField(label="学校", queryset=Unit.objects.none())
    source = forms.ChoiceField(label="来源", choices=Finding.Source.choices)
    area = forms.CharField(
        label="问题领域", max_length=50, help_text="如：党费收缴、三会一课、食堂管理"
    )
    severity = forms.ChoiceField(label="严重程度", choices=Finding.Severity.choices)
    found_on = forms.DateField(label="发现日期")
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    rule_broken = forms.CharField(label="违反的规定或清单条目", max_length=200, required=False)
    deadline = forms.DateField(
        label="整改期限",
        required=False,
        help_text="不填按严重程度：轻微7天、一般15天、严重30天；只能缩短",
    )
    owner = OwnerField(label="整改责任人", queryset=_users().none(), required=False)
    evidence = MultipleFileField(label="问题照片或材料", required=False)

    def __init__(self, *args: Any, user: Any, unit: Unit | None, sources: Sequence[str], **kw: Any):
        super().__init__(*args, **kw)
        units = Unit.objects.for_user(user).filter(
            kind__in=Unit.SCHOOL_KINDS, status=Unit.Status.ACTIVE
        )
        field = self.fields["unit"]
        field.queryset = units.filter(pk=unit.pk) if unit else units.order_by("path")  # type: ignore[attr-defined]
        if unit is not None:
            field.initial = unit.pk
            field.disabled = True
        self.fields["source"].choices = [  # type: ignore[attr-defined]
            c for c in Finding.Source.choices if c[0] in sources
        ]
        self.fields["owner"].queryset = owner_queryset(user, unit)  # type: ignore[attr-defined]


class SubmitForm(BaseForm):
    measures = forms.CharField(label="整改措施和完成情况", widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(label="整改后的照片或材料", required=False)


class VerifyForm(BaseForm):
    note = forms.CharField(
        label="验收意见", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RejectForm(BaseForm):
    reasons = forms.CharField(
        label="退回原因", widget=forms.Textarea(attrs={"rows": 3}), help_text="写明哪些没有整改到位"
    )


class NoteForm(BaseForm):
    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}))


class LedgerForm(BaseForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    start = forms.DateField(label="开始日期")
    last = forms.DateField(label="截止日期")

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("last") and data["last"] < data["start"]:
            self.add_error("last", "截止日期不能早于开始日期")
        return data
