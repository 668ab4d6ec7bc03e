"""Actions: one audit row each; refusals change nothing (STYLE.md §2, §9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.orglife import actions
from dangjian.orglife.actions import AttendanceIn, ItemIn, ScoreIn
from dangjian.orglife.models import Attachment, Meeting, MeetingTag, StandardAssessment, Vanguard

from .conftest import docx, png

pytestmark = pytest.mark.django_db
D = dt.date


def _audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_meeting_create_records_attendance_tags_and_one_audit_row(
    secretary_a, branch_a, members_a, media
):
    absent = members_a[0]
    rows = [AttendanceIn(m, "present") for m in members_a[1:]] + [
        AttendanceIn(absent, "excused", "外出培训")
    ]
    m = actions.meeting_create(
        actor=secretary_a,
        org=branch_a,
        kind="theme_day",
        also_counts_as=["branch_general_meeting", "theme_day"],
        held_on=D(2026, 3, 12),
        topics="重温入党誓词",
        minutes="全体党员参加",
        attendance=rows,
        attachments=[png()],
        entered_on=D(2026, 3, 13),
    )
    assert (m.expected_count, m.present_count, m.excused_count, m.absent_count) == (8, 7, 1, 0)
    assert m.also_counts_as == ["branch_general_meeting"]
    assert dict(m.tags.values_list("kind", "qualifies")) == {
        "theme_day": True,
        "branch_general_meeting": True,
    }
    assert m.attachments.get().content_type == "image/png"
    assert _audits("orglife.meeting_create") == 1
    entry = AuditEntry.objects.get(action="orglife.meeting_create")
    assert entry.unit_id == branch_a.unit_id
    assert entry.after is not None
    assert [absent.pk, "excused", "外出培训", ""] in entry.after["attendance"]


def test_general_meeting_without_minutes_does_not_count(secretary_a, branch_a, members_a):
    m = actions.meeting_create(
        actor=secretary_a,
        org=branch_a,
        kind="branch_general_meeting",
        held_on=D(2026, 3, 12),
        attendance=[AttendanceIn(x, "present") for x in members_a],
        entered_on=D(2026, 3, 12),
    )
    assert m.tags.get().qualifies is False


def test_lecture_by_the_secretary_counts_as_secretary_lecture(
    system, secretary_a, branch_a, members_a
):
    from dangjian.orgs.actions import post_create

    person = members_a[0].person
    post_create(
        actor=system, org=branch_a, person=person, title="secretary", started_on=D(2024, 1, 1)
    )
    m = actions.meeting_create(
        actor=secretary_a,
        org=branch_a,
        kind="party_lecture",
        held_on=D(2026, 4, 2),
        host=person,
        topics="专题党课",
        attendance=[AttendanceIn(x, "present") for x in members_a],
        entered_on=D(2026, 4, 2),
    )
    assert set(m.tags.values_list("kind", flat=True)) == {"party_lecture", "secretary_lecture"}


def test_meeting_update_rebuilds_tags_and_audits(secretary_a, branch_a, members_a, record):
    m = record(branch_a, "branch_committee_meeting", D(2026, 2, 3), minutes="")
    assert m.tags.get().qualifies is False
    actions.meeting_update(
        actor=secretary_a, meeting=m, minutes="补充会议记录", held_on=D(2026, 2, 4)
    )
    m.refresh_from_db()
    assert m.tags.get().qualifies is True
    assert m.tags.get().held_on == D(2026, 2, 4)
    entry = AuditEntry.objects.get(action="orglife.meeting_update")
    assert entry.before is not None and entry.after is not None
    assert entry.before["minutes"] == "" and entry.after["minutes"] == "补充会议记录"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "group_meeting"}, "org"),
        ({"held_on": D(2099, 1, 1)}, "held_on"),
        ({"held_on": D(2009, 1, 1)}, "held_on"),
        ({"also_counts_as": ["group_meeting"]}, "also_counts_as"),
        ({"kind": "no_such_kind"}, "kind"),
    ],
)
def test_meeting_create_refusals_change_nothing(
    secretary_a, branch_a, assert_unchanged, changes, field
):
    args = {"kind": "theme_day", "held_on": D(2026, 3, 1), **changes}
    with assert_unchanged(branch_a), pytest.raises(ActionError) as exc:
        actions.meeting_create(actor=secretary_a, org=branch_a, entered_on=D(2026, 11, 1), **args)
    assert exc.value.field == field
    assert not Meeting.objects.exists()


def test_attendance_refusals(
    secretary_a, branch_a, branch_b, members_a, make_members, assert_unchanged
):
    other = make_members(branch_b, 1)[0]
    cases = [
        ([AttendanceIn(members_a[0], "absent")], "未出席，请填写原因"),
        ([AttendanceIn(other, "present")], "不是青山一中党支部的党员"),
        (
            [AttendanceIn(members_a[0], "present"), AttendanceIn(members_a[0], "present")],
            "重复登记",
        ),
    ]
    for rows, text in cases:
        with assert_unchanged(branch_a), pytest.raises(ActionError) as exc:
            actions.meeting_create(
                actor=secretary_a,
                org=branch_a,
                kind="theme_day",
                held_on=D(2026, 3, 1),
                attendance=rows,
                entered_on=D(2026, 3, 2),
            )
        assert text in exc.value.message
    # a member who joined after the meeting was not expected at it
    with pytest.raises(ActionError, match="不是在册党员"):
        actions.meeting_create(
            actor=secretary_a,
            org=branch_a,
            kind="theme_day",
            held_on=D(2014, 3, 1),
            attendance=[AttendanceIn(members_a[0], "present")],
            entered_on=D(2026, 3, 2),
        )


@pytest.mark.parametrize(
    ("upload", "text"),
    [
        (SimpleUploadedFile("a.exe", b"MZ"), "类型不允许"),
        (SimpleUploadedFile("a.png", b"not a png"), "内容与扩展名不符"),
        (SimpleUploadedFile("a.docx", b"PK\x03\x04broken"), "内容与扩展名不符"),
        (SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)), "超过 10 MB"),
    ],
)
def test_upload_checks(secretary_a, branch_a, assert_unchanged, media, upload, text):
    with assert_unchanged(branch_a), pytest.raises(ActionError, match=text):
        actions.meeting_create(
            actor=secretary_a,
            org=branch_a,
            kind="theme_day",
            held_on=D(2026, 3, 1),
            attachments=[upload],
            entered_on=D(2026, 3, 2),
        )
    assert not Attachment.objects.exists()


def test_attachments_add_and_remove(secretary_a, branch_a, record, media):
    m = record(branch_a, "theme_day", D(2026, 3, 1))
    added = actions.attachment_add(actor=secretary_a, meeting=m, files=[docx(), png()])
    assert [a.content_type.split("/")[0] for a in added] == ["application", "image"]
    actions.attachment_remove(actor=secretary_a, attachment=added[0])
    assert list(m.attachments.all()) == [added[1]]
    assert _audits("orglife.attachment_add") == 2
    assert _audits("orglife.attachment_remove") == 1


def test_group_meetings_belong_to_groups(secretary_a, branch_a, members_a, make_branch, record):
    group = make_branch(branch_a.unit, "语文党小组", kind="group", parent=branch_a)
    m = record(group, "group_meeting", D(2026, 3, 5))
    assert m.expected_count == 8  # the branch's members
    with pytest.raises(ActionError, match="党小组只登记党小组会"):
        record(group, "theme_day", D(2026, 3, 5))


def test_permissions(secretary_b, branch_a, county, make_user, assert_unchanged):
    staff = make_user("district_staff", county["district"])
    for actor, exc in ((secretary_b, OutOfScope), (staff, NotAllowed)):
        with assert_unchanged(branch_a), pytest.raises(exc):
            actions.meeting_create(
                actor=actor,
                org=branch_a,
                kind="theme_day",
                held_on=D(2026, 3, 1),
                entered_on=D(2026, 3, 2),
            )


def test_checklist_and_assessment(
    bureau_admin, secretary_a, branch_a, county, media, assert_unchanged
):
    with assert_unchanged(county["a"]), pytest.raises(NotAllowed):
        actions.checklist_create(
            actor=secretary_a,
            unit=county["a"],
            kind="five_good",
            name="x",
            year=2026,
            items=[ItemIn("a", 10)],
        )
    with pytest.raises(ActionError, match="由教育局或学区制定"):
        actions.checklist_create(
            actor=bureau_admin,
            unit=county["a"],
            kind="five_good",
            name="x",
            year=2026,
            items=[ItemIn("a", 10)],
        )
    with pytest.raises(ActionError, match="不能超过总分30"):
        actions.checklist_create(
            actor=bureau_admin,
            unit=county["bureau"],
            kind="five_good",
            name="五好",
            year=2026,
            items=[ItemIn("班子好", 10), ItemIn("队伍好", 20)],
            pass_score=40,
        )
    c = actions.checklist_create(
        actor=bureau_admin,
        unit=county["bureau"],
        kind="five_good",
        name="五好",
        year=2026,
        items=[ItemIn("班子好", 10), ItemIn("队伍好", 20)],
        pass_score=25,
    )
    i1, i2 = c.items.all()
    with pytest.raises(ActionError, match="第2项得分应在0至20之间"):
        actions.assessment_save(
            actor=secretary_a, checklist=c, org=branch_a, scores=[ScoreIn(i1, 10), ScoreIn(i2, 21)]
        )
    with pytest.raises(ActionError, match="每个检查项都须打分"):
        actions.assessment_save(
            actor=secretary_a, checklist=c, org=branch_a, scores=[ScoreIn(i1, 10)]
        )
    a = actions.assessment_save(
        actor=secretary_a,
        checklist=c,
        org=branch_a,
        scores=[ScoreIn(i1, 10, "齐全", png()), ScoreIn(i2, 12)],
    )
    assert (a.score, a.passed) == (22, False)
    again = actions.assessment_save(
        actor=secretary_a, checklist=c, org=branch_a, scores=[ScoreIn(i1, 10), ScoreIn(i2, 18)]
    )
    assert again.pk == a.pk and again.score == 28 and again.passed
    assert again.scores.get(item=i1).evidence  # kept from the first fill
    assert StandardAssessment.objects.count() == 1
    assert _audits("orglife.checklist_create") == 1
    assert _audits("orglife.assessment_save") == 2


def test_vanguard_create_and_close(
    secretary_a, branch_a, branch_b, members_a, make_members, assert_unchanged
):
    other = make_members(branch_b, 1)[0]
    with assert_unchanged(branch_a), pytest.raises(ActionError, match="不是本支部在册党员"):
        actions.vanguard_create(
            actor=secretary_a,
            org=branch_a,
            kind="pledge",
            title="承诺",
            content="不收礼",
            members=[members_a[0], other],
            started_on=D(2026, 3, 1),
        )
    v = actions.vanguard_create(
        actor=secretary_a,
        org=branch_a,
        kind="pledge",
        title="党员公开承诺",
        content="不收礼",
        members=members_a[:2],
        started_on=D(2026, 3, 1),
        due_on=D(2026, 12, 31),
    )
    assert v.status == Vanguard.Status.ACTIVE
    with assert_unchanged(v), pytest.raises(ActionError, match="不能为空"):
        actions.vanguard_close(
            actor=secretary_a, vanguard=v, status="fulfilled", closed_on=D(2026, 10, 1), result=" "
        )
    actions.vanguard_close(
        actor=secretary_a, vanguard=v, status="fulfilled", closed_on=D(2026, 10, 1), result="已兑现"
    )
    with assert_unchanged(v), pytest.raises(ActionError):
        actions.vanguard_close(
            actor=secretary_a,
            vanguard=v,
            status="unfulfilled",
            closed_on=D(2026, 10, 2),
            result="x",
        )
    assert _audits("orglife.vanguard_create") == 1
    assert _audits("orglife.vanguard_close") == 1
    assert MeetingTag.objects.count() == 0
