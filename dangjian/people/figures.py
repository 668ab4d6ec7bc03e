"""Figures of people (STYLE.md §5): staff in post and key teachers of a subtree.

People carry no dated history of their unit or status yet, so these count the current roster
whatever the period (the period is accepted for the common figure signature).
"""

from __future__ import annotations

from django.db.models import QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period

from .models import Person


def _in_post(unit: object, period: Period) -> QuerySet[Person]:
    return (
        Person.objects.in_subtree(unit).filter(status=Person.Status.ACTIVE).select_related("unit")
    )


@figure("people", label="在岗人员", unit_label="人", breakdown="education")
def people(unit: object, period: Period) -> QuerySet[Person]:
    """本单位及下级单位当前在岗的教职工，按学历分列。"""
    return _in_post(unit, period)


@figure("key_teachers", label="骨干教师", unit_label="人")
def key_teachers(unit: object, period: Period) -> QuerySet[Person]:
    """本单位及下级单位当前在岗的骨干教师。"""
    return _in_post(unit, period).filter(is_key_teacher=True)
