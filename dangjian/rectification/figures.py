"""Figures of the rectification loop (STYLE.md §5; issue 5 §5). Rows are findings, so every
number drills down to the findings behind it."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone

from dangjian.core.figures import figure, ratio_figure
from dangjian.core.periods import Period
from dangjian.orgs.models import Unit

from .models import Finding, Rectification
from .queries import overdue_q


def _found(unit: Unit, period: Period, source: str) -> QuerySet[Finding]:
    return (
        Finding.objects.in_subtree(unit)
        .filter(source=source, found_on__gte=period.start, found_on__lt=period.end)
        .select_related("unit")
    )


def _verified(unit: Unit, period: Period) -> QuerySet[Finding]:
    return (
        Finding.objects.in_subtree(unit)
        .filter(
            rectification__status=Rectification.Status.VERIFIED,
            rectification__verified_on__gte=period.start,
            rectification__verified_on__lt=period.end,
        )
        .select_related("unit")
    )


@figure("findings", label="督查发现问题", unit_label="个")
def findings(unit: Unit, period: Period) -> QuerySet[Finding]:
    """期间内各类督查（学区巡查、挂联复查、督导组抽查、暗访、专项检查）发现的问题，不含学校自查。"""
    return _found(unit, period, Finding.Source.INSPECTION)


@figure("self_check_findings", label="自查问题", unit_label="个")
def self_check_findings(unit: Unit, period: Period) -> QuerySet[Finding]:
    """期间内学校自查发现并登记的问题。"""
    return _found(unit, period, Finding.Source.SELF_CHECK)


@figure("rectified", label="整改销号", unit_label="个")
def rectified(unit: Unit, period: Period) -> QuerySet[Finding]:
    """期间内验收通过、已销号的问题（含自查问题）。"""
    return _verified(unit, period)


@figure("rectified_on_time", label="按期整改", unit_label="个")
def rectified_on_time(unit: Unit, period: Period) -> QuerySet[Finding]:
    """期间内销号的问题中，在整改期限当天或之前提交整改的。"""
    return _verified(unit, period).filter(
        rectification__submitted_on__lte=F("rectification__deadline")
    )


@figure("overdue", label="逾期未整改", unit_label="个")
def overdue(unit: Unit, period: Period) -> QuerySet[Finding]:
    """截至期末（期间未结束的截至今天）仍未整改或退回重改、已过整改期限的问题。"""
    as_of = min(period.last, timezone.localdate())
    return (
        Finding.objects.in_subtree(unit)
        .filter(overdue_q(as_of), found_on__lte=as_of)
        .select_related("unit")
    )


ratio_figure(
    "rectified_on_time_rate",
    label="按期整改率",
    numerator="rectified_on_time",
    denominator="rectified",
    description="按期整改的问题 ÷ 整改销号的问题",
)
