"""Reads of people beyond one filter: the roster and the detail page's sub-records."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangjian.orgs.models import Exchange, Liaison, Post, Unit

from .models import Person


def people(user: Any) -> QuerySet[Person]:
    return Person.objects.for_user(user).select_related("unit")


def unit_filter_choices(user: Any, levels: int = 2, limit: int = 500) -> list[tuple[str, str]]:
    """Units offered in the list's filter: the user's top units and two levels below them.

    Deeper units are reached from their own page (?unit=<pk>); offering every school of a
    province in one select would make every list page slow.
    """
    units = Unit.objects.for_user(user).only("pk", "name", "depth", "path")
    top = units.order_by("depth").values_list("depth", flat=True).first()
    if top is None:
        return []
    rows = units.filter(depth__lte=top + levels).order_by("path")[:limit]
    return [(str(u.pk), f"{'　' * (u.depth - top)}{u.name}") for u in rows]


def unit_path(pk: str) -> str:
    """Path of a unit for the subtree filter; the list stays scoped by for_user anyway."""
    path = Unit.objects.filter(pk=int(pk)).values_list("path", flat=True).first()
    if path is None:
        raise ValueError(pk)
    return path


def posts_of(user: Any, person: Person) -> QuerySet[Post]:
    return (
        Post.objects.for_user(user)
        .filter(person=person)
        .select_related("org", "org__unit")
        .order_by("-started_on")
    )


def exchanges_of(user: Any, person: Person) -> QuerySet[Exchange]:
    return (
        Exchange.objects.for_user(user).filter(person=person).select_related("from_unit", "to_unit")
    )


def liaisons_of(user: Any, person: Person) -> QuerySet[Liaison]:
    return Liaison.objects.for_user(user).filter(cadre=person).select_related("unit")
