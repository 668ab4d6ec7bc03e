"""The reminder inbox in a real browser: the bell shows the unread count, the inbox lists the
notices, opening one goes to the finding and marks it read, 全部标为已读 empties the bell."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bell_inbox_open_and_read_all(
    page: Any,
    live_server: Any,
    county: dict[str, Any],
    make_user: Any,
    system: Any,
    login: Any,
    shot: Any,
) -> None:
    from dangjian.notices.actions import reminders_send
    from dangjian.rectification.actions import finding_create

    make_user("school_secretary", county["a"], username="shuji", display_name="王书记")
    found = dt.date(2024, 5, 6)
    for area, text, severity in (
        ("三会一课", "支部党员大会会议记录不完整，缺少表决结果", "general"),
        ("党费收缴", "个别党员党费未按月交纳，收缴台账登记不全", "minor"),
        ("食堂管理", "食堂食材采购验收记录缺签字，留样不足48小时", "serious"),
    ):
        finding_create(
            actor=system,
            unit=county["a"],
            source="self_check",
            area=area,
            description=text,
            severity=severity,
            found_on=found,
        )
    for day in (
        dt.date(2024, 5, 10),
        dt.date(2024, 5, 13),
        dt.date(2024, 5, 22),
        dt.date(2024, 6, 3),
    ):
        reminders_send(actor=system, as_of=day)

    login("shuji", PASSWORD)
    bell = page.locator("#dj-bell")
    # minor (due 5-13): due soon, due today, district, bureau; general (due 5-21): overdue,
    # district; serious (due 6-05): due soon
    expect(bell.locator(".badge")).to_have_text("7")
    bell.click()
    expect(page.get_by_role("heading", name="我的提醒")).to_be_visible()
    expect(page.locator(".dj-notice.dj-unread")).to_have_count(7)
    shot("notices-inbox")

    page.locator(".dj-notice", has_text="食堂食材采购").click()
    expect(page).to_have_url(re.compile(r"/rectification/findings/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile("食堂管理"))).to_be_visible()
    expect(page.locator("#dj-bell .badge")).to_have_text("6")
    page.goto(f"{live_server.url}/notices/")
    expect(page.locator(".dj-notice.dj-unread")).to_have_count(6)
    page.get_by_role("button", name="全部标为已读（6）").click()
    expect(page.locator(".alert")).to_contain_text("已将6条提醒标为已读")
    expect(page.locator("#dj-bell .badge")).to_have_count(0)
    expect(page.locator(".dj-notice.dj-unread")).to_have_count(0)
    page.goto(f"{live_server.url}/home/")
    expect(page.locator("#todos")).to_contain_text("未读提醒")
    shot("notices-home")
