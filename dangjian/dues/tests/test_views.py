"""Dues pages: scope (404 from the sibling school), the batch form, constant query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.dues import actions
from dangjian.dues.models import DuesCharge, DuesPayment

D = Decimal


@pytest.fixture
def members(branch_a, make_member, set_bases):
    out = [make_member(branch_a, name=n) for n in ("张建华", "李秀英", "王志强")]
    for m in out:
        set_bases(m)
    return out


@pytest.fixture
def client_a(client, secretary_a):
    client.force_login(secretary_a)
    return client


def _m(month):
    return f"{month:%Y-%m}"


def test_pages_render_for_own_school(client_a, members, branch_a, recent):
    member = members[0]
    month = _m(recent[-1])
    for url in (
        "/dues/",
        f"/dues/?month={month}",
        "/dues/arrears/?min=1",
        "/dues/calculator/",
        "/dues/calculator/?kind=on_post&base=5000.00",
        f"/dues/branches/{branch_a.pk}/?month={month}",
        f"/dues/branches/{branch_a.pk}/reconciliation/?month={month}",
        f"/dues/members/{member.pk}/",
        f"/dues/members/{member.pk}/base/",
        f"/dues/members/{member.pk}/payments/new/",
        f"/dues/members/{member.pk}/exemptions/new/",
    ):
        r = client_a.get(url)
        assert r.status_code == 200, url
    assert "张建华" in client_a.get(f"/dues/branches/{branch_a.pk}/?month={month}").content.decode()
    page = client_a.get("/dues/calculator/?kind=on_post&base=5000.00").content.decode()
    assert "¥50.00" in page and "1%" in page


def test_sibling_school_gets_404(client, secretary_b, members, branch_a):
    client.force_login(secretary_b)
    member = members[0]
    for url in (
        f"/dues/branches/{branch_a.pk}/",
        f"/dues/branches/{branch_a.pk}/reconciliation/",
        f"/dues/branches/{branch_a.pk}/ledger.xlsx",
        f"/dues/members/{member.pk}/",
        f"/dues/members/{member.pk}/base/",
        f"/dues/members/{member.pk}/payments/new/",
        f"/dues/members/{member.pk}/exemptions/new/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"pay": [member.pk]}).status_code == 404, url
    assert "张建华" not in client.get("/dues/arrears/?min=1").content.decode()
    assert "第一中学党支部" not in client.get("/dues/").content.decode()


def test_view_only_role_cannot_post_batch(client, county, make_user, members, branch_a, recent):
    client.force_login(make_user("district_staff", county["district"]))
    url = f"/dues/branches/{branch_a.pk}/?month={_m(recent[-1])}"
    page = client.get(url)
    assert page.status_code == 200 and 'name="pay"' not in page.content.decode()
    assert client.post(url, {"pay": [members[0].pk]}).status_code == 403


def test_batch_saves_ticked_members_and_redirects_to_reconciliation(
    client_a, members, branch_a, recent
):
    month = recent[-1]
    url = f"/dues/branches/{branch_a.pk}/?month={_m(month)}"
    page = client_a.get(url).content.decode()
    assert 'value="50.00"' in page  # the expected amount is prefilled
    a, b, _ = members
    before = AuditEntry.objects.count()
    r = client_a.post(
        url,
        {
            "paid_on": month.isoformat(),
            "method": "wechat",
            "pay": [a.pk, b.pk],
            f"amount-{a.pk}": "50.00",
            f"amount-{b.pk}": "50",
            f"receipt-{a.pk}": "R-001",
            f"method-{b.pk}": "cash",
        },
    )
    assert r.status_code == 302
    assert r["Location"].endswith(f"/dues/branches/{branch_a.pk}/reconciliation/?month={_m(month)}")
    assert AuditEntry.objects.count() == before + 1
    assert {(p.member_id, p.method, p.receipt_number) for p in DuesPayment.objects.all()} == {
        (a.pk, "wechat", "R-001"),
        (b.pk, "cash", ""),
    }
    recon = client_a.get(r["Location"]).content.decode()
    assert "账目不符" in recon and "¥100.00" in recon and "-¥50.00" in recon


def test_batch_with_a_bad_row_writes_nothing_and_keeps_input(client_a, members, branch_a, recent):
    month = recent[-1]
    url = f"/dues/branches/{branch_a.pk}/?month={_m(month)}"
    a, b, _ = members
    r = client_a.post(
        url,
        {
            "paid_on": month.isoformat(),
            "method": "cash",
            "pay": [a.pk, b.pk],
            f"amount-{a.pk}": "50.00",
            f"amount-{b.pk}": "五十",
            f"receipt-{a.pk}": "KEEP-ME-9",
        },
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "请输入金额" in page and "KEEP-ME-9" in page and 'value="五十"' in page
    assert not DuesPayment.objects.exists()


def test_batch_of_a_paid_month_is_refused_per_row(client_a, members, branch_a, recent, system):
    month = recent[-1]
    a = members[0]
    actions.dues_payment_create(
        actor=system, member=a, months=[month], method="cash", paid_on=month
    )
    url = f"/dues/branches/{branch_a.pk}/?month={_m(month)}"
    r = client_a.post(url, {"paid_on": month.isoformat(), "pay": [a.pk], f"amount-{a.pk}": "5"})
    assert r.status_code == 200 and "请刷新页面后重新勾选" not in r.content.decode()
    assert DuesPayment.objects.count() == 1


def test_base_form_sets_the_base(client_a, branch_a, make_member):
    member = make_member(branch_a)
    r = client_a.post(
        f"/dues/members/{member.pk}/base/",
        {"year": "2025", "category": "retired", "monthly_base": "6200", "deductions": "tax_only"},
    )
    assert r.status_code == 302
    assert DuesCharge.objects.filter(member=member, amount=D("62.00")).count() == 12
    bad = client_a.post(
        f"/dues/members/{member.pk}/base/",
        {"year": "2025", "category": "on_post", "monthly_base": "", "deductions": "tax_only"},
    )
    assert bad.status_code == 200 and "党费基数未核定" in bad.content.decode()


def test_payment_form_records_several_months(client_a, members, recent):
    member = members[0]
    r = client_a.post(
        f"/dues/members/{member.pk}/payments/new/",
        {
            "first_month": _m(recent[0]),
            "last_month": _m(recent[2]),
            "method": "cash",
            "paid_on": recent[2].isoformat(),
            "receipt_number": "补-1",
        },
    )
    assert r.status_code == 302
    assert DuesPayment.objects.filter(member=member, receipt_number="补-1").count() == 3


def test_exemption_form(client_a, members, recent):
    member = members[0]
    r = client_a.post(
        f"/dues/members/{member.pk}/exemptions/new/",
        {
            "kind": "exemption",
            "first_month": _m(recent[0]),
            "last_month": _m(recent[1]),
            "document_number": "青教党〔2026〕1号",
            "approved_by": "中共青山县教育局委员会",
            "approved_on": recent[0].isoformat(),
            "reason": "重病",
        },
    )
    assert r.status_code == 302
    assert DuesCharge.objects.filter(member=member, amount=0).count() == 2


def test_ledger_export(client_a, members, branch_a, recent, system):
    month = recent[-1]
    actions.dues_payment_create(
        actor=system, member=members[0], months=[month], method="cash", paid_on=month
    )
    r = client_a.get(f"/dues/branches/{branch_a.pk}/ledger.xlsx?year={month.year}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.active
    assert ws["A1"].value == f"第一中学党支部{month.year}年党费收缴台账"
    assert ws.freeze_panes == "C3"
    header = [c.value for c in ws[2]]
    assert header[:5] == ["序号", "姓名", "党费类别", "党费基数", "月应交"]
    col = header.index(f"{month.month}月") + 1
    names = [ws.cell(row=r, column=2).value for r in range(3, 6)]
    assert names == ["张建华", "李秀英", "王志强"]
    assert ws.cell(row=3, column=col).value == 50
    assert ws.cell(row=3, column=col).number_format == '"¥"#,##0.00'
    assert ws.cell(row=6, column=1).value == "合计"
    assert ws.cell(row=6, column=col).value == 50
    paid_col = header.index("全年实交") + 1
    assert ws.cell(row=6, column=paid_col).value == 50
    assert AuditEntry.objects.filter(action="core.export").exists()


def _adder(make_member, set_bases, branch, system, month):
    def add(n):
        for _ in range(n):
            m = make_member(branch)
            set_bases(m)
            actions.dues_payment_create(
                actor=system, member=m, months=[month], method="cash", paid_on=month
            )

    return add


@pytest.mark.parametrize(
    "path",
    ["/dues/", "/dues/arrears/?min=1", "branch-month", "reconciliation"],
)
def test_constant_queries(
    client_a, assert_constant_queries, make_member, set_bases, branch_a, system, recent, path
):
    month = recent[-1]
    url = {
        "branch-month": f"/dues/branches/{branch_a.pk}/?month={_m(month)}",
        "reconciliation": f"/dues/branches/{branch_a.pk}/reconciliation/?month={_m(month)}",
    }.get(path, path)
    assert_constant_queries(
        client_a, url, _adder(make_member, set_bases, branch_a, system, recent[0])
    )


def test_member_page_constant_queries(client_a, assert_constant_queries, members, system, recent):
    member = members[0]

    def add(n):
        for m in recent[: min(n, len(recent))]:
            if not DuesCharge.objects.get(member=member, month=m).settled:
                actions.dues_payment_create(
                    actor=system, member=member, months=[m], method="cash", paid_on=m
                )

    assert_constant_queries(client_a, f"/dues/members/{member.pk}/", add)


def test_date_is_shown_chinese(client_a, members, recent, system):
    month = recent[-1]
    actions.dues_payment_create(
        actor=system,
        member=members[0],
        months=[month],
        method="cash",
        paid_on=dt.date(month.year, month.month, 16),
    )
    page = client_a.get(f"/dues/members/{members[0].pk}/").content.decode()
    assert f"{month.year}年{month.month}月16日" in page
