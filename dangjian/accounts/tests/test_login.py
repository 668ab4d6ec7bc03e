"""Login, lockout (django-axes), idle timeout, forced password change, and their audit rows."""

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.test import Client, override_settings
from django.urls import reverse

from conftest import PASSWORD
from dangjian.audit.models import AuditEntry

LOGIN = "/accounts/login/"


def login(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def test_login_page_in_chinese(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "用户名" in text and "密码" in text and "登录" in text


def test_login_success_redirects_home_and_is_audited(client: Client, secretary_a: Any) -> None:
    response = login(client, "secretary_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    entry = AuditEntry.objects.filter(action="accounts.login").latest("id")
    assert entry.actor_id == secretary_a.pk
    assert entry.unit_id == secretary_a.unit_id
    assert entry.ip == "127.0.0.1"


def test_failed_login_is_audited_with_the_account_unit(client: Client, secretary_a: Any) -> None:
    response = login(client, "secretary_a", "Wrong#password1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    entry = AuditEntry.objects.filter(action="accounts.login_failed").latest("id")
    assert entry.actor_id is None
    assert entry.actor_name == "未登录:secretary_a"
    assert entry.after == {"username": "secretary_a"}
    assert entry.unit_id == secretary_a.unit_id


def test_failed_login_of_unknown_name_is_audited(client: Client, county: Any) -> None:
    login(client, "nobody", "Wrong#password1")
    entry = AuditEntry.objects.filter(action="accounts.login_failed").latest("id")
    assert entry.after == {"username": "nobody"}
    assert entry.unit_id is None


def test_lockout_after_five_failures_for_fifteen_minutes(client: Client, secretary_a: Any) -> None:
    from axes.models import AccessAttempt

    for _ in range(4):
        assert login(client, "secretary_a", "Wrong#password1").status_code == 200
    fifth = login(client, "secretary_a", "Wrong#password1")
    assert "账号已锁定，请15分钟后再试" in fifth.content.decode()
    # now even the right password is refused
    locked = login(client, "secretary_a", PASSWORD)
    assert "账号已锁定，请15分钟后再试" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # after 15 minutes the lock lifts
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert login(client, "secretary_a", PASSWORD).status_code == 302


def test_lockout_is_per_account(client: Client, secretary_a: Any, secretary_b: Any) -> None:
    for _ in range(5):
        login(client, "secretary_a", "Wrong#password1")
    response = login(client, "secretary_b", PASSWORD)
    assert response.status_code == 302


def test_four_failures_then_success_resets_the_count(client: Client, secretary_a: Any) -> None:
    for _ in range(4):
        login(client, "secretary_a", "Wrong#password1")
    assert login(client, "secretary_a", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "secretary_a", "Wrong#password1")
    assert login(client, "secretary_a", PASSWORD).status_code == 302


def test_idle_timeout_logs_out(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?timeout=1"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "长时间未操作，已自动退出" in page.content.decode()


def test_activity_within_thirty_minutes_keeps_the_session(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    client.get(reverse("core:home"))
    session = client.session
    session["last_seen"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("core:home")).status_code == 200


def test_first_login_forces_password_change(
    client: Client, county: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user("school_clerk", county["a"], username="newclerk")
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
    assert login(client, "newclerk", PASSWORD).status_code == 302
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password-change")
    page = client.get(response["Location"])
    assert "首次登录" in page.content.decode()
    # mismatched confirmation: error beside the field and in the summary, nothing changed
    bad = client.post(
        response["Location"],
        {"old_password": PASSWORD, "password": "Qingshan#2026", "password2": "Qingshan#2027"},
    )
    assert "两次输入的密码不一致" in bad.content.decode()
    weak = client.post(
        response["Location"],
        {"old_password": PASSWORD, "password": "short1#A", "password2": "short1#A"},
    )
    text = weak.content.decode()
    assert "「新密码」：长度至少为10个字符" in text
    done = client.post(
        response["Location"],
        {"old_password": PASSWORD, "password": "Qingshan#2026", "password2": "Qingshan#2026"},
    )
    assert done.status_code == 302
    # still logged in after the change, and free to use the site
    assert client.get(reverse("core:home")).status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEntry.objects.filter(action="accounts.password_change", actor=user).exists()


def test_logout_is_post_only(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@override_settings(SHOW_DEMO_LOGINS=True, DEMO_PASSWORD="Demo#2024dj")
def test_demo_logins_listed_in_development(
    client: Client, county: Any, make_user: Callable[..., Any]
) -> None:
    make_user("school_secretary", county["a"], username="demo_secretary", display_name="李红")
    make_user("school_clerk", county["a"], username="clerk_real")
    text = client.get(LOGIN).content.decode()
    assert "demo_secretary" in text
    assert "学校党组织书记（青山县第一中学）" in text
    assert "Demo#2024dj" in text
    assert "clerk_real" not in text


@override_settings(SHOW_DEMO_LOGINS=False)
def test_demo_logins_hidden_in_production(
    client: Client, county: Any, make_user: Callable[..., Any]
) -> None:
    make_user("school_secretary", county["a"], username="demo_secretary")
    text = client.get(LOGIN).content.decode()
    assert "demo_secretary" not in text
    assert "演示账号" not in text
