"""Import of meeting attendance: all or nothing, every bad row named, re-import changes nothing,
and only meetings in the importer's scope."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError
from dangjian.core.imports import get_importer, read_rows, run
from dangjian.orglife import actions
from dangjian.orglife.imports import AttendanceImporter
from dangjian.orglife.models import Attendance, Meeting, MeetingTag

pytestmark = pytest.mark.django_db
D = dt.date
HEADERS = [c.header for c in AttendanceImporter.columns]


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(member: Any, status: str = "出席", reason: str = "", **kw: Any) -> list[Any]:
    values = {
        "党组织名称": "青山一中党支部",
        "所在单位代码": "qsx-cg-01",
        "会议日期": "2026-03-10",
        "会议类型": "支部党员大会",
        "身份证号": member.person._id_number_plain(),
        "姓名": member.person.name,
        "出席情况": status,
        "缺席原因": reason,
        **kw,
    }
    return [values[h] for h in HEADERS]


def _run(user: Any, rows: list[list[Any]]) -> Any:
    return run(AttendanceImporter(user), read_rows(xlsx(rows), AttendanceImporter.columns))


def _state() -> list[tuple[int, int, str, str]]:
    return sorted(Attendance.objects.values_list("meeting_id", "member_id", "status", "reason"))


@pytest.fixture
def meeting(branch_a, members_a, record) -> Meeting:
    """A general meeting entered without attendance: it does not count yet (RULES.md §3.3)."""
    return record(branch_a, "branch_general_meeting", D(2026, 3, 10), attendance=[])


def test_registered_and_template(client, secretary_a):
    assert get_importer("orglife-attendance") is AttendanceImporter
    client.force_login(secretary_a)
    r = client.get(reverse("imports:import-template", args=["orglife-attendance"]))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    notes = " ".join(str(c.value) for line in wb["说明"].iter_rows() for c in line if c.value)
    assert "出席、请假、缺席" in notes and "支部党员大会" in notes


def test_import_fills_attendance_then_reimport_is_a_no_op(secretary_a, meeting, members_a):
    tag = MeetingTag.objects.get(meeting=meeting, kind="branch_general_meeting")
    assert not tag.qualifies
    audit = AuditEntry.objects.count()
    rows = [row(m) for m in members_a[:6]]
    rows.append(row(members_a[6], "请假", "外出培训"))
    rows.append(row(members_a[7], "缺席", "  病假 "))
    out = _run(secretary_a, rows)
    assert out.ok, out.errors
    assert (out.created, out.updated, out.unchanged) == (8, 0, 0)
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count) == (8, 6)
    assert (meeting.excused_count, meeting.absent_count) == (1, 1)
    assert Attendance.objects.get(member=members_a[7]).reason == "病假"
    assert MeetingTag.objects.get(meeting=meeting, kind="branch_general_meeting").qualifies
    entries = AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[:8]
    assert AuditEntry.objects.count() == audit + 8
    assert {e.action for e in entries} == {"orglife.attendance_set"}
    assert {e.unit_id for e in entries} == {meeting.org.unit_id}

    state, audit = _state(), AuditEntry.objects.count()
    again = _run(secretary_a, rows)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 8)
    assert _state() == state and AuditEntry.objects.count() == audit

    # a corrected file changes only the rows that differ, and the counts follow
    rows[0] = row(members_a[0], "缺席", "忘记参会")
    rows[6] = row(members_a[6])
    fixed = _run(secretary_a, rows)
    assert (fixed.created, fixed.updated, fixed.unchanged) == (0, 2, 6)
    assert AuditEntry.objects.count() == audit + 2
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.excused_count, meeting.absent_count) == (6, 0, 2)
    assert Attendance.objects.get(member=members_a[6]).reason == ""


def test_matches_the_kind_a_meeting_also_counts_as(secretary_a, branch_a, members_a, record):
    m = record(
        branch_a, "theme_day", D(2026, 4, 8), also_counts_as=["party_lecture"], attendance=[]
    )
    out = _run(secretary_a, [row(members_a[0], 会议日期="2026/4/8", 会议类型="党课")])
    assert out.ok, out.errors
    assert Attendance.objects.get().meeting == m


def test_every_bad_row_is_named_and_nothing_is_written(
    secretary_a, system, meeting, members_a, branch_a, branch_b, make_members, record
):
    from conftest import make_id_number
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    outsider = make_members(branch_b, 1)[0]
    late = member_create(
        actor=system,
        person=person_create(
            actor=system, unit=branch_a.unit, name="晚入党", id_number=make_id_number(880)
        ),
        branch=branch_a,
        joined_on=D(2026, 5, 1),
        status="probationary",
    )
    record(branch_a, "theme_day", D(2026, 5, 6))
    record(branch_a, "theme_day", D(2026, 5, 6), place="第二次")
    before, audit = _state(), AuditEntry.objects.count()
    rows = [
        row(members_a[0]),  # 2: good
        row(members_a[1], 会议日期="2026-03-11"),  # 3: no meeting that day
        row(members_a[2], 会议类型="支部大会"),  # 4: not a kind
        row(members_a[3], "迟到"),  # 5: not a status
        row(members_a[4], "请假"),  # 6: no reason
        row(members_a[0]),  # 7: duplicate of row 2
        row(outsider),  # 8: another branch's member
        row(members_a[5], 姓名="张冠李"),  # 9: name does not match
        row(late),  # 10: joined after the meeting
        row(members_a[6], 所在单位代码="NOPE"),  # 11: unknown unit
        row(members_a[6], 党组织名称="不存在党支部"),  # 12: unknown org
        row(members_a[7], 会议日期="2026-05-06", 会议类型="主题党日"),  # 13: two such meetings
        row(members_a[7], 身份证号="110105194912310021"),  # 14: bad check digit
    ]
    out = _run(secretary_a, rows)
    assert not out.ok
    by_row = {e.row: e for e in out.errors}
    assert sorted(by_row) == list(range(3, 15)), out.errors
    assert by_row[3].label == "会议日期" and "请先登记会议" in by_row[3].message
    assert by_row[4].label == "会议类型" and "不是可选值" in by_row[4].message
    assert by_row[5].label == "出席情况"
    assert by_row[6].label == "缺席原因" and "请假须填写原因" in by_row[6].message
    assert "与第2行重复" in by_row[7].message
    assert by_row[8].label == "身份证号" and "青山一中党支部" in by_row[8].message
    assert by_row[9].label == "姓名"
    assert "会议当天不是在册党员" in by_row[10].message
    assert "未找到单位代码" in by_row[11].message
    assert by_row[12].label == "党组织名称"
    assert "无法确定是哪一次" in by_row[13].message
    assert by_row[14].label == "身份证号"
    assert _state() == before and AuditEntry.objects.count() == audit


def test_scope_other_schools_meeting_is_refused(
    secretary_a, secretary_b, branch_b, make_members, record, client
):
    bm = make_members(branch_b, 2)
    m = record(branch_b, "branch_general_meeting", D(2026, 3, 10), attendance=[])
    rows = [
        row(
            x, 党组织名称="城关小学党支部", 所在单位代码="QSX-CG-02", 出席情况="缺席", 缺席原因="病"
        )
        for x in bm
    ]
    audit = AuditEntry.objects.count()
    out = _run(secretary_a, rows)
    assert [(e.label, e.message) for e in out.errors] == [
        ("所在单位代码", "不在您的管理范围内")
    ] * 2
    assert not Attendance.objects.filter(meeting=m).exists()
    assert AuditEntry.objects.count() == audit
    # B's own secretary may
    assert _run(secretary_b, rows).created == 2
    # and the action itself refuses A's secretary too
    with pytest.raises(Exception) as exc:
        actions.attendance_set(actor=secretary_a, meeting=m, member=bm[0], status="present")
    assert exc.type.__name__ in {"NotAllowed", "OutOfScope", "PermissionDenied", "Http404"}


def test_reader_without_the_capability_is_refused(make_user, county, meeting, members_a):
    inspector = make_user("inspector", county["bureau"])
    out = _run(inspector, [row(members_a[0])])
    assert not out.ok and "权限" in out.errors[0].message
    assert not Attendance.objects.exists()


def test_action_checks_its_inputs(secretary_a, meeting, members_a, branch_b, make_members):
    with pytest.raises(ActionError, match="请填写原因"):
        actions.attendance_set(
            actor=secretary_a, meeting=meeting, member=members_a[0], status="absent"
        )
    outsider = make_members(branch_b, 1)[0]
    with pytest.raises(ActionError, match="不是青山一中党支部的党员"):
        actions.attendance_set(
            actor=secretary_a, meeting=meeting, member=outsider, status="present"
        )
    a = actions.attendance_set(
        actor=secretary_a, meeting=meeting, member=members_a[0], status="present", reason="无"
    )
    assert a.reason == ""
    audit = AuditEntry.objects.count()
    actions.attendance_set(
        actor=secretary_a, meeting=meeting, member=members_a[0], status="present"
    )
    assert AuditEntry.objects.count() == audit


def test_upload_page_and_buttons(client, secretary_a, meeting, members_a):
    client.force_login(secretary_a)
    body = client.get(reverse("orglife:meeting-list")).content.decode()
    url = reverse("imports:import-start", args=["orglife-attendance"])
    assert url in body
    assert url in client.get(reverse("orglife:meeting-detail", args=[meeting.pk])).content.decode()
    f = io.BytesIO(xlsx([row(m) for m in members_a]))
    f.name = "出勤.xlsx"
    r = client.post(url, {"file": f})
    assert r.status_code == 200 and "新增 <strong>8</strong> 条" in r.content.decode()
    meeting.refresh_from_db()
    assert meeting.present_count == 8


def test_no_import_button_for_readers(client, make_user, county, meeting):
    client.force_login(make_user("inspector", county["bureau"]))
    body = client.get(reverse("orglife:meeting-list")).content.decode()
    assert "orglife-attendance" not in body
    body = client.get(reverse("orglife:meeting-detail", args=[meeting.pk])).content.decode()
    assert "orglife-attendance" not in body
