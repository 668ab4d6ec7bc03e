"""Reads for the org pages: tree nodes with counts, the unit's leadership (一肩挑), choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

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
