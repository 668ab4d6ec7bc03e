"""Forms of organisational life; every choice is limited to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from dangjian.core.forms import BaseForm, style
from dangjian.orgs.models import PartyOrg
from dangjian.party.models import PartyMember
from dangjian.people.models import Person

from .actions import MAX_UPLOAD, AttendanceIn, member_active_on
from .models import Attendance, Meeting, StandardChecklist, Vanguard

ACCEPT = ".jpg,.jpeg,.png,.pdf,.docx"


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.job_title}）" if obj.job_title else obj.name


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.person.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def recordable_orgs(user: Any) -> Any:
    """Branches and party groups in scope that can hold meetings."""
    return (
        PartyOrg.objects.for_user(user)
        .filter(
            is_active=True,
            unit__status="active",
            kind__in=[PartyOrg.Kind.BRANCH, PartyOrg.Kind.GROUP],
        )
        .select_related("unit")
        .order_by("unit__path", "name")
    )


class OrgPickForm(BaseForm):
    org = OrgChoiceField(label="党组织", queryset=PartyOrg.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = recordable_orgs(user)  # type: ignore[attr-defined]
        self.fields["org"].help_text = "党小组会登记在党小组下，其余会议登记在党支部下"
        style(self)


class MeetingForm(BaseForm):
    kind = forms.ChoiceField(label="会议类型", choices=Meeting.Kind.choices)
    also_counts_as = forms.MultipleChoiceField(
        label="同时计为",
        choices=[c for c in Meeting.Kind.choices if c[0] != Meeting.Kind.GROUP],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="例如主题党日同时召开支部党员大会、讲党课（主题党日+三会一课）",
    )
    held_on = forms.DateField(label="日期")
    place = forms.CharField(label="地点", max_length=100, required=False)
    topics = forms.CharField(
        label="议题/主题", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    host = PersonChoiceField(label="主持人/主讲人", queryset=Person.objects.none(), required=False)
    minutes = forms.CharField(
        label="会议记录", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    attachments = MultipleFileField(
        label="照片和附件", required=False, help_text="jpg、png、pdf、docx，每个不超过 10 MB"
    )

    def __init__(self, *args: Any, org: PartyOrg, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        if org.kind == PartyOrg.Kind.GROUP:
            self.fields["kind"].choices = [(Meeting.Kind.GROUP, "党小组会")]  # type: ignore[attr-defined]
            del self.fields["also_counts_as"]
        else:
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                c for c in Meeting.Kind.choices if c[0] != Meeting.Kind.GROUP
            ]
        self.fields["host"].queryset = (  # type: ignore[attr-defined]
            Person.objects.for_user(user)
            .filter(unit=org.unit, status=Person.Status.ACTIVE)
            .order_by("name", "pk")
        )
        style(self)
        if "also_counts_as" in self.fields:
            self.fields["also_counts_as"].widget.attrs["class"] = "form-check-input"

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        for f in files:
            if f.size > MAX_UPLOAD:
                raise forms.ValidationError(f"{f.name} 超过 10 MB")
        return files


def branch_members(org: PartyOrg, day: dt.date) -> list[PartyMember]:
    """Members expected at a meeting of `org` on `day`: the branch's members in good standing
    (a party group's meetings draw on its branch)."""
    branch = org.parent if org.kind == PartyOrg.Kind.GROUP and org.parent else org
    members = (
        PartyMember.objects.filter(branch=branch, joined_on__lte=day)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    return [m for m in members if member_active_on(m, day)]


def attendance_rows(
    members: list[PartyMember], data: Any, existing: dict[int, Attendance] | None = None
) -> list[dict[str, Any]]:
    """One row per member for the attendance table: posted values win over stored ones."""
    existing = existing or {}
    rows = []
    for m in members:
        old = existing.get(m.pk)
        prefix = f"att-{m.pk}-"
        if data is not None and f"{prefix}status" in data:
            status = data.get(f"{prefix}status")
            reason = data.get(f"{prefix}reason", "")
            grade = data.get(f"{prefix}grade", "")
        else:
            status = old.status if old else Attendance.Status.PRESENT
            reason = old.reason if old else ""
            grade = old.grade if old else ""
        rows.append(
            {"member": m, "prefix": prefix, "status": status, "reason": reason, "grade": grade}
        )
    return rows


def attendance_in(rows: list[dict[str, Any]]) -> list[AttendanceIn]:
    return [AttendanceIn(r["member"], r["status"], r["reason"], r["grade"]) for r in rows]


class AttachmentForm(BaseForm):
    attachments = MultipleFileField(
        label="照片和附件", help_text="jpg、png、pdf、docx，每个不超过 10 MB"
    )


class ChecklistForm(BaseForm):
    kind = forms.ChoiceField(label="类型", choices=StandardChecklist.Kind.choices)
    name = forms.CharField(label="名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    pass_score = forms.IntegerField(label="达标分数", min_value=0, initial=60)
    items = forms.CharField(
        label="检查项",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一项：检查内容｜分值，例如“党员活动室悬挂入党誓词｜10”",
    )

    def clean_items(self) -> list[tuple[str, int]]:
        out = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            text, sep, score = line.replace("|", "｜").rpartition("｜")
            if not sep or not score.strip().isdigit() or not text.strip():
                raise forms.ValidationError(f"第{n}行格式应为“检查内容｜分值”")
            out.append((text.strip(), int(score)))
        if not out:
            raise forms.ValidationError("至少填写一项")
        return out


class VanguardForm(BaseForm):
    kind = forms.ChoiceField(label="类型", choices=Vanguard.Kind.choices)
    title = forms.CharField(label="名称", max_length=100)
    content = forms.CharField(label="内容/承诺事项", widget=forms.Textarea(attrs={"rows": 3}))
    members = MemberChoiceField(label="党员", queryset=PartyMember.objects.none())
    started_on = forms.DateField(label="开始日期")
    due_on = forms.DateField(label="期限", required=False)

    def __init__(self, *args: Any, org: PartyOrg, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (  # type: ignore[attr-defined]
            PartyMember.objects.filter(branch=org, status__in=PartyMember.ACTIVE_STATUSES)
            .select_related("person")
            .order_by("person__name", "pk")
        )
        self.fields["members"].widget.attrs["data-search"] = "1"
        style(self)


class VanguardCloseForm(BaseForm):
    status = forms.ChoiceField(
        label="评定结果",
        choices=[c for c in Vanguard.Status.choices if c[0] != Vanguard.Status.ACTIVE],
    )
    closed_on = forms.DateField(label="评定日期")
    result = forms.CharField(label="践诺情况/评定意见", widget=forms.Textarea(attrs={"rows": 3}))
