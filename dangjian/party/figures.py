"""Figures of party members and transfers (STYLE.md §5): each is the rows that explain it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period
from dangjian.orgs.models import Unit

from .models import PartyMember, Transfer


def _members(unit: Unit) -> QuerySet[PartyMember]:
    return PartyMember.objects.in_subtree(unit).select_related("person", "branch__unit")


@figure("members_by_status", label="党员", unit_label="名", breakdown="status")
def members_by_status(unit: Unit, period: Period) -> QuerySet[PartyMember]:
    """本单位及下级单位党组织的党员（期末前入党），按预备党员、正式党员、停止党籍等现状分列。"""
    return _members(unit).filter(joined_on__lt=period.end)


@figure("probationary_made_full", label="预备党员转正", unit_label="名")
def probationary_made_full(unit: Unit, period: Period) -> QuerySet[PartyMember]:
    """转正日期在期间内的党员（转正日期即预备期满之日，党龄自此起算，RULES.md §2）。"""
    return _members(unit).filter(full_on__gte=period.start, full_on__lt=period.end)


def _confirmed(period: Period) -> QuerySet[Transfer]:
    return Transfer.objects.filter(
        status=Transfer.Status.CONFIRMED,
        confirmed_on__gte=period.start,
        confirmed_on__lt=period.end,
    ).select_related("member__person", "from_branch__unit", "to_branch__unit")


@figure("transfers_in", label="组织关系转入", unit_label="人次")
def transfers_in(unit: Unit, period: Period) -> QuerySet[Transfer]:
    """期间内接收转入本单位及下级单位党组织的组织关系（来自系统外或本范围以外的党组织）。"""
    inside = Q(to_branch__unit__path__startswith=unit.path)
    from_inside = Q(from_branch__unit__path__startswith=unit.path)
    return _confirmed(period).filter(inside).exclude(from_inside)


@figure("transfers_out", label="组织关系转出", unit_label="人次")
def transfers_out(unit: Unit, period: Period) -> QuerySet[Transfer]:
    """期间内从本单位及下级单位党组织转出、已被接收的组织关系（转往本范围以外或系统外）。"""
    outgoing = Q(from_branch__unit__path__startswith=unit.path)
    to_inside = Q(to_branch__unit__path__startswith=unit.path)
    return _confirmed(period).filter(outgoing).exclude(to_inside)


@figure("mobile_members", label="流动党员", unit_label="名")
def mobile_members(unit: Unit, period: Period) -> QuerySet[PartyMember]:
    """期末在册（预备、正式党员）且标记为流动党员的党员。"""
    return _members(unit).filter(
        is_mobile=True,
        status__in=PartyMember.ACTIVE_STATUSES,
        joined_on__lt=period.end,
    )
