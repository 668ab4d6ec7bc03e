"""/api/v1/bulletins: history with frozen figures, drafting, examples, issuing, the document."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.bulletins import actions
from dangjian.bulletins.models import Bulletin, Example
from dangjian.core.tests.api_helpers import NOT_FOUND, bearer, ids

from .conftest import ISSUE_DAY, MAY

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def issued(month_world: dict[str, Any], inspector: Any) -> Bulletin:
    from dangjian.bulletins.tasks import write_document

    b = actions.bulletin_create(
        actor=inspector, unit=month_world["bureau"], month=MAY, today=ISSUE_DAY
    )
    actions.bulletin_issue(actor=inspector, bulletin=b, today=ISSUE_DAY)
    return write_document(b.pk)


def test_list_and_detail_with_frozen_figures(month_world, inspector, issued):
    api = bearer(inspector)
    r = api.get("/api/v1/bulletins?status=issued")
    assert r.status_code == 200 and ids(r) == {issued.pk}
    row = r.json()["items"][0]
    assert row["month"] == "2024-05" and row["number_label"] == "2024年第1期"
    assert row["document_url"] == f"/api/v1/bulletins/{issued.pk}/document"
    detail = api.get(f"/api/v1/bulletins/{issued.pk}").json()
    assert detail["content"]["figures"]["findings"]["value"] == 4
    assert detail["content"]["figures"]["rectified_on_time_rate"]["value"] == "50.0"
    assert [s["name"] for s in detail["content"]["schools"]] == ["城关镇中心小学", "青山县第一中学"]
    r = api.get(f"/api/v1/bulletins/{issued.pk}/document")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert ids(api.get(f"/api/v1/bulletins?unit={month_world['district'].pk}")) == set()


def test_create_add_example_issue(month_world, inspector, django_capture_on_commit_callbacks):
    api = bearer(inspector)
    r = api.post(
        "/api/v1/bulletins",
        {"unit": month_world["district"].pk, "month": "2024-05", "requirements": "限期整改"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["content"] == {}
    overdue = month_world["overdue"]
    r = api.post(
        f"/api/v1/bulletins/{pk}/examples",
        {"kind": "bad", "unit": overdue.unit.pk, "finding": overdue.pk, "text": "逾期"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["finding"] == overdue.pk
    ex = r.json()["id"]
    assert api.post(f"/api/v1/bulletins/examples/{ex}/remove").status_code == 204
    assert not Example.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/bulletins/{pk}/issue", content_type="application/json")
    assert r.status_code == 200 and r.json()["number"] == 1
    assert Bulletin.objects.get(pk=pk).status == Bulletin.Status.ISSUED


def test_errors_in_chinese(month_world, inspector):
    api = bearer(inspector)
    bureau = month_world["bureau"].pk
    r = api.post(
        "/api/v1/bulletins", {"unit": bureau, "month": "2030-01"}, content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json() == {
        "field": "month",
        "label": "通报月份",
        "message": "「通报月份」：不能晚于本月",
    }
    r = api.post(
        "/api/v1/bulletins", {"unit": bureau, "month": "2024-13"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "month"
    r = api.post(
        "/api/v1/bulletins", {"unit": bureau, "month": "5月"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["label"] == "通报月份"
    r = api.post(
        "/api/v1/bulletins", {"unit": 999999, "month": "2024-05"}, content_type="application/json"
    )
    assert r.status_code == 400 and r.json()["field"] == "unit"
    assert not Bulletin.objects.exists()


def test_scope_and_readers(month_world, inspector, issued, make_user, system):
    from dangjian.orgs.actions import unit_create

    # an issued bulletin is sent down to the district offices and schools below the issuer
    district = bearer(make_user("district_staff", month_world["district"]))
    assert district.get(f"/api/v1/bulletins/{issued.pk}").status_code == 200
    secretary = bearer(make_user("school_secretary", month_world["a"]))
    assert ids(secretary.get("/api/v1/bulletins")) == {issued.pk}
    assert secretary.get(f"/api/v1/bulletins/{issued.pk}/document").status_code == 200
    r = secretary.post(f"/api/v1/bulletins/{issued.pk}/issue", content_type="application/json")
    assert r.status_code in {403, 404}  # not theirs to issue
    # another county sees nothing
    other = unit_create(actor=system, parent=None, code="XX", name="邻县教育局", kind="bureau")
    api = bearer(make_user("bureau_admin", other))
    r = api.get(f"/api/v1/bulletins/{issued.pk}")
    assert r.status_code == 404 and r.json() == NOT_FOUND
    assert api.get(f"/api/v1/bulletins/{issued.pk}/document").status_code == 404
    assert ids(api.get("/api/v1/bulletins")) == set()
    leader = bearer(make_user("bureau_leader", month_world["bureau"]))
    assert ids(leader.get("/api/v1/bulletins")) == {issued.pk}
    r = leader.post(
        "/api/v1/bulletins",
        {"unit": month_world["bureau"].pk, "month": "2024-04"},
        content_type="application/json",
    )
    assert r.status_code == 403
