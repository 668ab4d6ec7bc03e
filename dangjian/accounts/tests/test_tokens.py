"""API tokens: made on the profile page or by command, shown once, revocable."""

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from dangjian.accounts.models import ApiToken
from dangjian.api import TokenAuth


def authenticate(raw: str) -> Any:
    request = RequestFactory().get("/api/v1/units")
    return TokenAuth().authenticate(request, raw)


def test_profile_shows_name_unit_and_roles(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    text = client.get(reverse("accounts:profile")).content.decode()
    assert "secretary_a" in text
    assert "青山县第一中学" in text
    assert "学校党组织书记" in text
    assert "还没有 API 令牌" in text


def test_token_created_on_profile_shown_once_and_authenticates(
    client: Client, secretary_a: Any
) -> None:
    client.force_login(secretary_a)
    response = client.post(reverse("accounts:token-create"), {"name": "数据对接"})
    assert response.status_code == 200
    text = response.content.decode()
    raw = re.search(r'id="raw-token">(dj_[^<]+)<', text)
    assert raw is not None
    token = ApiToken.objects.get(user=secretary_a)
    assert token.name == "数据对接"
    assert raw.group(1)[3:9] == token.prefix
    assert authenticate(raw.group(1)) == secretary_a
    # the list shows the prefix, never the raw value again
    again = client.get(reverse("accounts:profile")).content.decode()
    assert raw.group(1) not in again
    assert f"dj_{token.prefix}…" in again
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_name_required(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    response = client.post(reverse("accounts:token-create"), {"name": ""})
    assert response.status_code == 400
    assert "「令牌名称」：不能为空" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoked_token_fails(client: Client, secretary_a: Any) -> None:
    from dangjian.accounts.actions import token_create

    token, raw = token_create(actor=secretary_a, name="脚本")
    assert authenticate(raw) == secretary_a
    client.force_login(secretary_a)
    response = client.post(reverse("accounts:token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert authenticate(raw) is None
    assert authenticate("dj_not-a-token") is None


def test_cannot_revoke_someone_elses_token(
    client: Client, secretary_a: Any, secretary_b: Any
) -> None:
    from dangjian.accounts.actions import token_create

    token, raw = token_create(actor=secretary_b, name="脚本")
    client.force_login(secretary_a)
    assert client.post(reverse("accounts:token-revoke", args=[token.pk])).status_code == 404
    assert authenticate(raw) == secretary_b


def test_token_of_deactivated_user_fails(secretary_a: Any, system: Any) -> None:
    from dangjian.accounts.actions import token_create, user_update

    _, raw = token_create(actor=secretary_a, name="脚本")
    user_update(actor=system, user=secretary_a, is_active=False)
    assert authenticate(raw) is None


def test_create_api_token_command(secretary_a: Any) -> None:
    out = StringIO()
    call_command("create_api_token", "secretary_a", "--name", "夜间同步", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("dj_")
    assert authenticate(raw) == secretary_a
    assert ApiToken.objects.get(user=secretary_a).name == "夜间同步"


def test_create_api_token_command_unknown_user(db: Any) -> None:
    with pytest.raises(CommandError, match="不存在"):
        call_command("create_api_token", "nobody")
