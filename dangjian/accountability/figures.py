"""Figures of accountability (STYLE.md §5): decisions by form, warning-education sessions."""

from __future__ import annotations

from django.db.models import QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period
from dangjian.orgs.models import Unit

from .models import AccountabilityRecord, WarningSession


@figure("accountability", label="问责", unit_label="件", breakdown="form")
def accountability(unit: Unit, period: Period) -> QuerySet[AccountabilityRecord]:
    """期间内作出的问责决定（按决定日期），按问责方式分列；一份决定关联多个问题时计一件。"""
    return (
        AccountabilityRecord.objects.in_subtree(unit)
        .filter(decided_on__gte=period.start, decided_on__lt=period.end)
        .select_related("unit")
    )


@figure("warning_education_sessions", label="警示教育", unit_label="场次")
def warning_education_sessions(unit: Unit, period: Period) -> QuerySet[WarningSession]:
    """期间内开展的警示教育（观看警示教育片、参观警示教育基地、案例通报会、专题党课等）。"""
    return (
        WarningSession.objects.in_subtree(unit)
        .filter(held_on__gte=period.start, held_on__lt=period.end)
        .select_related("unit")
    )
