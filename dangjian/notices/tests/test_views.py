"""The inbox page, opening a notice, 全部标为已读, the bell in the frame and the home page card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import count_queries
from dangjian.core.tests.api_helpers import session
from dangjian.notices.models import Notice

from .conftest import DEADLINE


def days(n: int) -> dt.date:
    return DEADLINE + dt.timedelta(days=n)


@pytest.fixture
def notified(people, make_finding, send):
    """sec_a: a due-soon notice and, a day after the deadline, an overdue one; clerk_a: one."""
    make_finding(people["sec_a"].unit)
    send(days(-3))
    send(days(1))
    return people


def test_list_shows_own_notices_newest_first_unread_marked(notified):
    c = session(notified["sec_a"])
    r = c.get("/notices/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "我的提醒" in html and "全部标为已读（2）" in html
    overdue = html.index("整改已逾期：青山县第一中学")
    soon = html.index("整改即将到期：青山县第一中学")
    assert overdue < soon  # newest first
    assert html.count('class="badge bg-blue text-white">未读</span>') == 2
    assert '共 <strong class="text-body">2</strong> 条' in html


def test_list_does_not_show_another_users_notices(notified):
    clerk = Notice.objects.get(recipient=notified["clerk_a"])
    Notice.objects.filter(pk=clerk.pk).update(title="干事自己的提醒")
    html = session(notified["sec_a"]).get("/notices/").content.decode()
    assert "干事自己的提醒" not in html
    assert "干事自己的提醒" in session(notified["clerk_a"]).get("/notices/").content.decode()


def test_opening_marks_read_and_follows_the_link(notified):
    c = session(notified["sec_a"])
    n = Notice.objects.filter(recipient=notified["sec_a"])[0]
    r = c.get(f"/notices/{n.pk}/")
    assert r.status_code == 302 and r["Location"] == n.url
    n.refresh_from_db()
    assert n.read_at is not None
    assert c.get(r["Location"]).status_code == 200  # the finding page itself
    html = c.get("/notices/").content.decode()
    assert html.count(">未读</span>") == 1


def test_opening_another_users_notice_is_404(notified):
    theirs = Notice.objects.get(recipient=notified["clerk_a"])
    assert session(notified["sec_a"]).get(f"/notices/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_link_off_site_is_not_followed(notified):
    n = Notice.objects.filter(recipient=notified["sec_a"])[0]
    Notice.objects.filter(pk=n.pk).update(url="https://example.com/phish")
    r = session(notified["sec_a"]).get(f"/notices/{n.pk}/")
    assert r["Location"] == "/notices/"


def test_filter_unread_and_kind(notified):
    c = session(notified["sec_a"])
    n = Notice.objects.get(recipient=notified["sec_a"], kind="overdue")
    c.get(f"/notices/{n.pk}/")
    html = c.get("/notices/?unread=1").content.decode()
    assert "整改即将到期" in html and "整改已逾期：" not in html
    html = c.get("/notices/?kind=overdue").content.decode()
    assert "整改已逾期：" in html and "整改即将到期：" not in html


def test_read_all(notified):
    c = session(notified["sec_a"])
    assert c.get("/notices/read-all/").status_code == 405
    r = c.post("/notices/read-all/", follow=True)
    assert "已将2条提醒标为已读" in r.content.decode()
    assert not Notice.objects.filter(recipient=notified["sec_a"], read_at__isnull=True).exists()
    assert Notice.objects.filter(recipient=notified["clerk_a"], read_at__isnull=True).exists()
    assert "全部标为已读" not in c.get("/notices/").content.decode()


def test_empty_inbox_says_what_will_come(people):
    html = session(people["sec_b"]).get("/notices/").content.decode()
    assert "暂无提醒" in html


def test_paged(people, make_finding, send):
    for i in range(30):
        make_finding(people["sec_a"].unit, description=f"问题{i:02d}")
    send(days(1))
    c = session(people["sec_a"])
    html = c.get("/notices/").content.decode()
    assert html.count('class="list-group-item') == 25 and "第 1 / 2 页" in html
    html = c.get("/notices/?page=2").content.decode()
    assert html.count('class="list-group-item') == 5


def test_htmx_returns_the_rows_only(notified):
    r = session(notified["sec_a"]).get("/notices/?unread=1", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="rows">') and "<html" not in html


def bell(html: str) -> str:
    m = re.search(r'<a href="/notices/" class="dj-bell".*?</a>', html, re.S)
    assert m, "no bell in the frame"
    return m.group(0)


def test_bell_shows_the_unread_count_on_every_page(notified):
    c = session(notified["sec_a"])
    for url in ("/home/", "/rectification/findings/", "/orgs/units/"):
        assert '<span class="badge bg-red text-white">2</span>' in bell(c.get(url).content.decode())
    c.post("/notices/read-all/")
    assert "badge" not in bell(c.get("/rectification/findings/").content.decode())


def test_bell_costs_one_query(notified):
    c = session(notified["sec_a"])
    c.get("/orgs/units/")
    with CaptureQueriesContext(connection) as ctx:
        c.get("/orgs/units/")
    on_notices = [q["sql"] for q in ctx.captured_queries if "notices_notice" in q["sql"]]
    assert len(on_notices) == 1 and "COUNT(" in on_notices[0]


def test_bell_shows_99_plus(people, make_finding, send):
    for i in range(100):
        make_finding(people["sec_a"].unit, description=f"问题{i:03d}")
    send(days(1))
    html = session(people["sec_a"]).get("/orgs/units/").content.decode()
    assert ">99+</span>" in bell(html)


def test_notice_list_query_count_is_constant(people, make_finding, send, assert_constant_queries):
    c = session(people["sec_a"])
    day = {"n": 0}

    def add(n: int) -> None:
        for _ in range(n):
            day["n"] += 1
            make_finding(people["sec_a"].unit, description=f"问题{day['n']}")
        send(days(1) + dt.timedelta(days=0))

    assert_constant_queries(c, "/notices/", add)
    # session, user, roles, frame units, the bell (also the button), the page count and rows
    assert count_queries(lambda: c.get("/notices/")) == 7


def test_home_shows_unread_notices_in_todos(notified):
    c = session(notified["sec_a"])
    html = c.get("/home/").content.decode()
    todos = html[html.index('id="todos"') :]
    assert "未读提醒" in todos and "/notices/?unread=1" in todos
    from dangjian.core import home

    ctx = home.home_context(notified["sec_a"], days(1))
    card = next(t for t in ctx["todos"] if t.name == "notices_unread")
    assert card.count == 2 and card.level == "warning"
    ctx = home.home_context(notified["leader"], days(1))
    assert all(t.name != "notices_unread" for t in ctx["todos"])
