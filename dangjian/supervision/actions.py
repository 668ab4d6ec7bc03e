"""Every change to plans, checklists, campaigns and inspections (audited, STYLE.md §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count

from dangjian.audit.log import record, snapshot
from dangjian.core import uploads
from dangjian.core.actions_util import field_error
from dangjian.core.errors import ActionError, NotAllowed
from dangjian.core.scope import _assignments, require
from dangjian.core.transitions import move

from .models import Campaign, Checklist, ChecklistItem, Evidence, Inspection, Plan, Result

K = Inspection.Kind
SCHOOL_ROLES = frozenset({"school_secretary", "school_clerk"})
# who may carry out each kind of inspection (on top of the capability, within their scope):
# the school checks itself; the district office patrols; the bureau and its inspectors (also
# liaison cadres, as inspectors at their schools) do everything else.
KIND_ROLES: dict[str, frozenset[str]] = {
    K.SELF_CHECK: SCHOOL_ROLES | {"bureau_admin", "district_staff", "inspector"},
    K.DISTRICT_PATROL: frozenset({"bureau_admin", "district_staff", "inspector"}),
    K.LIAISON_RECHECK: frozenset({"bureau_admin", "inspector"}),
    K.BUREAU_SPOT_CHECK: frozenset({"bureau_admin", "inspector"}),
    K.UNANNOUNCED: frozenset({"bureau_admin", "inspector"}),
    K.CAMPAIGN_VISIT: frozenset({"bureau_admin", "district_staff", "inspector"}),
}


@dataclass(frozen=True)
class ItemIn:
    area: str
    text: str
    score: int
    standard: str = ""


@dataclass(frozen=True)
class ResultIn:
    item: ChecklistItem
    verdict: str
    score: Decimal | None = None  # None: full marks when met, half when partly, 0 when not
    note: str = ""
    evidence: Sequence[UploadedFile] = field(default_factory=tuple)


def require_kind(actor: Any, capability: str, unit: Any, kind: str) -> None:
    """`require`, and one of the actor's roles on `unit` both grants it and may do this kind."""
    require(actor, capability, unit)
    if getattr(actor, "is_system", False):
        return
    from dangjian.accounts.roles import CAPABILITIES

    roles = KIND_ROLES.get(kind, frozenset())
    for role, path in _assignments(actor):
        if (
            role in roles
            and capability in CAPABILITIES.get(role, frozenset())
            and path
            and unit.path.startswith(path)
        ):
            return
    raise NotAllowed(f"您不能开展「{K(kind).label}」")


def check_upload(f: UploadedFile) -> str:
    return uploads.check_upload(f, field="evidence", label="佐证材料")


# ---- checklists ----


def _check_items(items: Sequence[ItemIn]) -> None:
    if not items:
        raise field_error(Checklist, "name", "「检查项目」：至少填写一项")
    for n, it in enumerate(items, start=1):
        if not it.area.strip() or not it.text.strip():
            raise ActionError(f"「检查项目」：第{n}项缺少检查领域或检查项目", "items", "检查项目")
        if not 0 < it.score <= 100:
            raise ActionError(f"「检查项目」：第{n}项的分值应在1到100之间", "items", "检查项目")


def _write_items(checklist: Checklist, items: Sequence[ItemIn]) -> None:
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            checklist=checklist,
            position=n,
            area=it.area.strip()[:50],
            text=it.text.strip()[:300],
            standard=it.standard.strip(),
            score=it.score,
        )
        for n, it in enumerate(items, start=1)
    )


def _items_json(checklist: Checklist) -> list[list[Any]]:
    return [[i.area, i.text, i.standard, i.score] for i in checklist.items.order_by("position")]


@transaction.atomic
def checklist_create(
    *, actor: Any, unit: Any, name: str, items: Sequence[ItemIn], description: str = ""
) -> Checklist:
    require(actor, "supervision.checklist_create", unit)
    if not name.strip():
        raise field_error(Checklist, "name", "「名称」：请填写清单名称")
    _check_items(items)
    checklist = Checklist.objects.create(
        unit=unit, name=name.strip(), description=description.strip()
    )
    _write_items(checklist, items)
    after = {**(snapshot(checklist) or {}), "items": _items_json(checklist)}
    record(actor, "supervision.checklist_create", checklist, after=after)
    return checklist


@transaction.atomic
def checklist_update(
    *,
    actor: Any,
    checklist: Checklist,
    name: str,
    items: Sequence[ItemIn],
    description: str = "",
    is_active: bool = True,
) -> Checklist:
    """Change a template. Items answered by an inspection keep their rows: once used, only the
    name, description and whether it is in use may change."""
    require(actor, "supervision.checklist_update", checklist.unit)
    if not name.strip():
        raise field_error(Checklist, "name", "「名称」：请填写清单名称")
    _check_items(items)
    before = {**(snapshot(checklist) or {}), "items": _items_json(checklist)}
    new_items = [[i.area.strip(), i.text.strip(), i.standard.strip(), i.score] for i in items]
    if new_items != before["items"]:
        if Result.objects.filter(item__checklist=checklist).exists():
            raise ActionError(
                "「检查项目」：该清单已用于督查，不能再修改检查项目；请新建一份清单",
                "items",
                "检查项目",
            )
        checklist.items.all().delete()
        _write_items(checklist, items)
    checklist.name = name.strip()
    checklist.description = description.strip()
    checklist.is_active = is_active
    checklist.save(update_fields=["name", "description", "is_active"])
    after = {**(snapshot(checklist) or {}), "items": _items_json(checklist)}
    record(actor, "supervision.checklist_update", checklist, before=before, after=after)
    return checklist


# ---- campaigns ----


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    unit: Any,
    name: str,
    key_areas: Sequence[str],
    starts_on: dt.date,
    ends_on: dt.date,
    schools: Sequence[Any],
    description: str = "",
) -> Campaign:
    require(actor, "supervision.campaign_create", unit)
    if not name.strip():
        raise field_error(Campaign, "name", "「名称」：请填写专项整治名称")
    if not key_areas:
        raise field_error(Campaign, "key_areas", "「整治重点」：至少选择一项")
    if ends_on < starts_on:
        raise field_error(Campaign, "ends_on", "「结束日期」：不能早于开始日期")
    if not schools:
        raise field_error(Campaign, "schools", "「覆盖学校」：至少选择一所学校")
    for s in schools:
        if not s.path.startswith(unit.path):
            raise field_error(Campaign, "schools", f"「覆盖学校」：{s.name}不在{unit.name}范围内")
    campaign = Campaign.objects.create(
        unit=unit,
        name=name.strip(),
        key_areas=list(key_areas),
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
    )
    campaign.schools.set(schools)
    after = {**(snapshot(campaign) or {}), "schools": sorted(s.pk for s in schools)}
    record(actor, "supervision.campaign_create", campaign, after=after)
    return campaign


# ---- plans and inspections ----


def _check_refs(
    unit: Any, kind: str, checklist: Checklist | None, campaign: Campaign | None
) -> None:
    if kind not in K.values:
        raise field_error(Inspection, "kind", "「检查方式」：请选择有效的检查方式")
    if checklist is not None:
        if not checklist.is_active:
            raise field_error(Inspection, "checklist", "「督查清单」：该清单已停用")
        if not unit.path.startswith(checklist.unit.path):
            raise field_error(Inspection, "checklist", "「督查清单」：该清单不适用于此单位")
    if campaign is not None and not unit.path.startswith(campaign.unit.path):
        raise field_error(Inspection, "campaign", "「专项整治」：该专项整治不涵盖此单位")


def _inspection_row(
    *,
    unit: Any,
    kind: str,
    planned_on: dt.date,
    checklist: Checklist | None,
    campaign: Campaign | None,
    lead_inspector: Any,
    title: str,
    unannounced: bool,
    plan: Plan | None = None,
) -> Inspection:
    if not unit.is_active:
        raise field_error(Inspection, "unit", f"「受检学校」：{unit.name}已撤并，不能安排督查")
    return Inspection(
        unit=unit,
        kind=kind,
        planned_on=planned_on,
        checklist=checklist,
        campaign=campaign,
        lead_inspector=lead_inspector,
        title=title.strip(),
        unannounced=unannounced or kind == K.UNANNOUNCED,
        plan=plan,
    )


@transaction.atomic
def inspection_create(
    *,
    actor: Any,
    unit: Any,
    kind: str,
    planned_on: dt.date,
    checklist: Checklist | None = None,
    campaign: Campaign | None = None,
    lead_inspector: Any = None,
    inspectors: Sequence[Any] = (),
    title: str = "",
    unannounced: bool = False,
) -> Inspection:
    """One inspection outside a monthly plan (a self-check, an extra visit)."""
    _check_refs(unit, kind, checklist, campaign)
    require_kind(actor, "supervision.inspection_create", unit, kind)
    inspection = _inspection_row(
        unit=unit,
        kind=kind,
        planned_on=planned_on,
        checklist=checklist,
        campaign=campaign,
        lead_inspector=lead_inspector,
        title=title,
        unannounced=unannounced,
    )
    inspection.save()
    if inspectors:
        inspection.inspectors.set(inspectors)
    record(actor, "supervision.inspection_create", inspection)
    return inspection


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    unit: Any,
    month: dt.date,
    kind: str,
    schools: Sequence[tuple[Any, dt.date]],
    title: str = "",
    checklist: Checklist | None = None,
    campaign: Campaign | None = None,
    inspectors: Sequence[Any] = (),
    lead_inspector: Any = None,
    unannounced: bool = False,
    notes: str = "",
) -> Plan:
    """A month's plan for `unit`'s subtree: each (school, day) becomes a planned inspection."""
    _check_refs(unit, kind, checklist, campaign)
    require_kind(actor, "supervision.plan_create", unit, kind)
    month = month.replace(day=1)
    if not schools:
        raise ActionError("「受检学校」：至少选择一所学校", "schools", "受检学校")
    seen: set[int] = set()
    for school, day in schools:
        if not school.path.startswith(unit.path):
            raise ActionError(
                f"「受检学校」：{school.name}不在{unit.name}范围内", "schools", "受检学校"
            )
        if school.pk in seen:
            raise ActionError(f"「受检学校」：{school.name}重复", "schools", "受检学校")
        seen.add(school.pk)
        if day.replace(day=1) != month:
            raise ActionError(
                f"「计划日期」：{school.name}的日期不在{month.year}年{month.month}月内",
                "planned_on",
                "计划日期",
            )
    plan = Plan.objects.create(
        unit=unit,
        month=month,
        kind=kind,
        title=title.strip() or f"{month.year}年{month.month}月{K(kind).label}计划",
        checklist=checklist,
        campaign=campaign,
        notes=notes.strip(),
    )
    if inspectors:
        plan.inspectors.set(inspectors)
    rows = [
        _inspection_row(
            unit=school,
            kind=kind,
            planned_on=day,
            checklist=checklist,
            campaign=campaign,
            lead_inspector=lead_inspector,
            title="",
            unannounced=unannounced,
            plan=plan,
        )
        for school, day in schools
    ]
    created = Inspection.objects.bulk_create(rows)
    if inspectors:
        through = Inspection.inspectors.through
        through.objects.bulk_create(
            through(inspection_id=i.pk, user_id=u.pk) for i in created for u in inspectors
        )
    after = {
        **(snapshot(plan) or {}),
        "inspectors": sorted(u.pk for u in inspectors),
        "inspections": [[i.unit_id, i.planned_on.isoformat()] for i in created],
        "unannounced": unannounced or kind == K.UNANNOUNCED,
    }
    record(actor, "supervision.plan_create", plan, after=after)
    return plan


@transaction.atomic
def inspection_start(*, actor: Any, inspection: Inspection, held_on: dt.date) -> Inspection:
    require_kind(actor, "supervision.inspection_start", inspection.unit, inspection.kind)
    before = snapshot(inspection)
    move(inspection, Inspection.Status.IN_PROGRESS)
    inspection.held_on = held_on
    inspection.save(update_fields=["status", "held_on"])
    record(actor, "supervision.inspection_start", inspection, before=before)
    return inspection


def _default_score(item: ChecklistItem, verdict: str) -> Decimal:
    full = Decimal(item.score)
    by_verdict: dict[str, Decimal] = {Result.Verdict.MET: full, Result.Verdict.PARTLY: full / 2}
    return by_verdict.get(verdict, Decimal(0))


@transaction.atomic
def inspection_record(
    *, actor: Any, inspection: Inspection, results: Sequence[ResultIn], notes: str | None = None
) -> Inspection:
    """Fill (or correct) checklist items of an inspection under way, with notes and evidence."""
    require_kind(actor, "supervision.inspection_record", inspection.unit, inspection.kind)
    if inspection.status != Inspection.Status.IN_PROGRESS:
        raise ActionError(
            f"督查「{inspection.get_status_display()}」，只有进行中的督查可以登记结果",
        )
    if inspection.checklist_id is None and results:
        raise field_error(Inspection, "checklist", "「督查清单」：该督查未使用清单")
    before = {**(snapshot(inspection) or {}), "results": _results_json(inspection)}
    existing = {r.item_id: r for r in inspection.results.all()}
    for r in results:
        if r.item.checklist_id != inspection.checklist_id:
            raise ActionError("「检查结果」：检查项目不属于该督查的清单", "results", "检查结果")
        if r.verdict not in Result.Verdict.values:
            raise ActionError(
                f"「检查结果」：{r.item.text}请选择符合、基本符合或不符合", "results", "检查结果"
            )
        score = _default_score(r.item, r.verdict) if r.score is None else Decimal(r.score)
        if not 0 <= score <= r.item.score:
            raise ActionError(
                f"「得分」：{r.item.text}的得分应在0到{r.item.score}之间", "results", "得分"
            )
        types = [check_upload(f) for f in r.evidence]
        row = existing.get(r.item.pk)
        if row is None:
            row = Result.objects.create(
                inspection=inspection, item=r.item, verdict=r.verdict, score=score, note=r.note
            )
        else:
            row.verdict, row.score, row.note = r.verdict, score, r.note
            row.save(update_fields=["verdict", "score", "note"])
        for f, content_type in zip(r.evidence, types, strict=True):
            Evidence.objects.create(
                result=row,
                file=f,
                name=PurePath(f.name or "file").name[:200],
                size=f.size or 0,
                content_type=content_type,
            )
    if notes is not None:
        inspection.notes = notes.strip()
        inspection.save(update_fields=["notes"])
    after = {**(snapshot(inspection) or {}), "results": _results_json(inspection)}
    record(actor, "supervision.inspection_record", inspection, before=before, after=after)
    return inspection


def _results_json(inspection: Inspection) -> list[list[Any]]:
    rows = inspection.results.annotate(files=Count("evidence")).order_by("item__position")
    return [[r.item_id, r.verdict, str(r.score), r.note, r.files] for r in rows]


@transaction.atomic
def inspection_complete(
    *, actor: Any, inspection: Inspection, held_on: dt.date | None = None, notes: str | None = None
) -> Inspection:
    """Done: held on `held_on` (the start day if it was started). A checklist must be filled."""
    require_kind(actor, "supervision.inspection_complete", inspection.unit, inspection.kind)
    before = snapshot(inspection)
    day = held_on or inspection.held_on
    if day is None:
        raise field_error(Inspection, "held_on", "「检查日期」：请填写检查日期")
    if inspection.checklist_id is not None:
        answered = inspection.results.count()
        total = ChecklistItem.objects.filter(checklist_id=inspection.checklist_id).count()
        if answered < total:
            raise ActionError(
                f"「检查结果」：清单还有{total - answered}项未登记，登记完毕后才能完成督查",
                "results",
                "检查结果",
            )
    move(inspection, Inspection.Status.DONE)
    inspection.held_on = day
    if notes is not None:
        inspection.notes = notes.strip()
    inspection.save(update_fields=["status", "held_on", "notes"])
    record(actor, "supervision.inspection_complete", inspection, before=before)
    return inspection
