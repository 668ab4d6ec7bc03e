"""Each flag through the actions: a case that raises it and one that does not; stored rows and
the date-dependent execution_overdue read as of a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from dangjian.decisions import actions, queries
from dangjian.decisions.actions import DecisionIn, OpinionIn, RecusalIn
from dangjian.decisions.models import AgendaItem, ItemFlag

from .conftest import FILED, MEETING

D = dt.date
pytestmark = pytest.mark.django_db


def codes(item: AgendaItem) -> set[str]:
    return set(ItemFlag.objects.filter(item=item).values_list("code", flat=True))


def _meeting(
    secretary_a: Any,
    county: dict[str, Any],
    members: list[Any],
    decision: DecisionIn,
    **kw: Any,
) -> Any:
    return actions.meeting_record(
        actor=secretary_a,
        unit=county["a"],
        body=kw.pop("body", "party_org_meeting"),
        held_on=kw.pop("held_on", MEETING),
        members=members,
        items=[decision],
        **kw,
    )


def _all_votes(members: list[Any]) -> dict[str, Any]:
    return {
        "votes_yes": sum(1 for m in members if m.present),
        "votes_no": 0,
        "votes_abstain": 0,
    }


def _order(members: list[Any], chair_last: bool = True) -> list[OpinionIn]:
    present = [n for n, m in enumerate(members) if m.present and n != 0]
    return [OpinionIn(member=n) for n in ([*present, 0] if chair_last else [0, *present])]


# ---- before the meeting --------------------------------------------------------------------


def test_filed_late(filed_item: Callable[..., Any]) -> None:
    late = filed_item(on=D(2024, 3, 6))  # Wed for Fri: 2 working days
    assert codes(late) == {"filed_late"}
    row = late.flag_rows.get()
    assert row.detail == "应提前3个工作日，实际提前2个工作日" and row.severity == "warning"
    assert row.rule.startswith("【规则5.3】")
    assert codes(filed_item(on=D(2024, 3, 5))) == set()  # Tue for Fri: 3 working days


def test_missing_steps(
    filed_item: Callable[..., Any], county: dict[str, Any], bureau_admin: Any
) -> None:
    item = filed_item(steps_done=["investigation"])
    assert codes(item) == {"missing_steps"}
    assert "征求意见" in item.flag_rows.get().detail
    assert (
        codes(filed_item(title="完整", steps_done=["investigation", "opinions", "party_preview"]))
        == set()
    )
    # the catalogue entry decides: staff congress required
    entry = actions.category_create(
        actor=bureau_admin,
        unit=county["bureau"],
        category="major_matter",
        name="绩效工资分配方案",
        required_steps=["opinions"],
        staff_congress_required=True,
    )
    item = filed_item(title="绩效方案", subcategory=entry, steps_done=["opinions"])
    assert codes(item) == {"missing_steps"} and "教代会审议" in item.flag_rows.get().detail
    item = filed_item(
        title="绩效方案二", subcategory=entry, steps_done=["opinions", "staff_congress"]
    )
    assert codes(item) == set()


# ---- at the meeting ------------------------------------------------------------------------


def test_not_filed_in_advance(
    make_item: Callable[..., Any], approved_item: Callable[..., Any], decide: Callable[..., Any]
) -> None:
    unfiled = make_item()
    decide(unfiled)
    assert codes(unfiled) == {"not_filed_in_advance"}
    clean = approved_item(title="按时报备")
    decide(clean, held_on=D(2024, 3, 11))
    assert codes(clean) == set()


def test_filed_on_meeting_day_is_not_in_advance(
    filed_item: Callable[..., Any], decide: Callable[..., Any]
) -> None:
    item = filed_item(on=MEETING)
    decide(item)
    assert codes(item) == {"not_filed_in_advance", "filed_late"}
    row = item.flag_rows.get(code="not_filed_in_advance")
    assert row.detail == "报备后未经审核同意即提交会议"


def test_refiled_and_approved_on_the_meeting_day_is_filed_late(
    filed_item: Callable[..., Any],
    decide: Callable[..., Any],
    secretary_a: Any,
    bureau_admin: Any,
) -> None:
    """Filed, returned, re-filed and approved on the day of the meeting, planned for later:
    short lead time (counted to the real meeting day), not "not filed in advance"."""
    item = filed_item(on=D(2024, 3, 7), planned_meeting_on=D(2024, 3, 22))
    actions.item_return(actor=bureau_admin, item=item, opinion="补充材料", on=D(2024, 3, 7))
    actions.item_file(actor=secretary_a, item=item, on=MEETING)
    actions.item_approve(actor=bureau_admin, item=item, on=MEETING)
    assert codes(item) == set()  # 10 working days ahead of the planned date
    decide(item)
    item.refresh_from_db()
    assert codes(item) == {"filed_late"}
    assert item.flag_rows.get().detail == "应提前3个工作日，实际提前0个工作日"


@pytest.mark.parametrize(
    ("category", "present", "raised"),
    [
        ("major_matter", 4, False),  # M1
        ("major_matter", 3, True),  # M2
        ("cadre_appointment", 4, True),  # M4
        ("cadre_appointment", 5, False),
    ],
)
def test_no_quorum(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
    category: str,
    present: int,
    raised: bool,
) -> None:
    steps = {"major_matter": ["investigation", "opinions", "party_preview"]}
    item = approved_item(
        category=category, steps_done=steps.get(category, ["opinions", "party_preview"])
    )
    members = members_of(party_a["people"], present=present)
    votes: dict[str, Any] = {"votes_yes": present, "votes_no": 0, "votes_abstain": 0}
    _meeting(secretary_a, county, members, DecisionIn(item=item, opinions=_order(members), **votes))
    assert ("no_quorum" in codes(item)) is raised
    assert codes(item) - {"no_quorum"} == set()


def test_no_quorum_follows_the_setting(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
    bureau_admin: Any,
) -> None:
    """M9: six members, three present — flagged by default, not under at_least_half."""
    item = approved_item()
    members = members_of(party_a["people"][:6], present=3)
    votes: dict[str, Any] = {"votes_yes": 3, "votes_no": 0, "votes_abstain": 0}
    _meeting(
        secretary_a,
        county,
        members,
        DecisionIn(item=item, opinions=_order(members), passed=None, **votes),
    )
    item.refresh_from_db()
    assert "no_quorum" in codes(item)
    assert item.status == "not_passed"  # 3 yes of 6 due is not more than half
    actions.settings_save(
        actor=bureau_admin,
        unit=county["bureau"],
        large_fund_threshold_yuan=Decimal("100000"),
        quorum_half_rule="at_least_half",
    )
    assert "no_quorum" not in codes(item)


def test_chief_not_last(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
) -> None:
    members = members_of(party_a["people"])
    first = approved_item()
    _meeting(
        secretary_a,
        county,
        members,
        DecisionIn(item=first, opinions=_order(members, False), **_all_votes(members)),
    )
    assert codes(first) == {"chief_not_last"}
    assert first.flag_rows.get().detail == "主持人第1个发言，共7人"
    silent = approved_item(title="未记录发言")
    _meeting(secretary_a, county, members, DecisionIn(item=silent, **_all_votes(members)))
    assert codes(silent) == {"chief_not_last"}
    last = approved_item(title="末位表态")
    _meeting(
        secretary_a,
        county,
        members,
        DecisionIn(item=last, opinions=_order(members), **_all_votes(members)),
    )
    assert codes(last) == set()


def test_recusal_breach(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
) -> None:
    members = members_of(party_a["people"])
    stayed = approved_item(category="cadre_appointment", steps_done=["opinions", "party_preview"])
    decision = DecisionIn(
        item=stayed,
        recusals=[RecusalIn(member=3, reason="拟任人选为其配偶", withdrew=False)],
        opinions=_order(members),
        **_all_votes(members),
    )
    _meeting(secretary_a, county, members, decision)
    assert codes(stayed) == {"recusal_breach"}
    assert stayed.flag_rows.get().detail == "刘委员应回避但参加了讨论/表决"
    # withdrew, but put in the speaking order: refused, naming the item, row and member
    spoke = approved_item(
        title="发言", category="cadre_appointment", steps_done=["opinions", "party_preview"]
    )
    decision = DecisionIn(
        item=spoke,
        recusals=[RecusalIn(member=3, reason="亲属")],
        opinions=_order(members),
        votes_yes=6,
        votes_no=0,
        votes_abstain=0,
    )
    with pytest.raises(actions.ActionError) as refused:
        _meeting(secretary_a, county, members, decision)
    assert "第1个议题「发言」第3位发言的刘委员已登记离场回避" in str(refused.value)
    # and seven votes where one of seven withdrew
    decision = DecisionIn(
        item=spoke,
        recusals=[RecusalIn(member=3, reason="亲属")],
        opinions=[o for o in _order(members) if o.member != 3],
        **_all_votes(members),
    )
    with pytest.raises(actions.ActionError) as refused:
        _meeting(secretary_a, county, members, decision)
    assert "已离场回避的1人不参加表决" in str(refused.value)
    # withdrew and stayed silent: clean
    decision = DecisionIn(
        item=spoke,
        recusals=[RecusalIn(member=3, reason="亲属")],
        opinions=[o for o in _order(members) if o.member != 3],
        votes_yes=6,
        votes_no=0,
        votes_abstain=0,
    )
    _meeting(secretary_a, county, members, decision)
    assert codes(spoke) == set()
    # withdrew properly: no speech, six voters
    proper = approved_item(
        title="回避", category="cadre_appointment", steps_done=["opinions", "party_preview"]
    )
    opinions = [o for o in _order(members) if o.member != 3]
    decision = DecisionIn(
        item=proper,
        recusals=[RecusalIn(member=3, reason="亲属")],
        opinions=opinions,
        votes_yes=6,
        votes_no=0,
        votes_abstain=0,
    )
    _meeting(secretary_a, county, members, decision)
    assert codes(proper) == set()


def test_chair_recused_need_not_speak_last(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
) -> None:
    members = members_of(party_a["people"])
    item = approved_item()
    decision = DecisionIn(
        item=item,
        recusals=[RecusalIn(member=0, reason="本人亲属")],
        opinions=[OpinionIn(member=n) for n in range(1, 7)],
        votes_yes=6,
        votes_no=0,
        votes_abstain=0,
    )
    _meeting(secretary_a, county, members, decision)
    assert codes(item) == set()


def test_vote_not_recorded(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
) -> None:
    members = members_of(party_a["people"])
    item = approved_item()
    _meeting(
        secretary_a, county, members, DecisionIn(item=item, opinions=_order(members), passed=True)
    )
    assert codes(item) == {"vote_not_recorded"}
    counted = approved_item(title="计票")
    _meeting(
        secretary_a,
        county,
        members,
        DecisionIn(item=counted, opinions=_order(members), **_all_votes(members)),
    )
    assert codes(counted) == set()


def test_no_meeting(
    approved_item: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
    decide: Callable[..., Any],
) -> None:
    item = approved_item()
    _meeting(secretary_a, county, [], DecisionIn(item=item, passed=True), mode="individual")
    assert codes(item) == {"no_meeting"}
    met = approved_item(title="开会")
    decide(met)
    assert codes(met) == set()


def test_large_fund_not_collective(
    approved_item: Callable[..., Any],
    party_a: dict[str, Any],
    members_of: Callable[..., Any],
    secretary_a: Any,
    county: dict[str, Any],
    decide: Callable[..., Any],
) -> None:
    fund = {"category": "large_fund", "steps_done": ["investigation", "legality_review"]}
    office = approved_item(
        amount=Decimal("100000.00"), planned_body="principal_office_meeting", **fund
    )  # M5
    members = members_of(party_a["people"][1:6])
    members = [m.__class__(**{**m.__dict__, "is_chair": n == 0}) for n, m in enumerate(members)]
    _meeting(
        secretary_a,
        county,
        members,
        DecisionIn(item=office, opinions=_order(members), **_all_votes(members)),
        body="principal_office_meeting",
    )
    assert codes(office) == {"large_fund_not_collective"}
    small = approved_item(title="小额", amount=Decimal("99999.99"), **fund)
    _meeting(
        secretary_a,
        county,
        members,
        DecisionIn(item=small, opinions=_order(members), **_all_votes(members)),
        body="principal_office_meeting",
    )
    assert codes(small) == set()
    party = approved_item(title="党委会", amount=Decimal("300000"), **fund)
    decide(party)
    assert codes(party) == set()


def test_possible_splitting(
    approved_item: Callable[..., Any], make_item: Callable[..., Any], secretary_a: Any
) -> None:
    """M6: 60000 + 50000 to the same payee ten days apart; both are flagged once the second is
    filed, and the draft alone flags nothing."""
    fund = {"category": "large_fund", "steps_done": ["investigation", "legality_review"]}
    first = approved_item(amount=Decimal("60000"), payee="鑫达装饰公司", **fund)
    assert codes(first) == set()
    second = make_item(
        title="第二笔",
        amount=Decimal("50000"),
        payee="鑫达装饰公司",
        planned_meeting_on=D(2024, 3, 20),
        **fund,
    )
    assert codes(second) == set() and codes(first) == set()
    actions.item_file(actor=secretary_a, item=second, on=D(2024, 3, 14))
    assert codes(second) == {"possible_splitting"}
    assert codes(first) == {"possible_splitting"}
    other = approved_item(title="另一家", amount=Decimal("50000"), payee="宏远公司", **fund)
    assert codes(other) == set()
    # changing the payee away clears the peer too
    actions.item_return(actor=_reviewer(), item=second, opinion="核实收款方", on=D(2024, 3, 14))
    actions.item_update(actor=secretary_a, item=second, payee="宏达公司")
    assert codes(first) == set()


def _reviewer() -> Any:
    from dangjian.accounts.models import User

    return User.objects.get(username="bureau_admin")


def test_execution_overdue_is_read_as_of_a_day(
    approved_item: Callable[..., Any], decide: Callable[..., Any], secretary_a: Any
) -> None:
    item = approved_item()
    decide(item)
    item.refresh_from_db()
    execution = actions.execution_start(
        actor=secretary_a,
        item=item,
        responsible_name="李校长",
        due_on=D(2024, 6, 30),
        on=D(2024, 3, 11),
    )
    row = item.flag_rows.get()
    assert (row.code, row.since, row.until) == ("execution_overdue", D(2024, 7, 1), None)
    qs = AgendaItem.objects.filter(pk=item.pk)
    assert not queries.with_flag(qs, "execution_overdue", D(2024, 6, 30)).exists()
    assert queries.with_flag(qs, "execution_overdue", D(2024, 7, 1)).exists()
    assert (
        queries.flagged(qs, D(2024, 7, 1)).exists()
        and not queries.flagged(qs, D(2024, 6, 1)).exists()
    )
    assert queries.todo_filter(qs, "execution_overdue", D(2024, 7, 2)).exists()
    listed = queries.items_for(secretary_a).get(pk=item.pk)
    assert [f.code for f in listed.active_flags(D(2024, 7, 1))] == ["execution_overdue"]
    assert listed.active_flags(D(2024, 6, 1)) == []
    actions.execution_complete(
        actor=secretary_a,
        execution=execution,
        report="完成",
        evidence_note="存档",
        on=D(2024, 7, 10),
    )
    row = item.flag_rows.get()
    assert (row.since, row.until) == (D(2024, 7, 1), D(2024, 7, 10))
    assert queries.with_flag(qs, "execution_overdue", D(2024, 7, 5)).exists()
    assert not queries.with_flag(qs, "execution_overdue", D(2024, 7, 10)).exists()


def test_execution_on_time_never_flagged(
    approved_item: Callable[..., Any], decide: Callable[..., Any], secretary_a: Any
) -> None:
    item = approved_item()
    decide(item)
    item.refresh_from_db()
    execution = actions.execution_start(
        actor=secretary_a,
        item=item,
        responsible_name="李校长",
        due_on=D(2024, 6, 30),
        on=D(2024, 3, 11),
    )
    actions.execution_complete(
        actor=secretary_a,
        execution=execution,
        report="完成",
        evidence_note="存档",
        on=D(2024, 6, 30),
    )
    assert codes(item) == set()


def test_flag_counts(
    filed_item: Callable[..., Any],
    make_item: Callable[..., Any],
    decide: Callable[..., Any],
    secretary_a: Any,
) -> None:
    filed_item(on=D(2024, 3, 6))
    filed_item(on=D(2024, 3, 7), steps_done=[])
    decide(make_item(title="未报备"))
    qs = AgendaItem.objects.for_user(secretary_a)
    assert queries.flag_counts(qs, FILED) == {
        "filed_late": 2,
        "missing_steps": 1,
        "not_filed_in_advance": 1,
    }
    assert queries.flagged(qs, FILED).count() == 3
    assert queries.flagged(qs, FILED, severity="warning").count() == 2
    assert queries.unflagged(qs, FILED).count() == 0
