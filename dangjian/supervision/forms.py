"""Forms of the inspection cycle; every choice is limited to the user's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from dangjian.accounts.models import User
from dangjian.core.forms import BaseForm, style
from dangjian.core.scope import has_capability
from dangjian.orgs.models import Unit

from .actions import ItemIn
from .models import Campaign, Checklist, ChecklistItem, Inspection, Result

ACCEPT = ".jpg,.jpeg,.png,.pdf"
PLANNER_ROLES = ("bureau_admin", "inspector", "district_staff")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name or obj.username


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name or obj.username


def upper_units(user: Any, capability: str) -> QuerySet[Unit]:
    """Bureaus and district offices in scope where the user holds `capability`."""
    kinds = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}
    qs = Unit.objects.for_user(user).filter(kind__in=kinds, status=Unit.Status.ACTIVE)
    return qs.filter(pk__in=[u.pk for u in qs if has_capability(user, capability, u)]).order_by(
        "path"
    )


def schools(user: Any) -> QuerySet[Unit]:
    return (
        Unit.objects.for_user(user)
        .filter(kind__in=Unit.SCHOOL_KINDS, status=Unit.Status.ACTIVE)
        .order_by("path")
    )


def inspectors(user: Any) -> QuerySet[User]:
    return (
        User.objects.for_user(user)
        .filter(is_active=True, role_assignments__role__in=PLANNER_ROLES)
        .distinct()
        .order_by("display_name", "username")
    )


def active_checklists(user: Any) -> QuerySet[Checklist]:
    return Checklist.objects.for_user(user).filter(is_active=True).order_by("-created_at")


def parse_month(raw: str) -> dt.date:
    try:
        year, month = (int(p) for p in raw.split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError) as exc:
        raise forms.ValidationError("请选择有效的月份") from exc


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month"})

    def clean(self, value: Any) -> Any:
        raw = super().clean(value)
        return parse_month(raw) if raw else None


# ---- checklists ----


class ChecklistForm(BaseForm):
    unit = forms.ModelChoiceField(label="制定单位", queryset=Unit.objects.none())
    name = forms.CharField(label="名称", max_length=100)
    description = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.CharField(
        label="检查项目",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行一项：检查领域｜检查项目｜检查标准｜分值，"
        "例如“食堂管理｜食品留样｜每餐留样不少于125克、保存48小时｜10”",
    )

    def __init__(self, *args: Any, user: Any, capability: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = upper_units(user, capability)  # type: ignore[attr-defined]

    def clean_items(self) -> list[ItemIn]:
        out = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            if len(parts) == 3:
                parts.insert(2, "")
            if len(parts) != 4 or not parts[3].isdigit() or not parts[0] or not parts[1]:
                raise forms.ValidationError(f"第{n}行格式应为“检查领域｜检查项目｜检查标准｜分值”")
            out.append(ItemIn(parts[0], parts[1], int(parts[3]), parts[2]))
        if not out:
            raise forms.ValidationError("至少填写一项")
        return out


def items_text(checklist: Checklist) -> str:
    return "\n".join(
        f"{i.area}｜{i.text}｜{i.standard}｜{i.score}" for i in checklist.items.order_by("position")
    )


class ChecklistEditForm(ChecklistForm):
    is_active = forms.BooleanField(label="启用", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


# ---- campaigns ----


class CampaignForm(BaseForm):
    unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    name = forms.CharField(label="名称", max_length=100)
    key_areas = forms.MultipleChoiceField(
        label="整治重点",
        choices=[(a, a) for a in Campaign.KEY_AREAS],
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = forms.DateField(label="开始日期")
    ends_on = forms.DateField(label="结束日期")
    schools = forms.ModelMultipleChoiceField(label="覆盖学校", queryset=Unit.objects.none())
    description = forms.CharField(
        label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = upper_units(  # type: ignore[attr-defined]
            user, "supervision.campaign_create"
        )
        self.fields["schools"].queryset = schools(user)  # type: ignore[attr-defined]
        self.fields["schools"].widget.attrs["data-search"] = "1"
        style(self)
        self.fields["key_areas"].widget.attrs.pop("class", None)


# ---- plans and inspections ----


def _kind_choices(user: Any, capability: str) -> list[tuple[str, str]]:
    from dangjian.core.scope import roles_of

    from .actions import KIND_ROLES

    if getattr(user, "is_system", False):
        return list(Inspection.Kind.choices)
    mine = roles_of(user)
    return [(k, lbl) for k, lbl in Inspection.Kind.choices if KIND_ROLES[k] & mine]


class PlanForm(BaseForm):
    unit = forms.ModelChoiceField(label="计划单位", queryset=Unit.objects.none())
    month = MonthField(label="月份")
    kind = forms.ChoiceField(label="检查方式")
    title = forms.CharField(label="名称", max_length=200, required=False)
    checklist = forms.ModelChoiceField(
        label="督查清单", queryset=Checklist.objects.none(), required=False
    )
    campaign = forms.ModelChoiceField(
        label="专项整治", queryset=Campaign.objects.none(), required=False
    )
    planned_on = forms.DateField(label="计划日期")
    selection = forms.ChoiceField(
        label="受检学校",
        choices=[
            ("pick", "逐校选择"),
            ("all", "计划单位的全部学校"),
            ("sample", "按比例抽查（督导组面上抽查）"),
        ],
        initial="pick",
        widget=forms.RadioSelect,
    )
    schools = forms.ModelMultipleChoiceField(
        label="选择学校", queryset=Unit.objects.none(), required=False
    )
    inspectors = UsersChoiceField(label="检查人员", queryset=User.objects.none(), required=False)
    lead_inspector = UserChoiceField(label="检查组长", queryset=User.objects.none(), required=False)
    unannounced = forms.BooleanField(
        label="不打招呼（四不三直）：督查开始前学校看不到", required=False
    )
    notes = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["unit"].queryset = upper_units(user, "supervision.plan_create")  # type: ignore[attr-defined]
        f["kind"].choices = _kind_choices(user, "supervision.plan_create")  # type: ignore[attr-defined]
        f["checklist"].queryset = active_checklists(user)  # type: ignore[attr-defined]
        f["campaign"].queryset = Campaign.objects.for_user(user)  # type: ignore[attr-defined]
        f["schools"].queryset = schools(user)  # type: ignore[attr-defined]
        f["inspectors"].queryset = inspectors(user)  # type: ignore[attr-defined]
        f["lead_inspector"].queryset = inspectors(user)  # type: ignore[attr-defined]
        style(self)
        f["schools"].widget.attrs["data-search"] = "1"
        f["inspectors"].widget.attrs["data-search"] = "1"
        f["selection"].widget.attrs.pop("class", None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month, day = data.get("month"), data.get("planned_on")
        if month and day and day.replace(day=1) != month:
            self.add_error("planned_on", "计划日期应在所选月份内")
        if data.get("selection") == "pick" and not data.get("schools"):
            self.add_error("schools", "请选择受检学校，或改为全部学校、按比例抽查")
        return data


class InspectionForm(BaseForm):
    unit = forms.ModelChoiceField(label="受检学校", queryset=Unit.objects.none())
    kind = forms.ChoiceField(label="检查方式")
    planned_on = forms.DateField(label="计划日期")
    title = forms.CharField(label="名称", max_length=200, required=False)
    checklist = forms.ModelChoiceField(
        label="督查清单", queryset=Checklist.objects.none(), required=False
    )
    campaign = forms.ModelChoiceField(
        label="专项整治", queryset=Campaign.objects.none(), required=False
    )
    lead_inspector = UserChoiceField(label="检查组长", queryset=User.objects.none(), required=False)
    unannounced = forms.BooleanField(label="不打招呼（四不三直）", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["unit"].queryset = schools(user)  # type: ignore[attr-defined]
        f["kind"].choices = _kind_choices(user, "supervision.inspection_create")  # type: ignore[attr-defined]
        f["checklist"].queryset = active_checklists(user)  # type: ignore[attr-defined]
        f["campaign"].queryset = Campaign.objects.for_user(user)  # type: ignore[attr-defined]
        f["lead_inspector"].queryset = inspectors(user)  # type: ignore[attr-defined]
        style(self)


class StartForm(BaseForm):
    held_on = forms.DateField(label="检查日期")


class CompleteForm(BaseForm):
    held_on = forms.DateField(label="检查日期")
    notes = forms.CharField(
        label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RecordForm(BaseForm):
    """One row per checklist item: verdict, score (blank: by the verdict), note, evidence."""

    notes = forms.CharField(
        label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, items: list[ChecklistItem], existing: dict[int, Result], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            old = existing.get(item.pk)
            n = f"第{item.position}项"
            self.fields[f"verdict_{item.pk}"] = forms.ChoiceField(
                label=f"{n}检查结果",
                choices=[("", "未登记"), *Result.Verdict.choices],
                required=False,
                initial=old.verdict if old else "",
            )
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=f"{n}得分",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(item.score),
                decimal_places=1,
                initial=old.score if old else None,
            )
            self.fields[f"note_{item.pk}"] = forms.CharField(
                label=f"{n}情况说明", required=False, initial=old.note if old else ""
            )
            self.fields[f"evidence_{item.pk}"] = MultipleFileField(label=f"{n}佐证材料")
        style(self)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "item": i,
                "verdict": self[f"verdict_{i.pk}"],
                "score": self[f"score_{i.pk}"],
                "note": self[f"note_{i.pk}"],
                "evidence": self[f"evidence_{i.pk}"],
            }
            for i in self.items
        ]

    def results(self) -> list[Any]:
        from .actions import ResultIn

        out = []
        for i in self.items:
            verdict = self.cleaned_data.get(f"verdict_{i.pk}") or ""
            if not verdict:
                continue
            out.append(
                ResultIn(
                    i,
                    verdict,
                    self.cleaned_data.get(f"score_{i.pk}"),
                    self.cleaned_data.get(f"note_{i.pk}") or "",
                    self.cleaned_data.get(f"evidence_{i.pk}") or [],
                )
            )
        return out
