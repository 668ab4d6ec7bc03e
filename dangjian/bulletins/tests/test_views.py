"""The bulletin pages: history, drafting, examples, issuing, download, permissions and scope."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document

from dangjian.bulletins import actions
from dangjian.bulletins.models import Bulletin, Example

from .conftest import ISSUE_DAY, MAY

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def draft(month_world: dict[str, Any], inspector: Any) -> Bulletin:
    return actions.bulletin_create(
        actor=inspector, unit=month_world["bureau"], month=MAY, today=ISSUE_DAY
    )


def test_list_constant_queries(client, month_world, inspector, assert_constant_queries):
    client.force_login(inspector)
    months = iter(D(2023, m, 1) for m in range(1, 13))

    def add(n: int) -> None:
        for _ in range(n):
            actions.bulletin_create(
                actor=inspector, unit=month_world["bureau"], month=next(months), today=ISSUE_DAY
            )

    assert_constant_queries(client, "/bulletins/", add)


def test_list_says_last_month_is_missing(client, month_world, inspector, draft):
    client.force_login(inspector)
    r = client.get("/bulletins/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "督导通报" in text and draft.title in text
    assert "月的督导通报尚未印发" in text  # last month (by today's date) has no bulletin


def test_create_page_and_refusal_beside_the_field(client, month_world, inspector):
    client.force_login(inspector)
    r = client.get("/bulletins/new/")
    assert r.status_code == 200 and "起草督导通报" in r.content.decode()
    bureau = month_world["bureau"]
    r = client.post("/bulletins/new/", {"unit": bureau.pk, "month": "2024-05", "title": ""})
    b = Bulletin.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/bulletins/{b.pk}/"
    r = client.post("/bulletins/new/", {"unit": bureau.pk, "month": "2024-05"})
    assert r.status_code == 200
    assert "青山县教育局2024年5月的通报已经建立" in r.content.decode()
    r = client.post("/bulletins/new/", {"unit": bureau.pk, "month": "2024-13"})
    assert "请选择有效的月份" in r.content.decode()
    assert Bulletin.objects.count() == 1


def test_school_units_are_not_offered(client, month_world, inspector):
    client.force_login(inspector)
    r = client.post("/bulletins/new/", {"unit": month_world["a"].pk, "month": "2024-05"})
    assert r.status_code == 200 and not Bulletin.objects.exists()


def test_draft_shows_live_figures_and_takes_examples(client, month_world, inspector, draft):
    client.force_login(inspector)
    r = client.get(f"/bulletins/{draft.pk}/")
    text = r.content.decode()
    assert r.status_code == 200
    for label in ("受检学校", "督查发现问题", "自查问题", "按期整改率", "逾期未整改", "问责"):
        assert label in text
    assert "签发印发" in text and "添加典型" in text
    assert "城关镇中心小学" in text  # the school table
    overdue = month_world["overdue"]
    r = client.post(
        f"/bulletins/{draft.pk}/examples/",
        {"kind": "bad", "unit": overdue.unit.pk, "finding": overdue.pk, "text": "逾期未整改"},
    )
    assert r.status_code == 302
    ex = Example.objects.get()
    assert ex.finding == overdue
    r = client.post(
        f"/bulletins/{draft.pk}/examples/",
        {"kind": "good", "unit": overdue.unit.pk, "finding": overdue.pk, "text": "好"},
    )
    assert r.status_code == 200 and "只有反面典型可以关联问题" in r.content.decode()
    r = client.post(f"/bulletins/examples/{ex.pk}/remove/")
    assert r.status_code == 302 and not Example.objects.exists()


def test_issue_download_and_history(
    client, month_world, inspector, draft, django_capture_on_commit_callbacks
):
    client.force_login(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/bulletins/{draft.pk}/issue/")
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Bulletin.Status.ISSUED and draft.number == 1
    text = client.get(f"/bulletins/{draft.pk}/").content.decode()
    assert "以下数字为签发时的统计" in text and "下载通报（Word）" in text
    assert "签发印发" not in text and "添加典型" not in text
    r = client.get(f"/bulletins/{draft.pk}/document/")
    assert r.status_code == 200
    doc = Document(io.BytesIO(b"".join(r.streaming_content)))
    assert doc.paragraphs[0].text == "党建督导工作通报"
    r = client.get("/bulletins/?status=issued")
    assert draft.title in r.content.decode()


def test_generating_page_polls_then_reloads(client, month_world, inspector, draft):
    client.force_login(inspector)
    actions.bulletin_issue(actor=inspector, bulletin=draft)  # the task waits for the commit
    r = client.get(f"/bulletins/{draft.pk}/")
    assert "正在生成通报文件" in r.content.decode()
    r = client.get(f"/bulletins/{draft.pk}/?status=1", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in r.content.decode()
    assert client.get(f"/bulletins/{draft.pk}/document/").status_code == 404
    from dangjian.bulletins.tasks import write_document

    write_document(draft.pk)
    r = client.get(f"/bulletins/{draft.pk}/?status=1", HTTP_HX_REQUEST="true")
    assert r["HX-Refresh"] == "true"


def test_readers_and_scope(client, month_world, make_user, draft):
    leader = make_user("bureau_leader", month_world["bureau"])
    client.force_login(leader)
    text = client.get(f"/bulletins/{draft.pk}/").content.decode()
    assert "签发印发" not in text and "添加典型" not in text
    assert client.get("/bulletins/new/").status_code == 403
    assert client.post(f"/bulletins/{draft.pk}/issue/").status_code in {403, 302}
    draft.refresh_from_db()
    assert draft.status == Bulletin.Status.DRAFT
    for role, unit in (("school_secretary", "a"), ("district_staff", "district")):
        client.force_login(make_user(role, month_world[unit]))
        assert client.get(f"/bulletins/{draft.pk}/").status_code == 404
        assert client.post(f"/bulletins/{draft.pk}/issue/").status_code == 404


def test_home_todo_for_the_missing_bulletin(client, month_world, inspector):
    from django.utils import timezone

    from dangjian.bulletins import queries, rules

    today = timezone.localdate()
    [todo] = queries.todos(inspector, today)
    assert todo.count == 1 and todo.name == "bulletin_missing"
    month = rules.due_month(today)
    b = actions.bulletin_create(actor=inspector, unit=month_world["bureau"], month=month)
    actions.bulletin_issue(actor=inspector, bulletin=b)
    [todo] = queries.todos(inspector, today)
    assert todo.count == 0 and todo.level == "ok"
    client.force_login(inspector)
    assert f"{month.month}月督导通报未印发" in client.get("/home/").content.decode()


def test_bad_month_filter_filters_nothing(client, month_world, inspector, draft):
    client.force_login(inspector)
    for url in (
        "/bulletins/?month=2024-13",
        "/bulletins/?month=五月",
        "/supervision/plans/?month=x",
    ):
        assert client.get(url).status_code == 200, url
    r = client.get("/bulletins/?month=2024-05")
    assert draft.title in r.content.decode()
    assert draft.title not in client.get("/bulletins/?month=2024-04").content.decode()


def test_an_issued_bulletin_reaches_the_units_below(
    client, month_world, inspector, make_user, system
):
    from dangjian.bulletins.tasks import write_document
    from dangjian.orgs.actions import unit_create

    draft = actions.bulletin_create(
        actor=inspector, unit=month_world["bureau"], month=MAY, today=ISSUE_DAY
    )
    overdue = month_world["overdue"]
    actions.example_add(
        actor=inspector, bulletin=draft, kind="bad", unit=overdue.unit, finding=overdue, text="逾期"
    )
    district = make_user("district_staff", month_world["district"])
    secretary = make_user("school_secretary", month_world["a"])
    other_county = unit_create(
        actor=system, parent=None, code="XX", name="邻县教育局", kind="bureau"
    )
    stranger = make_user("bureau_admin", other_county)
    for user in (district, secretary, stranger):  # a draft stays with the issuing side
        client.force_login(user)
        assert client.get(f"/bulletins/{draft.pk}/").status_code == 404
    actions.bulletin_issue(actor=inspector, bulletin=draft, today=ISSUE_DAY)
    write_document(draft.pk)
    client.force_login(secretary)
    assert draft.title in client.get("/bulletins/").content.decode()
    text = client.get(f"/bulletins/{draft.pk}/").content.decode()
    assert "以下数字为签发时的统计" in text and "下载通报（Word）" in text
    assert "start=2024-05-01" not in text  # the numbers, not links to other schools' records
    assert overdue.get_absolute_url() not in text and "关联问题：组织生活" in text
    assert "签发印发" not in text and "添加典型" not in text
    assert client.get(f"/bulletins/{draft.pk}/document/").status_code == 200
    assert client.post(f"/bulletins/{draft.pk}/issue/").status_code in {302, 403, 404}
    client.force_login(district)
    assert client.get(f"/bulletins/{draft.pk}/").status_code == 200
    client.force_login(stranger)
    assert client.get(f"/bulletins/{draft.pk}/").status_code == 404
    assert draft.title not in client.get("/bulletins/").content.decode()
