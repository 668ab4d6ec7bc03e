"""Pages of organisational life: meetings, the compliance calendar, re-elections, checklists,
model posts / responsibility zones / pledges."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.audit.queries import trail
from dangjian.core.dates import cn_date
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.core.exports import exportable
from dangjian.core.forms import add_action_error
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, cast_subtree, cast_year, year_choices
from dangjian.core.pages import form_page, list_page
from dangjian.core.scope import get_scoped, has_capability, require, scope_paths
from dangjian.orgs.models import PartyOrg, Unit
from dangjian.orgs.queries import unit_choices
from dangjian.party.models import PartyMember

from . import actions, queries, rules
from .forms import (
    AttachmentForm,
    ChecklistForm,
    MeetingForm,
    OrgPickForm,
    VanguardCloseForm,
    VanguardForm,
    attendance_in,
    attendance_rows,
    branch_members,
)
from .models import (
    Attachment,
    Attendance,
    Meeting,
    StandardAssessment,
    StandardChecklist,
    StandardScore,
    Vanguard,
)

YEAR_SPAN = 6
BRANCHES_PER_PAGE = 100  # the compliance drill-down pages through every branch


def _month(raw: str) -> int:
    month = int(raw)
    if not 1 <= month <= 12:
        raise ValueError(raw)
    return month


def _attendance_text(m: Meeting) -> str:
    if not m.expected_count:
        return "未登记"
    text = f"{m.present_count}/{m.expected_count}"
    return text + (f"（请假{m.excused_count}）" if m.excused_count else "")


MEETING_SPEC = ListSpec(
    columns=[
        Column("held_on", "日期", lambda m: m.held_on, sort="held_on"),
        Column("kind", "会议类型", lambda m: m.kinds_display(), sort="kind", link=True),
        Column("org", "党组织", lambda m: m.org.name, sort="org__name"),
        Column("unit", "单位", lambda m: m.org.unit.name, sort="org__unit__name"),
        Column("topics", "议题/主题", lambda m: m.topics[:40]),
        Column("host", "主持人/主讲人", lambda m: m.host.name if m.host else ""),
        Column("attendance", "出席/应到", _attendance_text),
        Column("late", "补录", lambda m: m.is_late_entry),
    ],
    search=("topics__contains", "place__contains", "org__name__contains"),
    filters=[
        Filter("kind", "会议类型", "tags__kind", choices=list(Meeting.Kind.choices)),
        Filter("unit", "单位", "org__unit__path__contains", cast=cast_subtree),
        Filter("year", "年度", "held_on__year", cast=cast_year),
        Filter(
            "month",
            "月份",
            "held_on__month",
            choices=[(str(m), f"{m}月") for m in range(1, 13)],
            cast=_month,
        ),
    ],
    default_sort="-held_on",
)


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return queries.meetings_for(user)


exportable("meetings", "组织生活记录", MEETING_SPEC, meetings_for)


# ---- meetings ----


@login_required
def meeting_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    can_create = has_capability(user, "orglife.meeting_create")
    return list_page(
        request,
        "orglife/meeting_list.html",
        MEETING_SPEC,
        meetings_for(user),
        export_name="meetings",
        choices={
            "unit": unit_choices(user, request.GET.get("unit", "")),
            "year": year_choices(timezone.localdate()),
        },
        phone=("held_on", "kind", "attendance"),
        empty=(
            "还没有组织生活记录",
            "召开支部党员大会、支委会、党小组会、党课或主题党日后，在这里登记时间、出勤和会议记录。",
            reverse("orglife:meeting-create") if can_create else "",
            "登记组织生活",
        ),
        context={
            "page_title": "组织生活",
            "breadcrumbs": [("组织生活", None)],
            "can_create": can_create,
            "can_import": _can_import(user),
        },
    )


def _can_import(user: Any, unit: Any = None) -> bool:
    """May import attendance (anywhere in scope, or at `unit`)."""
    return has_capability(user, "core.import", unit) and has_capability(
        user, "orglife.attendance_set", unit
    )


def _meeting(user: Any, pk: int) -> Meeting:
    try:
        return (
            Meeting.objects.for_user(user)
            .select_related("org__unit", "org__parent", "host")
            .get(pk=pk)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


@login_required
def meeting_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    meeting = _meeting(user, pk)
    rows = list(
        meeting.attendance.select_related("member__person").order_by(
            "status", "member__person__name"
        )
    )
    editable = meeting.org.unit.is_active and has_capability(
        user, "orglife.meeting_update", meeting.org.unit
    )
    tags = {t.kind: t.qualifies for t in meeting.tags.all()}
    return render(
        request,
        "orglife/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": rows,
            "attachments": list(meeting.attachments.all()),
            "tags": [(rules.KIND_LABELS[rules.Kind(k)], ok) for k, ok in tags.items()],
            "can_edit": editable,
            "can_import": editable and _can_import(user, meeting.org.unit),
            "can_attach": editable
            and has_capability(user, "orglife.attachment_add", meeting.org.unit),
            "can_remove": editable
            and has_capability(user, "orglife.attachment_remove", meeting.org.unit),
            "attach_form": AttachmentForm(),
            "trail": trail(meeting),
            "page_title": f"{meeting.get_kind_display()} · {meeting.org.name}",
            "breadcrumbs": [
                ("组织生活", reverse("orglife:meeting-list")),
                (f"{cn_date(meeting.held_on)} {meeting.get_kind_display()}", None),
            ],
        },
    )


def _meeting_form_page(
    request: AuthedHttpRequest,
    form: Any,
    rows: list[dict[str, Any]],
    *,
    org: PartyOrg,
    title: str,
    cancel: str,
    crumbs: list[tuple[str, str | None]],
) -> HttpResponse:
    return render(
        request,
        "orglife/meeting_form.html",
        {
            "form": form,
            "org": org,
            "rows": rows,
            "statuses": Attendance.Status.choices,
            "grades": Attendance.Grade.choices,
            "page_title": title,
            "breadcrumbs": crumbs,
            "cancel_url": cancel,
        },
    )


@login_required
def meeting_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "orglife.meeting_create"):
        raise NotAllowed("您没有执行此操作的权限")
    crumbs: list[tuple[str, str | None]] = [
        ("组织生活", reverse("orglife:meeting-list")),
        ("登记组织生活", None),
    ]
    raw = request.GET.get("org")
    if not raw:
        pick = OrgPickForm(request.GET or None, user=user)
        return render(
            request,
            "orglife/org_pick.html",
            {"form": pick, "page_title": "登记组织生活", "breadcrumbs": crumbs},
        )
    org = get_scoped(PartyOrg, user, pk=raw)
    require(user, "orglife.meeting_create", org.unit)
    today = timezone.localdate()
    initial = {
        "held_on": today,
        "kind": Meeting.Kind.GROUP if org.kind == PartyOrg.Kind.GROUP else Meeting.Kind.THEME_DAY,
    }
    form = MeetingForm(
        request.POST or None, request.FILES or None, org=org, user=user, initial=initial
    )
    day = today
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["held_on"]
    members = branch_members(org, day)
    rows = attendance_rows(members, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments")
        try:
            meeting = actions.meeting_create(
                actor=user,
                org=org,
                attendance=attendance_in(rows),
                attachments=files,
                **data,
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已登记{meeting.get_kind_display()}（{meeting.org.name}）")
            return redirect(meeting)
    return _meeting_form_page(
        request,
        form,
        rows,
        org=org,
        title=f"登记组织生活 · {org.name}",
        cancel=reverse("orglife:meeting-list"),
        crumbs=crumbs,
    )


@login_required
def meeting_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(user, pk)
    require(user, "orglife.meeting_update", meeting.org.unit)
    org = meeting.org
    initial = {
        "kind": meeting.kind,
        "also_counts_as": meeting.also_counts_as,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "topics": meeting.topics,
        "host": meeting.host,
        "minutes": meeting.minutes,
    }
    form = MeetingForm(request.POST or None, org=org, user=user, initial=initial)
    del form.fields["attachments"]  # added on the detail page
    existing = {a.member_id: a for a in meeting.attendance.select_related("member__person")}
    day = meeting.held_on
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["held_on"]
    members = branch_members(org, day)
    known = {m.pk for m in members}
    members += [a.member for a in existing.values() if a.member_id not in known]
    rows = attendance_rows(members, request.POST if request.method == "POST" else None, existing)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        changes.setdefault("also_counts_as", [])
        try:
            actions.meeting_update(
                actor=user, meeting=meeting, attendance=attendance_in(rows), **changes
            )
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已保存组织生活记录")
            return redirect(meeting)
    return _meeting_form_page(
        request,
        form,
        rows,
        org=org,
        title=f"修改 · {meeting.get_kind_display()}",
        cancel=meeting.get_absolute_url(),
        crumbs=[(str(meeting), meeting.get_absolute_url()), ("修改", None)],
    )


@login_required
@require_POST
def attachment_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = _meeting(user, pk)
    require(user, "orglife.attachment_add", meeting.org.unit)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = actions.attachment_add(
                actor=user, meeting=meeting, files=form.cleaned_data["attachments"]
            )
        except ActionError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, f"已上传{len(added)}个附件")
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(meeting)


def _attachment(user: Any, pk: int) -> Attachment:
    try:
        return Attachment.objects.for_user(user).select_related("meeting__org__unit").get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


@login_required
def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    require(request.user, "orglife.view")
    att = _attachment(request.user, pk)
    inline = att.is_image or att.content_type == "application/pdf"
    return FileResponse(
        att.file.open("rb"),
        as_attachment=not inline,
        filename=att.name,
        content_type=att.content_type,
    )


@login_required
@require_POST
def attachment_remove(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    att = _attachment(request.user, pk)
    meeting = actions.attachment_remove(actor=request.user, attachment=att)
    messages.success(request, f"已删除附件「{att.name}」")
    return redirect(meeting)


# ---- the compliance calendar ----


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


@login_required
def compliance(request: AuthedHttpRequest) -> HttpResponse:
    """One branch's calendar (?org=), or the roll-up of a unit subtree (?unit=), for ?year=."""
    user = request.user
    require(user, "orglife.view")
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    if not 2000 <= year <= 2100:
        year = today.year
    rows = queries.calendar_rows(year)
    ctx: dict[str, Any] = {
        "year": year,
        "today": today,
        "years": [y for y, _ in year_choices(timezone.localdate())],
        "calendar_rows": rows,
        "months": rules.periods(year, rules.Span.MONTH),
        "quarters": rules.periods(year, rules.Span.QUARTER),
        "can_record": has_capability(user, "orglife.meeting_create"),
    }
    if request.GET.get("org"):
        org = get_scoped(PartyOrg, user, pk=request.GET["org"])
        rollup = queries.compliance(year, today, org_ids=[org.pk])
        branch = next((b for b in rollup.branches if b.id == org.pk), None)
        ctx.update(
            org=org,
            branches=rollup.branches,
            branch=branch,
            cells={(c.kind, c.period.key): c for c in branch.cells} if branch else {},
            owed=[(rules.KIND_LABELS[c.kind], c) for c in rules.owed_now(branch.cells, today)]
            if branch
            else [],
            page_title=f"组织生活日历 · {org.name}",
            breadcrumbs=[
                (
                    "组织生活日历",
                    reverse("orglife:compliance") + f"?year={year}&unit={org.unit_id}",
                ),
                (org.name, None),
            ],
        )
        return render(request, "orglife/compliance_branch.html", ctx)
    raw_unit = request.GET.get("unit")
    unit: Any
    if raw_unit:
        unit = get_scoped(Unit, user, pk=raw_unit)
        paths = [unit.path]
    else:
        unit = Unit.objects.for_user(user).order_by("depth", "pk").first()
        paths = scope_paths(user)
    rollup = queries.compliance(year, today, paths=paths)
    kind = request.GET.get("kind", "")
    period = request.GET.get("period", "")
    verdict = request.GET.get("verdict", "")
    listed = rollup.branches
    # the home to-dos "not yet held this month / quarter": exactly the owed (branch, kind) pairs
    owed_span = request.GET.get("owed", "")
    owed_kinds: dict[int, list[str]] = {}
    if owed_span in (rules.Span.MONTH, rules.Span.QUARTER):
        current = rules.period_of(today, rules.Span(owed_span))
        for b, c in rollup.owed_now():
            if c.period == current:
                owed_kinds.setdefault(b.id, []).append(rules.KIND_LABELS[c.kind])
        listed = [b for b in listed if b.id in owed_kinds]
        verdict = ""
    elif verdict in {v.value for v in rules.Verdict}:

        def matches(c: rules.Cell) -> bool:
            return (
                c.verdict == verdict
                and (not kind or c.kind == kind)
                and (not period or c.period.key == period)
            )

        listed = [b for b in listed if any(matches(c) for c in b.cells)]
        # the cells behind the count (e.g. the home to-do "missed this year")
        owed_kinds = {
            b.id: [rules.KIND_LABELS[c.kind] for c in b.cells if matches(c)] for b in listed
        }
    else:
        verdict = ""
        listed = sorted(listed, key=lambda b: (-b.missed, -b.at_risk, b.unit_name))
    if owed_span not in (rules.Span.MONTH, rules.Span.QUARTER):
        owed_span = ""
    listed_page = Paginator(listed, BRANCHES_PER_PAGE).get_page(request.GET.get("page"))
    owed = rollup.owed_now()
    owed_by_kind = Counter(c.kind for _, c in owed)
    compliant, judged = queries.branch_months(rollup, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    if len(rollup.branches) == 1 and not verdict and not owed_span:
        only = rollup.branches[0]
        return redirect(reverse("orglife:compliance") + f"?year={year}&org={only.id}")
    ctx.update(
        unit=unit,
        rollup=rollup,
        grid=rollup.grid,
        listed=[(b, "、".join(owed_kinds.get(b.id, []))) for b in listed_page.object_list],
        listed_page=listed_page,
        owed_span=owed_span,
        matched_items=sum(len(v) for v in owed_kinds.values()),
        listed_total=len(listed),
        kind=kind,
        period=period,
        verdict=verdict,
        verdict_label=rules.VERDICT_LABELS.get(verdict, ""),
        kind_label=rules.KIND_LABELS.get(kind, "") if kind else "",
        owed_by_kind=[(rules.KIND_LABELS[k], n) for k, n in owed_by_kind.most_common()],
        owed_total=len(owed),
        missed_total=sum(b.missed for b in rollup.branches),
        missed_branches=sum(1 for b in rollup.branches if b.missed),
        compliant_months=compliant,
        judged_months=judged,
        rate=round(100 * compliant / judged) if judged else None,
        unit_choices=unit_choices(user, str(unit.pk) if unit else ""),
        page_title="组织生活日历",
        breadcrumbs=[("组织生活日历", None)],
    )
    return render(request, "orglife/compliance_rollup.html", ctx)


@login_required
def reelection_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    today = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    rows = queries.reelections(user, today, due_only=not show_all)
    page = Paginator(rows, BRANCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orglife/reelection_list.html",
        {
            "rows": page.object_list,
            "rows_page": page,
            "total": len(rows),
            "show_all": show_all,
            "today": today,
            "page_title": "换届提醒",
            "breadcrumbs": [("组织生活日历", reverse("orglife:compliance")), ("换届提醒", None)],
        },
    )


# ---- standardisation checklists ----


@login_required
def checklist_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    checklists = list(
        StandardChecklist.objects.for_user(user).select_related("unit").prefetch_related("items")
    )
    mine = StandardAssessment.objects.for_user(user).order_by()
    counts = dict(mine.values_list("checklist_id").annotate(n=Count("pk")))
    return render(
        request,
        "orglife/checklist_list.html",
        {
            "checklists": [(c, counts.get(c.pk, 0)) for c in checklists],
            "can_define": has_capability(user, "orglife.checklist_create"),
            "page_title": "标准化规范化建设",
            "breadcrumbs": [("标准化规范化建设", None)],
        },
    )


@login_required
def checklist_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "orglife.checklist_create"):
        raise NotAllowed("您没有执行此操作的权限")
    unit = Unit.objects.for_user(user).order_by("depth", "pk").first()
    form = ChecklistForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid() and unit is not None:
        data = dict(form.cleaned_data)
        items = [actions.ItemIn(t, s) for t, s in data.pop("items")]
        try:
            checklist = actions.checklist_create(actor=user, unit=unit, items=items, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已制定「{checklist}」")
            return redirect(checklist)
    return form_page(
        request,
        form,
        title="制定标准化检查表",
        breadcrumbs=[
            ("标准化规范化建设", reverse("orglife:checklist-list")),
            ("制定检查表", None),
        ],
        submit="保存",
        cancel=reverse("orglife:checklist-list"),
        intro=f"检查表由{unit.name if unit else '本单位'}制定，适用于下属各党支部。",
    )


def _checklist(user: Any, pk: int) -> StandardChecklist:
    try:
        return StandardChecklist.objects.for_user(user).select_related("unit").get(pk=pk)
    except (StandardChecklist.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


@login_required
def checklist_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    checklist = _checklist(user, pk)
    items = list(checklist.items.all())
    assessments = list(
        StandardAssessment.objects.for_user(user)
        .filter(checklist=checklist)
        .select_related("org__unit")
    )
    done = {a.org_id for a in assessments}
    fillable = []
    if has_capability(user, "orglife.assessment_save"):
        fillable = [
            o
            for o in PartyOrg.objects.for_user(user)
            .in_subtree(checklist.unit)
            .filter(kind=PartyOrg.Kind.BRANCH, is_active=True, unit__status="active")
            .select_related("unit")
            .order_by("unit__path", "name")[:200]
            if o.pk not in done
        ]
    return render(
        request,
        "orglife/checklist_detail.html",
        {
            "checklist": checklist,
            "items": items,
            "total": sum(i.max_score for i in items),
            "assessments": assessments,
            "fillable": fillable,
            "trail": trail(checklist),
            "page_title": str(checklist),
            "breadcrumbs": [
                ("标准化规范化建设", reverse("orglife:checklist-list")),
                (checklist.name, None),
            ],
        },
    )


@login_required
def assessment_fill(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    checklist = _checklist(user, pk)
    org = get_scoped(PartyOrg, user, pk=request.GET.get("org") or 0)
    require(user, "orglife.assessment_save", org.unit)
    items = list(checklist.items.all())
    existing = StandardAssessment.objects.filter(checklist=checklist, org=org).first()
    old = {s.item_id: s for s in existing.scores.all()} if existing else {}
    error = ""
    rows: list[dict[str, Any]] = []
    for item in items:
        key = f"item-{item.pk}"
        if request.method == "POST":
            raw = request.POST.get(f"{key}-score", "").strip()
            note = request.POST.get(f"{key}-note", "")
        else:
            raw = str(old[item.pk].score) if item.pk in old else ""
            note = old[item.pk].note if item.pk in old else ""
        rows.append({"item": item, "key": key, "score": raw, "note": note, "old": old.get(item.pk)})
    if request.method == "POST":
        scores = []
        for r in rows:
            if not r["score"].isdigit():
                error = f"「得分」：第{r['item'].position}项请填写0至{r['item'].max_score}的整数"
                break
            scores.append(
                actions.ScoreIn(
                    r["item"], int(r["score"]), r["note"], request.FILES.get(f"{r['key']}-evidence")
                )
            )
        if not error:
            try:
                assessment = actions.assessment_save(
                    actor=user, checklist=checklist, org=org, scores=scores
                )
            except ActionError as e:
                error = e.message
            else:
                messages.success(request, f"已保存{org.name}的自评，得分{assessment.score}")
                return redirect(assessment)
    return render(
        request,
        "orglife/assessment_form.html",
        {
            "checklist": checklist,
            "org": org,
            "rows": rows,
            "error": error,
            "page_title": f"{checklist.name} · {org.name}",
            "breadcrumbs": [
                ("标准化规范化建设", reverse("orglife:checklist-list")),
                (checklist.name, checklist.get_absolute_url()),
                ("填报", None),
            ],
        },
    )


@login_required
def assessment_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    try:
        assessment = (
            StandardAssessment.objects.for_user(user)
            .select_related("org__unit", "checklist__unit")
            .get(pk=pk)
        )
    except (StandardAssessment.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    return render(
        request,
        "orglife/assessment_detail.html",
        {
            "a": assessment,
            "scores": list(assessment.scores.select_related("item")),
            "can_fill": has_capability(user, "orglife.assessment_save", assessment.org.unit),
            "trail": trail(assessment),
            "page_title": str(assessment),
            "breadcrumbs": [
                ("标准化规范化建设", reverse("orglife:checklist-list")),
                (assessment.checklist.name, assessment.checklist.get_absolute_url()),
                (assessment.org.name, None),
            ],
        },
    )


@login_required
def evidence_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    require(request.user, "orglife.view")
    try:
        score = StandardScore.objects.select_related("assessment").get(
            pk=pk, assessment__in=StandardAssessment.objects.for_user(request.user)
        )
    except (StandardScore.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc
    if not score.evidence:
        raise OutOfScope("未找到该记录")
    return FileResponse(
        score.evidence.open("rb"),
        as_attachment=True,
        filename=score.evidence.name.rsplit("/", 1)[-1],
    )


# ---- 党员示范岗 / 责任区 / 承诺践诺 ----

VANGUARD_SPEC = ListSpec(
    columns=[
        Column("title", "名称", lambda v: v.title, sort="title", link=True),
        Column("kind", "类型", lambda v: v.get_kind_display(), sort="kind"),
        Column("org", "党支部", lambda v: v.org.name, sort="org__name"),
        Column("members", "党员", lambda v: "、".join(m.person.name for m in v.members.all())),
        Column("started_on", "开始日期", lambda v: v.started_on, sort="started_on"),
        Column("due_on", "期限", lambda v: v.due_on, sort="due_on"),
        Column("status", "状态", lambda v: v.get_status_display(), sort="status", badge="status"),
    ],
    search=("title__contains", "content__contains"),
    filters=[
        Filter("kind", "类型", "kind", choices=list(Vanguard.Kind.choices)),
        Filter("status", "状态", "status", choices=list(Vanguard.Status.choices)),
        Filter("unit", "单位", "org__unit__path__contains", cast=cast_subtree),
    ],
    default_sort="-started_on",
)


def vanguards_for(user: Any) -> QuerySet[Vanguard]:
    return (
        Vanguard.objects.for_user(user)
        .select_related("org")
        .prefetch_related(
            Prefetch("members", queryset=PartyMember.objects.select_related("person"))
        )
    )


exportable("vanguards", "示范岗、责任区与承诺践诺", VANGUARD_SPEC, vanguards_for)


@login_required
def vanguard_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    can_create = has_capability(user, "orglife.vanguard_create")
    return list_page(
        request,
        "orglife/vanguard_list.html",
        VANGUARD_SPEC,
        vanguards_for(user),
        export_name="vanguards",
        choices={"unit": unit_choices(user, request.GET.get("unit", ""))},
        phone=("title", "kind", "status"),
        empty=(
            "还没有党员示范岗、责任区或承诺",
            "设立党员示范岗、划分党员责任区、组织党员公开承诺后，在这里登记并跟踪践诺情况。",
            reverse("orglife:vanguard-create") if can_create else "",
            "新建",
        ),
        context={
            "page_title": "示范岗·责任区·承诺践诺",
            "breadcrumbs": [("示范岗·责任区·承诺践诺", None)],
            "can_create": can_create,
        },
    )


@login_required
def vanguard_create(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    if not has_capability(user, "orglife.vanguard_create"):
        raise NotAllowed("您没有执行此操作的权限")
    crumbs: list[tuple[str, str | None]] = [
        ("示范岗·责任区·承诺践诺", reverse("orglife:vanguard-list")),
        ("新建", None),
    ]
    raw = request.GET.get("org")
    if not raw:
        pick = OrgPickForm(request.GET or None, user=user)
        pick.fields["org"].queryset = pick.fields["org"].queryset.filter(kind=PartyOrg.Kind.BRANCH)  # type: ignore[attr-defined]
        pick.fields["org"].help_text = ""
        return render(
            request,
            "orglife/org_pick.html",
            {"form": pick, "page_title": "新建示范岗/责任区/承诺", "breadcrumbs": crumbs},
        )
    org = get_scoped(PartyOrg, user, pk=raw)
    require(user, "orglife.vanguard_create", org.unit)
    form = VanguardForm(
        request.POST or None,
        org=org,
        initial={
            "started_on": timezone.localdate(),
            "kind": request.GET.get("kind", Vanguard.Kind.MODEL_POST),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["members"] = list(data["members"])
        try:
            v = actions.vanguard_create(actor=user, org=org, **data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, f"已新建{v.get_kind_display()}「{v.title}」")
            return redirect(v)
    return form_page(
        request,
        form,
        title=f"新建示范岗/责任区/承诺 · {org.name}",
        breadcrumbs=crumbs,
        submit="保存",
        cancel=reverse("orglife:vanguard-list"),
    )


def _vanguard(user: Any, pk: int) -> Vanguard:
    try:
        return vanguards_for(user).select_related("org__unit").get(pk=pk)
    except (Vanguard.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


@login_required
def vanguard_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    require(user, "orglife.view")
    v = _vanguard(user, pk)
    return render(
        request,
        "orglife/vanguard_detail.html",
        {
            "v": v,
            "can_close": v.status == Vanguard.Status.ACTIVE
            and has_capability(user, "orglife.vanguard_close", v.org.unit),
            "trail": trail(v),
            "page_title": v.title,
            "breadcrumbs": [
                ("示范岗·责任区·承诺践诺", reverse("orglife:vanguard-list")),
                (v.title, None),
            ],
        },
    )


@login_required
def vanguard_close(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    v = _vanguard(user, pk)
    require(user, "orglife.vanguard_close", v.org.unit)
    form = VanguardCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.vanguard_close(actor=user, vanguard=v, **form.cleaned_data)
        except ActionError as e:
            add_action_error(form, e)
        else:
            messages.success(request, "已评定")
            return redirect(v)
    return form_page(
        request,
        form,
        title=f"评定 · {v.title}",
        breadcrumbs=[(v.title, v.get_absolute_url()), ("评定", None)],
        submit="保存评定",
        cancel=v.get_absolute_url(),
    )
