"""Every change to accountability records (audited, STYLE.md §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dangjian.audit.log import record, snapshot
from dangjian.core.actions_util import field_error
from dangjian.core.errors import ActionError
from dangjian.core.periods import Period
from dangjian.core.scope import in_scope, require
from dangjian.orglife.actions import check_upload

from . import rules
from .models import (
    AccountabilityRecord,
    NoAccountabilityDecision,
    SessionAttachment,
    WarningSession,
)

MAX_FINDINGS = 50


def _day(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _below(unit: Any, inner: Any) -> bool:
    return bool(inner.path.startswith(unit.path))


@transaction.atomic
def record_create(
    *,
    actor: Any,
    unit: Any,
    findings: Sequence[Any],
    people: Sequence[Any] = (),
    form: str,
    sub_kind: str = "",
    form_level: int | None = None,
    decided_on: dt.date | None,
    decided_by: str,
    document_number: str = "",
    notes: str = "",
    today: dt.date | None = None,
) -> AccountabilityRecord:
    """A decision on one or several findings: who (people, or the unit's party organisation for
    检查/改组), which form and 四种形态 level (default from the form), when and by whom."""
    require(actor, "accountability.record_create", unit)
    model = AccountabilityRecord
    today = _day(today)
    if form not in model.Form.values:
        raise field_error(model, "form", "「问责方式」：请选择有效的问责方式")
    problem = rules.sub_kind_error(form, sub_kind)
    if problem:
        raise field_error(model, "sub_kind", f"「具体种类」：{problem}")
    level = rules.default_level(form, sub_kind) if form_level is None else form_level
    if level not in rules.LEVEL_LABELS:
        raise field_error(model, "form_level", "「形态」：请选择第一至第四种形态")
    if decided_on is None:
        raise field_error(model, "decided_on", "「决定日期」：请填写决定日期")
    if decided_on > today:
        raise field_error(model, "decided_on", "「决定日期」：不能晚于今天")
    decided_by = decided_by.strip()
    if not decided_by:
        raise field_error(model, "decided_by", "「决定机关」：请填写作出决定的单位或机关")
    findings = list(dict.fromkeys(findings))
    if not findings:
        raise field_error(model, "findings", "「问题」：至少选择一个问题")
    if len(findings) > MAX_FINDINGS:
        raise field_error(model, "findings", f"「问题」：一次最多关联{MAX_FINDINGS}个问题")
    for f in findings:
        if not in_scope(actor, f.unit):
            raise field_error(model, "findings", "「问题」：未找到该记录")
        if not _below(unit, f.unit):
            raise field_error(
                model, "findings", f"「问题」：{f.unit.name}的问题不属于责任单位{unit.name}"
            )
        if NoAccountabilityDecision.objects.filter(finding=f).exists():
            raise field_error(model, "findings", f"「问题」：{f.unit.name}的该问题已决定不予追责")
        if f.found_on > decided_on:
            raise field_error(model, "decided_on", "「决定日期」：不能早于问题的发现日期")
    people = list(dict.fromkeys(people))
    if form not in rules.ORG_FORMS and not people:
        raise field_error(model, "people", "「被问责人」：请选择被问责的人员")
    for p in people:
        if not in_scope(actor, p.unit):
            raise field_error(model, "people", "「被问责人」：未找到该人员")
        if not _below(unit, p.unit):
            raise field_error(model, "people", f"「被问责人」：{p.name}不是责任单位的人员")
    rec = model.objects.create(
        unit=unit,
        form=form,
        sub_kind=sub_kind,
        form_level=level,
        decided_on=decided_on,
        decided_by=decided_by,
        document_number=document_number.strip(),
        notes=notes.strip(),
    )
    rec.findings.set(findings)
    rec.people.set(people)
    after = snapshot(rec) or {}
    after["findings"] = sorted(f.pk for f in findings)
    after["people"] = sorted(p.pk for p in people)
    record(actor, "accountability.record_create", rec, after=after)
    return rec


@transaction.atomic
def no_decision_create(
    *,
    actor: Any,
    finding: Any,
    reason: str,
    decided_by: str,
    decided_on: dt.date | None,
    today: dt.date | None = None,
) -> NoAccountabilityDecision:
    """Record that a finding calls for no accountability, and why (一事一追责: never silently)."""
    require(actor, "accountability.no_decision_create", finding.unit)
    model = NoAccountabilityDecision
    today = _day(today)
    if finding.accountability_records.exists():
        raise ActionError("该问题已有问责决定，不能再登记不予追责")
    if model.objects.filter(finding=finding).exists():
        raise ActionError("该问题已登记不予追责决定")
    reason = reason.strip()
    if not reason:
        raise field_error(model, "reason", "「不予追责理由」：请说明不予追责的理由")
    decided_by = decided_by.strip()
    if not decided_by:
        raise field_error(model, "decided_by", "「决定机关」：请填写作出决定的单位或机关")
    if decided_on is None:
        raise field_error(model, "decided_on", "「决定日期」：请填写决定日期")
    if decided_on > today:
        raise field_error(model, "decided_on", "「决定日期」：不能晚于今天")
    if decided_on < finding.found_on:
        raise field_error(model, "decided_on", "「决定日期」：不能早于问题的发现日期")
    decision = model.objects.create(
        finding=finding, reason=reason, decided_by=decided_by, decided_on=decided_on
    )
    record(actor, "accountability.no_decision_create", decision, unit=finding.unit)
    return decision


@transaction.atomic
def session_create(
    *,
    actor: Any,
    unit: Any,
    held_on: dt.date | None,
    kind: str,
    topic: str,
    expected_count: int,
    present_count: int,
    notes: str = "",
    attachments: Iterable[UploadedFile] = (),
    today: dt.date | None = None,
) -> WarningSession:
    """A warning-education session held by a unit (seed 004: 警示教育62场次)."""
    require(actor, "accountability.session_create", unit)
    model = WarningSession
    today = _day(today)
    if not unit.is_active:
        raise field_error(model, "unit", "「单位」：该单位已撤销或撤并")
    if held_on is None:
        raise field_error(model, "held_on", "「日期」：请填写日期")
    if held_on > today:
        raise field_error(model, "held_on", "「日期」：不能晚于今天")
    if kind not in model.Kind.values:
        raise field_error(model, "kind", "「形式」：请选择有效的形式")
    topic = topic.strip()
    if not topic:
        raise field_error(model, "topic", "「主题」：请填写主题")
    if expected_count < 1:
        raise field_error(model, "expected_count", "「应参加人数」：至少为1")
    if present_count > expected_count:
        raise field_error(model, "present_count", "「实参加人数」：不能多于应参加人数")
    checked = [(f, check_upload(f)) for f in attachments]
    session = model.objects.create(
        unit=unit,
        held_on=held_on,
        kind=kind,
        topic=topic,
        expected_count=expected_count,
        present_count=present_count,
        notes=notes.strip(),
    )
    for f, content_type in checked:
        SessionAttachment.objects.create(
            session=session,
            file=f,
            name=(f.name or "附件")[:200],
            size=f.size or 0,
            content_type=content_type,
        )
    after = snapshot(session) or {}
    after["attachments"] = [f.name for f, _ in checked]
    record(actor, "accountability.session_create", session, after=after)
    return session


@transaction.atomic
def ledger_export(*, actor: Any, unit: Any, period: Period) -> None:
    """The accountability ledger taken out of the platform leaves a trace like any export."""
    require(actor, "core.export", unit)
    require(actor, "accountability.view", unit)
    record(
        actor,
        "core.export",
        None,
        unit=unit,
        after={
            "list": "accountability_ledger",
            "query": f"unit={unit.pk}&from={period.start}&to={period.last}",
        },
    )
