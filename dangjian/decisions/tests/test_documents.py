"""The Word minutes record of a decision meeting: header, each item with its recusals,
opinions in speaking order, vote and decision, in the official-document fonts."""

from __future__ import annotations

import io

import pytest
from docx import Document

from dangjian.core.tests.api_helpers import session
from dangjian.decisions import actions
from dangjian.decisions.documents import cn_number, meeting_minutes, text_of
from dangjian.decisions.views import meeting_items

from .conftest import MEETING

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (31, "三十一")]
)
def test_cn_number(n, text):
    assert cn_number(n) == text


def _minutes(meeting):
    return meeting_minutes(meeting, list(meeting.members.all()), meeting_items(meeting))


def test_minutes_contain_items_votes_and_speakers(
    county, secretary_a, party_a, approved_item, members_of
):
    first = approved_item(title="修订学校章程")
    second = approved_item(
        title="食堂承包合同续签", category="major_project", amount="86000", payee="青山餐饮公司"
    )
    people = party_a["people"]
    members = members_of(people, present=6)
    meeting = actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body="party_org_meeting",
        held_on=MEETING,
        title="2024年第3次党委会",
        place="学校会议室",
        recorder="党办小李",
        members=members,
        items=[
            actions.DecisionIn(
                item=first,
                opinions=[actions.OpinionIn(member=m, text="同意") for m in (1, 2, 3, 4, 5, 0)],
                votes_yes=6,
                votes_no=0,
                votes_abstain=0,
                decision="同意修订后的章程，提交教代会审议。",
            ),
            actions.DecisionIn(
                item=second,
                recusals=[actions.RecusalIn(member=3, reason="配偶在承包公司任职")],
                opinions=[
                    actions.OpinionIn(member=1, stance="disagree", text="价格偏高"),
                    actions.OpinionIn(member=2),
                    actions.OpinionIn(member=4),
                    actions.OpinionIn(member=5),
                    actions.OpinionIn(member=0, text="同意续签，压减价格"),
                ],
                votes_yes=4,
                votes_no=1,
                votes_abstain=0,
            ),
        ],
    )
    content = _minutes(meeting)
    text = text_of(content)
    for line in (
        "青山县第一中学学校党组织会议会议记录",
        "会议名称：2024年第3次党委会",
        "会议时间：2024年3月8日",
        "会议地点：学校会议室",
        "主持人：王书记（书记）",
        "记录人：党办小李",
        "应到7人，实到6人，缺席：赵委员（外出学习）",
        "一、议题：修订学校章程",
        "表决情况：赞成6票，反对0票，弃权0票",
        "表决结果：通过",
        "决定事项：同意修订后的章程，提交教代会审议。",
        "二、议题：食堂承包合同续签",
        "涉及金额：¥86,000.00，收款单位/项目：青山餐饮公司",
        "回避情况：刘委员因配偶在承包公司任职回避",
        "1. 李校长（委员）：价格偏高（表态：不同意）",
        "5. 王书记（书记）：同意续签，压减价格（表态：同意）",
        "表决情况：赞成4票，反对1票，弃权0票",
        "中共青山县第一中学党委",
        "2024年3月8日",
    ):
        assert line in text, line
    # the speaking order is kept: the secretary's view comes after everyone else's
    assert text.index("李校长（委员）：价格偏高") < text.index("王书记（书记）：同意续签")
    doc = Document(io.BytesIO(content))
    title = doc.paragraphs[0].runs[0]
    assert title.font.size is not None and title.font.size.pt == 22
    assert title.font.name == "方正小标宋简体"
    (table,) = doc.tables  # the roster
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["序号", "姓名", "职务", "到会情况"] and len(rows) == 8
    assert rows[1] == ["1", "王书记（主持人）", "书记", "到会"]
    assert rows[7][1:] == ["赵委员", "委员", "缺席：外出学习"]
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert heading.runs[0].font.name == "黑体"
    body = next(p for p in doc.paragraphs if p.text.startswith("1. "))
    size = body.runs[0].font.size
    assert body.runs[0].font.name == "仿宋_GB2312" and size is not None and size.pt == 16


def test_minutes_of_circulation_and_missing_votes(county, secretary_a, approved_item):
    item = approved_item()
    meeting = actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body="principal_office_meeting",
        mode="circulation",
        held_on=MEETING,
        members=[],
        items=[actions.DecisionIn(item=item, passed=True)],
    )
    text = text_of(_minutes(meeting))
    assert "决策方式：传签（未开会）" in text
    assert "表决情况：未记录票数" in text and "表态发言：未记录" in text
    assert "主持人：未记录" in text
    assert "青山县第一中学校长办公会会议记录" in text
    assert "逐项讨论" not in text and "逐项表决" not in text
    assert "议题：共1项，以传签方式决定，未召开会议" in text


def test_download_is_the_same_document(county, secretary_a, party_a, approved_item, decide):
    meeting = decide(approved_item(title="年度预算安排"))
    r = session(secretary_a).get(f"/decisions/meetings/{meeting.pk}/minutes.docx")
    assert r.status_code == 200
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    text = text_of(r.content)
    assert "一、议题：年度预算安排" in text and "赞成7票" in text
