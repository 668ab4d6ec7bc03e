"""The API: /api/v1/accountability and /api/v1/warning-education."""

import datetime as dt

from django.utils import timezone

from dangjian.accountability.models import AccountabilityRecord, WarningSession

TODAY = timezone.localdate()  # the API validates against the server's date
OLD = TODAY - dt.timedelta(days=60)


def test_record_create_list_get(client, county, inspector, make_finding, make_person):
    f = make_finding(county["a"], found_on=OLD)
    p = make_person(county["a"], "甲某人")
    client.force_login(inspector)
    r = client.post(
        "/api/v1/accountability",
        {
            "unit": county["a"].pk,
            "findings": [f.pk],
            "people": [p.pk],
            "form": "gov_sanction",
            "sub_kind": "demotion",
            "decided_on": TODAY.isoformat(),
            "decided_by": "县教育局",
            "document_number": "青教〔2026〕9号",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["form_label"] == "政务处分（降级）" and body["form_level"] == 3
    assert body["people"] == [{"id": p.pk, "name": "甲某人"}]
    assert body["findings"][0]["id"] == f.pk
    r = client.get("/api/v1/accountability?form=gov_sanction")
    assert r.json()["count"] == 1
    assert client.get(f"/api/v1/accountability/{body['id']}").json()["decided_by"] == "县教育局"


def test_record_create_400_in_chinese(client, county, inspector, make_finding, make_person):
    f = make_finding(county["a"], found_on=OLD)
    client.force_login(inspector)
    r = client.post(
        "/api/v1/accountability",
        {
            "unit": county["a"].pk,
            "findings": [f.pk],
            "people": [make_person(county["a"]).pk],
            "form": "party_sanction",
            "decided_on": TODAY.isoformat(),
            "decided_by": "纪检组",
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json() == {
        "field": "sub_kind",
        "label": "具体种类",
        "message": "「具体种类」：党纪处分须选择具体种类",
    }
    assert not AccountabilityRecord.objects.exists()


def test_record_create_unknown_finding(client, county, make_user, make_finding, make_person):
    user = make_user("discipline_inspector", county["a"])
    other = make_finding(county["b"], found_on=OLD)
    client.force_login(user)
    r = client.post(
        "/api/v1/accountability",
        {
            "unit": county["a"].pk,
            "findings": [other.pk],
            "people": [make_person(county["a"]).pk],
            "form": "talk_reminder",
            "decided_on": TODAY.isoformat(),
            "decided_by": "纪检组",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "findings"


def test_sessions_api(client, county, secretary_a, secretary_b):
    client.force_login(secretary_a)
    r = client.post(
        "/api/v1/warning-education",
        {
            "unit": county["a"].pk,
            "held_on": TODAY.isoformat(),
            "kind": "film",
            "topic": "观看警示教育片",
            "expected_count": 20,
            "present_count": 19,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["kind_label"] == "观看警示教育片"
    assert client.get("/api/v1/warning-education").json()["count"] == 1
    assert client.get(f"/api/v1/warning-education/{pk}").status_code == 200
    client.force_login(secretary_b)
    assert client.get(f"/api/v1/warning-education/{pk}").status_code == 404
    assert client.get("/api/v1/warning-education").json()["count"] == 0
    r = client.post(
        "/api/v1/warning-education",
        {
            "unit": county["a"].pk,
            "held_on": TODAY.isoformat(),
            "kind": "film",
            "topic": "x",
            "expected_count": 1,
            "present_count": 1,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["field"] == "unit"
    assert WarningSession.objects.count() == 1
