"""Excel import of dues payments: every row checked first, all or nothing, re-import a no-op."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.core.imports import read_rows, run, template_xlsx
from dangjian.dues import actions
from dangjian.dues.imports import DuesPaymentImporter
from dangjian.dues.models import DuesCharge, DuesPayment

D = Decimal
Y = 2025  # a past year: every month can be paid, every paid_on lies in the past
HEADER = ["身份证号", "姓名", "所属月份", "金额", "交纳方式", "收据号", "交纳日期", "自愿多交"]


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _id(member) -> str:
    return member.person._id_number_plain()


def _run(user, rows):
    return run(DuesPaymentImporter(user), read_rows(_xlsx(rows), DuesPaymentImporter.columns))


def _base(system, member, year=Y, base="5000.01"):
    actions.dues_base_set(actor=system, member=member, year=year, monthly_base=D(base))


def test_template_has_the_columns_and_text_months():
    wb = load_workbook(io.BytesIO(template_xlsx(DuesPaymentImporter)))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEADER
    assert ws["C3"].number_format == "@"  # 所属月份 stays text: Excel would make 2026-03 a date
    notes = [r[2].value for r in wb["说明"].iter_rows(min_row=2, max_row=9)]
    assert "现金、银行转账、微信、支付宝、工资代扣、其他" in notes


def test_good_file_writes_every_row_then_reimport_changes_nothing(
    system, secretary_a, branch_a, make_member
):
    a = make_member(branch_a, name="张建华")
    b = make_member(branch_a, name="李秀英")
    _base(system, a)
    _base(system, b)
    rows = [
        [_id(a), "张建华", "2025-03", "75.00", "微信", "R-001", "2025-03-20", "否"],
        [_id(a), "张建华", "2025-04", "75", "现金", "R-002", dt.date(2025, 4, 18), None],
        [_id(b), "", "2025年3月", "75.00", "工资代扣", "", "2025-03-31", ""],
        [_id(b), "李秀英", "2025-03", "200", "银行转账", "V-9", "2025-03-31", "是"],
    ]
    outcome = _run(secretary_a, rows)
    assert outcome.ok, [str(e) for e in outcome.errors]
    assert (outcome.created, outcome.updated, outcome.unchanged) == (4, 0, 0)
    march_a = DuesCharge.objects.get(member=a, month=dt.date(Y, 3, 1))
    assert march_a.received == D("75.00") and march_a.settled
    p = DuesPayment.objects.get(member=a, month=dt.date(Y, 4, 1))
    assert (p.method, p.receipt_number, p.paid_on) == ("cash", "R-002", dt.date(2025, 4, 18))
    extra = DuesPayment.objects.get(member=b, voluntary_extra=True)
    assert (extra.amount, extra.charge_id) == (D("200.00"), None)
    assert DuesCharge.objects.get(member=b, month=dt.date(Y, 3, 1)).received == D("75.00")
    assert AuditEntry.objects.filter(action="dues.payment_create").count() == 4

    entries, payments = AuditEntry.objects.count(), DuesPayment.objects.count()
    again = _run(secretary_a, rows)
    assert again.ok, [str(e) for e in again.errors]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert AuditEntry.objects.count() == entries
    assert DuesPayment.objects.count() == payments
    assert DuesCharge.objects.get(member=a, month=dt.date(Y, 3, 1)).received == D("75.00")


def test_a_month_paid_by_hand_with_the_same_amount_is_left_alone(
    system, secretary_a, branch_a, make_member
):
    a = make_member(branch_a)
    _base(system, a)
    actions.dues_payment_create(
        actor=system,
        member=a,
        months=[dt.date(Y, 5, 1)],
        method="cash",
        paid_on=dt.date(2025, 5, 10),
        receipt_number="S-5",
    )
    outcome = _run(secretary_a, [[_id(a), "", "2025-05", "75.00", "现金", "S-5", "2025-05-10", ""]])
    assert (outcome.created, outcome.unchanged) == (0, 1)
    assert DuesPayment.objects.count() == 1


def test_bad_rows_are_all_reported_and_nothing_is_written(
    system, secretary_a, branch_a, branch_b, make_member
):
    a = make_member(branch_a, name="张建华")
    late = make_member(branch_a, name="周新", joined_on=dt.date(Y, 6, 10), status="probationary")
    nobase = make_member(branch_a, name="吴未核")
    other = make_member(branch_b, name="贝校党员")
    for m in (a, late, other):
        _base(system, m)
    actions.dues_payment_create(
        actor=system,
        member=a,
        months=[dt.date(Y, 1, 1)],
        method="cash",
        paid_on=dt.date(2025, 1, 10),
    )
    good = [_id(a), "张建华", "2025-02", "75.00", "微信", "", "2025-02-20", ""]
    rows = [
        good,  # row 2: fine on its own
        ["110105194912310021", "", "2025-03", "75", "现金", "", "2025-03-01", ""],  # bad ID
        [_id(a), "王某", "2025-03", "75", "现金", "", "2025-03-01", ""],  # name mismatch
        [_id(other), "", "2025-03", "75", "现金", "", "2025-03-01", ""],  # other school
        [_id(late), "", "2025-05", "15", "现金", "", "2025-05-01", ""],  # before admission
        [_id(a), "", "2025-04", "0", "现金", "", "2025-04-01", ""],  # amount 0
        [_id(a), "", "2025-05", "七十五", "现金", "", "2025-05-01", ""],  # not money
        [_id(a), "", "2025-06", "75", "刷卡", "", "2025-06-01", ""],  # bad method
        [_id(a), "", "2025-02", "75", "现金", "X", "2025-02-21", ""],  # duplicate of row 2
        [_id(a), "", "2025-01", "80", "现金", "", "2025-01-10", ""],  # paid with 75
        [_id(nobase), "", "2025-03", "30", "现金", "", "2025-03-01", ""],  # no base
        [_id(a), "", "2025-13", "75", "现金", "", "2025-03-01", ""],  # bad month
        [_id(a), "", "2025-07", "75", "现金", "", "2999-01-01", "也许"],  # future, bad 是/否
        ["", "", "", "", "", "", "", "是"],  # nothing filled in
    ]
    entries = AuditEntry.objects.count()
    outcome = _run(secretary_a, rows)
    messages = [str(e) for e in outcome.errors]

    def has(prefix, text=""):
        return any(m.startswith(prefix) and text in m for m in messages)

    assert not any(m.startswith("第2行") for m in messages)
    assert has("第3行「身份证号」")
    assert has("第4行「姓名」", "张建华")
    assert has("第5行「身份证号」", "管理范围")
    assert has("第6行「所属月份」", "2025年6月起")
    assert has("第7行「金额」", "须大于0")
    assert has("第8行「金额」", "请输入金额")
    assert has("第9行「交纳方式」", "不是可选值")
    assert has("第10行「身份证号」", "与第2行重复")
    assert has("第11行「金额」", "已登记缴费¥75.00")
    assert has("第12行「所属月份」", "尚未核定")
    assert has("第13行「所属月份」", "月份无效")
    assert has("第14行「交纳日期」", "不能晚于今天")
    assert has("第14行「自愿多交」")
    for label in ("身份证号", "所属月份", "金额", "交纳方式", "交纳日期"):
        assert has(f"第15行「{label}」", "不能为空")
    assert not outcome.created
    assert DuesPayment.objects.count() == 1
    assert AuditEntry.objects.count() == entries


def test_repeating_a_recorded_payment_with_other_details_is_refused(
    system, secretary_a, branch_a, make_member
):
    a = make_member(branch_a)
    _base(system, a)
    row = [_id(a), "", "2025-03", "75.00", "微信", "R-1", "2025-03-20", ""]
    assert _run(secretary_a, [row]).ok
    row[4], row[6] = "现金", "2025-03-21"
    outcome = _run(secretary_a, [row])
    messages = [str(e) for e in outcome.errors]
    assert any(m.startswith("第2行「交纳方式」") and "微信" in m for m in messages)
    assert any(m.startswith("第2行「交纳日期」") and "2025-03-20" in m for m in messages)
    assert DuesPayment.objects.count() == 1


def test_scope_sibling_school_and_bureau(
    system, secretary_a, secretary_b, bureau_admin, branch_a, branch_b, make_member
):
    a = make_member(branch_a)
    b = make_member(branch_b)
    _base(system, a)
    _base(system, b)
    rows = [
        [_id(a), "", "2025-03", "75", "现金", "", "2025-03-20", ""],
        [_id(b), "", "2025-03", "75", "现金", "", "2025-03-20", ""],
    ]
    refused = _run(secretary_b, rows)
    assert [str(e) for e in refused.errors] == ["第2行「身份证号」：不在您的管理范围内"]
    assert not DuesPayment.objects.exists()
    outcome = _run(bureau_admin, rows)  # the bureau sees both schools
    assert outcome.ok and outcome.created == 2
    assert DuesPayment.objects.count() == 2


def test_import_page_template_and_upload(client, system, secretary_a, branch_a, make_member):
    a = make_member(branch_a)
    _base(system, a)
    client.force_login(secretary_a)
    assert client.get("/imports/dues-payments/").status_code == 200
    response = client.get("/imports/dues-payments/template.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADER
    upload = io.BytesIO(_xlsx([[_id(a), "", "2025-03", "75", "现金", "R-1", "2025-03-20", ""]]))
    upload.name = "缴费.xlsx"
    page = client.post("/imports/dues-payments/", {"file": upload})
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入完成" in html and "新增 <strong>1</strong> 条" in html
    assert DuesPayment.objects.filter(member=a, receipt_number="R-1").exists()
    overview = client.get("/dues/").content.decode()
    assert "/imports/dues-payments/" in overview
