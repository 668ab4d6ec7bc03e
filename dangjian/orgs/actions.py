"""Every change to units, party orgs, posts, liaisons and exchanges (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr

from dangjian.audit.log import record, snapshot
from dangjian.core.actions_util import assign, field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.core.transitions import move

from .models import Exchange, Liaison, PartyOrg, Post, Unit, UnitEvent

UNIT_FIELDS = {
    "code",
    "name",
    "kind",
    "is_private",
    "address",
    "phone",
    "head",
    "established_on",
    "principal_responsibility_system",
    "principal_system_since",
}


def _require_active(unit: Unit) -> None:
    if not unit.is_active:
        raise ActionError(f"「{unit.name}」{unit.get_status_display()}，其记录只读")


def _check_code(code: str, exclude_pk: int | None = None) -> str:
    code = code.strip().upper()
    if not code:
        raise field_error(Unit, "code", "「单位代码」：不能为空")
    if Unit.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise field_error(Unit, "code", f"「单位代码」：{code} 已被其他单位使用")
    return code


def _check_fields(fields: dict[str, Any], current: Unit | None = None) -> None:
    """Field rules beyond the form: dates not in the future, the system's start date, phone."""
    import re

    from django.utils import timezone

    today = timezone.localdate()

    def get(name: str) -> Any:
        return fields[name] if name in fields else getattr(current, name, None)

    established = get("established_on")
    if established is not None and established > today:
        raise field_error(Unit, "established_on", "「设立日期」：不能晚于今天")
    since = get("principal_system_since")
    if get("principal_responsibility_system") and since is None:
        raise field_error(
            Unit, "principal_system_since", "「实行日期」：已实行校长负责制的，请填写实行日期"
        )
    if since is not None and since > today:
        raise field_error(Unit, "principal_system_since", "「实行日期」：不能晚于今天")
    phone = fields.get("phone") or ""
    if phone and not re.fullmatch(r"[0-9][0-9\- ]{5,19}", phone):
        raise field_error(Unit, "phone", "「联系电话」：只能包含数字、空格和“-”")


@transaction.atomic
def unit_create(*, actor: Any, parent: Unit | None, **fields: Any) -> Unit:
    if parent is None:
        if not getattr(actor, "is_system", False):
            raise field_error(Unit, "parent", "「上级单位」：不能为空")
    else:
        require(actor, "orgs.unit_create", parent)
        _require_active(parent)
    unknown = set(fields) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unknown unit fields {unknown}")
    fields["code"] = _check_code(fields.get("code", ""))
    _check_fields(fields)
    unit = Unit(parent=parent, path="", depth=(parent.depth + 1) if parent else 0, **fields)
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.save(update_fields=["path"])
    record(actor, "orgs.unit_create", unit)
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    require(actor, "orgs.unit_update", unit)
    _require_active(unit)
    unknown = set(changes) - UNIT_FIELDS
    if unknown:
        raise TypeError(f"unknown unit fields {unknown}")
    if "code" in changes:
        changes["code"] = _check_code(changes["code"], exclude_pk=unit.pk)
    _check_fields(changes, unit)
    head = changes.get("head")
    if head is not None and head.unit_id != unit.pk:
        raise field_error(Unit, "head", "「单位负责人」：须为本单位人员")
    before = assign(unit, changes)
    unit.save()
    record(actor, "orgs.unit_update", unit, before=before)
    return unit


def _rewrite_subtree(unit: Unit, new_parent: Unit) -> None:
    """Move `unit` and everything below it under `new_parent` in one UPDATE (paths, depths)."""
    old_prefix = unit.path
    new_prefix = f"{new_parent.path}{unit.pk}/"
    delta = new_parent.depth + 1 - unit.depth
    Unit.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", Length(Value(old_prefix)) + 1)),
        depth=F("depth") + delta,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()


@transaction.atomic
def unit_move(*, actor: Any, unit: Unit, new_parent: Unit) -> Unit:
    require(actor, "orgs.unit_move", unit)
    require(actor, "orgs.unit_move", new_parent)
    _require_active(new_parent)
    if new_parent.path.startswith(unit.path):
        raise field_error(Unit, "parent", "「上级单位」：不能移到本单位或其下级单位之下")
    before = snapshot(unit)
    _rewrite_subtree(unit, new_parent)
    record(actor, "orgs.unit_move", unit, before=before)
    return unit


def _end_unit(
    actor: Any,
    unit: Unit,
    kind: str,
    happened_on: dt.date,
    document_number: str,
    successor: Unit | None,
    note: str,
) -> UnitEvent:
    from dangjian.people.models import Person

    capability = "orgs.unit_merge" if kind == UnitEvent.Kind.MERGER else "orgs.unit_close"
    require(actor, capability, unit)
    _require_active(unit)
    if unit.parent_id is None:
        raise ActionError("顶层单位不能撤并")
    if successor is not None:
        require(actor, capability, successor)
        if successor.pk == unit.pk or successor.path.startswith(unit.path):
            raise field_error(UnitEvent, "successor", "「承继单位」：不能是本单位或其下级单位")
        if not successor.is_active:
            raise field_error(UnitEvent, "successor", "「承继单位」：该单位已撤并")
    elif kind == UnitEvent.Kind.MERGER:
        raise field_error(UnitEvent, "successor", "「承继单位」：合并须指定并入的单位")
    if happened_on < (unit.established_on or happened_on):
        raise field_error(UnitEvent, "happened_on", "「日期」：不能早于该单位的设立日期")
    before = snapshot(unit)
    people_moved = orgs_moved = 0
    if successor is not None:
        # history stays with the old unit (events, audit); current people and orgs move on
        people_moved = Person.objects.filter(unit=unit).update(unit=successor)
        orgs_moved = PartyOrg.objects.filter(unit=unit).update(unit=successor)
        for child in list(unit.children.all()):
            _rewrite_subtree(child, successor)
    else:
        # its party organisations end with it (members were moved out with the people)
        PartyOrg.objects.filter(unit=unit, is_active=True).update(is_active=False)
    status = Unit.Status.MERGED if kind == UnitEvent.Kind.MERGER else Unit.Status.CLOSED
    move(unit, status)
    unit.closed_on = happened_on
    unit.successor = successor
    unit.save(update_fields=["status", "closed_on", "successor"])
    event = UnitEvent.objects.create(
        unit=unit,
        kind=kind,
        happened_on=happened_on,
        document_number=document_number,
        successor=successor,
        note=note,
        people_moved=people_moved,
        orgs_moved=orgs_moved,
    )
    record(
        actor,
        capability,
        unit,
        before=before,
        after={**(snapshot(unit) or {}), "event": snapshot(event)},
    )
    return event


@transaction.atomic
def unit_close(
    *,
    actor: Any,
    unit: Unit,
    happened_on: dt.date,
    document_number: str = "",
    successor: Unit | None = None,
    note: str = "",
) -> UnitEvent:
    return _end_unit(
        actor, unit, UnitEvent.Kind.CLOSURE, happened_on, document_number, successor, note
    )


@transaction.atomic
def unit_merge(
    *,
    actor: Any,
    unit: Unit,
    successor: Unit,
    happened_on: dt.date,
    document_number: str = "",
    note: str = "",
) -> UnitEvent:
    return _end_unit(
        actor, unit, UnitEvent.Kind.MERGER, happened_on, document_number, successor, note
    )


PARTYORG_FIELDS = {
    "name",
    "kind",
    "parent",
    "established_on",
    "term_started_on",
    "term_years",
    "is_active",
}


def _check_partyorg_parent(org_unit: Unit, kind: str, parent: PartyOrg | None) -> None:
    if parent is None:
        if kind == PartyOrg.Kind.GROUP:
            raise field_error(PartyOrg, "parent", "「上级党组织」：党小组须隶属于一个党支部")
        return
    if not org_unit.path.startswith(parent.unit.path):
        raise field_error(PartyOrg, "parent", "「上级党组织」：须属于本单位或上级单位")
    order = [
        PartyOrg.Kind.COMMITTEE,
        PartyOrg.Kind.GENERAL_BRANCH,
        PartyOrg.Kind.BRANCH,
        PartyOrg.Kind.GROUP,
    ]
    if order.index(PartyOrg.Kind(parent.kind)) >= order.index(PartyOrg.Kind(kind)):
        raise field_error(
            PartyOrg,
            "parent",
            f"「上级党组织」：{parent.get_kind_display()}不能领导{PartyOrg.Kind(kind).label}",
        )


@transaction.atomic
def partyorg_create(*, actor: Any, unit: Unit, **fields: Any) -> PartyOrg:
    require(actor, "orgs.partyorg_create", unit)
    _require_active(unit)
    unknown = set(fields) - PARTYORG_FIELDS
    if unknown:
        raise TypeError(f"unknown party org fields {unknown}")
    parent = fields.get("parent")
    if parent is not None:
        require(actor, "orgs.view", parent.unit)
    _check_partyorg_parent(unit, fields["kind"], parent)
    org = PartyOrg.objects.create(unit=unit, **fields)
    record(actor, "orgs.partyorg_create", org)
    return org


@transaction.atomic
def partyorg_update(*, actor: Any, org: PartyOrg, **changes: Any) -> PartyOrg:
    require(actor, "orgs.partyorg_update", org.unit)
    _require_active(org.unit)
    unknown = set(changes) - PARTYORG_FIELDS
    if unknown:
        raise TypeError(f"unknown party org fields {unknown}")
    parent = changes.get("parent", org.parent)
    if parent is not None and parent.pk == org.pk:
        raise field_error(PartyOrg, "parent", "「上级党组织」：不能是自身")
    _check_partyorg_parent(org.unit, changes.get("kind", org.kind), parent)
    before = assign(org, changes)
    org.save()
    record(actor, "orgs.partyorg_update", org, before=before)
    return org


@transaction.atomic
def post_create(
    *,
    actor: Any,
    org: PartyOrg,
    person: Any,
    title: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
) -> Post:
    require(actor, "orgs.post_create", org.unit)
    _require_active(org.unit)
    require(actor, "people.view", person.unit)
    if ended_on is not None and ended_on < started_on:
        raise field_error(Post, "ended_on", "「离任日期」：不能早于任职日期")
    single = {Post.Title.SECRETARY}
    if (
        title in single
        and Post.objects.filter(org=org, title=title, ended_on__isnull=True).exists()
        and ended_on is None
    ):
        raise field_error(Post, "title", "「职务」：该党组织已有在任书记，请先办理原书记离任")
    post = Post.objects.create(
        org=org, person=person, title=title, started_on=started_on, ended_on=ended_on
    )
    record(actor, "orgs.post_create", post)
    return post


@transaction.atomic
def post_end(*, actor: Any, post: Post, ended_on: dt.date) -> Post:
    require(actor, "orgs.post_end", post.org.unit)
    if post.ended_on is not None:
        raise ActionError("该职务已离任")
    if ended_on < post.started_on:
        raise field_error(Post, "ended_on", "「离任日期」：不能早于任职日期")
    before = assign(post, {"ended_on": ended_on})
    post.save(update_fields=["ended_on"])
    record(actor, "orgs.post_end", post, before=before)
    return post


@transaction.atomic
def liaison_create(
    *,
    actor: Any,
    cadre: Any,
    unit: Unit,
    started_on: dt.date,
    kind: str = "liaison",
    ended_on: dt.date | None = None,
    note: str = "",
) -> Liaison:
    require(actor, "orgs.liaison_create", unit)
    require(actor, "people.view", cadre.unit)
    _require_active(unit)
    if ended_on is not None and ended_on < started_on:
        raise field_error(Liaison, "ended_on", "「结束日期」：不能早于开始日期")
    if not unit.is_school:
        raise field_error(Liaison, "unit", "「挂联学校」：须为学校或幼儿园")
    liaison = Liaison.objects.create(
        cadre=cadre, unit=unit, kind=kind, started_on=started_on, ended_on=ended_on, note=note
    )
    record(actor, "orgs.liaison_create", liaison)
    return liaison


@transaction.atomic
def liaison_end(*, actor: Any, liaison: Liaison, ended_on: dt.date) -> Liaison:
    require(actor, "orgs.liaison_end", liaison.unit)
    if ended_on < liaison.started_on:
        raise field_error(Liaison, "ended_on", "「结束日期」：不能早于开始日期")
    before = assign(liaison, {"ended_on": ended_on})
    liaison.save(update_fields=["ended_on"])
    record(actor, "orgs.liaison_end", liaison, before=before)
    return liaison


@transaction.atomic
def exchange_create(
    *,
    actor: Any,
    person: Any,
    to_unit: Unit,
    kind: str,
    happened_on: dt.date,
    document_number: str = "",
    note: str = "",
    move_person: bool = True,
) -> Exchange:
    """Record an exchange; with `move_person` the teacher's unit becomes the receiving school."""
    from dangjian.people.models import Person

    from_unit = person.unit
    require(actor, "orgs.exchange_create", from_unit)
    require(actor, "orgs.exchange_create", to_unit)
    _require_active(to_unit)
    if to_unit.pk == from_unit.pk:
        raise field_error(Exchange, "to_unit", "「调入单位」：不能与调出单位相同")
    exchange = Exchange.objects.create(
        person=person,
        from_unit=from_unit,
        to_unit=to_unit,
        kind=kind,
        happened_on=happened_on,
        document_number=document_number,
        note=note,
    )
    if move_person:
        Person.objects.filter(pk=person.pk).update(unit=to_unit)
        person.unit = to_unit
    record(actor, "orgs.exchange_create", exchange)
    return exchange
