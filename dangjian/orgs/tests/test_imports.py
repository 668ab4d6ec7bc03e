"""Import of units and party orgs: parents in the file, scope, re-import, all or nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from dangjian.audit.models import AuditEntry
from dangjian.core.imports import Outcome, read_rows, run
from dangjian.orgs.imports import PartyOrgImporter, UnitImporter
from dangjian.orgs.models import PartyOrg, Unit

pytestmark = pytest.mark.django_db

UNIT_HEADERS = [
    "单位代码",
    "单位名称",
    "单位类型",
    "上级单位代码",
    "民办",
    "地址",
    "联系电话",
    "设立日期",
]
ORG_HEADERS = [
    "党组织名称",
    "类型",
    "所在单位代码",
    "上级党组织名称",
    "成立日期",
    "本届起始日期",
    "任期（年）",
]


def xlsx(headers: list[str], rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_units(user: Any, rows: list[list[Any]]) -> Outcome:
    content = xlsx(UNIT_HEADERS, rows)
    return run(UnitImporter(user), read_rows(content, UnitImporter.columns))


def import_orgs(user: Any, rows: list[list[Any]]) -> Outcome:
    content = xlsx(ORG_HEADERS, rows)
    return run(PartyOrgImporter(user), read_rows(content, PartyOrgImporter.columns))


UNITS: list[list[Any]] = [
    # a child listed before its parent: the import writes parents first
    ["qsx-cg-03-k", "城关镇第二小学附属幼儿园", "幼儿园", "QSX-CG-03", "否", "", "", "2010-09-01"],
    [
        "QSX-CG-03",
        "城关镇第二小学",
        "小学",
        "QSX-CG",
        "否",
        "解放路12号",
        "0571-8888888",
        "1998-09-01",
    ],
    ["QSX-CG-04", "阳光幼儿园", "幼儿园", "QSX-CG", "是", "", "", ""],
]


def test_import_units_creates_tree_with_audit(bureau_admin: Any, county: dict[str, Any]) -> None:
    audits = AuditEntry.objects.count()
    outcome = import_units(bureau_admin, UNITS)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated, outcome.unchanged) == (3, 0, 0)
    assert AuditEntry.objects.filter(action="orgs.unit_create").count() == 4 + 3
    assert AuditEntry.objects.count() == audits + 3
    school = Unit.objects.get(code="QSX-CG-03")
    kindergarten = Unit.objects.get(code="QSX-CG-03-K")
    assert kindergarten.parent == school
    assert kindergarten.path.startswith(school.path)
    assert school.parent == county["district"] and school.kind == "primary"
    assert Unit.objects.get(code="QSX-CG-04").is_private


def test_import_units_reimport_is_noop_and_change_updates(bureau_admin: Any) -> None:
    import_units(bureau_admin, UNITS)
    audits = AuditEntry.objects.count()
    again = import_units(bureau_admin, UNITS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == audits
    changed = [list(r) for r in UNITS]
    changed[2][1] = "青山县阳光幼儿园"
    outcome = import_units(bureau_admin, changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 2)
    assert Unit.objects.get(code="QSX-CG-04").name == "青山县阳光幼儿园"
    assert AuditEntry.objects.count() == audits + 1


def test_import_units_bad_rows_write_nothing(secretary_a: Any, bureau_admin: Any) -> None:
    rows = [
        ["QSX-CG-01-F", "第一中学分校", "高级中学", "QSX-CG-01", "否", "", "", ""],  # row 2: good
        ["QSX-CG-09", "外校", "小学", "QSX-CG-02", "否", "", "", ""],  # row 3: sibling school
        ["QSX-CG-01-G", "某校", "大学", "QSX-CG-01", "否", "", "", ""],  # row 4: bad kind
        ["QSX-CG-01-H", "某校", "小学", "NOPE", "否", "", "", ""],  # row 5: unknown parent
        ["QSX-CG-01-F", "重复", "小学", "QSX-CG-01", "否", "", "", ""],  # row 6: duplicate
        ["QSX-CG-01-I", "某校", "小学", "", "否", "", "", "2024-13-01"],  # row 7
        ["QSX-CG-01", "青山县第一中学", "高级中学", "QSX-CG-02", "否", "", "", ""],  # row 8
    ]
    units, audits = Unit.objects.count(), AuditEntry.objects.count()
    outcome = import_units(secretary_a, rows)
    messages = [str(e) for e in outcome.errors]
    assert "第3行「上级单位代码」：不在您的管理范围内" in messages
    assert any(m.startswith("第4行「单位类型」：「大学」不是可选值") for m in messages)
    assert "第5行「上级单位代码」：未找到单位代码「NOPE」" in messages
    assert "第6行「单位代码」：与第2行重复" in messages
    assert "第7行「设立日期」：日期无效，请填写如2024-03-16的日期" in messages
    assert any(
        m.startswith("第8行「上级单位代码」：与现有上级单位（QSX-CG）不一致") for m in messages
    )
    assert not any(m.startswith("第2行") for m in messages)
    assert Unit.objects.count() == units
    assert AuditEntry.objects.count() == audits


def test_import_units_cycle_in_file_writes_nothing(bureau_admin: Any) -> None:
    rows = [
        ["X-1", "甲", "小学", "X-2", "否", "", "", ""],
        ["X-2", "乙", "小学", "X-1", "否", "", "", ""],
        ["X-3", "丙", "小学", "QSX-CG", "否", "", "", ""],
    ]
    units = Unit.objects.count()
    outcome = import_units(bureau_admin, rows)
    assert not outcome.ok
    assert {e.row for e in outcome.errors} == {2, 3}
    assert all(e.label == "上级单位代码" for e in outcome.errors)
    assert Unit.objects.count() == units


ORGS: list[list[Any]] = [
    ["第一中学第一党小组", "党小组", "QSX-CG-01", "中共青山县第一中学支部委员会", "", "", ""],
    ["中共青山县第一中学支部委员会", "党支部", "QSX-CG-01", "", "2001-07-01", "2023-06-30", 3],
    ["中共城关学区总支部委员会", "党总支", "QSX-CG", "", "1999-07-01", "2022-05-10", 5],
]


def test_import_partyorgs_creates_with_parents_and_reimport_is_noop(
    bureau_admin: Any, county: dict[str, Any]
) -> None:
    outcome = import_orgs(bureau_admin, ORGS)
    assert outcome.ok, outcome.errors
    assert outcome.created == 3
    branch = PartyOrg.objects.get(name="中共青山县第一中学支部委员会")
    group = PartyOrg.objects.get(name="第一中学第一党小组")
    assert group.parent == branch and group.unit == county["a"]
    assert branch.term_years == 3 and str(branch.term_started_on) == "2023-06-30"
    assert PartyOrg.objects.get(kind="general_branch").term_years == 5
    audits = AuditEntry.objects.count()
    again = import_orgs(bureau_admin, ORGS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == audits
    # the branch joins the district's general branch: an update of one row
    changed = [list(r) for r in ORGS]
    changed[1][3] = "中共城关学区总支部委员会"
    outcome = import_orgs(bureau_admin, changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 2)
    branch.refresh_from_db()
    assert branch.parent is not None and branch.parent.kind == "general_branch"


def test_import_partyorgs_bad_rows_write_nothing(secretary_a: Any) -> None:
    rows = [
        ["第一中学党支部", "党支部", "QSX-CG-01", "", "", "", ""],  # row 2: good
        ["城关小学党支部", "党支部", "QSX-CG-02", "", "", "", ""],  # row 3: sibling school
        ["第一党小组", "党小组", "QSX-CG-01", "", "", "", ""],  # row 4: group without branch
        ["第二党小组", "党小组", "QSX-CG-01", "不存在的支部", "", "", ""],  # row 5
        ["第三党小组", "党组", "QSX-CG-01", "第一中学党支部", "", "", ""],  # row 6: bad kind
        ["第一中学党总支", "党总支", "QSX-CG-01", "第一中学党支部", "", "", ""],  # row 7
        ["第四党小组", "党小组", "QSX-CG-01", "第一中学党支部", "", "", "二十"],  # row 8
    ]
    orgs, audits = PartyOrg.objects.count(), AuditEntry.objects.count()
    outcome = import_orgs(secretary_a, rows)
    messages = [str(e) for e in outcome.errors]
    assert "第3行「所在单位代码」：不在您的管理范围内" in messages
    assert "第4行「上级党组织名称」：党小组须填写所属党支部" in messages
    assert "第5行「上级党组织名称」：在本单位及上级单位中未找到党组织「不存在的支部」" in messages
    assert any(m.startswith("第6行「类型」：「党组」不是可选值") for m in messages)
    assert "第7行「上级党组织名称」：党支部不能领导党总支" in messages
    assert "第8行「任期（年）」：请填写整数年数" in messages
    assert not any(m.startswith("第2行") for m in messages)
    assert PartyOrg.objects.count() == orgs
    assert AuditEntry.objects.count() == audits
