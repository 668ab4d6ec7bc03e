"""An inspection in a real browser: plan the month's spot check for a district's schools, start
one, record its checklist with a photo, complete it; the school's secretary then sees it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_plan_start_record_complete(
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
    from dangjian.supervision.actions import ItemIn, checklist_create
    from dangjian.supervision.models import Inspection

    settings.MEDIA_ROOT = tmp_path / "media"
    checklist_create(
        actor=system,
        unit=county["bureau"],
        name="月度督查清单",
        items=[
            ItemIn("组织生活", "三会一课按期开展", 10, "会议记录齐全"),
            ItemIn("廉洁风险", "收费公示上墙", 20, "项目、标准公示"),
        ],
    )
    make_user("inspector", county["bureau"], username="duchayuan", display_name="赵督导")
    make_user("school_secretary", county["a"], username="shuji")
    login("duchayuan", PASSWORD)

    page.locator("#sidebar-menu").get_by_role("link", name="督查计划", exact=True).click()
    expect(page.get_by_text("本月尚无督查计划")).to_be_visible()
    shot("supervision-plans-empty")
    page.get_by_role("link", name="新建督查计划").first.click()
    today = dt.date.today()
    page.get_by_label("计划单位", exact=True).select_option(label="城关学区")
    page.get_by_label("月份", exact=True).fill(f"{today:%Y-%m}")
    page.get_by_label("检查方式", exact=True).select_option(label="督导组抽查")
    page.get_by_label("督查清单", exact=True).select_option(label="月度督查清单")
    page.get_by_label("计划日期", exact=True).fill(today.isoformat())
    page.get_by_label("计划单位的全部学校").check()
    shot("supervision-plan-form")
    page.get_by_role("button", name="制定计划").click()

    expect(page.get_by_role("heading", name=re.compile("督导组抽查计划"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("城关镇中心小学"))).to_contain_text("已计划")
    shot("supervision-plan-detail")
    page.get_by_role("link", name="青山县第一中学").click()

    expect(page.get_by_role("heading", name=re.compile("青山县第一中学"))).to_contain_text("已计划")
    page.get_by_role("button", name="开始督查").click()
    expect(page.get_by_role("heading", name=re.compile("青山县第一中学"))).to_contain_text("进行中")
    page.get_by_role("link", name="登记检查结果").click()
    page.get_by_label("第1项检查结果").select_option(label="符合")
    page.get_by_label("第1项佐证材料").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_label("第2项检查结果").select_option(label="基本符合")
    page.get_by_label("第2项情况说明").fill("收费标准未公示")
    page.get_by_label("检查情况", exact=True).fill("总体良好，收费公示需完善。")
    shot("supervision-record-form")
    page.get_by_role("button", name="保存检查结果").click()

    expect(page.get_by_role("img", name="现场.png")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("收费公示上墙"))).to_contain_text(
        "收费标准未公示"
    )
    expect(page.locator(".datagrid")).to_contain_text("20.0 / 30")
    page.get_by_role("button", name="完成督查").click()
    expect(page.get_by_role("heading", name=re.compile("青山县第一中学"))).to_contain_text("已完成")
    shot("supervision-inspection-done")
    done = Inspection.objects.get(unit=county["a"])
    assert (done.status, done.held_on) == ("done", today)
    assert done.results.get(item__position=1).evidence.get().content_type == "image/png"

    page.locator("#sidebar-menu").get_by_role("link", name="督查记录", exact=True).click()
    expect(page.get_by_role("heading", name="督查记录")).to_be_visible()
    shot("supervision-inspections")
    page.locator("#sidebar-menu").get_by_role("link", name="检查清单", exact=True).click()
    page.get_by_role("link", name="月度督查清单").click()
    expect(page.get_by_text("廉洁风险（20分）")).to_be_visible()
    shot("supervision-checklist-detail")
