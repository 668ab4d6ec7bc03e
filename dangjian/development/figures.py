"""Figures of the development pipeline (STYLE.md §5): each is the records that explain it."""

from __future__ import annotations

from django.db.models import QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period

from .models import DevelopmentRecord


def _records(unit: object) -> QuerySet[DevelopmentRecord]:
    return DevelopmentRecord.objects.in_subtree(unit).select_related("person", "branch")


def _during(unit: object, period: Period, field: str) -> QuerySet[DevelopmentRecord]:
    return _records(unit).filter(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


@figure("applications", label="入党申请", unit_label="人")
def applications(unit: object, period: Period) -> QuerySet[DevelopmentRecord]:
    """期间内递交入党申请书的人数（以申请日期计）。"""
    return _during(unit, period, "applied_on")


@figure("activists", label="确定入党积极分子", unit_label="人")
def activists(unit: object, period: Period) -> QuerySet[DevelopmentRecord]:
    """期间内被确定为入党积极分子的人数。"""
    return _during(unit, period, "activist_on")


@figure("candidates", label="确定发展对象", unit_label="人")
def candidates(unit: object, period: Period) -> QuerySet[DevelopmentRecord]:
    """期间内被确定为发展对象的人数。"""
    return _during(unit, period, "candidate_on")


@figure("newly_admitted", label="发展党员", unit_label="人")
def newly_admitted(unit: object, period: Period) -> QuerySet[DevelopmentRecord]:
    """期间内经支部大会讨论接收为预备党员的人数（以支部大会日期计）。"""
    return _during(unit, period, "admitted_on")


@figure("development_made_full", label="预备党员转正（支部大会）", unit_label="人")
def development_made_full(unit: object, period: Period) -> QuerySet[DevelopmentRecord]:
    """期间内经支部大会讨论按期或延期转为正式党员的人数（以支部大会日期计）。"""
    return _during(unit, period, "full_meeting_on")


@figure(
    "double_cultivation_key_teachers_to_members",
    label="双培养：骨干教师培养成党员",
    unit_label="人",
)
def double_cultivation_key_teachers_to_members(
    unit: object, period: Period
) -> QuerySet[DevelopmentRecord]:
    """申请入党时为骨干教师、期间内被接收为预备党员的人数。"""
    return _during(unit, period, "admitted_on").filter(key_teacher_at_application=True)


@figure(
    "double_cultivation_members_to_key_teachers",
    label="双培养：党员培养成骨干教师",
    unit_label="人",
)
def double_cultivation_members_to_key_teachers(
    unit: object, period: Period
) -> QuerySet[DevelopmentRecord]:
    """经本平台发展的党员中，期间内被认定为骨干教师的人数。"""
    return _during(unit, period, "became_key_teacher_on")
