"""API: decision items (list, filters, detail with flags naming their rules, create, file,
review) and decision meetings (list, detail); 400s in Chinese naming the field; scope 404s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import count_queries
from dangjian.core.tests.api_helpers import NOT_FOUND, audit_actions, bearer, ids, last_audit_id
from dangjian.decisions.models import AgendaItem

from .conftest import FILED, MEETING

pytestmark = pytest.mark.django_db
D = dt.date
JSON = "application/json"


def test_list_detail_scope(county, secretary_a, secretary_b, make_item, filed_item):
    mine = filed_item()
    theirs = make_item(unit=county["b"], actor=secretary_b, title="乙校议题")
    api = bearer(secretary_a)
    r = api.get("/api/v1/decision-items")
    assert r.status_code == 200 and ids(r) == {mine.pk}
    row = r.json()["items"][0]
    assert row["status"] == "filed" and row["status_label"] == "已报备待审核"
    assert row["category_label"] == "重大事项决策" and row["flags"] == []
    assert row["url"] == f"/decisions/items/{mine.pk}/"
    body = api.get(f"/api/v1/decision-items/{mine.pk}").json()
    assert body["filed_on"] == FILED.isoformat() and body["reviews"] == []
    assert body["execution"] is None
    r = api.get(f"/api/v1/decision-items/{theirs.pk}")
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_filters(county, bureau_admin, secretary_b, make_item, filed_item):
    a = make_item(title="甲校章程")
    b = filed_item(unit=county["b"], actor=secretary_b, category="major_project", title="乙校")
    api = bearer(bureau_admin)
    assert ids(api.get("/api/v1/decision-items")) == {a.pk, b.pk}
    assert ids(api.get("/api/v1/decision-items?category=major_project")) == {b.pk}
    assert ids(api.get("/api/v1/decision-items?status=draft")) == {a.pk}
    assert ids(api.get(f"/api/v1/decision-items?unit={county['a'].pk}")) == {a.pk}
    assert ids(api.get(f"/api/v1/decision-items?year={FILED.year}")) == {b.pk}
    assert ids(api.get("/api/v1/decision-items?year=2023")) == set()
    assert ids(api.get("/api/v1/decision-items?flag=missing_steps")) == {b.pk}
    assert ids(api.get("/api/v1/decision-items?flagged=true")) == {b.pk}
    assert ids(api.get("/api/v1/decision-items?flagged=false")) == {a.pk}
    r = api.get("/api/v1/decision-items?flag=nonsense")
    assert r.status_code == 400 and r.json()["field"] == "flag"
    assert r.json()["message"].startswith("「问题提示」：")
    r = api.get("/api/v1/decision-items?year=abc")
    assert r.status_code == 400 and r.json()["message"] == "「年度」：请输入整数"


def test_flags_name_their_rules(county, secretary_a, party_a, approved_item, decide, members_of):
    item = approved_item()
    members = members_of(party_a["people"], present=3)
    meeting = decide(item, members=members)
    api = bearer(secretary_a)
    body = api.get(f"/api/v1/decision-items/{item.pk}").json()
    flags = {f["code"]: f for f in body["flags"]}
    assert "no_quorum" in flags
    quorum = flags["no_quorum"]
    assert quorum["label"] == "到会人数不足" and quorum["severity"] == "violation"
    assert quorum["rule"].startswith("【规则5.3】会议应有半数以上班子成员到会")
    assert "实到3人" in quorum["detail"]
    assert body["meeting_id"] == meeting.pk and body["result"] in ("passed", "not_passed")
    m = api.get(f"/api/v1/decision-meetings/{meeting.pk}").json()
    assert m["members_due"] == 7 and m["members_present"] == 3
    assert m["minutes_url"] == f"/decisions/meetings/{meeting.pk}/minutes.docx"
    (mi,) = m["items"]
    assert mi["item_id"] == item.pk and "no_quorum" in {f["code"] for f in mi["flags"]}
    assert [o["member"] for o in mi["opinions"]][-1] == "王书记"


def test_meetings_list_and_scope(
    county, secretary_a, secretary_b, bureau_admin, party_a, approved_item, decide
):
    meeting = decide(approved_item(), approved_item(title="第二个议题"))
    api = bearer(bureau_admin)
    r = api.get("/api/v1/decision-meetings")
    assert r.status_code == 200 and ids(r) == {meeting.pk}
    row = r.json()["items"][0]
    assert row["item_count"] == 2 and row["body_label"] == "学校党组织会议"
    assert ids(api.get("/api/v1/decision-meetings?mode=circulation")) == set()
    assert ids(api.get(f"/api/v1/decision-meetings?year={MEETING.year}")) == {meeting.pk}
    assert ids(api.get(f"/api/v1/decision-meetings?unit={county['b'].pk}")) == set()
    assert ids(api.get("/api/v1/decision-meetings?meeting_body=party_org_meeting")) == {meeting.pk}
    r = api.get("/api/v1/decision-meetings?meeting_body=x")
    assert r.status_code == 400 and r.json()["field"] == "meeting_body"
    assert r.json()["message"] == "「会议类型」：不是有效的选项"
    r = bearer(secretary_b).get(f"/api/v1/decision-meetings/{meeting.pk}")
    assert r.status_code == 404 and r.json() == NOT_FOUND


def test_list_constant_queries(county, bureau_admin, party_a, approved_item, decide):
    api = bearer(bureau_admin)
    decide(approved_item())
    api.get("/api/v1/decision-items")
    first = count_queries(lambda: api.get("/api/v1/decision-items"))
    decide(approved_item(), approved_item(), approved_item())
    assert count_queries(lambda: api.get("/api/v1/decision-items")) == first
    api.get("/api/v1/decision-meetings")
    first = count_queries(lambda: api.get("/api/v1/decision-meetings"))
    decide(approved_item())
    assert count_queries(lambda: api.get("/api/v1/decision-meetings")) == first


def test_create_file_review(county, secretary_a, secretary_b, discipline):
    school, reviewer = bearer(secretary_a), bearer(discipline)
    body = {
        "unit": county["a"].pk,
        "category": "large_fund",
        "title": "购置校车",
        "content": "购置校车两辆",
        "amount": "380000.00",
        "payee": "青山汽车公司",
        "steps_done": ["investigation", "legality_review", "opinions", "party_preview"],
        "planned_meeting_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    r = school.post("/api/v1/decision-items", {**body, "title": ""}, content_type=JSON)
    assert r.status_code == 400
    assert r.json()["field"] == "title" and r.json()["message"].startswith("「议题名称」：")
    r = school.post("/api/v1/decision-items", {**body, "category": "x"}, content_type=JSON)
    assert r.status_code == 400 and r.json() == {
        "field": "category",
        "label": "类别",
        "message": "「类别」：不是有效的选项",
    }
    r = school.post("/api/v1/decision-items", {**body, "amount": None}, content_type=JSON)
    assert r.status_code == 400 and r.json()["field"] == "amount"
    assert "须填写金额" in r.json()["message"]
    r = school.post("/api/v1/decision-items", {**body, "steps_done": ["x"]}, content_type=JSON)
    assert r.status_code == 400 and r.json()["label"] == "已完成的前置程序"
    r = school.post("/api/v1/decision-items", {**body, "unit": county["b"].pk}, content_type=JSON)
    assert r.status_code == 400 and r.json()["message"] == "「学校」：未找到该记录"
    r = school.post("/api/v1/decision-items", {**body, "extra": 1}, content_type=JSON)
    assert r.status_code == 400 and r.json()["field"] == "extra"
    since = last_audit_id()
    r = school.post("/api/v1/decision-items", body, content_type=JSON)
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["status"] == "draft" and r.json()["amount"] == "380000.00"
    r = school.post(f"/api/v1/decision-items/{pk}/file")
    assert r.status_code == 200 and r.json()["status"] == "filed"
    assert "filed_late" not in {f["code"] for f in r.json()["flags"]}
    # reviewing is not the school's
    r = school.post(
        f"/api/v1/decision-items/{pk}/review", {"decision": "approved"}, content_type=JSON
    )
    assert r.status_code == 403
    r = reviewer.post(f"/api/v1/decision-items/{pk}/review", {}, content_type=JSON)
    assert r.status_code == 400 and r.json()["field"] == "decision"
    r = reviewer.post(
        f"/api/v1/decision-items/{pk}/review", {"decision": "returned"}, content_type=JSON
    )
    assert r.status_code == 400 and r.json()["field"] == "opinion"
    assert r.json()["message"] == "「审核意见」：请填写审核意见"
    r = reviewer.post(
        f"/api/v1/decision-items/{pk}/review",
        {"decision": "approved", "opinion": "同意上会"},
        content_type=JSON,
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["reviews"][0]["decision_label"] == "同意上会"
    assert sorted(audit_actions(since)) == [
        "decisions.item_approve",
        "decisions.item_create",
        "decisions.item_file",
    ]
    # another school's token cannot reach the item
    r = bearer(secretary_b).post(f"/api/v1/decision-items/{pk}/file")
    assert r.status_code == 404
    assert AgendaItem.objects.get(pk=pk).status == "approved"


def test_late_filing_over_api_is_flagged(county, secretary_a, make_item):
    item = make_item(planned_meeting_on=timezone.localdate() + dt.timedelta(days=1))
    r = bearer(secretary_a).post(f"/api/v1/decision-items/{item.pk}/file")
    assert r.status_code == 200
    late = [f for f in r.json()["flags"] if f["code"] == "filed_late"]
    assert late and late[0]["label"] == "报备时间不足" and late[0]["severity"] == "warning"
