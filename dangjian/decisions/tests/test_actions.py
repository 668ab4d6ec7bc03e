"""Actions: every allowed and refused transition of an agenda item, audit rows, and refusals
that leave nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, InvalidTransition, NotAllowed, OutOfScope
from dangjian.decisions import actions
from dangjian.decisions.actions import DecisionIn, MemberIn, MilestoneIn, OpinionIn, RecusalIn
from dangjian.decisions.models import (
    AgendaItem,
    Attachment,
    DecisionMeeting,
    DecisionSettings,
    Execution,
    ItemReview,
    MeetingItem,
    MeetingMember,
    Opinion,
    SpotCheck,
)

from .conftest import FILED, MEETING, pdf, png

D = dt.date
S = AgendaItem.Status
pytestmark = pytest.mark.django_db


def _audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# ---- create / update -----------------------------------------------------------------------


def test_item_create_is_a_draft_and_audited(make_item: Callable[..., Any]) -> None:
    item = make_item(attachments=[("investigation", pdf("调研报告.pdf"))])
    assert item.status == S.DRAFT
    assert item.attachments.get().kind == "investigation"
    entry = AuditEntry.objects.get(action="decisions.item_create")
    assert entry.object_id == str(item.pk) and (entry.after or {})["attachments"] == [
        "调研报告.pdf"
    ]
    assert not item.flag_rows.exists()  # a draft raises no flags


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"title": " "}, "title", "「议题名称」"),
        ({"content": ""}, "content", "「议题内容」"),
        ({"category": "lunch"}, "category", "「类别」"),
        ({"category": "large_fund"}, "amount", "须填写金额"),
        ({"amount": Decimal("-5")}, "amount", "应大于0"),
        ({"steps_done": ["magic"]}, "steps_done", "前置程序"),
        ({"planned_body": "party_congress"}, "planned_body", "「拟提交会议」"),
        ({"attachments": [("material", pdf("x.exe"))]}, "attachments", "类型不允许"),
        ({"attachments": [("material", png("fake.pdf"))]}, "attachments", "内容与扩展名不符"),
        ({"attachments": [("minutes", pdf())]}, "attachments", "有效的材料类型"),
    ],
)
def test_item_create_refusals_write_nothing(
    make_item: Callable[..., Any], changes: dict[str, Any], field: str, text: str
) -> None:
    audits = AuditEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        make_item(**changes)
    assert exc.value.field == field and text in exc.value.message
    assert AgendaItem.objects.count() == 0 and Attachment.objects.count() == 0
    assert AuditEntry.objects.count() == audits


def test_item_create_needs_scope_and_role(
    make_item: Callable[..., Any], county: dict[str, Any], secretary_b: Any, bureau_admin: Any
) -> None:
    with pytest.raises(OutOfScope):
        make_item(actor=secretary_b)  # school A from school B
    with pytest.raises(NotAllowed):
        make_item(actor=bureau_admin)
    with pytest.raises(ActionError, match="只有学校"):
        actions.item_create(
            actor=bureau_admin.__class__.objects.get(username="system"),
            unit=county["district"],
            category="major_matter",
            title="t",
            content="c",
        )


def test_subcategory_must_match_and_be_visible(
    make_item: Callable[..., Any], county: dict[str, Any], bureau_admin: Any, system: Any
) -> None:
    entry = actions.category_create(
        actor=bureau_admin, unit=county["bureau"], category="large_fund", name="基建维修资金"
    )
    with pytest.raises(ActionError, match="与所选类别不一致"):
        make_item(subcategory=entry)
    item = make_item(subcategory=entry, category="large_fund", amount=Decimal("150000"))
    assert item.subcategory == entry
    other = actions.category_create(
        actor=system, unit=county["district"], category="major_matter", name="学区事项"
    )
    actions.category_update(actor=system, entry=other, is_active=False)
    with pytest.raises(ActionError, match="不在本单位适用"):
        make_item(subcategory=other)


def test_item_update_in_draft_and_returned_only(
    make_item: Callable[..., Any],
    secretary_a: Any,
    bureau_admin: Any,
    assert_unchanged: Callable[..., Any],
) -> None:
    item = make_item()
    actions.item_update(actor=secretary_a, item=item, title="修订学校章程（第二稿）")
    assert _audits("decisions.item_update") == 1
    actions.item_file(actor=secretary_a, item=item, on=FILED)
    with assert_unchanged(item), pytest.raises(ActionError, match="不能再修改"):
        actions.item_update(actor=secretary_a, item=item, title="又改")
    actions.item_return(actor=bureau_admin, item=item, opinion="补充征求意见情况", on=FILED)
    actions.item_update(actor=secretary_a, item=item, steps_note="已征求教职工意见")
    item.refresh_from_db()
    assert item.steps_note == "已征求教职工意见"
    with pytest.raises(ActionError, match="不能修改"):
        actions.item_update(actor=secretary_a, item=item, status="approved")


# ---- filing and review ---------------------------------------------------------------------


def test_file_approve(filed_item: Callable[..., Any], bureau_admin: Any) -> None:
    item = filed_item()
    assert (item.status, item.filed_on) == (S.FILED, FILED)
    actions.item_approve(actor=bureau_admin, item=item, on=D(2024, 3, 5))
    item.refresh_from_db()
    assert (item.status, item.approved_on) == (S.APPROVED, D(2024, 3, 5))
    review = ItemReview.objects.get(item=item)
    assert review.decision == "approved" and review.reviewer == bureau_admin
    assert _audits("decisions.item_file") == 1 and _audits("decisions.item_approve") == 1


def test_return_refile_approve_by_discipline(
    filed_item: Callable[..., Any], discipline: Any, secretary_a: Any
) -> None:
    item = filed_item()
    with pytest.raises(ActionError, match="「审核意见」"):
        actions.item_return(actor=discipline, item=item, opinion=" ", on=FILED)
    actions.item_return(actor=discipline, item=item, opinion="请补充合法性审查意见", on=FILED)
    assert item.status == S.RETURNED and item.return_count == 1
    actions.item_file(actor=secretary_a, item=item, on=D(2024, 3, 5))
    actions.item_approve(actor=discipline, item=item, on=D(2024, 3, 5))
    item.refresh_from_db()
    assert item.status == S.APPROVED and item.filed_on == D(2024, 3, 5)
    assert list(item.reviews.values_list("decision", flat=True)) == ["returned", "approved"]


def test_filing_and_review_tell_the_other_side(
    filed_item: Callable[..., Any],
    discipline: Any,
    bureau_admin: Any,
    secretary_a: Any,
    clerk_a: Any,
) -> None:
    from dangjian.notices.models import Notice

    item = filed_item()  # filed by the school's secretary
    to_review = Notice.objects.filter(kind="decision_to_review")
    assert {n.recipient for n in to_review} == {discipline, bureau_admin}
    assert item.title in to_review[0].title and to_review[0].url == item.get_absolute_url()
    actions.item_return(actor=discipline, item=item, opinion="请补充合法性审查意见", on=FILED)
    reviewed = Notice.objects.filter(kind="decision_reviewed")
    assert {n.recipient for n in reviewed} == {secretary_a, clerk_a}
    assert "退回修改" in reviewed[0].title and "请补充合法性审查意见" in reviewed[0].body
    actions.item_file(actor=secretary_a, item=item, on=D(2024, 3, 5))
    assert Notice.objects.filter(kind="decision_to_review").count() == 4  # filed again: again
    assert not Notice.objects.filter(recipient=secretary_a, kind="decision_to_review").exists()


def test_not_major_is_final(
    filed_item: Callable[..., Any], bureau_admin: Any, secretary_a: Any
) -> None:
    item = filed_item()
    actions.item_mark_not_major(actor=bureau_admin, item=item, opinion="属日常事务", on=FILED)
    assert item.status == S.NOT_MAJOR
    with pytest.raises(InvalidTransition):
        actions.item_file(actor=secretary_a, item=item, on=FILED)
    with pytest.raises(InvalidTransition):
        actions.item_approve(actor=bureau_admin, item=item, on=FILED)


def test_file_refusals(
    make_item: Callable[..., Any], secretary_a: Any, assert_unchanged: Callable[..., Any]
) -> None:
    item = make_item(planned_meeting_on=None)
    with assert_unchanged(item), pytest.raises(ActionError) as exc:
        actions.item_file(actor=secretary_a, item=item, on=FILED)
    assert exc.value.field == "planned_meeting_on"
    item = make_item(planned_meeting_on=D(2024, 3, 1))
    with assert_unchanged(item), pytest.raises(ActionError, match="不能早于报备日期"):
        actions.item_file(actor=secretary_a, item=item, on=FILED)
    item = make_item()
    with assert_unchanged(item), pytest.raises(ActionError, match="不能晚于今天"):
        actions.item_file(actor=secretary_a, item=item, on=dt.date.today() + dt.timedelta(days=9))


def test_review_refusals(
    make_item: Callable[..., Any],
    filed_item: Callable[..., Any],
    bureau_admin: Any,
    secretary_a: Any,
    leader: Any,
    assert_unchanged: Callable[..., Any],
) -> None:
    draft = make_item()
    with assert_unchanged(draft), pytest.raises(InvalidTransition):
        actions.item_approve(actor=bureau_admin, item=draft, on=FILED)
    item = filed_item()
    with assert_unchanged(item), pytest.raises(NotAllowed):
        actions.item_approve(actor=secretary_a, item=item, on=FILED)
    with assert_unchanged(item), pytest.raises(NotAllowed):
        actions.item_return(actor=leader, item=item, opinion="x", on=FILED)
    with assert_unchanged(item), pytest.raises(ActionError, match="早于报备日期"):
        actions.item_approve(actor=bureau_admin, item=item, on=D(2024, 3, 1))
    assert ItemReview.objects.count() == 0


def test_filed_twice_is_refused(filed_item: Callable[..., Any], secretary_a: Any) -> None:
    item = filed_item()
    with pytest.raises(InvalidTransition, match="不能从「已报备待审核」变为「已报备待审核」"):
        actions.item_file(actor=secretary_a, item=item, on=FILED)


# ---- meeting -------------------------------------------------------------------------------


def test_meeting_record_passes_items(
    approved_item: Callable[..., Any], decide: Callable[..., Any], party_a: dict[str, Any]
) -> None:
    first = approved_item()
    second = approved_item(title="2024年度教师培训计划")
    meeting = decide(first, second, minutes=pdf("纪要.pdf"), sign_in=png("签到.png"))
    assert meeting.mode == "meeting" and meeting.title == "2024年3月8日学校党组织会议"
    assert meeting.members.count() == 7 and meeting.items.count() == 2
    for item in (first, second):
        item.refresh_from_db()
        assert (item.status, item.decided_on) == (S.PASSED, MEETING)
        assert item.discussion.result == "passed"
        assert not item.flag_rows.exists()
    opinions = list(first.discussion.opinions.values_list("member__name", flat=True))
    assert opinions[-1] == "王书记" and len(opinions) == 7
    assert sorted(meeting.attachments.values_list("kind", flat=True)) == ["minutes", "sign_in"]
    # one entry per item and one for the meeting
    assert _audits("decisions.meeting_record") == 3
    entry = AuditEntry.objects.get(
        action="decisions.meeting_record", object_type="decisions.decisionmeeting"
    )
    assert (entry.after or {})["items"][0][2] == "passed"


def test_meeting_majority_of_members_due(
    approved_item: Callable[..., Any],
    decide: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
) -> None:
    """M7 through the action: 7 due, 5 present, 3 yes → not passed, whatever the school says."""
    item = approved_item()
    members = members_of(party_a["people"], present=5)
    vote = DecisionIn(item=item, votes_yes=3, votes_no=1, votes_abstain=1, passed=True)
    with pytest.raises(ActionError, match="应为「未通过」") as exc:
        actions.meeting_record(
            actor=secretary_a,
            unit=county["a"],
            body="party_org_meeting",
            held_on=MEETING,
            members=members,
            items=[vote],
        )
    assert exc.value.field == "passed"
    assert DecisionMeeting.objects.count() == 0 and MeetingMember.objects.count() == 0
    actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body="party_org_meeting",
        held_on=MEETING,
        members=members,
        items=[DecisionIn(item=item, votes_yes=3, votes_no=1, votes_abstain=1)],
    )
    item.refresh_from_db()
    assert item.status == S.NOT_PASSED
    with pytest.raises(InvalidTransition):
        actions.execution_start(
            actor=secretary_a, item=item, responsible_name="李校长", due_on=D(2024, 6, 30)
        )


def _record(secretary_a: Any, county: dict[str, Any], members: list[Any], *decisions: Any) -> Any:
    return actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body="party_org_meeting",
        held_on=MEETING,
        members=members,
        items=list(decisions),
    )


def test_meeting_refusals_write_nothing(
    approved_item: Callable[..., Any],
    filed_item: Callable[..., Any],
    make_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    secretary_b: Any,
    bureau_admin: Any,
    county: dict[str, Any],
    system: Any,
) -> None:
    item = approved_item()
    members = members_of(party_a["people"])
    ok: dict[str, Any] = {"votes_yes": 7, "votes_no": 0, "votes_abstain": 0}
    other_school = make_item(unit=county["b"], actor=secretary_b)
    not_major = filed_item(title="食堂排班")
    actions.item_mark_not_major(actor=bureau_admin, item=not_major, opinion="日常事务", on=FILED)
    nobody_chairs = [MemberIn(name=m.name, present=True) for m in members]
    absent_chair = [MemberIn(name="王书记", is_chair=True, present=False), *members[1:]]
    cases: list[tuple[list[Any], list[Any], str]] = [
        (members, [DecisionIn(item=item, **ok), DecisionIn(item=other_school, **ok)], "不是本校"),
        (members, [DecisionIn(item=not_major, **ok)], "不能登记表决"),
        (members, [DecisionIn(item=item, **ok), DecisionIn(item=item, **ok)], "重复登记"),
        (members, [], "至少登记一个议题"),
        ([], [DecisionIn(item=item, **ok)], "应到会成员"),
        (nobody_chairs, [DecisionIn(item=item, **ok)], "主持人"),
        (absent_chair, [DecisionIn(item=item, **ok)], "主持人须到会"),
        (members, [DecisionIn(item=item, votes_yes=8, votes_no=0, votes_abstain=0)], "超过"),
        (members, [DecisionIn(item=item, votes_yes=5)], "同时填写"),
        (members, [DecisionIn(item=item)], "表决票数或表决结果"),
        (members, [DecisionIn(item=item, opinions=[OpinionIn(member=9)], **ok)], "不在会议成员"),
        (
            members,
            [DecisionIn(item=item, opinions=[OpinionIn(member=1), OpinionIn(member=1)], **ok)],
            "重复发言",
        ),
        (members, [DecisionIn(item=item, recusals=[RecusalIn(member=2, reason="")], **ok)], "事由"),
        (
            members,
            [
                DecisionIn(
                    item=item,
                    recusals=[RecusalIn(member=2, reason="亲属")],
                    votes_yes=7,
                    votes_no=0,
                    votes_abstain=0,
                )
            ],
            "超过参加表决的6人",
        ),
    ]
    before = AuditEntry.objects.count()
    for people, decisions, text in cases:
        with pytest.raises(ActionError, match=text):
            _record(secretary_a, county, people, *decisions)
    absent = members_of(party_a["people"], present=5)
    with pytest.raises(ActionError, match="未到会"):
        _record(
            secretary_a, county, absent, DecisionIn(item=item, opinions=[OpinionIn(member=6)], **ok)
        )
    with pytest.raises(ActionError, match="不能晚于今天"):
        actions.meeting_record(
            actor=secretary_a,
            unit=county["a"],
            body="party_org_meeting",
            held_on=dt.date.today() + dt.timedelta(days=3),
            members=members,
            items=[DecisionIn(item=item, **ok)],
        )
    with pytest.raises(NotAllowed):
        _record(bureau_admin, county, members, DecisionIn(item=item, **ok))
    assert AuditEntry.objects.count() == before
    assert DecisionMeeting.objects.count() == 0 and MeetingItem.objects.count() == 0
    assert MeetingMember.objects.count() == 0 and Opinion.objects.count() == 0
    item.refresh_from_db()
    assert item.status == S.APPROVED


def test_items_decided_from_each_undecided_status(
    make_item: Callable[..., Any],
    filed_item: Callable[..., Any],
    approved_item: Callable[..., Any],
    bureau_admin: Any,
    decide: Callable[..., Any],
) -> None:
    draft = make_item(title="草稿议题")
    filed = filed_item(title="待审议题")
    returned = filed_item(title="退回议题")
    actions.item_return(actor=bureau_admin, item=returned, opinion="补材料", on=FILED)
    approved = approved_item(title="同意议题")
    decide(draft, filed, returned, approved)
    for item in (draft, filed, returned, approved):
        item.refresh_from_db()
        assert item.status == S.PASSED
    codes = {
        i.title: set(i.flag_rows.values_list("code", flat=True))
        for i in (draft, filed, returned, approved)
    }
    assert codes == {
        "草稿议题": {"not_filed_in_advance"},
        "待审议题": {"not_filed_in_advance"},
        "退回议题": {"not_filed_in_advance"},
        "同意议题": set(),
    }


def test_circulation_without_votes(
    approved_item: Callable[..., Any], secretary_a: Any, county: dict[str, Any]
) -> None:
    item = approved_item()
    with pytest.raises(ActionError, match="未开会，不能登记表决票数"):
        actions.meeting_record(
            actor=secretary_a,
            unit=county["a"],
            body="party_org_meeting",
            mode="circulation",
            held_on=MEETING,
            members=[],
            items=[DecisionIn(item=item, votes_yes=3, votes_no=0, votes_abstain=0)],
        )
    actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body="party_org_meeting",
        mode="circulation",
        held_on=MEETING,
        members=[],
        items=[DecisionIn(item=item, passed=True, decision="传签同意")],
    )
    item.refresh_from_db()
    assert item.status == S.PASSED
    assert set(item.flag_rows.values_list("code", flat=True)) == {"no_meeting"}


# ---- execution -----------------------------------------------------------------------------


@pytest.fixture
def passed(approved_item: Callable[..., Any], decide: Callable[..., Any]) -> AgendaItem:
    item = approved_item()
    decide(item)
    item.refresh_from_db()
    return item


def test_execution_lifecycle(passed: AgendaItem, secretary_a: Any, party_a: dict[str, Any]) -> None:
    execution = actions.execution_start(
        actor=secretary_a,
        item=passed,
        responsible=party_a["people"][1],
        responsible_name="",
        due_on=D(2024, 6, 30),
        milestones=[
            MilestoneIn("起草章程修正案", D(2024, 4, 15)),
            MilestoneIn("报教育局核准", D(2024, 6, 1)),
        ],
        on=D(2024, 3, 11),
    )
    passed.refresh_from_db()
    assert passed.status == S.EXECUTING and execution.responsible_name == "李校长"
    first, second = execution.milestones.all()
    actions.execution_report(
        actor=secretary_a,
        execution=execution,
        progress="已完成初稿",
        evidence=[pdf("初稿.pdf")],
        on=D(2024, 4, 10),
    )
    actions.milestone_done(actor=secretary_a, milestone=first, on=D(2024, 4, 12))
    with pytest.raises(ActionError, match="该节点已完成"):
        actions.milestone_done(actor=secretary_a, milestone=first, on=D(2024, 4, 13))
    with pytest.raises(ActionError, match="还有1个节点未完成"):
        actions.execution_complete(
            actor=secretary_a, execution=execution, report="已完成", on=D(2024, 6, 5)
        )
    actions.milestone_done(actor=secretary_a, milestone=second, on=D(2024, 5, 30), note="已核准")
    actions.execution_complete(
        actor=secretary_a, execution=execution, report="章程已核准并公布", on=D(2024, 6, 5)
    )  # the progress report's evidence counts
    passed.refresh_from_db()
    execution.refresh_from_db()
    assert passed.status == S.COMPLETED and execution.completed_on == D(2024, 6, 5)
    assert "2024年4月10日：已完成初稿" in execution.progress
    assert not passed.flag_rows.exists()  # completed before the due date
    for action in ("execution_start", "execution_report", "milestone_done", "execution_complete"):
        assert _audits(f"decisions.{action}") >= 1
    with pytest.raises(ActionError, match="不能再登记执行情况"):
        actions.execution_report(
            actor=secretary_a, execution=execution, progress="补充", on=D(2024, 6, 6)
        )
    with pytest.raises(InvalidTransition):
        actions.execution_start(
            actor=secretary_a, item=passed, responsible_name="x", due_on=D(2024, 9, 1)
        )


def test_execution_refusals(
    passed: AgendaItem,
    approved_item: Callable[..., Any],
    secretary_a: Any,
    assert_unchanged: Callable[..., Any],
) -> None:
    with assert_unchanged(passed), pytest.raises(ActionError, match="「责任人」"):
        actions.execution_start(
            actor=secretary_a, item=passed, responsible_name=" ", due_on=D(2024, 6, 30)
        )
    with assert_unchanged(passed), pytest.raises(ActionError, match="早于会议决策日期"):
        actions.execution_start(
            actor=secretary_a,
            item=passed,
            responsible_name="李校长",
            due_on=D(2024, 6, 30),
            on=D(2024, 3, 1),
        )
    with assert_unchanged(passed), pytest.raises(ActionError, match="「执行期限」"):
        actions.execution_start(
            actor=secretary_a,
            item=passed,
            responsible_name="李校长",
            due_on=D(2024, 3, 9),
            on=D(2024, 3, 11),
        )
    with assert_unchanged(passed), pytest.raises(ActionError, match="执行期间内"):
        actions.execution_start(
            actor=secretary_a,
            item=passed,
            responsible_name="李校长",
            due_on=D(2024, 6, 30),
            milestones=[MilestoneIn("节点", D(2024, 7, 15))],
            on=D(2024, 3, 11),
        )
    assert Execution.objects.count() == 0
    waiting = approved_item(title="未上会")
    with assert_unchanged(waiting), pytest.raises(InvalidTransition):
        actions.execution_start(
            actor=secretary_a, item=waiting, responsible_name="李校长", due_on=D(2024, 6, 30)
        )
    execution = actions.execution_start(
        actor=secretary_a,
        item=passed,
        responsible_name="李校长",
        due_on=D(2024, 6, 30),
        on=D(2024, 3, 11),
    )
    with assert_unchanged(passed), pytest.raises(ActionError, match="执行佐证"):
        actions.execution_complete(
            actor=secretary_a, execution=execution, report="完成", on=D(2024, 6, 1)
        )
    with pytest.raises(ActionError, match="「执行情况报告」"):
        actions.execution_complete(
            actor=secretary_a, execution=execution, report="", evidence_note="存档"
        )
    actions.execution_complete(
        actor=secretary_a,
        execution=execution,
        report="完成",
        evidence_note="存学校档案室",
        on=D(2024, 6, 1),
    )
    assert Attachment.objects.filter(kind="execution").count() == 0


# ---- spot checks ---------------------------------------------------------------------------


def test_spot_check_ok_and_problem(
    passed: AgendaItem, discipline: Any, approved_item: Callable[..., Any]
) -> None:
    from dangjian.rectification.models import Finding, Rectification
    from dangjian.supervision.models import Inspection

    ok = actions.spot_check_record(
        actor=discipline, item=passed, checked_on=D(2024, 4, 1), result="ok", note="程序规范"
    )
    assert ok.finding is None and Finding.objects.count() == 0
    check = actions.spot_check_record(
        actor=discipline,
        item=passed,
        checked_on=D(2024, 5, 1),
        result="problem",
        problem="会议记录未附签到表",
        severity="minor",
    )
    finding = check.finding
    assert finding is not None and finding.source == "inspection" and finding.area == "三重一大"
    assert "会议记录未附签到表" in finding.description and finding.unit == passed.unit
    assert Rectification.objects.get(finding=finding).status == "open"
    inspection = Inspection.objects.get()
    assert inspection.kind == "bureau_spot_check" and inspection.status == "done"
    assert inspection.lead_inspector == discipline
    assert _audits("decisions.spot_check_record") == 2
    assert _audits("rectification.finding_create") == 1
    undecided = approved_item(title="未决议题")
    with pytest.raises(ActionError, match="尚未决策"):
        actions.spot_check_record(
            actor=discipline, item=undecided, checked_on=D(2024, 4, 1), result="ok"
        )


def test_spot_check_finding_names_the_flags_of_the_check_day(
    approved_item: Callable[..., Any],
    decide: Callable[..., Any],
    discipline: Any,
    secretary_a: Any,
) -> None:
    """The finding's 违反的规定 lists the flags the item has on the check date (not every
    stored row, e.g. an execution overdue only later), and names the 纪检 user as 登记人."""
    item = approved_item(approved_on=D(2024, 3, 6), title="校园绿化改造")
    decide(item)
    item.refresh_from_db()
    actions.execution_start(
        actor=secretary_a,
        item=item,
        responsible_name="李校长",
        due_on=D(2024, 6, 30),
        on=D(2024, 3, 11),
    )
    assert set(item.flag_rows.values_list("code", flat=True)) == {"execution_overdue"}
    check = actions.spot_check_record(
        actor=discipline,
        item=item,
        checked_on=D(2024, 5, 1),
        result="problem",
        problem="会议记录未附签到表",
        today=D(2024, 5, 2),
    )
    finding = check.finding
    assert finding is not None
    assert finding.rule_broken == "【规则5】三重一大集体决策制度"
    assert finding.recorded_by == discipline
    late = actions.spot_check_record(
        actor=discipline,
        item=item,
        checked_on=D(2024, 7, 2),
        result="problem",
        problem="执行未按期完成",
        today=D(2024, 7, 3),
    )
    assert late.finding is not None
    assert late.finding.rule_broken == "【规则5】三重一大集体决策制度（执行逾期）"


def test_spot_check_refusals_write_nothing(
    passed: AgendaItem, discipline: Any, secretary_a: Any
) -> None:
    from dangjian.rectification.models import Finding
    from dangjian.supervision.models import Inspection

    before = AuditEntry.objects.count()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"result": "problem", "problem": " "}, "问题描述"),
        ({"result": "problem", "problem": "x", "severity": "fatal"}, "严重程度"),
        ({"result": "maybe"}, "抽查结果"),
        ({"result": "ok", "checked_on": D(2024, 3, 1)}, "早于会议决策日期"),
    ]
    for kw, text in cases:
        kw.setdefault("checked_on", D(2024, 4, 1))
        with pytest.raises(ActionError, match=text):
            actions.spot_check_record(actor=discipline, item=passed, **kw)
    with pytest.raises(NotAllowed):
        actions.spot_check_record(
            actor=secretary_a, item=passed, checked_on=D(2024, 4, 1), result="ok"
        )
    assert AuditEntry.objects.count() == before
    assert SpotCheck.objects.count() == 0 and Finding.objects.count() == 0
    assert Inspection.objects.count() == 0


# ---- settings, catalogue, attachments ------------------------------------------------------


def test_settings_save(county: dict[str, Any], bureau_admin: Any, system: Any) -> None:
    with pytest.raises(ActionError, match="只有教育局或学区"):
        actions.settings_save(
            actor=system, unit=county["a"], large_fund_threshold_yuan=Decimal("50000")
        )
    with pytest.raises(ActionError, match="应大于0"):
        actions.settings_save(
            actor=bureau_admin, unit=county["bureau"], large_fund_threshold_yuan=Decimal("0")
        )
    with pytest.raises(ActionError, match="学校类型无效"):
        actions.settings_save(
            actor=bureau_admin,
            unit=county["bureau"],
            large_fund_threshold_yuan=Decimal("50000"),
            threshold_by_kind={"bureau": "1"},
        )
    assert DecisionSettings.objects.count() == 0
    row = actions.settings_save(
        actor=bureau_admin,
        unit=county["bureau"],
        large_fund_threshold_yuan=Decimal("50000"),
        filing_lead_days=5,
        quorum_half_rule="at_least_half",
        threshold_by_kind={"primary": "30000"},
    )
    assert row.threshold_by_kind == {"primary": "30000.00"}
    again = actions.settings_save(
        actor=bureau_admin, unit=county["bureau"], large_fund_threshold_yuan=Decimal("80000")
    )
    assert again.pk == row.pk and DecisionSettings.objects.count() == 1
    assert _audits("decisions.settings_save") == 2
    from dangjian.decisions.queries import settings_for

    assert settings_for(county["a"]).large_fund_threshold_yuan == Decimal("80000.00")


def test_settings_change_recomputes_flags(
    county: dict[str, Any], bureau_admin: Any, filed_item: Callable[..., Any]
) -> None:
    item = filed_item()  # Mon for Fri: 4 working days ahead
    assert not item.flag_rows.exists()
    actions.settings_save(
        actor=bureau_admin,
        unit=county["bureau"],
        large_fund_threshold_yuan=Decimal("100000"),
        filing_lead_days=5,
    )
    assert list(item.flag_rows.values_list("code", flat=True)) == ["filed_late"]


def test_category_create_and_update(
    county: dict[str, Any], bureau_admin: Any, discipline: Any
) -> None:
    entry = actions.category_create(
        actor=bureau_admin,
        unit=county["bureau"],
        category="major_project",
        name="校舍维修改造项目",
        examples="教学楼加固、运动场改造",
    )
    assert entry.required_steps == ["investigation", "expert_review", "legality_review"]
    assert entry.bodies == ["party_org_meeting"]
    actions.category_update(
        actor=bureau_admin, entry=entry, staff_congress_required=True, name="校舍改造"
    )
    entry.refresh_from_db()
    assert entry.name == "校舍改造" and entry.staff_congress_required
    with pytest.raises(ActionError, match="「决策会议」"):
        actions.category_update(actor=bureau_admin, entry=entry, bodies=[])
    with pytest.raises(ActionError, match="「必经前置程序」"):
        actions.category_create(
            actor=bureau_admin,
            unit=county["bureau"],
            category="large_fund",
            name="x",
            required_steps=["pray"],
        )
    with pytest.raises(NotAllowed):
        actions.category_create(
            actor=discipline, unit=county["bureau"], category="large_fund", name="x"
        )
    with pytest.raises(ActionError, match="只有教育局或学区"):
        actions.category_create(
            actor=bureau_admin, unit=county["a"], category="large_fund", name="x"
        )
    assert _audits("decisions.category_create") == 1 and _audits("decisions.category_update") == 1


def test_attachment_add(
    make_item: Callable[..., Any],
    decide: Callable[..., Any],
    approved_item: Callable[..., Any],
    secretary_a: Any,
    secretary_b: Any,
) -> None:
    item = make_item()
    att = actions.attachment_add(
        actor=secretary_a, item=item, kind="legality_review", file=pdf("法律顾问意见.pdf")
    )
    assert att.unit == item.unit and att.content_type == "application/pdf"
    with pytest.raises(ActionError, match="「类型」"):
        actions.attachment_add(actor=secretary_a, item=item, kind="minutes", file=pdf())
    with pytest.raises(ActionError, match="一个议题或一次会议"):
        actions.attachment_add(actor=secretary_a, kind="material", file=pdf())
    with pytest.raises(OutOfScope):
        actions.attachment_add(actor=secretary_b, item=item, kind="material", file=pdf())
    meeting = decide(approved_item())
    actions.attachment_add(actor=secretary_a, meeting=meeting, kind="minutes", file=pdf("纪要.pdf"))
    assert meeting.attachments.count() == 1
    assert _audits("decisions.attachment_add") == 2


def test_people_must_belong_to_the_school(
    approved_item: Callable[..., Any],
    decide: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
    system: Any,
) -> None:
    from conftest import make_id_number
    from dangjian.people.actions import person_create

    outsider = person_create(
        actor=system, unit=county["b"], name="外校教师", id_number=make_id_number(901)
    )
    item = approved_item()
    members = [*members_of(party_a["people"]), MemberIn(name="外校教师", person=outsider)]
    with pytest.raises(ActionError, match="第8位成员外校教师不是本校人员或本校党组织班子成员"):
        _record(secretary_a, county, members, DecisionIn(item=item, passed=True))
    assert DecisionMeeting.objects.count() == 0
    # a leadership member registered at another unit counts by their post at the school
    from dangjian.orgs.actions import post_create

    post_create(
        actor=system,
        org=party_a["org"],
        person=outsider,
        title="committee_member",
        started_on=D(2024, 1, 1),
    )
    decide(item, members=members)
    item.refresh_from_db()
    assert item.discussion.meeting.members.count() == 8
    with pytest.raises(ActionError, match="须为本校人员"):
        actions.execution_start(
            actor=secretary_a,
            item=item,
            responsible=outsider,
            responsible_name="",
            due_on=D(2024, 6, 30),
            on=D(2024, 3, 11),
        )
    assert Execution.objects.count() == 0
