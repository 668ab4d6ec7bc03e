"""/api/v1/users: administrators within their scope, /me for everyone, 三员分立 via role_assign."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD
from dangjian.accounts.actions import token_create, token_revoke
from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.tests.api_helpers import NOT_FOUND, audit_actions, ids, last_audit_id, session


@pytest.fixture
def sysadmin(county: dict[str, Any], make_user: Any) -> Any:
    """System admin of the 城关 district: sees accounts of its two schools, not the bureau."""
    return make_user("system_admin", county["district"], username="sysadmin")


@pytest.fixture
def secadmin(county: dict[str, Any], make_user: Any) -> Any:
    return make_user("security_admin", county["district"], username="secadmin")


@pytest.fixture
def sysadmin_a(county: dict[str, Any], make_user: Any) -> Any:
    return make_user("system_admin", county["a"], username="sysadmin_a")


def test_user_list_is_scoped_to_the_admin_units(
    county, sysadmin, bureau_admin, secretary_a, secretary_b
):
    response = session(sysadmin).get("/api/v1/users")
    assert response.status_code == 200
    assert ids(response) == {sysadmin.pk, secretary_a.pk, secretary_b.pk}
    row = next(r for r in response.json()["items"] if r["id"] == secretary_a.pk)
    assert row["roles"] == [
        {
            "id": secretary_a.role_assignments.get().pk,
            "role": "school_secretary",
            "role_label": "学校党组织书记",
            "unit": {"id": county["a"].pk, "name": "青山县第一中学"},
        }
    ]
    assert secretary_a.password not in response.content.decode()  # the hash never leaves
    assert '"password"' not in response.content.decode()


def test_user_list_filters(county, sysadmin, secretary_a, secretary_b):
    client = session(sysadmin)
    assert ids(client.get(f"/api/v1/users?unit={county['b'].pk}")) == {secretary_b.pk}
    assert ids(client.get("/api/v1/users?q=secretary_a")) == {secretary_a.pk}
    assert client.get(f"/api/v1/users?unit={county['bureau'].pk}").json() == NOT_FOUND


def test_business_roles_cannot_list_users_but_see_themselves(county, secretary_a):
    client = session(secretary_a)
    assert client.get("/api/v1/users").status_code == 403
    me = client.get("/api/v1/users/me").json()
    assert (me["id"], me["username"], me["unit"]["id"]) == (
        secretary_a.pk,
        "secretary_a",
        county["a"].pk,
    )
    assert [r["role"] for r in me["roles"]] == ["school_secretary"]
    assert client.get(f"/api/v1/users/{secretary_a.pk}").json()["username"] == "secretary_a"


def test_user_of_sibling_school_is_404(county, sysadmin_a, secretary_b):
    client = session(sysadmin_a)
    assert client.get(f"/api/v1/users/{secretary_b.pk}").json() == NOT_FOUND
    response = client.post(
        f"/api/v1/users/{secretary_b.pk}/roles",
        {"role": "school_clerk", "unit": county["a"].pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_user_create_by_system_admin_audits_once(county, sysadmin):
    client = session(sysadmin)
    before = last_audit_id()
    response = client.post(
        "/api/v1/users",
        {
            "username": "clerk_a",
            "unit": county["a"].pk,
            "password": PASSWORD,
            "display_name": "陈干事",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    user = User.objects.get(username="clerk_a")
    assert (user.unit_id, user.must_change_password, user.check_password(PASSWORD)) == (
        county["a"].pk,
        True,
        True,
    )
    assert response.json()["roles"] == []
    assert audit_actions(before) == ["accounts.user_create"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"unit": 0, "password": PASSWORD}, "username", "「用户名」：不能为空"),
        ({"username": "x", "password": PASSWORD}, "unit", "「所属单位」：不能为空"),
        ({"username": "secretary_a", "unit": 0, "password": PASSWORD}, "username", None),
        ({"username": "x", "unit": 0, "password": "short"}, "password", None),
        (
            {"username": "x", "unit": "bureau", "password": PASSWORD},
            "unit",
            "「所属单位」：未找到该记录",
        ),
    ],
)
def test_user_create_bad_input_is_400(county, sysadmin, secretary_a, body, field, message):
    if body.get("unit") == 0:
        body["unit"] = county["a"].pk
    elif body.get("unit") == "bureau":
        body["unit"] = county["bureau"].pk  # outside the district admin's units
    count = User.objects.count()
    response = session(sysadmin).post("/api/v1/users", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    if message:
        assert response.json()["message"] == message
    assert User.objects.count() == count


def test_user_create_by_security_admin_is_403(county, secadmin, assert_unchanged):
    client = session(secadmin)
    with assert_unchanged(county["a"]):
        response = client.post(
            "/api/v1/users",
            {"username": "clerk_a", "unit": county["a"].pk, "password": PASSWORD},
            content_type="application/json",
        )
    assert response.status_code == 403
    assert not User.objects.filter(username="clerk_a").exists()


def test_role_assign_by_security_admin_audits_once(county, secadmin, secretary_a):
    client = session(secadmin)
    before = last_audit_id()
    response = client.post(
        f"/api/v1/users/{secretary_a.pk}/roles",
        {"role": "school_clerk", "unit": county["a"].pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["role_label"] == "学校党务干事"
    assert secretary_a.role_assignments.filter(role="school_clerk").exists()
    assert audit_actions(before) == ["accounts.role_assign"]


def test_role_assign_refusals(county, sysadmin, secadmin, secretary_a, assert_unchanged):
    count = RoleAssignment.objects.count()
    client = session(sysadmin)
    with assert_unchanged(secretary_a):
        response = client.post(
            f"/api/v1/users/{secretary_a.pk}/roles",
            {"role": "school_clerk", "unit": county["a"].pk},
            content_type="application/json",
        )
    assert response.status_code == 403
    client = session(secadmin)
    with assert_unchanged(secretary_a):
        # 三员分立: a business user cannot also be an administrator
        response = client.post(
            f"/api/v1/users/{secretary_a.pk}/roles",
            {"role": "audit_admin", "unit": county["a"].pk},
            content_type="application/json",
        )
    assert response.status_code == 400
    assert (response.json()["field"], response.json()["label"]) == ("role", "角色")
    assert "三员分立" in response.json()["message"]
    response = client.post(
        f"/api/v1/users/{secretary_a.pk}/roles",
        {"role": "king", "unit": county["a"].pk},
        content_type="application/json",
    )
    assert response.json() == {
        "field": "role",
        "label": "角色",
        "message": "「角色」：不是有效的选项",
    }
    assert RoleAssignment.objects.count() == count


def test_token_auth_and_revocation(sysadmin):
    token, raw = token_create(actor=sysadmin, name="运维脚本")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/v1/users/me").json()["username"] == "sysadmin"
    token_revoke(actor=sysadmin, token=token)
    response = client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.json()["message"] == "未登录或令牌无效"


def test_session_post_needs_csrf(county, sysadmin):
    client = session(sysadmin, enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/users",
        {"username": "clerk_a", "unit": county["a"].pk, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="clerk_a").exists()


def test_user_list_query_count_is_constant(county, sysadmin, make_user, assert_constant_queries):
    def add_rows(n: int) -> None:
        for _ in range(n):
            make_user("school_clerk", county["b"])

    assert_constant_queries(session(sysadmin), "/api/v1/users?page_size=100", add_rows)
