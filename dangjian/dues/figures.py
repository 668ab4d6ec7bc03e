"""Dues figures (STYLE.md §5): expected and received money, members in arrears.

Money figures aggregate with Sum over the rows that explain them (core.figures.value() rounds
to int today: `money_value` keeps the Decimal until the registry does).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangjian.core import figures as registry
from dangjian.core.figures import figure
from dangjian.core.periods import Period
from dangjian.party.models import PartyMember

from . import queries
from .models import DuesCharge, DuesPayment


def _sum() -> Any:
    return Coalesce(
        Sum("amount"),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def money_value(name: str, unit: Any, period: Period) -> Decimal:
    """The figure's aggregate as Decimal (money), from the same rows as registry.value()."""
    fig = registry.get(name)
    result = registry.rows(name, unit, period).aggregate(v=fig.aggregate())["v"]
    return Decimal(result or 0).quantize(Decimal("0.01"))


@figure("dues_expected", label="应交党费", unit_label="元", aggregate=_sum)
def dues_expected(unit: Any, period: Period) -> QuerySet[DuesCharge]:
    """期间内各月党员应交党费（按核定基数和比例计算，已扣除批准的减免）。"""
    return (
        DuesCharge.objects.in_subtree(unit)
        .filter(month__gte=period.start, month__lt=period.end)
        .select_related("member__person")
    )


@figure("dues_received", label="实交党费", unit_label="元", aggregate=_sum)
def dues_received(unit: Any, period: Period) -> QuerySet[DuesPayment]:
    """期间内各月已登记的党费（按所属月份计，不含自愿多交）。"""
    return (
        DuesPayment.objects.in_subtree(unit)
        .filter(month__gte=period.start, month__lt=period.end, voluntary_extra=False)
        .select_related("member__person")
    )


def _as_of(period: Period) -> dt.date:
    return min(period.end, timezone.localdate())


def _in_arrears(unit: Any, period: Period, minimum: int) -> QuerySet[PartyMember]:
    members = queries.active_members(PartyMember.objects.in_subtree(unit))
    found = [pk for pk, s in queries.streaks(members, _as_of(period)).items() if s >= minimum]
    return PartyMember.objects.filter(pk__in=found).select_related("person", "branch")


@figure("members_in_arrears_3", label="连续3个月以上未交党费党员", unit_label="人")
def members_in_arrears_3(unit: Any, period: Period) -> QuerySet[PartyMember]:
    """期末（或今天，取早者）连续3个月及以上未交党费的党员（应予提醒）。"""
    return _in_arrears(unit, period, queries.thresholds()[0])


@figure("members_in_arrears_6", label="连续6个月以上未交党费党员", unit_label="人")
def members_in_arrears_6(unit: Any, period: Period) -> QuerySet[PartyMember]:
    """期末（或今天，取早者）连续6个月及以上未交党费的党员（党章第九条，应由支部大会讨论）。"""
    return _in_arrears(unit, period, queries.thresholds()[1])
