"""Every change to party members and their transfers (audited). Other areas call these:
development admits a member (member_create) and makes them full (member_make_full)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction

from dangjian.audit.log import record, snapshot
from dangjian.core.actions_util import assign, field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import has_capability, in_scope, require
from dangjian.core.transitions import move

from . import rules
from .models import PartyMember, Transfer

MEMBER_FIELDS = {
    "dues_category",
    "is_mobile",
    "joined_on",
    "full_on",
    "mobile_since",
    "mobile_place",
}


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
    mobile_since: dt.date | None = None,
    mobile_place: str = "",
) -> PartyMember:
    require(actor, "party.member_create", branch.unit)
    require(actor, "people.view", person.unit)
    member = _new_member(
        person=person,
        branch=branch,
        joined_on=joined_on,
        status=status,
        full_on=full_on,
        dues_category=dues_category,
        is_mobile=is_mobile,
        mobile_since=mobile_since,
        mobile_place=mobile_place,
    )
    record(actor, "party.member_create", member)
    return member


def _check_dates(status: str, joined_on: dt.date, full_on: dt.date | None) -> None:
    if status not in (PartyMember.Status.PROBATIONARY, PartyMember.Status.FULL):
        raise field_error(PartyMember, "status", "「党员状态」：新党员只能是预备党员或正式党员")
    if status == PartyMember.Status.FULL and full_on is None:
        raise field_error(PartyMember, "full_on", "「转正日期」：正式党员须填写转正日期")
    if status == PartyMember.Status.PROBATIONARY and full_on is not None:
        raise field_error(PartyMember, "full_on", "「转正日期」：预备党员不填转正日期")
    if full_on is not None and full_on < joined_on:
        raise field_error(PartyMember, "full_on", "「转正日期」：不能早于入党日期")


def _check_mobile(is_mobile: bool, mobile_since: dt.date | None, mobile_place: str) -> None:
    if not is_mobile and (mobile_since is not None or mobile_place.strip()):
        raise field_error(
            PartyMember, "is_mobile", "「流动党员」：填写外出日期或地点的，须标记为流动党员"
        )


def _new_member(
    *,
    person: Any,
    branch: Any,
    joined_on: dt.date,
    status: str,
    full_on: dt.date | None,
    dues_category: str,
    is_mobile: bool,
    mobile_since: dt.date | None = None,
    mobile_place: str = "",
) -> PartyMember:
    _check_branch(branch)
    if PartyMember.objects.filter(person=person).exists():
        raise field_error(PartyMember, "person", "「人员」：此人已有党员记录")
    _check_dates(status, joined_on, full_on)
    _check_mobile(is_mobile, mobile_since, mobile_place)
    return PartyMember.objects.create(
        person=person,
        branch=branch,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        dues_category=dues_category,
        is_mobile=is_mobile,
        mobile_since=mobile_since,
        mobile_place=mobile_place.strip(),
    )


@transaction.atomic
def member_update(*, actor: Any, member: PartyMember, **changes: Any) -> PartyMember:
    require(actor, "party.member_update", member.branch.unit)
    unknown = set(changes) - MEMBER_FIELDS
    if unknown:
        raise TypeError(f"unknown member fields {unknown}")
    if not member.is_active:
        raise ActionError(f"该党员{member.get_status_display()}，记录只读")
    full_on = changes.get("full_on", member.full_on)
    joined_on = changes.get("joined_on", member.joined_on)
    if full_on is not None and full_on < joined_on:
        raise field_error(PartyMember, "full_on", "「转正日期」：不能早于入党日期")
    if member.status == PartyMember.Status.FULL and full_on is None:
        raise field_error(PartyMember, "full_on", "「转正日期」：正式党员须填写转正日期")
    if member.status == PartyMember.Status.PROBATIONARY and full_on is not None:
        raise field_error(PartyMember, "full_on", "「转正日期」：预备党员转正请办理“转正”")
    _check_mobile(
        changes.get("is_mobile", member.is_mobile),
        changes.get("mobile_since", member.mobile_since),
        changes.get("mobile_place", member.mobile_place),
    )
    before = assign(member, changes)
    member.save()
    record(actor, "party.member_update", member, before=before)
    return member


@transaction.atomic
def member_make_full(*, actor: Any, member: PartyMember, full_on: dt.date) -> PartyMember:
    """预备党员转正: full_on is the end of probation (党龄 runs from it, RULES.md §2), even when the
    branch meeting and the approval come later."""
    require(actor, "party.member_make_full", member.branch.unit)
    earliest = rules.probation_ends(member.joined_on)
    if full_on < earliest:
        raise field_error(
            PartyMember,
            "full_on",
            f"「转正日期」：预备期为一年（党章第七条），{member.joined_on.year}年"
            f"{member.joined_on.month}月{member.joined_on.day}日入党，最早于"
            f"{earliest.year}年{earliest.month}月{earliest.day}日预备期满时转正",
        )
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
    if status == PartyMember.Status.TRANSFERRED_OUT:
        raise ActionError("转出本系统请办理组织关系转接")
    if on < member.joined_on:
        raise field_error(PartyMember, "status_changed_on", "「状态变更日期」：不能早于入党日期")
    if _pending(member) is not None:
        raise ActionError("该党员有待接收的组织关系转接，请先办结或撤销")
    if not reason.strip():
        raise field_error(PartyMember, "status_reason", "「变更原因」：不能为空")
    before = assign(member, {})
    move(member, status)
    member.status_changed_on = on
    member.status_reason = reason.strip()
    member.save(update_fields=["status", "status_changed_on", "status_reason"])
    record(actor, "party.member_status_change", member, before=before)
    return member


# ---- transfers (组织关系转接, RULES.md §4) ----


def _pending(member: PartyMember) -> Transfer | None:
    return member.transfers.filter(status=Transfer.Status.PENDING).first()


def _letter_months() -> tuple[int, int]:
    return (
        int(getattr(settings, "TRANSFER_LETTER_DEFAULT_MONTHS", rules.LETTER_DEFAULT_MONTHS)),
        int(getattr(settings, "TRANSFER_LETTER_MAX_MONTHS", rules.LETTER_MAX_MONTHS)),
    )


def _letter(issued_on: dt.date, valid_until: dt.date | None, letter_number: str) -> dt.date:
    default_months, max_months = _letter_months()
    if not letter_number.strip():
        raise field_error(Transfer, "letter_number", "「介绍信编号」：不能为空")
    if valid_until is None:
        return rules.default_valid_until(issued_on, default_months)
    error = rules.valid_until_error(issued_on, valid_until, max_months)
    if error:
        raise field_error(Transfer, "valid_until", f"「有效期至」：{error}")
    return valid_until


def _month(d: dt.date | None) -> dt.date | None:
    return d.replace(day=1) if d is not None else None


@transaction.atomic
def transfer_create(
    *,
    actor: Any,
    member: PartyMember,
    kind: str,
    letter_number: str,
    issued_on: dt.date,
    to_branch: Any = None,
    outside_org: str = "",
    valid_until: dt.date | None = None,
    reason: str = "",
    dues_paid_until: dt.date | None = None,
    reissue_note: str = "",
) -> Transfer:
    """The sending branch issues the letter; the member stays on its roll until confirmed."""
    require(actor, "party.transfer_create", member.branch.unit)
    if not member.is_active:
        raise ActionError(f"该党员{member.get_status_display()}，不能转接组织关系")
    if kind == Transfer.Kind.WITHIN:
        if to_branch is None:
            raise field_error(Transfer, "to_branch", "「转入党组织」：不能为空")
        if outside_org.strip():
            raise field_error(Transfer, "outside_org", "「系统外党组织」：系统内转接不填")
        try:
            _check_branch(to_branch)
        except ActionError as exc:
            raise field_error(
                Transfer, "to_branch", exc.message.replace("所在支部", "转入党组织")
            ) from exc
        if to_branch.pk == member.branch_id:
            raise field_error(Transfer, "to_branch", "「转入党组织」：不能是党员现在所在的党组织")
    elif kind == Transfer.Kind.OUT:
        if to_branch is not None:
            raise field_error(Transfer, "to_branch", "「转入党组织」：转出本系统的不选本系统党组织")
        if not outside_org.strip():
            raise field_error(Transfer, "outside_org", "「系统外党组织」：请填写接收的党组织")
    else:
        raise field_error(Transfer, "kind", "「转接类型」：只能开具系统内转接或转出本系统")
    valid_until = _letter(issued_on, valid_until, letter_number)
    if issued_on < member.joined_on:
        raise field_error(Transfer, "issued_on", "「开具日期」：不能早于入党日期")
    if _pending(member) is not None:
        raise ActionError("该党员已有待接收的组织关系转接，请先办结或撤销")
    expired_before = member.transfers.filter(status=Transfer.Status.EXPIRED).exists()
    if expired_before and not reissue_note.strip():
        raise field_error(
            Transfer,
            "reissue_note",
            "「超期重开说明」：前一封介绍信已逾期，重新开具须由党支部说明超期原因",
        )
    transfer = Transfer.objects.create(
        member=member,
        kind=kind,
        from_branch=member.branch,
        to_branch=to_branch,
        outside_org=outside_org.strip(),
        letter_number=letter_number.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        dues_paid_until=_month(dues_paid_until),
        reason=reason.strip(),
        reissue_note=reissue_note.strip(),
    )
    record(actor, "party.transfer_create", transfer)
    return transfer


def _require_either_side(actor: Any, capability: str, transfer: Transfer) -> None:
    """Either branch of the transfer may act; out of both subtrees → 404, else → 403."""
    units = [b.unit for b in (transfer.from_branch, transfer.to_branch) if b is not None]
    if any(has_capability(actor, capability, u) for u in units):
        return
    seen = [u for u in units if in_scope(actor, u)]
    require(actor, capability, seen[0] if seen else units[0])


def _receiving_unit(transfer: Transfer) -> Any:
    """Who confirms: the receiving branch inside; the sender records an outside org's receipt."""
    branch = transfer.to_branch if transfer.kind == Transfer.Kind.WITHIN else transfer.from_branch
    return branch.unit  # type: ignore[union-attr]


@transaction.atomic
def transfer_confirm(*, actor: Any, transfer: Transfer, confirmed_on: dt.date) -> Transfer:
    """The receiving side accepts: only now does the member leave the sending roll."""
    unit = _receiving_unit(transfer)
    require(actor, "party.transfer_confirm", unit)
    if transfer.status != Transfer.Status.PENDING:
        raise ActionError(f"该转接{transfer.get_status_display()}，不能再接收")
    if confirmed_on < transfer.issued_on:
        raise field_error(Transfer, "confirmed_on", "「接收日期」：不能早于开具日期")
    if rules.letter_expired(transfer.valid_until, confirmed_on):
        raise field_error(
            Transfer,
            "confirmed_on",
            f"「接收日期」：介绍信有效期至{transfer.valid_until:%Y年%m月%d日}，已逾期，"
            "请转出党支部撤销后重新开具",
        )
    member = PartyMember.objects.select_for_update().get(pk=transfer.member_id)
    member_before = snapshot(member)
    before = snapshot(transfer)
    move(transfer, Transfer.Status.CONFIRMED)
    transfer.confirmed_on = confirmed_on
    transfer.save(update_fields=["status", "confirmed_on"])
    if transfer.kind == Transfer.Kind.WITHIN:
        member.branch = transfer.to_branch  # type: ignore[assignment]
        member.save(update_fields=["branch"])
    else:
        move(member, PartyMember.Status.TRANSFERRED_OUT)
        member.status_changed_on = confirmed_on
        member.status_reason = f"组织关系转至{transfer.outside_org}"
        member.save(update_fields=["status", "status_changed_on", "status_reason"])
    record(
        actor,
        "party.transfer_confirm",
        transfer,
        before={"transfer": before, "member": member_before},
        after={"transfer": snapshot(transfer), "member": snapshot(member)},
        unit=unit,
    )
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer: Transfer, on: dt.date, reason: str) -> Transfer:
    """撤销 by the sending side, or 退回 by the receiving branch, with the reason."""
    _require_either_side(actor, "party.transfer_cancel", transfer)
    if transfer.status != Transfer.Status.PENDING:
        raise ActionError(f"该转接{transfer.get_status_display()}，不能撤销")
    if not reason.strip():
        raise field_error(Transfer, "close_reason", "「撤销原因」：不能为空")
    if on < transfer.issued_on:
        raise field_error(Transfer, "closed_on", "「撤销/逾期日期」：不能早于开具日期")
    before = snapshot(transfer)
    move(transfer, Transfer.Status.CANCELLED)
    transfer.closed_on = on
    transfer.close_reason = reason.strip()
    transfer.save(update_fields=["status", "closed_on", "close_reason"])
    record(actor, "party.transfer_cancel", transfer, before=before)
    return transfer


@transaction.atomic
def transfer_expire(*, actor: Any, transfer: Transfer, today: dt.date) -> Transfer:
    """Record that the letter ran out unaccepted (RULES.md T3); a new letter needs a note."""
    _require_either_side(actor, "party.transfer_expire", transfer)
    if transfer.status != Transfer.Status.PENDING:
        raise ActionError(f"该转接{transfer.get_status_display()}")
    if not rules.letter_expired(transfer.valid_until, today):
        raise ActionError(f"介绍信有效期至{transfer.valid_until:%Y年%m月%d日}，尚未逾期")
    before = snapshot(transfer)
    move(transfer, Transfer.Status.EXPIRED)
    transfer.closed_on = today
    transfer.save(update_fields=["status", "closed_on"])
    record(actor, "party.transfer_expire", transfer, before=before)
    return transfer


@transaction.atomic
def transfer_in_from_outside(
    *,
    actor: Any,
    person: Any,
    to_branch: Any,
    outside_org: str,
    letter_number: str,
    issued_on: dt.date,
    received_on: dt.date,
    joined_on: dt.date,
    status: str = PartyMember.Status.FULL,
    full_on: dt.date | None = None,
    valid_until: dt.date | None = None,
    dues_category: str = PartyMember.DuesCategory.ON_POST,
    dues_paid_until: dt.date | None = None,
    reason: str = "",
) -> Transfer:
    """A letter from an org outside the platform: the member joins the receiving branch."""
    require(actor, "party.transfer_in", to_branch.unit)
    require(actor, "people.view", person.unit)
    if not outside_org.strip():
        raise field_error(Transfer, "outside_org", "「系统外党组织」：请填写转出的党组织")
    valid_until = _letter(issued_on, valid_until, letter_number)
    if received_on < issued_on:
        raise field_error(Transfer, "confirmed_on", "「接收日期」：不能早于开具日期")
    if rules.letter_expired(valid_until, received_on):
        raise field_error(
            Transfer,
            "confirmed_on",
            f"「接收日期」：介绍信有效期至{valid_until:%Y年%m月%d日}，已逾期，"
            "请党员到原党组织重新开具",
        )
    if issued_on < joined_on:
        raise field_error(Transfer, "issued_on", "「开具日期」：不能早于入党日期")
    existing = PartyMember.objects.filter(person=person).first()
    if existing is None:
        member = _new_member(
            person=person,
            branch=to_branch,
            joined_on=joined_on,
            status=status,
            full_on=full_on,
            dues_category=dues_category,
            is_mobile=False,
        )
        record(actor, "party.member_create", member)
    elif existing.status == PartyMember.Status.TRANSFERRED_OUT:
        _check_branch(to_branch)
        _check_dates(status, joined_on, full_on)
        member = existing
        member_before = snapshot(member)
        move(member, status)
        member.branch = to_branch
        member.joined_on, member.full_on = joined_on, full_on
        member.dues_category = dues_category
        member.status_changed_on = received_on
        member.status_reason = f"组织关系由{outside_org.strip()}转入"
        member.save()
        record(actor, "party.member_update", member, before=member_before)
    else:
        raise field_error(PartyMember, "person", "「人员」：此人已有党员记录")
    transfer = Transfer.objects.create(
        member=member,
        kind=Transfer.Kind.IN,
        to_branch=to_branch,
        outside_org=outside_org.strip(),
        letter_number=letter_number.strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        dues_paid_until=_month(dues_paid_until),
        reason=reason.strip(),
        status=Transfer.Status.CONFIRMED,
        confirmed_on=received_on,
    )
    record(actor, "party.transfer_in", transfer)
    return transfer
