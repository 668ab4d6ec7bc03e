"""The whole supervision loop in a real browser, ending in the monthly bulletin: the inspector
plans the month's spot check, carries it out and records a finding; the school submits its
rectification with a photo; the inspector fails it; the school fixes it; the inspector passes it;
the bulletin of the month shows the finding and its rectification, and a finished month's
bulletin is issued and downloaded as Word."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
FINDING = "食堂留样不足48小时"


def _open_finding(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/rectification/findings/")
    page.get_by_role("link", name=FINDING).click()


def test_plan_to_bulletin(
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
    from dangjian.bulletins.models import Bulletin
    from dangjian.rectification.models import Rectification
    from dangjian.supervision.actions import ItemIn, checklist_create

    settings.MEDIA_ROOT = tmp_path / "media"
    today = dt.date.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    checklist_create(
        actor=system,
        unit=county["bureau"],
        name="月度督查清单",
        items=[ItemIn("食堂管理", "食堂留样48小时", 10, "留样记录齐全")],
    )
    make_user("inspector", county["bureau"], username="duban", display_name="周督导")
    make_user("school_secretary", county["a"], username="shuji", display_name="王书记")

    # 1. plan the month's spot check, carry it out, record a finding
    login("duban", PASSWORD)
    page.goto(f"{live_server.url}/supervision/plans/new/")
    page.get_by_label("计划单位", exact=True).select_option(label="城关学区")
    page.get_by_label("月份", exact=True).fill(f"{today:%Y-%m}")
    page.get_by_label("检查方式", exact=True).select_option(label="督导组抽查")
    page.get_by_label("督查清单", exact=True).select_option(label="月度督查清单")
    page.get_by_label("计划日期", exact=True).fill(today.isoformat())
    page.get_by_label("计划单位的全部学校").check()
    page.get_by_role("button", name="制定计划").click()
    page.get_by_role("link", name="青山县第一中学").click()
    page.get_by_role("button", name="开始督查").click()
    page.get_by_role("link", name="登记检查结果").click()
    page.get_by_label("第1项检查结果").select_option(label="不符合")
    page.get_by_label("第1项情况说明").fill(FINDING)
    page.get_by_role("button", name="保存检查结果").click()
    page.get_by_role("button", name="完成督查").click()
    expect(page.get_by_role("heading", name=re.compile("青山县第一中学"))).to_contain_text("已完成")
    page.get_by_role("link", name="登记问题").click()
    page.get_by_label("问题领域").fill("食堂管理")
    page.get_by_label("严重程度").select_option(label="轻微")
    page.get_by_label("问题描述").fill(FINDING)
    page.get_by_label("整改责任人").select_option(label="王书记（青山县第一中学）")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记问题")).to_be_visible()
    page.context.clear_cookies()

    # 2. the school submits with a photo; 3. the inspector fails it
    photo = tmp_path / "整改后.png"
    photo.write_bytes(PNG)
    login("shuji", PASSWORD)
    _open_finding(page, live_server)
    page.get_by_role("link", name="提交整改").click()
    page.get_by_label("整改措施和完成情况").fill("已购置留样柜")
    page.get_by_label("整改后的照片或材料").set_input_files(str(photo))
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_role("img", name="整改后.png")).to_be_visible()
    page.context.clear_cookies()
    login("duban", PASSWORD)
    _open_finding(page, live_server)
    page.get_by_role("link", name="验收不通过").click()
    page.get_by_label("退回原因").fill("留样记录未签字")
    page.get_by_role("button", name="退回重改").click()
    expect(page.get_by_text("已退回重改")).to_be_visible()
    page.context.clear_cookies()

    # 4. the school fixes it; 5. the inspector passes it
    login("shuji", PASSWORD)
    _open_finding(page, live_server)
    page.get_by_role("link", name="重新提交整改").click()
    page.get_by_label("整改措施和完成情况").fill("留样记录已由专人签字")
    page.get_by_role("button", name="提交整改").click()
    page.context.clear_cookies()
    login("duban", PASSWORD)
    _open_finding(page, live_server)
    page.get_by_role("link", name="验收通过").click()
    page.get_by_role("button", name="验收通过").click()
    expect(page.get_by_text("验收通过，问题已销号")).to_be_visible()
    assert Rectification.objects.get().reopen_count == 1

    # 6. this month's bulletin shows it (live figures while the month runs)
    page.locator("#sidebar-menu").get_by_role("link", name="督导通报", exact=True).click()
    shot("bulletin-list")
    page.get_by_role("link", name="起草通报").first.click()
    page.get_by_label("通报单位").select_option(label="青山县教育局")
    page.get_by_label("通报月份").fill(f"{today:%Y-%m}")
    page.get_by_role("button", name="起草通报").click()
    expect(page.get_by_text("已起草通报")).to_be_visible()
    cards = page.locator(".card-sm")
    expect(cards.filter(has_text="督查发现问题")).to_contain_text("1")
    expect(cards.filter(has_text="整改销号")).to_contain_text("1")
    expect(cards.filter(has_text="受检学校").first).to_contain_text("督导组抽查1所")
    expect(page.get_by_role("row", name=re.compile("青山县第一中学"))).to_be_visible()
    expect(page.get_by_text("尚未结束")).to_be_visible()
    expect(page.get_by_role("button", name="签发印发")).to_have_count(0)
    page.get_by_label("类别").select_option(label="反面典型")
    page.get_by_label("学校", exact=True).select_option(label="青山县第一中学")
    page.get_by_label("关联问题").select_option(index=1)
    page.get_by_label("内容").fill("食堂留样不规范，经两次整改才销号。")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_text("已添加反面典型")).to_be_visible()
    expect(page.get_by_text("经两次整改才销号")).to_be_visible()
    shot("bulletin-draft")

    # 7. last month's bulletin is issued and its Word document downloaded
    page.goto(f"{live_server.url}/bulletins/new/")
    page.get_by_label("通报单位").select_option(label="青山县教育局")
    page.get_by_label("通报月份").fill(f"{last_month:%Y-%m}")
    page.get_by_role("button", name="起草通报").click()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="签发印发").click()
    expect(page.get_by_text(re.compile(r"已签发\d{4}年第1期"))).to_be_visible()
    expect(page.get_by_role("link", name="下载通报（Word）")).to_be_visible()
    shot("bulletin-issued")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载通报（Word）").click()
    doc = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert doc.paragraphs[0].text == "党建督导工作通报"
    issued = Bulletin.objects.get(month=last_month)
    assert issued.status == "issued" and issued.content["figures"]["findings"]["value"] == 0
