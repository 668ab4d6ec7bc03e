"""Pages of the inspection cycle: monthly plans, checklists, inspections, campaigns."""

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
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import exportable
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, cast_month, cast_subtree, month_choices
from dangjian.core.pages import form_page, list_page
from dangjian.core.scope import has_capability, require, scope_paths
from dangjian.orgs.queries import unit_choices

from . import actions, queries, rules
from .forms import (
    CampaignForm,
    ChecklistEditForm,
    ChecklistForm,
    CompleteForm,
    InspectionForm,
    PlanForm,
    RecordForm,
    StartForm,
    items_text,
    parse_month,
)
from .models import Campaign, Checklist, ChecklistItem, Evidence, Inspection, Plan, Result

S = Inspection.Status
OPEN = "open"


def _month_range(raw: str) -> tuple[dt.date, dt.date]:
    start = cast_month(raw)
    return start, rules.next_month(start) - dt.timedelta(days=1)


def _statuses(raw: str) -> list[str]:
    return [S.PLANNED, S.IN_PROGRESS] if raw == OPEN else [raw]


def _can(user: Any, capability: str) -> bool:
    return has_capability(user, capability)


def _may_kind(user: Any, capability: str, unit: Any, kind: str) -> bool:
    try:
        actions.require_kind(user, capability, unit, kind)
    except (NotAllowed, OutOfScope):
        return False
    return True


# ---- inspections ----

INSPECTION_SPEC = ListSpec(
    columns=[
        Column("planned_on", "计划日期", lambda i: i.planned_on, sort="planned_on"),
        Column("unit", "受检学校", lambda i: i.unit.name, sort="unit__name", link=True),
        Column("kind", "检查方式", lambda i: i.get_kind_display(), sort="kind"),
        Column("status", "状态", lambda i: i.get_status_display(), sort="status", badge="status"),
        Column("held_on", "检查日期", lambda i: i.held_on, sort="held_on"),
        Column(
            "lead",
            "检查组长",
            lambda i: (
                (i.lead_inspector.display_name or i.lead_inspector.username)
                if i.lead_inspector
                else ""
            ),
        ),
        Column("unannounced", "暗访", lambda i: i.unannounced),
        Column("campaign", "专项整治", lambda i: i.campaign.name if i.campaign else ""),
    ],
    search=("unit__name__contains", "title__contains"),
    filters=[
        Filter("kind", "检查方式", "kind", choices=list(Inspection.Kind.choices)),
        Filter(
            "status",
            "状态",
            "status__in",
            choices=[(OPEN, "未完成"), *S.choices],
            cast=_statuses,
        ),
        Filter("month", "月份", "planned_on__range", cast=_month_range),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
        Filter("campaign", "专项整治", "campaign_id", cast=int),
    ],
    default_sort="-planned_on",
)


exportable("inspections", "督查记录", INSPECTION_SPEC, queries.inspections_for)


@login_required
def inspection_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    can_create = _can(user, "supervision.inspection_create")
    return list_page(
        request,
        "supervision/inspection_list.html",
        INSPECTION_SPEC,
        queries.inspections_for(user),
        export_name="inspections",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "month": month_choices(timezone.localdate(), ahead=1),
            "campaign": [(str(c.pk), c.name) for c in Campaign.objects.for_user(user)[:50]],
        },
        phone=("planned_on", "unit", "status"),
        empty=(
            "还没有督查记录",
            "制定月度督查计划后，计划中的每所学校会出现在这里；学校自查也可以直接登记。",
            reverse("supervision:inspection-create") if can_create else "",
            "新建督查",
        ),
        context={
            "page_title": "督查记录",
            "breadcrumbs": [("督查记录", None)],
            "can_create": can_create,
            "can_plan": _can(user, "supervision.plan_create"),
        },
    )


def _inspection(user: Any, pk: int) -> Inspection:
    try:
        return queries.inspections_for(user).select_related("checklist").get(pk=pk)
    except (Inspection.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _results(inspection: Inspection) -> dict[int, Result]:
    return {r.item_id: r for r in inspection.results.prefetch_related("evidence")}


def _items(inspection: Inspection) -> list[ChecklistItem]:
    if inspection.checklist_id is None:
        return []
    return list(ChecklistItem.objects.filter(checklist_id=inspection.checklist_id))


@login_required
def inspection_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    inspection = _inspection(user, pk)
    results = _results(inspection)
    items = _items(inspection)
    rows = [(i, results.get(i.pk)) for i in items]
    unit, kind = inspection.unit, inspection.kind
    from dangjian.rectification.models import Finding

    findings = list(Finding.objects.for_user(user).filter(inspection=inspection)[:50])
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "rows": rows,
            "answered": len(results),
            "total_score": sum((r.score for r in results.values()), start=0),
            "max_score": sum(i.score for i in items),
            "inspectors": list(inspection.inspectors.all()),
            "findings": findings,
            # recording a finding from the inspection it came from (rectification's form)
            "can_find": findings is not None
            and inspection.status in (S.IN_PROGRESS, S.DONE)
            and has_capability(user, "rectification.finding_create", unit),
            "can_start": inspection.status == S.PLANNED
            and _may_kind(user, "supervision.inspection_start", unit, kind),
            "can_record": inspection.status == S.IN_PROGRESS
            and _may_kind(user, "supervision.inspection_record", unit, kind),
            "can_complete": inspection.status in (S.PLANNED, S.IN_PROGRESS)
            and _may_kind(user, "supervision.inspection_complete", unit, kind),
            "start_form": StartForm(initial={"held_on": timezone.localdate()}),
            "complete_form": CompleteForm(
                initial={
                    "held_on": inspection.held_on or timezone.localdate(),
                    "notes": inspection.notes,
                }
            ),
            "trail": trail(inspection),
            "page_title": str(inspection),
            "breadcrumbs": [
                ("督查记录", reverse("supervision:inspection-list")),
                (str(inspection), None),
            ],
        },
    )


@login_required
def inspection_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not _can(user, "supervision.inspection_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = InspectionForm(
        request.POST or None, user=user, initial={"planned_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = actions.inspection_create(actor=user, **form.cleaned_data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已新建督查：{inspection}")
            return redirect(inspection)
    return _form(
        request,
        form,
        title="新建督查",
        crumbs=[("督查记录", reverse("supervision:inspection-list")), ("新建督查", None)],
        submit="保存",
        cancel=reverse("supervision:inspection-list"),
    )


def _form(
    request: AuthedHttpRequest,
    form: Any,
    *,
    title: str,
    crumbs: list[tuple[str, str | None]],
    submit: str,
    cancel: str,
    intro: str = "",
    multipart: bool = False,
) -> HttpResponse:
    return form_page(
        request,
        form,
        title=title,
        breadcrumbs=crumbs,
        submit=submit,
        cancel=cancel,
        intro=intro,
        multipart=multipart,
    )


@login_required
@require_POST
def inspection_start(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection(user, pk)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的检查日期")
        return redirect(inspection)
    try:
        actions.inspection_start(
            actor=user, inspection=inspection, held_on=form.cleaned_data["held_on"]
        )
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "督查已开始，可以逐项登记检查结果")
    return redirect(inspection)


@login_required
def inspection_record(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection(user, pk)
    actions.require_kind(user, "supervision.inspection_record", inspection.unit, inspection.kind)
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        items=_items(inspection),
        existing=_results(inspection),
        initial={"notes": inspection.notes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.inspection_record(
                actor=user,
                inspection=inspection,
                results=form.results(),
                notes=form.cleaned_data["notes"],
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已保存检查结果")
            return redirect(inspection)
    return render(
        request,
        "supervision/inspection_record.html",
        {
            "inspection": inspection,
            "form": form,
            "rows": form.rows(),
            "existing": _results(inspection),
            "page_title": f"登记检查结果 · {inspection}",
            "breadcrumbs": [
                ("督查记录", reverse("supervision:inspection-list")),
                (str(inspection), inspection.get_absolute_url()),
                ("登记检查结果", None),
            ],
        },
    )


@login_required
@require_POST
def inspection_complete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    inspection = _inspection(user, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的检查日期")
        return redirect(inspection)
    try:
        actions.inspection_complete(actor=user, inspection=inspection, **form.cleaned_data)
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "督查已完成")
    return redirect(inspection)


@login_required
def evidence_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    require(request.user, "supervision.view")
    try:
        ev = Evidence.objects.for_user(request.user).get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    inline = ev.is_image or ev.content_type == "application/pdf"
    return FileResponse(
        ev.file.open("rb"), as_attachment=not inline, filename=ev.name, content_type=ev.content_type
    )


# ---- plans ----


PLAN_SPEC = ListSpec(
    columns=[
        Column("month", "月份", lambda p: p.month_label, sort="month"),
        Column("title", "名称", lambda p: p.title, sort="title", link=True),
        Column("unit", "计划单位", lambda p: p.unit.name, sort="unit__name"),
        Column("kind", "检查方式", lambda p: p.get_kind_display(), sort="kind"),
        Column("checklist", "督查清单", lambda p: p.checklist.name if p.checklist else ""),
        Column("progress", "完成/计划", lambda p: f"{p.done}/{p.planned}"),
    ],
    search=("title__contains",),
    filters=[
        Filter("kind", "检查方式", "kind", choices=list(Inspection.Kind.choices)),
        Filter("month", "月份", "month__range", cast=_month_range),
        Filter("unit", "单位", "unit__path__contains", cast=cast_subtree),
    ],
    default_sort="-month",
)
exportable("plans", "督查计划", PLAN_SPEC, queries.plans_for)


@login_required
def plan_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    today = timezone.localdate()
    can_create = _can(user, "supervision.plan_create")
    month = rules.month_start(today)
    raw = request.GET.get("uninspected", "")
    if raw:
        try:
            month = parse_month(raw)
        except Exception:
            month = rules.month_start(today)
    uninspected = (
        list(queries.uninspected_schools(scope_paths(user), month)[:200]) if can_create else []
    )
    return list_page(
        request,
        "supervision/plan_list.html",
        PLAN_SPEC,
        queries.plans_for(user),
        export_name="plans",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "month": month_choices(today, ahead=1),
        },
        phone=("month", "title", "progress"),
        empty=(
            "本月尚无督查计划",
            "一月一督察：每月为辖区学校安排学区巡查、挂联复查或督导组抽查，新建一个计划。",
            reverse("supervision:plan-create") if can_create else "",
            "新建督查计划",
        ),
        context={
            "page_title": "督查计划",
            "breadcrumbs": [("督查计划", None)],
            "can_create": can_create,
            "uninspected": uninspected,
            "uninspected_month": month,
            "month_past": rules.next_month(month) <= today,
        },
    )


@login_required
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    try:
        plan = queries.plans_for(user).select_related("campaign").get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    rows = list(
        queries.inspections_for(user).filter(plan=plan).order_by("planned_on", "unit__path")
    )
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "inspectors": list(plan.inspectors.all()),
            "trail": trail(plan),
            "page_title": plan.title,
            "breadcrumbs": [("督查计划", reverse("supervision:plan-list")), (plan.title, None)],
        },
    )


def _plan_schools(form: PlanForm, user: Any) -> list[Any]:
    from .forms import schools

    unit = form.cleaned_data["unit"]
    selection = form.cleaned_data["selection"]
    if selection == "pick":
        return list(form.cleaned_data["schools"])
    pool = list(schools(user).filter(path__startswith=unit.path))
    if selection == "all":
        return pool
    month = form.cleaned_data["month"]
    seed = month.year * 100 + month.month + unit.pk * 1000
    picked = set(rules.spot_check_sample([s.pk for s in pool], queries.spot_check_ratio(), seed))
    return [s for s in pool if s.pk in picked]


@login_required
def plan_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not _can(user, "supervision.plan_create"):
        raise NotAllowed("您没有执行此操作的权限")
    today = timezone.localdate()
    form = PlanForm(
        request.POST or None,
        user=user,
        initial={"month": f"{today:%Y-%m}", "planned_on": today, "selection": "pick"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = _plan_schools(form, user)
        try:
            plan = actions.plan_create(
                actor=user,
                unit=data["unit"],
                month=data["month"],
                kind=data["kind"],
                schools=[(s, data["planned_on"]) for s in picked],
                title=data["title"],
                checklist=data["checklist"],
                campaign=data["campaign"],
                inspectors=list(data["inspectors"]),
                lead_inspector=data["lead_inspector"],
                unannounced=data["unannounced"],
                notes=data["notes"],
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已制定计划，安排督查{len(picked)}所学校")
            return redirect(plan)
    ratio = int(queries.spot_check_ratio() * 100)
    return _form(
        request,
        form,
        title="新建督查计划",
        crumbs=[("督查计划", reverse("supervision:plan-list")), ("新建督查计划", None)],
        submit="制定计划",
        cancel=reverse("supervision:plan-list"),
        intro=f"一月一督察。按比例抽查时随机抽取计划单位下{ratio}%的学校（至少一所）；"
        "每所学校生成一条“已计划”的督查。",
    )


# ---- checklists ----


CHECKLIST_SPEC = ListSpec(
    columns=[
        Column("name", "名称", lambda c: c.name, sort="name", link=True),
        Column("unit", "制定单位", lambda c: c.unit.name, sort="unit__name"),
        Column("items", "项目数", lambda c: c.item_count),
        Column("active", "启用", lambda c: c.is_active),
        Column("created", "制定时间", lambda c: c.created_at, sort="created_at"),
    ],
    search=("name__contains",),
    default_sort="-created",
)


@login_required
def checklist_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    can_create = _can(user, "supervision.checklist_create")
    return list_page(
        request,
        "supervision/checklist_list.html",
        CHECKLIST_SPEC,
        queries.checklists_for(user),
        export_name="checklists",
        phone=("name", "items"),
        empty=(
            "还没有督查清单",
            "督查清单按检查领域列出检查项目、标准和分值，督查时逐项打分。",
            reverse("supervision:checklist-create") if can_create else "",
            "新建督查清单",
        ),
        context={
            "page_title": "督查清单",
            "breadcrumbs": [("督查清单", None)],
            "can_create": can_create,
        },
    )


exportable("checklists", "督查清单", CHECKLIST_SPEC, queries.checklists_for)


def _checklist(user: Any, pk: int) -> Checklist:
    try:
        return Checklist.objects.for_user(user).select_related("unit").get(pk=pk)
    except (Checklist.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


@login_required
def checklist_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    checklist = _checklist(user, pk)
    items = list(checklist.items.all())
    areas: dict[str, list[ChecklistItem]] = {}
    for i in items:
        areas.setdefault(i.area, []).append(i)
    return render(
        request,
        "supervision/checklist_detail.html",
        {
            "checklist": checklist,
            "areas": [(a, rows, sum(r.score for r in rows)) for a, rows in areas.items()],
            "total": sum(i.score for i in items),
            "used": Inspection.objects.for_user(user).filter(checklist=checklist).count(),
            "can_edit": has_capability(user, "supervision.checklist_update", checklist.unit),
            "trail": trail(checklist),
            "page_title": checklist.name,
            "breadcrumbs": [
                ("督查清单", reverse("supervision:checklist-list")),
                (checklist.name, None),
            ],
        },
    )


@login_required
def checklist_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not _can(user, "supervision.checklist_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = ChecklistForm(request.POST or None, user=user, capability="supervision.checklist_create")
    if request.method == "POST" and form.is_valid():
        try:
            checklist = actions.checklist_create(actor=user, **form.cleaned_data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已制定督查清单「{checklist.name}」")
            return redirect(checklist)
    return _form(
        request,
        form,
        title="新建督查清单",
        crumbs=[("督查清单", reverse("supervision:checklist-list")), ("新建", None)],
        submit="保存",
        cancel=reverse("supervision:checklist-list"),
    )


@login_required
def checklist_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    checklist = _checklist(user, pk)
    require(user, "supervision.checklist_update", checklist.unit)
    form = ChecklistEditForm(
        request.POST or None,
        user=user,
        capability="supervision.checklist_update",
        initial={
            "name": checklist.name,
            "description": checklist.description,
            "items": items_text(checklist),
            "is_active": checklist.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.checklist_update(actor=user, checklist=checklist, **form.cleaned_data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已保存督查清单")
            return redirect(checklist)
    return _form(
        request,
        form,
        title=f"修改 · {checklist.name}",
        crumbs=[(checklist.name, checklist.get_absolute_url()), ("修改", None)],
        submit="保存",
        cancel=checklist.get_absolute_url(),
        intro="已用于督查的清单只能修改名称、说明和是否启用。",
    )


# ---- campaigns ----


CAMPAIGN_SPEC = ListSpec(
    columns=[
        Column("name", "名称", lambda c: c.name, sort="name", link=True),
        Column("unit", "牵头单位", lambda c: c.unit.name, sort="unit__name"),
        Column("areas", "整治重点", lambda c: "、".join(c.key_areas)),
        Column("starts_on", "开始日期", lambda c: c.starts_on, sort="starts_on"),
        Column("ends_on", "结束日期", lambda c: c.ends_on, sort="ends_on"),
        Column("schools", "覆盖学校", lambda c: c.school_count),
        Column("inspections", "检查次数", lambda c: c.inspection_count),
    ],
    search=("name__contains",),
    default_sort="-starts_on",
)
exportable("campaigns", "专项整治", CAMPAIGN_SPEC, queries.campaigns_for)


@login_required
def campaign_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    can_create = _can(user, "supervision.campaign_create")
    return list_page(
        request,
        "supervision/campaign_list.html",
        CAMPAIGN_SPEC,
        queries.campaigns_for(user),
        export_name="campaigns",
        phone=("name", "inspections"),
        empty=(
            "还没有专项整治",
            "针对教辅、保险、食堂、入学等重点领域开展专项整治，检查和问题会汇总到这里。",
            reverse("supervision:campaign-create") if can_create else "",
            "新建专项整治",
        ),
        context={
            "page_title": "专项整治",
            "breadcrumbs": [("专项整治", None)],
            "can_create": can_create,
        },
    )


@login_required
def campaign_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "supervision.view")
    try:
        campaign = Campaign.objects.for_user(user).select_related("unit").get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    recent: QuerySet[Inspection] = queries.inspections_for(user).filter(campaign=campaign)
    return render(
        request,
        "supervision/campaign_detail.html",
        {
            "campaign": campaign,
            "rollup": queries.campaign_rollup(campaign, user),
            "schools": list(campaign.schools.order_by("path")),
            "recent": list(recent.order_by("-planned_on", "-id")[:20]),
            "list_url": reverse("supervision:inspection-list") + f"?campaign={campaign.pk}",
            "can_plan": _can(user, "supervision.plan_create"),
            "trail": trail(campaign),
            "page_title": campaign.name,
            "breadcrumbs": [
                ("专项整治", reverse("supervision:campaign-list")),
                (campaign.name, None),
            ],
        },
    )


@login_required
def campaign_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not _can(user, "supervision.campaign_create"):
        raise NotAllowed("您没有执行此操作的权限")
    form = CampaignForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["schools"] = list(data["schools"])
        try:
            campaign = actions.campaign_create(actor=user, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已新建专项整治「{campaign.name}」")
            return redirect(campaign)
    return _form(
        request,
        form,
        title="新建专项整治",
        crumbs=[("专项整治", reverse("supervision:campaign-list")), ("新建", None)],
        submit="保存",
        cancel=reverse("supervision:campaign-list"),
    )
