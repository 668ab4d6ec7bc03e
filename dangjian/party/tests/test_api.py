"""/api/v1/party-members and /api/v1/transfers: scope, actions, Chinese 400s, N+1."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from dangjian.core.tests.api_helpers import NOT_FOUND, bearer, ids, session
from dangjian.party import actions
from dangjian.party.models import PartyMember, Transfer

D = dt.date


@pytest.fixture
def pair(make_member, branch_a, branch_b):
    return make_member(branch_a, "甲党员"), make_member(branch_b, "乙党员")


def test_member_list_is_scoped_and_filters(pair, secretary_a, bureau_admin, make_member, branch_a):
    a, b = pair
    mobile = make_member(branch_a, "流动者", is_mobile=True)
    client = session(secretary_a)
    assert ids(client.get("/api/v1/party-members")) == {a.pk, mobile.pk}
    assert ids(client.get("/api/v1/party-members?is_mobile=true")) == {mobile.pk}
    assert ids(client.get("/api/v1/party-members?q=流动")) == {mobile.pk}
    body = session(bureau_admin).get(f"/api/v1/party-members?unit={b.branch.unit_id}").json()
    assert [m["id"] for m in body["items"]] == [b.pk]
    assert body["items"][0]["status_label"] == "正式党员"
    assert body["items"][0]["unit"] == {"id": b.branch.unit_id, "name": "城关镇中心小学"}


def test_member_sibling_is_404_everywhere(pair, secretary_a, assert_unchanged):
    _, b = pair
    client = bearer(secretary_a)
    with assert_unchanged(b):
        assert client.get(f"/api/v1/party-members/{b.pk}").json() == NOT_FOUND
        r = client.patch(
            f"/api/v1/party-members/{b.pk}", {"is_mobile": True}, content_type="application/json"
        )
        assert r.status_code == 404
        r = client.post(
            f"/api/v1/party-members/{b.pk}/status",
            {"status": "left", "on": "2026-01-01", "reason": "x"},
            content_type="application/json",
        )
        assert r.status_code == 404


def test_member_create_patch_make_full_status(secretary_a, branch_a, make_person):
    person = make_person(branch_a.unit, "接口新人")
    client = session(secretary_a)
    r = client.post(
        "/api/v1/party-members",
        {"person": person.pk, "branch": branch_a.pk, "joined_on": "2025-12-01"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "probationary"
    r = client.patch(
        f"/api/v1/party-members/{pk}",
        {"dues_category": "student", "mobile_place": None},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["dues_category_label"] == "学生党员"
    r = client.post(f"/api/v1/party-members/{pk}/make-full", {}, content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {
        "field": "full_on",
        "label": "转正日期",
        "message": "「转正日期」：不能为空",
    }
    r = client.post(
        f"/api/v1/party-members/{pk}/make-full",
        {"full_on": "2026-12-01"},
        content_type="application/json",
    )
    assert r.json()["status"] == "full"
    r = client.post(
        f"/api/v1/party-members/{pk}/status",
        {"status": "full", "on": "2026-12-02", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "status"


def test_member_create_errors_are_chinese(secretary_a, branch_a, branch_b, make_person):
    person = make_person(branch_a.unit)
    client = session(secretary_a)
    r = client.post(
        "/api/v1/party-members",
        {"person": person.pk, "branch": branch_b.pk, "joined_on": "2025-12-01"},
        content_type="application/json",
    )
    assert r.json() == {
        "field": "branch",
        "label": "所在支部",
        "message": "「所在支部」：未找到该记录",
    }
    r = client.post(
        "/api/v1/party-members",
        {"person": person.pk, "branch": branch_a.pk, "joined_on": "昨天"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["label"] == "入党日期"
    r = client.post(
        "/api/v1/party-members",
        {"person": person.pk, "branch": branch_a.pk, "joined_on": "2020-01-01", "status": "full"},
        content_type="application/json",
    )
    assert r.json()["message"] == "「转正日期」：正式党员须填写转正日期"
    assert not PartyMember.objects.filter(person=person).exists()


def test_transfer_flow(pair, secretary_a, secretary_b, branch_b):
    a, _ = pair
    ca, cb = session(secretary_a), session(secretary_b)
    r = ca.post(
        "/api/v1/transfers",
        {
            "member": a.pk,
            "kind": "within",
            "to_branch": branch_b.pk,
            "letter_number": "接口1号",
            "issued_on": "2026-11-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["valid_until"] == "2027-02-01" and body["status_label"] == "待接收"
    pk = body["id"]
    assert ids(cb.get("/api/v1/transfers?direction=in")) == {pk}
    assert ids(ca.get("/api/v1/transfers?direction=out&status=pending")) == {pk}
    assert ids(ca.get("/api/v1/transfers?direction=in")) == set()
    assert ca.get("/api/v1/transfers?direction=sideways").json()["label"] == "方向"
    r = ca.post(
        f"/api/v1/transfers/{pk}/confirm",
        {"confirmed_on": "2026-11-05"},
        content_type="application/json",
    )
    assert r.status_code == 404  # the sender's school is not the receiving side
    r = cb.post(
        f"/api/v1/transfers/{pk}/confirm",
        {"confirmed_on": "2026-11-05"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    a.refresh_from_db()
    assert a.branch == branch_b
    assert cb.get(f"/api/v1/party-members/{a.pk}").status_code == 200


def test_transfer_refusals_and_cancel(pair, secretary_a, branch_b, system):
    a, b = pair
    client = session(secretary_a)
    r = client.post(
        "/api/v1/transfers",
        {
            "member": a.pk,
            "kind": "within",
            "to_branch": branch_b.pk,
            "letter_number": "接口2号",
            "issued_on": "2024-03-10",
            "valid_until": "2024-10-01",
        },
        content_type="application/json",
    )
    assert r.json() == {
        "field": "valid_until",
        "label": "有效期至",
        "message": "「有效期至」：有效期不能超过开具日期后6个月（最迟2024年9月10日）",
    }
    r = client.post(
        "/api/v1/transfers",
        {
            "member": b.pk,
            "kind": "out",
            "outside_org": "x",
            "letter_number": "3",
            "issued_on": "2026-01-01",
        },
        content_type="application/json",
    )
    assert r.json()["message"] == "「党员」：未找到该记录"
    t = actions.transfer_create(
        actor=system,
        member=a,
        kind="out",
        outside_org="外地",
        letter_number="4",
        issued_on=D(2026, 11, 1),
    )
    r = client.post(
        f"/api/v1/transfers/{t.pk}/cancel", {"on": "2026-11-02"}, content_type="application/json"
    )
    assert r.json()["label"] == "撤销原因"
    r = client.post(
        f"/api/v1/transfers/{t.pk}/cancel",
        {"on": "2026-11-02", "reason": "党员改变去向"},
        content_type="application/json",
    )
    assert r.json()["status"] == "cancelled"
    assert not Transfer.objects.filter(status="pending").exists()


def test_transfer_in_from_outside(secretary_a, branch_a, make_person):
    person = make_person(branch_a.unit, "外来者")
    r = session(secretary_a).post(
        "/api/v1/transfers/in",
        {
            "person": person.pk,
            "to_branch": branch_a.pk,
            "outside_org": "中共青山市第五中学支部委员会",
            "letter_number": "外5号",
            "issued_on": "2026-10-01",
            "received_on": "2026-10-08",
            "joined_on": "2011-07-01",
            "full_on": "2012-07-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "in" and r.json()["from_branch"] is None
    assert PartyMember.objects.get(person=person).branch == branch_a


def test_lists_queries_constant(bureau_admin, make_member, branch_a, branch_b, system):
    from conftest import count_queries

    client = session(bureau_admin)

    state = {"n": 0}

    def add(n):
        for i in range(n):
            m = make_member(branch_a, f"批{state['n']}{i}")
            actions.transfer_create(
                actor=system,
                member=m,
                kind="within",
                to_branch=branch_b,
                letter_number=f"P{state['n']}{i}",
                issued_on=D(2026, 11, 1),
            )
        state["n"] += 1

    def get(url: str) -> object:
        return client.get(url)

    for url in ("/api/v1/party-members", "/api/v1/transfers"):
        get(url)
        add(2)
        first = count_queries(partial(get, url))
        add(10)
        assert count_queries(partial(get, url)) == first, url
