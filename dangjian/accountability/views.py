"""Pages of accountability: decisions, the findings waiting for one, the ledger, and
warning-education sessions."""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.queries import trail
from dangjian.core.dates import cn_date
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import XLSX, exportable
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, cast_subtree, cast_year, year_choices
from dangjian.core.pages import form_page, list_page
from dangjian.core.periods import Period
from dangjian.core.scope import get_scoped, has_capability, require
from dangjian.orgs.models import Unit
from dangjian.orgs.queries import unit_choices
from dangjian.people.models import Person
from dangjian.rectification.models import Finding

from . import actions, queries
from .forms import NoDecisionForm, RecordForm, SessionForm, UnitPickForm
from .ledger import write_ledger
from .models import (
    AccountabilityRecord,
    NoAccountabilityDecision,
    SessionAttachment,
    WarningSession,
)

YEAR_SPAN = 6
LEVELS = dict(AccountabilityRecord.LEVEL_CHOICES)


def _names(items: Any) -> str:
    return "、".join(p.name for p in items.all())


RECORD_SPEC = ListSpec(
    columns=[
        Column("decided_on", "决定日期", lambda r: r.decided_on, sort="decided_on"),
        Column("form", "问责方式", lambda r: r.form_display, sort="form", link=True),
        Column("level", "形态", lambda r: LEVELS.get(r.form_level, ""), sort="form_level"),
        Column("unit", "责任单位", lambda r: r.unit.name, sort="unit__name"),
        Column("people", "被问责人", lambda r: _names(r.people) or "（党组织）"),
        Column("findings", "涉及问题", lambda r: len(r.findings.all())),
        Column("document_number", "文号", lambda r: r.document_number),
        Column("decided_by", "决定机关", lambda r: r.decided_by, sort="decided_by"),
    ],
    search=("document_number__contains", "decided_by__contains", "people__name__contains"),
    filters=[
        Filter("form", "问责方式", "form", choices=list(AccountabilityRecord.Form.choices)),
        Filter(
            "level",
            "形态",
            "form_level",
            choices=[(str(k), v) for k, v in AccountabilityRecord.LEVEL_CHOICES],
            cast=int,
        ),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("year", "年度", "decided_on__year", cast=cast_year),
    ],
    default_sort="-decided_on",
)


def records_for(user: Any) -> QuerySet[AccountabilityRecord]:
    if not has_capability(user, "accountability.view"):
        return AccountabilityRecord.objects.none()
    return queries.records_for(user).distinct()


exportable("accountability", "问责决定", RECORD_SPEC, records_for)


NONE_SPEC = ListSpec(
    columns=[
        Column("decided_on", "决定日期", lambda d: d.decided_on, sort="decided_on"),
        Column("unit", "学校", lambda d: d.finding.unit.name, sort="finding__unit__name"),
        Column("finding", "问题", lambda d: f"{d.finding.area}—{d.finding.description[:40]}"),
        Column("reason", "不予追责理由", lambda d: d.reason),
        Column("decided_by", "决定机关", lambda d: d.decided_by),
    ],
    search=("reason__contains", "finding__description__contains"),
    filters=[
        Filter("unit", "单位", "finding__unit__path__contains", cast=cast_subtree),
        Filter("year", "年度", "decided_on__year", cast=cast_year),
    ],
    default_sort="-decided_on",
)


def no_decisions_for(user: Any) -> QuerySet[NoAccountabilityDecision]:
    if not has_capability(user, "accountability.view"):
        return NoAccountabilityDecision.objects.none()
    return queries.no_decisions_for(user)


exportable("no_accountability", "不予追责决定", NONE_SPEC, no_decisions_for)


def _kind_counts(s: WarningSession) -> str:
    return f"{s.present_count}/{s.expected_count}"


SESSION_SPEC = ListSpec(
    columns=[
        Column("held_on", "日期", lambda s: s.held_on, sort="held_on"),
        Column("topic", "主题", lambda s: s.topic, sort="topic", link=True),
        Column("kind", "形式", lambda s: s.get_kind_display(), sort="kind"),
        Column("unit", "单位", lambda s: s.unit.name, sort="unit__name"),
        Column("attendance", "实到/应到", _kind_counts),
    ],
    search=("topic__contains", "notes__contains"),
    filters=[
        Filter("kind", "形式", "kind", choices=list(WarningSession.Kind.choices)),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("year", "年度", "held_on__year", cast=cast_year),
    ],
    default_sort="-held_on",
)


def sessions_for(user: Any) -> QuerySet[WarningSession]:
    if not has_capability(user, "accountability.session_view"):
        return WarningSession.objects.none()
    return queries.sessions_for(user)


exportable("warning_sessions", "警示教育", SESSION_SPEC, sessions_for)


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("追责问责", reverse("accountability:record-list")), *tail]


# ---- decisions ----


@login_required
def record_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "accountability.view")
    can_create = has_capability(user, "accountability.record_create")
    return list_page(
        request,
        "accountability/record_list.html",
        RECORD_SPEC,
        records_for(user),
        export_name="accountability",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(timezone.localdate()),
        },
        phone=("decided_on", "form", "people"),
        empty=(
            "还没有问责决定",
            "整改逾期或验收两次未通过的问题会出现在“待作追责决定”中，在那里作出决定或说明不予追责的理由。",
            reverse("accountability:pending") if can_create else "",
            "待作追责决定",
        ),
        context={
            "page_title": "追责问责",
            "breadcrumbs": [("追责问责", None)],
            "can_create": can_create,
            "pending_count": (
                queries.needing_decision(user, timezone.localdate()).count() if can_create else 0
            ),
        },
    )


@login_required
def record_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    try:
        rec = queries.records_for(user).get(pk=pk)
    except (AccountabilityRecord.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    require(user, "accountability.view", rec.unit)
    return render(
        request,
        "accountability/record_detail.html",
        {
            "rec": rec,
            "level_label": LEVELS.get(rec.form_level, ""),
            "findings": list(rec.findings.all()),
            "people": list(rec.people.all()),
            "trail": trail(rec),
            "page_title": f"{rec.form_display} · {rec.unit.name}",
            "breadcrumbs": _crumbs((f"{cn_date(rec.decided_on)} {rec.form_display}", None)),
        },
    )


def _decidable_findings(user: Any, unit: Unit) -> QuerySet[Finding]:
    return (
        Finding.objects.for_user(user)
        .filter(unit__path__startswith=unit.path, no_accountability__isnull=True)
        .select_related("unit")
        .order_by("-found_on", "-pk")
    )


@login_required
def record_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "accountability.record_create"):
        raise NotAllowed("您没有执行此操作的权限")
    crumbs = _crumbs(("作出问责决定", None))
    finding = None
    if request.GET.get("finding"):
        finding = get_scoped(Finding, user, pk=request.GET["finding"])
        unit = finding.unit
    elif request.GET.get("unit"):
        unit = get_scoped(Unit, user, pk=request.GET["unit"])
    else:
        pick = UnitPickForm(request.GET or None, units=Unit.objects.for_user(user).order_by("path"))
        return render(
            request,
            "accountability/unit_pick.html",
            {"form": pick, "page_title": "作出问责决定", "breadcrumbs": crumbs},
        )
    require(user, "accountability.record_create", unit)
    today = timezone.localdate()
    people = (
        Person.objects.for_user(user)
        .filter(unit__path__startswith=unit.path, status=Person.Status.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )
    initial: dict[str, Any] = {"decided_on": today, "decided_by": getattr(user.unit, "name", "")}
    if finding is not None:
        initial["findings"] = [finding.pk]
    form = RecordForm(
        request.POST or None,
        findings=_decidable_findings(user, unit),
        people=people,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rec = actions.record_create(
                actor=user,
                unit=unit,
                findings=list(data["findings"]),
                people=list(data["people"]),
                form=data["form"],
                sub_kind=data["sub_kind"],
                form_level=data["form_level"],
                decided_on=data["decided_on"],
                decided_by=data["decided_by"],
                document_number=data["document_number"],
                notes=data["notes"],
                today=today,
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已登记问责决定：{rec.form_display}")
            return redirect(rec)
    return form_page(
        request,
        form,
        title="作出问责决定",
        breadcrumbs=crumbs,
        intro=f"责任单位：{unit.name}",
        submit="登记问责决定",
        cancel=reverse("accountability:pending"),
        context={
            "change_url": reverse("accountability:record-create"),
            "change_label": "更换责任单位",
        },
    )


# ---- findings waiting for a decision ----


@login_required
def pending(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "accountability.view")
    today = timezone.localdate()
    qs = queries.needing_decision(user, today)
    unit_raw = request.GET.get("unit", "")
    if unit_raw.isdigit():
        qs = qs.filter(unit__path__contains=f"/{int(unit_raw)}/")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/pending.html",
        {
            "page": page,
            "rows": queries.pending_rows(list(page.object_list), today),
            "count": page.paginator.count,
            "unit_value": unit_raw,
            "units": unit_choices(user, unit_raw),
            "can_decide": has_capability(user, "accountability.record_create"),
            "can_none": has_capability(user, "accountability.no_decision_create"),
            "page_title": "待作追责决定",
            "breadcrumbs": _crumbs(("待作追责决定", None)),
        },
    )


@login_required
def no_decision_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    finding = get_scoped(Finding, user, pk=pk)
    require(user, "accountability.no_decision_create", finding.unit)
    today = timezone.localdate()
    form = NoDecisionForm(
        request.POST or None,
        initial={"decided_on": today, "decided_by": getattr(user.unit, "name", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.no_decision_create(
                actor=user, finding=finding, today=today, **form.cleaned_data
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已登记不予追责决定（{finding.unit.name}）")
            return redirect("accountability:pending")
    return form_page(
        request,
        form,
        title="登记不予追责的理由",
        breadcrumbs=_crumbs(
            ("待作追责决定", reverse("accountability:pending")), ("不予追责", None)
        ),
        intro=f"问题：{finding.unit.name}，{finding.area}—{finding.description}",
        submit="登记不予追责",
        cancel=reverse("accountability:pending"),
    )


@login_required
def no_decision_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "accountability.view")
    return list_page(
        request,
        "accountability/no_decision_list.html",
        NONE_SPEC,
        no_decisions_for(user),
        export_name="no_accountability",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(timezone.localdate()),
        },
        phone=("decided_on", "unit", "reason"),
        empty=(
            "还没有不予追责的决定",
            "对待作追责决定的问题，经研究不予追责的，在“待作追责决定”中登记理由。",
            "",
            "",
        ),
        context={
            "page_title": "不予追责决定",
            "breadcrumbs": _crumbs(("不予追责决定", None)),
        },
    )


# ---- the ledger ----


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@login_required
def ledger(request: AuthedHttpRequest) -> HttpResponse | FileResponse:
    """问责台账 for any unit in scope and any period (Excel)."""
    user = request.user
    require(user, "accountability.view")
    today = timezone.localdate()
    start = _date(request.GET.get("date_from")) or dt.date(today.year, 1, 1)
    last = _date(request.GET.get("date_to")) or today
    errors = []
    if request.GET.get("date_from") and _date(request.GET.get("date_from")) is None:
        errors.append("「起始日期」：请输入有效日期")
    if request.GET.get("date_to") and _date(request.GET.get("date_to")) is None:
        errors.append("「截止日期」：请输入有效日期")
    if last < start:
        errors.append("「截止日期」：不能早于起始日期")
    unit_raw = request.GET.get("unit", "")
    if unit_raw:
        unit = get_scoped(Unit, user, pk=unit_raw)
    else:
        first = Unit.objects.for_user(user).order_by("depth", "pk").first()
        if first is None:
            raise OutOfScope("未找到该记录")
        unit = first
    period = Period.inclusive(start, last)
    if request.GET.get("download") and not errors:
        actions.ledger_export(actor=user, unit=unit, period=period)
        records, nones = queries.ledger(user, unit, period)
        title = f"{unit.name}问责台账（{period.label()}）"
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115  closed by FileResponse
        write_ledger(tmp.name, title, records, nones)
        tmp.seek(0)
        response = FileResponse(
            tmp, as_attachment=True, filename=f"{title}.xlsx", content_type=XLSX
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
        return response
    records, nones = queries.ledger(user, unit, period)
    return render(
        request,
        "accountability/ledger.html",
        {
            "unit": unit,
            "units": unit_choices(user, str(unit.pk)),
            "date_from": start.isoformat(),
            "date_to": last.isoformat(),
            "period": period,
            "errors": errors,
            "records": records[:20],
            "record_count": len(records),
            "none_count": len(nones),
            "can_export": has_capability(user, "core.export", unit),
            "page_title": "问责台账",
            "breadcrumbs": _crumbs(("问责台账", None)),
        },
    )


# ---- warning education ----


def _session_crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("警示教育", reverse("accountability:session-list")), *tail]


def _session_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.for_user(user).filter(status=Unit.Status.ACTIVE).order_by("path")


@login_required
def session_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "accountability.session_view")
    can_create = has_capability(user, "accountability.session_create")
    return list_page(
        request,
        "accountability/session_list.html",
        SESSION_SPEC,
        sessions_for(user),
        export_name="warning_sessions",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(timezone.localdate()),
        },
        phone=("held_on", "topic", "attendance"),
        empty=(
            "还没有警示教育记录",
            "组织观看警示教育片、参观警示教育基地、召开案例通报会后，在这里登记时间、形式和参加人数。",
            reverse("accountability:session-create") if can_create else "",
            "登记警示教育",
        ),
        context={
            "page_title": "警示教育",
            "breadcrumbs": [("警示教育", None)],
            "can_create": can_create,
        },
    )


@login_required
def session_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "accountability.session_create"):
        raise NotAllowed("您没有执行此操作的权限")
    today = timezone.localdate()
    units = _session_units(user)
    initial = {"held_on": today, "kind": WarningSession.Kind.FILM, "unit": user.unit}
    form = SessionForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            session = actions.session_create(actor=user, today=today, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已登记警示教育：{session.topic}")
            return redirect(session)
    return form_page(
        request,
        form,
        multipart=True,
        title="登记警示教育",
        breadcrumbs=_session_crumbs(("登记警示教育", None)),
        submit="登记",
        cancel=reverse("accountability:session-list"),
    )


@login_required
def session_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    session = get_scoped(WarningSession, user, pk=pk)
    require(user, "accountability.session_view", session.unit)
    return render(
        request,
        "accountability/session_detail.html",
        {
            "s": session,
            "attachments": list(session.attachments.all()),
            "trail": trail(session),
            "page_title": session.topic,
            "breadcrumbs": _session_crumbs((f"{cn_date(session.held_on)} {session.topic}", None)),
        },
    )


@login_required
def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    att = get_scoped(SessionAttachment, request.user, pk=pk)
    require(request.user, "accountability.session_view", att.session.unit)
    inline = att.is_image or att.content_type == "application/pdf"
    return FileResponse(
        att.file.open("rb"),
        as_attachment=not inline,
        filename=att.name,
        content_type=att.content_type,
    )
