"""Every change to findings and rectifications (audited, STYLE.md §2; RULES.md §7.2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dangjian.audit.log import record, snapshot
from dangjian.core import uploads
from dangjian.core.actions_util import field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import has_capability, require
from dangjian.core.transitions import move

from . import rules
from .models import Evidence, Finding, ProgressNote, Rectification

INSPECTION_OPEN = frozenset({"in_progress", "done"})


def check_upload(f: UploadedFile, field: str = "evidence", label: str = "佐证材料") -> str:
    return uploads.check_upload(f, field=field, label=label)


def _attach(finding: Finding, kind: str, checked: list[tuple[UploadedFile, str]]) -> None:
    for f, ctype in checked:
        Evidence.objects.create(
            finding=finding,
            kind=kind,
            file=f,
            name=(f.name or "")[:200],
            size=f.size or 0,
            content_type=ctype,
        )


def _state(rect: Rectification) -> dict[str, Any]:
    return snapshot(rect) or {}


def _day(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _allowed(rect: Rectification, to: str) -> None:
    """Refuse a transition the map does not allow before any other check (move() repeats it)."""
    if to not in Rectification.TRANSITIONS.get(Rectification.Status(rect.status), set()):
        probe = Rectification(status=rect.status)
        move(probe, to)  # raises InvalidTransition with the Chinese labels


def _may_own(user: Any, unit: Any) -> bool:
    return bool(user) and has_capability(user, "rectification.rectification_submit", unit)


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    unit: Any,
    source: str,
    area: str,
    description: str,
    severity: str,
    found_on: dt.date,
    inspection: Any = None,
    rule_broken: str = "",
    owner: Any = None,
    deadline: dt.date | None = None,
    evidence: Iterable[UploadedFile] = (),
    today: dt.date | None = None,
    recorded_by: Any = None,
) -> Finding:
    """A finding and its open rectification, deadline by severity (or shortened).
    `recorded_by` names the person on whose behalf `actor` (e.g. the system user) records it."""
    require(actor, "rectification.finding_create", unit)
    today = _day(today)
    if source not in Finding.Source.values:
        raise field_error(Finding, "source", "「来源」：请选择有效的来源")
    if severity not in Finding.Severity.values:
        raise field_error(Finding, "severity", "「严重程度」：请选择有效的严重程度")
    if source == Finding.Source.INSPECTION:
        if not has_capability(actor, "rectification.rectification_verify", unit):
            raise field_error(Finding, "source", "「来源」：学校只能登记自查发现的问题")
        if inspection is None:
            raise field_error(Finding, "inspection", "「来源督查」：督查发现的问题须选择所属督查")
    if inspection is not None:
        if inspection.unit_id != unit.pk:
            raise field_error(Finding, "inspection", "「来源督查」：该督查不是对本校的检查")
        if inspection.status not in INSPECTION_OPEN:
            raise field_error(Finding, "inspection", "「来源督查」：该督查尚未开始或已取消")
    if not unit.is_active:
        raise field_error(Finding, "unit", "「学校」：该单位已撤销或撤并")
    area, description = area.strip(), description.strip()
    if not area:
        raise field_error(Finding, "area", "「问题领域」：请填写问题领域")
    if not description:
        raise field_error(Finding, "description", "「问题描述」：请填写问题描述")
    if found_on > today:
        raise field_error(Finding, "found_on", "「发现日期」：不能晚于今天")
    if deadline is None:
        deadline = rules.default_deadline(severity, found_on)
    elif not rules.deadline_allowed(severity, found_on, deadline):
        days = rules.period_days(severity)
        raise field_error(
            Rectification,
            "deadline",
            f"「整改期限」：应在发现日期之后{days}天以内（只能缩短，不能延长）",
        )
    if owner is not None and not _may_own(owner, unit):
        raise field_error(Rectification, "owner", "「整改责任人」：须是该校的党组织书记或党务干事")
    checked = [(f, check_upload(f)) for f in evidence]
    verified = Rectification.objects.filter(
        unit=unit,
        finding__area=area,
        status=Rectification.Status.VERIFIED,
        verified_on__lte=found_on,
    ).values_list("verified_on", flat=True)
    finding = Finding.objects.create(
        unit=unit,
        inspection=inspection,
        source=source,
        area=area,
        description=description,
        severity=severity,
        found_on=found_on,
        rule_broken=rule_broken.strip(),
        recurrent=rules.is_recurrent(found_on, [d for d in verified if d]),
        recorded_by=recorded_by or (actor if getattr(actor, "pk", None) else None),
    )
    rect = Rectification.objects.create(
        finding=finding,
        unit=unit,
        owner=owner,
        period_days=(deadline - found_on).days,
        deadline=deadline,
    )
    _attach(finding, Evidence.Kind.FINDING, checked)
    after = {**(snapshot(finding) or {}), "rectification": _state(rect)}
    after["evidence"] = [f.name for f, _ in checked]
    record(actor, "rectification.finding_create", finding, after=after)
    return finding


@transaction.atomic
def progress_note_add(
    *, actor: Any, rectification: Rectification, text: str, on: dt.date | None = None
) -> ProgressNote:
    require(actor, "rectification.progress_note_add", rectification.unit)
    if rectification.status == Rectification.Status.VERIFIED:
        raise ActionError("该问题已销号，不能再填写进展", "text", "进展情况")
    text = text.strip()
    if not text:
        raise ActionError("「进展情况」：请填写进展情况", "text", "进展情况")
    note = ProgressNote.objects.create(
        rectification=rectification, written_on=_day(on), text=text, author=actor
    )
    record(actor, "rectification.progress_note_add", rectification, after={"note": text})
    return note


@transaction.atomic
def rectification_submit(
    *,
    actor: Any,
    rectification: Rectification,
    measures: str,
    evidence: Iterable[UploadedFile] = (),
    evidence_note: str = "",
    on: dt.date | None = None,
) -> Rectification:
    """The school reports the rectification done: measures and evidence of completion (files,
    or for records kept on paper, where they are filed)."""
    require(actor, "rectification.rectification_submit", rectification.unit)
    before = _state(rectification)
    _allowed(rectification, Rectification.Status.SUBMITTED)
    day = _day(on)
    measures = measures.strip()
    if not measures:
        raise field_error(Rectification, "measures", "「整改措施」：请填写整改措施和完成情况")
    if day < rectification.finding.found_on:
        raise ActionError("「提交日期」：早于问题发现日期", "on", "提交日期")
    checked = [(f, check_upload(f)) for f in evidence]
    already = rectification.finding.evidence.filter(kind=Evidence.Kind.COMPLETION).exists()
    evidence_note = evidence_note.strip()
    if not checked and not already and not evidence_note:
        raise ActionError("「整改佐证」：请上传整改后的照片或材料", "evidence", "整改佐证")
    move(rectification, Rectification.Status.SUBMITTED)
    rectification.measures = measures
    rectification.evidence_note = evidence_note
    rectification.submitted_on = day
    rectification.submitted_by = actor if getattr(actor, "pk", None) else None
    if rectification.owner_id is None and not getattr(actor, "is_system", False):
        rectification.owner = actor
    rectification.save()
    _attach(rectification.finding, Evidence.Kind.COMPLETION, checked)
    after = {**_state(rectification), "evidence": [f.name for f, _ in checked]}
    record(actor, "rectification.rectification_submit", rectification, before=before, after=after)
    return rectification


def _check_verifier(actor: Any, rectification: Rectification, capability: str) -> None:
    require(actor, capability, rectification.unit)
    if getattr(actor, "is_system", False):
        return
    if actor.pk in {rectification.owner_id, rectification.submitted_by_id}:
        raise ActionError("验收人不能是该问题的整改责任人或提交人")


@transaction.atomic
def rectification_verify(
    *, actor: Any, rectification: Rectification, note: str = "", on: dt.date | None = None
) -> Rectification:
    """Pass: the finding is closed (销号)."""
    _check_verifier(actor, rectification, "rectification.rectification_verify")
    before = _state(rectification)
    _allowed(rectification, Rectification.Status.VERIFIED)
    day = _day(on)
    if rectification.submitted_on and day < rectification.submitted_on:
        raise ActionError("「验收日期」：早于提交日期", "on", "验收日期")
    move(rectification, Rectification.Status.VERIFIED)
    rectification.verified_on = day
    rectification.verified_by = actor if getattr(actor, "pk", None) else None
    rectification.verification_note = note.strip()
    rectification.save()
    record(actor, "rectification.rectification_verify", rectification, before=before)
    return rectification


@transaction.atomic
def rectification_reject(
    *, actor: Any, rectification: Rectification, reasons: str, on: dt.date | None = None
) -> Rectification:
    """Fail: re-opened with reasons; new deadline = rejection date + the original period."""
    _check_verifier(actor, rectification, "rectification.rectification_reject")
    before = _state(rectification)
    _allowed(rectification, Rectification.Status.REJECTED)
    reasons = reasons.strip()
    if not reasons:
        raise field_error(Rectification, "rejection_reasons", "「退回原因」：请写明不通过的原因")
    day = _day(on)
    if rectification.submitted_on and day < rectification.submitted_on:
        raise ActionError("「验收日期」：早于提交日期", "on", "验收日期")
    move(rectification, Rectification.Status.REJECTED)
    rectification.rejected_on = day
    rectification.rejection_reasons = reasons
    rectification.reopen_count += 1
    rectification.deadline = rules.reopened_deadline(day, rectification.period_days)
    rectification.save()
    record(actor, "rectification.rectification_reject", rectification, before=before)
    return rectification
