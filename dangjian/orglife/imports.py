"""Import of meeting attendance: one row per member per meeting.

A row names an existing meeting by 党组织名称 + 所在单位代码 + 会议日期 + 会议类型 and a member by
身份证号 (姓名 is checked against it). Every row is written through `attendance_set`, which keeps
the meeting's counts and tags in step; rows equal to the stored attendance are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.utils import timezone

from dangjian.core.dates import cn_date
from dangjian.core.imports import (
    CellDateField,
    Column,
    Importer,
    ImportForm,
    LabelChoiceField,
    Row,
    importer,
)
from dangjian.orgs.models import PartyOrg, Unit
from dangjian.party.models import PartyMember
from dangjian.people import crypto
from dangjian.people.rules import check_id_number

from .actions import _branch_of, attendance_set, member_active_on
from .models import Attendance, Meeting

CHUNK = 500
KINDS = "、".join(str(label) for _, label in Meeting.Kind.choices)
STATUSES = "、".join(str(label) for _, label in Attendance.Status.choices)


class AttendanceRowForm(ImportForm):
    org_name = forms.CharField(label="党组织名称", max_length=100)
    unit_code = forms.CharField(label="所在单位代码", max_length=32)
    held_on = CellDateField(label="会议日期")
    kind = LabelChoiceField(Meeting.Kind.choices, label="会议类型")
    id_number = forms.CharField(label="身份证号", max_length=32)
    name = forms.CharField(label="姓名", max_length=50)
    status = LabelChoiceField(Attendance.Status.choices, label="出席情况")
    reason = forms.CharField(label="缺席原因", max_length=200, required=False)

    def clean_org_name(self) -> str:
        return str(self.cleaned_data["org_name"]).strip()

    def clean_unit_code(self) -> str:
        return str(self.cleaned_data["unit_code"]).strip().upper()

    def clean_id_number(self) -> str:
        check = check_id_number(self.cleaned_data["id_number"], timezone.localdate())
        if not check.valid:
            raise forms.ValidationError(check.error)
        return check.normalized

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        status = data.get("status")
        reason = (data.get("reason") or "").strip()
        if status and status != Attendance.Status.PRESENT and not reason:
            label = Attendance.Status(status).label
            self.add_error("reason", f"{label}须填写原因")
        data["reason"] = "" if status == Attendance.Status.PRESENT else reason
        return data


@importer
class AttendanceImporter(Importer):
    kind = "orglife-attendance"
    title = "会议出勤"
    list_url = "orglife:meeting-list"
    form_class = AttendanceRowForm
    key_fields = ("id_number", "org_name", "unit_code", "held_on", "kind")
    columns = [
        Column(
            "党组织名称",
            "org_name",
            required=True,
            example="青山县第一中学党支部",
            note="召开会议的党组织（党支部或党小组）的全称，与系统中一致",
        ),
        Column(
            "所在单位代码",
            "unit_code",
            required=True,
            example="QSX-CG-01",
            note="该党组织所在单位的代码",
            text=True,
        ),
        Column(
            "会议日期",
            "held_on",
            required=True,
            example="2026-03-16",
            note="如2026-03-16；须与已登记的会议日期一致",
        ),
        Column(
            "会议类型",
            "kind",
            required=True,
            example="主题党日",
            note=f"{KINDS}；须与已登记的会议一致",
        ),
        Column(
            "身份证号",
            "id_number",
            required=True,
            example="11010519491231002X",
            text=True,
            note="18位公民身份号码；须为会议当天该支部的在册党员",
        ),
        Column("姓名", "name", required=True, example="王晓明", note="用于核对，须与身份证号一致"),
        Column("出席情况", "status", required=True, example="出席", note=STATUSES),
        Column("缺席原因", "reason", example="", note="请假、缺席时必填；出席时不填"),
    ]
    help = [
        "每行是一名党员在一次会议的出勤；会议须先在“组织生活”中登记，导入只补充或更正出勤。",
        "党组织名称＋所在单位代码＋会议日期＋会议类型确定一次会议；同一天同类型有多次会议时无法导入，"
        "请在会议页面上登记出勤。",
        "文件中没有列出的党员，其已登记的出勤保持不变；同一文件重复导入不会产生任何变化。",
    ]

    def prepare(self, rows: list[Row]) -> None:
        codes = {r.cleaned["unit_code"] for r in rows}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        self.orgs: dict[tuple[int, str], PartyOrg] = {}
        names = {r.cleaned["org_name"] for r in rows}
        unit_ids = [u.pk for u in self.units.values()]
        for org in PartyOrg.objects.filter(unit_id__in=unit_ids, name__in=names).select_related(
            "unit", "parent"
        ):
            self.orgs[(org.unit_id, org.name)] = org
        self.meetings: dict[tuple[int, Any], list[Meeting]] = defaultdict(list)
        org_ids = [o.pk for o in self.orgs.values()]
        days = {r.cleaned["held_on"] for r in rows}
        for m in Meeting.objects.filter(org_id__in=org_ids, held_on__in=days).select_related(
            "org__unit", "org__parent"
        ):
            self.meetings[(m.org_id, m.held_on)].append(m)
        indexes = {crypto.blind_index(r.cleaned["id_number"]): r.cleaned["id_number"] for r in rows}
        keys = list(indexes)
        self.members: dict[str, PartyMember] = {}
        for i in range(0, len(keys), CHUNK):
            found = PartyMember.objects.filter(
                person__id_number_index__in=keys[i : i + CHUNK]
            ).select_related("person", "branch")
            for member in found:
                self.members[indexes[member.person.id_number_index]] = member
        self.chosen: dict[int, Meeting] = {}  # row number → its meeting
        self.seen: dict[tuple[int, int], int] = {}  # (meeting, member) → first row number
        self.stored: dict[tuple[int, int], Attendance] = {}

    def _meeting(self, row: Row) -> Meeting | None:
        data = row.cleaned
        unit = self.units.get(data["unit_code"])
        if unit is None:
            self.error(row, "unit_code", f"未找到单位代码「{data['unit_code']}」")
            return None
        if not self.allowed(row, "unit_code", unit, "orglife.attendance_set"):
            return None
        org = self.orgs.get((unit.pk, data["org_name"]))
        if org is None:
            self.error(row, "org_name", f"「{unit.name}」没有名为「{data['org_name']}」的党组织")
            return None
        kind = data["kind"]
        label = Meeting.Kind(kind).label
        same_day = [m for m in self.meetings.get((org.pk, data["held_on"]), []) if kind in m.kinds]
        primary = [m for m in same_day if m.kind == kind]
        found = primary if len(primary) == 1 else same_day
        if not found:
            self.error(
                row,
                "held_on",
                f"未找到{org.name}{cn_date(data['held_on'])}的{label}，请先登记会议",
            )
            return None
        if len(found) > 1:
            self.error(
                row,
                "kind",
                f"{org.name}当天有{len(found)}次{label}，无法确定是哪一次，请在会议页面上登记出勤",
            )
            return None
        return found[0]

    def check(self, row: Row) -> None:
        meeting = self._meeting(row)
        if meeting is None:
            return
        data = row.cleaned
        member = self.members.get(data["id_number"])
        if member is None:
            self.error(row, "id_number", "未找到此人的党员记录")
            return
        branch = _branch_of(meeting.org)
        if member.branch_id != branch.pk:
            self.error(row, "id_number", f"此人不是「{branch.name}」的党员")
            return
        if data["name"] != member.person.name:
            self.error(row, "name", f"与身份证号对应的党员「{member.person.name}」不一致")
            return
        if not member_active_on(member, meeting.held_on):
            self.error(row, "id_number", "此人在会议当天不是在册党员")
            return
        if not meeting.org.is_active or not meeting.org.unit.is_active:
            self.error(row, "org_name", "该党组织已撤销或所在单位已撤并，不能修改出勤")
            return
        first = self.seen.setdefault((meeting.pk, member.pk), row.number)
        if first != row.number:
            self.error(row, "id_number", f"与第{first}行是同一次会议的同一名党员")
            return
        self.chosen[row.number] = meeting

    def order(self, rows: list[Row]) -> list[Row]:
        """Load the stored attendance of the meetings in the file (once, before the writes)."""
        meeting_ids = {m.pk for m in self.chosen.values()}
        self.stored = {
            (a.meeting_id, a.member_id): a
            for a in Attendance.objects.filter(meeting_id__in=meeting_ids)
        }
        return sorted(rows, key=lambda r: (self.chosen[r.number].pk, r.number))

    def _member(self, row: Row) -> PartyMember:
        return self.members[row.cleaned["id_number"]]

    def find(self, row: Row) -> Attendance | None:
        return self.stored.get((self.chosen[row.number].pk, self._member(row).pk))

    def changes(self, obj: Any, row: Row) -> dict[str, Any]:
        wanted = {"status": row.cleaned["status"], "reason": row.cleaned["reason"]}
        return {k: v for k, v in wanted.items() if getattr(obj, k) != v}

    def _write(self, row: Row) -> Attendance:
        return attendance_set(
            actor=self.user,
            meeting=self.chosen[row.number],
            member=self._member(row),
            status=row.cleaned["status"],
            reason=row.cleaned["reason"],
        )

    def create(self, row: Row) -> Attendance:
        return self._write(row)

    def update(self, obj: Any, row: Row, changes: dict[str, Any]) -> Attendance:
        return self._write(row)
