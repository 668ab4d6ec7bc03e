"""Member and transfer actions: one audit row per change, refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError
from dangjian.core.tests.api_helpers import last_audit_id
from dangjian.orgs.actions import partyorg_create
from dangjian.party import actions
from dangjian.party.models import PartyMember, Transfer

D = dt.date


def audit_actions(since: int) -> list[str]:
    """The actions recorded after `since`, in the order they happened."""
    return list(
        AuditEntry.objects.filter(id__gt=since).order_by("id").values_list("action", flat=True)
    )


@pytest.fixture
def member(make_member, branch_a):
    return make_member(branch_a, "甲党员")


ISSUED = D(2026, 11, 1)


def _transfer(actor, member, to_branch, issued=ISSUED, **kw):
    return actions.transfer_create(
        actor=actor,
        member=member,
        kind="within",
        to_branch=to_branch,
        letter_number="青组转〔2026〕1号",
        issued_on=issued,
        **kw,
    )


# ---- members ----


def test_member_create_writes_one_audit_row(secretary_a, branch_a, make_person):
    person = make_person(branch_a.unit, "王红")
    since = last_audit_id()
    m = actions.member_create(
        actor=secretary_a, person=person, branch=branch_a, joined_on=D(2025, 7, 1)
    )
    assert m.status == PartyMember.Status.PROBATIONARY and m.branch == branch_a
    assert audit_actions(since) == ["party.member_create"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "full"}, "full_on"),
        ({"status": "probationary", "full_on": D(2026, 1, 1)}, "full_on"),
        ({"status": "full", "full_on": D(2010, 1, 1)}, "full_on"),
        ({"status": "left"}, "status"),
        ({"mobile_place": "杭州市"}, "is_mobile"),
    ],
)
def test_member_create_refusals_name_the_field(secretary_a, branch_a, make_person, kwargs, field):
    person = make_person(branch_a.unit)
    before = AuditEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        actions.member_create(
            actor=secretary_a, person=person, branch=branch_a, joined_on=D(2015, 7, 1), **kwargs
        )
    assert exc.value.field == field
    assert AuditEntry.objects.count() == before
    assert not PartyMember.objects.filter(person=person).exists()


def test_member_create_refuses_second_record_and_party_group(
    system, secretary_a, member, branch_a, make_person
):
    with pytest.raises(ActionError, match="已有党员记录"):
        actions.member_create(
            actor=secretary_a, person=member.person, branch=branch_a, joined_on=D(2020, 1, 1)
        )
    group = partyorg_create(
        actor=system, unit=branch_a.unit, name="语文党小组", kind="group", parent=branch_a
    )
    with pytest.raises(ActionError, match="党小组不能直接管理党员"):
        actions.member_create(
            actor=secretary_a,
            person=make_person(branch_a.unit),
            branch=group,
            joined_on=D(2020, 1, 1),
        )


def test_member_create_scope_and_capability(secretary_a, leader, branch_b, make_person):
    person = make_person(branch_b.unit)
    with pytest.raises(Http404):
        actions.member_create(
            actor=secretary_a, person=person, branch=branch_b, joined_on=D(2020, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        actions.member_create(actor=leader, person=person, branch=branch_b, joined_on=D(2020, 1, 1))
    assert not PartyMember.objects.exists()


def test_member_update_make_full_status_change_each_one_row(secretary_a, make_member, branch_a):
    m = make_member(branch_a, status="probationary", joined_on=D(2025, 10, 1))
    since = last_audit_id()
    actions.member_update(actor=secretary_a, member=m, dues_category="retired", is_mobile=True)
    actions.member_make_full(actor=secretary_a, member=m, full_on=D(2026, 10, 1))
    actions.member_status_change(
        actor=secretary_a, member=m, status="suspended", on=D(2026, 11, 2), reason="失联超过6个月"
    )
    assert audit_actions(since) == [
        "party.member_update",
        "party.member_make_full",
        "party.member_status_change",
    ]
    m.refresh_from_db()
    assert (m.status, m.full_on, m.status_reason) == ("suspended", D(2026, 10, 1), "失联超过6个月")


def test_member_refusals_change_nothing(secretary_a, leader, member, assert_unchanged):
    with assert_unchanged(member), pytest.raises(ActionError, match="变更原因"):
        actions.member_status_change(
            actor=secretary_a, member=member, status="left", on=D(2026, 1, 1), reason=" "
        )
    with assert_unchanged(member), pytest.raises(ActionError, match="不能从"):
        actions.member_make_full(actor=secretary_a, member=member, full_on=D(2026, 1, 1))
    with assert_unchanged(member), pytest.raises(ActionError, match="转出本系统"):
        actions.member_status_change(
            actor=secretary_a, member=member, status="transferred_out", on=D(2026, 1, 1), reason="x"
        )
    with assert_unchanged(member), pytest.raises(PermissionDenied):
        actions.member_update(actor=leader, member=member, is_mobile=True)
    with assert_unchanged(member), pytest.raises(ActionError, match="正式党员须填写转正日期"):
        actions.member_update(actor=secretary_a, member=member, full_on=None)


# ---- transfers ----


def test_transfer_within_stays_until_the_receiver_confirms(
    secretary_a, secretary_b, member, branch_a, branch_b
):
    since = last_audit_id()
    t = _transfer(secretary_a, member, branch_b, dues_paid_until=D(2026, 10, 17))
    assert audit_actions(since) == ["party.transfer_create"]
    assert (t.status, t.valid_until, t.dues_paid_until) == (
        "pending",
        D(2027, 2, 1),
        D(2026, 10, 1),
    )
    member.refresh_from_db()
    assert member.branch == branch_a  # never on both rolls, never on none
    # both sides see it
    assert Transfer.objects.for_user(secretary_a).filter(pk=t.pk).exists()
    assert Transfer.objects.for_user(secretary_b).filter(pk=t.pk).exists()
    assert not PartyMember.objects.for_user(secretary_b).filter(pk=member.pk).exists()

    since = last_audit_id()
    actions.transfer_confirm(actor=secretary_b, transfer=t, confirmed_on=D(2026, 11, 10))
    assert audit_actions(since) == ["party.transfer_confirm"]
    entry = AuditEntry.objects.get(id__gt=since)
    assert entry.unit_id == branch_b.unit_id
    member.refresh_from_db()
    assert member.branch == branch_b
    assert PartyMember.objects.for_user(secretary_b).filter(pk=member.pk).exists()
    assert not PartyMember.objects.for_user(secretary_a).filter(pk=member.pk).exists()


def test_only_the_receiving_side_confirms(secretary_a, member, branch_b, assert_unchanged):
    t = _transfer(secretary_a, member, branch_b)
    with assert_unchanged(t), assert_unchanged(member), pytest.raises(Http404):
        actions.transfer_confirm(actor=secretary_a, transfer=t, confirmed_on=D(2026, 11, 10))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"valid_until": D(2027, 6, 1)}, "valid_until"),  # T2: more than 6 months
        ({"valid_until": D(2026, 10, 1)}, "valid_until"),
        ({"letter_number": " "}, "letter_number"),
        ({"to_branch": None}, "to_branch"),
        ({"outside_org": "外单位"}, "outside_org"),
    ],
)
def test_transfer_create_refusals(secretary_a, member, branch_b, kwargs, field, assert_unchanged):
    data = {
        "kind": "within",
        "to_branch": branch_b,
        "letter_number": "青组转〔2026〕2号",
        "issued_on": D(2026, 11, 1),
        **kwargs,
    }
    before = Transfer.objects.count()
    with assert_unchanged(member), pytest.raises(ActionError) as exc:
        actions.transfer_create(actor=secretary_a, member=member, **data)
    assert exc.value.field == field
    assert Transfer.objects.count() == before


def test_transfer_create_refuses_own_branch_second_letter_and_out_without_org(
    secretary_a, member, branch_a, branch_b
):
    with pytest.raises(ActionError, match="现在所在的党组织"):
        _transfer(secretary_a, member, branch_a)
    _transfer(secretary_a, member, branch_b)
    with pytest.raises(ActionError, match="已有待接收"):
        _transfer(secretary_a, member, branch_b)
    with pytest.raises(ActionError, match="系统外党组织"):
        actions.transfer_create(
            actor=secretary_a,
            member=member,
            kind="out",
            letter_number="x",
            issued_on=D(2026, 11, 1),
        )
    with pytest.raises(ActionError, match="待接收的组织关系转接"):
        actions.member_status_change(
            actor=secretary_a, member=member, status="left", on=D(2026, 11, 2), reason="出党"
        )


def test_expired_letter_cannot_be_confirmed_and_reissue_needs_a_note(
    secretary_a, secretary_b, member, branch_b, assert_unchanged
):
    t = _transfer(secretary_a, member, branch_b, issued=D(2024, 3, 10))
    assert t.valid_until == D(2024, 6, 10)  # T1
    with assert_unchanged(t), pytest.raises(ActionError, match="已逾期"):
        actions.transfer_confirm(actor=secretary_b, transfer=t, confirmed_on=D(2024, 6, 11))
    with assert_unchanged(t), pytest.raises(ActionError, match="尚未逾期"):
        actions.transfer_expire(actor=secretary_a, transfer=t, today=D(2024, 6, 10))
    since = last_audit_id()
    actions.transfer_expire(actor=secretary_b, transfer=t, today=D(2024, 6, 11))  # T3
    assert audit_actions(since) == ["party.transfer_expire"]
    assert t.status == "expired"
    with pytest.raises(ActionError) as exc:
        _transfer(secretary_a, member, branch_b, issued=D(2024, 7, 1))
    assert exc.value.field == "reissue_note"
    again = _transfer(
        secretary_a, member, branch_b, issued=D(2024, 7, 1), reissue_note="党员病休，未能按期报到"
    )
    assert again.status == "pending"


def test_either_side_cancels_with_a_reason(secretary_a, secretary_b, leader, member, branch_b):
    t = _transfer(secretary_a, member, branch_b)
    with pytest.raises(PermissionDenied):
        actions.transfer_cancel(actor=leader, transfer=t, on=D(2026, 11, 5), reason="x")
    with pytest.raises(ActionError, match="撤销原因"):
        actions.transfer_cancel(actor=secretary_b, transfer=t, on=D(2026, 11, 5), reason="")
    since = last_audit_id()
    actions.transfer_cancel(actor=secretary_b, transfer=t, on=D(2026, 11, 5), reason="退回：未报到")
    assert audit_actions(since) == ["party.transfer_cancel"]
    with pytest.raises(ActionError, match="不能再接收"):
        actions.transfer_confirm(actor=secretary_b, transfer=t, confirmed_on=D(2026, 11, 6))


def test_out_and_back_in_from_outside(secretary_a, member, branch_a):
    t = actions.transfer_create(
        actor=secretary_a,
        member=member,
        kind="out",
        outside_org="中共南湖区实验学校支部委员会",
        letter_number="青组转〔2026〕9号",
        issued_on=D(2026, 3, 1),
    )
    actions.transfer_confirm(actor=secretary_a, transfer=t, confirmed_on=D(2026, 3, 20))
    member.refresh_from_db()
    assert member.status == "transferred_out" and member.branch == branch_a
    since = last_audit_id()
    back = actions.transfer_in_from_outside(
        actor=secretary_a,
        person=member.person,
        to_branch=branch_a,
        outside_org="中共南湖区实验学校支部委员会",
        letter_number="南组转〔2026〕3号",
        issued_on=D(2026, 9, 1),
        received_on=D(2026, 9, 10),
        joined_on=member.joined_on,
        full_on=member.full_on,
    )
    assert audit_actions(since) == ["party.member_update", "party.transfer_in"]
    member.refresh_from_db()
    assert member.status == "full" and back.kind == "in" and back.status == "confirmed"


def test_transfer_in_from_outside_creates_the_member(secretary_a, branch_a, make_person):
    person = make_person(branch_a.unit, "新调入")
    since = last_audit_id()
    t = actions.transfer_in_from_outside(
        actor=secretary_a,
        person=person,
        to_branch=branch_a,
        outside_org="中共青山市第五中学支部委员会",
        letter_number="青市组转〔2026〕5号",
        issued_on=D(2026, 8, 20),
        received_on=D(2026, 9, 1),
        joined_on=D(2012, 6, 1),
        full_on=D(2013, 6, 1),
        dues_paid_until=D(2026, 8, 1),
    )
    assert audit_actions(since) == ["party.member_create", "party.transfer_in"]
    assert t.member.branch == branch_a and t.from_branch is None and t.confirmed_on == D(2026, 9, 1)


def test_transfer_in_refuses_expired_letter(secretary_a, branch_a, make_person):
    person = make_person(branch_a.unit)
    with pytest.raises(ActionError, match="已逾期"):
        actions.transfer_in_from_outside(
            actor=secretary_a,
            person=person,
            to_branch=branch_a,
            outside_org="外单位党支部",
            letter_number="x1",
            issued_on=D(2026, 1, 1),
            valid_until=D(2026, 2, 1),
            received_on=D(2026, 2, 2),
            joined_on=D(2012, 6, 1),
            full_on=D(2013, 6, 1),
        )
    assert not PartyMember.objects.filter(person=person).exists()
    assert not Transfer.objects.exists()
