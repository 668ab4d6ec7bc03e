"""The Word minutes record (会议记录) of a decision meeting, in the official-document look of
the other documents (UI.md "Documents"): title 小标宋/黑体 22pt, body 仿宋_GB2312 16pt with
named fallbacks, one numbered section per item (一、二、…) with its attendance, recusals,
opinions in speaking order, vote and decision, and the recorder's and chair's signature
lines at the end."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.shared import Pt

from dangjian.core.dates import cn_date
from dangjian.core.documents import BODY_FONT, DOCX, HEADING_FONT, OfficialDocument

from .models import DecisionMeeting, MeetingItem, MeetingMember

__all__ = ["DOCX", "meeting_minutes"]

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return DIGITS[n]
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


class Minutes(OfficialDocument):
    def section(self, n: int, text: str) -> None:
        """一、… in 黑体 for any number of items (the base class stops at 十)."""
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        self._run(p, f"{cn_number(n)}、{text}", HEADING_FONT, 16)

    def labelled(self, label: str, text: str) -> None:
        """A body line led by a bold label (议题内容：…)."""
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        self._run(p, f"{label}：", BODY_FONT, 16, bold=True)
        self._run(p, text, BODY_FONT, 16)


def _member(m: MeetingMember) -> str:
    return f"{m.name}（{m.title}）" if m.title else m.name


def _attendance(members: Sequence[MeetingMember]) -> tuple[str, str]:
    present = [m for m in members if m.present]
    absent = [m for m in members if not m.present]
    text = f"应到{len(members)}人，实到{len(present)}人"
    if absent:
        reasons = "、".join(
            f"{m.name}（{m.absence_reason}）" if m.absence_reason else m.name for m in absent
        )
        text += f"，缺席：{reasons}"
    return text, "、".join(_member(m) for m in present)


def _amount(mi: MeetingItem) -> str:
    amount = mi.item.amount
    return f"¥{amount:,.2f}" if amount is not None else ""


def _vote(mi: MeetingItem) -> str:
    if not mi.votes_recorded:
        return "未记录票数"
    return f"赞成{mi.votes_yes}票，反对{mi.votes_no}票，弃权{mi.votes_abstain}票"


def _item_section(doc: Minutes, n: int, mi: MeetingItem) -> None:
    item = mi.item
    doc.section(n, f"议题：{item.title}")
    category = item.get_category_display()
    if item.subcategory is not None:
        category += f"（{item.subcategory.name}）"
    doc.labelled("议题类别", category)
    if item.amount is not None:
        payee = f"，收款单位/项目：{item.payee}" if item.payee else ""
        doc.labelled("涉及金额", f"{_amount(mi)}{payee}")
    if item.proposer:
        doc.labelled("提议人", item.proposer)
    doc.labelled("议题内容", item.content)
    recusals = list(mi.recusals.all())
    if recusals:
        doc.labelled(
            "回避情况",
            "；".join(
                f"{r.member.name}因{r.reason}{'回避' if r.withdrew else '未回避'}" for r in recusals
            ),
        )
    opinions = list(mi.opinions.all())
    if opinions:
        doc.labelled("表态发言", "（按发言顺序）")
        for o in opinions:
            said, stance = o.text.strip(), o.get_stance_display()
            view = f"{said}（表态：{stance}）" if said else stance
            doc.para(f"{o.order}. {_member(o.member)}：{view}")
    else:
        doc.labelled("表态发言", "未记录")
    doc.labelled("表决情况", _vote(mi))
    doc.labelled("表决结果", mi.get_result_display())
    if mi.decision.strip():
        doc.labelled("决定事项", mi.decision.strip())


def meeting_minutes(
    meeting: DecisionMeeting, members: Sequence[MeetingMember], items: Sequence[MeetingItem]
) -> bytes:
    """会议记录 of one meeting: header, each item in agenda order, signatures."""
    doc = Minutes()
    doc.title(f"{meeting.unit.name}{meeting.get_body_display()}会议记录")
    chair = next((m for m in members if m.is_chair), None)
    attendance, present = _attendance(members)
    doc.labelled("会议名称", meeting.title)
    doc.labelled("会议时间", cn_date(meeting.held_on))
    if meeting.place:
        doc.labelled("会议地点", meeting.place)
    if meeting.mode != DecisionMeeting.Mode.MEETING:
        doc.labelled("决策方式", meeting.get_mode_display())
    doc.labelled("主持人", _member(chair) if chair else "未记录")
    doc.labelled("记录人", meeting.recorder or "未记录")
    if members:
        doc.labelled("到会情况", attendance)
        doc.labelled("出席人员", present or "无")
        doc.table(
            ["序号", "姓名", "职务", "到会情况"],
            [
                [
                    m.position,
                    m.name + ("（主持人）" if m.is_chair else ""),
                    m.title,
                    "到会"
                    if m.present
                    else f"缺席{'：' + m.absence_reason if m.absence_reason else ''}",
                ]
                for m in members
            ],
        )
    if meeting.notes.strip():
        doc.labelled("会议情况", meeting.notes.strip())
    if meeting.mode == DecisionMeeting.Mode.MEETING:
        doc.labelled("议题", f"共{len(items)}项，逐项讨论、逐项表决")
    else:
        how = meeting.get_mode_display().split("（")[0]
        doc.labelled("议题", f"共{len(items)}项，以{how}方式决定，未召开会议")
    for n, mi in enumerate(items, start=1):
        _item_section(doc, n, mi)
    doc.plain("")
    doc.plain(f"主持人（签字）：{' ' * 16}记录人（签字）：")
    doc.signature(_issuer(meeting), meeting.held_on)
    return doc.bytes()


def _issuer(meeting: DecisionMeeting) -> str:
    """The school's party organisation for its own meetings, else the school."""
    from dangjian.orgs.queries import top_party_org

    if meeting.body == "party_org_meeting":
        org = top_party_org(meeting.unit)
        if org is not None:
            return org.name if org.name.startswith("中共") else f"中共{org.name}"
    return meeting.unit.name


def text_of(content: bytes) -> str:
    """All paragraph text of a generated document (for tests and previews)."""
    import io

    from docx import Document

    d: Any = Document(io.BytesIO(content))
    return "\n".join(p.text for p in d.paragraphs)
