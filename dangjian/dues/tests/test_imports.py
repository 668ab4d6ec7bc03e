"""Excel import of yearly bases: validated, all or nothing, re-import is a no-op."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook

from dangjian.audit.models import AuditEntry
from dangjian.core.imports import read_rows, run, template_xlsx
from dangjian.dues.imports import DuesBaseImporter
from dangjian.dues.models import DuesBase, DuesCharge
from dangjian.party.models import PartyMember

HEADER = ["姓名", "身份证号", "年度", "党费类别", "党费基数", "固定金额"]


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _id(member: PartyMember) -> str:
    return member.person._id_number_plain()


def _run(user, rows):
    content = _xlsx(rows)
    return run(DuesBaseImporter(user), read_rows(content, DuesBaseImporter.columns))


def test_template_has_the_columns():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_xlsx(DuesBaseImporter)))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER


def test_import_creates_then_reimport_changes_nothing(secretary_a, branch_a, make_member):
    a = make_member(branch_a, name="张建华")
    b = make_member(branch_a, name="李秀英", category="student")
    rows = [
        ["张建华", _id(a), 2025, "在岗职工", "5000.01", None],
        ["李秀英", _id(b), 2025, None, None, None],
    ]
    outcome = _run(secretary_a, rows)
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated) == (2, 0)
    assert DuesBase.objects.get(member=a).monthly_amount == Decimal("75.00")
    assert DuesBase.objects.get(member=b).monthly_amount == Decimal("0.20")
    assert DuesCharge.objects.count() == 24
    entries = AuditEntry.objects.count()
    again = _run(secretary_a, rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    rows[0][4] = "6000"
    third = _run(secretary_a, rows)
    assert (third.updated, third.unchanged) == (1, 1)
    assert DuesBase.objects.get(member=a).monthly_amount == Decimal("90.00")


def test_bad_rows_are_reported_and_nothing_is_written(secretary_a, branch_a, branch_b, make_member):
    a = make_member(branch_a, name="张建华")
    other = make_member(branch_b, name="贝校党员")
    rows = [
        ["张建华", _id(a), 2025, "在岗职工", None, None],  # no base
        ["王某", _id(a), 2026, "在岗职工", "5000", None],  # name does not match
        ["", "110105194912310021", 2025, "", "5000", None],  # bad check digit
        ["贝校党员", _id(other), 2025, "", "5000", None],  # other school
        ["张建华", _id(a), 2027, "工人", "5000", None],  # unknown category
        ["张建华", _id(a), "二〇二五", "", "5000", None],  # bad year
    ]
    outcome = _run(secretary_a, rows)
    messages = [str(e) for e in outcome.errors]
    assert any(m.startswith("第2行「党费基数」") and "未核定" in m for m in messages)
    assert any(m.startswith("第3行「姓名」") for m in messages)
    assert any(m.startswith("第4行「身份证号」") for m in messages)
    assert any(m.startswith("第5行「身份证号」") and "管理范围" in m for m in messages)
    assert any(m.startswith("第6行「党费类别」") for m in messages)
    assert any(m.startswith("第7行「年度」") for m in messages)
    assert not DuesBase.objects.exists()


def test_duplicate_key_in_file(secretary_a, branch_a, make_member):
    a = make_member(branch_a)
    rows = [["", _id(a), 2025, "", "5000", None], ["", _id(a), 2025, "", "6000", None]]
    outcome = _run(secretary_a, rows)
    assert [str(e) for e in outcome.errors] == ["第3行「身份证号」：与第2行重复"]


def test_import_page_is_reachable(client, secretary_a):
    client.force_login(secretary_a)
    assert client.get("/imports/dues-bases/").status_code == 200
    assert client.get("/imports/dues-bases/template.xlsx").status_code == 200
