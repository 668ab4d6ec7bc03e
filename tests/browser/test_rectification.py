"""The rectification loop in a real browser: the inspector records a finding from an inspection,
the school submits a rectification with a photo, the inspector fails it, the school fixes it,
the inspector passes it (销号)."""

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


def test_finding_to_verified(
    page: Any,
    live_server: Any,
    county: dict[str, Any],
    make_user: Any,
    login: Any,
    shot: Any,
    tmp_path: Any,
    settings: Any,
) -> None:
    from dangjian.rectification.models import Rectification
    from dangjian.supervision.models import Inspection

    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "整改后.png"
    photo.write_bytes(PNG)
    today = dt.date.today()
    inspection = Inspection.objects.create(
        unit=county["a"],
        kind="district_patrol",
        status="done",
        planned_on=today,
        held_on=today,
        title="5月学区巡查",
    )
    make_user("inspector", county["bureau"], username="duban", display_name="周督导")
    make_user("school_secretary", county["a"], username="shuji", display_name="王书记")

    login("duban", PASSWORD)
    page.goto(f"{live_server.url}/rectification/findings/new/?inspection={inspection.pk}")
    expect(page.get_by_role("heading", name="登记问题")).to_be_visible()
    page.get_by_label("问题领域").fill("食堂管理")
    page.get_by_label("严重程度").select_option(label="轻微")
    page.get_by_label("问题描述").fill("食堂留样不足48小时")
    page.get_by_label("违反的规定或清单条目").fill("督查清单：食堂食品安全管理")
    page.get_by_label("整改责任人").select_option(label="王书记（青山县第一中学）")
    shot("rectification-finding-form")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记问题")).to_be_visible()
    expect(page.get_by_text("整改中").first).to_be_visible()
    page.context.clear_cookies()

    login("shuji", PASSWORD)
    page.locator("#sidebar-menu").get_by_role("link", name="问题与整改", exact=True).click()
    page.get_by_role("link", name="食堂留样不足48小时").click()
    page.get_by_role("link", name="提交整改").click()
    page.get_by_label("整改措施和完成情况").fill("已购置留样柜，落实48小时留样")
    page.get_by_label("整改后的照片或材料").set_input_files(str(photo))
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_text("已提交整改，等待验收")).to_be_visible()
    expect(page.get_by_role("img", name="整改后.png")).to_be_visible()
    page.context.clear_cookies()

    login("duban", PASSWORD)
    page.goto(f"{live_server.url}/rectification/findings/")
    page.get_by_role("link", name="食堂留样不足48小时").click()
    page.get_by_role("link", name="验收不通过").click()
    page.get_by_label("退回原因").fill("留样记录未签字")
    page.get_by_role("button", name="退回重改").click()
    expect(page.get_by_text("已退回重改")).to_be_visible()
    expect(page.get_by_text("留样记录未签字")).to_be_visible()
    page.context.clear_cookies()

    login("shuji", PASSWORD)
    page.goto(f"{live_server.url}/rectification/findings/")
    page.get_by_role("link", name="食堂留样不足48小时").click()
    page.get_by_role("link", name="重新提交整改").click()
    page.get_by_label("整改措施和完成情况").fill("留样记录已由专人签字")
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_text("已提交整改，等待验收")).to_be_visible()
    page.context.clear_cookies()

    login("duban", PASSWORD)
    page.goto(f"{live_server.url}/rectification/findings/")
    page.get_by_role("link", name="食堂留样不足48小时").click()
    page.get_by_role("link", name="验收通过").click()
    page.get_by_label("验收意见").fill("整改到位")
    page.get_by_role("button", name="验收通过").click()
    expect(page.get_by_text("验收通过，问题已销号")).to_be_visible()
    expect(page.get_by_text(re.compile("已销号")).first).to_be_visible()
    expect(page.get_by_text("验收不通过，退回重改")).to_be_visible()  # the timeline
    shot("rectification-finding-detail")
    rect = Rectification.objects.get()
    assert rect.status == "verified" and rect.reopen_count == 1
    page.goto(f"{live_server.url}/rectification/overdue/")
    expect(page.get_by_text("没有逾期未整改的问题")).to_be_visible()
    shot("rectification-overdue-empty")
