"""Reads of party members and transfers: rosters, branch structure, overdue letters, to-dos."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import BooleanField, Case, CharField, Count, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from dangjian.core.scope import has_capability, scope_paths
from dangjian.orgs.models import PartyOrg, Post, Unit

from . import rules
from .models import PartyMember, Transfer

MEMBER_ORG_KINDS = (PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH, PartyOrg.Kind.COMMITTEE)
COMMITTEE_TITLES = (
    Post.Title.SECRETARY,
    Post.Title.DEPUTY_SECRETARY,
    Post.Title.ORGANIZATION,
    Post.Title.PROPAGANDA,
    Post.Title.DISCIPLINE,
    Post.Title.COMMITTEE_MEMBER,
)


# ---- members ----


def members(user: Any) -> QuerySet[PartyMember]:
    return PartyMember.objects.for_user(user).select_related("person__unit", "branch__unit")


def member_branches(user: Any) -> QuerySet[PartyOrg]:
    """Active orgs in scope that hold members (never party groups), for selects."""
    return (
        PartyOrg.objects.for_user(user)
        .filter(kind__in=MEMBER_ORG_KINDS, is_active=True, unit__status=Unit.Status.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "kind", "name", "pk")
    )


def branch_choices(user: Any, selected: str = "") -> list[tuple[str, str]]:
    rows = [
        (str(pk), f"{name}（{unit}）")
        for pk, name, unit in PartyOrg.objects.for_user(user)
        .filter(kind__in=MEMBER_ORG_KINDS)
        .order_by("unit__path", "kind", "name", "pk")
        .values_list("pk", "name", "unit__name")[:500]
    ]
    if selected.isdigit() and selected not in {k for k, _ in rows}:
        extra = (
            PartyOrg.objects.for_user(user)
            .filter(pk=int(selected))
            .values_list("pk", "name", "unit__name")
            .first()
        )
        if extra is not None:
            rows.insert(0, (str(extra[0]), f"{extra[1]}（{extra[2]}）"))
    return rows


def receiving_branches() -> QuerySet[PartyOrg]:
    """Every active org in the deployment that may receive a member: the receiving school is
    usually outside the sender's scope, so a transfer names it from the whole directory."""
    return PartyOrg.objects.filter(
        kind__in=MEMBER_ORG_KINDS, is_active=True, unit__status=Unit.Status.ACTIVE
    ).select_related("unit")


def branch_lookup(query: str, limit: int = 20) -> list[tuple[int, str]]:
    """Receiving orgs for a transfer inside the deployment, by name: any school's branch."""
    query = query.strip()
    if len(query) < 2:
        return []
    rows = (
        PartyOrg.objects.filter(
            Q(name__contains=query) | Q(unit__name__contains=query),
            kind__in=MEMBER_ORG_KINDS,
            is_active=True,
            unit__status=Unit.Status.ACTIVE,
        )
        .order_by("unit__path", "name", "pk")
        .values_list("pk", "name", "unit__name")[:limit]
    )
    return [(pk, f"{name}（{unit}）") for pk, name, unit in rows]


def _org_and_below(org: PartyOrg) -> list[int]:
    """The org and its sub-orgs (a committee → general branches → branches: three levels)."""
    ids, level = [org.pk], [org.pk]
    for _ in range(3):
        level = list(PartyOrg.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            break
        ids += level
    return ids


def structure_counts(org: PartyOrg) -> tuple[int, int, int]:
    """(full, probationary, committee posts) of an org; members of sub-orgs count upward."""
    ids = [org.pk] if org.kind == PartyOrg.Kind.BRANCH else _org_and_below(org)
    counts = PartyMember.objects.filter(branch_id__in=ids).aggregate(
        full=Count("pk", filter=Q(status=PartyMember.Status.FULL)),
        probationary=Count("pk", filter=Q(status=PartyMember.Status.PROBATIONARY)),
    )
    committee = Post.objects.filter(
        org=org, title__in=COMMITTEE_TITLES, ended_on__isnull=True
    ).count()
    return counts["full"], counts["probationary"], committee


def structure_warnings(org: PartyOrg) -> list[str]:
    """RULES.md §3.5 warnings for the party org page (members, committee, size thresholds)."""
    if org.kind == PartyOrg.Kind.GROUP or not org.is_active:
        return []
    full, probationary, committee = structure_counts(org)
    return rules.structure_warnings(org.kind, full, probationary, committee)


def relocation_due(member: PartyMember, today: dt.date) -> bool:
    """A mobile member away ≥ 6 months at a fixed place should transfer (RULES.md T4)."""
    return (
        member.is_active
        and member.is_mobile
        and member.mobile_since is not None
        and rules.relocation_due(member.mobile_since, bool(member.mobile_place), today)
    )


def status_history(member: PartyMember) -> list[dict[str, Any]]:
    """Status changes as recorded by the audited actions, oldest first."""
    from dangjian.audit.log import ACTION_LABELS
    from dangjian.audit.models import AuditEntry

    entries = AuditEntry.objects.filter(
        object_type=member._meta.label_lower,
        object_id=str(member.pk),
        action__in=[
            "party.member_create",
            "party.member_make_full",
            "party.member_status_change",
            "party.member_update",
        ],
    ).order_by("id")
    labels = dict(PartyMember.Status.choices)
    out: list[dict[str, Any]] = []
    last = None
    for e in entries.only("at", "actor_name", "action", "after"):
        after = e.after or {}
        status = after.get("status")
        if status is None or status == last:
            continue
        last = status
        on = after.get("status_changed_on") or (
            after.get("full_on") if status == PartyMember.Status.FULL else after.get("joined_on")
        )
        out.append(
            {
                "status": status,
                "label": labels.get(status, status),
                "on": dt.date.fromisoformat(on) if on else None,
                "reason": after.get("status_reason", "")
                if e.action != "party.member_create"
                else "",
                "action": ACTION_LABELS.get(e.action, e.action),
                "actor": e.actor_name,
            }
        )
    return out


# ---- transfers ----


def _paths_q(lookup: str, paths: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths), Q(pk__in=[]))


def transfers(user: Any) -> QuerySet[Transfer]:
    """Transfers either side of which is in scope, with their direction as seen by `user`."""
    paths = scope_paths(user)
    mine_from = _paths_q("from_branch__unit__path", paths)
    mine_to = _paths_q("to_branch__unit__path", paths)
    return (
        Transfer.objects.for_user(user)
        .select_related("member__person", "from_branch__unit", "to_branch__unit")
        .annotate(
            direction=Case(
                When(mine_from & mine_to, then=Value("internal")),
                When(mine_to, then=Value("in")),
                default=Value("out"),
                output_field=CharField(),
            ),
            # the receiving branch is ours, wherever the letter comes from (the 待办 count)
            receiving=Case(
                When(mine_to, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
    )


DIRECTIONS = [("in", "转入本单位"), ("out", "本单位转出"), ("internal", "范围内调转")]


def overdue_q(today: dt.date) -> Q:
    """Not accepted within the letter's validity (RULES.md T3): pending past it, or expired."""
    return Q(status=Transfer.Status.PENDING, valid_until__lt=today) | Q(
        status=Transfer.Status.EXPIRED
    )


def overdue_pks(raw: str) -> QuerySet[Any]:
    return Transfer.objects.filter(overdue_q(timezone.localdate())).values("pk")


def transfers_pending(user: Any) -> QuerySet[Transfer]:
    return transfers(user).filter(status=Transfer.Status.PENDING)


def transfers_overdue(user: Any, today: dt.date) -> QuerySet[Transfer]:
    return transfers(user).filter(overdue_q(today))


def is_overdue(transfer: Transfer, today: dt.date) -> bool:
    return transfer.status == Transfer.Status.EXPIRED or (
        transfer.status == Transfer.Status.PENDING
        and rules.letter_expired(transfer.valid_until, today)
    )


def todos(user: Any, today: dt.date) -> list[Any]:
    """待办 for the home page: letters to accept, and letters past their validity."""
    from dangjian.core.home import Todo

    if not has_capability(user, "party.view"):
        return []
    paths = scope_paths(user)
    qs = Transfer.objects.for_user(user)
    counts = qs.aggregate(
        incoming=Count(
            "pk",
            filter=Q(status=Transfer.Status.PENDING, kind=Transfer.Kind.WITHIN)
            & _paths_q("to_branch__unit__path", paths),
        ),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    base = reverse("party:transfer-list")
    return [
        Todo(
            "transfers_incoming",
            "待接收的组织关系转入",
            "核对介绍信后办理接收，党员随即编入本支部",
            counts["incoming"],
            "warning" if counts["incoming"] else "ok",
            f"{base}?status=pending&kind={Transfer.Kind.WITHIN}&receive=1",
        ),
        Todo(
            "transfers_overdue",
            "逾期未接收的组织关系介绍信",
            "联系党员尽快报到；超期的须撤销后重新开具",
            counts["overdue"],
            "danger" if counts["overdue"] else "ok",
            f"{base}?overdue=1",
        ),
    ]
