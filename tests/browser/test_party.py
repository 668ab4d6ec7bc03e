"""Party members in a real browser: register a member, transfer them to another school, the
receiving school confirms, and the member appears in the new branch."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_transfer_within_the_deployment(
    page: Any,
    live_server: Any,
    county: dict[str, Any],
    system: Any,
    make_user: Any,
    login: Any,
    shot: Any,
) -> None:
    from dangjian.orgs.actions import partyorg_create
    from dangjian.party.models import PartyMember
    from dangjian.people.actions import person_create

    a, b = county["a"], county["b"]
    partyorg_create(actor=system, unit=a, name="青山县第一中学党支部", kind="branch")
    receiving = partyorg_create(actor=system, unit=b, name="城关镇中心小学党支部", kind="branch")
    person_create(actor=system, unit=a, name="林晓燕", id_number=make_id_number(41))
    make_user("school_secretary", a, username="shu_a")
    make_user("school_secretary", b, username="shu_b")

    # school A registers the member
    login("shu_a", PASSWORD)
    page.locator("#sidebar-menu").get_by_role("link", name="党员", exact=True).click()
    expect(page.get_by_role("heading", name="党员")).to_be_visible()
    shot("party-member-list-empty")
    page.get_by_role("link", name="登记党员").first.click()
    expect(page.get_by_role("heading", name="登记党员")).to_be_visible()
    page.select_option("#id_person", label="林晓燕（青山县第一中学）")
    page.select_option("#id_branch", label="青山县第一中学党支部（青山县第一中学）")
    page.fill("#id_joined_on", "2012-06-28")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text(
        "正式党员须填写转正日期"
    )
    page.fill("#id_full_on", "2013-06-28")
    shot("party-member-create")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("林晓燕"))).to_be_visible()
    expect(page.locator("#section-status")).to_contain_text("正式党员")
    shot("party-member-detail")

    # …and issues the transfer letter to school B's branch, found by typing its name
    page.get_by_role("link", name="开具介绍信").click()
    expect(page.get_by_role("heading", name=re.compile("开具组织关系介绍信"))).to_be_visible()
    page.locator(".ts-control input").first.fill("中心小学")
    page.locator(".ts-dropdown .option", has_text="城关镇中心小学党支部").click()
    page.fill("#id_letter_number", "青一中组转〔2026〕3号")
    shot("party-transfer-create")
    page.get_by_role("button", name="开具").click()
    expect(page.locator(".page-title")).to_contain_text("待接收")
    expect(page.get_by_role("link", name="确认接收")).to_have_count(0)
    shot("party-transfer-detail")
    member = PartyMember.objects.get(person__name="林晓燕")
    assert member.branch.unit_id == a.pk  # still on A's roll until B confirms

    # school B sees the incoming letter and confirms it
    page.context.clear_cookies()
    login("shu_b", PASSWORD)
    page.goto(f"{live_server.url}/party/transfers/?status=pending&direction=in")
    expect(page.get_by_role("link", name="林晓燕")).to_be_visible()
    shot("party-transfer-list")
    page.get_by_role("link", name="林晓燕").click()
    page.get_by_role("link", name="确认接收").click()
    page.get_by_role("button", name="确认接收").click()
    expect(page.locator(".page-title")).to_contain_text("已接收")

    # the member is now in B's branch
    page.goto(f"{live_server.url}/party/members/?branch={receiving.pk}")
    expect(page.get_by_role("link", name="林晓燕")).to_be_visible()
    expect(page.locator("#structure-warnings")).to_contain_text("正式党员不足3人")
    shot("party-member-list-branch")
    member.refresh_from_db()
    assert member.branch_id == receiving.pk
