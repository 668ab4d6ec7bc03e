"""Figures of the unit tree, party organisations, liaison cadres and exchanges (STYLE.md §5).

Each figure returns the rows that explain it; the registry aggregates over exactly those rows.
Units closed or merged later still count for the periods in which they existed.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period

from .models import Exchange, Liaison, PartyOrg, Post, Unit, UnitEvent

# closures and mergers are counted for schools and the institutions the bureau supervises,
# not for bureaus and district offices (which are offices, not 学校)
ADMINISTRATIVE_KINDS = frozenset({*Unit.BUREAU_KINDS, Unit.Kind.DISTRICT_OFFICE})


def _schools_during(unit: Unit, period: Period) -> QuerySet[Unit]:
    return (
        Unit.objects.in_subtree(unit)
        .active_during(period.start, period.end)
        .filter(kind__in=Unit.SCHOOL_KINDS)
    )


@figure("units_by_kind", label="单位", unit_label="个", breakdown="kind")
def units_by_kind(unit: Unit, period: Period) -> QuerySet[Unit]:
    """本单位及下级单位中，期间内存在过的单位（含期间内撤并的单位），按类型分列。"""
    return Unit.objects.in_subtree(unit).active_during(period.start, period.end)


def _ended(unit: Unit, period: Period, kind: str) -> QuerySet[UnitEvent]:
    return (
        UnitEvent.objects.in_subtree(unit)
        .filter(kind=kind, happened_on__gte=period.start, happened_on__lt=period.end)
        .exclude(unit__kind__in=ADMINISTRATIVE_KINDS)
        .select_related("unit", "successor")
    )


@figure("units_closed", label="撤销学校", unit_label="所")
def units_closed(unit: Unit, period: Period) -> QuerySet[UnitEvent]:
    """期间内撤销的学校、幼儿园及校外培训、托管机构（以撤销日期计）。"""
    return _ended(unit, period, UnitEvent.Kind.CLOSURE)


@figure("units_merged", label="合并学校", unit_label="所")
def units_merged(unit: Unit, period: Period) -> QuerySet[UnitEvent]:
    """期间内并入其他单位的学校、幼儿园及机构（以合并日期计）。"""
    return _ended(unit, period, UnitEvent.Kind.MERGER)


@figure("party_orgs_by_kind", label="党组织", unit_label="个", breakdown="kind")
def party_orgs_by_kind(unit: Unit, period: Period) -> QuerySet[PartyOrg]:
    """本单位及下级单位中有效的党组织（期末前成立），按党委、党总支、党支部、党小组分列。"""
    return (
        PartyOrg.objects.in_subtree(unit)
        .filter(is_active=True)
        .filter(Q(established_on__isnull=True) | Q(established_on__lt=period.end))
        .select_related("unit")
    )


@figure("liaison_assignments", label="挂联干部", unit_label="人次")
def liaison_assignments(unit: Unit, period: Period) -> QuerySet[Liaison]:
    """挂联学校在本单位下、期间内任一天处于挂联（蹲点）状态的安排（三挂一蹲点）。"""
    # the school's side only: a cadre of this bureau assigned elsewhere is not counted here
    return (
        Liaison.objects.filter(unit__path__startswith=unit.path)
        .filter(started_on__lt=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .select_related("cadre", "unit")
    )


@figure("exchanges", label="交流轮岗", unit_label="人次", breakdown="kind")
def exchanges(unit: Unit, period: Period) -> QuerySet[Exchange]:
    """期间内调出或调入本单位及下级单位的教师交流、轮岗、支教记录（区管校聘）。"""
    return (
        Exchange.objects.in_subtree(unit)
        .filter(happened_on__gte=period.start, happened_on__lt=period.end)
        .select_related("person", "from_unit", "to_unit")
    )


@figure("schools_with_principal_system", label="实行党组织领导的校长负责制学校", unit_label="所")
def schools_with_principal_system(unit: Unit, period: Period) -> QuerySet[Unit]:
    """期间内存在、期末前已实行党组织领导的校长负责制的学校和幼儿园。"""
    return (
        _schools_during(unit, period)
        .filter(principal_responsibility_system=True)
        .filter(Q(principal_system_since__isnull=True) | Q(principal_system_since__lt=period.end))
    )


@figure("schools_dual_role", label="书记、校长“一肩挑”学校", unit_label="所")
def schools_dual_role(unit: Unit, period: Period) -> QuerySet[Unit]:
    """党组织书记在期末最后一天在任、且为本校现任校长（园长）的学校和幼儿园。"""
    secretary_is_head = Post.objects.filter(
        org__unit=OuterRef("pk"),
        person=OuterRef("head"),
        title=Post.Title.SECRETARY,
        started_on__lte=period.last,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=period.last))
    return (
        _schools_during(unit, period).filter(head__isnull=False).filter(Exists(secretary_is_head))
    )
