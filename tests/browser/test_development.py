"""发展党员 in a real browser: a step refused by the one-year rule, the date fixed, accepted."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = dt.date(2026, 11, 23)


def _activist(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.development.actions import record_create, step_record
    from dangjian.orgs.actions import partyorg_create
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    branch = partyorg_create(actor=system, unit=county["a"], name="第一中学党支部", kind="branch")
    members = []
    for n, name in enumerate(("李红梅", "张建国")):
        person = person_create(
            actor=system, unit=county["a"], name=name, id_number=make_id_number(40 + n, "19760101")
        )
        member_create(
            actor=system,
            person=person,
            branch=branch,
            joined_on=dt.date(2004, 7, 1),
            status="full",
            full_on=dt.date(2005, 7, 1),
        )
        members.append(person)
    applicant = person_create(
        actor=system,
        unit=county["a"],
        name="王晓燕",
        id_number=make_id_number(50, "19950520"),
        is_key_teacher=True,
    )
    record = record_create(
        actor=system, person=applicant, branch=branch, applied_on=dt.date(2022, 9, 1), today=TODAY
    )
    for kind, on, people in (
        ("application_talk", dt.date(2022, 9, 20), members[:1]),
        ("activist_selection", dt.date(2023, 3, 15), []),
        ("sponsor_assignment", dt.date(2023, 3, 20), members),
        ("activist_cultivation", dt.date(2023, 9, 10), []),
    ):
        step_record(actor=system, record=record, kind=kind, on=on, people=people, today=TODAY)
    return record


def test_development_step_refused_then_accepted(
    page: Any,
    live_server: Any,
    county: dict[str, Any],
    system: Any,
    make_user: Any,
    login: Any,
    shot: Any,
) -> None:
    record = _activist(system, county)
    make_user("school_secretary", county["a"], username="shuji")
    login("shuji", PASSWORD)

    page.locator("#sidebar-menu").get_by_role("link", name="发展党员").click()
    expect(page.get_by_role("heading", name="发展党员")).to_be_visible()
    expect(page.locator("#rows")).to_contain_text("王晓燕")
    shot("development-list")

    page.get_by_role("link", name="王晓燕").click()
    expect(page.locator("#warnings")).to_contain_text("培养教育考察（每半年一次）")
    expect(page.locator("main, body")).to_contain_text("最早可于2024年3月15日确定为发展对象")
    shot("development-detail")

    page.locator("#next-steps").get_by_role("link", name="确定发展对象").click()
    expect(page.get_by_role("heading", name="确定发展对象")).to_be_visible()
    page.get_by_label("确定日期").fill("2024-03-14")
    page.get_by_role("button", name="记录").click()
    error = page.locator(".invalid-feedback")
    expect(error).to_contain_text("【规则2.3-7】")
    expect(error).to_contain_text("最早可于2024年3月15日确定为发展对象")
    shot("development-step-refused")

    page.get_by_label("确定日期").fill("2024-03-15")
    page.get_by_role("button", name="记录").click()
    expect(page).to_have_url(re.compile(rf"/development/{record.pk}/$"))
    expect(page.locator("h2 .badge").first).to_have_text("发展对象")
    expect(page.locator("#timeline")).to_contain_text("确定发展对象")
    expect(page.locator("#next-steps")).to_contain_text("确定入党介绍人")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载发展对象公示（Word）").click()
    assert info.value.suggested_filename.endswith(".docx")
    shot("development-candidate")
