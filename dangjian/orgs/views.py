"""Pages for the unit tree, units, party orgs and posts, liaisons, exchanges and unit events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.queries import trail
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import exportable
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, cast_subtree, cast_year, year_choices
from dangjian.core.pages import form_page, list_page
from dangjian.core.scope import get_scoped, has_capability, require
from dangjian.people.models import Person

from . import actions, queries
from .forms import (
    UNIT_FIELDS,
    EndDateForm,
    ExchangeForm,
    LiaisonForm,
    PartyOrgForm,
    PostForm,
    UnitCreateForm,
    UnitEndForm,
    UnitUpdateForm,
)
from .models import Exchange, Liaison, PartyOrg, Post, Unit, UnitEvent


def _current(raw: str) -> bool:
    return raw == "current"


YEAR_FILTER_SPAN = 10
SECRETARIES = Prefetch(
    "posts",
    queryset=Post.objects.filter(title=Post.Title.SECRETARY, ended_on__isnull=True)
    .select_related("person")
    .order_by("-started_on"),
    to_attr="current_secretaries",
)

# ---- list specs: page, export and background export share them (core.exports) ----

UNIT_SPEC = ListSpec(
    columns=[
        Column("name", "单位名称", lambda u: u.name, sort="name", link=True),
        Column("code", "单位代码", lambda u: u.code, sort="code"),
        Column("kind", "单位类型", lambda u: u.get_kind_display(), sort="kind"),
        Column("parent", "上级单位", lambda u: u.parent, sort="parent__name"),
        Column("is_private", "民办", lambda u: u.is_private, sort="is_private"),
        Column("status", "状态", lambda u: u.get_status_display(), sort="status", badge="status"),
        Column("closed_on", "撤并日期", lambda u: u.closed_on, sort="closed_on"),
    ],
    search=("name__contains", "code__contains"),
    filters=[
        Filter("kind", "单位类型", "kind", choices=list(Unit.Kind.choices)),
        Filter("status", "状态", "status", choices=list(Unit.Status.choices)),
        Filter(
            "is_private",
            "办学性质",
            "is_private",
            choices=[("0", "公办"), ("1", "民办")],
            cast=lambda v: v == "1",
        ),
        Filter("parent", "上级单位", "parent_id", cast=int),
    ],
)

PARTYORG_SPEC = ListSpec(
    columns=[
        Column("name", "党组织名称", lambda o: o.name, sort="name", link=True),
        Column("kind", "类型", lambda o: o.get_kind_display(), sort="kind"),
        Column("unit", "所在单位", lambda o: o.unit, sort="unit__name"),
        Column("parent", "上级党组织", lambda o: o.parent, sort="parent__name"),
        Column(
            "secretary",
            "书记",
            lambda o: "、".join(p.person.name for p in o.current_secretaries),
        ),
        Column("term_ends_on", "本届任期届满", lambda o: o.term_ends_on),
        Column("is_active", "有效", lambda o: o.is_active, sort="is_active"),
    ],
    search=("name__contains",),
    filters=[
        Filter("kind", "类型", "kind", choices=list(PartyOrg.Kind.choices)),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        queries.PARTYORG_REMINDER_FILTER,  # the home page's 待办 links (?todo=term_overdue …)
    ],
)

LIAISON_SPEC = ListSpec(
    columns=[
        Column("cadre", "挂联干部", lambda li: li.cadre.name, sort="cadre__name", link=True),
        Column("cadre_unit", "干部单位", lambda li: li.cadre.unit),
        Column("unit", "挂联学校", lambda li: li.unit, sort="unit__name"),
        Column("kind", "方式", lambda li: li.get_kind_display(), sort="kind"),
        Column("started_on", "开始日期", lambda li: li.started_on, sort="started_on"),
        Column("ended_on", "结束日期", lambda li: li.ended_on, sort="ended_on"),
    ],
    search=("cadre__name__contains",),
    filters=[
        Filter(
            "state",
            "状态",
            "ended_on__isnull",
            choices=[("current", "在挂联"), ("ended", "已结束")],
            cast=_current,
        ),
        Filter("unit", "学校", "unit__path__contains", cast=cast_subtree),
    ],
)

EXCHANGE_SPEC = ListSpec(
    columns=[
        Column("person", "教师", lambda e: e.person.name, sort="person__name"),
        Column("from_unit", "调出单位", lambda e: e.from_unit, sort="from_unit__name"),
        Column("to_unit", "调入单位", lambda e: e.to_unit, sort="to_unit__name"),
        Column("kind", "类型", lambda e: e.get_kind_display(), sort="kind"),
        Column("happened_on", "日期", lambda e: e.happened_on, sort="happened_on"),
        Column("document_number", "文号", lambda e: e.document_number),
        Column("note", "备注", lambda e: e.note),
    ],
    search=("person__name__contains", "document_number__contains"),
    filters=[
        Filter("kind", "类型", "kind", choices=list(Exchange.Kind.choices)),
        Filter("year", "年度", "happened_on__year", cast=cast_year),
    ],
)

UNITEVENT_SPEC = ListSpec(
    columns=[
        Column("unit", "单位", lambda e: e.unit, sort="unit__name"),
        Column("kind", "事件", lambda e: e.get_kind_display(), sort="kind"),
        Column("happened_on", "日期", lambda e: e.happened_on, sort="happened_on"),
        Column("document_number", "文号", lambda e: e.document_number),
        Column("successor", "承继单位", lambda e: e.successor, sort="successor__name"),
        Column("people_moved", "转出人员", lambda e: e.people_moved),
        Column("orgs_moved", "转出党组织", lambda e: e.orgs_moved),
        Column("note", "说明", lambda e: e.note),
    ],
    search=("unit__name__contains", "document_number__contains"),
    filters=[
        Filter("kind", "事件", "kind", choices=list(UnitEvent.Kind.choices)),
        Filter("year", "年度", "happened_on__year", cast=cast_year),
    ],
)


def units_for(user: Any) -> QuerySet[Unit]:
    return Unit.objects.for_user(user).select_related("parent")


def partyorgs_for(user: Any) -> QuerySet[PartyOrg]:
    return (
        PartyOrg.objects.for_user(user)
        .select_related("unit", "parent")
        .prefetch_related(SECRETARIES)
    )


def liaisons_for(user: Any) -> QuerySet[Liaison]:
    return Liaison.objects.for_user(user).select_related("cadre__unit", "unit")


def exchanges_for(user: Any) -> QuerySet[Exchange]:
    return Exchange.objects.for_user(user).select_related("person", "from_unit", "to_unit")


def unitevents_for(user: Any) -> QuerySet[UnitEvent]:
    return UnitEvent.objects.for_user(user).select_related("unit", "successor")


exportable("units", "单位列表", UNIT_SPEC, units_for)
exportable("partyorgs", "党组织列表", PARTYORG_SPEC, partyorgs_for)
exportable("liaisons", "挂联干部", LIAISON_SPEC, liaisons_for)
exportable("exchanges", "交流轮岗", EXCHANGE_SPEC, exchanges_for)
exportable("unitevents", "撤并记录", UNITEVENT_SPEC, unitevents_for)


# ---- shared helpers ----


def refused(form: Any, exc: ActionError) -> None:
    """Show a refused action on the form (core's BaseModelForm borrows BaseForm's method,
    which mypy will not accept on a model form)."""
    form.add_action_error(exc)


def _read_only(request: AuthedHttpRequest, unit: Unit) -> HttpResponse:
    messages.error(request, f"「{unit.name}」{unit.get_status_display()}，其记录只读")
    return redirect(unit)


def _scoped(model: type[Any], user: Any, pk: Any, *related: str) -> Any:
    """get_scoped with the related rows the page shows: 404 when missing or out of scope."""
    try:
        return model.objects.for_user(user).select_related(*related).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _scoped_param(model: type[Any], user: Any, raw: str | None) -> Any:
    return get_scoped(model, user, pk=raw) if raw else None


# ---- unit tree ----


@login_required
def unit_tree(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    roots = queries.tree_roots(user)
    kids = list(
        Unit.objects.for_user(user)
        .filter(parent__in=roots)
        .order_by("parent_id", "status", "name", "pk")
    )
    nodes = {n.unit.pk: n for n in queries.tree_nodes(user, roots + kids)}
    tree = [(nodes[r.pk], [nodes[k.pk] for k in kids if k.parent_id == r.pk]) for r in roots]
    return render(
        request,
        "orgs/unit_tree.html",
        {"tree": tree, "page_title": "单位树", "breadcrumbs": [("单位树", None)]},
    )


@login_required
def unit_children(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "orgs.view")
    unit = get_scoped(Unit, request.user, pk=pk)
    return render(
        request,
        "orgs/_tree_children.html",
        {"nodes": queries.tree_children(request.user, unit)},
    )


# ---- units ----


@login_required
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    return list_page(
        request,
        "orgs/unit_list.html",
        UNIT_SPEC,
        units_for(user),
        export_name="units",
        choices={"parent": queries.parent_unit_choices(user)},
        phone=("name", "kind", "status"),
        empty=(
            "范围内还没有单位",
            "从上级单位的页面新增下级单位，或通过导入批量建立。",
            reverse("orgs:unit-create") if has_capability(user, "orgs.unit_create") else "",
            "新增单位",
        ),
        context={
            "page_title": "单位列表",
            "breadcrumbs": [("单位列表", None)],
            "can_create": has_capability(user, "orgs.unit_create"),
        },
    )


@login_required
def unit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    unit = _scoped(Unit, user, pk, "parent", "head", "successor")
    active = unit.is_active

    def can(cap: str) -> bool:
        return active and has_capability(user, cap, unit)

    buttons = [
        (label, reverse(url, args=args) + query, style)
        for cap, label, url, args, query, style in [
            (
                "orgs.unit_create",
                "新增下级单位",
                "orgs:unit-create",
                [],
                f"?parent={unit.pk}",
                "dj",
            ),
            ("orgs.unit_update", "编辑", "orgs:unit-update", [unit.pk], "", "outline-primary"),
            (
                "orgs.partyorg_create",
                "新增党组织",
                "orgs:partyorg-create",
                [],
                f"?unit={unit.pk}",
                "outline-primary",
            ),
            ("orgs.unit_close", "撤销", "orgs:unit-close", [unit.pk], "", "outline-danger"),
            ("orgs.unit_merge", "合并", "orgs:unit-merge", [unit.pk], "", "outline-danger"),
        ]
        if can(cap)
    ]
    children = Unit.objects.for_user(user).filter(parent=unit).order_by("status", "name", "pk")
    people = Person.objects.for_user(user).filter(unit=unit).order_by("name", "pk")
    party_orgs = (
        PartyOrg.objects.for_user(user)
        .filter(unit=unit)
        .select_related("parent")
        .prefetch_related(SECRETARIES)
    )
    events = (
        UnitEvent.objects.for_user(user)
        .filter(Q(unit=unit) | Q(successor=unit))
        .select_related("unit", "successor")
    )
    liaisons = Liaison.objects.for_user(user).filter(unit=unit).select_related("cadre__unit")
    own_event = next((e for e in events if e.unit_id == unit.pk), None)
    crumbs: list[tuple[str, str | None]] = [("单位树", reverse("orgs:unit-tree"))]
    if unit.parent is not None and in_scope_unit(user, unit.parent):
        crumbs.append((unit.parent.name, unit.parent.get_absolute_url()))
    crumbs.append((unit.name, None))
    children_list = list(children[:100])
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "buttons": buttons,
            "leadership": queries.leadership(unit),
            "children": queries.tree_nodes(user, children_list),
            "children_count": children.count() if len(children_list) == 100 else len(children_list),
            "people": list(people[:25]),
            "people_count": people.count(),
            "party_orgs": list(party_orgs),
            "events": list(events),
            "own_event": own_event,
            "liaisons": list(liaisons),
            "trail": trail(unit),
            "page_title": unit.name,
            "breadcrumbs": crumbs,
        },
    )


def in_scope_unit(user: Any, unit: Unit) -> bool:
    from dangjian.core.scope import in_scope

    return in_scope(user, unit)


@login_required
def unit_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    parent = _scoped_param(Unit, user, request.GET.get("parent"))
    if parent is not None:
        require(user, "orgs.unit_create", parent)
        if not parent.is_active:
            return _read_only(request, parent)
    elif not has_capability(user, "orgs.unit_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = UnitCreateForm(
        request.POST or None,
        user=user,
        initial={"parent": parent, "kind": Unit.Kind.PRIMARY if parent else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = actions.unit_create(
                actor=user, parent=data["parent"], **{k: data[k] for k in UNIT_FIELDS}
            )
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, f"已新建单位「{unit.name}」")
            return redirect(unit)
    back = parent.get_absolute_url() if parent else reverse("orgs:unit-list")
    crumbs: list[tuple[str, str | None]] = [("单位列表", reverse("orgs:unit-list"))]
    if parent:
        crumbs.append((parent.name, back))
    crumbs.append(("新增单位", None))
    return form_page(
        request, form, title="新增单位", breadcrumbs=crumbs, submit="保存", cancel=back
    )


@login_required
def unit_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = get_scoped(Unit, user, pk=pk)
    require(user, "orgs.unit_update", unit)
    if not unit.is_active:
        return _read_only(request, unit)
    # the form edits its own copy: the action snapshots `unit` as it was
    form = UnitUpdateForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk), user=user)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            actions.unit_update(actor=user, unit=unit, **changes)
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, "已保存单位信息")
            return redirect(unit)
    return form_page(
        request,
        form,
        title=f"编辑 {unit.name}",
        breadcrumbs=[(unit.name, unit.get_absolute_url()), ("编辑", None)],
        submit="保存",
        cancel=unit.get_absolute_url(),
    )


def _unit_end(request: AuthedHttpRequest, pk: int, *, merge: bool) -> HttpResponse:
    user = request.user
    unit = get_scoped(Unit, user, pk=pk)
    require(user, "orgs.unit_merge" if merge else "orgs.unit_close", unit)
    if not unit.is_active:
        return _read_only(request, unit)
    form = UnitEndForm(request.POST or None, user=user, unit=unit, merge=merge)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if merge:
                event = actions.unit_merge(
                    actor=user,
                    unit=unit,
                    successor=data["successor"],
                    happened_on=data["happened_on"],
                    document_number=data["document_number"],
                    note=data["note"],
                )
            else:
                event = actions.unit_close(
                    actor=user,
                    unit=unit,
                    happened_on=data["happened_on"],
                    document_number=data["document_number"],
                    successor=data["successor"],
                    note=data["note"],
                )
        except ActionError as e:
            refused(form, e)
        else:
            done = "并入" if merge else "撤销"
            moved = (
                f"，{event.people_moved}名人员、{event.orgs_moved}个党组织已转入「{event.successor}」"
                if event.successor
                else ""
            )
            messages.success(request, f"「{unit.name}」已{done}{moved}")
            return redirect(unit)
    verb = "合并" if merge else "撤销"
    return form_page(
        request,
        form,
        title=f"{verb} {unit.name}",
        breadcrumbs=[(unit.name, unit.get_absolute_url()), (verb, None)],
        submit=f"确认{verb}",
        cancel=unit.get_absolute_url(),
        intro=(
            f"{verb}后「{unit.name}」保留历史记录，但不能再修改；"
            "指定承继单位时，其在岗人员、党组织和下级单位一并转入承继单位。"
        ),
        danger=True,
    )


@login_required
def unit_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _unit_end(request, pk, merge=False)


@login_required
def unit_merge(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _unit_end(request, pk, merge=True)


# ---- party orgs and posts ----


@login_required
def partyorg_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    return list_page(
        request,
        "orgs/partyorg_list.html",
        PARTYORG_SPEC,
        partyorgs_for(user),
        export_name="partyorgs",
        choices={"unit": queries.unit_choices(user, request.GET.get("unit", ""))},
        phone=("name", "kind", "secretary"),
        empty=(
            "还没有登记党组织",
            "在单位页面点“新增党组织”，建立党委、党总支、党支部或党小组。",
            reverse("orgs:partyorg-create") if has_capability(user, "orgs.partyorg_create") else "",
            "新增党组织",
        ),
        context={
            "page_title": "党组织",
            "breadcrumbs": [("党组织", None)],
            "can_create": has_capability(user, "orgs.partyorg_create"),
            "today": timezone.localdate(),
        },
    )


@login_required
def partyorg_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    org = _scoped(PartyOrg, user, pk, "unit", "parent__unit")
    posts = list(org.posts.select_related("person__unit").order_by("-started_on", "-pk"))
    current = sorted(
        (p for p in posts if p.ended_on is None),
        key=lambda p: (list(Post.Title.values).index(p.title), p.started_on),
    )
    past = [p for p in posts if p.ended_on is not None]
    children = PartyOrg.objects.for_user(user).filter(parent=org).select_related("unit")
    active = org.unit.is_active
    can_post = active and has_capability(user, "orgs.post_create", org.unit)
    buttons = []
    if can_post:
        buttons.append(("新增职务", reverse("orgs:post-create", args=[org.pk]), "dj"))
    if active and has_capability(user, "orgs.partyorg_update", org.unit):
        buttons.append(("编辑", reverse("orgs:partyorg-update", args=[org.pk]), "outline-primary"))
    if active and has_capability(user, "orgs.partyorg_create", org.unit):
        buttons.append(
            (
                "新增下级党组织",
                reverse("orgs:partyorg-create") + f"?unit={org.unit_id}&parent={org.pk}",
                "outline-primary",
            )
        )
    today = timezone.localdate()
    ends = org.term_ends_on
    return render(
        request,
        "orgs/partyorg_detail.html",
        {
            "org": org,
            "parent_visible": org.parent is not None and in_scope_unit(user, org.parent.unit),
            "current_posts": current,
            "past_posts": past,
            "children": list(children),
            "buttons": buttons,
            "can_end_post": active and has_capability(user, "orgs.post_end", org.unit),
            "leadership": queries.leadership(org.unit),
            "trail": trail(org),
            "term_ends_on": ends,
            "term_due": ends is not None and ends <= today,
            "term_soon": ends is not None and today < ends <= today + dt.timedelta(days=183),
            "page_title": org.name,
            "breadcrumbs": [
                ("党组织", reverse("orgs:partyorg-list")),
                (org.unit.name, org.unit.get_absolute_url()),
                (org.name, None),
            ],
        },
    )


@login_required
def partyorg_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    unit = _scoped_param(Unit, user, request.GET.get("unit"))
    if unit is not None:
        require(user, "orgs.partyorg_create", unit)
        if not unit.is_active:
            return _read_only(request, unit)
    elif not has_capability(user, "orgs.partyorg_create"):
        raise NotAllowed("您没有执行此操作的权限")
    parent = request.GET.get("parent")
    initial: dict[str, Any] = {"unit": unit, "kind": PartyOrg.Kind.BRANCH}
    if parent and parent.isdigit():
        initial["parent"] = parent
        initial["kind"] = PartyOrg.Kind.GROUP
    form = PartyOrgForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target = data.pop("unit")
        try:
            org = actions.partyorg_create(actor=user, unit=target, **data)
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, f"已新增党组织「{org.name}」")
            return redirect(org)
    back = unit.get_absolute_url() if unit else reverse("orgs:partyorg-list")
    return form_page(
        request,
        form,
        title="新增党组织",
        breadcrumbs=[("党组织", reverse("orgs:partyorg-list")), ("新增党组织", None)],
        submit="保存",
        cancel=back,
    )


@login_required
def partyorg_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = _scoped(PartyOrg, user, pk, "unit")
    require(user, "orgs.partyorg_update", org.unit)
    if not org.unit.is_active:
        return _read_only(request, org.unit)
    copy = PartyOrg.objects.select_related("unit").get(pk=org.pk)
    form = PartyOrgForm(request.POST or None, instance=copy, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.partyorg_update(actor=user, org=org, **form.cleaned_data)
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, "已保存党组织信息")
            return redirect(org)
    return form_page(
        request,
        form,
        title=f"编辑 {org.name}",
        breadcrumbs=[(org.name, org.get_absolute_url()), ("编辑", None)],
        submit="保存",
        cancel=org.get_absolute_url(),
    )


@login_required
def post_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = _scoped(PartyOrg, user, pk, "unit")
    require(user, "orgs.post_create", org.unit)
    if not org.unit.is_active:
        return _read_only(request, org.unit)
    form = PostForm(request.POST or None, user=user, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            post = actions.post_create(actor=user, org=org, **form.cleaned_data)
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, f"已登记{post.person.name}任{post.get_title_display()}")
            return redirect(org)
    return form_page(
        request,
        form,
        title=f"新增职务 · {org.name}",
        breadcrumbs=[(org.name, org.get_absolute_url()), ("新增职务", None)],
        submit="保存",
        cancel=org.get_absolute_url(),
        intro="任职人从本单位及下级单位的在岗人员中选择；更换书记时，请先办理原书记离任。",
    )


@login_required
def post_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    post = _scoped(Post, user, pk, "org__unit", "person")
    org = post.org
    require(user, "orgs.post_end", org.unit)
    if post.ended_on is not None:
        messages.error(request, f"{post.person.name}的{post.get_title_display()}职务已离任")
        return redirect(org)
    form = EndDateForm(request.POST or None, initial={"ended_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.post_end(actor=user, post=post, ended_on=form.cleaned_data["ended_on"])
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, f"{post.person.name}已离任{post.get_title_display()}")
            return redirect(org)
    return form_page(
        request,
        form,
        title=f"离任 · {post.person.name} {post.get_title_display()}",
        breadcrumbs=[(org.name, org.get_absolute_url()), ("离任", None)],
        submit="确认离任",
        cancel=org.get_absolute_url(),
        intro=f"{org.name} {post.get_title_display()} {post.person.name}，"
        f"{post.started_on.year}年{post.started_on.month}月{post.started_on.day}日任职。",
    )


# ---- liaisons ----


@login_required
def liaison_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    return list_page(
        request,
        "orgs/liaison_list.html",
        LIAISON_SPEC,
        liaisons_for(user),
        export_name="liaisons",
        choices={"unit": queries.unit_choices(user, request.GET.get("unit", ""))},
        phone=("cadre", "unit", "started_on"),
        empty=(
            "还没有挂联安排",
            "安排教育局、学区干部挂联学校（三挂一蹲点），挂联记录会显示在这里。",
            reverse("orgs:liaison-create") if has_capability(user, "orgs.liaison_create") else "",
            "新增挂联",
        ),
        context={
            "page_title": "挂联干部",
            "breadcrumbs": [("挂联干部", None)],
            "can_create": has_capability(user, "orgs.liaison_create"),
        },
    )


@login_required
def liaison_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    liaison = _scoped(Liaison, user, pk, "cadre__unit", "unit")
    return render(
        request,
        "orgs/liaison_detail.html",
        {
            "liaison": liaison,
            "can_end": liaison.ended_on is None
            and has_capability(user, "orgs.liaison_end", liaison.unit),
            "page_title": f"{liaison.cadre.name} 挂联 {liaison.unit.name}",
            "breadcrumbs": [("挂联干部", reverse("orgs:liaison-list")), (liaison.cadre.name, None)],
        },
    )


@login_required
def liaison_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "orgs.liaison_create"):
        raise NotAllowed("您没有执行此操作的权限")
    unit = _scoped_param(Unit, user, request.GET.get("unit"))
    form = LiaisonForm(
        request.POST or None,
        user=user,
        initial={"unit": unit, "started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            liaison = actions.liaison_create(actor=user, **form.cleaned_data)
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, f"已安排{liaison.cadre.name}挂联{liaison.unit.name}")
            return redirect("orgs:liaison-detail", liaison.pk)
    return form_page(
        request,
        form,
        title="新增挂联",
        breadcrumbs=[("挂联干部", reverse("orgs:liaison-list")), ("新增挂联", None)],
        submit="保存",
        cancel=reverse("orgs:liaison-list"),
    )


@login_required
def liaison_end(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    liaison = _scoped(Liaison, user, pk, "cadre", "unit")
    require(user, "orgs.liaison_end", liaison.unit)
    back = reverse("orgs:liaison-detail", args=[liaison.pk])
    if liaison.ended_on is not None:
        messages.error(request, "该挂联已结束")
        return redirect(back)
    form = EndDateForm(
        request.POST or None, label="结束日期", initial={"ended_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.liaison_end(actor=user, liaison=liaison, ended_on=form.cleaned_data["ended_on"])
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(request, "已结束挂联")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"结束挂联 · {liaison.cadre.name}",
        breadcrumbs=[("挂联干部", reverse("orgs:liaison-list")), ("结束挂联", None)],
        submit="确认结束",
        cancel=back,
        intro=f"{liaison.cadre.name}挂联{liaison.unit.name}，自"
        f"{liaison.started_on.year}年{liaison.started_on.month}月{liaison.started_on.day}日起。",
    )


# ---- exchanges and unit events ----


@login_required
def exchange_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    return list_page(
        request,
        "orgs/exchange_list.html",
        EXCHANGE_SPEC,
        exchanges_for(user),
        export_name="exchanges",
        choices={"year": year_choices(timezone.localdate())},
        phone=("person", "to_unit", "happened_on"),
        empty=(
            "还没有交流轮岗记录",
            "教师交流、轮岗或支教时登记一条，调入单位会同步更新。",
            reverse("orgs:exchange-create") if has_capability(user, "orgs.exchange_create") else "",
            "登记交流轮岗",
        ),
        context={
            "page_title": "交流轮岗",
            "breadcrumbs": [("交流轮岗", None)],
            "can_create": has_capability(user, "orgs.exchange_create"),
        },
    )


@login_required
def exchange_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "orgs.exchange_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = ExchangeForm(request.POST or None, user=user, initial={"kind": Exchange.Kind.EXCHANGE})
    if request.method == "POST" and form.is_valid():
        try:
            exchange = actions.exchange_create(actor=user, **form.cleaned_data)
        except ActionError as e:
            refused(form, e)
        else:
            messages.success(
                request,
                f"已登记{exchange.person.name}由{exchange.from_unit.name}"
                f"{exchange.get_kind_display()}至{exchange.to_unit.name}",
            )
            return redirect("orgs:exchange-list")
    return form_page(
        request,
        form,
        title="登记交流轮岗",
        breadcrumbs=[("交流轮岗", reverse("orgs:exchange-list")), ("登记", None)],
        submit="保存",
        cancel=reverse("orgs:exchange-list"),
        intro="调出单位为该教师当前所在单位。",
    )


@login_required
def unitevent_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orgs.view")
    return list_page(
        request,
        "orgs/unitevent_list.html",
        UNITEVENT_SPEC,
        unitevents_for(user),
        export_name="unitevents",
        choices={"year": year_choices(timezone.localdate())},
        phone=("unit", "kind", "happened_on"),
        empty=(
            "还没有撤并记录",
            "撤销或合并单位请到该单位的详情页办理，办理后记录显示在这里。",
            "",
            "",
        ),
        context={"page_title": "撤并记录", "breadcrumbs": [("撤并记录", None)]},
    )
