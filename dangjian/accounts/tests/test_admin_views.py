"""Account administration under 三员分立: system admin (accounts), security admin (roles),
audit admin (the log only); business roles see none of it."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from dangjian.accounts.actions import role_assign
from dangjian.accounts.models import RoleAssignment, User
from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError
from dangjian.core.scope import has_capability


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_user_list_shows_the_admins_subtree(
    client: Client, county: Any, make_user: Callable[..., Any], secretary_a: Any, secretary_b: Any
) -> None:
    admin = make_user("system_admin", county["a"], username="sys_a")
    text = as_user(client, admin).get(reverse("accounts:user-list")).content.decode()
    assert "secretary_a" in text
    assert "secretary_b" not in text
    assert "学校党组织书记（青山县第一中学）" in text


def test_user_list_filters_locked_and_unassigned(
    client: Client, system_admin: Any, secretary_a: Any, secretary_b: Any, system: Any, county: Any
) -> None:
    from dangjian.accounts.actions import user_create

    user_create(actor=system, username="norole1", unit=county["a"], password=PASSWORD)
    anon = Client()
    for _ in range(5):
        anon.post("/accounts/login/", {"username": "secretary_b", "password": "Wrong#password1"})
    as_user(client, system_admin)
    locked = client.get(reverse("accounts:user-list") + "?locked=1").content.decode()
    assert "secretary_b" in locked and "secretary_a" not in locked
    assert "已锁定" in locked
    norole = client.get(reverse("accounts:user-list") + "?norole=1").content.decode()
    assert "norole1" in norole and "secretary_a" not in norole


def test_user_list_htmx_renders_rows_partial(client: Client, system_admin: Any) -> None:
    response = as_user(client, system_admin).get(
        reverse("accounts:user-list"), headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert 'id="rows"' in text
    assert "<html" not in text


def test_user_list_queries_constant(
    client: Client,
    system_admin: Any,
    county: Any,
    make_user: Callable[..., Any],
    assert_constant_queries: Callable[..., None],
) -> None:
    counter = {"n": 0}

    def add_rows(n: int) -> None:
        for _ in range(n):
            counter["n"] += 1
            make_user("school_clerk", county["a"], username=f"clerk{counter['n']}")

    as_user(client, system_admin)
    client.get(reverse("accounts:user-list"))  # the first request stamps the session
    assert_constant_queries(client, reverse("accounts:user-list"), add_rows)


def test_system_admin_creates_user_who_must_change_password(
    client: Client, system_admin: Any, county: Any
) -> None:
    as_user(client, system_admin)
    response = client.post(
        reverse("accounts:user-create"),
        {
            "username": "wangfang",
            "display_name": "王芳",
            "email": "",
            "unit": county["a"].pk,
            "password": "Qingshan#2026",
            "password2": "Qingshan#2026",
        },
    )
    user = User.objects.get(username="wangfang")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user-detail", args=[user.pk])
    assert user.must_change_password
    assert user.unit == county["a"]
    assert AuditEntry.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()


def test_user_create_errors_name_the_field(
    client: Client, system_admin: Any, county: Any, secretary_a: Any
) -> None:
    as_user(client, system_admin)
    data = {"username": "secretary_a", "unit": county["a"].pk}
    weak = client.post(
        reverse("accounts:user-create"),
        {**data, "username": "liming", "password": "abc", "password2": "abc"},
    )
    assert weak.status_code == 200
    text = weak.content.decode()
    assert "「初始密码」：长度至少为10个字符" in text
    taken = client.post(
        reverse("accounts:user-create"),
        {**data, "password": "Qingshan#2026", "password2": "Qingshan#2026"},
    )
    assert "「用户名」：secretary_a 已存在" in taken.content.decode()
    missing = client.post(reverse("accounts:user-create"), {})
    assert "「所属单位」：请选择所属单位" in missing.content.decode()


def test_system_admin_of_a_school_cannot_create_users_elsewhere(
    client: Client, county: Any, make_user: Callable[..., Any]
) -> None:
    admin = make_user("system_admin", county["a"], username="sys_a")
    response = as_user(client, admin).post(
        reverse("accounts:user-create"),
        {
            "username": "intruder",
            "unit": county["b"].pk,
            "password": "Qingshan#2026",
            "password2": "Qingshan#2026",
        },
    )
    assert response.status_code == 200
    assert "请选择范围内的单位" in response.content.decode()
    assert not User.objects.filter(username="intruder").exists()


def test_user_update_and_deactivate(client: Client, system_admin: Any, secretary_a: Any) -> None:
    as_user(client, system_admin)
    url = reverse("accounts:user-update", args=[secretary_a.pk])
    response = client.post(
        url,
        {"display_name": "张伟", "email": "zw@example.cn", "unit": secretary_a.unit_id},
    )
    assert response.status_code == 302
    secretary_a.refresh_from_db()
    assert secretary_a.display_name == "张伟"
    assert not secretary_a.is_active  # the checkbox was left unticked
    assert (
        Client()
        .post("/accounts/login/", {"username": "secretary_a", "password": PASSWORD})
        .status_code
        == 200
    )


def test_password_reset_by_system_admin(
    client: Client, system_admin: Any, secretary_a: Any
) -> None:
    as_user(client, system_admin)
    url = reverse("accounts:user-password-reset", args=[secretary_a.pk])
    response = client.post(url, {"password": "Temporary#2026", "password2": "Temporary#2026"})
    assert response.status_code == 302
    secretary_a.refresh_from_db()
    assert secretary_a.must_change_password
    assert secretary_a.check_password("Temporary#2026")


def test_unlock_lifts_the_lockout(client: Client, system_admin: Any, secretary_a: Any) -> None:
    anon = Client()
    for _ in range(5):
        anon.post("/accounts/login/", {"username": "secretary_a", "password": "Wrong#password1"})
    as_user(client, system_admin)
    detail = client.get(reverse("accounts:user-detail", args=[secretary_a.pk])).content.decode()
    assert "解除锁定" in detail
    client.post(reverse("accounts:user-unlock", args=[secretary_a.pk]))
    ok = anon.post("/accounts/login/", {"username": "secretary_a", "password": PASSWORD})
    assert ok.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.user_unlock").exists()


def test_security_admin_assigns_and_revokes_roles(
    client: Client, security_admin: Any, secretary_a: Any, county: Any
) -> None:
    as_user(client, security_admin)
    url = reverse("accounts:role-assign", args=[secretary_a.pk])
    response = client.post(url, {"role": "inspector", "unit": county["district"].pk})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=secretary_a, role="inspector")
    assert assignment.unit == county["district"]
    revoke = client.post(reverse("accounts:role-revoke", args=[assignment.pk]))
    assert revoke.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="accounts.role_revoke").exists()


@pytest.mark.parametrize(
    ("held", "new", "message"),
    [
        ("school_secretary", "audit_admin", "不能兼任业务角色"),
        ("system_admin", "security_admin", "三者不能由同一人兼任"),
        ("audit_admin", "school_clerk", "不能兼任业务角色"),
    ],
)
def test_separation_of_duties_refused_and_shown(
    client: Client,
    security_admin: Any,
    county: Any,
    make_user: Callable[..., Any],
    assert_unchanged: Any,
    held: str,
    new: str,
    message: str,
) -> None:
    user = make_user(held, county["a"], username="holder")
    as_user(client, security_admin)
    with assert_unchanged(user):
        response = client.post(
            reverse("accounts:role-assign", args=[user.pk]), {"role": new, "unit": county["a"].pk}
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(user.role_assignments.values_list("role", flat=True)) == [held]


def test_security_admin_cannot_give_self_a_role(security_admin: Any, county: Any) -> None:
    with pytest.raises(ActionError):
        role_assign(actor=security_admin, user=security_admin, role="audit_admin", unit=county["a"])


@pytest.mark.parametrize(
    ("who", "url_name", "method"),
    [
        ("security_admin", "accounts:user-create", "post"),
        ("security_admin", "accounts:user-password-reset", "post"),
        ("system_admin", "accounts:role-assign", "post"),
        ("audit_admin", "accounts:user-list", "get"),
        ("audit_admin", "accounts:user-create", "get"),
        ("secretary_a", "accounts:user-list", "get"),
        ("secretary_a", "accounts:user-create", "post"),
    ],
)
def test_admin_pages_refuse_other_roles(
    request: pytest.FixtureRequest,
    client: Client,
    secretary_b: Any,
    county: Any,
    who: str,
    url_name: str,
    method: str,
    assert_unchanged: Any,
) -> None:
    user = request.getfixturevalue(who)
    args = (
        [secretary_b.pk]
        if url_name in {"accounts:role-assign", "accounts:user-password-reset"}
        else []
    )
    url = reverse(url_name, args=args)
    as_user(client, user)
    data = {
        "role": "bureau_admin",
        "unit": county["bureau"].pk,
        "username": "x1",
        "password": "Qingshan#2026",
        "password2": "Qingshan#2026",
    }
    with assert_unchanged(secretary_b):
        response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code in (403, 404)
    assert not User.objects.filter(username="x1").exists()


def test_system_admin_sees_no_business_data(
    client: Client, system_admin: Any, secretary_a: Any, county: Any
) -> None:
    assert not has_capability(system_admin, "orgs.view")
    assert not has_capability(system_admin, "people.view")
    assert not has_capability(system_admin, "audit.view")
    as_user(client, system_admin)
    assert client.get(reverse("core:figure-list")).status_code == 403
    assert client.get(reverse("audit:entry-list")).status_code == 403
    search = client.get(reverse("core:search") + "?q=青山").content.decode()
    assert "青山县第一中学" not in search
    home = client.get(reverse("core:home")).content.decode()
    assert "被锁定的账号" in home
    assert "党组织" not in home


def test_audit_admin_sees_only_the_log(client: Client, audit_admin: Any) -> None:
    for cap in ("orgs.view", "people.view", "figures.view", "accounts.view"):
        assert not has_capability(audit_admin, cap)
    as_user(client, audit_admin)
    assert client.get(reverse("audit:entry-list")).status_code == 200
    assert client.get(reverse("core:figure-list")).status_code == 403
    assert client.get(reverse("accounts:user-list")).status_code == 403


def test_admin_cannot_open_users_outside_subtree(
    client: Client, county: Any, make_user: Callable[..., Any], secretary_b: Any
) -> None:
    admin = make_user("system_admin", county["a"], username="sys_a")
    as_user(client, admin)
    assert client.get(reverse("accounts:user-detail", args=[secretary_b.pk])).status_code == 404
    reset = client.post(
        reverse("accounts:user-password-reset", args=[secretary_b.pk]),
        {"password": "Temporary#2026", "password2": "Temporary#2026"},
    )
    assert reset.status_code == 404
