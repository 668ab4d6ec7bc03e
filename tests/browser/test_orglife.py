"""Recording a meeting in a real browser: kind, date, attendance with one absent member and a
reason, a photo; then the meeting on the branch's compliance calendar."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_record_a_meeting(
    page: Any,
    live_server: Any,
    county: dict[str, Any],
    system: Any,
    make_user: Any,
    login: Any,
    shot: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    from dangjian.orglife.models import Meeting
    from dangjian.orgs.actions import partyorg_create
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    settings.MEDIA_ROOT = tmp_path / "media"
    branch = partyorg_create(
        actor=system,
        unit=county["a"],
        name="青山一中党支部",
        kind="branch",
        established_on=dt.date(2010, 7, 1),
    )
    names = ["王建国", "李秀英", "张伟", "刘洋"]
    members = []
    for i, name in enumerate(names):
        person = person_create(
            actor=system, unit=county["a"], name=name, id_number=make_id_number(500 + i)
        )
        members.append(
            member_create(
                actor=system,
                person=person,
                branch=branch,
                joined_on=dt.date(2015, 6, 1),
                status="full",
                full_on=dt.date(2016, 6, 1),
            )
        )
    make_user("school_secretary", county["a"], username="shuji")
    login("shuji", PASSWORD)

    page.locator("#sidebar-menu").get_by_role("link", name="组织生活", exact=True).click()
    expect(page.get_by_role("heading", name="组织生活")).to_be_visible()
    expect(page.get_by_text("还没有组织生活记录")).to_be_visible()
    shot("orglife-meetings-empty")
    page.get_by_role("link", name="登记组织生活").first.click()
    page.get_by_label("党组织").select_option(label="青山一中党支部（青山县第一中学）")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_role("heading", name=re.compile("登记组织生活"))).to_be_visible()

    today = dt.date.today()
    page.get_by_label("会议类型").select_option(label="主题党日")
    page.get_by_label("日期").fill(today.isoformat())
    page.get_by_label("第一议题学习").check()
    page.get_by_label("地点").fill("党员活动室")
    page.get_by_label("议题/主题").fill("重温入党誓词")
    page.get_by_label("会议记录").fill("书记主持，全体党员重温入党誓词。")
    page.get_by_label("张伟出勤").select_option(label="请假")
    shot("orglife-meeting-form")
    page.get_by_role("button", name="保存").click()
    # refused: the absent member needs a reason, and nothing typed is lost
    expect(page.locator(".alert-danger")).to_contain_text("张伟 未出席，请填写原因")
    expect(page.get_by_label("议题/主题")).to_have_value("重温入党誓词")
    page.get_by_label("张伟未出席原因").fill("外出培训")
    page.get_by_label("照片和附件").set_input_files(
        files=[{"name": "合影.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name="主题党日、第一议题学习")).to_be_visible()
    expect(page.locator(".datagrid")).to_contain_text("3/4")
    expect(page.get_by_role("img", name="合影.png")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("张伟"))).to_contain_text("外出培训")
    shot("orglife-meeting-detail")
    meeting = Meeting.objects.get()
    assert meeting.attachments.get().content_type == "image/png"

    page.get_by_role("link", name="组织生活日历").first.click()
    expect(page.get_by_role("heading", name="组织生活日历 · 青山一中党支部")).to_be_visible()
    row = page.locator("tr").filter(has=page.get_by_role("rowheader", name=re.compile("^主题党日")))
    cell = row.locator("td").nth(today.month - 1)
    expect(cell).to_have_attribute("data-verdict", "met")
    shot("orglife-compliance-branch")
