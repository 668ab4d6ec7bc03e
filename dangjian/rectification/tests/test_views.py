"""Pages: list filters and scope, detail with next actions and timeline, create, the submit /
verify / reject forms, the overdue list and the ledger; constant query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from conftest import count_queries
from dangjian.core.tests.api_helpers import session
from dangjian.rectification import actions
from dangjian.rectification.models import Finding, Rectification

from .conftest import png

pytestmark = pytest.mark.django_db
D = dt.date


def test_school_sees_own_findings_only(county, secretary_a, make_finding):
    mine = make_finding(county["a"], description="甲校问题描述")
    theirs = make_finding(county["b"], description="乙校问题描述")
    c = session(secretary_a)
    body = c.get("/rectification/findings/").content.decode()
    assert "甲校问题描述" in body and "乙校问题描述" not in body
    assert c.get(mine.get_absolute_url()).status_code == 200
    assert c.get(theirs.get_absolute_url()).status_code == 404
    rect = theirs.rectification
    assert c.get(f"/rectification/rectifications/{rect.pk}/submit/").status_code == 404


def test_list_filters(county, inspector, make_finding):
    today = timezone.localdate()
    make_finding(county["a"], today - dt.timedelta(days=40), description="早已逾期的问题")
    make_finding(
        county["b"], today, description="今天的问题", source="self_check", severity="minor"
    )
    c = session(inspector)
    body = c.get("/rectification/findings/?overdue=overdue").content.decode()
    assert "早已逾期的问题" in body and "今天的问题" not in body
    body = c.get("/rectification/findings/?source=self_check").content.decode()
    assert "今天的问题" in body and "早已逾期的问题" not in body
    body = c.get(f"/rectification/findings/?unit={county['a'].pk}").content.decode()
    assert "早已逾期的问题" in body and "今天的问题" not in body
    body = c.get(f"/rectification/findings/?month={today:%Y-%m}").content.decode()
    assert "今天的问题" in body
    body = c.get("/rectification/findings/?overdue=due").content.decode()
    assert "今天的问题" not in body  # due in 7 days, not within 3


def test_constant_queries(county, inspector, make_finding, assert_constant_queries):
    old = timezone.localdate() - dt.timedelta(days=60)
    c = session(inspector)

    def add(n):
        for _ in range(n):
            make_finding(county["a"], old)

    assert_constant_queries(c, "/rectification/findings/", add)


def test_overdue_list_constant_queries(county, inspector, make_finding, assert_constant_queries):
    old = timezone.localdate() - dt.timedelta(days=60)
    c = session(inspector)

    def add(n):
        for i in range(n):
            make_finding(county["a" if i % 2 else "b"], old)

    assert_constant_queries(c, "/rectification/overdue/", add)
    body = c.get("/rectification/overdue/").content.decode()
    assert "督办至教育局和纪检" in body and "城关镇中心小学" in body


def test_overdue_list_level_filter(county, inspector, make_finding):
    today = timezone.localdate()
    make_finding(county["a"], today - dt.timedelta(days=15 + 10), description="报学区的问题")
    make_finding(county["a"], today - dt.timedelta(days=15 + 20), description="报教育局的问题")
    make_finding(county["a"], today - dt.timedelta(days=15 + 2), description="刚逾期的问题")
    c = session(inspector)
    body = c.get("/rectification/overdue/?level=3").content.decode()
    assert "报教育局的问题" in body and "报学区的问题" not in body
    body = c.get("/rectification/overdue/?level=2").content.decode()
    assert "报学区的问题" in body and "刚逾期的问题" not in body
    assert "刚逾期的问题" in c.get("/rectification/overdue/").content.decode()


def test_full_loop_through_pages(county, secretary_a, inspector, make_inspection):
    today = timezone.localdate()
    insp = make_inspection(county["a"], today)
    ci, cs = session(inspector), session(secretary_a)
    r = ci.get(f"/rectification/findings/new/?inspection={insp.pk}")
    assert r.status_code == 200 and "督查发现" in r.content.decode()
    r = ci.post(
        f"/rectification/findings/new/?inspection={insp.pk}",
        {
            "source": "inspection",
            "area": "食堂管理",
            "severity": "minor",
            "found_on": today.isoformat(),
            "description": "留样不足48小时",
            "owner": secretary_a.pk,
            "evidence": [png("问题.png")],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    finding = Finding.objects.get()
    rect = finding.rectification
    assert rect.owner == secretary_a and rect.deadline == today + dt.timedelta(days=7)
    body = cs.get(finding.get_absolute_url()).content.decode()
    assert "提交整改" in body and "验收通过" not in body
    r = cs.post(f"/rectification/rectifications/{rect.pk}/submit/", {"measures": "已购留样柜"})
    assert r.status_code == 200 and "请上传整改后的照片或材料" in r.content.decode()
    r = cs.post(
        f"/rectification/rectifications/{rect.pk}/submit/",
        {"measures": "已购留样柜", "evidence": [png()]},
    )
    assert r.status_code == 302
    body = ci.get(finding.get_absolute_url()).content.decode()
    assert "验收通过" in body and "验收不通过" in body and "提交整改" in body  # trail label
    r = ci.post(f"/rectification/rectifications/{rect.pk}/reject/", {"reasons": ""})
    assert r.status_code == 200
    r = ci.post(f"/rectification/rectifications/{rect.pk}/reject/", {"reasons": "仍未落实"})
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.REJECTED and rect.reopen_count == 1
    cs.post(f"/rectification/rectifications/{rect.pk}/notes/", {"text": "已整改"})
    r = cs.post(f"/rectification/rectifications/{rect.pk}/submit/", {"measures": "已落实"})
    assert r.status_code == 302
    # the owner may not verify even if it had the capability: the school lacks it anyway
    assert cs.get(f"/rectification/rectifications/{rect.pk}/verify/").status_code == 403
    r = ci.post(f"/rectification/rectifications/{rect.pk}/verify/", {"note": "到位"})
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.status == Rectification.Status.VERIFIED
    body = ci.get(finding.get_absolute_url()).content.decode()
    for label in (
        "登记问题",
        "提交整改",
        "验收不通过，退回重改",
        "填写整改进展",
        "验收通过（销号）",
    ):
        assert label in body
    ev = finding.evidence.all()[0]
    assert cs.get(ev.get_absolute_url()).status_code == 200


def test_school_create_is_self_check(county, secretary_a):
    c = session(secretary_a)
    r = c.get("/rectification/findings/new/")
    body = r.content.decode()
    assert r.status_code == 200 and "学校自查" in body and 'value="inspection"' not in body
    r = c.post(
        "/rectification/findings/new/",
        {
            "unit": county["a"].pk,
            "source": "self_check",
            "area": "党费收缴",
            "severity": "general",
            "found_on": timezone.localdate().isoformat(),
            "description": "党费台账不全",
        },
    )
    assert r.status_code == 302
    assert Finding.objects.get().source == "self_check"


def test_ledger(county, inspector, secretary_a, make_finding):
    f = make_finding(
        county["a"], D(2024, 5, 6), description="台账里的问题", rule_broken="支部工作条例"
    )
    actions.rectification_submit(
        actor=secretary_a,
        rectification=f.rectification,
        measures="已改",
        evidence=[png()],
        on=D(2024, 5, 10),
    )
    actions.rectification_verify(actor=inspector, rectification=f.rectification, on=D(2024, 5, 12))
    make_finding(county["b"], D(2023, 5, 6), description="去年的问题")
    c = session(inspector)
    assert c.get("/rectification/ledger/").status_code == 200
    r = c.get(f"/rectification/ledger/?unit={county['bureau'].pk}&start=2024-01-01&last=2024-12-31")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    ws = wb.active
    assert ws["A1"].value == "青山县教育局问题整改台账（2024年）"
    assert ws.freeze_panes == "A3"
    header = [c.value for c in ws[2]]
    row = dict(zip(header, [c.value for c in ws[3]], strict=True))
    assert ws.max_row == 3
    assert row["问题描述"] == "台账里的问题" and row["违反的规定或清单条目"] == "支部工作条例"
    assert row["整改状态"] == "已销号" and row["按期整改"] == "是"
    assert row["销号日期"].date() == D(2024, 5, 12)
    cs = session(secretary_a)
    r = cs.get(f"/rectification/ledger/?unit={county['b'].pk}&start=2024-01-01&last=2024-12-31")
    assert r["Content-Type"].startswith("text/html")  # another school: not offered
    r = cs.get(f"/rectification/ledger/?unit={county['a'].pk}&start=2024-01-01&last=2024-12-31")
    assert r["Content-Type"].startswith("application/vnd.openxml")


def test_list_query_count_is_small(county, inspector, make_finding):
    make_finding(county["a"])
    c = session(inspector)
    c.get("/rectification/overdue/")
    assert count_queries(lambda: c.get("/rectification/overdue/")) < 20


def test_accountability_prompt_only_for_those_who_decide(
    county, secretary_a, inspector, make_finding
):
    long_overdue = make_finding(county["a"], timezone.localdate() - dt.timedelta(days=60))
    prompt = "请作出问责决定"
    assert prompt in session(inspector).get(long_overdue.get_absolute_url()).content.decode()
    assert prompt not in session(secretary_a).get(long_overdue.get_absolute_url()).content.decode()
