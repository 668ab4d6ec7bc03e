"""Forms for members and transfers; people and branches limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.forms import BaseForm, style
from dangjian.orgs.models import PartyOrg
from dangjian.people.models import Person

from . import queries
from .models import PartyMember, Transfer


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


def _choice(model: type[Any], name: str, values: Any = None, **kw: Any) -> forms.ChoiceField:
    field = model._meta.get_field(name)
    pairs = [(v, lbl) for v, lbl in field.choices if values is None or v in values]
    kw.setdefault("label", field.verbose_name)
    return forms.ChoiceField(choices=pairs, **kw)


def _label(model: type[Any], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


NEW_STATUSES = (PartyMember.Status.PROBATIONARY, PartyMember.Status.FULL)


class MobileFields(BaseForm):
    is_mobile = forms.BooleanField(label=_label(PartyMember, "is_mobile"), required=False)
    mobile_since = forms.DateField(label=_label(PartyMember, "mobile_since"), required=False)
    mobile_place = forms.CharField(
        label=_label(PartyMember, "mobile_place"),
        max_length=100,
        required=False,
        help_text="外出学习、工作、生活地点相对固定的，填写地点；满6个月应转移组织关系",
    )


class MemberCreateForm(MobileFields):
    person = PersonChoiceField(label="人员", queryset=Person.objects.none())
    branch = OrgChoiceField(label="所在支部", queryset=PartyOrg.objects.none())
    status = _choice(PartyMember, "status", NEW_STATUSES, initial=PartyMember.Status.FULL)
    joined_on = forms.DateField(label="入党日期", help_text="支部大会通过接收为预备党员的日期")
    full_on = forms.DateField(label="转正日期", required=False, help_text="正式党员必填")
    dues_category = _choice(PartyMember, "dues_category", initial="on_post")

    field_order = ["person", "branch", "status", "joined_on", "full_on", "dues_category"]

    def __init__(self, *args: Any, user: Any, branch: PartyOrg | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        people = (
            Person.objects.for_user(user)
            .filter(status=Person.Status.ACTIVE, membership__isnull=True)
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )
        if branch is not None:
            people = people.filter(unit__path__startswith=branch.unit.path)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["person"].help_text = "本人可见范围内、尚无党员记录的在岗人员"
        self.fields["branch"].queryset = queries.member_branches(user)  # type: ignore[attr-defined]
        style(self)


class MemberUpdateForm(MobileFields):
    joined_on = forms.DateField(label="入党日期")
    full_on = forms.DateField(label="转正日期", required=False)
    dues_category = _choice(PartyMember, "dues_category")

    field_order = ["joined_on", "full_on", "dues_category"]

    def __init__(self, *args: Any, member: PartyMember, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if member.status == PartyMember.Status.PROBATIONARY:
            del self.fields["full_on"]  # made full only through 转正


class MakeFullForm(BaseForm):
    full_on = forms.DateField(label="转正日期", help_text="支部大会讨论通过其转正的日期")


class StatusForm(BaseForm):
    status = _choice(PartyMember, "status", PartyMember.STATUS_CHANGES, label="变更为")
    status_changed_on = forms.DateField(label="变更日期")
    status_reason = forms.CharField(
        label="变更原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, member: PartyMember, **kw: Any) -> None:
        super().__init__(*args, **kw)
        allowed = PartyMember.TRANSITIONS.get(PartyMember.Status(member.status), set())
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  declared above
        field.choices = [
            (v, lbl)
            for v, lbl in PartyMember.Status.choices
            if v in PartyMember.STATUS_CHANGES and v in allowed
        ]


class RemoteSelect(forms.Select):
    """A select filled by typing (tom-select asks `data-remote`): it renders only its value."""


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name}（{obj.branch.name}）"


class TransferForm(BaseForm):
    member = MemberChoiceField(label="党员", queryset=PartyMember.objects.none())
    kind = _choice(
        Transfer, "kind", (Transfer.Kind.WITHIN, Transfer.Kind.OUT), initial=Transfer.Kind.WITHIN
    )
    to_branch = OrgChoiceField(
        label="转入党组织",
        queryset=PartyOrg.objects.none(),
        required=False,
        widget=RemoteSelect,
        help_text="系统内转接必选：输入学校或党组织名称查找",
    )
    outside_org = forms.CharField(
        label="系统外党组织",
        max_length=200,
        required=False,
        help_text="转出本系统时填写接收的党组织全称",
    )
    letter_number = forms.CharField(label="介绍信编号", max_length=50)
    issued_on = forms.DateField(label="开具日期")
    valid_until = forms.DateField(
        label="有效期至", required=False, help_text="不填为开具日期后3个月；最长6个月"
    )
    dues_paid_until = forms.DateField(
        label="党费交到", required=False, help_text="所交党费的最后月份，填该月任一天"
    )
    reason = forms.CharField(label="转接原因", max_length=300, required=False)
    reissue_note = forms.CharField(
        label="超期重开说明",
        max_length=300,
        required=False,
        help_text="前一封介绍信逾期的，须说明超期原因",
    )

    def __init__(
        self, *args: Any, lookup_url: str, user: Any, member: PartyMember | None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        if member is not None:
            del self.fields["member"]
        else:
            self.fields["member"].queryset = (  # type: ignore[attr-defined]
                PartyMember.objects.for_user(user)
                .filter(status__in=PartyMember.ACTIVE_STATUSES)
                .exclude(transfers__status=Transfer.Status.PENDING)
                .select_related("person", "branch")
                .order_by("branch__unit__path", "person__name", "pk")
            )
        field = self.fields["to_branch"]
        field.queryset = queries.receiving_branches()  # type: ignore[attr-defined]
        raw = self.data.get("to_branch") if self.is_bound else self.initial.get("to_branch")
        chosen = (
            [
                (o.pk, f"{o.name}（{o.unit.name}）")
                for o in PartyOrg.objects.filter(pk=int(str(raw))).select_related("unit")
            ]
            if str(raw or "").isdigit()
            else []
        )
        field.widget.choices = [("", "—— 输入名称查找 ——"), *chosen]
        field.widget.attrs["data-remote"] = lookup_url
        if "member" in self.fields:
            self.fields["member"].widget.attrs["data-search"] = "1"


class CancelForm(BaseForm):
    closed_on = forms.DateField(label="撤销日期")
    close_reason = forms.CharField(
        label="撤销原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmForm(BaseForm):
    confirmed_on = forms.DateField(label="接收日期", help_text="党员持介绍信报到、接收的日期")


class TransferInForm(BaseForm):
    person = PersonChoiceField(label="人员", queryset=Person.objects.none())
    to_branch = OrgChoiceField(label="转入党组织", queryset=PartyOrg.objects.none())
    outside_org = forms.CharField(
        label="系统外党组织", max_length=200, help_text="开具介绍信的党组织"
    )
    letter_number = forms.CharField(label="介绍信编号", max_length=50)
    issued_on = forms.DateField(label="开具日期")
    valid_until = forms.DateField(label="有效期至", required=False, help_text="按介绍信填写")
    confirmed_on = forms.DateField(label="接收日期")
    status = _choice(PartyMember, "status", NEW_STATUSES, initial=PartyMember.Status.FULL)
    joined_on = forms.DateField(label="入党日期")
    full_on = forms.DateField(label="转正日期", required=False, help_text="正式党员必填")
    dues_category = _choice(PartyMember, "dues_category", initial="on_post")
    dues_paid_until = forms.DateField(label="党费交到", required=False)
    reason = forms.CharField(label="转接原因", max_length=300, required=False)

    def __init__(self, *args: Any, user: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.for_user(user)
            .filter(status=Person.Status.ACTIVE)
            .exclude(
                membership__status__in=[
                    s for s in PartyMember.Status.values if s != PartyMember.Status.TRANSFERRED_OUT
                ]
            )
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )
        self.fields["person"].help_text = "先在“人员”中登记此人，再办理转入"
        self.fields["to_branch"].queryset = queries.member_branches(user)  # type: ignore[attr-defined]
        style(self)
