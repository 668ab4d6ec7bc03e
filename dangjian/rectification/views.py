"""Pages of findings and rectification: the list, a finding with its timeline and next actions,
recording a finding, submit / verify / reject, the overdue list and the 问题整改台账."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.queries import trail
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import exportable, xlsx_response
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, cast_subtree, month_choices
from dangjian.core.pages import form_page, list_page
from dangjian.core.periods import Period
from dangjian.core.scope import get_scoped, has_capability, require
from dangjian.orgs.models import Unit
from dangjian.orgs.queries import unit_choices
from dangjian.supervision.models import Inspection

from . import actions, queries, rules
from .forms import FindingForm, LedgerForm, NoteForm, RejectForm, SubmitForm, VerifyForm
from .models import Evidence, Finding, Rectification

MONTHS_OFFERED = 24


def _month(raw: str) -> tuple[dt.date, dt.date]:
    year, month = (int(x) for x in raw.split("-"))
    p = Period.month(year, month)
    return p.start, p.last


def _pending_filter(raw: str) -> QuerySet[Rectification]:
    today = timezone.localdate()
    if raw == "overdue":
        return Rectification.objects.filter(queries.overdue_q(today, prefix=""))
    soon = today + dt.timedelta(days=queries.DUE_SOON_DAYS)
    return Rectification.objects.filter(
        status__in=queries.PENDING, deadline__gte=today, deadline__lte=soon
    )


def _overdue_days(f: Finding) -> int | str:
    r = f.rectification
    days = rules.overdue_days(r.deadline, timezone.localdate()) if r.is_pending else 0
    return days or ""


FINDING_SPEC = ListSpec(
    columns=[
        Column("found_on", "发现日期", lambda f: f.found_on, sort="found_on"),
        Column("unit", "学校", lambda f: f.unit.name, sort="unit__name"),
        Column("description", "问题", lambda f: f.description[:40], link=True),
        Column("area", "问题领域", lambda f: f.area, sort="area"),
        Column("source", "来源", lambda f: f.get_source_display(), sort="source"),
        Column("severity", "严重程度", lambda f: f.get_severity_display(), sort="severity"),
        Column("recurrent", "重复发生", lambda f: f.recurrent),
        Column(
            "deadline",
            "整改期限",
            lambda f: f.rectification.deadline,
            sort="rectification__deadline",
        ),
        Column(
            "status",
            "状态",
            lambda f: f.rectification.get_status_display(),
            sort="rectification__status",
        ),
        Column("overdue_days", "逾期天数", _overdue_days),
    ],
    search=("description__contains", "area__contains", "unit__name__contains"),
    filters=[
        Filter("source", "来源", "source", choices=list(Finding.Source.choices)),
        Filter("severity", "严重程度", "severity", choices=list(Finding.Severity.choices)),
        Filter(
            "status",
            "整改状态",
            "rectification__status",
            choices=list(Rectification.Status.choices),
        ),
        Filter(
            "overdue",
            "期限",
            "rectification__in",
            choices=[("overdue", "已逾期"), ("due", "3天内到期")],
            cast=_pending_filter,
        ),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("month", "发现月份", "found_on__range", cast=_month),
    ],
    default_sort="-found_on",
)


def findings_for(user: Any) -> QuerySet[Finding]:
    return queries.findings_for(user)


exportable("findings", "问题清单", FINDING_SPEC, findings_for)


def _may_create(user: Any) -> bool:
    return has_capability(user, "rectification.finding_create")


@login_required
def finding_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "rectification.view")
    can_create = _may_create(user)
    return list_page(
        request,
        "rectification/finding_list.html",
        FINDING_SPEC,
        findings_for(user),
        export_name="findings",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "month": month_choices(timezone.localdate(), span=MONTHS_OFFERED),
        },
        phone=("found_on", "description", "status"),
        empty=(
            "还没有登记问题",
            "学校自查、学区巡查、挂联复查、督导组抽查发现的问题登记在这里，逐个整改销号。",
            reverse("rectification:finding-create") if can_create else "",
            "登记问题",
        ),
        context={
            "page_title": "问题与整改",
            "breadcrumbs": [("问题与整改", None)],
            "can_create": can_create,
            "can_ledger": has_capability(user, "core.export"),
        },
    )


def _finding(user: Any, pk: int) -> Finding:
    try:
        return (
            Finding.objects.for_user(user)
            .select_related(
                "unit",
                "inspection",
                "recorded_by",
                "rectification__owner",
                "rectification__submitted_by",
                "rectification__verified_by",
            )
            .get(pk=pk)
        )
    except (Finding.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _rectification(user: Any, pk: int) -> Rectification:
    try:
        return (
            Rectification.objects.for_user(user)
            .select_related("finding__unit", "unit", "owner")
            .get(pk=pk)
        )
    except (Rectification.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _next_actions(user: Any, rect: Rectification) -> list[tuple[str, str, str]]:
    """(label, url, style) for each transition the map allows and the user may take."""
    allowed = Rectification.TRANSITIONS[Rectification.Status(rect.status)]
    out = []
    unit = rect.unit
    if Rectification.Status.SUBMITTED in allowed and has_capability(
        user, "rectification.rectification_submit", unit
    ):
        label = "重新提交整改" if rect.status == Rectification.Status.REJECTED else "提交整改"
        out.append((label, reverse("rectification:rectification-submit", args=[rect.pk]), "btn-dj"))
    not_owner = user.pk not in {rect.owner_id, rect.submitted_by_id}
    if (
        Rectification.Status.VERIFIED in allowed
        and not_owner
        and has_capability(user, "rectification.rectification_verify", unit)
    ):
        out.append(
            ("验收通过", reverse("rectification:rectification-verify", args=[rect.pk]), "btn-dj")
        )
    if (
        Rectification.Status.REJECTED in allowed
        and not_owner
        and has_capability(user, "rectification.rectification_reject", unit)
    ):
        out.append(
            (
                "验收不通过",
                reverse("rectification:rectification-reject", args=[rect.pk]),
                "btn-outline-danger",
            )
        )
    return out


@login_required
def finding_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "rectification.view")
    finding = _finding(user, pk)
    rect = finding.rectification
    today = timezone.localdate()
    events = sorted(trail(finding) + trail(rect), key=lambda t: -t[0].pk)
    evidence = list(finding.evidence.all())
    can_note = rect.is_pending and has_capability(
        user, "rectification.progress_note_add", rect.unit
    )
    return render(
        request,
        "rectification/finding_detail.html",
        {
            "finding": finding,
            "rect": rect,
            "escalation": rect.escalation(today) if rect.is_pending else None,
            # the prompt to decide on accountability is for those who decide, not the school
            "can_decide": has_capability(user, "accountability.record_create", finding.unit),
            "actions": _next_actions(user, rect),
            "notes": list(rect.notes.select_related("author")),
            "finding_evidence": [e for e in evidence if e.kind == Evidence.Kind.FINDING],
            "completion_evidence": [e for e in evidence if e.kind == Evidence.Kind.COMPLETION],
            "note_form": NoteForm() if can_note else None,
            "trail": events,
            "page_title": f"{finding.area} · {finding.unit.name}",
            "breadcrumbs": [
                ("问题与整改", reverse("rectification:finding-list")),
                (finding.area, None),
            ],
        },
    )


def _form_page(
    request: AuthedHttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    cancel: str,
    crumbs: list[tuple[str, str | None]],
    finding: Finding | None = None,
    intro: str = "",
    danger: bool = False,
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
        template="rectification/form.html",
        context={"finding": finding},
    )


@login_required
def finding_create(request: AuthedHttpRequest) -> HttpResponse:
    """Record a finding: from an inspection (?inspection=pk) or as a school's self-check."""
    user = request.user
    if not _may_create(user):
        raise NotAllowed("您没有执行此操作的权限")
    inspection = None
    unit: Unit | None = None
    raw = request.GET.get("inspection")
    if raw:
        inspection = get_scoped(Inspection, user, pk=raw)
        unit = inspection.unit
        require(user, "rectification.finding_create", unit)
    elif request.GET.get("unit"):
        unit = get_scoped(Unit, user, pk=request.GET["unit"])
    verifier = has_capability(user, "rectification.rectification_verify", unit)
    if inspection is not None:
        sources = [Finding.Source.INSPECTION if verifier else Finding.Source.SELF_CHECK]
        if inspection.kind == Inspection.Kind.SELF_CHECK:
            sources = [Finding.Source.SELF_CHECK]
    else:
        sources = [Finding.Source.SELF_CHECK]
    today = timezone.localdate()
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        unit=unit,
        sources=sources,
        initial={"found_on": inspection.held_on if inspection and inspection.held_on else today},
    )
    crumbs: list[tuple[str, str | None]] = [
        ("问题与整改", reverse("rectification:finding-list")),
        ("登记问题", None),
    ]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            finding = actions.finding_create(actor=user, inspection=inspection, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(
                request, f"已登记问题，整改期限{finding.rectification.deadline:%Y-%m-%d}"
            )
            return redirect(finding)
    intro = f"来源督查：{inspection}（{inspection.get_kind_display()}）" if inspection else ""
    if inspection is None:
        intro = "学校自查发现的问题在这里登记；督查发现的问题请从督查记录登记。"
    return _form_page(
        request,
        form,
        title="登记问题",
        submit="登记",
        cancel=reverse("rectification:finding-list"),
        crumbs=crumbs,
        intro=intro,
    )


def _crumbs(rect: Rectification, label: str) -> list[tuple[str, str | None]]:
    return [
        ("问题与整改", reverse("rectification:finding-list")),
        (rect.finding.area, rect.get_absolute_url()),
        (label, None),
    ]


@login_required
def rectification_submit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rect = _rectification(user, pk)
    require(user, "rectification.rectification_submit", rect.unit)
    form = SubmitForm(
        request.POST or None, request.FILES or None, initial={"measures": rect.measures}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.rectification_submit(
                actor=user,
                rectification=rect,
                measures=form.cleaned_data["measures"],
                evidence=form.cleaned_data["evidence"],
            )
        except ActionError as e:
            rect.refresh_from_db()
            add_action_error(form, e)
        else:
            messages.success(request, "已提交整改，等待验收")
            return redirect(rect)
    intro = f"整改期限：{rect.deadline:%Y年%-m月%-d日}"
    if rect.status == Rectification.Status.REJECTED:
        intro += f"。上次退回原因：{rect.rejection_reasons}"
    return _form_page(
        request,
        form,
        title="提交整改",
        submit="提交整改",
        cancel=rect.get_absolute_url(),
        crumbs=_crumbs(rect, "提交整改"),
        finding=rect.finding,
        intro=intro,
    )


@login_required
def rectification_verify(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rect = _rectification(user, pk)
    require(user, "rectification.rectification_verify", rect.unit)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rectification_verify(
                actor=user, rectification=rect, note=form.cleaned_data["note"]
            )
        except ActionError as e:
            rect.refresh_from_db()
            add_action_error(form, e)
        else:
            messages.success(request, "验收通过，问题已销号")
            return redirect(rect)
    return _form_page(
        request,
        form,
        title="验收通过（销号）",
        submit="验收通过",
        cancel=rect.get_absolute_url(),
        crumbs=_crumbs(rect, "验收"),
        finding=rect.finding,
    )


@login_required
def rectification_reject(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rect = _rectification(user, pk)
    require(user, "rectification.rectification_reject", rect.unit)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rectification_reject(
                actor=user, rectification=rect, reasons=form.cleaned_data["reasons"]
            )
        except ActionError as e:
            rect.refresh_from_db()
            add_action_error(form, e)
        else:
            messages.success(request, f"已退回重改，新的整改期限{rect.deadline:%Y-%m-%d}")
            return redirect(rect)
    return _form_page(
        request,
        form,
        title="验收不通过（退回重改）",
        submit="退回重改",
        cancel=rect.get_absolute_url(),
        crumbs=_crumbs(rect, "退回"),
        finding=rect.finding,
        intro=f"退回后重新计算整改期限：自退回之日起{rect.period_days}天。",
        danger=True,
    )


@login_required
def progress_note_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rect = _rectification(user, pk)
    require(user, "rectification.progress_note_add", rect.unit)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.progress_note_add(
                actor=user, rectification=rect, text=form.cleaned_data["text"]
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已记录整改进展")
            return redirect(rect)
    return _form_page(
        request,
        form,
        title="填写整改进展",
        submit="保存",
        cancel=rect.get_absolute_url(),
        crumbs=_crumbs(rect, "整改进展"),
        finding=rect.finding,
    )


@login_required
def evidence_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    require(request.user, "rectification.view")
    ev = get_scoped(Evidence, request.user, pk=pk)
    inline = ev.is_image or ev.content_type == "application/pdf"
    return FileResponse(
        ev.file.open("rb"), as_attachment=not inline, filename=ev.name, content_type=ev.content_type
    )


# ---- the overdue list (benchmarked: one query plus the count, no N+1) ----


def _esc(r: Rectification) -> rules.Escalation:
    return rules.escalate(r.deadline, timezone.localdate(), r.reopen_count)


def _level_filter(raw: str) -> QuerySet[Rectification]:
    level = rules.Level(int(raw))
    return Rectification.objects.filter(queries.level_q(level, timezone.localdate(), prefix=""))


OVERDUE_SPEC = ListSpec(
    columns=[
        Column("unit", "学校", lambda r: r.unit.name, sort="unit__name"),
        Column("finding", "问题", lambda r: r.finding.description[:40], link=True),
        Column("severity", "严重程度", lambda r: r.finding.get_severity_display()),
        Column("deadline", "整改期限", lambda r: r.deadline, sort="deadline"),
        Column("days", "逾期天数", lambda r: _esc(r).overdue_days),
        Column("level", "督办层级", lambda r: _esc(r).label),
        Column("status", "状态", lambda r: r.get_status_display(), sort="status"),
        Column("reopen", "退回次数", lambda r: r.reopen_count, sort="reopen_count"),
        Column("owner", "整改责任人", lambda r: str(r.owner) if r.owner else ""),
    ],
    search=("finding__description__contains", "unit__name__contains"),
    filters=[
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter(
            "level",
            "督办层级",
            "pk__in",
            choices=[
                (str(int(rules.Level.DISTRICT)), "已报学区/挂联干部及以上"),
                (str(int(rules.Level.BUREAU)), "已报教育局和纪检"),
            ],
            cast=_level_filter,
        ),
    ],
    default_sort="deadline",
)


def overdue_for(user: Any) -> QuerySet[Rectification]:
    return queries.overdue_rectifications(user, timezone.localdate())


exportable("overdue-rectifications", "逾期整改清单", OVERDUE_SPEC, overdue_for)


@login_required
def overdue_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "rectification.view")
    return list_page(
        request,
        "rectification/overdue_list.html",
        OVERDUE_SPEC,
        overdue_for(user),
        export_name="overdue-rectifications",
        choices={"unit": unit_choices(user, request.GET.get("unit", ""))},
        phone=("unit", "finding", "days"),
        empty=(
            "没有逾期未整改的问题",
            "整改期限次日仍未提交整改（或退回后未重新提交）的问题会出现在这里。",
            "",
            "",
        ),
        context={"page_title": "逾期整改", "breadcrumbs": [("逾期整改", None)]},
    )


# ---- 问题整改台账 ----


def _r(f: Finding) -> Rectification:
    return f.rectification


LEDGER_COLUMNS = [
    Column("unit", "学校", lambda f: f.unit.name),
    Column("source", "来源", lambda f: f.get_source_display()),
    Column(
        "inspection", "检查方式", lambda f: f.inspection.get_kind_display() if f.inspection else ""
    ),
    Column("found_on", "发现日期", lambda f: f.found_on),
    Column("area", "问题领域", lambda f: f.area),
    Column("description", "问题描述", lambda f: f.description),
    Column("rule", "违反的规定或清单条目", lambda f: f.rule_broken),
    Column("severity", "严重程度", lambda f: f.get_severity_display()),
    Column("recurrent", "重复发生", lambda f: f.recurrent),
    Column("owner", "整改责任人", lambda f: str(_r(f).owner) if _r(f).owner else ""),
    Column("measures", "整改措施", lambda f: _r(f).measures),
    Column("deadline", "整改期限", lambda f: _r(f).deadline),
    Column("submitted_on", "提交日期", lambda f: _r(f).submitted_on),
    Column("status", "整改状态", lambda f: _r(f).get_status_display()),
    Column("reopen", "退回次数", lambda f: _r(f).reopen_count),
    Column("reasons", "退回原因", lambda f: _r(f).rejection_reasons),
    Column("verified_by", "验收人", lambda f: str(_r(f).verified_by) if _r(f).verified_by else ""),
    Column("verified_on", "销号日期", lambda f: _r(f).verified_on),
    Column("on_time", "按期整改", lambda f: _r(f).on_time if _r(f).verified_on else ""),
    Column("overdue_days", "逾期天数", _overdue_days),
]


def ledger_rows(user: Any, unit: Unit, period: Period) -> QuerySet[Finding]:
    return (
        Finding.objects.for_user(user)
        .in_subtree(unit)
        .filter(found_on__gte=period.start, found_on__lt=period.end)
        .select_related("unit", "inspection", "rectification__owner", "rectification__verified_by")
        .order_by("unit__path", "found_on", "pk")
    )


@login_required
def ledger(request: AuthedHttpRequest) -> HttpResponse | FileResponse:
    """The 问题整改台账 of a unit and period as xlsx (title row, frozen header)."""
    user = request.user
    require(user, "rectification.view")
    require(user, "core.export")
    today = timezone.localdate()
    top = Unit.objects.for_user(user).order_by("depth", "pk").first()
    form = LedgerForm(
        request.GET or None,
        user=user,
        initial={"unit": top, "start": dt.date(today.year, 1, 1), "last": today},
    )
    if request.GET and form.is_valid():
        unit, start, last = (form.cleaned_data[k] for k in ("unit", "start", "last"))
        period = Period.inclusive(start, last)
        title = f"{unit.name}问题整改台账（{period.label()}）"
        return xlsx_response(title, LEDGER_COLUMNS, ledger_rows(user, unit, period).iterator())
    return render(
        request,
        "rectification/ledger.html",
        {
            "form": form,
            "page_title": "问题整改台账",
            "breadcrumbs": [
                ("问题与整改", reverse("rectification:finding-list")),
                ("问题整改台账", None),
            ],
        },
    )
