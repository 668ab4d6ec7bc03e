"""/api/v1/inspections and /api/v1/checklists."""

import pytest

from dangjian.core.tests.api_helpers import (
    NOT_FOUND,
    audit_actions,
    bearer,
    ids,
    last_audit_id,
    session,
)
from dangjian.supervision import actions

from .conftest import DAY


def test_list_and_detail(bureau_admin, make_inspection, checklist, county):
    a = make_inspection(kind="self_check", checklist=checklist)
    b = make_inspection(unit=county["b"])
    c = bearer(bureau_admin)
    assert ids(c.get("/api/v1/inspections")) == {a.pk, b.pk}
    assert ids(c.get("/api/v1/inspections?kind=self_check")) == {a.pk}
    assert ids(c.get(f"/api/v1/inspections?unit={county['b'].pk}")) == {b.pk}
    body = c.get(f"/api/v1/inspections/{a.pk}").json()
    assert (
        body["kind_label"] == "学校自查" and body["status"] == "planned" and body["results"] == []
    )


def test_sibling_school_404(secretary_b, make_inspection):
    a = make_inspection(kind="self_check")
    c = bearer(secretary_b)
    assert a.pk not in ids(c.get("/api/v1/inspections"))
    r = c.get(f"/api/v1/inspections/{a.pk}")
    assert r.status_code == 404 and r.json() == NOT_FOUND
    assert (
        c.post(f"/api/v1/inspections/{a.pk}/start", {}, content_type="application/json").status_code
        == 404
    )


def test_create_start_complete(inspector, county):
    c = session(inspector)
    since = last_audit_id()
    r = c.post(
        "/api/v1/inspections",
        {"unit": county["a"].pk, "kind": "district_patrol", "planned_on": "2024-06-10"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = c.post(
        f"/api/v1/inspections/{pk}/start",
        {"held_on": "2024-06-11"},
        content_type="application/json",
    )
    assert r.json()["status"] == "in_progress"
    r = c.post(
        f"/api/v1/inspections/{pk}/complete", {"notes": "良好"}, content_type="application/json"
    )
    assert r.json()["status"] == "done" and r.json()["held_on"] == "2024-06-11"
    assert sorted(audit_actions(since)) == [
        "supervision.inspection_complete",
        "supervision.inspection_create",
        "supervision.inspection_start",
    ]
    r = c.post(f"/api/v1/inspections/{pk}/start", {}, content_type="application/json")
    assert r.status_code == 400 and "不能从「已完成」" in r.json()["message"]


def test_create_errors_in_chinese(secretary_a, county, inspector):
    c = session(secretary_a)
    r = c.post(
        "/api/v1/inspections",
        {"unit": county["a"].pk, "kind": "district_patrol", "planned_on": "2024-06-10"},
        content_type="application/json",
    )
    assert r.status_code == 403
    r = session(inspector).post(
        "/api/v1/inspections",
        {"unit": county["a"].pk, "kind": "district_patrol"},
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["label"] == "计划日期"


def test_complete_with_open_checklist_refused(inspector, make_inspection, checklist):
    i = make_inspection(kind="bureau_spot_check", checklist=checklist)
    actions.inspection_start(actor=inspector, inspection=i, held_on=DAY)
    r = session(inspector).post(
        f"/api/v1/inspections/{i.pk}/complete", {}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "results"


def test_checklists(secretary_a, checklist, system, county):
    from dangjian.orgs.actions import unit_create

    other = unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-DH",
        name="东湖学区",
        kind="district_office",
    )
    hidden = actions.checklist_create(
        actor=system, unit=other, name="东湖清单", items=[actions.ItemIn("a", "b", 1)]
    )
    c = bearer(secretary_a)
    assert ids(c.get("/api/v1/checklists")) == {checklist.pk}
    body = c.get(f"/api/v1/checklists/{checklist.pk}").json()
    assert [(i["area"], i["score"]) for i in body["items"]] == [("组织生活", 10), ("廉洁风险", 20)]
    assert c.get(f"/api/v1/checklists/{hidden.pk}").status_code == 404


def test_api_list_constant_queries(bureau_admin, system, county, assert_constant_queries):
    def add(n):
        for _ in range(n):
            actions.inspection_create(
                actor=system, unit=county["a"], kind="self_check", planned_on=DAY
            )

    assert_constant_queries(session(bureau_admin), "/api/v1/inspections", add)


@pytest.mark.parametrize("url", ["/api/v1/inspections", "/api/v1/checklists"])
def test_anonymous_refused(client, url):
    assert client.get(url).status_code == 401
