"""Pages: lists (constant queries), details (scope 404), forms through the actions."""

import datetime as dt

import pytest

from dangjian.core.tests.api_helpers import session
from dangjian.supervision import actions
from dangjian.supervision.models import Checklist, Plan

from .conftest import DAY, png


@pytest.fixture
def admin_client(bureau_admin):
    return session(bureau_admin)


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/plans/",
        "/supervision/inspections/",
        "/supervision/checklists/",
        "/supervision/campaigns/",
        "/supervision/plans/new/",
        "/supervision/inspections/new/",
        "/supervision/checklists/new/",
        "/supervision/campaigns/new/",
    ],
)
def test_pages_render(admin_client, checklist, url):
    assert admin_client.get(url).status_code == 200


def test_inspection_list_constant_queries(admin_client, system, county, assert_constant_queries):
    def add(n):
        for _ in range(n):
            actions.inspection_create(
                actor=system, unit=county["a"], kind="district_patrol", planned_on=DAY
            )

    assert_constant_queries(admin_client, "/supervision/inspections/", add)


def test_plan_list_constant_queries(admin_client, system, county, assert_constant_queries):
    def add(n):
        for _ in range(n):
            actions.plan_create(
                actor=system,
                unit=county["district"],
                month=DAY,
                kind="district_patrol",
                schools=[(county["a"], DAY), (county["b"], DAY)],
            )

    assert_constant_queries(admin_client, "/supervision/plans/", add)


def test_checklist_and_campaign_lists_constant_queries(
    admin_client, system, county, assert_constant_queries
):
    def add_checklists(n):
        for k in range(n):
            actions.checklist_create(
                actor=system,
                unit=county["bureau"],
                name=f"清单{k}",
                items=[actions.ItemIn("a", "b", 1), actions.ItemIn("a", "c", 2)],
            )

    def add_campaigns(n):
        for k in range(n):
            actions.campaign_create(
                actor=system,
                unit=county["bureau"],
                name=f"整治{k}",
                key_areas=["食堂管理"],
                starts_on=DAY,
                ends_on=DAY,
                schools=[county["a"], county["b"]],
            )

    assert_constant_queries(admin_client, "/supervision/checklists/", add_checklists)
    assert_constant_queries(admin_client, "/supervision/campaigns/", add_campaigns)


def test_list_filters(admin_client, make_inspection, county):
    a = make_inspection(kind="self_check")
    b = make_inspection(unit=county["b"], planned_on=dt.date(2024, 7, 2))
    body = admin_client.get("/supervision/inspections/?kind=self_check").content.decode()
    assert a.get_absolute_url() in body and b.get_absolute_url() not in body
    body = admin_client.get("/supervision/inspections/?month=2024-07").content.decode()
    assert a.get_absolute_url() not in body and b.get_absolute_url() in body
    body = admin_client.get(
        f"/supervision/inspections/?unit={county['a'].pk}&status=open"
    ).content.decode()
    assert a.get_absolute_url() in body and b.get_absolute_url() not in body


def test_export_inspections(admin_client, make_inspection):
    make_inspection()
    r = admin_client.get("/export/inspections/?kind=district_patrol")
    assert r.status_code == 200
    assert "spreadsheet" in r["Content-Type"]


def test_sibling_school_gets_404(secretary_b, make_inspection, checklist, system, county):
    i = make_inspection(kind="self_check", checklist=checklist)
    c = session(secretary_b)
    for url in (i.get_absolute_url(), f"/supervision/inspections/{i.pk}/record/"):
        assert c.get(url).status_code == 404
    assert (
        c.post(f"/supervision/inspections/{i.pk}/start/", {"held_on": "2024-06-10"}).status_code
        == 404
    )
    plan = actions.plan_create(
        actor=system,
        unit=county["a"],
        month=DAY,
        kind="district_patrol",
        schools=[(county["a"], DAY)],
    )
    assert c.get(plan.get_absolute_url()).status_code == 404


def test_plan_create_page_all_schools(admin_client, county, checklist):
    r = admin_client.post(
        "/supervision/plans/new/",
        {
            "unit": county["district"].pk,
            "month": "2024-06",
            "kind": "district_patrol",
            "planned_on": "2024-06-12",
            "selection": "all",
            "checklist": checklist.pk,
        },
    )
    plan = Plan.objects.get()
    assert r.status_code == 302 and r["Location"] == plan.get_absolute_url()
    assert {i.unit for i in plan.inspections.all()} == {county["a"], county["b"]}
    assert admin_client.get(plan.get_absolute_url()).status_code == 200


def test_plan_create_page_sample_and_errors(admin_client, county):
    r = admin_client.post(
        "/supervision/plans/new/",
        {
            "unit": county["bureau"].pk,
            "month": "2024-06",
            "kind": "bureau_spot_check",
            "planned_on": "2024-06-12",
            "selection": "sample",
        },
    )
    assert r.status_code == 302
    assert Plan.objects.get().inspections.count() == 1  # ⌈2 × 20%⌉
    r = admin_client.post(
        "/supervision/plans/new/",
        {
            "unit": county["bureau"].pk,
            "month": "2024-06",
            "kind": "bureau_spot_check",
            "planned_on": "2024-07-12",
            "selection": "pick",
        },
    )
    body = r.content.decode()
    assert r.status_code == 200 and "计划日期应在所选月份内" in body and "请选择受检学校" in body


def test_inspection_pages_cycle(admin_client, make_inspection, checklist):
    i = make_inspection(kind="bureau_spot_check", checklist=checklist)
    assert "开始督查" in admin_client.get(i.get_absolute_url()).content.decode()
    admin_client.post(f"/supervision/inspections/{i.pk}/start/", {"held_on": "2024-06-10"})
    i.refresh_from_db()
    assert i.status == "in_progress"
    first, second = checklist.items.all()
    r = admin_client.post(
        f"/supervision/inspections/{i.pk}/record/",
        {
            f"verdict_{first.pk}": "met",
            f"verdict_{second.pk}": "not_met",
            f"note_{second.pk}": "未公示",
            f"evidence_{first.pk}": png(),
            "notes": "发现1个问题",
        },
    )
    assert r.status_code == 302
    page = admin_client.get(i.get_absolute_url()).content.decode()
    assert "未公示" in page and "现场.png" in page
    ev = i.results.get(item=first).evidence.get()
    got = admin_client.get(ev.get_absolute_url())
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    admin_client.post(
        f"/supervision/inspections/{i.pk}/complete/", {"held_on": "2024-06-10", "notes": "完成"}
    )
    i.refresh_from_db()
    assert i.status == "done"


def test_record_page_shows_bad_file_error(admin_client, make_inspection, checklist, system):
    from django.core.files.uploadedfile import SimpleUploadedFile

    i = make_inspection(kind="bureau_spot_check", checklist=checklist)
    actions.inspection_start(actor=system, inspection=i, held_on=DAY)
    item = checklist.items.first()
    r = admin_client.post(
        f"/supervision/inspections/{i.pk}/record/",
        {f"verdict_{item.pk}": "met", f"evidence_{item.pk}": SimpleUploadedFile("x.png", b"nope")},
    )
    assert r.status_code == 200 and "内容与扩展名不符" in r.content.decode()
    assert i.results.count() == 0


def test_checklist_pages(admin_client, county):
    r = admin_client.post(
        "/supervision/checklists/new/",
        {
            "unit": county["bureau"].pk,
            "name": "食堂专项",
            "items": "食堂管理｜食品留样｜125克｜10\n食堂管理|陪餐|5",
        },
    )
    c = Checklist.objects.get()
    assert r.status_code == 302 and c.items.count() == 2
    assert "食品留样" in admin_client.get(c.get_absolute_url()).content.decode()
    r = admin_client.post(
        f"/supervision/checklists/{c.pk}/edit/",
        {"name": "食堂专项（修订）", "items": "食堂管理｜食品留样｜125克｜10", "is_active": "on"},
    )
    c.refresh_from_db()
    assert r.status_code == 302 and c.name == "食堂专项（修订）" and c.items.count() == 1
    r = admin_client.post(
        "/supervision/checklists/new/", {"unit": county["bureau"].pk, "name": "x", "items": "坏行"}
    )
    assert "格式应为" in r.content.decode()


def test_campaign_pages_roll_up(admin_client, county, system, make_inspection):
    r = admin_client.post(
        "/supervision/campaigns/new/",
        {
            "unit": county["bureau"].pk,
            "name": "教辅专项整治",
            "key_areas": ["教辅资料", "食堂管理"],
            "starts_on": "2024-03-01",
            "ends_on": "2024-06-30",
            "schools": [county["a"].pk, county["b"].pk],
        },
    )
    assert r.status_code == 302
    from dangjian.supervision.models import Campaign

    camp = Campaign.objects.get()
    i = make_inspection(kind="campaign_visit", campaign=camp)
    actions.inspection_complete(actor=system, inspection=i, held_on=DAY)
    make_inspection(unit=county["b"], kind="campaign_visit", campaign=camp)
    from dangjian.supervision.queries import campaign_rollup

    roll = campaign_rollup(camp, system)
    assert roll["total"] == 2 and roll["schools_visited"] == 1
    assert dict((k, n) for k, _, n in roll["by_status"])["done"] == 1
    page = admin_client.get(camp.get_absolute_url())
    assert page.status_code == 200 and "教辅专项整治" in page.content.decode()


def test_school_sees_only_self_check_choice(secretary_a):
    c = session(secretary_a)
    body = c.get("/supervision/inspections/new/").content.decode()
    assert 'value="self_check"' in body and 'value="district_patrol"' not in body
    assert c.get("/supervision/plans/new/").status_code == 403
    assert c.get("/supervision/checklists/new/").status_code == 403


def test_list_empty_state(admin_client):
    body = admin_client.get("/supervision/plans/").content.decode()
    assert "本月尚无督查计划" in body
