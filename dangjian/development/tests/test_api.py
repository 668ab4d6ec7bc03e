"""/api/v1/development-records: scope, violations and warnings, 400 naming the rule, N+1."""

from __future__ import annotations

import datetime as dt

from dangjian.core.tests.api_helpers import (
    NOT_FOUND,
    audit_actions,
    bearer,
    ids,
    last_audit_id,
    session,
)
from dangjian.development import actions
from dangjian.development.models import DevelopmentRecord

from .conftest import TODAY, add_person

D = dt.date


def test_list_is_scoped_and_carries_findings(secretary_a, secretary_b, record_a):
    r = session(secretary_a).get("/api/v1/development-records")
    assert r.status_code == 200 and ids(r) == {record_a.pk}
    row = r.json()["items"][0]
    assert row["status"] == "applicant" and row["person"]["name"] == "申请人王"
    assert row["violations"] == []
    assert (
        row["warnings"][0]["rule"] == "2.3-2" and "【规则2.3-2】" in row["warnings"][0]["message"]
    )
    assert [s["kind"] for s in row["next_steps"]][:2] == ["application_talk", "activist_selection"]
    assert session(secretary_b).get("/api/v1/development-records").json()["count"] == 0
    assert (
        session(secretary_b).get(f"/api/v1/development-records/{record_a.pk}").json() == NOT_FOUND
    )


def test_create_and_refuse_under_18(secretary_a, system, county, branch_a):
    young = add_person(system, county["a"], "小赵", 720, "20090101")
    client = bearer(secretary_a)
    r = client.post(
        "/api/v1/development-records",
        {"person": young.pk, "branch": branch_a.pk, "applied_on": "2026-11-01"},
        content_type="application/json",
    )
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "applied_on" and "【规则2.3-1】" in body["message"]
    adult = add_person(system, county["a"], "小钱", 721, "19990101")
    since = last_audit_id()
    r = client.post(
        "/api/v1/development-records",
        {"person": adult.pk, "branch": branch_a.pk, "applied_on": "2026-11-01"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["steps"][0]["kind"] == "application"
    assert audit_actions(since) == ["development.record_create"]


def test_step_refused_with_rule_then_accepted(secretary_a, pipeline, record_a):
    pipeline.activist()
    client = session(secretary_a)
    url = f"/api/v1/development-records/{record_a.pk}/steps"
    r = client.post(
        url, {"kind": "candidate_selection", "on": "2024-03-14"}, content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json()["field"] == "on" and "【规则2.3-7】" in r.json()["message"]
    assert DevelopmentRecord.objects.get(pk=record_a.pk).status == "activist"
    r = client.post(
        url, {"kind": "candidate_selection", "on": "2024-03-15"}, content_type="application/json"
    )
    assert r.status_code == 201
    data = r.json()
    assert data["status"] == "candidate" and data["steps"][-1]["kind"] == "candidate_selection"
    assert isinstance(data["violations"], list) and isinstance(data["warnings"], list)


def test_step_with_people_and_warning(secretary_a, pipeline, record_a):
    client = session(secretary_a)
    r = client.post(
        f"/api/v1/development-records/{record_a.pk}/steps",
        {"kind": "application_talk", "on": "2022-10-05", "people": [pipeline.members[0].pk]},
        content_type="application/json",
    )
    assert r.status_code == 201
    step = r.json()["steps"][-1]
    assert step["people"][0]["name"] == "党员甲" and step["warnings"][0]["rule"] == "2.3-2"
    assert any(w["rule"] == "2.3-2" for w in r.json()["warnings"])


def test_step_on_sibling_record_is_404(secretary_b, record_a):
    r = session(secretary_b).post(
        f"/api/v1/development-records/{record_a.pk}/steps",
        {"kind": "application_talk", "on": "2022-10-05"},
        content_type="application/json",
    )
    assert r.status_code == 404


def test_list_constant_queries(
    client, secretary_a, system, county, branch_a, assert_constant_queries
):
    client.force_login(secretary_a)
    seq = iter(range(730, 799))

    def add(n: int) -> None:
        for _ in range(n):
            person = add_person(system, county["a"], "接口", next(seq))
            actions.record_create(
                actor=system, person=person, branch=branch_a, applied_on=D(2026, 1, 5), today=TODAY
            )

    assert_constant_queries(client, "/api/v1/development-records", add)
