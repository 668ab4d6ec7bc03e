"""Home, search, figures pages, jobs and the generic export endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import figures
from .exports import EXPORTABLE, xlsx_response
from .http import AuthedHttpRequest
from .listing import apply
from .models import Job
from .periods import Period
from .scope import get_scoped, has_capability, require


def parse_period(params: Any, default_year: int | None = None) -> Period:
    """?start=YYYY-MM-DD&end=YYYY-MM-DD (inclusive), default: the current year."""
    from django.utils import timezone

    year = default_year or timezone.localdate().year
    try:
        start = dt.date.fromisoformat(params.get("start") or f"{year}-01-01")
        last = dt.date.fromisoformat(params.get("end") or f"{year}-12-31")
    except ValueError as exc:
        raise ValueError("「起止日期」：请输入有效日期，格式为 YYYY-MM-DD") from exc
    if last < start:
        raise ValueError("「结束日期」：不能早于开始日期")
    return Period.inclusive(start, last)


def scoped_unit(user: Any, unit_id: Any) -> Any:
    """The unit a figure or list is asked for, default the user's top scope unit."""
    from dangjian.orgs.models import Unit

    if unit_id:
        return get_scoped(Unit, user, pk=unit_id)
    unit = Unit.objects.for_user(user).order_by("depth", "pk").first()
    if unit is None:
        raise Http404("未找到该记录")
    return unit


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    from .home import home_context

    return render(request, "core/home.html", home_context(request.user))


@login_required
def search(request: AuthedHttpRequest) -> HttpResponse:
    from dangjian.orgs.models import Unit
    from dangjian.people.models import Person

    require(request.user, "orgs.view")
    q = request.GET.get("q", "").strip()
    units = people = []
    if q:
        units = list(
            Unit.objects.for_user(request.user).filter(Q(name__contains=q) | Q(code=q.upper()))[:20]
        )
        people = list(
            Person.objects.for_user(request.user)
            .filter(name__contains=q)
            .select_related("unit")[:20]
        )
    return render(
        request,
        "core/search.html",
        {
            "q": q,
            "units": units,
            "people": people,
            "page_title": "搜索",
            "breadcrumbs": [("搜索", None)],
        },
    )


@login_required
def figure_list(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "figures.view")
    try:
        period = parse_period(request.GET)
    except ValueError as exc:
        period = parse_period({})
        from django.contrib import messages

        messages.error(request, str(exc))
    from dangjian.orgs.models import Unit

    unit = scoped_unit(request.user, request.GET.get("unit"))
    items = [
        {
            "figure": fig,
            "value": figures.value(fig.name, unit, period),
            "url": figures.url(fig.name, unit, period),
            "breakdown": figures.breakdown(fig.name, unit, period),
        }
        for fig in figures.REGISTRY.values()
    ]
    return render(
        request,
        "core/figure_list.html",
        {
            "items": items,
            "unit": unit,
            "unit_choices": Unit.objects.for_user(request.user)
            .only("pk", "name")
            .order_by("path")[:2000],
            "period": period,
            "page_title": "统计指标",
            "breadcrumbs": [("统计指标", None)],
        },
    )


@login_required
def figure_rows(request: AuthedHttpRequest, name: str) -> HttpResponse:
    require(request.user, "figures.view")
    if name not in figures.REGISTRY:
        raise Http404("未找到该指标")
    try:
        period = parse_period(request.GET)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    unit = scoped_unit(request.user, request.GET.get("unit"))
    fig = figures.get(name)
    rows = figures.rows(name, unit, period)
    by_label = None
    by = request.GET.get("by")
    if by and fig.breakdown:
        choices = dict(rows.model._meta.get_field(fig.breakdown).choices or [])
        if by in choices:
            rows = rows.filter(**{fig.breakdown: by})
            by_label = str(choices[by])
    from django.core.paginator import Paginator

    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/figure_rows.html",
        {
            "fig": fig,
            "unit": unit,
            "period": period,
            "page": page,
            "by_label": by_label,
            "value": (
                figures.value(name, unit, period)
                if fig.ratio and not by_label
                else figures.plain(rows.aggregate(v=fig.aggregate())["v"])
            ),
            "page_title": fig.label,
            "breadcrumbs": [("统计指标", "/figures/"), (fig.label, None)],
        },
    )


@login_required
def export(request: AuthedHttpRequest, name: str) -> HttpResponse | FileResponse:
    """Export a registered list exactly as filtered by the query string."""
    source = EXPORTABLE.get(name)
    if source is None:
        raise Http404("未找到该列表")
    if not has_capability(request.user, source.capability):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您没有导出权限")
    qs, _ = apply(source.spec, source.queryset(request.user), request.GET)
    if qs.count() <= settings.EXPORT_SYNC_MAX_ROWS:
        from .actions import export_record

        export_record(actor=request.user, name=name, query=request.GET.urlencode())
        return xlsx_response(source.title, source.spec.columns, qs.iterator(2000))
    from .actions import export_job_create

    job = export_job_create(actor=request.user, name=name, query=request.GET.urlencode())
    return redirect("core:job-detail", job.pk)


@login_required
def job_list(request: AuthedHttpRequest) -> HttpResponse:
    jobs = Job.objects.filter(requested_by=request.user)[:50]
    return render(
        request,
        "core/job_list.html",
        {"jobs": jobs, "page_title": "我的任务", "breadcrumbs": [("我的任务", None)]},
    )


def _own_job(request: AuthedHttpRequest, pk: int) -> Job:
    job = Job.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404("未找到该任务")
    return job


@login_required
def job_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    if request.GET.get("partial"):
        return render(request, "core/_job.html", {"job": job})
    return render(
        request,
        "core/job_detail.html",
        {
            "job": job,
            "page_title": job.title,
            "breadcrumbs": [("我的任务", "/jobs/"), (job.title, None)],
        },
    )


@login_required
def job_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    job = _own_job(request, pk)
    if not job.result_file:
        raise Http404("该任务没有结果文件")
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )


def root(request: HttpRequest) -> HttpResponse:
    return redirect("core:home")


def api_fallback(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unmatched /api/ paths: a trailing slash is redirected (308 keeps method and body) to the
    canonical path when that exists; anything else gets the API's JSON 404, never HTML."""
    from django.http import HttpResponsePermanentRedirect, JsonResponse
    from django.urls import Resolver404, resolve

    path = request.path
    if path.endswith("/") and len(path) > len("/api/v1/"):
        try:
            resolve(path.rstrip("/"))
        except Resolver404:
            pass
        else:
            query = request.META.get("QUERY_STRING", "")
            target = path.rstrip("/") + (f"?{query}" if query else "")
            response = HttpResponsePermanentRedirect(target)
            response.status_code = 308
            return response
    return JsonResponse(
        {"field": None, "label": None, "message": "未找到该接口"},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
