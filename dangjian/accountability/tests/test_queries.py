"""The findings waiting for a decision, the home-page to-do, the ledger's content."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dangjian.accountability import actions, queries
from dangjian.accountability.ledger import write_ledger
from dangjian.core.periods import Period

from .conftest import TODAY

OLD = dt.date(2026, 9, 1)  # general: deadline 2026-09-16, bureau level from 2026-10-02


def test_pending_overdue_15_days_after_first_overdue_day(county, bureau_admin, make_finding):
    f = make_finding(county["a"], found_on=OLD)
    assert f in queries.needing_decision(bureau_admin, dt.date(2026, 10, 2))
    assert f not in queries.needing_decision(bureau_admin, dt.date(2026, 10, 1))


def test_pending_rejected_twice_even_before_deadline(county, bureau_admin, make_finding):
    f = make_finding(county["a"], found_on=dt.date(2026, 11, 10), status="rejected", reopen_count=2)
    once = make_finding(
        county["a"], found_on=dt.date(2026, 11, 10), status="rejected", reopen_count=1
    )
    pending = list(queries.needing_decision(bureau_admin, TODAY))
    assert f in pending and once not in pending
    row = queries.pending_rows([f], TODAY)[0]
    assert row.why == "验收退回2次"


@pytest.mark.parametrize("status", ["submitted", "verified"])
def test_pending_skips_submitted_and_verified(county, bureau_admin, make_finding, status):
    f = make_finding(county["a"], found_on=OLD, status=status)
    assert f not in queries.needing_decision(bureau_admin, TODAY)


def test_pending_leaves_once_decided(county, bureau_admin, make_finding, make_person):
    decided, excused, waiting = (make_finding(county["a"], found_on=OLD) for _ in range(3))
    actions.record_create(
        actor=bureau_admin,
        unit=county["a"],
        findings=[decided],
        people=[make_person(county["a"])],
        form="talk_reminder",
        decided_on=dt.date(2026, 10, 20),
        decided_by="局党委",
        today=TODAY,
    )
    actions.no_decision_create(
        actor=bureau_admin,
        finding=excused,
        reason="客观原因",
        decided_by="局党委",
        decided_on=dt.date(2026, 10, 20),
        today=TODAY,
    )
    assert list(queries.needing_decision(bureau_admin, TODAY)) == [waiting]
    row = queries.pending_rows([waiting], TODAY)[0]
    assert row.overdue_days == (TODAY - dt.date(2026, 9, 16)).days
    assert row.why == f"逾期{row.overdue_days}天"


def test_pending_in_scope_only(county, make_user, make_finding):
    make_finding(county["b"], found_on=OLD)
    mine = make_finding(county["a"], found_on=OLD)
    user = make_user("inspector", county["a"])
    assert list(queries.needing_decision(user, TODAY)) == [mine]


def test_todos_for_deciders_only(county, inspector, secretary_a, make_user, make_finding):
    make_finding(county["a"], found_on=OLD)
    make_finding(county["b"], found_on=OLD)
    (todo,) = queries.todos(inspector, TODAY)
    assert (todo.count, todo.level, todo.url) == (2, "danger", "/accountability/pending/")
    assert queries.todos(secretary_a, TODAY) == []
    assert queries.todos(make_user("bureau_leader", county["bureau"]), TODAY) == []


def test_todos_green_when_nothing_waits(inspector):
    (todo,) = queries.todos(inspector, TODAY)
    assert (todo.count, todo.level) == (0, "ok")


def test_ledger_content(county, bureau_admin, make_finding, make_person, tmp_path):
    f1 = make_finding(county["a"], found_on=OLD, description="食堂账目不清")
    f2 = make_finding(county["b"], found_on=dt.date(2025, 10, 1), description="教辅征订不规范")
    f3 = make_finding(county["b"], found_on=OLD, description="宣传栏未更新")
    p = make_person(county["a"], "甲书记")
    actions.record_create(
        actor=bureau_admin,
        unit=county["a"],
        findings=[f1],
        people=[p],
        form="admonishment",
        decided_on=dt.date(2026, 10, 20),
        decided_by="青山县教育局党委",
        document_number="青教党〔2026〕5号",
        today=TODAY,
    )
    actions.record_create(
        actor=bureau_admin,
        unit=county["b"],
        findings=[f2],
        people=[],
        form="org_inspection",
        decided_on=dt.date(2025, 12, 1),  # outside the period
        decided_by="青山县教育局党委",
        today=TODAY,
    )
    actions.no_decision_create(
        actor=bureau_admin,
        finding=f3,
        reason="已调离另案处理",
        decided_by="青山县教育局党委",
        decided_on=dt.date(2026, 10, 21),
        today=TODAY,
    )
    records, nones = queries.ledger(bureau_admin, county["district"], Period.year(2026))
    path = tmp_path / "l.xlsx"
    write_ledger(str(path), "城关学区问责台账（2026年）", records, nones)
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    ws = wb["问责台账"]
    assert ws["A1"].value == "城关学区问责台账（2026年）"
    assert ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]][:5] == ["序号", "决定日期", "责任单位", "被问责人", "问责方式"]
    row = [c.value for c in ws[3]]
    assert row[0] == 1 and row[1].date() == dt.date(2026, 10, 20)
    assert row[2:8] == [
        "青山县第一中学",
        "甲书记",
        "诫勉",
        "第一种形态",
        "青教党〔2026〕5号",
        "青山县教育局党委",
    ]
    assert "食堂账目不清" in row[8]
    assert [ws["A4"].value, ws["B4"].value, ws["E4"].value] == ["合计", "1件", "诫勉1件"]
    ws2 = wb["不予追责"]
    assert [c.value for c in ws2[3]][2] == "城关镇中心小学"
    assert ws2["F3"].value == "已调离另案处理"
