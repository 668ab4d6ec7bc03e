"""Figures of the inspection cycle (STYLE.md §5): schools inspected, inspections by kind."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period
from dangjian.orgs.models import Unit

from .models import Inspection


def _done(unit: Unit, period: Period) -> QuerySet[Inspection]:
    return (
        Inspection.objects.in_subtree(unit)
        .filter(status=Inspection.Status.DONE, held_on__gte=period.start, held_on__lt=period.end)
        .select_related("unit")
    )


@figure(
    "schools_inspected",
    label="受检学校",
    unit_label="所",
    aggregate=lambda: Count("unit", distinct=True),
)
def schools_inspected(unit: Unit, period: Period) -> QuerySet[Inspection]:
    """期间内至少完成一次督查（任何检查方式）的学校数；明细为完成的督查。"""
    return _done(unit, period)


@figure("schools_uninspected", label="未受检学校", unit_label="所")
def schools_uninspected(unit: Unit, period: Period) -> QuerySet[Unit]:
    """期间内没有完成任何督查的在办学校（一月一督察未覆盖）；明细为这些学校。"""
    return Unit.objects.filter(
        path__startswith=unit.path, kind__in=Unit.SCHOOL_KINDS, status=Unit.Status.ACTIVE
    ).exclude(pk__in=_done(unit, period).values("unit_id"))


@figure("inspections", label="督查", unit_label="次", breakdown="kind")
def inspections(unit: Unit, period: Period) -> QuerySet[Inspection]:
    """期间内完成的督查次数，按检查方式（学校自查、学区巡查、挂联复查、督导组抽查、暗访、专项检查）分列。"""
    return _done(unit, period)
