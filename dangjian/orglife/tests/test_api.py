"""API: meetings (list/get/create), a branch's compliance calendar, checklists."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core.tests.api_helpers import NOT_FOUND, audit_actions, bearer, ids, last_audit_id
from dangjian.orglife.actions import ItemIn, checklist_create
from dangjian.orglife.models import Meeting

pytestmark = pytest.mark.django_db
D = dt.date


def test_meeting_list_and_detail(secretary_a, secretary_b, branch_a, branch_b, members_a, record):
    mine = record(branch_a, "theme_day", D(2026, 3, 10), also_counts_as=["first_topic"])
    theirs = record(branch_b, "theme_day", D(2026, 3, 10), attendance=[])
    api = bearer(secretary_a)
    r = api.get("/api/v1/meetings")
    assert r.status_code == 200 and ids(r) == {mine.pk}
    assert ids(api.get("/api/v1/meetings?kind=first_topic&year=2026")) == {mine.pk}
    assert ids(api.get("/api/v1/meetings?kind=party_lecture")) == set()
    r = api.get(f"/api/v1/meetings/{mine.pk}")
    body = r.json()
    assert body["kind_label"] == "主题党日" and len(body["attendance"]) == 8
    assert body["unit"]["name"] == "青山县第一中学"
    r = api.get(f"/api/v1/meetings/{theirs.pk}")
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_meeting_create(secretary_a, branch_a, branch_b, members_a):
    api = bearer(secretary_a)
    since = last_audit_id()
    body = {
        "org": branch_a.pk,
        "kind": "branch_general_meeting",
        "held_on": "2026-03-20",
        "topics": "选举",
        "minutes": "记录",
        "attendance": [{"member": m.pk, "status": "present"} for m in members_a[1:]]
        + [{"member": members_a[0].pk, "status": "absent"}],
    }
    r = api.post("/api/v1/meetings", body, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["field"] == "attendance" and "请填写原因" in r.json()["message"]
    body["attendance"][-1]["reason"] = "病假"
    r = api.post("/api/v1/meetings", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["absent_count"] == 1
    assert audit_actions(since) == ["orglife.meeting_create"]
    r = api.post("/api/v1/meetings", {**body, "org": branch_b.pk}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "org"
    r = api.post("/api/v1/meetings", {**body, "kind": "nope"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "kind"
    assert Meeting.objects.count() == 1


def test_compliance(secretary_a, branch_a, branch_b, members_a, record):
    record(branch_a, "theme_day", D(2025, 1, 10))
    api = bearer(secretary_a)
    r = api.get(f"/api/v1/party-orgs/{branch_a.pk}/compliance?year=2025")
    assert r.status_code == 200
    data = r.json()
    cells = {(c["kind"], c["period"]["key"]): c for c in data["branches"][0]["cells"]}
    assert cells[("theme_day", "m1")]["verdict"] == "met"
    assert cells[("theme_day", "m2")]["verdict"] == "missed"
    assert cells[("theme_day", "m2")]["period"]["label"] == "2025年2月"
    assert cells[("branch_general_meeting", "q1")]["period"]["label"] == "2025年第一季度"
    assert data["branches"][0]["owed_now"] == []  # 2025 is over
    assert api.get(f"/api/v1/party-orgs/{branch_b.pk}/compliance").status_code == 404
    assert api.get(f"/api/v1/party-orgs/{branch_a.pk}/compliance?year=1800").status_code == 400


def test_checklists(bureau_admin, secretary_a, secretary_b, county):
    c = checklist_create(
        actor=bureau_admin,
        unit=county["bureau"],
        kind="five_good",
        name="五好",
        year=2026,
        items=[ItemIn("班子好", 50), ItemIn("队伍好", 50)],
    )
    api = bearer(secretary_a)
    r = api.get("/api/v1/standard-checklists")
    assert ids(r) == {c.pk}
    assert [i["text"] for i in r.json()["items"][0]["items"]] == ["班子好", "队伍好"]
    assert api.get(f"/api/v1/standard-checklists/{c.pk}").json()["kind_label"] == "五好党支部"
