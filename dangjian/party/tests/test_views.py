"""Member and transfer pages: render, scope (404 from a sibling), forms, lists' query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.party import actions
from dangjian.party.models import PartyMember, Transfer

D = dt.date


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def world(make_member, branch_a, branch_b, system):
    a = make_member(branch_a, "甲党员")
    b = make_member(branch_b, "乙党员")
    ta = actions.transfer_create(
        actor=system,
        member=a,
        kind="within",
        to_branch=branch_b,
        letter_number="甲组转1号",
        issued_on=D(2026, 11, 1),
    )
    tb = actions.transfer_create(
        actor=system,
        member=b,
        kind="out",
        outside_org="外省某党支部",
        letter_number="乙组转1号",
        issued_on=D(2026, 11, 1),
    )
    return {"a": a, "b": b, "ta": ta, "tb": tb}


def pages(w):
    a, ta = w["a"], w["ta"]
    return [
        reverse("party:member-list"),
        reverse("party:member-list") + f"?branch={a.branch_id}",
        reverse("party:member-create"),
        reverse("party:member-create") + f"?branch={a.branch_id}",
        reverse("party:member-detail", args=[a.pk]),
        reverse("party:member-update", args=[a.pk]),
        reverse("party:member-status", args=[a.pk]),
        reverse("party:transfer-list"),
        reverse("party:transfer-list") + "?overdue=1&direction=out&status=pending",
        reverse("party:transfer-create"),
        reverse("party:transfer-create") + f"?member={a.pk}",
        reverse("party:transfer-in"),
        reverse("party:transfer-detail", args=[ta.pk]),
        reverse("party:transfer-cancel", args=[ta.pk]),
    ]


def test_every_page_renders_for_the_bureau_admin(world, bureau_admin, as_user):
    c = as_user(bureau_admin)
    for url in pages(world):
        assert c.get(url).status_code == 200, url


def test_anonymous_is_sent_to_login(world, client):
    for url in pages(world):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("party:member-detail", "b"),
        ("party:member-update", "b"),
        ("party:member-make-full", "b"),
        ("party:member-status", "b"),
        ("party:transfer-detail", "tb"),
        ("party:transfer-confirm", "tb"),
        ("party:transfer-cancel", "tb"),
    ],
)
def test_sibling_school_objects_are_404(world, secretary_a, as_user, name, key):
    c = as_user(secretary_a)
    assert c.get(reverse(name, args=[world[key].pk])).status_code == 404
    assert c.post(reverse(name, args=[world[key].pk]), {}).status_code == 404


def test_sibling_expire_and_create_parameters_are_404(world, secretary_a, as_user, branch_b):
    c = as_user(secretary_a)
    assert c.post(reverse("party:transfer-expire", args=[world["tb"].pk])).status_code == 404
    url = reverse("party:member-create") + f"?branch={branch_b.pk}"
    assert c.get(url).status_code == 404
    url = reverse("party:transfer-create") + f"?member={world['b'].pk}"
    assert c.get(url).status_code == 404


def test_leader_reads_but_may_not_write(world, leader, as_user):
    c = as_user(leader)
    assert c.get(reverse("party:member-list")).status_code == 200
    assert c.get(reverse("party:member-create")).status_code == 403
    assert c.get(reverse("party:member-update", args=[world["a"].pk])).status_code == 403
    assert c.get(reverse("party:transfer-create")).status_code == 403
    assert c.get(reverse("party:branch-lookup") + "?q=中心小学").status_code == 403


def _names(response):
    return {row.person.name for row in response.context["listing"].rows}


def test_member_list_is_scoped_and_filtered(
    world, secretary_a, bureau_admin, as_user, make_member, branch_a
):
    make_member(branch_a, "流动甲", is_mobile=True)
    make_member(branch_a, "预备甲", status="probationary")
    c = as_user(secretary_a)
    url = reverse("party:member-list")
    assert _names(c.get(url)) == {"甲党员", "流动甲", "预备甲"}
    assert _names(c.get(url + "?mobile=1")) == {"流动甲"}
    assert _names(c.get(url + "?status=probationary")) == {"预备甲"}
    assert _names(c.get(url + "?q=流动")) == {"流动甲"}
    assert _names(c.get(url + f"?branch={world['b'].branch_id}")) == set()
    c = as_user(bureau_admin)
    assert _names(c.get(url + f"?unit={world['b'].branch.unit_id}")) == {"乙党员"}


def test_member_list_by_branch_shows_structure_warnings(world, secretary_a, as_user, branch_a):
    c = as_user(secretary_a)
    body = c.get(reverse("party:member-list") + f"?branch={branch_a.pk}").content.decode()
    assert "组织设置提示" in body
    assert "正式党员不足3人（现有1人）" in body
    assert "组织设置提示" not in c.get(reverse("party:member-list")).content.decode()


def test_structure_warnings_partial_for_the_org_page(world, branch_a, make_member):
    from django.template.loader import render_to_string

    assert "正式党员不足3人（现有1人）" in render_to_string(
        "party/_structure_warnings.html", {"org": branch_a}
    )
    for n in range(2):
        make_member(branch_a, f"补员{n}")
    assert render_to_string("party/_structure_warnings.html", {"org": branch_a}).strip() == ""


def test_member_create_form(world, secretary_a, as_user, branch_a, make_person):
    person = make_person(branch_a.unit, "新党员")
    c = as_user(secretary_a)
    url = reverse("party:member-create")
    data = {
        "person": person.pk,
        "branch": branch_a.pk,
        "status": "full",
        "joined_on": "2018-07-01",
        "dues_category": "on_post",
    }
    before = AuditEntry.objects.count()
    r = c.post(url, data)
    assert r.status_code == 200
    assert r.context["form"].errors["full_on"] == ["正式党员须填写转正日期"]
    assert AuditEntry.objects.count() == before and not PartyMember.objects.filter(person=person)
    assert 'value="2018-07-01"' in r.content.decode()  # nothing typed is lost
    r = c.post(url, {**data, "full_on": "2019-07-01"})
    member = PartyMember.objects.get(person=person)
    assert r.status_code == 302 and r["Location"] == member.get_absolute_url()


def test_member_detail_lists_sections(world, secretary_a, as_user):
    c = as_user(secretary_a)
    body = c.get(reverse("party:member-detail", args=[world["a"].pk])).content.decode()
    for title in ("党员状态变化", "组织关系转接", "党内职务", "操作记录"):
        assert title in body
    assert "组织关系转接办理中" in body and "甲组转1号" in body


def test_make_full_and_status_pages(secretary_a, as_user, make_member, branch_a):
    m = make_member(branch_a, "预备乙", status="probationary", joined_on=D(2025, 9, 1))
    c = as_user(secretary_a)
    r = c.post(reverse("party:member-make-full", args=[m.pk]), {"full_on": "2026-09-01"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.status == "full" and m.full_on == D(2026, 9, 1)
    r = c.post(
        reverse("party:member-status", args=[m.pk]),
        {"status": "deceased", "status_changed_on": "2026-11-02", "status_reason": "病故"},
    )
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.status == "deceased"
    body = c.get(reverse("party:member-detail", args=[m.pk])).content.decode()
    assert "已去世" in body and "病故" in body and "正式党员" in body


def test_transfer_within_through_the_pages(
    secretary_a, secretary_b, as_user, make_member, branch_a, branch_b, client
):
    m = make_member(branch_a, "调动者")
    c = as_user(secretary_a)
    lookup = c.get(reverse("party:branch-lookup") + "?q=中心小学").json()
    assert {"value": branch_b.pk, "text": "中心小学党支部（城关镇中心小学）"} in lookup["results"]
    assert c.get(reverse("party:branch-lookup") + "?q=中").json() == {"results": []}
    form = c.get(reverse("party:transfer-create") + f"?member={m.pk}").content.decode()
    assert "中心小学党支部" not in form  # the receiving directory is asked for, not listed
    r = c.post(
        reverse("party:transfer-create") + f"?member={m.pk}",
        {
            "kind": "within",
            "to_branch": branch_b.pk,
            "letter_number": "青组转〔2026〕8号",
            "issued_on": "2026-11-01",
            "valid_until": "2027-09-01",
        },
    )
    assert r.context["form"].errors["valid_until"][0].startswith("有效期不能超过开具日期后6个月")
    r = c.post(
        reverse("party:transfer-create") + f"?member={m.pk}",
        {
            "kind": "within",
            "to_branch": branch_b.pk,
            "letter_number": "青组转〔2026〕8号",
            "issued_on": "2026-11-01",
        },
    )
    t = Transfer.objects.get(member=m)
    assert r.status_code == 302 and r["Location"] == t.get_absolute_url()
    c = as_user(secretary_b)
    incoming = c.get(reverse("party:transfer-list") + "?status=pending&direction=in")
    assert [row.pk for row in incoming.context["listing"].rows] == [t.pk]
    assert (
        reverse("party:transfer-confirm", args=[t.pk])
        in c.get(t.get_absolute_url()).content.decode()
    )
    r = c.post(reverse("party:transfer-confirm", args=[t.pk]), {"confirmed_on": "2026-11-03"})
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.branch == branch_b
    names = _names(c.get(reverse("party:member-list") + f"?branch={branch_b.pk}"))
    assert "调动者" in names


def test_sender_cannot_confirm_within_transfer(world, secretary_a, as_user):
    c = as_user(secretary_a)
    confirm = reverse("party:transfer-confirm", args=[world["ta"].pk])
    assert confirm not in c.get(world["ta"].get_absolute_url()).content.decode()
    assert c.get(reverse("party:transfer-confirm", args=[world["ta"].pk])).status_code == 404


def test_overdue_filter_and_expire(
    world, secretary_a, as_user, system, make_member, branch_a, branch_b
):
    late = actions.transfer_create(
        actor=system,
        member=make_member(branch_a, "逾期者"),
        kind="within",
        to_branch=branch_b,
        letter_number="逾1号",
        issued_on=D(2024, 3, 10),
    )
    c = as_user(secretary_a)
    rows = c.get(reverse("party:transfer-list") + "?overdue=1").context["listing"].rows
    assert [t.pk for t in rows] == [late.pk]
    assert "登记逾期" in c.get(late.get_absolute_url()).content.decode()
    r = c.post(reverse("party:transfer-expire", args=[late.pk]))
    assert r.status_code == 302
    late.refresh_from_db()
    assert late.status == "expired"


def test_export_members(world, secretary_a, as_user):
    r = as_user(secretary_a).get(reverse("core:export", args=["members"]))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [c for row in wb.active.iter_rows(values_only=True) for c in row]
    assert "甲党员" in cells and "乙党员" not in cells


def _grow(make_member, branch, prefix):
    state = {"n": 0}

    def add(n):
        for i in range(n):
            make_member(branch, f"{prefix}{i}{state['n']}")
        state["n"] += 1

    return add


def test_member_list_queries_constant(
    bureau_admin, as_user, assert_constant_queries, make_member, branch_a
):
    c = as_user(bureau_admin)
    add = _grow(make_member, branch_a, "员")
    assert_constant_queries(c, reverse("party:member-list"), add)
    assert_constant_queries(c, reverse("party:member-list") + f"?branch={branch_a.pk}", add)


def test_transfer_list_queries_constant(
    bureau_admin, as_user, assert_constant_queries, make_member, branch_a, branch_b, system
):
    state = {"n": 0}

    def add(n):
        for i in range(n):
            m = make_member(branch_a, f"转{state['n']}{i}")
            actions.transfer_create(
                actor=system,
                member=m,
                kind="within",
                to_branch=branch_b,
                letter_number=f"L{state['n']}{i}",
                issued_on=D(2026, 11, 1),
            )
        state["n"] += 1

        assert_constant_queries(as_user(bureau_admin), reverse("party:transfer-list"), add)


def test_member_detail_queries_constant(
    world, secretary_a, as_user, assert_constant_queries, system
):
    m = world["a"]

    def add(n):
        for i in range(n):
            actions.member_update(actor=system, member=m, is_mobile=not m.is_mobile)
            actions.member_update(
                actor=system, member=m, dues_category=["on_post", "retired"][i % 2]
            )

    assert_constant_queries(as_user(secretary_a), reverse("party:member-detail", args=[m.pk]), add)
