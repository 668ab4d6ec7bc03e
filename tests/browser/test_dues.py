"""A branch's monthly dues batch in a real browser: open the month, tick members paid, save,
see the reconciliation balanced."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_branch_monthly_dues_batch(
    page: Any, live_server: Any, county: dict[str, Any], make_user: Any, system: Any, shot: Any
) -> None:
    from dangjian.dues import actions, rules
    from dangjian.orgs.actions import partyorg_create
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    school = county["a"]
    branch = partyorg_create(actor=system, unit=school, name="第一中学党支部", kind="branch")
    month = rules.latest_overdue_month(timezone.localdate())
    names = [("张建华", "5000.00"), ("李秀英", "6200.00"), ("王志强", "2800.00")]
    for seq, (name, base) in enumerate(names, start=501):
        person = person_create(actor=system, unit=school, name=name, id_number=make_id_number(seq))
        member = member_create(
            actor=system,
            person=person,
            branch=branch,
            joined_on=dt.date(2012, 7, 1),
            status="full",
            full_on=dt.date(2013, 7, 1),
        )
        actions.dues_base_set(
            actor=system, member=member, year=month.year, monthly_base=Decimal(base)
        )
    make_user("school_secretary", school, username="shuji")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "shuji")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/home/$"))

    page.goto(f"{live_server.url}/dues/?month={month:%Y-%m}")
    expect(page.get_by_role("heading", name=re.compile("党费"))).to_be_visible()
    shot("dues-overview")
    page.get_by_role("link", name="第一中学党支部").click()
    expect(page.get_by_role("heading", name=re.compile("第一中学党支部"))).to_be_visible()
    # the expected amounts are prefilled: 50.00, 93.00 (6200 × 1.5%), 14.00
    expect(page.get_by_label("李秀英本次金额")).to_have_value("93.00")
    expect(page.get_by_label("王志强本次金额")).to_have_value("14.00")
    shot("dues-branch-month")

    page.get_by_label("张建华已交").check()
    page.get_by_label("李秀英已交").check()
    page.get_by_label("李秀英本次金额").fill("abc")
    page.get_by_role("button", name=re.compile("保存勾选的")).click()
    expect(page.get_by_text("请输入金额，如5000.00")).to_be_visible()
    expect(page.get_by_label("李秀英已交")).to_be_checked()  # nothing typed is lost

    page.get_by_label("李秀英本次金额").fill("93.00")
    page.get_by_role("button", name="全部勾选").click()
    expect(page.locator("#dues-ticked")).to_have_text("3")
    page.get_by_label("王志强收据号").fill("SJ-0003")
    page.get_by_role("button", name=re.compile("保存勾选的")).click()

    expect(page).to_have_url(re.compile(r"/reconciliation/"))
    expect(page.get_by_text("已登记3名党员")).to_be_visible()
    expect(page.locator("#recon-status")).to_contain_text("账目相符")
    expect(page.locator("#recon-expected")).to_have_text("¥157.00")
    expect(page.locator("#recon-received")).to_have_text("¥157.00")
    expect(page.locator("#recon-difference")).to_have_text("¥0.00")
    shot("dues-reconciliation")
