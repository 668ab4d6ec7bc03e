"""The audit page: the audit admin only, scoped, filtered, newest first, keyset-paged."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.audit import views
from dangjian.audit.log import record
from dangjian.audit.models import AuditEntry
from dangjian.orgs.actions import unit_update

LIST = "/audit/"


def get(client: Client, user: Any, url: str) -> Any:
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    "role", ["school_secretary", "bureau_admin", "bureau_leader", "system_admin", "security_admin"]
)
def test_audit_page_refused_to_other_roles(
    client: Client, county: Any, make_user: Callable[..., Any], role: str
) -> None:
    user = make_user(role, county["bureau"], username="other")
    entry = AuditEntry.objects.latest("id")
    assert get(client, user, LIST).status_code == 403
    assert client.get(reverse("audit:entry-detail", args=[entry.pk])).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403


def test_audit_page_needs_login(client: Client, county: Any) -> None:
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_audit_admin_sees_entries_newest_first(
    client: Client, audit_admin: Any, county: Any, system: Any
) -> None:
    unit_update(actor=system, unit=county["a"], name="青山县第一高级中学")
    text = get(client, audit_admin, LIST).content.decode()
    assert "修改单位" in text
    assert text.index("青山县第一高级中学") < text.index("城关镇中心小学")


def test_audit_admin_of_a_school_sees_only_that_school(
    client: Client, audit_admin_a: Any, county: Any, system: Any
) -> None:
    unit_update(actor=system, unit=county["b"], address="城关镇人民路1号")
    b_entry = AuditEntry.objects.filter(action="orgs.unit_update").get()
    text = get(client, audit_admin_a, LIST).content.decode()
    assert "青山县第一中学" in text
    assert "城关镇中心小学" not in text
    assert client.get(reverse("audit:entry-detail", args=[b_entry.pk])).status_code == 404


def test_unattached_entries_visible_to_the_top_audit_admin_only(
    client: Client, audit_admin: Any, audit_admin_a: Any
) -> None:
    Client().post("/accounts/login/", {"username": "ghost", "password": "Wrong#password1"})
    assert "未登录:ghost" in get(client, audit_admin, LIST).content.decode()
    assert "未登录:ghost" not in get(Client(), audit_admin_a, LIST).content.decode()


def test_filters(client: Client, audit_admin: Any, county: Any, system: Any) -> None:
    unit_update(actor=system, unit=county["a"], address="青山县解放路8号")
    client.force_login(audit_admin)
    entries = client.get(LIST + "?action=orgs.unit_update").context["entries"]
    assert [e.action for e in entries] == ["orgs.unit_update"]
    by_type = client.get(LIST + "?object_type=orgs.unit").context["entries"]
    assert by_type and all(e.object_type == "orgs.unit" for e in by_type)
    by_user = client.get(LIST + "?user=system").context["entries"]
    assert by_user and all(e.actor_name == "system" for e in by_user)
    assert client.get(LIST + "?user=nobody").context["entries"] == []
    today = timezone.localdate()
    in_range = client.get(LIST + f"?date_from={today}&date_to={today}").context["entries"]
    assert len(in_range) == AuditEntry.objects.for_user(audit_admin).count()
    yesterday = today - dt.timedelta(days=1)
    assert client.get(LIST + f"?date_to={yesterday}").context["entries"] == []
    bad = client.get(LIST + f"?date_from={today}&date_to={yesterday}").content.decode()
    assert "「结束日期」：不能早于开始日期" in bad


def test_keyset_paging(
    client: Client, audit_admin: Any, county: Any, system: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 3)
    for i in range(5):
        record(system, "orgs.unit_update", county["a"], after={"i": i})
    client.force_login(audit_admin)
    first = client.get(LIST + "?action=orgs.unit_update")
    ids = [e.pk for e in first.context["entries"]]
    assert len(ids) == 3 and ids == sorted(ids, reverse=True)
    second = client.get(LIST + first.context["next_url"])
    more = [e.pk for e in second.context["entries"]]
    assert len(more) == 2 and max(more) < min(ids)
    assert second.context["next_url"] is None
    assert "action=orgs.unit_update" in second.context["first_url"]


def test_detail_shows_before_after_diff_and_hashes(
    client: Client, audit_admin: Any, county: Any, system: Any
) -> None:
    unit_update(actor=system, unit=county["a"], name="青山县第一高级中学")
    entry = AuditEntry.objects.filter(action="orgs.unit_update").get()
    response = get(client, audit_admin, reverse("audit:entry-detail", args=[entry.pk]))
    text = response.content.decode()
    changed = response.context["rows"]
    assert changed == [("name", "青山县第一中学", "青山县第一高级中学", True)]
    assert entry.hash in text and entry.prev_hash in text
    assert "与哈希一致" in text
    AuditEntry.objects.filter(pk=entry.pk).update(actor_name="someone")
    assert (
        "记录已被篡改"
        in client.get(reverse("audit:entry-detail", args=[entry.pk])).content.decode()
    )


def test_diff_rows_for_create_and_delete() -> None:
    assert views.diff_rows(None, {"a": 1}) == [("a", "", 1, True)]
    assert views.diff_rows({"a": 1, "b": 2}, {"a": 1, "b": 3}) == [
        ("a", 1, 1, False),
        ("b", 2, 3, True),
    ]


def test_verify_button(client: Client, audit_admin: Any, county: Any) -> None:
    client.force_login(audit_admin)
    ok = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "审计链完好" in ok
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None
    AuditEntry.objects.filter(pk=first.pk).update(object_repr="改过")
    broken = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert f"审计链在第 {first.pk} 号记录处断裂" in broken
    assert AuditEntry.objects.filter(action="audit.verify").count() == 2
