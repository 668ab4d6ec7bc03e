"""/api/v1/dues/: the calculator vectors over HTTP, Chinese 400s, batch, scope, N+1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.tests.api_helpers import audit_actions, bearer, last_audit_id, session
from dangjian.dues import actions
from dangjian.dues.models import DuesBase, DuesPayment

from .test_rules import RATE_VECTORS

D = Decimal


@pytest.mark.parametrize(("label", "category", "base", "rate", "dues"), RATE_VECTORS)
def test_rate_vectors_over_http(secretary_a, label, category, base, rate, dues):
    query = f"kind={category}" + ("" if base == "(any)" else f"&base={base}")
    r = session(secretary_a).get(f"/api/v1/dues/rate?{query}")
    assert r.status_code == 200, label
    body = r.json()
    assert body["monthly_amount"] == dues, label
    assert body["kind"] == category and body["rule_version"] == "dues_rate_table=2008"
    expected_rate = None if rate == "fixed" else str(D(rate.rstrip("%")) / 100)
    assert (None if body["rate"] is None else str(D(body["rate"]))) == expected_rate, label


def test_rate_answer_shape(secretary_a):
    body = session(secretary_a).get("/api/v1/dues/rate?kind=on_post&base=5000.00").json()
    assert body == {
        "kind": "on_post",
        "base": "5000.00",
        "rate": "0.01",
        "monthly_amount": "50.00",
        "rule_version": "dues_rate_table=2008",
    }


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("base=5000", "kind", "「党费类别」：不能为空"),
        ("kind=pensioner&base=5000", "kind", "「党费类别」：不是有效的选项"),
        ("kind=on_post", "base", "「党费基数」：党费基数未核定"),
        ("kind=on_post&base=abc", "base", "「党费基数」：请输入金额"),
        ("kind=on_post&base=-5", "base", "「党费基数」：不能为负数"),
        ("kind=on_post&base=5000.123", "base", "「党费基数」：最多两位小数"),
        ("kind=farmer&fixed_amount=3", "fixed_amount", "「固定金额」"),
    ],
)
def test_rate_400_names_the_field(secretary_a, query, field, text):
    r = session(secretary_a).get(f"/api/v1/dues/rate?{query}")
    assert r.status_code == 400
    assert r.json()["field"] == field and r.json()["message"].startswith(text)


def test_rate_needs_login():
    from django.test import Client

    assert Client().get("/api/v1/dues/rate?kind=on_post&base=1").status_code == 401


@pytest.fixture
def member_a(branch_a, make_member):
    return make_member(branch_a, name="张建华")


def test_base_create_and_list(secretary_a, member_a, branch_b, make_member, system):
    other = make_member(branch_b, name="贝校党员")
    actions.dues_base_set(actor=system, member=other, year=2025, monthly_base=D("4000"))
    client = bearer(secretary_a)
    since = last_audit_id()
    r = client.post(
        "/api/v1/dues/bases",
        {"member": member_a.pk, "year": 2025, "monthly_base": "6200.00", "category": "retired"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["monthly_amount"] == "62.00" and r.json()["source"] == "api"
    assert audit_actions(since) == ["dues.base_set"]
    listed = client.get("/api/v1/dues/bases?year=2025").json()
    assert listed["count"] == 1 and listed["items"][0]["member"]["name"] == "张建华"


def test_base_create_400s(secretary_a, member_a, branch_b, make_member):
    client = session(secretary_a)
    r = client.post(
        "/api/v1/dues/bases", {"member": member_a.pk, "year": 2025}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "monthly_base"
    r = client.post("/api/v1/dues/bases", {"year": 2025}, content_type="application/json")
    assert r.status_code == 400 and r.json()["label"] == "党员"
    other = make_member(branch_b)
    r = client.post(
        "/api/v1/dues/bases",
        {"member": other.pk, "year": 2025, "monthly_base": "1"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["message"] == "「党员」：未找到该记录"
    assert not DuesBase.objects.exists()


def test_payment_batch_create_list_and_all_or_nothing(
    secretary_a, member_a, branch_a, make_member, system
):
    second = make_member(branch_a, name="李秀英")
    for m in (member_a, second):
        actions.dues_base_set(actor=system, member=m, year=2025, monthly_base=D("5000"))
    client = session(secretary_a)
    body = {
        "branch": branch_a.pk,
        "month": "2025-04",
        "paid_on": "2025-04-10",
        "method": "wechat",
        "items": [
            {"member": member_a.pk, "amount": "50.00", "receipt_number": "A-1"},
            {"member": second.pk, "amount": "0"},
        ],
    }
    bad = client.post("/api/v1/dues/payments", body, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "amount"
    body["items"][1]["amount"] = "50.00"
    body["items"][1]["method"] = "cash"
    second_bad = dict(body, items=[*body["items"], {"member": 999999, "amount": "1"}])
    r = client.post("/api/v1/dues/payments", second_bad, content_type="application/json")
    assert r.status_code == 400 and r.json()["message"].startswith("第3项「党员」")
    assert not DuesPayment.objects.exists()
    since = last_audit_id()
    ok = client.post("/api/v1/dues/payments", body, content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert [p["method"] for p in ok.json()] == ["wechat", "cash"]
    assert audit_actions(since) == ["dues.payment_batch"]
    again = client.post("/api/v1/dues/payments", body, content_type="application/json")
    assert again.status_code == 400 and "已交清" in again.json()["message"]
    assert again.json()["message"].startswith("第1项")
    listed = client.get("/api/v1/dues/payments?month=2025-04").json()
    assert listed["count"] == 2
    assert client.get("/api/v1/dues/payments?month=2025-4x").status_code == 400


def test_reconciliation_and_arrears(secretary_a, secretary_b, member_a, branch_a, system):
    actions.dues_base_set(actor=system, member=member_a, year=2025, monthly_base=D("5000"))
    actions.dues_base_set(actor=system, member=member_a, year=2026, monthly_base=D("5000"))
    client = session(secretary_a)
    r = client.get(f"/api/v1/dues/branches/{branch_a.pk}/reconciliation?month=2025-04")
    assert r.status_code == 200
    body = r.json()
    assert (body["expected"], body["received"], body["balanced"], body["unpaid"]) == (
        "50.00",
        "0.00",
        False,
        1,
    )
    assert body["rows"][0]["member"]["name"] == "张建华"
    arrears = client.get("/api/v1/dues/arrears?min=3").json()
    assert arrears["count"] == 1
    item = arrears["items"][0]
    assert item["level"] == "flag" and item["unpaid_months"][0] == "2025-01"
    other = session(secretary_b)
    assert other.get(f"/api/v1/dues/branches/{branch_a.pk}/reconciliation").status_code == 404
    assert other.get("/api/v1/dues/arrears?min=1").json()["count"] == 0
    assert other.get(f"/api/v1/dues/arrears?branch={branch_a.pk}").status_code == 404
    assert (
        client.get(f"/api/v1/dues/branches/{branch_a.pk}/reconciliation?month=x").status_code == 400
    )


def test_payment_list_constant_queries(
    secretary_a, branch_a, make_member, system, assert_constant_queries
):
    client = session(secretary_a)

    def add(n):
        for _ in range(n):
            m = make_member(branch_a)
            actions.dues_base_set(actor=system, member=m, year=2025, monthly_base=D("5000"))
            actions.dues_payment_create(
                actor=system,
                member=m,
                months=[dt.date(2025, 3, 1)],
                method="cash",
                paid_on=dt.date(2025, 3, 3),
            )

    assert_constant_queries(client, "/api/v1/dues/payments", add)
    assert_constant_queries(client, "/api/v1/dues/bases", lambda n: None)
    assert_constant_queries(client, "/api/v1/dues/arrears?min=1", add)
