"""Pages: scope (404 from a sibling school), forms, and constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.orglife.models import Meeting, StandardAssessment, Vanguard

from .conftest import png

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def client_a(client, secretary_a):
    client.force_login(secretary_a)
    return client


def test_meeting_list_detail_and_filters(client_a, branch_a, members_a, record, media):
    m = record(
        branch_a, "theme_day", D(2026, 3, 10), also_counts_as=["first_topic"], attachments=[png()]
    )
    r = client_a.get(reverse("orglife:meeting-list"))
    assert r.status_code == 200 and "主题党日、第一议题学习" in r.content.decode()
    assert "8/8" in r.content.decode()
    r = client_a.get(reverse("orglife:meeting-list") + "?kind=first_topic&year=2026&month=3")
    assert "主题党日" in r.content.decode()
    r = client_a.get(reverse("orglife:meeting-list") + "?kind=party_lecture")
    assert "没有符合条件的记录" in r.content.decode()
    r = client_a.get(reverse("orglife:meeting-detail", args=[m.pk]))
    body = r.content.decode()
    assert "合影.png" in body and "<img" in body
    # the trail: shown with its Chinese label once the lead merges orglife.labels
    assert "登记组织生活" in body or "orglife.meeting_create" in body
    att = m.attachments.get()
    r = client_a.get(reverse("orglife:attachment-download", args=[att.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"


def test_sibling_school_gets_404(client, secretary_b, branch_a, members_a, record, media):
    m = record(branch_a, "theme_day", D(2026, 3, 10), attachments=[png()])
    client.force_login(secretary_b)
    for url in (
        reverse("orglife:meeting-detail", args=[m.pk]),
        reverse("orglife:meeting-update", args=[m.pk]),
        reverse("orglife:attachment-download", args=[m.attachments.get().pk]),
        reverse("orglife:compliance") + f"?org={branch_a.pk}",
        reverse("orglife:compliance") + f"?unit={branch_a.unit_id}",
        reverse("orglife:meeting-create") + f"?org={branch_a.pk}",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("orglife:attachment-remove", args=[m.attachments.get().pk])).status_code
        == 404
    )
    assert "青山一中" not in client.get(reverse("orglife:meeting-list")).content.decode()


def test_meeting_create_form(client_a, branch_a, members_a, media):
    url = reverse("orglife:meeting-create")
    r = client_a.get(url)
    assert "青山一中党支部" in r.content.decode()  # the org picker
    r = client_a.get(url + f"?org={branch_a.pk}")
    body = r.content.decode()
    assert body.count('name="att-') == 3 * 8  # status, reason, grade per member
    absent = members_a[0]
    data = {
        "kind": "theme_day",
        "also_counts_as": ["branch_general_meeting"],
        "held_on": "2026-03-10",
        "place": "党员活动室",
        "topics": "重温入党誓词",
        "minutes": "全体党员参加",
        "attachments": [png()],
    }
    for m in members_a:
        data[f"att-{m.pk}-status"] = "present"
        data[f"att-{m.pk}-reason"] = ""
        data[f"att-{m.pk}-grade"] = ""
    data[f"att-{absent.pk}-status"] = "excused"
    r = client_a.post(url + f"?org={branch_a.pk}", data)
    assert r.status_code == 200  # refused: the absent member needs a reason
    body = r.content.decode()
    assert "未出席，请填写原因" in body and "重温入党誓词" in body  # input kept
    data[f"att-{absent.pk}-reason"] = "外出培训"
    data["attachments"] = [png()]
    r = client_a.post(url + f"?org={branch_a.pk}", data)
    m = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == m.get_absolute_url()
    assert (m.present_count, m.excused_count, m.attachments.count()) == (7, 1, 1)


def test_meeting_update_form(client_a, branch_a, members_a, record):
    m = record(branch_a, "branch_committee_meeting", D(2026, 3, 10), minutes="")
    url = reverse("orglife:meeting-update", args=[m.pk])
    r = client_a.get(url)
    assert r.status_code == 200
    data = {"kind": "branch_committee_meeting", "held_on": "2026-03-11", "minutes": "研究发展党员"}
    for a in m.attendance.all():
        data[f"att-{a.member_id}-status"] = "present"
    r = client_a.post(url, data)
    assert r.status_code == 302
    m.refresh_from_db()
    assert m.held_on == D(2026, 3, 11) and m.tags.get().qualifies


def test_compliance_pages(client_a, bureau_admin, client, branch_a, branch_b, members_a, record):
    record(branch_a, "theme_day", D(2026, 1, 10))
    r = client_a.get(reverse("orglife:compliance") + "?year=2026")
    assert (
        r.status_code == 302 and f"org={branch_a.pk}" in r["Location"]
    )  # one branch: its calendar
    r = client_a.get(r["Location"])
    body = r.content.decode()
    assert 'data-verdict="met"' in body and 'data-verdict="missed"' in body
    client.force_login(bureau_admin)
    r = client.get(reverse("orglife:compliance") + "?year=2026")
    body = r.content.decode()
    assert "青山一中党支部" in body and "城关小学党支部" in body
    r = client.get(
        reverse("orglife:compliance") + "?year=2026&kind=theme_day&period=m1&verdict=met"
    )
    body = r.content.decode()
    assert "青山一中党支部" in body and "城关小学党支部" not in body


def test_compliance_drilldown_pages_through_every_branch(
    client, bureau_admin, branch_a, branch_b, county, make_branch, monkeypatch
):
    from dangjian.orglife import views

    make_branch(county["a"], "第三党支部")
    monkeypatch.setattr(views, "BRANCHES_PER_PAGE", 2)
    client.force_login(bureau_admin)
    url = reverse("orglife:compliance") + "?year=2026"
    first, second = (client.get(url + p).content.decode() for p in ("", "&page=2"))
    assert "第 1 / 2 页，共 3 个支部" in first and "下一页" in first
    names = ("青山一中党支部", "城关小学党支部", "第三党支部")
    assert sorted(n for n in names if n in first) != sorted(n for n in names if n in second)
    assert all(n in first or n in second for n in names)


def test_home_todos_count_the_rows_behind_their_links(client, bureau_admin, branch_a, branch_b):
    import re as regex

    from django.utils import timezone

    from dangjian.orglife.queries import todos

    client.force_login(bureau_admin)
    for todo in todos(bureau_admin, timezone.localdate()):
        if todo.name not in ("orglife_owed_month", "orglife_owed_quarter", "orglife_missed"):
            continue
        body = client.get(todo.url).content.decode()
        shown = regex.search(r"：(\d+)项", body)
        assert shown is not None and int(shown.group(1)) == todo.count, todo.name


def test_constant_queries(
    client, bureau_admin, county, make_branch, make_members, record, assert_constant_queries
):
    client.force_login(bureau_admin)
    n = {"i": 0}

    def add(k: int) -> None:
        for _ in range(k):
            n["i"] += 1
            b = make_branch(county["a"], f"第{n['i']}党支部")
            make_members(b, 1)
            record(b, "theme_day", D(2026, 1, 5), also_counts_as=["first_topic"])

    assert_constant_queries(client, reverse("orglife:meeting-list"), add)
    assert_constant_queries(client, reverse("orglife:compliance") + "?year=2026", add)


def test_reelection_page(client_a, system, branch_a):
    from dangjian.orgs.actions import partyorg_update

    partyorg_update(actor=system, org=branch_a, term_started_on=D(2020, 1, 1), term_years=3)
    body = client_a.get(reverse("orglife:reelection-list")).content.decode()
    assert "青山一中党支部" in body and "已届满未换届" in body


def test_checklist_pages(client, bureau_admin, secretary_a, branch_a, media):
    client.force_login(bureau_admin)
    r = client.post(
        reverse("orglife:checklist-create"),
        {
            "kind": "eight_walls",
            "name": "八上墙",
            "year": 2026,
            "pass_score": 15,
            "items": "入党誓词｜10\n党员权利和义务|10",
        },
    )
    assert r.status_code == 302
    r = client.post(
        reverse("orglife:checklist-create"),
        {"kind": "eight_walls", "name": "坏", "year": 2026, "pass_score": 15, "items": "没有分值"},
    )
    assert "第1行格式应为" in r.content.decode()
    client.force_login(secretary_a)
    r = client.get(reverse("orglife:checklist-list"))
    assert "2026年八上墙" in r.content.decode()  # the bureau's checklist is visible to the school
    checklist = r.context["checklists"][0][0]
    url = reverse("orglife:assessment-fill", args=[checklist.pk]) + f"?org={branch_a.pk}"
    i1, i2 = checklist.items.all()
    r = client.post(url, {f"item-{i1.pk}-score": "10", f"item-{i2.pk}-score": "11"})
    assert "第2项得分应在0至10之间" in r.content.decode()
    r = client.post(
        url,
        {f"item-{i1.pk}-score": "10", f"item-{i2.pk}-score": "8", f"item-{i1.pk}-evidence": png()},
    )
    a = StandardAssessment.objects.get()
    assert r.status_code == 302 and a.score == 18
    body = client.get(a.get_absolute_url()).content.decode()
    assert "达标" in body
    score = a.scores.get(item=i1)
    assert client.get(reverse("orglife:evidence-download", args=[score.pk])).status_code == 200


def test_vanguard_pages(client_a, branch_a, members_a):
    url = reverse("orglife:vanguard-create") + f"?org={branch_a.pk}"
    r = client_a.post(
        url,
        {
            "kind": "model_post",
            "title": "毕业班示范岗",
            "content": "带头上示范课",
            "members": [members_a[0].pk, members_a[1].pk],
            "started_on": "2026-03-01",
        },
    )
    v = Vanguard.objects.get()
    assert r.status_code == 302
    body = client_a.get(reverse("orglife:vanguard-list")).content.decode()
    assert "毕业班示范岗" in body and members_a[0].person.name in body
    r = client_a.post(
        reverse("orglife:vanguard-close", args=[v.pk]),
        {"status": "fulfilled", "closed_on": "2026-10-01", "result": "示范课12节"},
    )
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == "fulfilled"
    assert "示范课12节" in client_a.get(v.get_absolute_url()).content.decode()


def test_export_meetings(client_a, branch_a, members_a, record):
    record(branch_a, "theme_day", D(2026, 3, 10))
    r = client_a.get(reverse("core:export", args=["meetings"]) + "?year=2026")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
