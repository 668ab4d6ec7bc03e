"""Pages of 三重一大: the bureau's settings and catalogue, agenda items (filing, review,
attachments), the meeting record and its Word minutes, execution follow-up, discipline spot
checks, the dashboard and the 三重一大台账."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.audit.queries import trail
from dangjian.core import figures
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import exportable, xlsx_response
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import (
    Column,
    Filter,
    ListSpec,
    apply,
    cast_subtree,
    cast_year,
    year_choices,
)
from dangjian.core.pages import form_page, list_page
from dangjian.core.periods import Period
from dangjian.core.scope import get_scoped, has_capability, require, scope_paths
from dangjian.orgs.models import Unit
from dangjian.orgs.queries import unit_choices

from . import actions, documents, queries, rules
from .forms import (
    AttachmentForm,
    CategoryForm,
    ExecutionCompleteForm,
    ExecutionReportForm,
    ExecutionStartForm,
    FileForm,
    ItemForm,
    LedgerForm,
    MeetingRecordForm,
    MilestoneDoneForm,
    MilestoneFormSet,
    PeriodForm,
    ReviewForm,
    SettingsForm,
    SpotCheckForm,
    units_with,
)
from .models import (
    AgendaItem,
    Attachment,
    Body,
    Category,
    DecisionCategory,
    DecisionMeeting,
    Execution,
    FlagCode,
    ItemFlag,
    ItemReview,
    MeetingItem,
    Milestone,
)

S = AgendaItem.Status
YEAR_SPAN = 6
# figures shown on the dashboard (registered in figures.py)
DASHBOARD_FIGURES = ("decision_schools_filing", "decision_items_filed")
HOME = ("三重一大", "decisions:item-list")
UPPER = frozenset({*Unit.BUREAU_KINDS, Unit.Kind.DISTRICT_OFFICE})


def _today() -> dt.date:
    return timezone.localdate()


def _crumbs(*rest: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(HOME[0], reverse(HOME[1])), *rest]


def _error(form: Any, exc: ActionError, aliases: dict[str, str] | None = None) -> None:
    """A refused action beside its field; `aliases` maps the action's field names to the
    form's (e.g. started_on → on)."""
    if aliases and exc.field in aliases:
        exc = ActionError(exc.message, aliases[exc.field], exc.label)
    add_action_error(form, exc)


def _form_page(
    request: AuthedHttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    cancel: str,
    crumbs: list[tuple[str, str | None]],
    item: AgendaItem | None = None,
    intro: str = "",
    warning: str = "",
    danger: bool = False,
    extra: Any = None,
    template: str = "decisions/form.html",
) -> HttpResponse:
    return form_page(
        request,
        form,
        title=title,
        breadcrumbs=crumbs,
        submit=submit,
        cancel=cancel,
        intro=intro,
        danger=danger,
        multipart=True,
        template=template,
        context={"item": item, "warning": warning, "extra": extra},
    )


# ---- list filters shared by the item list, its export and the ledger ----


def _period_of_year(raw: str) -> QuerySet[Any]:
    period = Period.year(cast_year(raw))
    return AgendaItem.objects.filter(queries.in_period_q(period)).values("pk")


def _since(raw: str) -> QuerySet[Any]:
    period = Period(dt.date.fromisoformat(raw), dt.date(9999, 12, 31))
    return AgendaItem.objects.filter(queries.in_period_q(period)).values("pk")


def _until(raw: str) -> QuerySet[Any]:
    period = Period(dt.date(1, 1, 1), dt.date.fromisoformat(raw) + dt.timedelta(days=1))
    return AgendaItem.objects.filter(queries.in_period_q(period)).values("pk")


ANY_FLAG = "any"


def _flag_filter(raw: str) -> QuerySet[Any]:
    rows = ItemFlag.objects.filter(ItemFlag.active_q(_today()))
    if raw != ANY_FLAG:
        rows = rows.filter(code=raw)
    return rows.values("item_id")


def _todo_filter(raw: str) -> QuerySet[Any]:
    return queries.todo_filter(AgendaItem.objects.all(), raw, _today()).values("pk")


def _money(amount: Any) -> str:
    return f"¥{amount:,.2f}" if amount is not None else ""


def _flag_labels(item: AgendaItem) -> str:
    return "、".join(f.label for f in item.active_flags(_today()))


def _meeting_of(item: AgendaItem) -> DecisionMeeting | None:
    try:
        return item.discussion.meeting
    except MeetingItem.DoesNotExist:
        return None


def _execution_of(item: AgendaItem) -> Execution | None:
    try:
        return item.execution
    except Execution.DoesNotExist:
        return None


FLAG_CHOICES = [(ANY_FLAG, "有任一问题提示"), *FlagCode.choices]

ITEM_FILTERS = [
    Filter("category", "类别", "category", choices=list(Category.choices)),
    Filter("status", "状态", "status", choices=list(S.choices)),
    Filter("flag", "问题提示", "pk__in", choices=FLAG_CHOICES, cast=_flag_filter),
    Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
    Filter("year", "年度", "pk__in", cast=_period_of_year),
    Filter("subcategory", "具体事项", "subcategory_id", cast=int),
    Filter("todo", "待办", "pk__in", choices=list(queries.TODO_FILTERS.items()), cast=_todo_filter),
]

ITEM_SPEC = ListSpec(
    columns=[
        Column("filed_on", "报备日期", lambda i: i.filed_on, sort="filed_on"),
        Column("unit", "学校", lambda i: i.unit.name, sort="unit__name"),
        Column("title", "议题名称", lambda i: i.title, sort="title", link=True),
        Column("category", "类别", lambda i: i.get_category_display(), sort="category"),
        Column("amount", "涉及金额", lambda i: _money(i.amount), sort="amount"),
        Column("decided_on", "决策日期", lambda i: i.decided_on, sort="decided_on"),
        Column("status", "状态", lambda i: i.get_status_display(), sort="status", badge="status"),
        Column("flags", "问题提示", _flag_labels),
    ],
    search=("title__contains", "content__contains", "unit__name__contains"),
    filters=ITEM_FILTERS,
    default_sort="-filed_on",
)


def items_for(user: Any) -> QuerySet[AgendaItem]:
    return queries.items_for(user)


exportable("decision-items", "三重一大议题", ITEM_SPEC, items_for)


@login_required
def item_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "decisions.view")
    can_create = has_capability(user, "decisions.item_create")
    return list_page(
        request,
        "decisions/item_list.html",
        ITEM_SPEC,
        items_for(user),
        export_name="decision-items",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(_today()),
            "subcategory": [
                (str(pk), name)
                for pk, name in DecisionCategory.objects.for_user(user)
                .order_by("category", "position", "pk")
                .values_list("pk", "name")
            ],
        },
        phone=("title", "status", "flags"),
        empty=(
            "还没有三重一大议题",
            "学校在会前填报议题，报教育局（纪检）审核同意后上会；会后登记表决情况和执行情况。",
            reverse("decisions:item-create") if can_create else "",
            "填报议题",
        ),
        context={
            "page_title": "三重一大议题",
            "breadcrumbs": [("三重一大议题", None)],
            "can_create": can_create,
            "can_record": has_capability(user, "decisions.meeting_record"),
            "can_ledger": has_capability(user, "core.export"),
        },
    )


# ---- one item ----


def _item(user: Any, pk: int) -> AgendaItem:
    try:
        return (
            queries.items_for(user)
            .select_related("filed_by", "created_by", "execution__responsible")
            .get(pk=pk)
        )
    except (AgendaItem.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _late_warning(item: AgendaItem, today: dt.date) -> str:
    """Filing now would be inside the lead time: say so before the school files."""
    if item.status not in AgendaItem.EDITABLE or item.planned_meeting_on is None:
        return ""
    lead = queries.settings_for(item.unit).filing_lead_days
    if rules.filed_in_time(today, item.planned_meeting_on, lead):
        return ""
    latest = rules.latest_filing_day(item.planned_meeting_on, lead)
    return (
        f"拟上会日期为{item.planned_meeting_on:%Y年%-m月%-d日}，应在{latest:%Y年%-m月%-d日}前"
        f"（至少提前{lead}个工作日）报备。现在报备仍可提交，但会标记为“报备时间不足”。"
    )


def _item_actions(user: Any, item: AgendaItem) -> list[tuple[str, str, str]]:
    """(label, url, style) of what the user may do next with the item."""
    unit, out = item.unit, []
    allowed = AgendaItem.TRANSITIONS[S(item.status)]

    def can(capability: str) -> bool:
        return has_capability(user, f"decisions.{capability}", unit)

    if item.is_editable and can("item_update"):
        out.append(
            ("修改", reverse("decisions:item-update", args=[item.pk]), "btn-outline-primary")
        )
    if S.FILED in allowed and can("item_file"):
        label = "重新报备" if item.status == S.RETURNED else "报备"
        out.append((label, reverse("decisions:item-file", args=[item.pk]), "btn-dj"))
    if item.status == S.FILED and (
        can("item_approve") or can("item_return") or can("item_mark_not_major")
    ):
        out.append(("审核", reverse("decisions:item-review", args=[item.pk]), "btn-dj"))
    if item.status in AgendaItem.UNDECIDED and can("meeting_record"):
        url = reverse("decisions:meeting-create") + f"?item={item.pk}"
        style = "btn-dj" if item.status == S.APPROVED else "btn-outline-primary"
        out.append(("登记会议记录", url, style))
    if item.status == S.PASSED and can("execution_start"):
        out.append(("登记执行", reverse("decisions:execution-start", args=[item.pk]), "btn-dj"))
    execution = _execution_of(item)
    if item.status == S.EXECUTING and execution is not None:
        if can("execution_report"):
            url = reverse("decisions:execution-report", args=[execution.pk])
            out.append(("填写执行进展", url, "btn-outline-primary"))
        if can("execution_complete"):
            url = reverse("decisions:execution-complete", args=[execution.pk])
            out.append(("执行完毕", url, "btn-dj"))
    if item.is_decided and can("spot_check_record"):
        url = reverse("decisions:spot-check-create", args=[item.pk])
        out.append(("登记抽查", url, "btn-outline-danger"))
    if item.status not in (S.NOT_MAJOR, S.COMPLETED) and can("attachment_add"):
        url = reverse("decisions:item-attachment-add", args=[item.pk])
        out.append(("上传材料", url, "btn-outline-secondary"))
    return out


def _steps(item: AgendaItem, attachments: list[Attachment]) -> list[dict[str, Any]]:
    required = set(queries.required_steps(item))
    done = set(item.steps_done)
    kinds = {str(v): str(v) for v in Attachment.Kind.values}
    rows = []
    for step, label in rules.STEP_LABELS.items():
        value = str(step)
        if value not in required and value not in done:
            continue
        rows.append(
            {
                "label": label,
                "required": value in required,
                "done": value in done,
                "files": [a for a in attachments if a.kind == kinds.get(value)],
            }
        )
    return rows


def _item_trail(item: AgendaItem, execution: Execution | None, spot_checks: list[Any]) -> Any:
    entries = trail(item)
    if execution is not None:
        entries += trail(execution)
        for m in execution.milestones.all():
            entries += trail(m)
    for check in spot_checks:
        entries += trail(check)
    return sorted(entries, key=lambda t: -t[0].pk)


@login_required
def item_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "decisions.view")
    item = _item(user, pk)
    today = _today()
    attachments = list(item.attachments.all())
    discussion = (
        MeetingItem.objects.select_related("meeting")
        .prefetch_related("opinions__member", "recusals__member", "meeting__members")
        .filter(item=item)
        .first()
    )
    execution = _execution_of(item)
    spot_checks = list(
        item.spot_checks.select_related("inspector", "finding__rectification").order_by(
            "-checked_on", "-pk"
        )
    )
    members = list(discussion.meeting.members.all()) if discussion else []
    settings = queries.settings_for(item.unit)
    flags = [f for f in item.flag_rows.all() if f.active_on(today)]
    return render(
        request,
        "decisions/item_detail.html",
        {
            "item": item,
            "flags": flags,
            "steps": _steps(item, attachments),
            "materials": [a for a in attachments if a.kind == Attachment.Kind.MATERIAL],
            "evidence": [a for a in attachments if a.kind == Attachment.Kind.EXECUTION],
            "reviews": list(item.reviews.select_related("reviewer")),
            "discussion": discussion,
            "meeting": discussion.meeting if discussion else None,
            "due": len(members),
            "present": sum(1 for m in members if m.present),
            "quorum_needed": rules.quorum_needed(
                len(members), item.category, settings.quorum_half_rule
            )
            if members
            else None,
            "execution": execution,
            "milestones": list(execution.milestones.all()) if execution else [],
            "overdue": execution.overdue_on(today) if execution else False,
            "milestone_form": MilestoneDoneForm(initial={"on": today}),
            "can_milestone": execution is not None
            and item.status == S.EXECUTING
            and has_capability(user, "decisions.milestone_done", item.unit),
            "spot_checks": spot_checks,
            "threshold": settings.threshold_for(item.unit.kind),
            "late_warning": _late_warning(item, today),
            "actions": _item_actions(user, item),
            "trail": _item_trail(item, execution, spot_checks),
            "page_title": item.title,
            "breadcrumbs": _crumbs((item.title, None)),
        },
    )


@login_required
def item_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "decisions.item_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = ItemForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.item_create(
                actor=user,
                unit=form.cleaned_data["unit"],
                attachments=form.attachments(),
                **form.values(),
            )
        except ActionError as e:
            _error(form, e)
        else:
            messages.success(request, "已保存议题草稿。确认无误后请点击“报备”提交审核。")
            return redirect(item)
    return _form_page(
        request,
        form,
        title="填报三重一大议题",
        submit="保存草稿",
        cancel=reverse("decisions:item-list"),
        crumbs=_crumbs(("填报议题", None)),
        intro="会前填报议题和已完成的前置程序，保存后报备，经教育局（纪检）审核同意后上会。",
        template="decisions/item_form.html",
    )


@login_required
def item_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _item(user, pk)
    require(user, "decisions.item_update", item.unit)
    if not item.is_editable:
        messages.error(request, f"议题{item.get_status_display()}，不能再修改")
        return redirect(item)
    form = ItemForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        item=item,
        initial=ItemForm.initial_from(item),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_update(
                actor=user, item=item, attachments=form.attachments(), **form.values()
            )
        except ActionError as e:
            item.refresh_from_db()
            _error(form, e)
        else:
            messages.success(request, "已保存修改")
            return redirect(item)
    last = item.reviews.filter(decision=ItemReview.Decision.RETURNED).order_by("-pk").first()
    return _form_page(
        request,
        form,
        title="修改议题",
        submit="保存",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("修改", None)),
        warning=f"退回意见：{last.opinion}" if last and item.status == S.RETURNED else "",
        template="decisions/item_form.html",
    )


@login_required
def item_file(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _item(user, pk)
    require(user, "decisions.item_file", item.unit)
    form = FileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_file(actor=user, item=item)
        except ActionError as e:
            item.refresh_from_db()
            _error(form, e)
        else:
            late = item.flag_rows.filter(code=FlagCode.FILED_LATE).exists()
            text = "已报备，等待教育局（纪检）审核"
            if late:
                text += "；报备时间不足，已标记"
            messages.success(request, text)
            return redirect(item)
    planned = item.planned_meeting_on
    intro = (
        f"报备后议题不能再修改，等待审核。拟上会日期：{planned:%Y年%-m月%-d日}。"
        if planned
        else "报备前请先修改议题，填写拟上会日期。"
    )
    return _form_page(
        request,
        form,
        title="报备议题",
        submit="确认报备",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("报备", None)),
        item=item,
        intro=intro,
        warning=_late_warning(item, _today()),
    )


REVIEW_ACTIONS = {
    ItemReview.Decision.APPROVED: ("item_approve", "同意上会"),
    ItemReview.Decision.RETURNED: ("item_return", "已退回学校修改"),
    ItemReview.Decision.NOT_MAJOR: ("item_mark_not_major", "已认定为非三重一大事项"),
}


@login_required
def item_review(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _item(user, pk)
    choices = [
        (str(d), str(label))
        for d, label in ItemReview.Decision.choices
        if has_capability(user, f"decisions.{REVIEW_ACTIONS[ItemReview.Decision(d)][0]}", item.unit)
    ]
    if not choices:
        require(user, "decisions.item_approve", item.unit)
    form = ReviewForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        decision = ItemReview.Decision(form.cleaned_data["decision"])
        name, done = REVIEW_ACTIONS[decision]
        try:
            getattr(actions, name)(actor=user, item=item, opinion=form.cleaned_data["opinion"])
        except ActionError as e:
            item.refresh_from_db()
            _error(form, e)
        else:
            messages.success(request, done)
            return redirect(item)
    return _form_page(
        request,
        form,
        title="审核议题",
        submit="提交审核意见",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("审核", None)),
        item=item,
        intro="同意上会：议题可以提交会议；退回修改：学校按意见修改后重新报备；"
        "认定非三重一大事项：按一般事项程序办理。",
        warning=_review_warning(item),
    )


def _review_warning(item: AgendaItem) -> str:
    missing = rules.missing_steps(queries.required_steps(item), item.steps_done)
    parts = []
    if missing:
        labels = "、".join(rules.STEP_LABELS[rules.Step(s)] for s in missing)
        parts.append(f"前置程序缺失：{labels}")
    late = item.flag_rows.filter(code=FlagCode.FILED_LATE).first()
    if late is not None:
        parts.append(f"报备时间不足：{late.detail}")
    return "；".join(parts)


@login_required
def item_attachment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _item(user, pk)
    require(user, "decisions.attachment_add", item.unit)
    return _attachment_page(request, form_owner=item, kinds=Attachment.ITEM_KINDS)


@login_required
def meeting_attachment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(user, pk)
    require(user, "decisions.attachment_add", meeting.unit)
    return _attachment_page(request, form_owner=meeting, kinds=Attachment.MEETING_KINDS)


def _attachment_page(request: AuthedHttpRequest, *, form_owner: Any, kinds: Any) -> HttpResponse:
    user = request.user
    form = AttachmentForm(request.POST or None, request.FILES or None, kinds=kinds)
    is_item = isinstance(form_owner, AgendaItem)
    if request.method == "POST" and form.is_valid():
        owner = {"item": form_owner} if is_item else {"meeting": form_owner}
        try:
            for f in form.cleaned_data["upload"]:
                actions.attachment_add(actor=user, kind=form.cleaned_data["kind"], file=f, **owner)
        except ActionError as e:
            _error(form, e, {"file": "upload", "attachments": "upload"})
        else:
            messages.success(request, f"已上传{len(form.cleaned_data['upload'])}个文件")
            return redirect(form_owner)
    name = form_owner.title
    return _form_page(
        request,
        form,
        title="上传材料",
        submit="上传",
        cancel=form_owner.get_absolute_url(),
        crumbs=_crumbs((name, form_owner.get_absolute_url()), ("上传材料", None)),
        item=form_owner if is_item else None,
    )


@login_required
def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    require(request.user, "decisions.view")
    att = get_scoped(Attachment, request.user, pk=pk)
    inline = att.is_image or att.content_type == "application/pdf"
    return FileResponse(
        att.file.open("rb"),
        as_attachment=not inline,
        filename=att.name,
        content_type=att.content_type,
    )


# ---- execution and spot checks ----


@login_required
def execution_start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _item(user, pk)
    require(user, "decisions.execution_start", item.unit)
    today = _today()
    form = ExecutionStartForm(
        request.POST or None, user=user, unit=item.unit, initial={"on": item.decided_on or today}
    )
    steps = MilestoneFormSet(request.POST or None, prefix="ms")
    if request.method == "POST" and form.is_valid() & steps.is_valid():
        milestones = [
            actions.MilestoneIn(
                text=f.cleaned_data["text"].strip(), due_on=f.cleaned_data["due_on"]
            )
            for f in steps.forms
            if (f.cleaned_data.get("text") or "").strip()
        ]
        data = form.cleaned_data
        try:
            actions.execution_start(
                actor=user,
                item=item,
                responsible=data.get("responsible"),
                responsible_name=data["responsible_name"],
                due_on=data["due_on"],
                milestones=milestones,
                on=data["on"],
            )
        except ActionError as e:
            item.refresh_from_db()
            _error(form, e, {"started_on": "on", "responsible_name": "responsible"})
        else:
            messages.success(request, "已登记执行责任人和执行期限")
            return redirect(item)
    return _form_page(
        request,
        form,
        title="登记决策执行",
        submit="保存",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("登记执行", None)),
        item=item,
        intro="明确执行责任人、执行期限和主要节点；逾期未执行完毕的议题会标记为“执行逾期”。",
        extra=steps,
        template="decisions/execution_form.html",
    )


def _execution(user: Any, pk: int) -> Execution:
    try:
        return Execution.objects.for_user(user).select_related("item__unit", "unit").get(pk=pk)
    except (Execution.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


@login_required
def execution_report(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    execution = _execution(user, pk)
    item = execution.item
    require(user, "decisions.execution_report", execution.unit)
    form = ExecutionReportForm(
        request.POST or None, request.FILES or None, initial={"on": _today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.execution_report(actor=user, execution=execution, **form.cleaned_data)
        except ActionError as e:
            _error(form, e)
        else:
            messages.success(request, "已记录执行进展")
            return redirect(item)
    return _form_page(
        request,
        form,
        title="填写执行进展",
        submit="保存",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("执行进展", None)),
        item=item,
        intro=f"执行责任人：{execution.responsible_name}；执行期限：{execution.due_on:%Y年%-m月%-d日}",
    )


@login_required
def execution_complete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    execution = _execution(user, pk)
    item = execution.item
    require(user, "decisions.execution_complete", execution.unit)
    form = ExecutionCompleteForm(
        request.POST or None, request.FILES or None, initial={"on": _today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.execution_complete(actor=user, execution=execution, **form.cleaned_data)
        except ActionError as e:
            item.refresh_from_db()
            _error(form, e, {"completed_on": "on"})
        else:
            messages.success(request, "议题已执行完毕")
            return redirect(item)
    return _form_page(
        request,
        form,
        title="执行完毕",
        submit="确认执行完毕",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("执行完毕", None)),
        item=item,
        intro="各执行节点完成后，填写执行情况报告并上传佐证材料。",
    )


@login_required
@require_POST
def milestone_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        milestone = (
            Milestone.objects.for_user(user).select_related("execution__item__unit").get(pk=pk)
        )
    except (Milestone.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    item = milestone.execution.item
    require(user, "decisions.milestone_done", milestone.execution.unit)
    form = MilestoneDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "「完成日期」：请输入有效日期")
        return redirect(item)
    try:
        actions.milestone_done(actor=user, milestone=milestone, **form.cleaned_data)
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"节点“{milestone.text}”已完成")
    return redirect(item)


@login_required
def spot_check_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    item = _item(user, pk)
    require(user, "decisions.spot_check_record", item.unit)
    form = SpotCheckForm(request.POST or None, initial={"checked_on": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            check = actions.spot_check_record(actor=user, item=item, **form.cleaned_data)
        except ActionError as e:
            item.refresh_from_db()
            _error(form, e)
        else:
            if check.finding is not None:
                messages.success(request, "已登记抽查，发现的问题已转入督查整改，限期整改")
            else:
                messages.success(request, "已登记抽查：未发现问题")
            return redirect(item)
    return _form_page(
        request,
        form,
        title="登记抽查",
        submit="保存",
        cancel=item.get_absolute_url(),
        crumbs=_crumbs((item.title, item.get_absolute_url()), ("抽查", None)),
        item=item,
        intro="纪检抽查已决策的议题：程序是否合规、决定是否按期执行。发现的问题登记为督查问题，"
        "学校限期整改，整改情况在“问题与整改”中跟踪。",
    )


# ---- meetings ----


def _meeting_filter_year(raw: str) -> tuple[dt.date, dt.date]:
    year = cast_year(raw)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


MEETING_SPEC = ListSpec(
    columns=[
        Column("held_on", "会议日期", lambda m: m.held_on, sort="held_on"),
        Column("unit", "学校", lambda m: m.unit.name, sort="unit__name"),
        Column("title", "会议名称", lambda m: m.title, link=True),
        Column("body", "会议类型", lambda m: m.get_body_display(), sort="body"),
        Column("mode", "决策方式", lambda m: m.get_mode_display(), sort="mode"),
        Column("attendance", "应到/实到", lambda m: f"{m.due}/{m.attended}"),
        Column("items", "议题数", lambda m: m.item_count),
    ],
    search=("title__contains", "unit__name__contains", "items__item__title__contains"),
    filters=[
        Filter("body", "会议类型", "body", choices=list(Body.choices)),
        Filter("mode", "决策方式", "mode", choices=list(DecisionMeeting.Mode.choices)),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("year", "年度", "held_on__range", cast=_meeting_filter_year),
    ],
    default_sort="-held_on",
)


def meetings_for(user: Any) -> QuerySet[DecisionMeeting]:
    return queries.meetings_for(user).annotate(
        due=Count("members", distinct=True),
        attended=Count("members", filter=Q(members__present=True), distinct=True),
        item_count=Count("items", distinct=True),
    )


exportable("decision-meetings", "三重一大决策会议", MEETING_SPEC, meetings_for)


@login_required
def meeting_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "decisions.view")
    can_record = has_capability(user, "decisions.meeting_record")
    return list_page(
        request,
        "decisions/meeting_list.html",
        MEETING_SPEC,
        meetings_for(user),
        export_name="decision-meetings",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(_today()),
        },
        phone=("held_on", "title", "items"),
        empty=(
            "还没有决策会议记录",
            "会后登记会议的到会情况、表态发言、回避和逐项表决结果。",
            reverse("decisions:meeting-create") if can_record else "",
            "登记会议记录",
        ),
        context={
            "page_title": "决策会议",
            "breadcrumbs": _crumbs(("决策会议", None)),
            "can_record": can_record,
        },
    )


def _meeting(user: Any, pk: int) -> DecisionMeeting:
    try:
        return queries.meetings_for(user).select_related("recorded_by").get(pk=pk)
    except (DecisionMeeting.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def meeting_items(meeting: DecisionMeeting) -> list[MeetingItem]:
    """The meeting's items with their opinions, recusals and flags (a fixed number of queries)."""
    return list(
        meeting.items.select_related("item__unit", "item__subcategory")
        .prefetch_related("opinions__member", "recusals__member", "item__flag_rows")
        .order_by("position")
    )


@login_required
def meeting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "decisions.view")
    meeting = _meeting(user, pk)
    today = _today()
    members = list(meeting.members.select_related("person"))
    rows = meeting_items(meeting)
    due, present = len(members), sum(1 for m in members if m.present)
    settings = queries.settings_for(meeting.unit)
    sections = [
        {
            "mi": mi,
            "flags": [f for f in mi.item.flag_rows.all() if f.active_on(today)],
            "needed": rules.quorum_needed(due, mi.item.category, settings.quorum_half_rule)
            if due
            else None,
        }
        for mi in rows
    ]
    attachments = list(meeting.attachments.all())
    return render(
        request,
        "decisions/meeting_detail.html",
        {
            "meeting": meeting,
            "members": members,
            "due": due,
            "present": present,
            "chair": next((m for m in members if m.is_chair), None),
            "sections": sections,
            "minutes": [a for a in attachments if a.kind == Attachment.Kind.MINUTES],
            "sign_in": [a for a in attachments if a.kind == Attachment.Kind.SIGN_IN],
            "can_attach": has_capability(user, "decisions.attachment_add", meeting.unit),
            "trail": trail(meeting),
            "page_title": meeting.title,
            "breadcrumbs": _crumbs(
                ("决策会议", reverse("decisions:meeting-list")), (meeting.title, None)
            ),
        },
    )


@login_required
def meeting_minutes(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The Word minutes record (会议记录) of a meeting, in the official-document look."""
    user = request.user
    require(user, "decisions.view")
    meeting = _meeting(user, pk)
    content = documents.meeting_minutes(
        meeting, list(meeting.members.all()), meeting_items(meeting)
    )
    response = HttpResponse(content, content_type=documents.DOCX)
    name = f"{meeting.title}会议记录.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def meeting_create(request: AuthedHttpRequest) -> HttpResponse:
    """Record a meeting: header, roster, and per item speakers, recusals and the vote."""
    user = request.user
    if not has_capability(user, "decisions.meeting_record"):
        raise NotAllowed("您没有执行此操作的权限")
    units = units_with(user, "decisions.meeting_record", Unit.SCHOOL_KINDS)
    preselect: list[int] = []
    raw_item = request.GET.get("item", "")
    unit: Unit | None = None
    if raw_item:
        item = _item(user, int(raw_item)) if raw_item.isdigit() else None
        if item is None:
            raise OutOfScope("未找到该记录")
        require(user, "decisions.meeting_record", item.unit)
        unit, preselect = item.unit, [item.pk]
    elif request.GET.get("unit", "").isdigit():
        unit = get_scoped(Unit, user, pk=int(request.GET["unit"]))
        require(user, "decisions.meeting_record", unit)
    elif request.method == "POST" and str(request.POST.get("unit", "")).isdigit():
        unit = units.filter(pk=int(request.POST["unit"])).first()
    if unit is None:
        unit = units.first()
    if unit is None:
        raise NotAllowed("您没有可以登记会议的学校")
    data = request.POST if request.method == "POST" else None
    form = MeetingRecordForm(
        data,
        request.FILES or None,
        user=user,
        units=units,
        unit=unit,
        preselect=preselect,
        today=_today(),
    )
    if form.wants_save(data) and form.is_valid():
        try:
            meeting = actions.meeting_record(actor=user, **form.to_action())
        except ActionError as e:
            _error(form.header, e)
        else:
            messages.success(request, f"已登记会议记录：{meeting.title}")
            return redirect(meeting)
    return render(
        request,
        "decisions/meeting_form.html",
        {
            "form": form,
            "errors": form.errors() if data is not None and form.wants_save(data) else [],
            "page_title": "登记决策会议",
            "breadcrumbs": _crumbs(
                ("决策会议", reverse("decisions:meeting-list")), ("登记会议记录", None)
            ),
        },
    )


# ---- settings and catalogue ----


@login_required
def settings_page(request: AuthedHttpRequest) -> HttpResponse:
    """The bureau's threshold, lead time, quorum rule and majority base; others read them."""
    user = request.user
    require(user, "decisions.view")
    editable = list(units_with(user, "decisions.settings_save", UPPER))
    raw = request.GET.get("unit", "")
    unit = next((u for u in editable if str(u.pk) == raw), editable[0] if editable else None)
    ctx: dict[str, Any] = {
        "page_title": "三重一大设置",
        "breadcrumbs": _crumbs(("设置", None)),
        "kind_labels": dict(Unit.Kind.choices),
        "units": editable if len(editable) > 1 else [],
    }
    if unit is None:  # read-only: the settings that apply to the user's own unit
        top = Unit.objects.for_user(user).order_by("depth", "pk").first()
        if top is None:
            raise OutOfScope("未找到该记录")
        row = queries.settings_row_for(top)
        return render(
            request,
            "decisions/settings.html",
            {**ctx, "form": None, "unit": top, "row": row, "effective": queries.settings_for(top)},
        )
    row = queries.settings_row_for(unit)
    own = row if row is not None and row.unit_id == unit.pk else None
    initial = {**SettingsForm.initial_from(own or row, unit), "unit": unit.pk}
    form = SettingsForm(request.POST or None, user=user, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.settings_save(
                actor=user,
                unit=unit,
                large_fund_threshold_yuan=d["large_fund_threshold_yuan"],
                filing_lead_days=d["filing_lead_days"],
                quorum_half_rule=d["quorum_half_rule"],
                majority_base=d["majority_base"],
                split_window_days=d["split_window_days"],
                threshold_by_kind=form.threshold_by_kind(),
            )
        except ActionError as e:
            _error(form, e)
        else:
            messages.success(request, "已保存三重一大设置，辖区议题的问题提示已按新设置重新计算")
            return redirect(reverse("decisions:settings") + f"?unit={unit.pk}")
    return render(
        request,
        "decisions/settings.html",
        {
            **ctx,
            "form": form,
            "unit": unit,
            "row": own,
            "inherited": row if own is None else None,
        },
    )


@login_required
def category_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "decisions.view")
    in_scope = reduce(
        or_, (Q(items__unit__path__startswith=p) for p in scope_paths(user)), Q(pk__in=[])
    )
    entries = list(
        DecisionCategory.objects.for_user(user)
        .select_related("unit")
        .annotate(item_count=Count("items", filter=in_scope))
        .order_by("unit__path", "category", "position", "pk")
    )
    groups = [
        {
            "value": value,
            "label": label,
            "default_steps": "、".join(
                rules.STEP_LABELS[s] for s in rules.DEFAULT_STEPS[rules.Category(value)]
            ),
            "entries": [e for e in entries if e.category == value],
        }
        for value, label in Category.choices
    ]
    can_edit = {e.pk for e in entries if has_capability(user, "decisions.category_update", e.unit)}
    return render(
        request,
        "decisions/category_list.html",
        {
            "groups": groups,
            "can_edit": can_edit,
            "can_create": has_capability(user, "decisions.category_create"),
            "page_title": "三重一大事项目录",
            "breadcrumbs": _crumbs(("事项目录", None)),
        },
    )


@login_required
def category_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "decisions.category_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = CategoryForm(
        request.POST or None,
        user=user,
        initial={
            "category": request.GET.get("category") or Category.MAJOR_MATTER,
            "bodies": [Body.PARTY_ORG_MEETING],
        },
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        d["required_steps"] = d["required_steps"] or None
        try:
            entry = actions.category_create(actor=user, **d)
        except ActionError as e:
            _error(form, e)
        else:
            messages.success(request, f"已新增事项：{entry.name}")
            return redirect("decisions:category-list")
    return _form_page(
        request,
        form,
        title="新增事项",
        submit="保存",
        cancel=reverse("decisions:category-list"),
        crumbs=_crumbs(("事项目录", reverse("decisions:category-list")), ("新增事项", None)),
        intro="事项目录列出本辖区学校须集体决策的具体事项、可以决定的会议和必经的前置程序。",
    )


@login_required
def category_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        entry = DecisionCategory.objects.for_user(user).select_related("unit").get(pk=pk)
    except (DecisionCategory.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    require(user, "decisions.category_update", entry.unit)
    initial = {
        "unit": entry.unit_id,
        "category": entry.category,
        "name": entry.name,
        "examples": entry.examples,
        "bodies": list(entry.bodies),
        "required_steps": list(entry.required_steps),
        "staff_congress_required": entry.staff_congress_required,
        "position": entry.position,
        "is_active": entry.is_active,
    }
    form = CategoryForm(request.POST or None, user=user, entry=entry, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = {k: v for k, v in form.cleaned_data.items() if k not in ("unit", "category")}
        try:
            actions.category_update(actor=user, entry=entry, **d)
        except ActionError as e:
            _error(form, e)
        else:
            messages.success(request, f"已修改事项：{entry.name}")
            return redirect("decisions:category-list")
    return _form_page(
        request,
        form,
        title="修改事项",
        submit="保存",
        cancel=reverse("decisions:category-list"),
        crumbs=_crumbs(("事项目录", reverse("decisions:category-list")), (entry.name, None)),
    )


# ---- dashboard ----


def _list_url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('decisions:item-list')}?{query}"


def _chart(
    title: str, rows: list[tuple[str, int, str]], horizontal: bool = False
) -> dict[str, Any]:
    return {
        "title": title,
        "rows": rows,
        "labels": [r[0] for r in rows],
        "values": [r[1] for r in rows],
        "urls": [r[2] for r in rows],
        "horizontal": horizontal,
    }


SCHOOLS_SHOWN = 15


@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    """Items by category, school and status, flags by kind, and the registered figures; each
    number links to the item list filtered the same way."""
    user = request.user
    require(user, "decisions.view")
    today = _today()
    years = [today.year - n for n in range(YEAR_SPAN)]
    top = Unit.objects.for_user(user).order_by("depth", "pk").first()
    if top is None:
        raise OutOfScope("未找到该记录")
    form = PeriodForm(
        request.GET or None, user=user, years=years, initial={"unit": top.pk, "year": today.year}
    )
    unit, year = top, today.year
    if request.GET and form.is_valid():
        unit = form.cleaned_data.get("unit") or top
        year = form.cleaned_data["year"]
    period = Period.year(year)
    qs = queries.items_for(user).filter(
        queries.in_period_q(period), unit__path__startswith=unit.path
    )
    base = {"unit": unit.pk, "year": year}
    by_category = dict(qs.order_by().values_list("category").annotate(n=Count("pk")))
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    by_school = list(
        qs.order_by()
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")[:SCHOOLS_SHOWN]
    )
    flags = queries.flag_counts(qs, today)
    charts = [
        _chart(
            f"按类别（{period.label()}）",
            [
                (str(label), by_category.get(v, 0), _list_url(**base, category=v))
                for v, label in Category.choices
            ],
        ),
        _chart(
            f"按状态（{period.label()}）",
            [
                (str(label), by_status.get(v, 0), _list_url(**base, status=v))
                for v, label in S.choices
                if by_status.get(v)
            ],
        ),
        _chart(
            f"问题提示（{period.label()}，截至{today.month}月{today.day}日）",
            [
                (str(label), flags.get(v, 0), _list_url(**base, flag=v))
                for v, label in FlagCode.choices
            ],
            horizontal=True,
        ),
        _chart(
            f"各学校议题数（{period.label()}，前{SCHOOLS_SHOWN}所）",
            [(r["unit__name"], r["n"], _list_url(unit=r["unit_id"], year=year)) for r in by_school],
            horizontal=True,
        ),
    ]
    for n, chart in enumerate(charts, start=1):
        chart["dom_id"], chart["data_id"] = f"chart-{n}", f"chart-{n}-data"
    cards = [
        {
            "label": figures.REGISTRY[name].label,
            "unit_label": figures.REGISTRY[name].unit_label,
            "description": figures.REGISTRY[name].description,
            "value": figures.value(name, unit, period),
            "url": figures.url(name, unit, period),
        }
        for name in DASHBOARD_FIGURES
        if name in figures.REGISTRY
    ]
    total = sum(by_category.values())
    flagged = queries.flagged(qs, today).count()
    cards += [
        {
            "label": "议题总数",
            "unit_label": "个",
            "description": "报备或（未报备即）决策在本年度的议题",
            "value": total,
            "url": _list_url(**base),
        },
        {
            "label": "有问题提示的议题",
            "unit_label": "个",
            "description": "违规或预警，逐项写明所依据的规则",
            "value": flagged,
            "url": _list_url(**base, flag=ANY_FLAG),
        },
    ]
    return render(
        request,
        "decisions/dashboard.html",
        {
            "form": form,
            "unit": unit,
            "period": period,
            "cards": cards,
            "charts": charts,
            "page_title": "三重一大监督",
            "breadcrumbs": [("三重一大监督", None)],
        },
    )


# ---- 三重一大台账 ----


def _discussion(i: AgendaItem) -> MeetingItem | None:
    try:
        return i.discussion
    except MeetingItem.DoesNotExist:
        return None


def _meeting_text(i: AgendaItem, method: str) -> str:
    meeting = _meeting_of(i)
    return str(getattr(meeting, method)()) if meeting is not None else ""


def _result(i: AgendaItem) -> str:
    mi = _discussion(i)
    return mi.get_result_display() if mi is not None else ""


def _votes(i: AgendaItem) -> str:
    mi = _discussion(i)
    if mi is None:
        return ""
    if not mi.votes_recorded:
        return "未记录"
    return f"{mi.votes_yes}/{mi.votes_no}/{mi.votes_abstain}"


def _spot(i: AgendaItem) -> str:
    checks = list(i.spot_checks.all())
    return "；".join(f"{c.checked_on:%Y-%m-%d}{c.get_result_display()}" for c in checks)


def _ex(i: AgendaItem, attr: str) -> Any:
    ex = _execution_of(i)
    return getattr(ex, attr) if ex is not None else None


LEDGER_COLUMNS = [
    Column("unit", "学校", lambda i: i.unit.name),
    Column("category", "类别", lambda i: i.get_category_display()),
    Column("subcategory", "具体事项", lambda i: i.subcategory.name if i.subcategory else ""),
    Column("title", "议题名称", lambda i: i.title),
    Column("amount", "涉及金额（元）", lambda i: float(i.amount) if i.amount is not None else ""),
    Column("payee", "收款单位/项目", lambda i: i.payee),
    Column("proposer", "提议人", lambda i: i.proposer),
    Column("steps", "已完成的前置程序", lambda i: i.get_steps_done_display()),
    Column("filed_on", "报备日期", lambda i: i.filed_on),
    Column("approved_on", "审核同意日期", lambda i: i.approved_on),
    Column("planned", "拟上会日期", lambda i: i.planned_meeting_on),
    Column("body", "决策会议", lambda i: _meeting_text(i, "get_body_display")),
    Column("mode", "决策方式", lambda i: _meeting_text(i, "get_mode_display")),
    Column("decided_on", "会议日期", lambda i: i.decided_on),
    Column(
        "attendance",
        "应到/实到",
        lambda i: f"{i.members_due}/{i.members_present}" if _meeting_of(i) else "",
    ),
    Column("votes", "赞成/反对/弃权", _votes),
    Column("result", "表决结果", _result),
    Column("status", "状态", lambda i: i.get_status_display()),
    Column("responsible", "执行责任人", lambda i: _ex(i, "responsible_name") or ""),
    Column("due_on", "执行期限", lambda i: _ex(i, "due_on")),
    Column("completed_on", "完成日期", lambda i: _ex(i, "completed_on")),
    Column("flags", "问题提示", _flag_labels),
    Column("spot", "抽查情况", _spot),
]

LEDGER_SPEC = ListSpec(
    columns=LEDGER_COLUMNS,
    filters=[
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("start", "开始日期", "pk__in", cast=_since),
        Filter("last", "截止日期", "pk__in", cast=_until),
    ],
)


def ledger_for(user: Any) -> QuerySet[AgendaItem]:
    return (
        queries.items_for(user)
        .prefetch_related("spot_checks")
        .annotate(
            members_due=Count("discussion__meeting__members", distinct=True),
            members_present=Count(
                "discussion__meeting__members",
                filter=Q(discussion__meeting__members__present=True),
                distinct=True,
            ),
        )
        .order_by("unit__path", "filed_on", "decided_on", "pk")
    )


exportable("decision-ledger", "三重一大台账", LEDGER_SPEC, ledger_for)


@login_required
def ledger(request: AuthedHttpRequest) -> HttpResponse | FileResponse:
    """The 三重一大台账 of a unit and period as xlsx; the export is audited (core.export)."""
    from dangjian.core.actions import export_record

    user = request.user
    require(user, "decisions.view")
    require(user, "core.export")
    today = _today()
    top = Unit.objects.for_user(user).order_by("depth", "pk").first()
    form = LedgerForm(
        request.GET or None,
        user=user,
        initial={"unit": top, "start": dt.date(today.year, 1, 1), "last": today},
    )
    if request.GET and form.is_valid():
        unit, start, last = (form.cleaned_data[k] for k in ("unit", "start", "last"))
        query = urlencode({"unit": unit.pk, "start": start, "last": last})
        params = {"unit": str(unit.pk), "start": start.isoformat(), "last": last.isoformat()}
        rows, _ = apply(LEDGER_SPEC, ledger_for(user), params)
        if rows.count() > django_settings.EXPORT_SYNC_MAX_ROWS:
            return redirect(reverse("core:export", args=["decision-ledger"]) + "?" + query)
        export_record(actor=user, name="decision-ledger", query=query)
        period = Period.inclusive(start, last)
        title = f"{unit.name}三重一大台账（{period.label()}）"
        return xlsx_response(title, LEDGER_COLUMNS, rows)
    return render(
        request,
        "decisions/ledger.html",
        {
            "form": form,
            "page_title": "三重一大台账",
            "breadcrumbs": _crumbs(("三重一大台账", None)),
        },
    )
