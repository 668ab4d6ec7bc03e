"""Input shapes of the 三重一大 pages. Every choice is limited to the user's scope; the meeting
record is one form made of a header, the member roster and, per item on the agenda, the
speakers in order, the recusals and the vote."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory

from dangjian.core.forms import BaseForm, style
from dangjian.core.scope import has_capability
from dangjian.orgs.models import Post, Unit
from dangjian.people.models import Person

from . import rules
from .models import (
    AgendaItem,
    Attachment,
    Body,
    Category,
    DecisionCategory,
    DecisionMeeting,
    DecisionSettings,
    ItemReview,
    Opinion,
    SpotCheck,
    Step,
)

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.doc,.xlsx"
FILE_HINT = "pdf、jpg、png、Word、Excel，每个不超过 10 MB"
UPPER_KINDS = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}
# the attachment kind that records each preparatory step
STEP_KINDS: dict[str, str] = {
    Step.INVESTIGATION: Attachment.Kind.INVESTIGATION,
    Step.EXPERT_REVIEW: Attachment.Kind.EXPERT_REVIEW,
    Step.LEGALITY_REVIEW: Attachment.Kind.LEGALITY_REVIEW,
    Step.OPINIONS: Attachment.Kind.OPINIONS,
    Step.PARTY_PREVIEW: Attachment.Kind.PARTY_PREVIEW,
    Step.STAFF_CONGRESS: Attachment.Kind.STAFF_CONGRESS,
}
# leadership posts that sit on the school party organisation's meeting, chair first
ROSTER_TITLES = (
    Post.Title.SECRETARY,
    Post.Title.DEPUTY_SECRETARY,
    Post.Title.ORGANIZATION,
    Post.Title.PROPAGANDA,
    Post.Title.DISCIPLINE,
    Post.Title.COMMITTEE_MEMBER,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT, "multiple": True}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", FILE_HINT)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def units_with(user: Any, capability: str, kinds: frozenset[str]) -> QuerySet[Unit]:
    """Active units of `kinds` in scope on which the user holds `capability`."""
    qs = Unit.objects.for_user(user).filter(kind__in=kinds, status=Unit.Status.ACTIVE)
    return qs.filter(pk__in=[u.pk for u in qs if has_capability(user, capability, u)]).order_by(
        "path"
    )


def _fix_unit(form: forms.BaseForm, units: QuerySet[Unit], unit: Unit | None = None) -> None:
    """The unit select: one choice (or a given unit) is shown, not asked."""
    field = form.fields["unit"]
    field.queryset = units  # type: ignore[attr-defined]
    only = unit or (units.first() if units.count() == 1 else None)
    if only is not None:
        field.queryset = units.filter(pk=only.pk)  # type: ignore[attr-defined]
        field.initial = only.pk
        field.disabled = True
    elif not form.is_bound and units.exists():
        field.initial = units.first().pk  # type: ignore[union-attr]


# ---- settings and catalogue ----


class SettingsForm(BaseForm):
    unit = forms.ModelChoiceField(label="制定单位", queryset=Unit.objects.none())
    large_fund_threshold_yuan = forms.DecimalField(
        label="大额资金标准（元）",
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text="单笔达到（含）该金额的资金使用为大额度资金使用，须经党组织会议集体决策",
    )
    filing_lead_days = forms.IntegerField(
        label="会前报备时限（工作日）",
        min_value=0,
        max_value=30,
        help_text="议题至少提前几个工作日报备；不足的照常报备，但标记为报备时间不足",
    )
    quorum_half_rule = forms.ChoiceField(
        label="到会人数要求",
        choices=DecisionSettings.HalfRule.choices,
        help_text="“半数以上”是否含半数；讨论干部任免时须三分之二以上（含）成员到会",
    )
    majority_base = forms.ChoiceField(
        label="表决通过基数",
        choices=DecisionSettings.MajorityBase.choices,
        help_text="赞成票须超过应到会成员（或实到会成员）的半数",
    )
    split_window_days = forms.IntegerField(
        label="拆分预警时间窗口（天）",
        min_value=1,
        max_value=366,
        help_text="同一收款单位/项目在该天数内的多笔资金合计达到标准时预警",
    )

    def __init__(self, *args: Any, user: Any, unit: Unit | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _fix_unit(self, units_with(user, "decisions.settings_save", UPPER_KINDS), unit)
        self.school_kinds = [(k, label) for k, label in Unit.Kind.choices if k in Unit.SCHOOL_KINDS]
        for kind, label in self.school_kinds:
            self.fields[f"threshold_{kind}"] = forms.DecimalField(
                label=f"{label}大额资金标准（元）",
                required=False,
                min_value=Decimal("0.01"),
                max_digits=14,
                decimal_places=2,
                help_text="不填按上面的统一标准",
            )
        style(self)

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"threshold_{k}"] for k, _ in self.school_kinds]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if not n.startswith("threshold_")]

    def threshold_by_kind(self) -> dict[str, str]:
        return {
            k: str(self.cleaned_data[f"threshold_{k}"])
            for k, _ in self.school_kinds
            if self.cleaned_data.get(f"threshold_{k}") is not None
        }

    @staticmethod
    def initial_from(row: DecisionSettings | None, unit: Unit | None) -> dict[str, Any]:
        base = rules.Settings()
        if row is None:
            return {
                "unit": unit.pk if unit else None,
                "large_fund_threshold_yuan": base.large_fund_threshold_yuan,
                "filing_lead_days": base.filing_lead_days,
                "quorum_half_rule": str(base.quorum_half_rule),
                "majority_base": str(base.majority_base),
                "split_window_days": base.split_window_days,
            }
        initial: dict[str, Any] = {
            "unit": row.unit_id,
            "large_fund_threshold_yuan": row.large_fund_threshold_yuan,
            "filing_lead_days": row.filing_lead_days,
            "quorum_half_rule": row.quorum_half_rule,
            "majority_base": row.majority_base,
            "split_window_days": row.split_window_days,
        }
        for kind, value in (row.threshold_by_kind or {}).items():
            initial[f"threshold_{kind}"] = Decimal(str(value))
        return initial


class CategoryForm(BaseForm):
    unit = forms.ModelChoiceField(label="制定单位", queryset=Unit.objects.none())
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    name = forms.CharField(label="事项名称", max_length=100, help_text="如：年度预算安排")
    examples = forms.CharField(
        label="具体事项举例", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    bodies = forms.MultipleChoiceField(
        label="决策会议",
        choices=Body.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="可以决定该事项的会议",
    )
    required_steps = forms.MultipleChoiceField(
        label="必经前置程序",
        choices=Step.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="新建时不选则按类别的默认前置程序",
    )
    staff_congress_required = forms.BooleanField(label="须经教代会审议", required=False)
    position = forms.IntegerField(label="序号", min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args: Any, user: Any, entry: DecisionCategory | None = None, **kw: Any):
        super().__init__(*args, **kw)
        units = units_with(user, "decisions.category_create", UPPER_KINDS)
        if entry is not None:
            _fix_unit(self, Unit.objects.filter(pk=entry.unit_id), entry.unit)
            self.fields["category"].disabled = True
        else:
            _fix_unit(self, units)
            del self.fields["is_active"]
        for name in ("bodies", "required_steps"):
            self.fields[name].widget.attrs.pop("class", None)  # rendered by core/form.html


# ---- agenda items ----


class SubcategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_category_display()}｜{obj.name}"


class ItemForm(BaseForm):
    unit = forms.ModelChoiceField(label="学校", queryset=Unit.objects.none())
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    subcategory = SubcategoryField(
        label="具体事项",
        queryset=DecisionCategory.objects.none(),
        required=False,
        empty_label="未列入目录（按类别的默认前置程序）",
        help_text="按教育局的三重一大事项目录选择，决定了必经的前置程序",
    )
    title = forms.CharField(label="议题名称", max_length=200)
    content = forms.CharField(label="议题内容", widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(
        label="涉及金额（元）",
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        help_text="涉及资金的议题必填",
    )
    payee = forms.CharField(
        label="收款单位/项目",
        max_length=100,
        required=False,
        help_text="同一对象短期内多笔资金会合并计算，用于识别拆分",
    )
    planned_body = forms.ChoiceField(label="拟提交会议", choices=Body.choices)
    planned_meeting_on = forms.DateField(label="拟上会日期", required=False)
    proposer = forms.CharField(label="提议人", max_length=50, required=False)
    steps_done = forms.MultipleChoiceField(
        label="已完成的前置程序",
        choices=Step.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    steps_note = forms.CharField(
        label="前置程序情况说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如：3月5日召开教职工座谈会征求意见，参加32人",
    )
    material = MultipleFileField(label="议题材料")

    def __init__(self, *args: Any, user: Any, item: AgendaItem | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if item is not None:
            _fix_unit(self, Unit.objects.filter(pk=item.unit_id), item.unit)
        else:
            _fix_unit(self, units_with(user, "decisions.item_create", Unit.SCHOOL_KINDS))
        self.fields["subcategory"].queryset = (  # type: ignore[attr-defined]
            DecisionCategory.objects.for_user(user)
            .filter(is_active=True)
            .order_by("category", "position", "id")
        )
        for step, label in Step.choices:
            self.fields[f"file_{step}"] = MultipleFileField(label=f"{label}材料", help_text="")
        style(self)
        self.fields["steps_done"].widget.attrs["class"] = "form-check-input"

    def step_rows(self) -> list[dict[str, Any]]:
        """One row per preparatory step: its checkbox and its file input."""
        checks = {str(w.data["value"]): w for w in self["steps_done"]}
        return [
            {"step": step, "label": label, "check": checks[step], "file": self[f"file_{step}"]}
            for step, label in Step.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sub = data.get("subcategory")
        if sub is not None and data.get("category") and sub.category != data["category"]:
            self.add_error("subcategory", "所选具体事项不属于该类别")
        if data.get("category") == Category.LARGE_FUND and data.get("amount") is None:
            self.add_error("amount", "大额度资金使用的议题请填写涉及金额")
        return data

    def attachments(self) -> list[tuple[str, Any]]:
        out = [(Attachment.Kind.MATERIAL.value, f) for f in self.cleaned_data.get("material", [])]
        for step, kind in STEP_KINDS.items():
            out += [(str(kind), f) for f in self.cleaned_data.get(f"file_{step}", [])]
        return out

    def values(self) -> dict[str, Any]:
        keys = (
            "category",
            "subcategory",
            "title",
            "content",
            "amount",
            "payee",
            "steps_done",
            "steps_note",
            "planned_body",
            "planned_meeting_on",
            "proposer",
        )
        return {k: self.cleaned_data[k] for k in keys}

    @staticmethod
    def initial_from(item: AgendaItem) -> dict[str, Any]:
        return {
            "unit": item.unit_id,
            "category": item.category,
            "subcategory": item.subcategory_id,
            "title": item.title,
            "content": item.content,
            "amount": item.amount,
            "payee": item.payee,
            "planned_body": item.planned_body,
            "planned_meeting_on": item.planned_meeting_on,
            "proposer": item.proposer,
            "steps_done": list(item.steps_done),
            "steps_note": item.steps_note,
        }


class FileForm(BaseForm):
    """Filing confirms the item as it stands: no fields besides the date."""


class ReviewForm(BaseForm):
    decision = forms.ChoiceField(
        label="审核结果", choices=ItemReview.Decision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(
        label="审核意见",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回修改或认定非三重一大事项时必填",
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["decision"].choices = choices  # type: ignore[attr-defined]
        self.fields["decision"].widget.attrs.pop("class", None)  # rendered by core/form.html

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs = (ItemReview.Decision.RETURNED, ItemReview.Decision.NOT_MAJOR)
        if data.get("decision") in needs and not (data.get("opinion") or "").strip():
            self.add_error("opinion", "退回修改或认定非三重一大事项时请写明审核意见")
        return data


class AttachmentForm(BaseForm):
    kind = forms.ChoiceField(label="材料类型")
    upload = MultipleFileField(label="文件")

    def __init__(self, *args: Any, kinds: frozenset[str], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (k, label) for k, label in Attachment.Kind.choices if k in kinds
        ]

    def clean_upload(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("upload") or []
        if not files:
            raise forms.ValidationError("请选择要上传的文件")
        return files


# ---- the meeting record ----


class MeetingForm(BaseForm):
    unit = forms.ModelChoiceField(label="学校", queryset=Unit.objects.none())
    body = forms.ChoiceField(label="会议类型", choices=Body.choices)
    mode = forms.ChoiceField(
        label="决策方式",
        choices=DecisionMeeting.Mode.choices,
        help_text="传签、个别征求意见不能代替会议集体决策，会被标记",
    )
    held_on = forms.DateField(label="会议日期")
    title = forms.CharField(
        label="会议名称", max_length=200, required=False, help_text="不填按日期和会议类型生成"
    )
    place = forms.CharField(label="会议地点", max_length=100, required=False)
    recorder = forms.CharField(label="记录人", max_length=50, required=False)
    notes = forms.CharField(
        label="会议情况", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.ModelMultipleChoiceField(
        label="本次会议研究的议题",
        queryset=AgendaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="本校尚未作出决定的议题；一事一议，逐项表决",
    )
    minutes = forms.FileField(
        label="会议纪要/记录",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=FILE_HINT,
    )
    sign_in = forms.FileField(
        label="签到表",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=FILE_HINT,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], unit: Unit, **kw: Any) -> None:
        super().__init__(*args, **kw)
        _fix_unit(self, units, unit)
        self.fields["items"].queryset = (  # type: ignore[attr-defined]
            AgendaItem.objects.filter(unit=unit, status__in=AgendaItem.UNDECIDED).order_by(
                "planned_meeting_on", "pk"
            )
        )
        self.fields["items"].widget.attrs["class"] = "form-check-input"
        self.fields["items"].label_from_instance = _item_label  # type: ignore[attr-defined]


def _item_label(item: AgendaItem) -> str:
    return f"{item.title}（{item.get_category_display()}，{item.get_status_display()}）"


class MemberForm(BaseForm):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    title = forms.CharField(label="职务", max_length=50, required=False)
    is_chair = forms.BooleanField(label="主持人", required=False)
    present = forms.BooleanField(label="到会", required=False, initial=True)
    absence_reason = forms.CharField(label="缺席原因", max_length=100, required=False)
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DecisionForm(BaseForm):
    votes_yes = forms.IntegerField(label="赞成", min_value=0, max_value=99, required=False)
    votes_no = forms.IntegerField(label="反对", min_value=0, max_value=99, required=False)
    votes_abstain = forms.IntegerField(label="弃权", min_value=0, max_value=99, required=False)
    decision = forms.CharField(
        label="决定事项", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.ChoiceField(
        label="表决结果",
        required=False,
        choices=[("", "按票数计算"), ("passed", "通过"), ("not_passed", "未通过")],
        help_text="票数未记录时必须选择（会被标记为表决情况未记录）",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        votes = [data.get(k) for k in ("votes_yes", "votes_no", "votes_abstain")]
        if any(v is not None for v in votes) and None in votes:
            self.add_error("votes_yes", "赞成、反对、弃权票数请填写完整（没有的填0）")
        return data


class MemberChoiceForm(BaseForm):
    member = forms.ChoiceField(label="成员", required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["member"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class OpinionForm(MemberChoiceForm):
    stance = forms.ChoiceField(
        label="表态", choices=[("", "—"), *Opinion.Stance.choices], required=False
    )
    text = forms.CharField(label="发表意见", required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        """A row left blank is ignored; a row with a speaker needs the stance as stated."""
        data = super().clean() or {}
        if data.get("member") and not data.get("stance"):
            self.add_error("stance", "请选择该成员的表态")
        elif not data.get("member") and (data.get("stance") or (data.get("text") or "").strip()):
            self.add_error("member", "请选择发言的成员")
        return data


class RecusalForm(MemberChoiceForm):
    reason = forms.CharField(label="回避事由", max_length=200, required=False)
    withdrew = forms.BooleanField(label="已离场回避", required=False, initial=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("member") and not (data.get("reason") or "").strip():
            self.add_error("reason", "请写明回避事由")
        return data


MemberFormSet = formset_factory(MemberForm, extra=0)
OpinionFormSet = formset_factory(OpinionForm, extra=0)
RecusalFormSet = formset_factory(RecusalForm, extra=0)
EXTRA_MEMBER_ROWS = 2


@dataclass
class ItemSection:
    item: AgendaItem
    decision: DecisionForm
    opinions: Any  # OpinionFormSet
    recusals: Any  # RecusalFormSet
    chair_last_hint: str
    fresh: bool  # just ticked: shown for the first time, nothing typed yet


def roster(unit: Unit, on: dt.date) -> list[dict[str, Any]]:
    """The school party organisation's leadership in post on `on`, secretary first (chair)."""
    from dangjian.orgs.queries import top_party_org

    org = top_party_org(unit)
    if org is None:
        return []
    posts = (
        Post.objects.filter(org=org, title__in=ROSTER_TITLES, started_on__lte=on)
        .exclude(ended_on__lt=on)
        .select_related("person")
    )
    rank = {t: i for i, t in enumerate(ROSTER_TITLES)}
    seen: set[int] = set()
    out = []
    for post in sorted(posts, key=lambda p: (rank[Post.Title(p.title)], p.pk)):
        if post.person_id in seen:
            continue
        seen.add(post.person_id)
        out.append(
            {
                "name": post.person.name,
                "title": post.get_title_display(),
                "is_chair": post.title == Post.Title.SECRETARY,
                "present": True,
                "person": post.person_id,
            }
        )
    return out


class MeetingRecordForm:
    """The header, the roster and one section per chosen item, all in one POST.

    Buttons named `add_member`, `add_op_<item>`, `add_rc_<item>` and `refresh` re-render the
    page with what was typed (one more row, or the sections of newly ticked items); `save`
    validates and hands the record to the action."""

    def __init__(
        self,
        data: Any,
        files: Any,
        *,
        user: Any,
        units: QuerySet[Unit],
        unit: Unit,
        preselect: list[int],
        today: dt.date,
    ) -> None:
        self.bound = data is not None
        self.user = user
        self.unit = unit
        data = data.copy() if data is not None else None
        self._grow(data, "m", "add_member", present="on")
        initial = {
            "unit": unit.pk,
            "body": Body.PARTY_ORG_MEETING,
            "mode": DecisionMeeting.Mode.MEETING,
            "held_on": today,
            "items": preselect,
        }
        self.header = MeetingForm(data, files, units=units, unit=unit, initial=initial)
        people = roster(unit, today)
        # the empty rows come from `initial` too (extra=0), so they start as "present"
        self.members = MemberFormSet(
            data, prefix="m", initial=people + [{"present": True}] * EXTRA_MEMBER_ROWS
        )
        self.member_choices = self._member_choices()
        self.sections = [self._section(item, data) for item in self.chosen_items(data, preselect)]

    # -- building --

    @staticmethod
    def _grow(data: Any, prefix: str, button: str, **defaults: str) -> None:
        """One more row in formset `prefix` when `button` was pressed (with `defaults`)."""
        if data is None or button not in data:
            return
        key = f"{prefix}-TOTAL_FORMS"
        try:
            n = int(data.get(key, 0))
        except ValueError:
            n = 0
        data[key] = str(n + 1)
        for name, value in defaults.items():
            data[f"{prefix}-{n}-{name}"] = value

    def _rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(row index, values) of the roster rows with a name, as typed (valid or not)."""
        out = []
        for i, form in enumerate(self.members.forms):
            if self.bound:
                raw = {
                    "name": (form.data.get(form.add_prefix("name")) or "").strip(),
                    "title": (form.data.get(form.add_prefix("title")) or "").strip(),
                    "is_chair": bool(form.data.get(form.add_prefix("is_chair"))),
                    "present": bool(form.data.get(form.add_prefix("present"))),
                }
            else:
                init = form.initial or {}
                raw = {
                    "name": init.get("name", ""),
                    "title": init.get("title", ""),
                    "is_chair": bool(init.get("is_chair")),
                    "present": bool(init.get("present", True)),
                }
            if raw["name"]:
                out.append((i, raw))
        return out

    def _member_choices(self) -> list[tuple[str, str]]:
        out = []
        for i, raw in self._rows():
            title = f"（{raw['title']}）" if raw["title"] else ""
            absent = "" if raw["present"] else "［缺席］"
            out.append((str(i), f"{raw['name']}{title}{absent}"))
        return out

    def chosen_items(self, data: Any, preselect: list[int]) -> list[AgendaItem]:
        qs = self.header.fields["items"].queryset  # type: ignore[attr-defined]
        if data is not None:
            raw = [v for v in data.getlist("items") if str(v).isdigit()]
        else:
            raw = [str(pk) for pk in preselect]
        return list(qs.filter(pk__in=raw).order_by("planned_meeting_on", "pk"))

    def _speaking_order(self) -> list[dict[str, str]]:
        """Empty speaker rows, one per member present: the recorder enters who spoke in which
        order and what they said; nothing is pre-filled (an invented record would hide a chair
        who did not speak last)."""
        present = sum(1 for _, r in self._rows() if r["present"])
        return [{} for _ in range(max(present, 1))]

    def _section(self, item: AgendaItem, data: Any) -> ItemSection:
        op, rc = f"op{item.pk}", f"rc{item.pk}"
        fresh = data is None or f"{op}-TOTAL_FORMS" not in data
        if data is not None:
            self._grow(data, op, f"add_op_{item.pk}")
            self._grow(data, rc, f"add_rc_{item.pk}", withdrew="on")
        members = {"members": self.member_choices}
        speakers = self._speaking_order()
        opinions = OpinionFormSet(
            None if fresh else data, prefix=op, initial=speakers, form_kwargs=members
        )
        recusals = RecusalFormSet(
            None if fresh else data, prefix=rc, initial=[{"withdrew": True}], form_kwargs=members
        )
        decision = DecisionForm(None if fresh else data, prefix=f"d{item.pk}")
        chair = next((label for value, label in self.member_choices if self._is_chair(value)), "")
        hint = f"主持人{chair}应在其他成员发表意见后最后表态" if chair else ""
        return ItemSection(item, decision, opinions, recusals, hint, fresh)

    def _is_chair(self, value: str) -> bool:
        return any(str(i) == value and r["is_chair"] for i, r in self._rows())

    # -- saving --

    def wants_save(self, data: Any) -> bool:
        return data is not None and "save" in data

    def is_valid(self) -> bool:
        ok = self.header.is_valid() & self.members.is_valid()
        if any(s.fresh for s in self.sections):  # newly ticked: their sections show now
            self.header.add_error("items", "请填写新勾选议题的表态发言和表决情况后再保存")
            return False
        for s in self.sections:
            ok = s.decision.is_valid() & s.opinions.is_valid() & s.recusals.is_valid() & ok
        return ok and self._check_members()

    def _check_members(self) -> bool:
        valid = {value for value, _ in self.member_choices}
        absent = {str(i): r["name"] for i, r in self._rows() if not r["present"]}
        ok = True
        for s in self.sections:
            withdrawn: dict[str, str] = {}
            for form in s.recusals.forms:
                m = form.cleaned_data.get("member") or ""
                if m and m not in valid:
                    form.add_error("member", "请选择名单中的成员")
                    ok = False
                elif m and form.cleaned_data.get("withdrew"):
                    withdrawn[m] = dict(self._rows())[int(m)]["name"]
            seen: set[str] = set()
            for form in s.opinions.forms:
                m = form.cleaned_data.get("member") or ""
                if not m:
                    continue  # a blank row
                if m not in valid:
                    form.add_error("member", "请选择名单中的成员")
                    ok = False
                elif m in absent:
                    form.add_error("member", f"{absent[m]}未到会，不能记录其发言")
                    ok = False
                elif m in withdrawn:
                    form.add_error("member", f"{withdrawn[m]}已登记离场回避，不能记录其发言")
                    ok = False
                elif m in seen:
                    form.add_error("member", "同一成员在一个议题上只记录一次发言")
                    ok = False
                seen.add(m)
        return ok

    def errors(self) -> list[str]:
        """Every error of the composite form, named, for the summary on top."""
        out: list[str] = [str(e) for e in self.header.non_field_errors()]
        for name, errs in self.header.errors.items():
            if name != "__all__":
                out += [f"「{self.header.fields[name].label}」：{e}" for e in errs]
        for n, form in enumerate(self.members.forms, start=1):
            for name, errs in form.errors.items():
                out += [f"成员第{n}行「{form.fields[name].label}」：{e}" for e in errs]
        for s in self.sections:
            head = f"议题“{s.item.title}”"
            for name, errs in s.decision.errors.items():
                label = s.decision.fields[name].label if name != "__all__" else "表决"
                out += [f"{head}「{label}」：{e}" for e in errs]
            for kind, fs in (("发言", s.opinions), ("回避", s.recusals)):
                for n, form in enumerate(fs.forms, start=1):
                    for name, errs in form.errors.items():
                        label = form.fields[name].label if name != "__all__" else kind
                        out += [f"{head}{kind}第{n}行「{label}」：{e}" for e in errs]
        return out

    def to_action(self) -> dict[str, Any]:
        """Keyword arguments of actions.meeting_record (valid forms only)."""
        from .actions import DecisionIn, MemberIn, OpinionIn, RecusalIn

        people = {
            p.pk: p
            for p in Person.objects.for_user(self.user).filter(
                unit=self.unit,
                pk__in=[
                    f.cleaned_data.get("person")
                    for f in self.members.forms
                    if f.cleaned_data.get("person")
                ],
            )
        }
        members: list[Any] = []
        position: dict[str, int] = {}
        for i, form in enumerate(self.members.forms):
            d = form.cleaned_data
            if not (d.get("name") or "").strip():
                continue
            position[str(i)] = len(members)
            members.append(
                MemberIn(
                    name=d["name"].strip(),
                    title=d.get("title") or "",
                    person=people.get(d.get("person") or 0),
                    is_chair=bool(d.get("is_chair")),
                    present=bool(d.get("present")),
                    absence_reason=d.get("absence_reason") or "",
                )
            )
        decisions = []
        for s in self.sections:
            d = s.decision.cleaned_data
            result = d.get("result") or ""
            decisions.append(
                DecisionIn(
                    item=s.item,
                    opinions=[
                        OpinionIn(
                            member=position[f.cleaned_data["member"]],
                            text=f.cleaned_data.get("text") or "",
                            stance=f.cleaned_data.get("stance") or Opinion.Stance.AGREE,
                        )
                        for f in s.opinions.forms
                        if f.cleaned_data.get("member")
                    ],
                    recusals=[
                        RecusalIn(
                            member=position[f.cleaned_data["member"]],
                            reason=f.cleaned_data["reason"].strip(),
                            withdrew=bool(f.cleaned_data.get("withdrew")),
                        )
                        for f in s.recusals.forms
                        if f.cleaned_data.get("member")
                    ],
                    votes_yes=d.get("votes_yes"),
                    votes_no=d.get("votes_no"),
                    votes_abstain=d.get("votes_abstain"),
                    decision=d.get("decision") or "",
                    passed=None if not result else result == "passed",
                )
            )
        h = self.header.cleaned_data
        return {
            "unit": self.unit,
            "body": h["body"],
            "mode": h["mode"],
            "held_on": h["held_on"],
            "title": h.get("title") or "",
            "place": h.get("place") or "",
            "recorder": h.get("recorder") or "",
            "notes": h.get("notes") or "",
            "minutes": h.get("minutes"),
            "sign_in": h.get("sign_in"),
            "members": members,
            "items": decisions,
        }


# ---- execution and spot checks ----


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.job_title}）" if getattr(obj, "job_title", "") else obj.name


class ExecutionStartForm(BaseForm):
    responsible = PersonField(
        label="责任人", queryset=Person.objects.none(), required=False, help_text="本校人员"
    )
    responsible_name = forms.CharField(
        label="责任人姓名", max_length=50, required=False, help_text="不在人员库中时直接填写"
    )
    on = forms.DateField(label="开始执行日期")
    due_on = forms.DateField(label="执行期限")

    def __init__(self, *args: Any, user: Any, unit: Unit, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["responsible"].queryset = (  # type: ignore[attr-defined]
            Person.objects.for_user(user)
            .filter(unit=unit, status=Person.Status.ACTIVE)
            .order_by("name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("responsible")
        if person is not None and not (data.get("responsible_name") or "").strip():
            data["responsible_name"] = person.name
        if not (data.get("responsible_name") or "").strip() and "responsible" not in self.errors:
            self.add_error("responsible", "请选择或填写责任人")
        start, due = data.get("on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", "执行期限不能早于开始执行日期")
        return data


class MilestoneForm(BaseForm):
    text = forms.CharField(
        label="节点内容",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：完成招标采购"}),
    )
    due_on = forms.DateField(label="计划完成日期", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("text") or "").strip() and not data.get("due_on"):
            self.add_error("due_on", "请填写计划完成日期")
        if data.get("due_on") and not (data.get("text") or "").strip():
            self.add_error("text", "请填写节点内容")
        return data


MilestoneFormSet = formset_factory(MilestoneForm, extra=3)


class ExecutionReportForm(BaseForm):
    progress = forms.CharField(label="执行进展", widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label="填报日期")
    evidence = MultipleFileField(label="佐证材料")


class ExecutionCompleteForm(BaseForm):
    report = forms.CharField(label="执行情况报告", widget=forms.Textarea(attrs={"rows": 4}))
    on = forms.DateField(label="完成日期")
    evidence = MultipleFileField(label="佐证材料")
    evidence_note = forms.CharField(
        label="佐证材料说明",
        max_length=200,
        required=False,
        help_text="已在执行过程中上传佐证，或佐证为纸质存档时写明",
    )


class MilestoneDoneForm(BaseForm):
    on = forms.DateField(label="完成日期")
    note = forms.CharField(label="完成情况", max_length=200, required=False)


class SpotCheckForm(BaseForm):
    checked_on = forms.DateField(label="抽查日期")
    result = forms.ChoiceField(
        label="抽查结果", choices=SpotCheck.Result.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="抽查情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem = forms.CharField(
        label="发现的问题",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="发现问题时必填：登记为问题并进入督查整改，限期整改",
    )
    severity = forms.ChoiceField(label="问题严重程度", choices=())

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        from dangjian.rectification.models import Finding

        self.fields["severity"].choices = Finding.Severity.choices  # type: ignore[attr-defined]
        self.fields["severity"].initial = Finding.Severity.GENERAL
        self.fields["result"].widget.attrs.pop("class", None)  # rendered by core/form.html

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("result") == SpotCheck.Result.PROBLEM
            and not (data.get("problem") or "").strip()
        ):
            self.add_error("problem", "发现问题时请写明问题")
        return data


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


class PeriodForm(BaseForm):
    """The dashboard's unit and year."""

    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none(), required=False)
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, *args: Any, user: Any, years: list[int], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].queryset = Unit.objects.for_user(user).order_by("path")  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, f"{y}年") for y in years]  # type: ignore[attr-defined]
