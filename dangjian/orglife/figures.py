"""Figures of organisational life (STYLE.md §5): meetings by kind, 第一议题 and 主题党日
sessions, and the two counts behind the compliance rate.

org_life_compliance_rate = compliant_branch_months / branch_months: the share of branch-months
(a branch in one calendar month that has ended) in which the branch met every monthly
requirement that applied to it (主题党日; 支委会 with ≥ 7 full members; each party group's
meeting). The registry's values are integers, so the rate is shown from the two counts.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When
from django.utils import timezone

from dangjian.core.figures import figure, ratio_figure
from dangjian.core.periods import Period
from dangjian.orgs.models import PartyOrg, Unit

from . import queries, rules
from .models import Meeting


def _meetings(unit: Unit, period: Period) -> QuerySet[Meeting]:
    return (
        Meeting.objects.in_subtree(unit)
        .filter(held_on__gte=period.start, held_on__lt=period.end)
        .select_related("org__unit")
    )


@figure("meetings_by_kind", label="组织生活", unit_label="次", breakdown="kind")
def meetings_by_kind(unit: Unit, period: Period) -> QuerySet[Meeting]:
    """期间内登记的三会一课、主题党日、组织生活会、民主评议党员和第一议题学习，按会议类型分列（一次会议计一次，按主类型）。"""
    return _meetings(unit, period)


@figure("first_topic_sessions", label="第一议题学习", unit_label="次")
def first_topic_sessions(unit: Unit, period: Period) -> QuerySet[Meeting]:
    """期间内开展的“第一议题”学习（含与其他会议合并开展的）。"""
    return _meetings(unit, period).filter(tags__kind=rules.Kind.FIRST_TOPIC)


@figure("theme_days", label="主题党日", unit_label="次")
def theme_days(unit: Unit, period: Period) -> QuerySet[Meeting]:
    """期间内开展的主题党日活动（含与三会一课合并开展的）。"""
    return _meetings(unit, period).filter(tags__kind=rules.Kind.THEME_DAY)


def _branch_months(unit: Unit, period: Period, compliant: bool) -> QuerySet[PartyOrg]:
    """The branches, each annotated with its (compliant) branch-months in the period: the
    value is their sum. Months count once they have ended (judged as of today)."""
    today = timezone.localdate()
    per_branch: dict[int, int] = {}
    for year in range(period.start.year, period.last.year + 1):
        rollup = queries.compliance(year, today, paths=[unit.path], with_grid=False)
        for b in rollup.branches:
            for p in rules.periods(year, rules.Span.MONTH):
                if p.start < period.start or p.end > period.end or p.last >= today:
                    continue
                ok = rules.month_compliant(b.cells, p.index)
                if ok is None or (compliant and not ok):
                    continue
                per_branch[b.id] = per_branch.get(b.id, 0) + 1
    # few distinct values (0–12 per year): one WHEN per value, not per branch
    by_value: dict[int, list[int]] = {}
    for pk, n in per_branch.items():
        by_value.setdefault(n, []).append(pk)
    months = Case(
        *(When(pk__in=pks, then=Value(n)) for n, pks in sorted(by_value.items())),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        PartyOrg.objects.filter(pk__in=list(per_branch))
        .annotate(figure_months=months)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


@figure(
    "compliant_branch_months",
    label="组织生活按月达标的支部月",
    unit_label="个",
    aggregate=lambda: Sum("figure_months"),
)
def compliant_branch_months(unit: Unit, period: Period) -> QuerySet[PartyOrg]:
    """期间内已结束的月份中，党支部当月主题党日、支委会（正式党员7人以上）、各党小组会均已开展的“支部月”数；列出有达标月份的支部。"""
    return _branch_months(unit, period, compliant=True)


@figure(
    "branch_months",
    label="应开展组织生活的支部月",
    unit_label="个",
    aggregate=lambda: Sum("figure_months"),
)
def branch_months(unit: Unit, period: Period) -> QuerySet[PartyOrg]:
    """期间内已结束的月份中，党支部存在、须按月开展组织生活的“支部月”数（按月达标率的分母）。"""
    return _branch_months(unit, period, compliant=False)


ratio_figure(
    "org_life_compliance_rate",
    label="组织生活按月达标率",
    numerator="compliant_branch_months",
    denominator="branch_months",
    description="已结束月份中，支部当月组织生活全部达标的支部月占应开展支部月的百分比。",
)
