"""Import of party members: all or nothing, every bad row named, re-import changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import Workbook

from conftest import make_id_number
from dangjian.audit.models import AuditEntry
from dangjian.core.imports import get_importer, read_rows, run
from dangjian.party.imports import MemberImporter
from dangjian.party.models import PartyMember

HEADERS = [c.header for c in MemberImporter.columns]


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(seq: int, name: str, **kw: Any) -> list[Any]:
    values = {
        "身份证号": make_id_number(seq),
        "姓名": name,
        "所在单位代码": "qsx-cg-01",
        "所在党组织": "第一中学党支部",
        "党员状态": "正式党员",
        "入党日期": "2010-07-01",
        "转正日期": "2011-07-01",
        "党费类别": "",
        "流动党员": "",
        **kw,
    }
    return [values[h] for h in HEADERS]


def _run(user: Any, rows: list[list[Any]]) -> Any:
    return run(MemberImporter(user), read_rows(xlsx(rows), MemberImporter.columns))


@pytest.fixture
def staff(system, county, make_person):
    from dangjian.people.actions import person_create

    people = []
    for seq, name in ((301, "王一"), (302, "李二"), (303, "赵三")):
        people.append(
            person_create(actor=system, unit=county["a"], name=name, id_number=make_id_number(seq))
        )
    people.append(
        person_create(actor=system, unit=county["b"], name="乙校人", id_number=make_id_number(304))
    )
    return people


def test_registered():
    assert get_importer("members") is MemberImporter


def test_import_creates_then_reimport_is_a_no_op(secretary_a, branch_a, staff):
    rows = [
        row(301, "王一"),
        row(302, "李二", 党员状态="预备党员", 入党日期="2026-03-01", 转正日期="", 流动党员="是"),
    ]
    outcome = _run(secretary_a, rows)
    assert outcome.ok, outcome.errors
    assert outcome.created == 2
    wang = PartyMember.objects.get(person=staff[0])
    assert (wang.status, wang.full_on, wang.branch) == ("full", dt.date(2011, 7, 1), branch_a)
    assert PartyMember.objects.get(person=staff[1]).is_mobile
    entries = AuditEntry.objects.count()
    again = _run(secretary_a, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries


def test_reimport_makes_probationary_full_and_updates(secretary_a, branch_a, staff):
    _run(secretary_a, [row(302, "李二", 党员状态="预备党员", 入党日期="2025-03-01", 转正日期="")])
    outcome = _run(
        secretary_a,
        [row(302, "李二", 入党日期="2025-03-01", 转正日期="2026-03-05", 党费类别="学生党员")],
    )
    assert outcome.ok and outcome.updated == 1, outcome.errors
    m = PartyMember.objects.get(person=staff[1])
    assert (m.status, m.full_on, m.dues_category) == ("full", dt.date(2026, 3, 5), "student")
    actions = list(
        AuditEntry.objects.filter(object_id=str(m.pk), object_type="party.partymember")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["party.member_create", "party.member_make_full", "party.member_update"]


def test_every_bad_row_is_named_and_nothing_is_written(secretary_a, branch_a, branch_b, staff):
    outcome = _run(
        secretary_a,
        [
            row(301, "王一"),
            row(302, "李四"),  # name differs from the person
            row(303, "赵三", 所在党组织="不存在党支部"),
            row(304, "乙校人", 所在单位代码="QSX-CG-02", 所在党组织="中心小学党支部"),
            row(305, "无此人"),
            row(301, "王一"),  # duplicate
            row(303, "赵三", 党员状态="停止党籍"),
            row(303, "赵三", 转正日期=""),
        ],
    )
    messages = [str(e) for e in outcome.errors]
    assert messages == [
        "第3行「姓名」：与该身份证号登记的姓名「李二」不一致",
        "第4行「所在党组织」：「青山县第一中学」没有名为「不存在党支部」的党支部",
        "第5行「身份证号」：未找到该身份证号的人员，请先在“人员”中登记或导入",
        "第6行「身份证号」：未找到该身份证号的人员，请先在“人员”中登记或导入",
        "第7行「身份证号」：与第2行重复",
        "第8行「身份证号」：与第4行重复",
        "第9行「转正日期」：正式党员须填写转正日期",
    ]
    assert not PartyMember.objects.exists()


def test_moving_branch_by_import_is_refused(secretary_a, system, branch_a, staff):
    from dangjian.orgs.actions import partyorg_create

    partyorg_create(actor=system, unit=branch_a.unit, name="第二党支部", kind="branch")
    _run(secretary_a, [row(301, "王一")])
    outcome = _run(secretary_a, [row(301, "王一", 所在党组织="第二党支部")])
    assert [str(e) for e in outcome.errors] == [
        "第2行「所在党组织」：此人已是「第一中学党支部」的党员，调整所在支部请办理组织关系转接"
    ]
    outcome = _run(secretary_a, [row(301, "王一", 党员状态="停止党籍")])
    assert "停止党籍、出党等请在党员页面办理" in str(outcome.errors[0])
