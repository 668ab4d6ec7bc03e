"""Every change to party members (audited). Other areas call these: development admits a
member (member_create) and makes them full (member_make_full)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from dangjian.audit.log import record
from dangjian.core.actions_util import assign, field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.core.transitions import move

from .models import PartyMember

MEMBER_FIELDS = {"dues_category", "is_mobile", "joined_on", "full_on"}


def _check_branch(branch: Any) -> None:
    from dangjian.orgs.models import PartyOrg

    if branch.kind not in (
        PartyOrg.Kind.BRANCH,
        PartyOrg.Kind.GENERAL_BRANCH,
        PartyOrg.Kind.COMMITTEE,
    ):
        raise field_error(
            PartyMember, "branch", "「所在支部」：党员应编入党支部（党小组不能直接管理党员）"
        )
    if not branch.is_active or not branch.unit.is_active:
        raise field_error(PartyMember, "branch", "「所在支部」：该党组织已撤销或所在单位已撤并")


@transaction.atomic
def member_create(
    *,
    actor: Any,
    person: Any,
    branch: Any,
    joined_on: dt.date,
    status: str = PartyMember.Status.PROBATIONARY,
    full_on: dt.date | None = None,
    dues_category: str = PartyMember.DuesCategory.ON_POST,
    is_mobile: bool = False,
) -> PartyMember:
    require(actor, "party.member_create", branch.unit)
    require(actor, "people.view", person.unit)
    _check_branch(branch)
    if PartyMember.objects.filter(person=person).exists():
        raise field_error(PartyMember, "person", "「人员」：此人已有党员记录")
    if status not in (PartyMember.Status.PROBATIONARY, PartyMember.Status.FULL):
        raise field_error(PartyMember, "status", "「党员状态」：新党员只能是预备党员或正式党员")
    if status == PartyMember.Status.FULL and full_on is None:
        raise field_error(PartyMember, "full_on", "「转正日期」：正式党员须填写转正日期")
    if full_on is not None and full_on < joined_on:
        raise field_error(PartyMember, "full_on", "「转正日期」：不能早于入党日期")
    member = PartyMember.objects.create(
        person=person,
        branch=branch,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        dues_category=dues_category,
        is_mobile=is_mobile,
    )
    record(actor, "party.member_create", member)
    return member


@transaction.atomic
def member_update(*, actor: Any, member: PartyMember, **changes: Any) -> PartyMember:
    require(actor, "party.member_update", member.branch.unit)
    unknown = set(changes) - MEMBER_FIELDS
    if unknown:
        raise TypeError(f"unknown member fields {unknown}")
    full_on = changes.get("full_on", member.full_on)
    joined_on = changes.get("joined_on", member.joined_on)
    if full_on is not None and full_on < joined_on:
        raise field_error(PartyMember, "full_on", "「转正日期」：不能早于入党日期")
    before = assign(member, changes)
    member.save()
    record(actor, "party.member_update", member, before=before)
    return member


@transaction.atomic
def member_make_full(*, actor: Any, member: PartyMember, full_on: dt.date) -> PartyMember:
    """预备党员转正: the branch meeting's decision date becomes the full-membership date."""
    require(actor, "party.member_status_change", member.branch.unit)
    if full_on < member.joined_on:
        raise field_error(PartyMember, "full_on", "「转正日期」：不能早于入党日期")
    before = assign(member, {})
    move(member, PartyMember.Status.FULL)
    member.full_on = full_on
    member.status_changed_on = full_on
    member.save(update_fields=["status", "full_on", "status_changed_on"])
    record(actor, "party.member_make_full", member, before=before)
    return member


@transaction.atomic
def member_status_change(
    *,
    actor: Any,
    member: PartyMember,
    status: str,
    on: dt.date,
    reason: str,
) -> PartyMember:
    """Suspension, leaving (出党、除名、自行脱党) or death, with date and reason."""
    require(actor, "party.member_status_change", member.branch.unit)
    if status == PartyMember.Status.FULL and member.status == PartyMember.Status.PROBATIONARY:
        raise ActionError("预备党员转正请办理“转正”")
    if not reason.strip():
        raise field_error(PartyMember, "status_reason", "「变更原因」：不能为空")
    before = assign(member, {})
    move(member, status)
    member.status_changed_on = on
    member.status_reason = reason.strip()
    member.save(update_fields=["status", "status_changed_on", "status_reason"])
    record(actor, "party.member_status_change", member, before=before)
    return member
