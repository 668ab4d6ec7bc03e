"""/api/v1/units and /api/v1/party-orgs: scope, refusals, Chinese 400s, audit, auth, N+1."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from dangjian.accounts.actions import token_create, token_revoke
from dangjian.core.tests.api_helpers import (
    NOT_FOUND,
    audit_actions,
    bearer,
    ids,
    last_audit_id,
    session,
)
from dangjian.orgs import actions
from dangjian.orgs.models import PartyOrg, Post, Unit
from dangjian.people.actions import person_create


@pytest.fixture
def leader(county: dict[str, Any], make_user: Any) -> Any:
    return make_user("bureau_leader", county["bureau"], username="leader")


@pytest.fixture
def branch_a(system: Any, county: dict[str, Any]) -> PartyOrg:
    return actions.partyorg_create(
        actor=system, unit=county["a"], name="第一中学党支部", kind="branch"
    )


@pytest.fixture
def branch_b(system: Any, county: dict[str, Any]) -> PartyOrg:
    return actions.partyorg_create(
        actor=system, unit=county["b"], name="中心小学党支部", kind="branch"
    )


def _person(system: Any, unit: Unit, seq: int, name: str = "张老师") -> Any:
    from conftest import make_id_number

    return person_create(actor=system, unit=unit, name=name, id_number=make_id_number(seq))


# ---------------------------------------------------------------- units: reads


def test_unit_list_is_scoped(county, secretary_a, bureau_admin):
    response = session(secretary_a).get("/api/v1/units")
    assert response.status_code == 200
    assert ids(response) == {county["a"].pk}
    assert response.json()["count"] == 1

    everything = session(bureau_admin).get("/api/v1/units").json()
    assert everything["count"] == 4
    assert {u["id"] for u in everything["items"]} == {u.pk for u in county.values()}


def test_unit_list_filters(county, bureau_admin):
    client = session(bureau_admin)
    assert ids(client.get("/api/v1/units?kind=primary")) == {county["b"].pk}
    assert ids(client.get(f"/api/v1/units?parent={county['district'].pk}")) == {
        county["a"].pk,
        county["b"].pk,
    }
    assert ids(client.get("/api/v1/units?q=第一中学")) == {county["a"].pk}
    assert ids(client.get("/api/v1/units?q=qsx-cg-02")) == {county["b"].pk}
    assert ids(client.get("/api/v1/units?status=closed")) == set()


def test_unit_list_pages(county, bureau_admin):
    client = session(bureau_admin)
    page = client.get("/api/v1/units?page=2&page_size=3").json()
    assert page["count"] == 4
    assert len(page["items"]) == 1


def test_unit_list_pages_hold_25_by_default_and_100_at_most(county, bureau_admin, system):
    for n in range(97):
        actions.unit_create(
            actor=system, parent=county["district"], code=f"P{n}", name=f"学校{n}", kind="primary"
        )
    client = session(bureau_admin)
    first = client.get("/api/v1/units").json()
    assert (first["count"], len(first["items"])) == (101, 25)
    assert len(client.get("/api/v1/units?page_size=500").json()["items"]) == 100
    assert len(client.get("/api/v1/units?page=5").json()["items"]) == 1


def test_unit_path_id_must_be_a_number(county, bureau_admin):
    response = session(bureau_admin).get("/api/v1/units/abc")
    assert response.status_code == 400
    assert response.json() == {"field": "pk", "label": "编号", "message": "「编号」：请输入整数"}


def test_unit_list_bad_filter_is_400_in_chinese(county, bureau_admin):
    client = session(bureau_admin)
    response = client.get("/api/v1/units?kind=castle")
    assert response.status_code == 400
    assert response.json() == {
        "field": "kind",
        "label": "单位类型",
        "message": "「单位类型」：不是有效的选项",
    }
    response = client.get("/api/v1/units?page=0")
    assert response.status_code == 400
    assert response.json()["label"] == "页码"


def test_unit_detail_shows_labels(county, secretary_a):
    body = session(secretary_a).get(f"/api/v1/units/{county['a'].pk}").json()
    assert body["kind_label"] == "高级中学"
    assert body["status_label"] == "正常"
    assert body["parent"] == {"id": county["district"].pk, "name": "城关学区"}
    assert body["url"] == county["a"].get_absolute_url()


@pytest.mark.parametrize("path", ["", "/close", "/merge"])
def test_unit_of_sibling_school_is_404(county, secretary_a, path):
    client = session(secretary_a)
    url = f"/api/v1/units/{county['b'].pk}{path}"
    if path:
        response = client.post(
            url,
            {"happened_on": "2024-07-01", "successor": county["a"].pk},
            content_type="application/json",
        )
    else:
        response = client.get(url)
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_unit_patch_of_sibling_school_is_404(county, secretary_a, assert_unchanged):
    client = session(secretary_a)
    with assert_unchanged(county["b"]):
        response = client.patch(
            f"/api/v1/units/{county['b'].pk}", {"name": "改名"}, content_type="application/json"
        )
    assert response.status_code == 404


def test_unauthenticated_is_401_in_chinese(county):
    response = Client().get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["message"] == "未登录或令牌无效"
    assert "未登录" in response.content.decode()  # UTF-8, not \\u escapes


# ---------------------------------------------------------------- units: writes


def test_unit_create_writes_one_audit_row(county, bureau_admin):
    client = session(bureau_admin)
    before = last_audit_id()
    response = client.post(
        "/api/v1/units",
        {
            "parent": county["district"].pk,
            "code": "qsx-cg-03",
            "name": "城关幼儿园",
            "kind": "kindergarten",
            "established_on": "2020-09-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(pk=response.json()["id"])
    assert (unit.code, unit.parent_id, unit.established_on) == (
        "QSX-CG-03",
        county["district"].pk,
        dt.date(2020, 9, 1),
    )
    assert response.json()["kind_label"] == "幼儿园"
    assert audit_actions(before) == ["orgs.unit_create"]


def test_unit_create_without_capability_is_403(county, leader, assert_unchanged):
    client = session(leader)
    with assert_unchanged(county["district"]):
        response = client.post(
            "/api/v1/units",
            {"parent": county["district"].pk, "code": "X1", "name": "新校", "kind": "primary"},
            content_type="application/json",
        )
    assert response.status_code == 403
    assert response.json()["message"] == "您没有执行此操作的权限"
    assert not Unit.objects.filter(code="X1").exists()


@pytest.mark.parametrize(
    ("body", "field", "label", "message"),
    [
        ({"code": "X1", "name": "新校", "kind": "primary"}, "parent", "上级单位", "不能为空"),
        ({"parent": 0, "name": "新校", "kind": "primary"}, "code", "单位代码", "不能为空"),
        (
            {"parent": 0, "code": "QSX-CG-01", "name": "新校", "kind": "primary"},
            "code",
            "单位代码",
            "QSX-CG-01 已被其他单位使用",
        ),
        ({"parent": 0, "code": "X1", "name": "新校", "kind": "castle"}, "kind", "单位类型", None),
        (
            {
                "parent": 0,
                "code": "X1",
                "name": "新",
                "kind": "primary",
                "established_on": "2024-2",
            },
            "established_on",
            "设立日期",
            "请输入有效日期，格式为 YYYY-MM-DD",
        ),
        (
            {"parent": 0, "code": "X" * 40, "name": "新校", "kind": "primary"},
            "code",
            "单位代码",
            None,
        ),
        (
            {"parent": 0, "code": "X1", "name": "新校", "kind": "primary", "colour": "红"},
            "colour",
            "colour",
            "不是可接受的字段",
        ),
    ],
)
def test_unit_create_bad_input_is_400_naming_the_field(
    county, bureau_admin, body, field, label, message
):
    if body.get("parent") == 0:
        body["parent"] = county["district"].pk
    before = Unit.objects.count()
    response = session(bureau_admin).post("/api/v1/units", body, content_type="application/json")
    assert response.status_code == 400, response.content
    data = response.json()
    assert (data["field"], data["label"]) == (field, label)
    assert data["message"].startswith(f"「{label}」：")
    if message:
        assert data["message"] == f"「{label}」：{message}"
    assert Unit.objects.count() == before


def test_unit_create_under_sibling_parent_names_the_field(county, secretary_a):
    response = session(secretary_a).post(
        "/api/v1/units",
        {"parent": county["b"].pk, "code": "X1", "name": "新校", "kind": "primary"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "field": "parent",
        "label": "上级单位",
        "message": "「上级单位」：未找到该记录",
    }


def test_invalid_json_is_400_never_422(county, bureau_admin):
    response = session(bureau_admin).post(
        "/api/v1/units", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


def test_unit_patch_changes_only_sent_fields(county, secretary_a, system):
    head = _person(system, county["a"], 11, "王校长")
    client = session(secretary_a)
    before = last_audit_id()
    response = client.patch(
        f"/api/v1/units/{county['a'].pk}",
        {
            "phone": "0571-1234567",
            "head": head.pk,
            "principal_responsibility_system": True,
            "principal_system_since": "2024-09-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    unit = Unit.objects.get(pk=county["a"].pk)
    assert (unit.phone, unit.head_id, unit.name) == ("0571-1234567", head.pk, "青山县第一中学")
    assert unit.principal_responsibility_system
    assert audit_actions(before) == ["orgs.unit_update"]


def test_unit_patch_refuses_null_and_foreign_head(county, secretary_a, system, assert_unchanged):
    client = session(secretary_a)
    with assert_unchanged(county["a"]):
        response = client.patch(
            f"/api/v1/units/{county['a'].pk}", {"name": None}, content_type="application/json"
        )
    assert response.status_code == 400
    assert response.json()["message"] == "「单位名称」：不能为空"

    outsider = _person(system, county["district"], 12, "李主任")
    with assert_unchanged(county["a"]):
        response = client.patch(
            f"/api/v1/units/{county['a'].pk}",
            {"head": outsider.pk},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["field"] == "head"


def test_unit_merge_moves_people_and_audits(county, bureau_admin, system):
    _person(system, county["b"], 13)
    client = session(bureau_admin)
    before = last_audit_id()
    response = client.post(
        f"/api/v1/units/{county['b'].pk}/merge",
        {
            "successor": county["a"].pk,
            "happened_on": "2024-08-01",
            "document_number": "青教〔2024〕8号",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["kind"], data["people_moved"], data["unit"]["status"]) == ("merger", 1, "merged")
    assert audit_actions(before) == ["orgs.unit_merge"]


def test_unit_merge_needs_successor(county, bureau_admin, assert_unchanged):
    client = session(bureau_admin)
    with assert_unchanged(county["b"]):
        response = client.post(
            f"/api/v1/units/{county['b'].pk}/merge",
            {"happened_on": "2024-08-01"},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert response.json()["message"] == "「承继单位」：不能为空"


def test_unit_close_by_school_secretary_is_403(county, secretary_a, assert_unchanged):
    client = session(secretary_a)
    with assert_unchanged(county["a"]):
        response = client.post(
            f"/api/v1/units/{county['a'].pk}/close",
            {"happened_on": "2024-08-01"},
            content_type="application/json",
        )
    assert response.status_code == 403


def test_unit_close_by_bureau_admin(county, bureau_admin):
    response = session(bureau_admin).post(
        f"/api/v1/units/{county['a'].pk}/close",
        {"happened_on": "2024-08-01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["unit"]["status_label"] == "已撤销"
    # closed units are read-only: the action's Chinese refusal comes back as a 400
    response = session(bureau_admin).patch(
        f"/api/v1/units/{county['a'].pk}", {"name": "新名"}, content_type="application/json"
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("「青山县第一中学」") and message.endswith("其记录只读")


# ---------------------------------------------------------------- auth


def test_token_auth_reads_and_writes_without_csrf(county, bureau_admin):
    client = bearer(bureau_admin)
    assert client.get("/api/v1/units").json()["count"] == 4
    response = client.post(
        "/api/v1/units",
        {"parent": county["district"].pk, "code": "T1", "name": "令牌学校", "kind": "primary"},
        content_type="application/json",
    )
    assert response.status_code == 201


def test_revoked_token_is_401(county, bureau_admin):
    token, raw = token_create(actor=bureau_admin, name="测试")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/units").status_code == 200
    token_revoke(actor=bureau_admin, token=token)
    assert client.get("/api/v1/units").status_code == 401
    response = client.post(
        "/api/v1/units",
        {"parent": county["district"].pk, "code": "T1", "name": "令牌学校", "kind": "primary"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not Unit.objects.filter(code="T1").exists()


def test_session_post_needs_csrf(county, bureau_admin):
    client = session(bureau_admin, enforce_csrf_checks=True)
    body = {"parent": county["district"].pk, "code": "S1", "name": "会话学校", "kind": "primary"}
    response = client.post("/api/v1/units", body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not Unit.objects.filter(code="S1").exists()

    client.get("/api/v1/docs")  # the docs page sets the CSRF cookie, as a browser would
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/units", body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.content


# ---------------------------------------------------------------- party organisations


def test_partyorg_list_is_scoped_and_filtered(
    county, secretary_a, bureau_admin, branch_a, branch_b
):
    assert ids(session(secretary_a).get("/api/v1/party-orgs")) == {branch_a.pk}
    client = session(bureau_admin)
    assert ids(client.get("/api/v1/party-orgs")) == {branch_a.pk, branch_b.pk}
    assert ids(client.get(f"/api/v1/party-orgs?unit={county['b'].pk}")) == {branch_b.pk}
    assert ids(client.get(f"/api/v1/party-orgs?unit={county['district'].pk}")) == {
        branch_a.pk,
        branch_b.pk,
    }
    assert ids(client.get("/api/v1/party-orgs?kind=committee")) == set()


def test_partyorg_of_sibling_is_404(county, secretary_a, branch_b):
    client = session(secretary_a)
    assert client.get(f"/api/v1/party-orgs/{branch_b.pk}").json() == NOT_FOUND
    assert client.get(f"/api/v1/party-orgs/{branch_b.pk}/posts").status_code == 404
    assert client.get(f"/api/v1/party-orgs?unit={county['b'].pk}").status_code == 404


def test_partyorg_create_and_patch_audit_once_each(county, secretary_a, branch_a):
    client = session(secretary_a)
    before = last_audit_id()
    response = client.post(
        "/api/v1/party-orgs",
        {"unit": county["a"].pk, "name": "第一党小组", "kind": "group", "parent": branch_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == {"id": county["a"].pk, "name": "青山县第一中学"}
    assert audit_actions(before) == ["orgs.partyorg_create"]

    before = last_audit_id()
    response = client.patch(
        f"/api/v1/party-orgs/{branch_a.pk}",
        {"term_started_on": "2023-06-01", "term_years": 5},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["term_ends_on"] == "2028-06-01"
    assert audit_actions(before) == ["orgs.partyorg_update"]


def test_partyorg_writes_refused(county, leader, secretary_a, branch_a, branch_b, assert_unchanged):
    client = session(leader)
    with assert_unchanged(branch_a):
        response = client.patch(
            f"/api/v1/party-orgs/{branch_a.pk}", {"name": "改"}, content_type="application/json"
        )
    assert response.status_code == 403
    client = session(secretary_a)
    with assert_unchanged(branch_b):
        response = client.patch(
            f"/api/v1/party-orgs/{branch_b.pk}", {"name": "改"}, content_type="application/json"
        )
    assert response.status_code == 404
    count = PartyOrg.objects.count()
    response = session(leader).post(
        "/api/v1/party-orgs",
        {"unit": county["a"].pk, "name": "新支部", "kind": "branch"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert PartyOrg.objects.count() == count


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"name": "党小组", "kind": "group"}, "parent", "「上级党组织」：党小组须隶属于一个党支部"),
        ({"name": "支部", "kind": "cell"}, "kind", "「类型」：不是有效的选项"),
        ({"kind": "branch"}, "name", "「党组织名称」：不能为空"),
        (
            {"name": "支部", "kind": "branch", "term_years": 0},
            "term_years",
            "「任期（年）」：不能小于1",
        ),
    ],
)
def test_partyorg_bad_input_is_400(county, secretary_a, body, field, message):
    body["unit"] = county["a"].pk
    response = session(secretary_a).post(
        "/api/v1/party-orgs", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert (response.json()["field"], response.json()["message"]) == (field, message)


def test_post_list_and_create(county, secretary_a, branch_a, system):
    person = _person(system, county["a"], 21, "赵书记")
    client = session(secretary_a)
    before = last_audit_id()
    response = client.post(
        f"/api/v1/party-orgs/{branch_a.pk}/posts",
        {"person": person.pk, "title": "secretary", "started_on": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title_label"] == "书记"
    assert audit_actions(before) == ["orgs.post_create"]
    listing = client.get(f"/api/v1/party-orgs/{branch_a.pk}/posts").json()
    assert listing["count"] == 1
    assert listing["items"][0]["person"] == {"id": person.pk, "name": "赵书记"}

    # a second sitting secretary is refused by the action, naming the field
    response = client.post(
        f"/api/v1/party-orgs/{branch_a.pk}/posts",
        {"person": person.pk, "title": "secretary", "started_on": "2024-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["label"]) == ("title", "职务")


def test_post_create_with_sibling_person_is_400(county, secretary_a, branch_a, system):
    stranger = _person(system, county["b"], 22)
    response = session(secretary_a).post(
        f"/api/v1/party-orgs/{branch_a.pk}/posts",
        {"person": stranger.pk, "title": "secretary", "started_on": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "「任职人」：未找到该记录"
    assert not Post.objects.exists()


# ---------------------------------------------------------------- N+1


def test_unit_list_query_count_is_constant(county, bureau_admin, system, assert_constant_queries):
    made = {"n": 0}

    def add_rows(n: int) -> None:
        for _ in range(n):
            made["n"] += 1
            actions.unit_create(
                actor=system,
                parent=county["district"],
                code=f"N{made['n']}",
                name=f"新校{made['n']}",
                kind="primary",
            )

    assert_constant_queries(session(bureau_admin), "/api/v1/units?page_size=100", add_rows)


def test_partyorg_and_post_lists_query_count_is_constant(
    county, bureau_admin, system, branch_a, assert_constant_queries
):
    made = {"n": 0}

    def add_orgs(n: int) -> None:
        for _ in range(n):
            made["n"] += 1
            actions.partyorg_create(
                actor=system, unit=county["b"], name=f"支部{made['n']}", kind="branch"
            )

    client = session(bureau_admin)
    assert_constant_queries(client, "/api/v1/party-orgs?page_size=100", add_orgs)

    def add_posts(n: int) -> None:
        for _ in range(n):
            made["n"] += 1
            person = _person(system, county["a"], 100 + made["n"], f"委员{made['n']}")
            actions.post_create(
                actor=system,
                org=branch_a,
                person=person,
                title="committee_member",
                started_on=dt.date(2024, 1, 1),
            )

    assert_constant_queries(client, f"/api/v1/party-orgs/{branch_a.pk}/posts", add_posts)
