"""Actions: advancing through the stages, refusals that change nothing, one audit row each,
admission creating a probationary member and 转正 making them full."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.development import actions
from dangjian.development.models import DevelopmentRecord, Document, Step
from dangjian.party.models import PartyMember

from .conftest import TODAY, add_person

D = dt.date


def _audit(since: int) -> list[str]:
    return list(
        AuditEntry.objects.filter(id__gt=since).order_by("id").values_list("action", flat=True)
    )


def _last() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_record_create_starts_as_applicant_with_one_audit_row(system, applicant, branch_a):
    since = _last()
    rec = actions.record_create(
        actor=system, person=applicant, branch=branch_a, applied_on=D(2026, 10, 30), today=TODAY
    )
    assert rec.status == "applicant" and rec.key_teacher_at_application
    assert list(rec.steps.values_list("kind", flat=True)) == ["application"]
    assert rec.next_due_on == D(2026, 11, 30) and rec.next_due_label == "党组织派人谈话"
    assert _audit(since) == ["development.record_create"]


def test_record_create_refuses_under_18_naming_rule(system, county, branch_a):
    young = add_person(system, county["a"], "小李", 700, "20080601")
    with pytest.raises(ActionError) as exc:
        actions.record_create(
            actor=system, person=young, branch=branch_a, applied_on=D(2026, 5, 31), today=TODAY
        )
    assert exc.value.field == "applied_on" and "【规则2.3-1】" in exc.value.message
    assert not DevelopmentRecord.objects.exists()
    ok = actions.record_create(
        actor=system, person=young, branch=branch_a, applied_on=D(2026, 6, 1), today=TODAY
    )
    assert ok.pk


def test_record_create_refuses_members_and_duplicates(system, record_a, members_a, branch_a):
    for person in (members_a[0], record_a.person):
        with pytest.raises(ActionError) as exc:
            actions.record_create(
                actor=system, person=person, branch=branch_a, applied_on=D(2026, 1, 5), today=TODAY
            )
        assert exc.value.field == "person"


def test_advance_through_every_stage(system, pipeline, record_a):
    pipeline.activist()
    record_a.refresh_from_db()
    assert record_a.status == "activist" and record_a.activist_on == D(2023, 3, 15)
    pipeline.step("activist_cultivation", D(2023, 9, 10))
    pipeline.step("candidate_selection", D(2024, 3, 15))
    record_a.refresh_from_db()
    assert record_a.status == "candidate"


def test_candidate_too_early_refused_unchanged(system, pipeline, record_a, assert_unchanged):
    pipeline.activist()
    record_a.refresh_from_db()
    steps = Step.objects.count()
    with assert_unchanged(record_a), pytest.raises(ActionError) as exc:
        pipeline.step("candidate_selection", D(2024, 3, 14))
    assert exc.value.field == "on" and exc.value.label == "确定日期"
    assert "【规则2.3-7】" in exc.value.message and "2024年3月15日" in exc.value.message
    assert Step.objects.count() == steps


def test_each_step_writes_one_audit_row(system, pipeline, record_a):
    since = _last()
    pipeline.step("application_talk", D(2022, 9, 20), people=pipeline.members[:1])
    assert _audit(since) == ["development.step_record"]


def test_admission_creates_probationary_member(system, pipeline, record_a, branch_a):
    pipeline.candidate()
    since = _last()
    pipeline.step("admission_meeting", D(2024, 6, 1), votes_due=3, votes_present=3, votes_yes=3)
    record_a.refresh_from_db()
    member = PartyMember.objects.get(person=record_a.person)
    assert member.status == "probationary" and member.joined_on == D(2024, 6, 1)
    assert member.branch == branch_a and record_a.member == member
    assert record_a.status == "probationary" and record_a.probation_ends_on == D(2025, 6, 1)
    assert _audit(since) == ["party.member_create", "development.step_record"]


def test_admission_vote_not_passed_refused(system, pipeline, record_a, assert_unchanged):
    pipeline.candidate()
    record_a.refresh_from_db()
    with assert_unchanged(record_a), pytest.raises(ActionError) as exc:
        pipeline.step("admission_meeting", D(2024, 6, 1), votes_due=5, votes_present=5, votes_yes=2)
    assert exc.value.field == "votes_yes" and "【规则2.3-15】" in exc.value.message
    assert not PartyMember.objects.filter(person=record_a.person).exists()


def test_full_membership_makes_member_full(system, pipeline, record_a):
    pipeline.make_full()
    record_a.refresh_from_db()
    member = PartyMember.objects.get(person=record_a.person)
    assert record_a.status == "full" and member.status == "full"
    # 党龄 from the end of probation (RULES.md §2.4), not from the later meeting
    assert member.full_on == D(2025, 6, 1)
    assert record_a.next_due_label == "上级党委审批转正"


def test_extension_moves_probation_end(system, pipeline, record_a):
    pipeline.admit()
    pipeline.step(
        "extension", D(2025, 6, 3), extension_months=6, votes_due=3, votes_present=3, votes_yes=3
    )
    record_a.refresh_from_db()
    assert record_a.probation_ends_on == D(2025, 12, 1) and record_a.status == "probationary"
    with pytest.raises(ActionError) as exc:
        pipeline.step(
            "extension",
            D(2025, 6, 4),
            extension_months=6,
            votes_due=3,
            votes_present=3,
            votes_yes=3,
        )
    assert exc.value.field == "kind"


def test_late_talk_stored_with_warning_and_flag(system, pipeline, record_a):
    step = pipeline.step("application_talk", D(2022, 10, 5), people=pipeline.members[:1])
    record_a.refresh_from_db()
    assert step.warnings[0]["rule"] == "2.3-2"
    assert record_a.flagged and record_a.recorded_warnings[0]["rule"] == "2.3-2"


def test_terminate_probationary_cancels_membership(system, pipeline, record_a):
    pipeline.admit()
    actions.record_terminate(
        actor=system, record=record_a, on=D(2024, 12, 1), reason="不履行党员义务", today=TODAY
    )
    record_a.refresh_from_db()
    assert record_a.status == "terminated"
    assert PartyMember.objects.get(person=record_a.person).status == "left"
    with pytest.raises(ActionError):
        pipeline.step("oath", D(2024, 12, 2))


def test_key_teacher_mark(system, county, branch_a, members_a):
    person = add_person(system, county["a"], "青年教师", 710, "19980101")
    rec = actions.record_create(
        actor=system, person=person, branch=branch_a, applied_on=D(2022, 9, 1), today=TODAY
    )
    from .conftest import Pipeline

    with pytest.raises(ActionError):
        actions.key_teacher_mark(actor=system, record=rec, on=D(2024, 1, 1), today=TODAY)
    Pipeline(system, rec, members_a).admit()
    actions.key_teacher_mark(actor=system, record=rec, on=D(2025, 9, 1), today=TODAY)
    rec.refresh_from_db()
    person.refresh_from_db()
    assert rec.became_key_teacher_on == D(2025, 9, 1) and person.is_key_teacher


def test_document_type_and_size_checked(system, record_a):
    pdf = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    doc = actions.document_add(actor=system, record=record_a, upload=pdf)
    assert doc.title == "申请书" and doc.content_type == "application/pdf" and doc.size == 13
    fake = SimpleUploadedFile("照片.png", b"not a png", content_type="image/png")
    with pytest.raises(ActionError, match="不符"):
        actions.document_add(actor=system, record=record_a, upload=fake)
    exe = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ActionError, match="类型不允许"):
        actions.document_add(actor=system, record=record_a, upload=exe)
    big = SimpleUploadedFile(
        "大.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    with pytest.raises(ActionError, match="超过 10 MB"):
        actions.document_add(actor=system, record=record_a, upload=big)
    assert Document.objects.count() == 1


@pytest.mark.parametrize("who", ["other_school", "wrong_role"])
def test_step_refused_for_outsiders(
    who, system, pipeline, record_a, make_user, county, assert_unchanged
):
    user = (
        make_user("school_secretary", county["b"])
        if who == "other_school"
        else make_user("bureau_leader", county["bureau"])
    )
    expected: Any = OutOfScope if who == "other_school" else NotAllowed
    with assert_unchanged(record_a), pytest.raises(expected):
        actions.step_record(
            actor=user,
            record=record_a,
            kind="application_talk",
            on=D(2022, 9, 20),
            people=pipeline.members[:1],
            today=TODAY,
        )
