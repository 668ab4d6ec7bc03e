"""Every change to organisational-life records (audited, STYLE.md §2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from dangjian.audit.log import record, snapshot
from dangjian.core import uploads
from dangjian.core.actions_util import field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.core.transitions import move

from . import rules
from .models import (
    Attachment,
    Attendance,
    Meeting,
    MeetingTag,
    StandardAssessment,
    StandardChecklist,
    StandardItem,
    StandardScore,
    Vanguard,
)

MAX_UPLOAD = uploads.MAX_UPLOAD


@dataclass(frozen=True)
class AttendanceIn:
    member: Any  # party.PartyMember
    status: str
    reason: str = ""
    grade: str = ""


def check_upload(f: UploadedFile, field: str = "attachments", label: str = "附件") -> str:
    return uploads.check_upload(f, field=field, label=label, allowed=uploads.WITH_WORD)


def _branch_of(org: Any) -> Any:
    """The branch whose members attend: a party group's parent branch, else the org itself."""
    from dangjian.orgs.models import PartyOrg

    return org.parent if org.kind == PartyOrg.Kind.GROUP and org.parent else org


def member_active_on(member: Any, day: dt.date) -> bool:
    if member.joined_on > day:
        return False
    return member.is_active or (
        member.status_changed_on is not None and member.status_changed_on > day
    )


def _check_org(org: Any, kind: str, also: Sequence[str]) -> None:
    from dangjian.orgs.models import PartyOrg

    if not org.is_active or not org.unit.is_active:
        raise field_error(Meeting, "org", "「党组织」：该党组织已撤销或所在单位已撤并")
    is_group = org.kind == PartyOrg.Kind.GROUP
    if kind == Meeting.Kind.GROUP and not is_group:
        raise field_error(Meeting, "org", "「党组织」：党小组会应登记在党小组下")
    if is_group and (kind != Meeting.Kind.GROUP or also):
        raise field_error(Meeting, "kind", "「会议类型」：党小组只登记党小组会")
    if Meeting.Kind.GROUP in also:
        raise field_error(Meeting, "also_counts_as", "「同时计为」：党小组会须由党小组单独登记")


def _check_fields(
    org: Any, kind: str, held_on: dt.date, also: Sequence[str], today: dt.date
) -> list[str]:
    valid = set(Meeting.Kind.values)
    if kind not in valid:
        raise field_error(Meeting, "kind", "「会议类型」：请选择有效的会议类型")
    unknown = [k for k in also if k not in valid]
    if unknown:
        raise field_error(Meeting, "also_counts_as", "「同时计为」：请选择有效的会议类型")
    _check_org(org, kind, also)
    if held_on > today:
        raise field_error(Meeting, "held_on", "「日期」：不能晚于今天（会议召开后再登记）")
    if org.established_on and held_on < org.established_on:
        raise field_error(Meeting, "held_on", "「日期」：早于该党组织的成立日期")
    return sorted({k for k in also if k != kind}, key=list(Meeting.Kind.values).index)


def _check_attendance(org: Any, held_on: dt.date, rows: Sequence[AttendanceIn]) -> None:
    branch = _branch_of(org)
    seen: set[int] = set()
    for row in rows:
        m = row.member
        name = m.person.name
        if m.pk in seen:
            raise ActionError(f"「出勤」：{name} 重复登记", "attendance", "出勤")
        seen.add(m.pk)
        if m.branch_id != branch.pk:
            raise ActionError(f"「出勤」：{name} 不是{branch.name}的党员", "attendance", "出勤")
        if not member_active_on(m, held_on):
            raise ActionError(f"「出勤」：{name} 在会议当天不是在册党员", "attendance", "出勤")
        if row.status not in Attendance.Status.values:
            raise ActionError(f"「出勤」：{name} 的出勤情况无效", "attendance", "出勤")
        if row.status != Attendance.Status.PRESENT and not row.reason.strip():
            raise ActionError(f"「出勤」：{name} 未出席，请填写原因", "attendance", "出勤")
        if row.grade and row.grade not in Attendance.Grade.values:
            raise ActionError(f"「出勤」：{name} 的评议等次无效", "attendance", "出勤")


def _is_secretary(org: Any, person: Any, day: dt.date) -> bool:
    from dangjian.orgs.models import Post

    if person is None:
        return False
    return (
        Post.objects.filter(org=org, person=person, title=Post.Title.SECRETARY, started_on__lte=day)
        .exclude(ended_on__lt=day)
        .exists()
    )


def _write_tags(meeting: Meeting, rows: Sequence[AttendanceIn], fresh: bool = False) -> None:
    """The kinds the meeting counts for, each with whether its record is complete enough."""
    _write_tags_for(meeting, bool(rows), bool(rows) and all(r.grade for r in rows), fresh)


def _write_tags_for(
    meeting: Meeting, has_attendance: bool, every_member_graded: bool, fresh: bool = False
) -> None:
    if not fresh:
        meeting.tags.all().delete()
    facts = {
        "has_minutes": bool(meeting.minutes.strip()),
        "has_attendance": has_attendance,
        "has_speaker": meeting.host_id is not None,
        "has_topics": bool(meeting.topics.strip()),
        "every_member_graded": every_member_graded,
    }
    kinds = [rules.Kind(k) for k in meeting.kinds]
    if rules.Kind.LECTURE in kinds and _is_secretary(meeting.org, meeting.host, meeting.held_on):
        kinds.append(rules.Kind.SECRETARY_LECTURE)
    MeetingTag.objects.bulk_create(
        MeetingTag(
            meeting=meeting,
            org_id=meeting.org_id,
            kind=k.value,
            held_on=meeting.held_on,
            qualifies=rules.counts_toward(k, **facts),
        )
        for k in kinds
    )


def _count_attendance(meeting: Meeting, rows: Sequence[AttendanceIn]) -> None:
    meeting.expected_count = len(rows)
    meeting.present_count = sum(r.status == Attendance.Status.PRESENT for r in rows)
    meeting.excused_count = sum(r.status == Attendance.Status.EXCUSED for r in rows)
    meeting.absent_count = sum(r.status == Attendance.Status.ABSENT for r in rows)


def _write_attendance(meeting: Meeting, rows: Sequence[AttendanceIn], fresh: bool = False) -> None:
    if not fresh:
        meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=r.member,
            status=r.status,
            reason=r.reason.strip(),
            grade=r.grade,
        )
        for r in rows
    )


def _attach(meeting: Meeting, files: Iterable[UploadedFile]) -> list[Attachment]:
    checked = [(f, check_upload(f)) for f in files]
    return [
        Attachment.objects.create(
            meeting=meeting,
            file=f,
            name=(f.name or "")[:200],
            size=f.size or 0,
            content_type=ctype,
        )
        for f, ctype in checked
    ]


def _state(meeting: Meeting, rows: Sequence[AttendanceIn]) -> dict[str, Any]:
    data = snapshot(meeting) or {}
    data["attendance"] = sorted([r.member.pk, r.status, r.reason.strip(), r.grade] for r in rows)
    return data


def _stored_rows(meeting: Meeting) -> list[AttendanceIn]:
    return [
        AttendanceIn(a.member, a.status, a.reason, a.grade)
        for a in meeting.attendance.select_related("member__person")
    ]


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    org: Any,
    kind: str,
    held_on: dt.date,
    place: str = "",
    topics: str = "",
    host: Any = None,
    minutes: str = "",
    also_counts_as: Sequence[str] = (),
    attendance: Sequence[AttendanceIn] = (),
    attachments: Iterable[UploadedFile] = (),
    entered_on: dt.date | None = None,
) -> Meeting:
    require(actor, "orglife.meeting_create", org.unit)
    today = entered_on or timezone.localdate()
    also = _check_fields(org, kind, held_on, also_counts_as, today)
    _check_attendance(org, held_on, attendance)
    files = list(attachments)
    for f in files:
        check_upload(f)
    meeting = Meeting(
        org=org,
        kind=kind,
        also_counts_as=also,
        held_on=held_on,
        place=place.strip(),
        topics=topics.strip(),
        host=host,
        minutes=minutes.strip(),
        entered_on=today,
    )
    _count_attendance(meeting, attendance)
    meeting.save()
    _write_attendance(meeting, attendance, fresh=True)
    _attach(meeting, files)
    _write_tags(meeting, attendance, fresh=True)
    record(actor, "orglife.meeting_create", meeting, after=_state(meeting, attendance))
    return meeting


MEETING_FIELDS = {"kind", "also_counts_as", "held_on", "place", "topics", "host", "minutes"}


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    attendance: Sequence[AttendanceIn] | None = None,
    **changes: Any,
) -> Meeting:
    require(actor, "orglife.meeting_update", meeting.org.unit)
    unknown = set(changes) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"unknown meeting fields {unknown}")
    stored = _stored_rows(meeting)
    before = _state(meeting, stored)
    kind = changes.get("kind", meeting.kind)
    held_on = changes.get("held_on", meeting.held_on)
    also = _check_fields(
        meeting.org,
        kind,
        held_on,
        changes.get("also_counts_as", meeting.also_counts_as),
        timezone.localdate(),
    )
    rows = stored if attendance is None else attendance
    _check_attendance(meeting.org, held_on, rows)
    for name, value in changes.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    meeting.also_counts_as = also
    _count_attendance(meeting, rows)
    _write_attendance(meeting, rows)
    meeting.save()
    _write_tags(meeting, rows)
    record(actor, "orglife.meeting_update", meeting, before=before, after=_state(meeting, rows))
    return meeting


def _attendance_facts(meeting: Meeting) -> tuple[bool, bool]:
    """(has_attendance, every_member_graded): the attendance facts the meeting's tags read."""
    grades = list(meeting.attendance.values_list("grade", flat=True))
    return bool(grades), bool(grades) and all(grades)


@transaction.atomic
def attendance_set(
    *, actor: Any, meeting: Meeting, member: Any, status: str, reason: str = ""
) -> Attendance:
    """One member's attendance at one meeting (the attendance import): added or changed, the
    meeting's counts and tags kept in step. Setting what is already stored writes nothing."""
    require(actor, "orglife.attendance_set", meeting.org.unit)
    _check_org(meeting.org, meeting.kind, meeting.also_counts_as)
    reason = "" if status == Attendance.Status.PRESENT else reason.strip()
    _check_attendance(meeting.org, meeting.held_on, [AttendanceIn(member, status, reason)])
    existing = Attendance.objects.filter(meeting=meeting, member=member).first()
    if existing is not None and (existing.status, existing.reason) == (status, reason):
        return existing
    facts = _attendance_facts(meeting)
    before = snapshot(existing) if existing is not None else None
    if existing is None:
        attendance = Attendance.objects.create(
            meeting=meeting, member=member, status=status, reason=reason
        )
    else:
        attendance = existing
        attendance.status, attendance.reason = status, reason
        attendance.save(update_fields=["status", "reason"])
    counts = dict(
        meeting.attendance.values_list("status").annotate(n=models.Count("id")).order_by()
    )
    meeting.expected_count = sum(counts.values())
    meeting.present_count = counts.get(Attendance.Status.PRESENT, 0)
    meeting.excused_count = counts.get(Attendance.Status.EXCUSED, 0)
    meeting.absent_count = counts.get(Attendance.Status.ABSENT, 0)
    meeting.save(update_fields=["expected_count", "present_count", "excused_count", "absent_count"])
    after_facts = _attendance_facts(meeting)
    if after_facts != facts:
        _write_tags_for(meeting, *after_facts)
    record(actor, "orglife.attendance_set", attendance, before=before, unit=meeting.org.unit)
    return attendance


@transaction.atomic
def attachment_add(
    *, actor: Any, meeting: Meeting, files: Iterable[UploadedFile]
) -> list[Attachment]:
    require(actor, "orglife.attachment_add", meeting.org.unit)
    files = list(files)
    if not files:
        raise ActionError("「附件」：请选择要上传的文件", "attachments", "附件")
    added = _attach(meeting, files)
    for a in added:
        record(actor, "orglife.attachment_add", a, unit=meeting.org.unit)
    return added


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> Meeting:
    meeting = attachment.meeting
    require(actor, "orglife.attachment_remove", meeting.org.unit)
    before = snapshot(attachment)
    record(
        actor,
        "orglife.attachment_remove",
        attachment,
        before=before,
        unit=meeting.org.unit,
        take_after=False,
    )
    attachment.file.delete(save=False)
    attachment.delete()
    return meeting


# ---- standardisation checklists ----


@dataclass(frozen=True)
class ItemIn:
    text: str
    max_score: int


@transaction.atomic
def checklist_create(
    *,
    actor: Any,
    unit: Any,
    kind: str,
    name: str,
    year: int,
    items: Sequence[ItemIn],
    pass_score: int = 60,
) -> StandardChecklist:
    from dangjian.orgs.models import Unit

    require(actor, "orglife.checklist_create", unit)
    if unit.kind not in (*Unit.BUREAU_KINDS, Unit.Kind.DISTRICT_OFFICE):
        raise field_error(StandardChecklist, "unit", "「制定单位」：检查表由教育局或学区制定")
    if kind not in StandardChecklist.Kind.values:
        raise field_error(StandardChecklist, "kind", "「类型」：请选择有效的类型")
    if not name.strip():
        raise field_error(StandardChecklist, "name", "「名称」：不能为空")
    if not 2000 <= year <= 2100:
        raise field_error(StandardChecklist, "year", "「年度」：请输入有效年度")
    cleaned = [ItemIn(i.text.strip(), i.max_score) for i in items if i.text.strip()]
    if not cleaned:
        raise ActionError("「检查项」：至少填写一项", "items", "检查项")
    if any(i.max_score <= 0 for i in cleaned):
        raise ActionError("「检查项」：每项分值须大于0", "items", "检查项")
    total = sum(i.max_score for i in cleaned)
    if pass_score > total:
        raise field_error(StandardChecklist, "pass_score", f"「达标分数」：不能超过总分{total}")
    checklist = StandardChecklist.objects.create(
        unit=unit, kind=kind, name=name.strip(), year=year, pass_score=pass_score
    )
    StandardItem.objects.bulk_create(
        StandardItem(checklist=checklist, position=n, text=i.text, max_score=i.max_score)
        for n, i in enumerate(cleaned, start=1)
    )
    after = snapshot(checklist) or {}
    after["items"] = [[i.text, i.max_score] for i in cleaned]
    record(actor, "orglife.checklist_create", checklist, after=after)
    return checklist


@dataclass(frozen=True)
class ScoreIn:
    item: StandardItem
    score: int
    note: str = ""
    evidence: UploadedFile | None = None


@transaction.atomic
def assessment_save(
    *,
    actor: Any,
    checklist: StandardChecklist,
    org: Any,
    scores: Sequence[ScoreIn],
    filled_on: dt.date | None = None,
) -> StandardAssessment:
    """A branch fills (or refills) a checklist: one score per item, evidence optional."""
    from dangjian.orgs.models import PartyOrg

    require(actor, "orglife.assessment_save", org.unit)
    if not org.unit.path.startswith(checklist.unit.path):
        raise field_error(StandardAssessment, "checklist", "「检查表」：不适用于该党组织")
    if not checklist.is_active:
        raise field_error(StandardAssessment, "checklist", "「检查表」：已停用")
    if org.kind == PartyOrg.Kind.GROUP or not org.is_active:
        raise field_error(StandardAssessment, "org", "「党支部」：请选择有效的党支部")
    items = {i.pk: i for i in checklist.items.all()}
    given = {s.item.pk: s for s in scores}
    if set(given) != set(items):
        raise ActionError("「得分」：每个检查项都须打分", "scores", "得分")
    for s in scores:
        if not 0 <= s.score <= s.item.max_score:
            raise ActionError(
                f"「得分」：第{s.item.position}项得分应在0至{s.item.max_score}之间",
                "scores",
                "得分",
            )
        if s.evidence is not None:
            check_upload(s.evidence, "scores", "佐证材料")
    existing = StandardAssessment.objects.filter(checklist=checklist, org=org).first()
    before = None
    old_evidence: dict[int, Any] = {}
    if existing is not None:
        before = snapshot(existing)
        old_evidence = {s.item_id: s.evidence for s in existing.scores.all() if s.evidence}
        existing.scores.all().delete()
        assessment = existing
    else:
        assessment = StandardAssessment(checklist=checklist, org=org)
    assessment.filled_on = filled_on or timezone.localdate()
    assessment.score = sum(s.score for s in scores)
    assessment.save()
    for s in sorted(scores, key=lambda s: s.item.position):
        row = StandardScore(assessment=assessment, item=s.item, score=s.score, note=s.note.strip())
        if s.evidence is not None:
            row.evidence = s.evidence
        elif s.item.pk in old_evidence:
            row.evidence = old_evidence[s.item.pk]
        row.save()
    after = snapshot(assessment) or {}
    after["scores"] = [[s.item.position, s.score] for s in scores]
    record(actor, "orglife.assessment_save", assessment, before=before, after=after)
    return assessment


# ---- 党员示范岗 / 责任区 / 承诺践诺 ----


@transaction.atomic
def vanguard_create(
    *,
    actor: Any,
    org: Any,
    kind: str,
    title: str,
    content: str,
    members: Sequence[Any],
    started_on: dt.date,
    due_on: dt.date | None = None,
) -> Vanguard:
    from dangjian.orgs.models import PartyOrg

    require(actor, "orglife.vanguard_create", org.unit)
    if org.kind == PartyOrg.Kind.GROUP or not org.is_active or not org.unit.is_active:
        raise field_error(Vanguard, "org", "「党支部」：请选择有效的党支部")
    if kind not in Vanguard.Kind.values:
        raise field_error(Vanguard, "kind", "「类型」：请选择有效的类型")
    if not title.strip():
        raise field_error(Vanguard, "title", "「名称」：不能为空")
    if not content.strip():
        raise field_error(Vanguard, "content", "「内容/承诺事项」：不能为空")
    if not members:
        raise field_error(Vanguard, "members", "「党员」：至少选择一名党员")
    outsiders = [m.person.name for m in members if m.branch_id != org.pk or not m.is_active]
    if outsiders:
        raise field_error(
            Vanguard, "members", f"「党员」：{'、'.join(outsiders)} 不是本支部在册党员"
        )
    if due_on is not None and due_on < started_on:
        raise field_error(Vanguard, "due_on", "「期限」：不能早于开始日期")
    v = Vanguard.objects.create(
        org=org,
        kind=kind,
        title=title.strip(),
        content=content.strip(),
        started_on=started_on,
        due_on=due_on,
    )
    v.members.set(members)
    after = snapshot(v) or {}
    after["members"] = sorted(m.pk for m in members)
    record(actor, "orglife.vanguard_create", v, after=after)
    return v


@transaction.atomic
def vanguard_close(
    *, actor: Any, vanguard: Vanguard, status: str, closed_on: dt.date, result: str
) -> Vanguard:
    """评定: fulfilled or not, with the assessment in words."""
    require(actor, "orglife.vanguard_close", vanguard.org.unit)
    if status not in (Vanguard.Status.FULFILLED, Vanguard.Status.UNFULFILLED):
        raise field_error(Vanguard, "status", "「状态」：请选择评定结果")
    if not result.strip():
        raise field_error(Vanguard, "result", "「践诺情况/评定意见」：不能为空")
    if closed_on < vanguard.started_on:
        raise field_error(Vanguard, "closed_on", "「评定日期」：不能早于开始日期")
    before = snapshot(vanguard)
    move(vanguard, status)
    vanguard.closed_on = closed_on
    vanguard.result = result.strip()
    vanguard.save(update_fields=["status", "closed_on", "result"])
    record(actor, "orglife.vanguard_close", vanguard, before=before)
    return vanguard
