"""Every change to development records (audited). Admission makes the person a probationary
PartyMember (party.actions.member_create); 转正 makes them full (party.actions.member_make_full)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dangjian.audit.log import record as audit_record
from dangjian.audit.log import snapshot
from dangjian.core import uploads
from dangjian.core.actions_util import field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.core.transitions import move
from dangjian.party import actions as party_actions
from dangjian.party.models import PartyMember

from . import rules
from .models import DevelopmentRecord, Document, Step

STEP_LABELS = {
    "people": "相关人员",
    "training_days": "培训天数",
    "training_hours": "培训学时",
    "votes_due": "应到会有表决权正式党员",
    "votes_present": "实到会有表决权正式党员",
    "votes_yes": "赞成票",
    "extension_months": "延长月数",
    "received_on": "上级党委收到决议日期",
    "kind": "步骤",
    "applied_on": "申请日期",
}


def finding_error(finding: rules.Finding, kind: rules.StepKind | None = None) -> ActionError:
    """A hard-rule finding as the ActionError views and the API show beside the field."""
    field = finding.field
    if field == "on":
        label = kind.date_label if kind else "日期"
    elif field == "people" and kind is not None and kind.people:
        label = kind.people
    else:
        label = STEP_LABELS.get(field or "", "")
    message = f"「{label}」：{finding.message}" if label else finding.message
    return ActionError(message, field=field, label=label or None)


def _refresh(rec: DevelopmentRecord) -> None:
    """The next deadline, for the list's overdue / due-soon filters."""
    due = rules.deadlines(rec.facts())
    first = due[0] if due else None
    rec.next_due_on = first.due if first else None
    rec.next_warn_from = first.warn_from if first else None
    rec.next_due_label = first.label[:100] if first else ""


def _check_branch(branch: Any) -> None:
    from dangjian.orgs.models import PartyOrg

    if branch.kind == PartyOrg.Kind.GROUP:
        raise field_error(
            DevelopmentRecord, "branch", "「所在党组织」：请选择党支部（党小组不能发展党员）"
        )
    if not branch.is_active or not branch.unit.is_active:
        raise field_error(
            DevelopmentRecord, "branch", "「所在党组织」：该党组织已撤销或所在单位已撤并"
        )


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


@transaction.atomic
def record_create(
    *,
    actor: Any,
    person: Any,
    branch: Any,
    applied_on: dt.date,
    received_on: dt.date | None = None,
    notes: str = "",
    today: dt.date | None = None,
) -> DevelopmentRecord:
    """递交入党申请书: the record starts with the application step."""
    require(actor, "development.record_create", branch.unit)
    require(actor, "people.view", person.unit)
    _check_branch(branch)
    if person.status != "active":
        raise field_error(DevelopmentRecord, "person", "「发展对象人员」：此人已离开或退休")
    if PartyMember.objects.filter(person=person).exists():
        raise field_error(DevelopmentRecord, "person", "「发展对象人员」：此人已是党员")
    if DevelopmentRecord.objects.filter(person=person).exists():
        raise field_error(DevelopmentRecord, "person", "「发展对象人员」：此人已有发展党员记录")
    if received_on is not None and received_on < applied_on:
        raise field_error(
            DevelopmentRecord, "received_on", "「党组织收到申请日期」：不能早于申请日期"
        )
    found = rules.application_violations(person.birth_date, applied_on, _today(today))
    if found:
        raise finding_error(found[0])
    rec = DevelopmentRecord(
        person=person,
        branch=branch,
        applied_on=applied_on,
        received_on=received_on,
        key_teacher_at_application=person.is_key_teacher,
        done=["application"],
    )
    _refresh(rec)
    rec.save()
    Step.objects.create(
        record=rec, kind="application", on=applied_on, notes=notes.strip(), recorded_by=_user(actor)
    )
    audit_record(actor, "development.record_create", rec)
    return rec


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def step_record(
    *,
    actor: Any,
    record: DevelopmentRecord,
    kind: str,
    on: dt.date,
    people: Iterable[Any] = (),
    notes: str = "",
    training_days: int | None = None,
    training_hours: int | None = None,
    votes_due: int | None = None,
    votes_present: int | None = None,
    votes_yes: int | None = None,
    extension_months: int | None = None,
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Step:
    """Record one step of RULES.md §2.3; a hard rule refuses it, soft ones stay as warnings."""
    rec = (
        DevelopmentRecord.objects.select_for_update()
        .select_related("person", "branch__unit")
        .get(pk=record.pk)
    )
    require(actor, "development.step_record", rec.branch.unit)
    info = rules.KINDS.get(kind)
    if info is None or kind in ("application", "termination"):
        raise ActionError("「步骤」：请选择要办理的步骤", field="kind", label="步骤")
    if kind == "political_review" and not notes.strip():
        raise ActionError(
            "「审查结论」：【规则2.3-10】政治审查须形成书面结论", field="notes", label="审查结论"
        )
    people = list(people)
    for p in people:
        require(actor, "people.view", p.unit)
    if info.people == "" and people:
        people = []
    full_members = PartyMember.objects.filter(
        person__in=people, status=PartyMember.Status.FULL
    ).count()
    step_in = rules.StepInput(
        kind=kind,
        on=on,
        people=len(people),
        full_members=full_members,
        training_days=training_days,
        training_hours=training_hours,
        votes_due=votes_due,
        votes_present=votes_present,
        votes_yes=votes_yes,
        extension_months=extension_months,
        received_on=received_on,
    )
    facts = rec.facts()
    found = rules.step_violations(facts, step_in, _today(today))
    if found:
        raise finding_error(found[0], info)
    warnings = rules.step_warnings(facts, step_in)
    before = snapshot(rec)
    step = Step.objects.create(
        record=rec,
        kind=kind,
        on=on,
        notes=notes.strip(),
        training_days=training_days,
        training_hours=training_hours,
        votes_due=votes_due,
        votes_present=votes_present,
        votes_yes=votes_yes,
        extension_months=extension_months,
        received_on=received_on,
        warnings=[w.as_dict() for w in warnings],
        recorded_by=_user(actor),
    )
    if people:
        step.people.set(people)
    _apply(actor, rec, step)
    if kind not in rec.done:
        rec.done = [*rec.done, kind]
    rec.recorded_warnings = [*rec.recorded_warnings, *(w.as_dict() for w in warnings)]
    rec.flagged = bool(rec.recorded_warnings)
    _refresh(rec)
    rec.save()
    after = snapshot(rec) or {}
    after["step"] = {**(snapshot(step) or {}), "people": [p.pk for p in people]}
    audit_record(actor, "development.step_record", rec, before=before, after=after)
    record.refresh_from_db()
    return step


def _apply(actor: Any, rec: DevelopmentRecord, step: Step) -> None:
    """What a step changes on the record (stage moves only through TRANSITIONS)."""
    on, kind = step.on, step.kind
    if kind == "application_talk":
        rec.talk_on = on
    elif kind == "activist_selection":
        move(rec, DevelopmentRecord.Status.ACTIVIST)
        rec.activist_on = on
    elif kind == "activist_cultivation":
        rec.last_assessment_on = max(on, rec.last_assessment_on or on)
    elif kind == "candidate_selection":
        move(rec, DevelopmentRecord.Status.CANDIDATE)
        rec.candidate_on = on
    elif kind == "political_review":
        rec.political_review_on = on
    elif kind == "candidate_training":
        rec.training_met = rec.training_met or rules.training_met(
            step.training_days, step.training_hours
        )
    elif kind == "admission_meeting":
        move(rec, DevelopmentRecord.Status.PROBATIONARY)
        rec.admitted_on = on
        rec.resolution_received_on = step.received_on
        rec.probation_ends_on = rules.probation_ends(on)
        rec.member = party_actions.member_create(
            actor=actor,
            person=rec.person,
            branch=rec.branch,
            joined_on=on,
            status=PartyMember.Status.PROBATIONARY,
        )
    elif kind == "admission_approval":
        rec.approved_on = on
        if step.received_on is not None:
            rec.resolution_received_on = step.received_on
    elif kind == "oath":
        rec.oath_on = on
    elif kind == "extension":
        rec.extension_months = step.extension_months or 0
        rec.probation_ends_on = rules.probation_ends(rec.admitted_on or on, rec.extension_months)
    elif kind == "full_membership_meeting":
        move(rec, DevelopmentRecord.Status.FULL)
        rec.full_meeting_on = on
        if rec.member is not None:
            # 党龄 counts from the end of probation even when the meeting is later (§2.4)
            party_actions.member_make_full(
                actor=actor, member=rec.member, full_on=rec.probation_ends_on or on
            )
    elif kind == "full_membership_approval":
        rec.full_approved_on = on


@transaction.atomic
def record_terminate(
    *,
    actor: Any,
    record: DevelopmentRecord,
    on: dt.date,
    reason: str,
    today: dt.date | None = None,
) -> DevelopmentRecord:
    """终止发展, or 取消预备党员资格 for a probationary member (branch meeting + approval)."""
    rec = (
        DevelopmentRecord.objects.select_for_update()
        .select_related("person", "branch__unit")
        .get(pk=record.pk)
    )
    require(actor, "development.record_terminate", rec.branch.unit)
    info = rules.KINDS["termination"]
    if not reason.strip():
        raise field_error(DevelopmentRecord, "termination_reason", "「终止原因」：不能为空")
    found = rules.step_violations(
        rec.facts(), rules.StepInput(kind="termination", on=on), _today(today)
    )
    if found:
        raise finding_error(found[0], dataclasses.replace(info, date_label="终止日期"))
    before = snapshot(rec)
    was_probationary = rec.status == DevelopmentRecord.Status.PROBATIONARY
    move(rec, DevelopmentRecord.Status.TERMINATED)
    rec.terminated_on = on
    rec.termination_reason = reason.strip()
    rec.done = [*rec.done, "termination"]
    _refresh(rec)
    rec.save()
    Step.objects.create(
        record=rec, kind="termination", on=on, notes=reason.strip(), recorded_by=_user(actor)
    )
    if was_probationary and rec.member is not None:
        party_actions.member_status_change(
            actor=actor,
            member=rec.member,
            status=PartyMember.Status.LEFT,
            on=on,
            reason=f"取消预备党员资格：{reason.strip()}",
        )
    audit_record(actor, "development.record_terminate", rec, before=before)
    record.refresh_from_db()
    return rec


@transaction.atomic
def key_teacher_mark(
    *,
    actor: Any,
    record: DevelopmentRecord,
    on: dt.date,
    today: dt.date | None = None,
) -> DevelopmentRecord:
    """双培养: a member developed here has been cultivated into a key teacher (骨干教师)."""
    rec = (
        DevelopmentRecord.objects.select_for_update()
        .select_related("person__unit", "branch__unit")
        .get(pk=record.pk)
    )
    require(actor, "development.key_teacher_mark", rec.branch.unit)
    field = "became_key_teacher_on"
    if rec.status not in (DevelopmentRecord.Status.PROBATIONARY, DevelopmentRecord.Status.FULL):
        raise field_error(
            DevelopmentRecord,
            field,
            "「培养成骨干教师日期」：只有已接收的党员才计入“党员培养成骨干教师”",
        )
    if rec.key_teacher_at_application:
        raise field_error(
            DevelopmentRecord,
            field,
            "「培养成骨干教师日期」：申请入党时已是骨干教师，已计入“骨干教师培养成党员”",
        )
    if rec.became_key_teacher_on is not None:
        raise field_error(DevelopmentRecord, field, "「培养成骨干教师日期」：已经登记过")
    if on > _today(today):
        raise field_error(DevelopmentRecord, field, "「培养成骨干教师日期」：不能晚于今天")
    if rec.admitted_on is not None and on < rec.admitted_on:
        raise field_error(DevelopmentRecord, field, "「培养成骨干教师日期」：不能早于入党日期")
    before = snapshot(rec)
    rec.became_key_teacher_on = on
    rec.save(update_fields=["became_key_teacher_on"])
    if not rec.person.is_key_teacher:
        from dangjian.people.actions import person_update

        person_update(actor=actor, person=rec.person, is_key_teacher=True)
    audit_record(actor, "development.key_teacher_mark", rec, before=before)
    record.refresh_from_db()
    return rec


def check_upload(upload: UploadedFile) -> str:
    return uploads.check_upload(upload, field="file", label="文件", allowed=uploads.WITH_WORD)


@transaction.atomic
def document_add(
    *,
    actor: Any,
    record: DevelopmentRecord,
    upload: UploadedFile,
    title: str = "",
    step: Step | None = None,
) -> Document:
    require(actor, "development.document_add", record.branch.unit)
    if step is not None and step.record_id != record.pk:
        raise ActionError("「所属步骤」：不属于该发展记录", field="step", label="所属步骤")
    content_type = check_upload(upload)
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    doc = Document(
        record=record,
        step=step,
        title=(title.strip() or name.rsplit(".", 1)[0])[:100],
        filename=name,
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=_user(actor),
    )
    doc.file.save(name, upload, save=False)
    doc.save()
    audit_record(actor, "development.document_add", doc)
    return doc
