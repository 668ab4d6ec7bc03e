"""Pages of the development pipeline: list, due list, record with its timeline, step forms,
documents and the Word documents a branch prints."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.queries import trail
from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.exports import exportable
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import PER_PAGE_CHOICES, Column, Filter, ListSpec, build, cast_subtree
from dangjian.core.pages import form_page
from dangjian.core.scope import get_scoped, has_capability, require

from . import actions, documents, queries, rules
from .forms import DocumentForm, KeyTeacherForm, RecordCreateForm, StepForm, TerminateForm
from .labels import ACTION_LABELS
from .models import DevelopmentRecord, Document, Step

STAGE_COLOURS = {
    rules.APPLICANT: "secondary",
    rules.ACTIVIST: "azure",
    rules.CANDIDATE: "indigo",
    rules.PROBATIONARY: "orange",
    rules.FULL: "green",
    rules.TERMINATED: "dark",
}


def _due_text(r: DevelopmentRecord) -> str:
    if r.next_due_on is None:
        return ""
    return f"{r.next_due_label}（{rules.cn(r.next_due_on)}前）"


RECORD_SPEC = ListSpec(
    columns=[
        Column("person", "姓名", lambda r: r.person.name, sort="person__name", link=True),
        Column("unit", "单位", lambda r: r.branch.unit.name, sort="branch__unit__name"),
        Column("branch", "党组织", lambda r: r.branch.name, sort="branch__name"),
        Column("status", "阶段", lambda r: r.get_status_display(), sort="status", badge="status"),
        Column("applied_on", "申请日期", lambda r: r.applied_on, sort="applied_on"),
        Column("activist_on", "积极分子日期", lambda r: r.activist_on, sort="activist_on"),
        Column("candidate_on", "发展对象日期", lambda r: r.candidate_on, sort="candidate_on"),
        Column("admitted_on", "接收预备党员日期", lambda r: r.admitted_on, sort="admitted_on"),
        Column("next_due", "下一期限", _due_text, sort="next_due_on"),
        Column("key_teacher", "骨干教师", lambda r: r.key_teacher_at_application),
    ],
    search=("person__name__contains",),
    filters=[
        Filter("status", "阶段", "status", choices=list(DevelopmentRecord.Status.choices)),
        Filter("unit", "单位", "branch__unit__path__contains", cast=cast_subtree),
        Filter("branch", "党组织", "branch_id", cast=int),
        queries.DUE_FILTER,
        Filter(
            "double",
            "双培养",
            "pk__in",
            choices=[("to_member", "骨干教师培养成党员"), ("to_key", "党员培养成骨干教师")],
            cast=lambda v: DevelopmentRecord.objects.filter(
                **(
                    {"key_teacher_at_application": True}
                    if v == "to_member"
                    else {"became_key_teacher_on__isnull": False}
                )
            ).values("pk"),
        ),
    ],
)

exportable("development_records", "发展党员", RECORD_SPEC, queries.records_for)


def _scoped_record(user: Any, pk: int) -> DevelopmentRecord:
    try:
        return queries.records_for(user).select_related("person__unit", "member").get(pk=pk)
    except (DevelopmentRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _can(user: Any, cap: str, record: DevelopmentRecord) -> bool:
    return has_capability(user, cap, record.branch.unit)


def _form_page(
    request: AuthedHttpRequest,
    form: Any,
    *,
    title: str,
    record: DevelopmentRecord | None,
    submit: str,
    intro: str = "",
    danger: bool = False,
    multipart: bool = False,
) -> HttpResponse:
    crumbs: list[tuple[str, str | None]] = [("发展党员", reverse("development:record-list"))]
    if record is not None:
        crumbs.append((record.person.name, record.get_absolute_url()))
    crumbs.append((title, None))
    return form_page(
        request,
        form,
        title=title,
        breadcrumbs=crumbs,
        submit=submit,
        cancel=record.get_absolute_url() if record else reverse("development:record-list"),
        intro=intro,
        danger=danger,
        multipart=multipart,
        template="development/form.html",
        context={"record": record},
    )


# ---- lists ----


@login_required
def record_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    today = timezone.localdate()
    listing = build(request, RECORD_SPEC, queries.records_for(user))
    choices = {"branch": queries.branch_choices(user), "unit": queries.unit_choices(user)}
    bar = []
    for f in RECORD_SPEC.filters:
        options = choices.get(f.name, f.choices)
        bar.append(
            {
                "name": f.name,
                "label": f.label,
                "value": listing.filter_values.get(f.name, ""),
                "choices": options,
            }
        )
    can_create = has_capability(user, "development.record_create")
    ctx = {
        "listing": listing,
        "rows": [
            (r, STAGE_COLOURS.get(r.status, "secondary"), r.due_state(today)) for r in listing.rows
        ],
        "bar": bar,
        "per_page_choices": PER_PAGE_CHOICES,
        "export_url": (
            reverse("core:export", args=["development_records"]) + "?" + request.GET.urlencode()
            if has_capability(user, "core.export")
            else ""
        ),
        "filtered": bool(listing.filter_values or listing.query.strip()),
        "can_create": can_create,
        "page_title": "发展党员",
        "breadcrumbs": [("发展党员", None)],
    }
    if getattr(request, "htmx", False):
        return render(request, "development/record_list.html#rows", ctx)
    return render(request, "development/record_list.html", ctx)


@login_required
def due_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    today = timezone.localdate()
    page = Paginator(queries.due_records(user, today), 50).get_page(request.GET.get("page"))
    rows = [(r, STAGE_COLOURS.get(r.status, "secondary"), r.due_state(today)) for r in page]
    return render(
        request,
        "development/due_list.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "soon_days": rules.DUE_SOON_DAYS,
            "page_title": "发展党员到期提醒",
            "breadcrumbs": [
                ("发展党员", reverse("development:record-list")),
                ("到期提醒", None),
            ],
        },
    )


# ---- one record ----


@login_required
def record_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "development.record_create")
    form = RecordCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = actions.record_create(
                actor=user,
                person=data["person"],
                branch=data["branch"],
                applied_on=data["applied_on"],
                received_on=data["received_on"],
                notes=data["notes"],
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, f"已登记{record.person.name}的入党申请")
            return redirect(record)
    return _form_page(
        request,
        form,
        title="登记入党申请",
        record=None,
        submit="登记",
        intro="递交入党申请书须年满18周岁；党组织应在收到申请后一个月内派人谈话。",
    )


def _steps(record: DevelopmentRecord) -> list[Step]:
    from dangjian.people.models import Person

    return list(
        Step.objects.filter(record=record)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.order_by("name")),
            Prefetch("documents", queryset=Document.objects.order_by("pk")),
        )
        .order_by("on", "pk")
    )


@login_required
def record_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    record = _scoped_record(user, pk)
    today = timezone.localdate()
    facts = record.facts()
    violations, warnings = record.standing(today)
    can_step = _can(user, "development.step_record", record)
    next_kinds = rules.next_kinds(facts) if can_step else []
    buttons = [
        (
            k.label,
            reverse("development:record-terminate", args=[record.pk])
            if k.code == "termination"
            else reverse("development:step-create", args=[record.pk]) + f"?kind={k.code}",
            "outline-danger" if k.code == "termination" else "outline-primary",
        )
        for k in next_kinds
        if k.code != "termination" or _can(user, "development.record_terminate", record)
    ]
    if buttons and buttons[0][2] == "outline-primary":
        buttons[0] = (buttons[0][0], buttons[0][1], "dj")
    steps = _steps(record)
    loose_documents = list(Document.objects.filter(record=record, step__isnull=True).order_by("pk"))
    hints = []
    if record.status == rules.ACTIVIST and record.activist_on:
        hints.append(
            f"最早可于{rules.cn(rules.earliest_candidate_date(record.activist_on))}确定为发展对象"
            "（确定为入党积极分子满一年，规则2.3-7）"
        )
    if record.probation_ends_on and record.status == rules.PROBATIONARY:
        hints.append(f"预备期至{rules.cn(record.probation_ends_on)}（规则2.4）")
    entries = [
        (e, ACTION_LABELS.get(e.action, label) if label == e.action else label)
        for e, label in trail(record)
    ]
    return render(
        request,
        "development/record_detail.html",
        {
            "record": record,
            "stage_colour": STAGE_COLOURS.get(record.status, "secondary"),
            "steps": steps,
            "loose_documents": loose_documents,
            "violations": violations,
            "warnings": warnings,
            "hints": hints,
            "buttons": buttons,
            "can_document": _can(user, "development.document_add", record)
            and record.status != rules.TERMINATED,
            "can_key_teacher": _can(user, "development.key_teacher_mark", record)
            and record.status in (rules.PROBATIONARY, rules.FULL)
            and not record.key_teacher_at_application
            and record.became_key_teacher_on is None,
            "can_publicity": record.status in (rules.CANDIDATE, rules.PROBATIONARY, rules.FULL),
            "can_review": "political_review" in record.done,
            "trail": entries,
            "page_title": f"{record.person.name} · 发展党员",
            "breadcrumbs": [
                ("发展党员", reverse("development:record-list")),
                (record.person.name, None),
            ],
        },
    )


@login_required
def step_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    record = _scoped_record(user, pk)
    require(user, "development.step_record", record.branch.unit)
    code = request.POST.get("kind") or request.GET.get("kind") or ""
    kind = rules.KINDS.get(code)
    if kind is None or code in ("application", "termination"):
        messages.error(request, "请从记录页选择要办理的步骤")
        return redirect(record)
    form = StepForm(
        request.POST or None, request.FILES or None, user=user, record=record, kind=kind
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = data.get("people") or []
        try:
            with transaction.atomic():
                step = actions.step_record(
                    actor=user,
                    record=record,
                    kind=code,
                    on=data["on"],
                    people=list(people),
                    notes=data.get("notes") or "",
                    training_days=data.get("training_days"),
                    training_hours=data.get("training_hours"),
                    votes_due=data.get("votes_due"),
                    votes_present=data.get("votes_present"),
                    votes_yes=data.get("votes_yes"),
                    extension_months=data.get("extension_months"),
                    received_on=data.get("received_on"),
                )
                if data.get("attachment"):
                    actions.document_add(
                        actor=user, record=record, upload=data["attachment"], step=step
                    )
        except ActionError as exc:
            if exc.field == "file":
                exc.field = "attachment"
            form.add_action_error(exc)
        else:
            text = f"已记录「{kind.label}」"
            if step.warnings:
                messages.warning(
                    request, text + "；" + "；".join(w["message"] for w in step.warnings)
                )
            else:
                messages.success(request, text)
            return redirect(record)
    return _form_page(
        request,
        form,
        title=kind.label,
        record=record,
        submit="记录",
        intro=_step_intro(record, kind),
        multipart=True,
    )


def _step_intro(record: DevelopmentRecord, kind: rules.StepKind) -> str:
    stage = record.get_status_display()
    text = f"{record.person.name}，当前阶段：{stage}。"
    if kind.code == "candidate_selection" and record.activist_on:
        earliest = rules.earliest_candidate_date(record.activist_on)
        text += f"确定为入党积极分子满一年后方可确定为发展对象，最早{rules.cn(earliest)}。"
    elif kind.code == "application_talk":
        due = rules.talk_deadline(record.received_on or record.applied_on)
        text += f"应在收到申请后一个月内谈话（{rules.cn(due)}前）。"
    elif kind.code in ("admission_meeting", "full_membership_meeting", "extension"):
        text += "赞成票须超过应到会有表决权正式党员的半数；预备党员无表决权。"
    elif kind.code == "candidate_training":
        text += "集中培训不少于3天或不少于24学时。"
    elif kind.code == "extension":
        text += "预备期只能延长一次，不少于6个月、不超过12个月。"
    return text


@login_required
def record_terminate(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    record = _scoped_record(user, pk)
    require(user, "development.record_terminate", record.branch.unit)
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_terminate(
                actor=user,
                record=record,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ActionError as exc:
            if exc.field == "termination_reason":
                exc.field = "reason"
            form.add_action_error(exc)
        else:
            messages.success(request, "已终止发展")
            return redirect(record)
    probationary = record.status == rules.PROBATIONARY
    return _form_page(
        request,
        form,
        title="取消预备党员资格" if probationary else "终止发展",
        record=record,
        submit="确认终止",
        intro=(
            "取消预备党员资格须经支部大会讨论并报上级党委批准；其党员记录将改为已出党。"
            if probationary
            else "终止后该记录只读，不能再记录发展步骤。"
        ),
        danger=True,
    )


@login_required
def key_teacher_mark(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    record = _scoped_record(user, pk)
    require(user, "development.key_teacher_mark", record.branch.unit)
    form = KeyTeacherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.key_teacher_mark(actor=user, record=record, on=form.cleaned_data["on"])
        except ActionError as exc:
            if exc.field == "became_key_teacher_on":
                exc.field = "on"
            form.add_action_error(exc)
        else:
            messages.success(request, "已登记为“党员培养成骨干教师”")
            return redirect(record)
    return _form_page(
        request,
        form,
        title="登记党员培养成骨干教师",
        record=record,
        submit="登记",
        intro="双培养：把党员培养成骨干教师。登记后其人员信息同时标记为骨干教师。",
    )


@login_required
def document_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "development.view")
    record = _scoped_record(user, pk)
    require(user, "development.document_add", record.branch.unit)
    form = DocumentForm(request.POST or None, request.FILES or None, record=record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.document_add(
                actor=user,
                record=record,
                upload=data["file"],
                title=data["title"],
                step=data["step"],
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, "已上传材料")
            return redirect(record)
    return _form_page(request, form, title="上传材料", record=record, submit="上传", multipart=True)


@login_required
def document_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    require(request.user, "development.view")
    doc = get_scoped(Document, request.user, pk=pk)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    return FileResponse(
        handle, as_attachment=not doc.is_image, filename=doc.filename, content_type=doc.content_type
    )


def _docx(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=documents.DOCX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _publicity_date(request: AuthedHttpRequest, steps: list[Step]) -> dt.date:
    """The notice is dated the day the branch posts it: `?on=` when given, else the day of the
    branch committee's review (the notice follows it), else today."""
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        pass
    reviewed = [s.on for s in steps if s.kind == "committee_review"]
    return max(reviewed) if reviewed else timezone.localdate()


@login_required
def publicity_docx(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "development.view")
    record = _scoped_record(request.user, pk)
    if record.status not in (rules.CANDIDATE, rules.PROBATIONARY, rules.FULL):
        messages.error(request, "确定为发展对象后才能生成公示")
        return redirect(record)
    steps = _steps(record)
    content = documents.publicity_notice(record, steps, _publicity_date(request, steps))
    return _docx(f"{record.person.name}发展对象公示.docx", content)


@login_required
def review_docx(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "development.view")
    record = _scoped_record(request.user, pk)
    if "political_review" not in record.done:
        messages.error(request, "尚未记录政治审查，不能生成政审综合情况报告")
        return redirect(record)
    steps = _steps(record)
    reviews = [s.on for s in steps if s.kind == "political_review"]
    # the report is dated with the review's conclusion, not the day it is printed
    content = documents.political_review_summary(record, steps, max(reviews))
    return _docx(f"{record.person.name}政治审查综合情况报告.docx", content)
