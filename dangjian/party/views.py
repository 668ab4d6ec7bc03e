"""Pages for party members (roster, detail, admission record, 转正, status) and transfers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.audit.queries import trail
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import exportable
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, cast_subtree
from dangjian.core.pages import form_page, list_page
from dangjian.core.scope import has_capability, in_scope, require
from dangjian.orgs.models import PartyOrg

from . import actions, queries, rules, sections
from .forms import (
    CancelForm,
    ConfirmForm,
    MakeFullForm,
    MemberCreateForm,
    MemberUpdateForm,
    StatusForm,
    TransferForm,
    TransferInForm,
)
from .models import PartyMember, Transfer


def _flag(raw: str) -> bool:
    return raw == "1"


YES_NO = [("1", "是"), ("0", "否")]

MEMBER_SPEC = ListSpec(
    columns=[
        Column("name", "姓名", lambda m: m.person.name, sort="person__name", link=True),
        Column("branch", "所在支部", lambda m: m.branch, sort="branch__name"),
        Column("unit", "所在单位", lambda m: m.branch.unit.name, sort="branch__unit__path"),
        Column(
            "status", "党员状态", lambda m: m.get_status_display(), sort="status", badge="status"
        ),
        Column("joined_on", "入党日期", lambda m: m.joined_on, sort="joined_on"),
        Column("full_on", "转正日期", lambda m: m.full_on, sort="full_on"),
        Column("dues_category", "党费类别", lambda m: m.get_dues_category_display()),
        Column("is_mobile", "流动党员", lambda m: m.is_mobile, sort="is_mobile"),
    ],
    search=("person__name__contains",),
    filters=[
        Filter("branch", "所在支部", "branch_id", cast=int),
        Filter("unit", "单位", "branch__unit__path__contains", cast=cast_subtree),
        Filter("status", "党员状态", "status", choices=list(PartyMember.Status.choices)),
        Filter("dues", "党费类别", "dues_category", choices=list(PartyMember.DuesCategory.choices)),
        Filter("mobile", "流动党员", "is_mobile", choices=YES_NO, cast=_flag),
    ],
)

TRANSFER_SPEC = ListSpec(
    columns=[
        Column(
            "member", "党员", lambda t: t.member.person.name, sort="member__person__name", link=True
        ),
        Column("kind", "转接类型", lambda t: t.get_kind_display(), sort="kind"),
        Column("origin", "转出", lambda t: t.origin),
        Column("destination", "转入", lambda t: t.destination),
        Column("letter_number", "介绍信编号", lambda t: t.letter_number),
        Column("issued_on", "开具日期", lambda t: t.issued_on, sort="issued_on"),
        Column("valid_until", "有效期至", lambda t: t.valid_until, sort="valid_until"),
        Column("status", "状态", lambda t: t.get_status_display(), sort="status", badge="status"),
        Column("confirmed_on", "接收日期", lambda t: t.confirmed_on, sort="confirmed_on"),
    ],
    search=("member__person__name__contains", "letter_number__contains", "outside_org__contains"),
    filters=[
        Filter("status", "状态", "status", choices=list(Transfer.Status.choices)),
        Filter("kind", "转接类型", "kind", choices=list(Transfer.Kind.choices)),
        Filter("direction", "方向", "direction", choices=queries.DIRECTIONS),
        Filter("receive", "待我方接收", "receiving", choices=[("1", "是")], cast=lambda _: True),
        Filter(
            "overdue", "逾期", "pk__in", choices=[("1", "逾期未接收")], cast=queries.overdue_pks
        ),
    ],
    default_sort="-issued_on",
)

exportable("members", "党员名册", MEMBER_SPEC, queries.members)
exportable("transfers", "组织关系转接", TRANSFER_SPEC, queries.transfers)


# ---- shared helpers ----


def _form_page(
    request: AuthedHttpRequest,
    form: Any,
    *,
    title: str,
    breadcrumbs: list[tuple[str, str | None]],
    submit: str,
    cancel: str,
    intro: str = "",
    danger: bool = False,
    remote: bool = False,
) -> HttpResponse:
    return form_page(
        request,
        form,
        title=title,
        breadcrumbs=breadcrumbs,
        submit=submit,
        cancel=cancel,
        intro=intro,
        danger=danger,
        template="party/form.html",
        context={"remote": remote},
    )


def _member(user: Any, pk: int) -> PartyMember:
    try:
        return (
            PartyMember.objects.for_user(user)
            .select_related("person__unit", "branch__unit", "branch__parent")
            .get(pk=pk)
        )
    except PartyMember.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc


def _transfer(user: Any, pk: int) -> Transfer:
    try:
        return (
            Transfer.objects.for_user(user)
            .select_related("member__person", "member__branch__unit", "from_branch__unit")
            .select_related("to_branch__unit")
            .get(pk=pk)
        )
    except Transfer.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc


MEMBERS_CRUMB = ("党员", "/party/members/")
TRANSFERS_CRUMB = ("组织关系转接", "/party/transfers/")


# ---- members ----


@login_required
def member_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "party.view")
    raw_branch = request.GET.get("branch", "")
    branch = None
    if raw_branch.isdigit():
        branch = PartyOrg.objects.for_user(user).filter(pk=int(raw_branch)).first()
    can_create = has_capability(user, "party.member_create")
    create_url = reverse("party:member-create") + (f"?branch={branch.pk}" if branch else "")
    from dangjian.people.queries import unit_filter_choices

    return list_page(
        request,
        "party/member_list.html",
        MEMBER_SPEC,
        queries.members(user),
        export_name="members",
        choices={
            "branch": queries.branch_choices(user, raw_branch),
            "unit": unit_filter_choices(user),
        },
        phone=("name", "status", "branch"),
        empty=(
            "还没有登记党员",
            "点“登记党员”从本单位人员中登记，或用“导入”批量登记已有党员。",
            create_url if can_create else "",
            "登记党员",
        ),
        context={
            "page_title": "党员",
            "breadcrumbs": [("党员", None)],
            "can_create": can_create,
            "create_url": create_url,
            "can_import": has_capability(user, "core.import"),
            "branch": branch,
            "warnings": queries.structure_warnings(branch) if branch else [],
        },
    )


@login_required
def member_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "party.view")
    member = _member(user, pk)
    unit = member.branch.unit
    today = timezone.localdate()
    pending = member.transfers.filter(status=Transfer.Status.PENDING).first()
    buttons = []
    if member.is_active and has_capability(user, "party.member_update", unit):
        buttons.append(("编辑", reverse("party:member-update", args=[pk]), "outline-primary"))
    if member.status == PartyMember.Status.PROBATIONARY and has_capability(
        user, "party.member_make_full", unit
    ):
        buttons.append(("转正", reverse("party:member-make-full", args=[pk]), "dj"))
    if (
        PartyMember.TRANSITIONS.get(PartyMember.Status(member.status))
        and member.status != PartyMember.Status.TRANSFERRED_OUT
        and pending is None
        and has_capability(user, "party.member_status_change", unit)
    ):
        buttons.append(("状态变更", reverse("party:member-status", args=[pk]), "outline-secondary"))
    if member.is_active and pending is None and has_capability(user, "party.transfer_create", unit):
        buttons.append(
            (
                "开具介绍信",
                reverse("party:transfer-create") + f"?member={pk}",
                "outline-primary",
            )
        )
    return render(
        request,
        "party/member_detail.html",
        {
            "member": member,
            "buttons": buttons,
            "pending": pending,
            "relocation_due": queries.relocation_due(member, today),
            "person_visible": in_scope(user, member.person.unit),
            "sections": sections.render_list(member, user),
            "page_title": member.person.name,
            "breadcrumbs": [MEMBERS_CRUMB, (member.person.name, None)],
        },
    )


@login_required
def member_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "party.member_create"):
        raise NotAllowed("您没有执行此操作的权限")
    raw = request.GET.get("branch", "")
    branch = None
    if raw:
        branch = queries.member_branches(user).filter(pk=int(raw) if raw.isdigit() else 0).first()
        if branch is None:
            raise OutOfScope("未找到该记录")
    form = MemberCreateForm(
        request.POST or None,
        user=user,
        branch=branch,
        initial={"branch": branch, "status": PartyMember.Status.FULL},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.member_create(actor=user, **form.cleaned_data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已登记党员{member.person.name}")
            return redirect(member)
    return _form_page(
        request,
        form,
        title="登记党员",
        breadcrumbs=[MEMBERS_CRUMB, ("登记党员", None)],
        submit="保存",
        cancel=reverse("party:member-list"),
        intro="登记已经入党的人员；发展党员请在“发展党员”中按程序办理。",
    )


def _writable(request: AuthedHttpRequest, member: PartyMember, capability: str) -> None:
    require(request.user, capability, member.branch.unit)


@login_required
def member_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(user, pk)
    _writable(request, member, "party.member_update")
    if not member.is_active:
        messages.error(request, f"该党员{member.get_status_display()}，记录只读")
        return redirect(member)
    fields = ["joined_on", "full_on", "dues_category", "is_mobile", "mobile_since", "mobile_place"]
    form = MemberUpdateForm(
        request.POST or None,
        member=member,
        initial={f: getattr(member, f) for f in fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.member_update(actor=user, member=member, **form.cleaned_data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已保存党员信息")
            return redirect(member)
    return _form_page(
        request,
        form,
        title=f"编辑 {member.person.name}",
        breadcrumbs=[
            MEMBERS_CRUMB,
            (member.person.name, member.get_absolute_url()),
            ("编辑", None),
        ],
        submit="保存",
        cancel=member.get_absolute_url(),
    )


@login_required
def member_make_full(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(user, pk)
    _writable(request, member, "party.member_make_full")
    if member.status != PartyMember.Status.PROBATIONARY:
        messages.error(request, f"{member.person.name}不是预备党员")
        return redirect(member)
    form = MakeFullForm(
        request.POST or None, initial={"full_on": rules.probation_ends(member.joined_on)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.member_make_full(
                actor=user, member=member, full_on=form.cleaned_data["full_on"]
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"{member.person.name}已转为正式党员")
            return redirect(member)
    return _form_page(
        request,
        form,
        title=f"预备党员转正 · {member.person.name}",
        breadcrumbs=[
            MEMBERS_CRUMB,
            (member.person.name, member.get_absolute_url()),
            ("转正", None),
        ],
        submit="确认转正",
        cancel=member.get_absolute_url(),
        intro=f"{member.person.name}于{member.joined_on:%Y年%m月%d日}入党，预备期一年。",
    )


@login_required
def member_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(user, pk)
    _writable(request, member, "party.member_status_change")
    form = StatusForm(
        request.POST or None, member=member, initial={"status_changed_on": timezone.localdate()}
    )
    if not form.fields["status"].choices:  # type: ignore[attr-defined]
        messages.error(request, f"该党员{member.get_status_display()}，不能再变更状态")
        return redirect(member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.member_status_change(
                actor=user,
                member=member,
                status=data["status"],
                on=data["status_changed_on"],
                reason=data["status_reason"],
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"{member.person.name}：{member.get_status_display()}")
            return redirect(member)
    return _form_page(
        request,
        form,
        title=f"党员状态变更 · {member.person.name}",
        breadcrumbs=[
            MEMBERS_CRUMB,
            (member.person.name, member.get_absolute_url()),
            ("状态变更", None),
        ],
        submit="确认变更",
        cancel=member.get_absolute_url(),
        intro="停止党籍、出党（除名、自行脱党等）或去世，须填写日期和原因；记录进入审计日志。",
        danger=True,
    )


# ---- transfers ----


@login_required
def transfer_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "party.view")
    can_create = has_capability(user, "party.transfer_create")
    return list_page(
        request,
        "party/transfer_list.html",
        TRANSFER_SPEC,
        queries.transfers(user),
        export_name="transfers",
        choices={},
        phone=("member", "destination", "status"),
        empty=(
            "还没有组织关系转接",
            "党员调动时，在党员页面点“开具介绍信”；接收方确认后党员即编入新的党支部。",
            reverse("party:transfer-create") if can_create else "",
            "开具介绍信",
        ),
        context={
            "page_title": "组织关系转接",
            "breadcrumbs": [("组织关系转接", None)],
            "can_create": can_create,
            "can_receive": has_capability(user, "party.transfer_in"),
            "today": timezone.localdate(),
        },
    )


@login_required
def transfer_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "party.view")
    t = _transfer(user, pk)
    today = timezone.localdate()
    pending = t.status == Transfer.Status.PENDING
    overdue = queries.is_overdue(t, today)
    sides = [b.unit for b in (t.from_branch, t.to_branch) if b is not None]
    receiver = t.to_branch if t.kind == Transfer.Kind.WITHIN else t.from_branch
    can_confirm = (
        pending
        and not overdue
        and receiver is not None
        and has_capability(user, "party.transfer_confirm", receiver.unit)
    )
    can_cancel = pending and any(has_capability(user, "party.transfer_cancel", u) for u in sides)
    can_expire = (
        pending and overdue and any(has_capability(user, "party.transfer_expire", u) for u in sides)
    )
    from . import rules

    return render(
        request,
        "party/transfer_detail.html",
        {
            "t": t,
            "overdue": overdue,
            "can_confirm": can_confirm,
            "can_cancel": can_cancel,
            "can_expire": can_expire,
            "member_visible": PartyMember.objects.for_user(user).filter(pk=t.member_id).exists(),
            "dues_start": rules.dues_start_month(t.dues_paid_until) if t.dues_paid_until else None,
            "trail": trail(t),
            "page_title": f"组织关系转接 · {t.member.person.name}",
            "breadcrumbs": [TRANSFERS_CRUMB, (t.member.person.name, None)],
        },
    )


@login_required
def transfer_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "party.transfer_create"):
        raise NotAllowed("您没有执行此操作的权限")
    raw = request.GET.get("member", "")
    member = None
    if raw:
        member = _member(user, int(raw) if raw.isdigit() else 0)
        require(user, "party.transfer_create", member.branch.unit)
    form = TransferForm(
        request.POST or None,
        lookup_url=reverse("party:branch-lookup"),
        user=user,
        member=member,
        initial={"kind": Transfer.Kind.WITHIN, "issued_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("member", None) or member
        if chosen is None:
            raise OutOfScope("未找到该记录")
        try:
            t = actions.transfer_create(actor=user, member=chosen, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已开具{t.member.person.name}的组织关系介绍信，等待接收")
            return redirect(t)
    back = member.get_absolute_url() if member else reverse("party:transfer-list")
    who = f" · {member.person.name}" if member else ""
    return _form_page(
        request,
        form,
        title=f"开具组织关系介绍信{who}",
        breadcrumbs=[TRANSFERS_CRUMB, ("开具介绍信", None)],
        submit="开具",
        cancel=back,
        intro="党员在接收方确认前仍在原支部；系统内转接由接收党组织在平台上确认接收。",
        remote=True,
    )


@login_required
def transfer_in(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "party.transfer_in"):
        raise NotAllowed("您没有执行此操作的权限")
    today = timezone.localdate()
    form = TransferInForm(
        request.POST or None, user=user, initial={"confirmed_on": today, "status": "full"}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["received_on"] = data.pop("confirmed_on")
        try:
            t = actions.transfer_in_from_outside(actor=user, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"{t.member.person.name}的组织关系已转入{t.to_branch}")
            return redirect(t)
    return _form_page(
        request,
        form,
        title="系统外转入",
        breadcrumbs=[TRANSFERS_CRUMB, ("系统外转入", None)],
        submit="接收",
        cancel=reverse("party:transfer-list"),
        intro="党员持系统外党组织开具的介绍信报到：核对介绍信后登记，党员即编入所选党组织。",
    )


@login_required
def transfer_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    t = _transfer(user, pk)
    receiver = t.to_branch if t.kind == Transfer.Kind.WITHIN else t.from_branch
    if receiver is None:
        raise OutOfScope("未找到该记录")
    require(user, "party.transfer_confirm", receiver.unit)
    if t.status != Transfer.Status.PENDING:
        messages.error(request, f"该转接{t.get_status_display()}")
        return redirect(t)
    form = ConfirmForm(request.POST or None, initial={"confirmed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.transfer_confirm(
                actor=user, transfer=t, confirmed_on=form.cleaned_data["confirmed_on"]
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已接收{t.member.person.name}的组织关系")
            return redirect(t)
    where = f"编入「{t.to_branch}」" if t.to_branch else f"转出至「{t.outside_org}」"
    return _form_page(
        request,
        form,
        title=f"接收组织关系 · {t.member.person.name}",
        breadcrumbs=[TRANSFERS_CRUMB, (t.member.person.name, t.get_absolute_url()), ("接收", None)],
        submit="确认接收",
        cancel=t.get_absolute_url(),
        intro=f"介绍信{t.letter_number}，有效期至{t.valid_until:%Y年%m月%d日}。确认后党员{where}。",
    )


@login_required
def transfer_cancel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    t = _transfer(user, pk)
    sides = [b.unit for b in (t.from_branch, t.to_branch) if b is not None]
    if not any(has_capability(user, "party.transfer_cancel", u) for u in sides):
        raise NotAllowed("您没有执行此操作的权限")
    if t.status != Transfer.Status.PENDING:
        messages.error(request, f"该转接{t.get_status_display()}")
        return redirect(t)
    form = CancelForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.transfer_cancel(
                actor=user,
                transfer=t,
                on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["close_reason"],
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已撤销该组织关系转接，党员仍在原支部")
            return redirect(t)
    return _form_page(
        request,
        form,
        title=f"撤销转接 · {t.member.person.name}",
        breadcrumbs=[TRANSFERS_CRUMB, (t.member.person.name, t.get_absolute_url()), ("撤销", None)],
        submit="确认撤销",
        cancel=t.get_absolute_url(),
        intro="转出方撤销介绍信，或接收方退回，均须说明原因；党员仍在原支部。",
        danger=True,
    )


@login_required
@require_POST
def transfer_expire(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    t = _transfer(user, pk)
    try:
        actions.transfer_expire(actor=user, transfer=t, today=timezone.localdate())
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已登记介绍信逾期；如需重新开具，请说明超期原因")
    return redirect(t)


@login_required
def branch_lookup(request: AuthedHttpRequest) -> JsonResponse:
    """Receiving orgs by name for the transfer form (tom-select asks as the user types)."""
    if not has_capability(request.user, "party.transfer_create"):
        raise NotAllowed("您没有执行此操作的权限")
    rows = queries.branch_lookup(request.GET.get("q", ""))
    return JsonResponse({"results": [{"value": pk, "text": text} for pk, text in rows]})
