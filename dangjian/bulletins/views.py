"""Pages of the monthly bulletin (一月一通报): the issued history, a draft with its live figures
and picked examples, issuing, and the Word document."""

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
from django.views.decorators.http import require_POST

from dangjian.audit.queries import trail
from dangjian.core import figures
from dangjian.core.dates import cn_date
from dangjian.core.documents import DOCX
from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.exports import exportable
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import (
    Column,
    Filter,
    ListSpec,
    cast_month,
    cast_subtree,
    cast_year,
    month_choices,
    year_choices,
)
from dangjian.core.pages import form_page, list_page
from dangjian.core.scope import capability_paths, get_scoped, has_capability, in_scope, require
from dangjian.orgs.models import Unit
from dangjian.orgs.queries import unit_choices
from dangjian.rectification.models import Finding
from dangjian.rectification.queries import overdue_q

from . import actions, content, queries, rules
from .forms import BulletinEditForm, BulletinForm, ExampleForm
from .models import Bulletin, Example

YEAR_SPAN = 6


# who issues bulletins: bureaus and district offices, for the units below them
ISSUER_KINDS = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}


SPEC = ListSpec(
    columns=[
        Column("month", "通报月份", lambda b: b.month_label, sort="month"),
        Column("title", "标题", lambda b: b.title, sort="title", link=True),
        Column("number", "期数", lambda b: b.number_label, sort="number"),
        Column("unit", "通报单位", lambda b: b.unit.name, sort="unit__name"),
        Column("status", "状态", lambda b: b.get_status_display(), sort="status", badge="status"),
        Column("issued_on", "印发日期", lambda b: b.issued_on, sort="issued_on"),
        Column("issued_by", "签发人", lambda b: b.issued_by.display_name if b.issued_by else ""),
    ],
    search=("title__contains",),
    filters=[
        Filter("status", "状态", "status", choices=list(Bulletin.Status.choices)),
        Filter("month", "月份", "month", cast=cast_month),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("year", "年度", "month__year", cast=cast_year),
    ],
    default_sort="-month",
)
exportable("bulletins", "督导通报", SPEC, queries.bulletins_for)


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("督导通报", reverse("bulletins:bulletin-list")), *tail]


def _bulletin(user: Any, pk: int) -> Bulletin:
    """Out of sight is 404: the supervising side's subtree, or issued by a unit above."""
    bulletin = get_scoped(Bulletin, user, pk=pk)
    # the queryset decided what the reader sees (their subtree, or issued from above)
    require(user, "bulletins.view")
    return bulletin


def draftable_units(user: Any) -> QuerySet[Unit]:
    """Units the user may issue bulletins for: their role units and the offices below them."""
    paths = capability_paths(user, "bulletins.bulletin_create")
    qs = Unit.objects.none()
    for path in paths:
        qs = qs | Unit.objects.filter(path__startswith=path)
    return qs.filter(kind__in=ISSUER_KINDS, status=Unit.Status.ACTIVE).order_by("path")


@login_required
def bulletin_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "bulletins.view")
    can_create = has_capability(user, "bulletins.bulletin_create")
    today = timezone.localdate()
    due = rules.due_month(today)
    missing = list(queries.missing_units(user, due)) if can_create else []
    return list_page(
        request,
        "bulletins/list.html",
        SPEC,
        queries.bulletins_for(user),
        export_name="bulletins",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(timezone.localdate()),
            "month": month_choices(today),
        },
        phone=("month", "title", "status"),
        empty=(
            "还没有督导通报",
            "一月一通报：每月10日前印发上月的督导通报，写明督查、问题整改和追责问责情况。",
            reverse("bulletins:bulletin-create") if can_create else "",
            "起草通报",
        ),
        context={
            "page_title": "督导通报",
            "breadcrumbs": [("督导通报", None)],
            "can_create": can_create,
            "missing": missing,
            "due_month": due,
            "due_deadline": rules.deadline(due),
            "late": rules.is_late(due, None, today),
        },
    )


@login_required
def bulletin_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "bulletins.bulletin_create")
    today = timezone.localdate()
    units = draftable_units(user)
    initial: dict[str, Any] = {
        "unit": request.GET.get("unit") or getattr(units.first(), "pk", None),
        "month": request.GET.get("month") or f"{rules.due_month(today):%Y-%m}",
    }
    form = BulletinForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = actions.bulletin_create(
                actor=user,
                unit=data["unit"],
                month=data["month"],
                title=data["title"],
                summary=data["summary"],
                requirements=data["requirements"],
                today=today,
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已起草通报，请挑选典型后签发")
            return redirect(bulletin)
    return form_page(
        request,
        form,
        title="起草督导通报",
        breadcrumbs=_crumbs(("起草通报", None)),
        submit="起草通报",
        cancel=reverse("bulletins:bulletin-list"),
    )


@login_required
def bulletin_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    bulletin = _bulletin(user, pk)
    require(user, "bulletins.bulletin_update", bulletin.unit)
    form = BulletinEditForm(
        request.POST or None,
        initial={
            "title": bulletin.title,
            "summary": bulletin.summary,
            "requirements": bulletin.requirements,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.bulletin_update(
                actor=user,
                bulletin=bulletin,
                title=data["title"],
                summary=data["summary"],
                requirements=data["requirements"],
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已保存")
            return redirect(bulletin)
    return form_page(
        request,
        form,
        title="修改通报",
        breadcrumbs=_crumbs((bulletin.title, bulletin.get_absolute_url()), ("修改", None)),
        submit="保存",
        cancel=bulletin.get_absolute_url(),
    )


def _example_form(user: Any, bulletin: Bulletin, data: Any = None) -> ExampleForm:
    """Schools of the bulletin's subtree; findings found in the month or still overdue."""
    period = content.month_period(bulletin.month)
    schools = (
        Unit.objects.for_user(user)
        .filter(path__startswith=bulletin.unit.path, status=Unit.Status.ACTIVE)
        .exclude(kind__in=ISSUER_KINDS)
        .order_by("path")
    )
    found = Finding.objects.for_user(user).filter(unit__path__startswith=bulletin.unit.path)
    findings = (
        found.filter(found_on__gte=period.start, found_on__lt=period.end)
        | found.filter(overdue_q(period.last), found_on__lte=period.last)
    ).select_related("unit")
    return ExampleForm(data, schools=schools, findings=findings.order_by("unit__path", "-found_on"))


def _figure_cards(bulletin: Bulletin, data: dict[str, Any], drill: bool) -> list[dict[str, Any]]:
    """The month's figures; linked to their rows only for readers of the issuer's subtree (a
    school reading its bureau's bulletin sees the numbers, not other schools' records)."""
    period = content.month_period(bulletin.month)
    cards = []
    for name, fields in content.FIGURES:
        fig = data["figures"][name]
        cards.append(
            {
                "name": name,
                "label": fig["label"],
                "unit_label": fig["unit_label"],
                "value": fig["value"],
                "url": figures.url(name, bulletin.unit, period) if drill else "",
                "parts": [
                    content.parts(data, name, f) for f in fields if content.parts(data, name, f)
                ],
            }
        )
    return cards


def _detail(request: AuthedHttpRequest, bulletin: Bulletin, example_form: Any = None) -> Any:
    user = request.user
    today = timezone.localdate()
    can_edit = bulletin.is_editable and has_capability(
        user, "bulletins.bulletin_update", bulletin.unit
    )
    can_issue = has_capability(user, "bulletins.bulletin_issue", bulletin.unit) and (
        bulletin.status == Bulletin.Status.FAILED
        or (bulletin.is_editable and today >= content.month_period(bulletin.month).end)
    )
    data = bulletin.content or content.compose(bulletin.unit, bulletin.month, today)
    examples = list(bulletin.examples.select_related("unit", "finding__unit"))
    for e in examples:
        e.readable = e.finding is not None and in_scope(user, e.finding.unit)
    if can_edit and example_form is None:
        example_form = _example_form(user, bulletin)
    return render(
        request,
        "bulletins/detail.html",
        {
            "b": bulletin,
            "frozen": bool(bulletin.content),
            "as_of": dt.date.fromisoformat(data["as_of"]),
            "cards": _figure_cards(bulletin, data, in_scope(user, bulletin.unit)),
            "schools": data["schools"],
            "school_columns": content.SCHOOL_COLUMNS,
            "good": [e for e in examples if e.kind == Example.Kind.GOOD],
            "bad": [e for e in examples if e.kind == Example.Kind.BAD],
            "example_form": example_form if can_edit else None,
            "can_edit": can_edit,
            "can_issue": can_issue,
            "month_open": today < content.month_period(bulletin.month).end,
            "deadline": rules.deadline(bulletin.month),
            "late": rules.is_late(bulletin.month, bulletin.issued_on, today),
            "trail": trail(bulletin),
            "page_title": bulletin.title,
            "breadcrumbs": _crumbs((bulletin.month_label, None)),
        },
    )


@login_required
def bulletin_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    bulletin = _bulletin(request.user, pk)
    if request.GET.get("status") and getattr(request, "htmx", False):
        # the page polls while the document is being written, then reloads once
        if bulletin.status == Bulletin.Status.GENERATING:
            return render(request, "bulletins/_generating.html", {"b": bulletin})
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return _detail(request, bulletin)  # type: ignore[no-any-return]


@login_required
@require_POST
def example_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    bulletin = _bulletin(user, pk)
    require(user, "bulletins.example_add", bulletin.unit)
    form = _example_form(user, bulletin, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.example_add(
                actor=user,
                bulletin=bulletin,
                kind=data["kind"],
                unit=data["unit"],
                finding=data["finding"],
                text=data["text"],
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已添加{dict(Example.Kind.choices)[data['kind']]}")
            return redirect(bulletin)
    return _detail(request, bulletin, form)  # type: ignore[no-any-return]


@login_required
@require_POST
def example_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    example = get_scoped(Example, user, pk=pk)
    bulletin = example.bulletin
    try:
        actions.example_remove(actor=user, example=example)
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已删除")
    return redirect(bulletin)


@login_required
@require_POST
def bulletin_issue(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    bulletin = _bulletin(user, pk)
    try:
        bulletin = actions.bulletin_issue(actor=user, bulletin=bulletin)
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, f"已签发{bulletin.number_label}，通报数据已按{cn_date(bulletin.issued_on)}固定"
        )
    return redirect(bulletin)


@login_required
def bulletin_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    bulletin = _bulletin(request.user, pk)
    if bulletin.status != Bulletin.Status.ISSUED or not bulletin.file:
        raise OutOfScope("通报文件尚未生成")
    return FileResponse(
        bulletin.file.open("rb"),
        as_attachment=True,
        filename=f"{bulletin.title}.docx",
        content_type=DOCX,
    )
