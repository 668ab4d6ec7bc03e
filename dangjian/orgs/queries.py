"""Reads for the org pages: tree nodes with counts, the unit's leadership (一肩挑), choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.core.listing import Filter
from dangjian.core.scope import scope_paths

from .models import PartyOrg, Post, Unit

TOP_ORG_KINDS = (PartyOrg.Kind.COMMITTEE, PartyOrg.Kind.GENERAL_BRANCH, PartyOrg.Kind.BRANCH)


@dataclass(frozen=True)
class TreeNode:
    unit: Unit
    children: int
    people: int


def tree_roots(user: Any) -> list[Unit]:
    """The units at the top of the user's scope (one per role subtree)."""
    return list(Unit.objects.for_user(user).filter(path__in=scope_paths(user)).order_by("path"))


def tree_nodes(user: Any, units: list[Unit]) -> list[TreeNode]:
    """`units` with their child count and in-post people of their subtree: two grouped queries."""
    from dangjian.people.models import Person

    if not units:
        return []
    ids = [u.pk for u in units]
    children = dict(
        Unit.objects.for_user(user)
        .filter(parent_id__in=ids)
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "n")
    )
    # one GROUP BY unit over the common subtree, summed per node by path prefix
    common = _common_prefix([u.path for u in units])
    per_path = (
        Person.objects.for_user(user)
        .filter(unit__path__startswith=common, status=Person.Status.ACTIVE)
        .values("unit__path")
        .annotate(n=Count("pk"))
        .values_list("unit__path", "n")
    )
    people = dict.fromkeys(ids, 0)
    for path, n in per_path:
        for unit_id in _ids_in_path(path):
            if unit_id in people:
                people[unit_id] += n
    return [TreeNode(u, children.get(u.pk, 0), people[u.pk]) for u in units]


def tree_children(user: Any, unit: Unit) -> list[TreeNode]:
    """The unit's children in scope: active first, then closed and merged, by name."""
    kids = list(Unit.objects.for_user(user).filter(parent=unit).order_by("status", "name", "pk"))
    return tree_nodes(user, kids)


def _common_prefix(paths: list[str]) -> str:
    first = paths[0].strip("/").split("/")
    common: list[str] = []
    for i, part in enumerate(first):
        if all(
            len(p.strip("/").split("/")) > i and p.strip("/").split("/")[i] == part for p in paths
        ):
            common.append(part)
        else:
            break
    return "/" + "".join(f"{c}/" for c in common)


def _ids_in_path(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


@dataclass(frozen=True)
class Leadership:
    """The unit's top party org, its current secretary, the unit head, and 一肩挑."""

    org: PartyOrg | None
    secretary: Any  # people.Person | None
    head: Any  # people.Person | None

    @property
    def dual_role(self) -> bool:
        return (
            self.secretary is not None
            and self.head is not None
            and self.secretary.pk == self.head.pk
        )


def top_party_org(unit: Unit) -> PartyOrg | None:
    """The unit's own committee, general branch or branch that does not report inside the unit."""
    ancestors = [pk for pk in unit.ancestor_ids() if pk != unit.pk]
    orgs = list(
        PartyOrg.objects.filter(unit=unit, kind__in=TOP_ORG_KINDS, is_active=True).filter(
            Q(parent__isnull=True) | Q(parent__unit_id__in=ancestors)
        )
    )
    if not orgs:
        return None
    return min(orgs, key=lambda o: (TOP_ORG_KINDS.index(PartyOrg.Kind(o.kind)), o.pk))


def current_secretary(org: PartyOrg) -> Any:
    post = (
        Post.objects.filter(org=org, title=Post.Title.SECRETARY, ended_on__isnull=True)
        .select_related("person")
        .order_by("-started_on", "-pk")
        .first()
    )
    return post.person if post is not None else None


def leadership(unit: Unit) -> Leadership:
    org = top_party_org(unit)
    secretary = current_secretary(org) if org is not None else None
    return Leadership(org=org, secretary=secretary, head=unit.head)


def dual_role(unit: Unit) -> bool:
    """一肩挑: the current secretary of the unit's top party org is the unit head."""
    if unit.head_id is None:
        return False
    org = top_party_org(unit)
    if org is None:
        return False
    return Post.objects.filter(
        org=org, title=Post.Title.SECRETARY, ended_on__isnull=True, person_id=unit.head_id
    ).exists()


# ---- choices for filter bars and form selects, limited to the user's scope ----

FILTER_UNIT_LIMIT = 300


def unit_choices(user: Any, selected: str = "") -> list[tuple[str, str]]:
    """Units for a filter select: every unit in scope, or only bureaus and district offices
    when the scope is too large for one select; a unit already selected stays selectable."""
    qs = Unit.objects.for_user(user).order_by("path")
    rows = list(qs.values_list("pk", "name", "kind")[: FILTER_UNIT_LIMIT + 1])
    if len(rows) > FILTER_UNIT_LIMIT:
        upper = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}
        rows = list(qs.filter(kind__in=upper).values_list("pk", "name", "kind"))
    choices = [(str(pk), name) for pk, name, _ in rows]
    if selected and selected not in {k for k, _ in choices} and selected.isdigit():
        extra = qs.filter(pk=int(selected)).values_list("pk", "name").first()
        if extra is not None:
            choices.insert(0, (str(extra[0]), extra[1]))
    return choices


def parent_unit_choices(user: Any) -> list[tuple[str, str]]:
    """Bureaus and district offices in scope: the 'parent' filter of the unit list."""
    upper = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}
    return [
        (str(pk), name)
        for pk, name in Unit.objects.for_user(user)
        .filter(kind__in=upper)
        .order_by("path")
        .values_list("pk", "name")
    ]


def active_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.for_user(user).filter(status=Unit.Status.ACTIVE).order_by("path")


TERM_WARNING_DAYS = 180
# (name, label, hint) of the party-org to-dos, most urgent first
PARTYORG_REMINDERS: tuple[tuple[str, str, str], ...] = (
    ("term_overdue", "任期已届满、尚未换届的党组织", "应及时召开党员大会进行换届选举"),
    ("secretary_vacant", "书记空缺的党组织", "党组织应配备书记"),
    ("term_due", f"{TERM_WARNING_DAYS}天内任期届满的党组织", "提前做好换届准备"),
)
REMINDER_LEVEL = {"term_overdue": "danger", "secretary_vacant": "danger", "term_due": "warning"}


# ---- party-org reminders (待办): a term's end (start + years, clamped like add_months) in SQL ----


def _first_start_ending_on_or_after(limit: dt.date, years: int) -> dt.date:
    """The earliest term start whose term of `years` ends on or after `limit`."""
    months = 12 * years
    start = add_months(limit, -months)
    while add_months(start - dt.timedelta(days=1), months) >= limit:
        start -= dt.timedelta(days=1)
    while add_months(start, months) < limit:
        start += dt.timedelta(days=1)
    return start


def _term_ends_before(limit: dt.date, years: list[int]) -> Q:
    terms = [
        Q(term_years=y, term_started_on__lt=_first_start_ending_on_or_after(limit, y))
        for y in years
    ]
    return reduce(or_, terms, Q(pk__in=[]))


def term_years_in_use() -> list[int]:
    from dangjian.orgs.models import PartyOrg

    return sorted(set(PartyOrg.objects.order_by().values_list("term_years", flat=True).distinct()))


def partyorg_todo_q(name: str, today: dt.date, years: list[int] | None = None) -> Q:
    """The condition of one party-org to-do; party groups hold no elections and no secretary."""
    from dangjian.orgs.models import PartyOrg, Post, Unit

    base = (
        Q(is_active=True, unit__status=Unit.Status.ACTIVE)
        & ~Q(kind=PartyOrg.Kind.GROUP)
        & Q(term_started_on__isnull=False)
    )
    if name in ("term_overdue", "term_due"):
        years = term_years_in_use() if years is None else years
    if name == "term_overdue":
        return base & _term_ends_before(today, years or [])
    if name == "term_due":
        soon = today + dt.timedelta(days=TERM_WARNING_DAYS + 1)
        return base & ~_term_ends_before(today, years or []) & _term_ends_before(soon, years or [])
    if name == "secretary_vacant":
        current = Post.objects.filter(
            org=OuterRef("pk"), title=Post.Title.SECRETARY, started_on__lte=today
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        return (
            Q(is_active=True, unit__status=Unit.Status.ACTIVE)
            & ~Q(kind=PartyOrg.Kind.GROUP)
            & ~Q(Exists(current))
        )
    raise ValueError(name)


def _todo_pks(raw: str) -> QuerySet[Any]:
    from dangjian.orgs.models import PartyOrg

    return PartyOrg.objects.filter(partyorg_todo_q(raw, timezone.localdate())).values("pk")


# the party-org list's filter behind the to-do links (?todo=term_overdue)
PARTYORG_REMINDER_FILTER = Filter(
    "todo", "待办", "pk__in", choices=[(n, lbl) for n, lbl, _ in PARTYORG_REMINDERS], cast=_todo_pks
)


def partyorg_reminder_counts(user: Any, today: dt.date, by_unit: bool = False) -> Any:
    """Counts of each party-org to-do in the user's scope: one query (grouped by unit if asked)."""
    from dangjian.orgs.models import PartyOrg

    years = term_years_in_use()
    counts = {
        name: Count("pk", filter=partyorg_todo_q(name, today, years))
        for name, _, _ in PARTYORG_REMINDERS
    }
    qs = PartyOrg.objects.for_user(user)
    if by_unit:
        return list(qs.order_by().values("unit_id").annotate(**counts))
    return qs.aggregate(**counts)
