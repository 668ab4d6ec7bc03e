"""Pages of 三重一大: every page renders for the roles that use it, filing with the late
warning, review, the meeting record form (roster, speakers, votes), execution, spot checks,
settings and catalogue, the dashboard and the ledger; refusals are shown; lists keep a
constant number of queries."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.audit.models import AuditEntry
from dangjian.core.tests.api_helpers import session
from dangjian.decisions import actions
from dangjian.decisions.models import (
    AgendaItem,
    DecisionCategory,
    DecisionMeeting,
    DecisionSettings,
)

from .conftest import FILED, MEETING, pdf, png

pytestmark = pytest.mark.django_db
D = dt.date


def _today() -> dt.date:
    return timezone.localdate()


class _FormParser(HTMLParser):
    """What a browser would submit from the first <form method=post>: (name, value) pairs."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: list[tuple[str, str]] = []
        self.in_form = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.selected = False
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method") == "post":
            self.in_form = True
        if not self.in_form or "disabled" in a:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((a["name"], a.get("value", "on")))
            elif kind not in ("file", "submit"):
                self.pairs.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.select_first, self.selected = a.get("name"), None, False
        elif tag == "option" and self.select:
            if self.select_first is None:
                self.select_first = a.get("value", "")
            if "selected" in a:
                self.pairs.append((self.select, a.get("value", "")))
                self.selected = True
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            if not self.selected and self.select_first is not None:
                self.pairs.append((self.select, self.select_first))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.pairs.append((self.textarea, self.text.strip("\n")))
            self.textarea = None


def form_data(html: str) -> dict[str, Any]:
    parser = _FormParser()
    parser.feed(html)
    out: dict[str, Any] = {}
    for name, value in parser.pairs:
        if name in out:
            out[name] = [*out[name], value] if isinstance(out[name], list) else [out[name], value]
        else:
            out[name] = value
    return out


# ---- every page renders ----


def test_pages_render_for_each_role(
    county, secretary_a, bureau_admin, discipline, leader, party_a, approved_item, decide
):
    item = approved_item()
    meeting = decide(item)
    pages = (
        "/decisions/",
        "/decisions/items/",
        item.get_absolute_url(),
        "/decisions/meetings/",
        meeting.get_absolute_url(),
        "/decisions/settings/",
        "/decisions/catalogue/",
        "/decisions/ledger/",
    )
    for user in (bureau_admin, discipline, leader, secretary_a):
        c = session(user)
        for url in pages:
            r = c.get(url)
            assert r.status_code == 200, (user.username, url)
    c = session(secretary_a)
    for url in ("/decisions/items/new/", "/decisions/meetings/new/"):
        assert c.get(url).status_code == 200, url
    c = session(bureau_admin)
    assert c.get("/decisions/catalogue/new/").status_code == 200
    # the navigation shows the area
    body = session(leader).get("/decisions/items/").content.decode()
    assert "三重一大" in body and "监督看板" in body


def test_permissions_and_scope(county, secretary_a, secretary_b, leader, make_item):
    mine = make_item()
    theirs = make_item(unit=county["b"], actor=secretary_b, title="乙校的议题")
    c = session(secretary_a)
    body = c.get("/decisions/items/").content.decode()
    assert mine.title in body and "乙校的议题" not in body
    for url in (
        theirs.get_absolute_url(),
        f"/decisions/items/{theirs.pk}/edit/",
        f"/decisions/items/{theirs.pk}/file/",
        f"/decisions/items/{theirs.pk}/review/",
    ):
        assert c.get(url).status_code == 404, url
    # a school does not review; a leader reads but does not file, record or set anything
    assert c.get(f"/decisions/items/{mine.pk}/review/").status_code == 403
    lc = session(leader)
    assert lc.get(mine.get_absolute_url()).status_code == 200
    for url in (
        "/decisions/items/new/",
        f"/decisions/items/{mine.pk}/file/",
        "/decisions/meetings/new/",
        "/decisions/catalogue/new/",
    ):
        assert lc.get(url).status_code == 403, url
    body = lc.get("/decisions/settings/").content.decode()
    assert "保存设置" not in body and "¥100,000.00" in body  # read-only, the defaults
    body = lc.get(mine.get_absolute_url()).content.decode()
    assert "报备</a>" not in body and "审核</a>" not in body


# ---- filing ----


def test_school_files_item_late_with_warning(county, secretary_a, bureau_admin):
    today = _today()
    c = session(secretary_a)
    r = c.get("/decisions/items/new/")
    assert "前置程序" in r.content.decode() and "调查研究" in r.content.decode()
    data = {
        "category": "large_fund",
        "title": "购置教学设备",
        "content": "为理化生实验室购置教学设备一批。",
        "amount": "",
        "payee": "青山教学仪器公司",
        "planned_body": "party_org_meeting",
        "planned_meeting_on": (today + dt.timedelta(days=1)).isoformat(),
        "proposer": "李校长",
        "steps_done": ["investigation", "opinions"],
        "steps_note": "3月5日召开教职工座谈会",
    }
    r = c.post("/decisions/items/new/", data)
    assert r.status_code == 200
    html = r.content.decode()
    assert "大额度资金使用的议题请填写涉及金额" in html  # the error, beside and on top
    assert 'value="购置教学设备"' in html  # nothing typed is lost
    r = c.post(
        "/decisions/items/new/",
        {
            **data,
            "amount": "120000",
            "material": [pdf("设备清单.pdf")],
            "file_investigation": [pdf("调研报告.pdf")],
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    item = AgendaItem.objects.get()
    assert item.status == "draft" and item.amount == 120000
    assert sorted(item.attachments.values_list("kind", flat=True)) == [
        "investigation",
        "material",
    ]
    detail = c.get(item.get_absolute_url()).content.decode()
    assert "报备时间不足" in detail  # the warning before filing
    assert "调研报告.pdf" in detail and "设备清单.pdf" in detail
    assert "缺失" in detail  # a required step not done (legality review)
    r = c.get(f"/decisions/items/{item.pk}/file/")
    assert "现在报备仍可提交" in r.content.decode()
    r = c.post(f"/decisions/items/{item.pk}/file/", follow=True)
    html = r.content.decode()
    assert "报备时间不足，已标记" in html
    item.refresh_from_db()
    assert item.status == "filed" and item.filed_on == today
    assert "【规则5.3】议题应至少提前规定的工作日数报备" in html
    # filed: no more changes by the school
    assert "修改</a>" not in html
    r = c.get(f"/decisions/items/{item.pk}/edit/", follow=True)
    assert "不能再修改" in r.content.decode()


def test_filing_refusal_is_shown(county, secretary_a, make_item):
    item = make_item(planned_meeting_on=None)
    c = session(secretary_a)
    r = c.post(f"/decisions/items/{item.pk}/file/")
    assert r.status_code == 200
    assert "报备时须填写拟上会日期" in r.content.decode()
    item.refresh_from_db()
    assert item.status == "draft"


def test_review_return_refile_approve(county, secretary_a, discipline, bureau_admin, filed_item):
    item = filed_item()
    dc = session(discipline)
    body = dc.get(item.get_absolute_url()).content.decode()
    assert "审核</a>" in body
    r = dc.post(f"/decisions/items/{item.pk}/review/", {"decision": "returned", "opinion": ""})
    assert r.status_code == 200 and "请写明审核意见" in r.content.decode()
    r = dc.post(
        f"/decisions/items/{item.pk}/review/",
        {"decision": "returned", "opinion": "请补充合法性审查意见"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "returned" and item.return_count == 1
    sc = session(secretary_a)
    r = sc.get(f"/decisions/items/{item.pk}/edit/")
    assert "退回意见：请补充合法性审查意见" in r.content.decode()
    data = form_data(r.content.decode())
    data["steps_done"] = ["investigation", "opinions", "party_preview", "legality_review"]
    data["file_legality_review"] = [pdf("合法性审查意见.pdf")]
    data["planned_meeting_on"] = (_today() + dt.timedelta(days=14)).isoformat()
    r = sc.post(f"/decisions/items/{item.pk}/edit/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert "重新报备" in sc.get(item.get_absolute_url()).content.decode()
    assert sc.post(f"/decisions/items/{item.pk}/file/").status_code == 302
    r = session(bureau_admin).post(
        f"/decisions/items/{item.pk}/review/", {"decision": "approved", "opinion": "同意上会"}
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "approved"
    body = sc.get(item.get_absolute_url()).content.decode()
    for text in ("请补充合法性审查意见", "同意上会", "合法性审查意见.pdf", "登记会议记录"):
        assert text in body
    assert "审核议题：退回修改" in body and "报备三重一大议题" in body  # the trail


# ---- the meeting record ----


def test_meeting_form_prefills_roster_not_speakers(county, secretary_a, party_a, approved_item):
    item = approved_item()
    c = session(secretary_a)
    r = c.get(f"/decisions/meetings/new/?item={item.pk}")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'value="王书记"' in html and 'value="赵委员"' in html
    assert "主持人王书记（书记）应在其他成员发表意见后最后表态" in html
    data = form_data(html)
    assert data["items"] == str(item.pk)
    assert data["m-TOTAL_FORMS"] == "9"  # seven posts and two empty rows
    op = f"op{item.pk}"
    assert data[f"{op}-TOTAL_FORMS"] == "7"  # one empty row per member present
    # nobody's speaking order or stance is invented: the recorder enters them
    assert all(data[f"{op}-{n}-member"] == "" for n in range(7))
    assert all(data[f"{op}-{n}-stance"] == "" for n in range(7))
    # one more member row: nothing saved, nothing lost
    data["place"] = "学校会议室"
    r = c.post("/decisions/meetings/new/", {**data, "add_member": "1"})
    html = r.content.decode()
    assert 'name="m-9-name"' in html and 'value="学校会议室"' in html
    assert DecisionMeeting.objects.count() == 0


def _speak(data: dict[str, Any], item: AgendaItem, *rows: str) -> None:
    """The speaking order as member rows (roster row numbers), all agreeing."""
    op = f"op{item.pk}"
    for n, member in enumerate(rows):
        data[f"{op}-{n}-member"], data[f"{op}-{n}-stance"] = member, "agree"


def _fill(data: dict[str, Any], item: AgendaItem, yes: int, no: int = 0, abstain: int = 0) -> None:
    data[f"d{item.pk}-votes_yes"] = str(yes)
    data[f"d{item.pk}-votes_no"] = str(no)
    data[f"d{item.pk}-votes_abstain"] = str(abstain)
    data[f"d{item.pk}-decision"] = "同意。"


def test_meeting_record_saves_clean_meeting(county, secretary_a, party_a, approved_item):
    item = approved_item()
    c = session(secretary_a)
    data = form_data(c.get(f"/decisions/meetings/new/?item={item.pk}").content.decode())
    data["held_on"] = MEETING.isoformat()
    data["recorder"] = "党办小李"
    _speak(data, item, "1", "2", "3", "4", "5", "6", "0")
    _fill(data, item, 7)
    r = c.post("/decisions/meetings/new/", {**data, "save": "1", "minutes": pdf("纪要.pdf")})
    assert r.status_code == 302, r.content.decode()[:4000]
    meeting = DecisionMeeting.objects.get()
    assert meeting.members.count() == 7 and meeting.recorder == "党办小李"
    mi = meeting.items.get()
    assert mi.votes_yes == 7 and mi.result == "passed"
    speakers = list(mi.opinions.order_by("order").values_list("member__name", flat=True))
    assert speakers[-1] == "王书记" and len(speakers) == 7
    item.refresh_from_db()
    assert item.status == "passed" and not item.flag_rows.exists()
    body = c.get(meeting.get_absolute_url()).content.decode()
    assert "应到7人，实到7人" in body and "纪要.pdf" in body and "赞成7票" in body
    body = c.get(item.get_absolute_url()).content.decode()
    assert "决策程序未发现问题" in body and "登记执行" in body


def test_meeting_record_raises_flags_with_rules(county, secretary_a, party_a, approved_item):
    """Three present of seven, the secretary speaking first, a member with a conflict who
    stayed: the item page names each flag with its rule."""
    item = approved_item()
    c = session(secretary_a)
    data = form_data(c.get(f"/decisions/meetings/new/?item={item.pk}").content.decode())
    data["held_on"] = MEETING.isoformat()
    for n in range(3, 7):
        data.pop(f"m-{n}-present", None)
        data[f"m-{n}-absence_reason"] = "外出培训"
    op = f"op{item.pk}"
    data[f"{op}-TOTAL_FORMS"] = "3"
    _speak(data, item, "0", "1", "2")
    rc = f"rc{item.pk}"
    data[f"{rc}-0-member"], data[f"{rc}-0-reason"] = "1", "亲属承揽该项目"
    data.pop(f"{rc}-0-withdrew", None)
    _fill(data, item, 3)
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    assert r.status_code == 302, r.content.decode()[:4000]
    item.refresh_from_db()
    assert set(item.flag_rows.values_list("code", flat=True)) >= {
        "no_quorum",
        "chief_not_last",
        "recusal_breach",
    }
    body = c.get(item.get_absolute_url()).content.decode()
    for text in (
        "到会人数不足",
        "【规则5.3】会议应有半数以上班子成员到会",
        "主要负责人未末位表态",
        "应回避未回避",
        "应到7人，实到3人",
        "张副书记应回避但参加了讨论/表决",
    ):
        assert text in body, text


def test_meeting_form_ignores_blank_rows_and_refuses_absent_or_withdrawn_speakers(
    county, secretary_a, party_a, approved_item
):
    item = approved_item()
    c = session(secretary_a)
    data = form_data(c.get(f"/decisions/meetings/new/?item={item.pk}").content.decode())
    data["held_on"] = MEETING.isoformat()
    data.pop("m-6-present", None)  # 赵委员 absent
    data["m-6-absence_reason"] = "病假"
    op, rc = f"op{item.pk}", f"rc{item.pk}"
    # an absent member in the speaking order
    _speak(data, item, "1", "6", "0")
    _fill(data, item, 6)
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and "赵委员未到会，不能记录其发言" in html
    # a member recorded as withdrawn, then put in the speaking order
    _speak(data, item, "1", "3", "0")
    data[f"{rc}-0-member"], data[f"{rc}-0-reason"] = "3", "亲属承揽该项目"
    data[f"{rc}-0-withdrew"] = "on"
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    html = r.content.decode()
    assert f"议题“{item.title}”发言第2行「成员」：陈委员已登记离场回避，不能记录其发言" in html
    # a speaker without the stance as stated
    _speak(data, item, "1", "2", "0")
    data[f"{op}-1-stance"] = ""
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    assert "请选择该成员的表态" in r.content.decode()
    assert DecisionMeeting.objects.count() == 0
    # the four untouched rows below are ignored
    data[f"{op}-1-stance"] = "agree"
    _fill(data, item, 5)
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    assert r.status_code == 302, r.content.decode()[:4000]
    mi = DecisionMeeting.objects.get().items.get()
    speakers = list(mi.opinions.order_by("order").values_list("member__name", flat=True))
    assert speakers == ["张副书记", "刘委员", "王书记"]
    assert mi.recusals.get().withdrew
    item.refresh_from_db()
    assert not item.flag_rows.exists()


def test_meeting_form_errors_are_named_and_kept(county, secretary_a, party_a, approved_item):
    item = approved_item()
    other = approved_item(title="第二个议题")
    c = session(secretary_a)
    data = form_data(c.get(f"/decisions/meetings/new/?item={item.pk}").content.decode())
    data["held_on"] = MEETING.isoformat()
    data[f"d{item.pk}-votes_yes"] = "5"  # no and abstain missing
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and "赞成、反对、弃权票数请填写完整" in html
    assert f"议题“{item.title}”" in html
    # a newly ticked item shows its section before anything is saved
    data["items"] = [str(item.pk), str(other.pk)]
    _fill(data, item, 7)
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    html = r.content.decode()
    assert "请填写新勾选议题的表态发言和表决情况后再保存" in html
    assert f'name="d{other.pk}-votes_yes"' in html
    assert DecisionMeeting.objects.count() == 0
    # the action's refusal (no chair) comes back on top, the page keeps what was typed
    data = form_data(html)
    for n in range(9):
        data.pop(f"m-{n}-is_chair", None)
    _fill(data, item, 7)
    _fill(data, other, 7)
    r = c.post("/decisions/meetings/new/", {**data, "save": "1"})
    html = r.content.decode()
    assert "请指定一位会议主持人" in html and 'value="王书记"' in html
    assert DecisionMeeting.objects.count() == 0


# ---- execution and spot checks ----


def test_execution_to_completion(county, secretary_a, party_a, approved_item, decide):
    item = approved_item()
    decide(item)
    c = session(secretary_a)
    url = f"/decisions/items/{item.pk}/execution/"
    page = c.get(url).content.decode()
    assert "2024年3月8日会议决策" in page and "上会" not in page  # not "拟…上会" any more
    r = c.post(
        url,
        {
            "on": MEETING.isoformat(),
            "due_on": MEETING.isoformat(),
            "ms-TOTAL_FORMS": "3",
            "ms-INITIAL_FORMS": "0",
        },
    )
    assert r.status_code == 200 and "请选择或填写责任人" in r.content.decode()
    chosen = party_a["people"][1]
    r = c.post(
        url,
        {
            "responsible": chosen.pk,
            "on": MEETING.isoformat(),
            "due_on": (MEETING + dt.timedelta(days=60)).isoformat(),
            "ms-TOTAL_FORMS": "3",
            "ms-INITIAL_FORMS": "0",
            "ms-0-text": "完成招标",
            "ms-0-due_on": (MEETING + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    item.refresh_from_db()
    execution = item.execution
    assert item.status == "executing" and execution.responsible_name == chosen.name
    milestone = execution.milestones.get()
    r = c.post(
        f"/decisions/executions/{execution.pk}/report/",
        {
            "progress": "已发布招标公告",
            "on": (MEETING + dt.timedelta(days=5)).isoformat(),
            "evidence": [png("公告.png")],
        },
    )
    assert r.status_code == 302
    # completing with a milestone open is refused, and the reason shown
    r = c.post(
        f"/decisions/executions/{execution.pk}/complete/",
        {"report": "已完成", "on": (MEETING + dt.timedelta(days=30)).isoformat()},
    )
    assert r.status_code == 200 and "还有1个节点未完成" in r.content.decode()
    r = c.post(
        f"/decisions/milestones/{milestone.pk}/done/",
        {"on": (MEETING + dt.timedelta(days=18)).isoformat(), "note": "中标单位已确定"},
    )
    assert r.status_code == 302
    r = c.post(
        f"/decisions/executions/{execution.pk}/complete/",
        {"report": "设备已到货验收", "on": (MEETING + dt.timedelta(days=30)).isoformat()},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    item.refresh_from_db()
    assert item.status == "completed"
    body = c.get(item.get_absolute_url()).content.decode()
    for text in ("已发布招标公告", "公告.png", "中标单位已确定", "设备已到货验收", "执行完毕"):
        assert text in body, text


def test_overdue_execution_shows(county, secretary_a, party_a, approved_item, decide):
    item = approved_item()
    decide(item)
    actions.execution_start(
        actor=secretary_a,
        item=item,
        responsible_name="李校长",
        due_on=MEETING + dt.timedelta(days=10),
        on=MEETING,
    )
    body = session(secretary_a).get(item.get_absolute_url()).content.decode()
    assert "已逾期" in body and "执行逾期" in body and "【规则5.3】决策事项应在规定期限内" in body
    body = session(secretary_a).get("/decisions/items/?flag=execution_overdue").content.decode()
    assert item.title in body


def test_spot_check_problem_becomes_finding(
    county, secretary_a, discipline, party_a, approved_item, decide
):
    item = approved_item()
    decide(item)
    dc = session(discipline)
    assert "登记抽查" in dc.get(item.get_absolute_url()).content.decode()
    assert session(secretary_a).get(f"/decisions/items/{item.pk}/spot-check/").status_code == 403
    url = f"/decisions/items/{item.pk}/spot-check/"
    r = dc.post(
        url, {"checked_on": _today().isoformat(), "result": "problem", "severity": "general"}
    )
    assert r.status_code == 200 and "发现问题时请写明问题" in r.content.decode()
    r = dc.post(
        url,
        {
            "checked_on": _today().isoformat(),
            "result": "problem",
            "problem": "会议记录未附签到表",
            "severity": "minor",
            "note": "调阅会议记录",
        },
        follow=True,
    )
    html = r.content.decode()
    assert "发现的问题已转入督查整改" in html
    check = item.spot_checks.get()
    assert check.finding is not None
    assert check.finding.get_absolute_url() in html and "会议记录未附签到表" in html
    assert "（整改中，期限" in html and "整改整改中" not in html
    # the school sees it in the rectification loop
    body = session(secretary_a).get("/rectification/findings/").content.decode()
    assert "会议记录未附签到表" in body


# ---- settings and catalogue ----


def test_settings_save_and_read(county, bureau_admin, secretary_a):
    c = session(bureau_admin)
    r = c.get("/decisions/settings/")
    assert "尚未设置" in r.content.decode()
    data = {
        "large_fund_threshold_yuan": "50000",
        "filing_lead_days": "5",
        "quorum_half_rule": "at_least_half",
        "majority_base": "due",
        "split_window_days": "30",
        "threshold_kindergarten": "20000",
    }
    r = c.post("/decisions/settings/", {**data, "filing_lead_days": "-1"})
    assert r.status_code == 200 and "会前报备时限" in r.content.decode()
    r = c.post("/decisions/settings/", data)
    assert r.status_code == 302
    row = DecisionSettings.objects.get()
    assert row.unit == county["bureau"] and row.filing_lead_days == 5
    assert row.threshold_by_kind == {"kindergarten": "20000.00"}
    body = session(secretary_a).get("/decisions/settings/").content.decode()
    assert "¥50,000.00" in body and "5个工作日" in body and "¥20,000.00" in body
    assert "幼儿园大额资金标准" in body


def test_catalogue_create_and_update(county, bureau_admin, secretary_a, secretary_b, make_item):
    c = session(bureau_admin)
    r = c.post(
        "/decisions/catalogue/new/",
        {
            "unit": county["bureau"].pk,
            "category": "major_project",
            "name": "校舍维修改造",
            "bodies": ["party_org_meeting"],
            "position": "1",
            "examples": "操场改造、教学楼加固",
        },
    )
    assert r.status_code == 302, r.content.decode()[-6000:]
    entry = DecisionCategory.objects.get()
    assert entry.required_steps  # the category's defaults
    r = c.post(
        f"/decisions/catalogue/{entry.pk}/edit/",
        {
            "name": "校舍维修改造工程",
            "examples": "操场改造、教学楼加固",
            "bodies": ["party_org_meeting", "staff_congress"],
            "required_steps": ["expert_review"],
            "position": "2",
            "is_active": "on",
            "staff_congress_required": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.name == "校舍维修改造工程" and entry.required_steps == ["expert_review"]
    body = session(secretary_a).get("/decisions/catalogue/").content.decode()
    assert "校舍维修改造工程" in body and "操场改造" in body and "须经教代会" in body
    assert "修改</a>" not in body  # the school reads the bureau's catalogue
    # the school picks it when filing
    assert "校舍维修改造工程" in session(secretary_a).get("/decisions/items/new/").content.decode()
    # each entry counts the items in the reader's scope and links to them
    make_item(category="major_project", subcategory=entry, title="操场改造议题")
    make_item(unit=county["b"], actor=secretary_b, category="major_project", subcategory=entry)
    make_item(title="不相干的议题")
    c = session(secretary_a)
    body = c.get("/decisions/catalogue/").content.decode()
    assert f'?subcategory={entry.pk}">1</a>' in body
    body = c.get(f"/decisions/items/?subcategory={entry.pk}").content.decode()
    assert "操场改造议题" in body and "不相干的议题" not in body


# ---- lists ----


def test_item_list_filters(county, secretary_a, secretary_b, bureau_admin, make_item, filed_item):
    a = make_item(title="甲校章程修订", category="major_matter")
    b = filed_item(
        unit=county["b"], actor=secretary_b, title="乙校食堂承包", category="major_project"
    )
    c = session(bureau_admin)

    def titles(query: str) -> set[str]:
        body = c.get(f"/decisions/items/?{query}").content.decode()
        return {t for t in (a.title, b.title) if t in body}

    assert titles("") == {a.title, b.title}
    assert titles("category=major_project") == {b.title}
    assert titles("status=draft") == {a.title}
    assert titles(f"unit={county['a'].pk}") == {a.title}
    assert titles(f"year={FILED.year}") == {b.title}  # a draft is in no year yet
    assert titles("todo=to_review") == {b.title}
    assert titles("flag=any") == {b.title}  # 重大项目 needs 专家论证, not done
    assert titles("flag=missing_steps") == {b.title}
    assert titles("flag=no_quorum") == set()
    r = c.get("/decisions/items/?status=draft", headers={"HX-Request": "true"})
    assert "<html" not in r.content.decode() and a.title in r.content.decode()


def test_list_query_counts(
    county, bureau_admin, secretary_a, make_item, approved_item, decide, assert_constant_queries
):
    c = session(bureau_admin)

    def add_items(n: int) -> None:
        for k in range(n):
            make_item(title=f"议题{k}", amount=None)

    assert_constant_queries(c, "/decisions/items/", add_items)

    def add_meetings(n: int) -> None:
        for _ in range(n):
            decide(approved_item())

    assert_constant_queries(c, "/decisions/meetings/", add_meetings)


def test_meeting_detail_query_count(county, secretary_a, party_a, approved_item, decide):
    from conftest import count_queries

    c = session(secretary_a)
    one = decide(approved_item())
    c.get(one.get_absolute_url())
    first = count_queries(lambda: c.get(one.get_absolute_url()))
    three = decide(approved_item(), approved_item(), approved_item())
    c.get(three.get_absolute_url())
    assert count_queries(lambda: c.get(three.get_absolute_url())) == first


# ---- dashboard and ledger ----


def test_dashboard_numbers_link_to_rows(
    county, bureau_admin, secretary_b, party_a, approved_item, filed_item, decide
):
    clean = approved_item()
    decide(clean)
    filed_item(unit=county["b"], actor=secretary_b, title="乙校议题", category="major_project")
    c = session(bureau_admin)
    r = c.get(f"/decisions/?year={FILED.year}&unit={county['bureau'].pk}")
    html = r.content.decode()
    assert r.status_code == 200
    assert "报备三重一大议题的学校" in html and "报备三重一大议题" in html
    assert "/figures/decision_schools_filing/" in html
    assert f"category=major_project&amp;unit={county['bureau'].pk}" in html or (
        f"unit={county['bureau'].pk}&amp;year={FILED.year}&amp;category=major_project" in html
    )
    assert "echarts.min.js" in html and "chart-1-data" in html
    assert "青山县第一中学" in html and "城关镇中心小学" in html  # by school


def test_ledger_is_xlsx_and_audited(county, bureau_admin, party_a, approved_item, decide):
    item = approved_item(amount=None)
    decide(item)
    c = session(bureau_admin)
    assert c.get("/decisions/ledger/").status_code == 200
    before = AuditEntry.objects.filter(action="core.export").count()
    r = c.get(f"/decisions/ledger/?unit={county['bureau'].pk}&start=2024-01-01&last=2024-12-31")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    ws = wb.active
    assert ws["A1"].value == "青山县教育局三重一大台账（2024年）"
    assert ws.freeze_panes == "A3"
    header = [cell.value for cell in ws[2]]
    row = dict(zip(header, [cell.value for cell in ws[3]], strict=True))
    assert ws.max_row == 3
    assert row["议题名称"] == item.title and row["应到/实到"] == "7/7"
    assert row["赞成/反对/弃权"] == "7/0/0" and row["表决结果"] == "通过"
    assert row["会议日期"].date() == MEETING
    assert AuditEntry.objects.filter(action="core.export").count() == before + 1
    r = c.get(f"/decisions/ledger/?unit={county['bureau'].pk}&start=2025-01-01&last=2024-12-31")
    assert r.status_code == 200 and "截止日期不能早于开始日期" in r.content.decode()


def test_word_minutes_download(county, secretary_a, party_a, approved_item, decide):
    meeting = decide(approved_item())
    r = session(secretary_a).get(f"/decisions/meetings/{meeting.pk}/minutes.docx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in r["Content-Disposition"]
    assert r.content[:2] == b"PK"


def test_opinion_stances_shown(county, secretary_a, party_a, approved_item, members_of):
    item = approved_item()
    members = members_of(party_a["people"][:3])
    meeting = actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body="party_org_meeting",
        held_on=MEETING,
        members=members,
        items=[
            actions.DecisionIn(
                item=item,
                opinions=[
                    actions.OpinionIn(member=1, stance="disagree", text="预算偏高"),
                    actions.OpinionIn(member=2, text="同意"),
                    actions.OpinionIn(member=0, text="同意"),
                ],
                votes_yes=2,
                votes_no=1,
                votes_abstain=0,
            )
        ],
    )
    body = session(secretary_a).get(meeting.get_absolute_url()).content.decode()
    assert (
        '预算偏高 <span class="badge bg-red-lt">不同意</span>' in body
        and "赞成2票，反对1票，弃权0票" in body
    )
