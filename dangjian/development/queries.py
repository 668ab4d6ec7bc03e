"""Reads of the development pipeline: scoped records, due / overdue filters, the home 待办."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from dangjian.core.listing import Filter
from dangjian.core.scope import has_capability

from .models import DevelopmentRecord

DUE_CHOICES = [("overdue", "已逾期"), ("soon", "即将到期"), ("any", "有提醒")]


def due_q(which: str, today: dt.date) -> Q:
    """Records whose next deadline has passed ("overdue"), is near ("soon"), or any warning."""
    overdue = Q(next_due_on__lt=today)
    soon = Q(next_warn_from__lte=today, next_due_on__gte=today)
    if which == "overdue":
        return overdue
    if which == "soon":
        return soon
    return overdue | soon | Q(flagged=True)


def _due_pks(raw: str) -> Any:
    return DevelopmentRecord.objects.filter(due_q(raw, timezone.localdate())).values("pk")


DUE_FILTER = Filter("due", "期限提醒", "pk__in", choices=DUE_CHOICES, cast=_due_pks)


def records_for(user: Any) -> QuerySet[DevelopmentRecord]:
    return DevelopmentRecord.objects.for_user(user).select_related("person", "branch__unit")


def due_records(user: Any, today: dt.date) -> QuerySet[DevelopmentRecord]:
    """Records with a deadline passed or near, soonest first (the due-soon page)."""
    return (
        records_for(user)
        .filter(due_q("overdue", today) | due_q("soon", today))
        .order_by("next_due_on", "pk")
    )


def branches_for(user: Any) -> QuerySet[Any]:
    from dangjian.orgs.models import PartyOrg

    return (
        PartyOrg.objects.for_user(user)
        .filter(is_active=True, unit__status="active")
        .exclude(kind=PartyOrg.Kind.GROUP)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def branch_choices(user: Any) -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in branches_for(user).values_list("pk", "name")]


def applicants_for(user: Any) -> QuerySet[Any]:
    """People who may apply: in post, in scope, neither members nor already in the pipeline."""
    from dangjian.people.models import Person

    return (
        Person.objects.for_user(user)
        .filter(status="active", membership__isnull=True, development__isnull=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def full_members_for(user: Any, unit: Any) -> QuerySet[Any]:
    """Full party members of the unit: sponsors, introducers, talkers."""
    from dangjian.people.models import Person

    return (
        Person.objects.for_user(user)
        .filter(unit=unit, membership__status="full")
        .select_related("unit")
        .order_by("name")
    )


def unit_choices(user: Any) -> list[tuple[str, str]]:
    """Units that own a branch with development records (the list's unit-subtree filter)."""
    from dangjian.orgs.models import Unit

    units = Unit.objects.for_user(user).filter(kind__in=[*Unit.BUREAU_KINDS, "district_office"])
    own = Unit.objects.for_user(user).filter(
        pk__in=DevelopmentRecord.objects.for_user(user).values("branch__unit")
    )
    rows = (units | own).order_by("path").values_list("pk", "name")[:300]
    return [(str(pk), name) for pk, name in rows]


def todos(user: Any, today: dt.date) -> list[Any]:
    """Home 待办: development steps overdue and due soon in the user's scope (one query)."""
    from dangjian.core.home import Todo

    if not has_capability(user, "development.view"):
        return []
    counts = DevelopmentRecord.objects.for_user(user).aggregate(
        overdue=Count("pk", filter=due_q("overdue", today)),
        soon=Count("pk", filter=due_q("soon", today)),
    )
    base = reverse("development:record-list")
    return [
        Todo(
            "development_overdue",
            "发展党员期限已过",
            "谈话、考察、审批、转正等步骤已超过规定期限",
            counts["overdue"],
            "danger" if counts["overdue"] else "ok",
            f"{base}?due=overdue",
        ),
        Todo(
            "development_due_soon",
            "发展党员步骤即将到期",
            "30天内到期的发展步骤",
            counts["soon"],
            "warning" if counts["soon"] else "ok",
            f"{base}?due=soon",
        ),
    ]
