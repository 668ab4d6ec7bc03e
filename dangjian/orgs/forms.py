"""Forms for units, party orgs, posts, liaisons and exchanges; choices limited to the scope."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from dangjian.core.forms import BaseForm, BaseModelForm, style
from dangjian.people.models import Person

from . import queries
from .models import Exchange, Liaison, PartyOrg, Post, Unit


class PersonChoiceField(forms.ModelChoiceField):
    """People show their unit too: two 张伟 in one county are common."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


def choice(model: type[Any], name: str, **kw: Any) -> forms.ChoiceField:
    """A model field's choices as a plain list (the model form's lazy iterator has no len())."""
    field = model._meta.get_field(name)
    initial = field.default if field.has_default() else None
    return forms.ChoiceField(
        label=field.verbose_name, choices=list(field.choices), initial=initial, **kw
    )


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class _NoUniqueCheck:
    """Uniqueness is the action's job: its message names the field in Chinese."""

    def validate_unique(self) -> None:
        return None


UNIT_FIELDS = [
    "code",
    "name",
    "kind",
    "is_private",
    "address",
    "phone",
    "established_on",
    "principal_responsibility_system",
    "principal_system_since",
]


class UnitCreateForm(_NoUniqueCheck, BaseModelForm):
    parent = UnitChoiceField(label="上级单位", queryset=Unit.objects.none())
    kind = choice(Unit, "kind")

    class Meta:
        model = Unit
        fields = UNIT_FIELDS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "parent").queryset = queries.active_units(user)
        self.order_fields(["parent", *UNIT_FIELDS])
        style(self)

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class UnitUpdateForm(_NoUniqueCheck, BaseModelForm):
    kind = choice(Unit, "kind")
    head = PersonChoiceField(
        label="单位负责人（校长/园长）", queryset=Person.objects.none(), required=False
    )

    class Meta:
        model = Unit
        fields = [*UNIT_FIELDS[:6], "head", *UNIT_FIELDS[6:]]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "head").queryset = (
            Person.objects.for_user(user)
            .filter(unit=self.instance, status=Person.Status.ACTIVE)
            .select_related("unit")
            .order_by("name", "pk")
        )
        self.fields["head"].help_text = "须为本单位在岗人员"
        style(self)

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class UnitEndForm(BaseForm):
    happened_on = forms.DateField(label="撤并日期")
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    successor = UnitChoiceField(label="承继单位", queryset=Unit.objects.none(), required=False)
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, unit: Unit, merge: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choices(self, "successor")
        field.queryset = queries.active_units(user).exclude(path__startswith=unit.path)
        if merge:
            field.required = True
            field.label = "并入单位"
            field.help_text = "本单位的人员、党组织和下级单位将转入该单位"
        else:
            field.help_text = "选填；选定后本单位的人员、党组织和下级单位转入该单位"
        style(self)


class PartyOrgForm(BaseModelForm):
    unit = UnitChoiceField(label="所在单位", queryset=Unit.objects.none())
    kind = choice(PartyOrg, "kind")
    parent = OrgChoiceField(label="上级党组织", queryset=PartyOrg.objects.none(), required=False)

    class Meta:
        model = PartyOrg
        fields = [
            "unit",
            "name",
            "kind",
            "parent",
            "established_on",
            "term_started_on",
            "term_years",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = PartyOrg.objects.for_user(user).filter(is_active=True).select_related("unit")
        if self.instance.pk:
            # the unit is fixed once created; the parent may sit outside the user's scope
            del self.fields["unit"]
            unit = self.instance.unit
            orgs = orgs.filter(unit_id__in=unit.ancestor_ids()).exclude(pk=self.instance.pk)
            if self.instance.parent_id:
                orgs = orgs | PartyOrg.objects.filter(pk=self.instance.parent_id)
        else:
            del self.fields["is_active"]
            choices(self, "unit").queryset = queries.active_units(user)
        choices(self, "parent").queryset = orgs.order_by("unit__path", "kind", "name")
        self.fields["parent"].help_text = "党小组须隶属于党支部；上级党组织须属于本单位或上级单位"
        style(self)


class PostForm(BaseModelForm):
    person = PersonChoiceField(label="任职人", queryset=Person.objects.none())
    title = choice(Post, "title")

    class Meta:
        model = Post
        fields = ["person", "title", "started_on", "ended_on"]

    def __init__(self, *args: Any, user: Any, org: PartyOrg, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # people of the org's unit and the units below it: party posts are held by their staff
        choices(self, "person").queryset = (
            Person.objects.for_user(user)
            .filter(unit__path__startswith=org.unit.path, status=Person.Status.ACTIVE)
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )
        self.fields["ended_on"].help_text = "在任的不填"
        style(self)


class EndDateForm(BaseForm):
    ended_on = forms.DateField(label="离任日期")

    def __init__(self, *args: Any, label: str = "离任日期", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].label = label


class LiaisonForm(BaseModelForm):
    cadre = PersonChoiceField(label="挂联干部", queryset=Person.objects.none())
    unit = UnitChoiceField(label="挂联学校", queryset=Unit.objects.none())
    kind = choice(Liaison, "kind")

    class Meta:
        model = Liaison
        fields = ["cadre", "unit", "kind", "started_on", "ended_on", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}
        choices(self, "cadre").queryset = (
            Person.objects.for_user(user)
            .filter(unit__kind__in=offices, status=Person.Status.ACTIVE)
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )
        self.fields["cadre"].help_text = "教育局、学区的在岗干部"
        choices(self, "unit").queryset = queries.active_units(user).filter(
            kind__in=Unit.SCHOOL_KINDS
        )
        style(self)


class ExchangeForm(BaseModelForm):
    person = PersonChoiceField(label="教师", queryset=Person.objects.none())
    to_unit = UnitChoiceField(label="调入单位", queryset=Unit.objects.none())
    kind = choice(Exchange, "kind")
    move_person = forms.BooleanField(
        label="同时将该教师的所在单位改为调入单位", required=False, initial=True
    )

    class Meta:
        model = Exchange
        fields = ["person", "to_unit", "kind", "happened_on", "document_number", "note"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "person").queryset = (
            Person.objects.for_user(user)
            .filter(status=Person.Status.ACTIVE)
            .select_related("unit")
            .order_by("unit__path", "name", "pk")
        )
        choices(self, "to_unit").queryset = queries.active_units(user).filter(
            kind__in=Unit.SCHOOL_KINDS
        )
        style(self)
