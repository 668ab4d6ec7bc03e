"""一事一追责 in a real browser: an overdue finding waits on the pending list, the inspector
records a 谈话提醒 decision, it leaves the list and shows on the record list."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_decide_on_an_overdue_finding(
    page: Any,
    live_server: Any,
    county: dict[str, Any],
    system: Any,
    make_user: Any,
    login: Any,
    shot: Any,
) -> None:
    from dangjian.people.actions import person_create
    from dangjian.rectification.models import Finding, Rectification

    today = timezone.localdate()
    found_on = today - dt.timedelta(days=60)
    # the rectification app's own actions made this finding; here it is set up directly
    finding = Finding.objects.create(
        unit=county["a"],
        source="inspection",
        area="食堂管理",
        description="食堂采购台账缺失，未按规定公示",
        severity="general",
        found_on=found_on,
    )
    Rectification.objects.create(
        finding=finding,
        unit=county["a"],
        period_days=15,
        deadline=found_on + dt.timedelta(days=15),
    )
    person_create(
        actor=system,
        unit=county["a"],
        name="王建国",
        id_number=make_id_number(711),
        job_title="总务主任",
    )
    make_user("inspector", county["bureau"], username="ducha")
    login("ducha", PASSWORD)

    page.locator("#sidebar-menu").get_by_role("link", name="追责问责", exact=True).click()
    expect(page.get_by_role("heading", name="追责问责")).to_be_visible()
    expect(page.get_by_text("还没有问责决定")).to_be_visible()
    page.get_by_role("link", name=re.compile("待作追责决定")).first.click()
    row = page.locator("tr", has_text="食堂采购台账缺失")
    expect(row).to_be_visible()
    expect(row.get_by_text("逾期45天")).to_be_visible()
    shot("accountability-pending")

    row.get_by_role("link", name="作出问责决定").click()
    expect(page.get_by_text("责任单位：青山县第一中学")).to_be_visible()
    page.get_by_label("问责方式").select_option(label="谈话提醒")
    page.get_by_label("被问责人").select_option(label="王建国（青山县第一中学，总务主任）")
    page.get_by_label("文号").fill("青教党〔2026〕12号")
    shot("accountability-record-form")
    page.get_by_role("button", name="登记问责决定").click()

    expect(page.get_by_role("heading", name=re.compile("谈话提醒"))).to_be_visible()
    expect(page.get_by_text("第一种形态").first).to_be_visible()
    expect(page.get_by_text("青教党〔2026〕12号")).to_be_visible()
    shot("accountability-record-detail")

    page.get_by_role("link", name="全部问责决定").click()
    expect(page.locator("#rows").get_by_text("王建国")).to_be_visible()
    expect(page.locator("#rows").get_by_role("link", name="谈话提醒")).to_be_visible()
    shot("accountability-records")
    page.get_by_role("link", name="待作追责决定").first.click()
    expect(page.get_by_text("没有待作追责决定的问题")).to_be_visible()
    expect(page.locator("tr", has_text="食堂采购台账缺失")).to_have_count(0)
