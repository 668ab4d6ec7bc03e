"""三重一大 in a real browser: the school files an agenda item (late, with the warning), discipline
inspection approves it for the meeting, the school records the meeting (roster prefilled from
the party committee, speakers in order, the vote), downloads the Word minutes, and follows the
decision through execution to completion; the bureau looks at the dashboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADERS = [
    ("王书记", "secretary"),
    ("李校长", "committee_member"),
    ("张副书记", "deputy_secretary"),
    ("刘委员", "organization_member"),
    ("陈委员", "propaganda_member"),
]


def _party_committee(school: Any, system: Any) -> None:
    from dangjian.orgs.actions import partyorg_create, post_create
    from dangjian.people.actions import person_create

    org = partyorg_create(actor=system, unit=school, name=f"{school.name}党委", kind="committee")
    for n, (name, title) in enumerate(LEADERS):
        person = person_create(
            actor=system, unit=school, name=name, id_number=make_id_number(500 + 2 * n)
        )
        post_create(
            actor=system, org=org, person=person, title=title, started_on=dt.date(2023, 1, 1)
        )


def test_filing_review_meeting_execution(
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
    from dangjian.decisions.documents import text_of
    from dangjian.decisions.models import AgendaItem

    settings.MEDIA_ROOT = tmp_path / "media"
    _party_committee(county["a"], system)
    material = tmp_path / "调研报告.pdf"
    material.write_bytes(b"%PDF-1.4\n%test\n")
    today = timezone.localdate()
    make_user("school_secretary", county["a"], username="shuji", display_name="王书记")
    make_user("discipline_inspector", county["bureau"], username="jijian", display_name="纪检老孙")
    make_user("bureau_leader", county["bureau"], username="lingdao", display_name="赵局长")
    base = live_server.url

    # 1. the school files an item two days before the meeting: allowed, with a warning
    login("shuji", PASSWORD)
    page.locator("#sidebar-menu").get_by_role("link", name="议题", exact=True).click()
    expect(page.get_by_text("还没有三重一大议题")).to_be_visible()
    shot("decisions-item-list-empty")
    page.get_by_role("link", name="填报议题").first.click()
    page.get_by_label("类别").select_option(label="重大事项决策")
    page.get_by_label("议题名称").fill("修订学校章程")
    page.get_by_label("议题内容").fill("根据新修订的法律法规修订学校章程，提交党委会研究。")
    page.get_by_label("拟上会日期").fill((today + dt.timedelta(days=1)).isoformat())
    page.get_by_label("提议人").fill("李校长")
    page.get_by_label("调查研究", exact=True).check()
    page.get_by_label("调查研究材料").set_input_files(str(material))
    page.get_by_label("征求意见", exact=True).check()
    page.get_by_label("党组织前置研究/书记校长会前沟通", exact=True).check()
    shot("decisions-item-form")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("已保存议题草稿")).to_be_visible()
    expect(page.get_by_text("现在报备仍可提交").first).to_be_visible()
    page.get_by_role("link", name="报备", exact=True).click()
    expect(page.get_by_text("现在报备仍可提交")).to_be_visible()
    shot("decisions-item-file")
    page.get_by_role("button", name="确认报备").click()
    expect(page.get_by_text("报备时间不足，已标记")).to_be_visible()
    expect(
        page.locator("#flags").get_by_text("【规则5.3】议题应至少提前规定的工作日数报备")
    ).to_be_visible()
    page.context.clear_cookies()

    # 2. discipline inspection approves it for the meeting
    login("jijian", PASSWORD)
    page.goto(f"{base}/decisions/items/?todo=to_review")
    page.get_by_role("link", name="修订学校章程").click()
    page.get_by_role("link", name="审核", exact=True).click()
    page.get_by_label("同意上会").check()
    page.get_by_label("审核意见").fill("同意上会，注意会前沟通")
    shot("decisions-item-review")
    page.get_by_role("button", name="提交审核意见").click()
    expect(page.get_by_text("同意上会").first).to_be_visible()
    page.context.clear_cookies()

    # 3. the meeting record: roster from the party committee, the secretary speaks last
    login("shuji", PASSWORD)
    page.goto(f"{base}/decisions/items/")
    page.get_by_role("link", name="修订学校章程").click()
    page.get_by_role("link", name="登记会议记录").click()
    expect(page.locator("input[name='m-0-name']")).to_have_value("王书记")
    expect(page.get_by_text("主持人王书记（书记）应在其他成员发表意见后最后表态")).to_be_visible()
    page.get_by_label("会议日期").fill(today.isoformat())
    page.get_by_label("会议地点").fill("学校第一会议室")
    page.get_by_label("记录人").fill("党办小李")
    page.get_by_role("button", name="添加成员").click()
    page.locator("input[name='m-7-name']").fill("周委员")
    page.locator("input[name='m-7-title']").fill("委员")
    item = AgendaItem.objects.get()
    # the speaking order is not pre-filled: the recorder enters it, the secretary last
    for n, name in enumerate(["李校长", "王书记"]):
        select = page.locator(f"select[name='op{item.pk}-{n}-member']")
        expect(select).to_have_value("")
        value = select.locator("option", has_text=name).get_attribute("value")
        select.select_option(value)
        page.locator(f"select[name='op{item.pk}-{n}-stance']").select_option("agree")
    page.locator(f"input[name='d{item.pk}-votes_yes']").fill("6")
    page.locator(f"input[name='d{item.pk}-votes_no']").fill("0")
    page.locator(f"input[name='d{item.pk}-votes_abstain']").fill("0")
    page.locator(f"textarea[name='d{item.pk}-decision']").fill("同意修订后的章程，提交教代会审议。")
    shot("decisions-meeting-form")
    page.get_by_role("button", name="保存会议记录").click()
    expect(page.get_by_text("已登记会议记录")).to_be_visible()
    expect(page.get_by_text("应到6人，实到6人")).to_be_visible()
    expect(page.get_by_text("赞成6票，反对0票，弃权0票")).to_be_visible()
    shot("decisions-meeting-detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载会议记录（Word）").click()
    text = text_of(Path(download.value.path()).read_bytes())
    assert "一、议题：修订学校章程" in text and "赞成6票" in text
    assert text.index("李校长") < text.index("王书记（书记）：同意")

    # 4. execution: responsible person, a milestone, completion with evidence
    page.get_by_role("link", name="修订学校章程").click()
    expect(page.get_by_text("会议通过").first).to_be_visible()
    page.get_by_role("link", name="登记执行").click()
    page.get_by_label("责任人", exact=True).select_option(label="李校长")
    page.get_by_label("执行期限").fill((today + dt.timedelta(days=30)).isoformat())
    page.get_by_label("第1个节点", exact=True).fill("章程报教育局核准")
    page.get_by_label("第1个节点计划完成日期").fill((today + dt.timedelta(days=20)).isoformat())
    shot("decisions-execution-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已登记执行责任人和执行期限")).to_be_visible()
    page.locator("#execution").get_by_role("button", name="完成").click()
    expect(page.get_by_text("节点“章程报教育局核准”已完成")).to_be_visible()
    page.get_by_role("link", name="执行完毕").click()
    page.get_by_label("执行情况报告").fill("章程已经教育局核准并公布实施")
    page.get_by_label("佐证材料", exact=True).set_input_files(str(material))
    page.get_by_role("button", name="确认执行完毕").click()
    expect(page.get_by_text("议题已执行完毕")).to_be_visible()
    expect(page.get_by_text("执行完毕").first).to_be_visible()
    expect(page.get_by_text("登记决策会议").first).to_be_visible()  # the timeline
    shot("decisions-item-detail")
    item.refresh_from_db()
    assert item.status == "completed"
    page.context.clear_cookies()

    # 5. the bureau's dashboard: every number links to its rows
    login("lingdao", PASSWORD)
    page.locator("#sidebar-menu").get_by_role("link", name="监督看板").click()
    expect(page.get_by_text("报备三重一大议题的学校")).to_be_visible()
    expect(page.locator("#chart-1 canvas")).to_be_visible()
    shot("decisions-dashboard")
    page.locator("#figures").get_by_role("link", name="1", exact=True).first.click()
    expect(page.get_by_text("青山县第一中学").first).to_be_visible()
