"""/api/v1/notices: the caller's own notices only; mark read; read all."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import count_queries
from dangjian.core.tests.api_helpers import NOT_FOUND, bearer, ids, session
from dangjian.notices.models import Notice

from .conftest import DEADLINE


def days(n: int) -> dt.date:
    return DEADLINE + dt.timedelta(days=n)


@pytest.fixture
def notified(people, make_finding, send):
    make_finding(people["sec_a"].unit)
    send(days(-3))
    send(days(1))
    return people


def test_list_own_notices_newest_first(notified):
    r = bearer(notified["sec_a"]).get("/api/v1/notices")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2
    first, second = body["items"]
    assert first["kind"] == "overdue" and second["kind"] == "due_soon"
    assert first["kind_label"] == "整改已逾期"
    assert first["title"].startswith("整改已逾期：青山县第一中学")
    assert first["unit"] == {"id": notified["sec_a"].unit.pk, "name": "青山县第一中学"}
    assert first["read"] is False and first["read_at"] is None
    assert first["url"].startswith("/rectification/findings/")
    mine = set(Notice.objects.filter(recipient=notified["sec_a"]).values_list("pk", flat=True))
    assert ids(r) == mine


def test_list_never_shows_another_users_notices(notified):
    for who in ("clerk_a", "sec_b", "bureau_admin"):
        r = bearer(notified[who]).get("/api/v1/notices")
        own = set(Notice.objects.filter(recipient=notified[who]).values_list("pk", flat=True))
        assert ids(r) == own, who


def test_mark_read(notified):
    c = bearer(notified["sec_a"])
    n = Notice.objects.filter(recipient=notified["sec_a"])[0]
    r = c.post(f"/api/v1/notices/{n.pk}/read")
    assert r.status_code == 200 and r.json()["read"] is True
    assert c.get("/api/v1/notices?unread=true").json()["count"] == 1
    assert c.get("/api/v1/notices?unread=false").json()["count"] == 2
    assert c.get("/api/v1/notices?kind=due_soon").json()["count"] == 1


def test_mark_read_of_another_users_notice_is_404(notified):
    theirs = Notice.objects.get(recipient=notified["clerk_a"])
    r = bearer(notified["sec_a"]).post(f"/api/v1/notices/{theirs.pk}/read")
    assert r.status_code == 404 and r.json() == NOT_FOUND
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all(notified):
    c = bearer(notified["sec_a"])
    assert c.post("/api/v1/notices/read-all").json() == {"marked": 2}
    assert c.post("/api/v1/notices/read-all").json() == {"marked": 0}
    assert Notice.objects.filter(recipient=notified["clerk_a"], read_at__isnull=True).count() == 1


def test_session_writes_need_csrf(notified):
    from django.test import Client

    from dangjian.core.tests.api_helpers import MODEL_BACKEND

    c = Client(enforce_csrf_checks=True)
    c.force_login(notified["sec_a"], backend=MODEL_BACKEND)
    assert c.post("/api/v1/notices/read-all").status_code == 403
    assert session(notified["sec_a"]).post("/api/v1/notices/read-all").status_code == 200


def test_anonymous_is_401():
    from django.test import Client

    assert Client().get("/api/v1/notices").status_code == 401


def test_list_query_count_is_constant(people, make_finding, send):
    c = bearer(people["sec_a"])
    make_finding(people["sec_a"].unit)
    send(days(1))
    c.get("/api/v1/notices")
    first = count_queries(lambda: c.get("/api/v1/notices"))
    for i in range(10):
        make_finding(people["sec_a"].unit, description=f"问题{i}")
    send(days(1))
    assert c.get("/api/v1/notices").json()["count"] == 11
    assert count_queries(lambda: c.get("/api/v1/notices")) == first
