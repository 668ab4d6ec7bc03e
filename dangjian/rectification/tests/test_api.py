"""API: findings list/get/create, rectification submit and verify (pass/fail)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from conftest import count_queries
from dangjian.core.tests.api_helpers import NOT_FOUND, audit_actions, bearer, ids, last_audit_id
from dangjian.rectification.models import Finding

from .conftest import PNG

pytestmark = pytest.mark.django_db
D = dt.date


def test_list_detail_scope(county, secretary_a, make_finding):
    mine = make_finding(county["a"], source="self_check")
    theirs = make_finding(county["b"])
    api = bearer(secretary_a)
    r = api.get("/api/v1/findings")
    assert r.status_code == 200 and ids(r) == {mine.pk}
    assert ids(api.get("/api/v1/findings?source=inspection")) == set()
    assert ids(api.get("/api/v1/findings?overdue=true")) == {mine.pk}  # found in 2024
    assert ids(api.get("/api/v1/findings?overdue=false")) == set()
    body = api.get(f"/api/v1/findings/{mine.pk}").json()
    assert body["rectification"]["deadline"] == "2024-05-21"
    assert body["rectification"]["escalation"] == "bureau"
    assert body["source_label"] == "学校自查"
    r = api.get(f"/api/v1/findings/{theirs.pk}")
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_list_constant_queries(county, inspector, make_finding):
    api = bearer(inspector)
    make_finding(county["a"])
    make_finding(county["b"])
    api.get("/api/v1/findings")
    first = count_queries(lambda: api.get("/api/v1/findings"))
    for _ in range(5):
        make_finding(county["a"])
    assert count_queries(lambda: api.get("/api/v1/findings")) == first


def test_create(county, inspector, secretary_a, make_inspection):
    insp = make_inspection(county["a"], timezone.localdate())
    today = timezone.localdate().isoformat()
    body = {
        "unit": county["a"].pk,
        "source": "inspection",
        "inspection": insp.pk,
        "area": "教辅征订",
        "description": "未履行自愿程序",
        "severity": "serious",
        "found_on": today,
        "owner": secretary_a.pk,
    }
    school, api = bearer(secretary_a), bearer(inspector)
    since = last_audit_id()
    r = school.post("/api/v1/findings", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "source"
    r = api.post("/api/v1/findings", {**body, "severity": "x"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "severity"
    r = api.post("/api/v1/findings", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["rectification"]["period_days"] == 30
    assert r.json()["rectification"]["owner"]["id"] == secretary_a.pk
    assert audit_actions(since) == ["rectification.finding_create"]
    r = api.post(
        "/api/v1/findings", {**body, "unit": county["b"].pk}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "inspection"
    assert Finding.objects.count() == 1


def test_submit_and_verify(county, secretary_a, inspector, make_finding):
    rect = make_finding(county["a"], timezone.localdate()).rectification
    school, insp = bearer(secretary_a), bearer(inspector)
    url = f"/api/v1/rectifications/{rect.pk}"
    r = school.post(f"{url}/submit", {"measures": "已改"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "evidence"
    photo = {"name": "整改后.png", "content_base64": base64.b64encode(PNG).decode()}
    r = school.post(
        f"{url}/submit", {"measures": "已改", "evidence": [photo]}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["rectification"]["status"] == "submitted"
    assert r.json()["evidence"][0]["kind"] == "completion"
    r = school.post(f"{url}/verify", {"result": "pass"}, content_type="application/json")
    assert r.status_code == 403
    r = insp.post(f"{url}/verify", {}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "result"
    r = insp.post(f"{url}/verify", {"result": "fail"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "rejection_reasons"
    r = insp.post(
        f"{url}/verify", {"result": "fail", "reasons": "不到位"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["rectification"]["reopen_count"] == 1
    r = insp.post(f"{url}/verify", {"result": "pass"}, content_type="application/json")
    assert r.status_code == 400 and "不能从" in r.json()["message"]
    school.post(f"{url}/submit", {"measures": "再改"}, content_type="application/json")
    r = insp.post(
        f"{url}/verify", {"result": "pass", "note": "好"}, content_type="application/json"
    )
    assert r.json()["rectification"]["status"] == "verified"
    other = make_finding(county["b"]).rectification
    r = school.post(
        f"/api/v1/rectifications/{other.pk}/submit", {}, content_type="application/json"
    )
    assert r.status_code == 404
