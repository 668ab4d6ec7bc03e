"""Figures of 三重一大 supervision (issue 6 §5; seed 004: "全县48所公办学校共申报议题132个").
Each number is the queryset that explains it: schools, items, flags, meetings, spot checks."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from dangjian.core.figures import figure, ratio_figure
from dangjian.core.periods import Period
from dangjian.orgs.models import Unit

from . import queries
from .models import AgendaItem, DecisionMeeting, ItemFlag, SpotCheck


def _as_of(period: Period) -> dt.date:
    """Flags are read at the period's end, or today while the period runs."""
    return min(period.last, timezone.localdate())


def _items(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """Items of the period: filed in it, or (never filed) decided in it."""
    return (
        AgendaItem.objects.in_subtree(unit)
        .filter(queries.in_period_q(period))
        .select_related("unit")
    )


def _filed(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.in_subtree(unit)
        .filter(filed_on__gte=period.start, filed_on__lt=period.end)
        .select_related("unit")
    )


@figure("decision_schools_filing", label="报备三重一大议题的学校", unit_label="所")
def decision_schools_filing(unit: Unit, period: Period) -> QuerySet[Unit]:
    """期间内向教育局报备过三重一大议题的学校。"""
    return Unit.objects.in_subtree(unit).filter(pk__in=_filed(unit, period).values("unit_id"))


@figure(
    "decision_items_filed",
    label="报备三重一大议题",
    unit_label="个",
    breakdown="category",
)
def decision_items_filed(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """期间内学校在会前报备的三重一大议题（含被退回后重新报备的，按最后一次报备日期计）。"""
    return _filed(unit, period)


@figure(
    "decision_items_by_category",
    label="三重一大议题（按类别）",
    unit_label="个",
    breakdown="category",
)
def decision_items_by_category(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """期间内报备或（未报备而）决策的议题，按重大事项决策、重要干部任免、重大项目安排、大额度资金使用分类。"""
    return _items(unit, period)


@figure(
    "decision_items_by_status",
    label="三重一大议题（按状态）",
    unit_label="个",
    breakdown="status",
)
def decision_items_by_status(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """期间内报备或（未报备而）决策的议题，按当前状态分类。"""
    return _items(unit, period)


@figure("decision_items_flagged", label="存在问题提示的三重一大议题", unit_label="个")
def decision_items_flagged(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """期间内的议题中，截至期末（期间未结束的截至今天）有任一违规或预警提示的。"""
    return queries.flagged(_items(unit, period), _as_of(period))


@figure(
    "decision_items_violating",
    label="存在违规的三重一大议题",
    unit_label="个",
)
def decision_items_violating(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """期间内的议题中，截至期末有违规提示（不含仅有预警）的。"""
    return queries.flagged(_items(unit, period), _as_of(period), severity="violation")


@figure(
    "decision_flags",
    label="三重一大问题提示（按类型）",
    unit_label="条",
    breakdown="code",
)
def decision_flags(unit: Unit, period: Period) -> QuerySet[ItemFlag]:
    """期间内议题的问题提示，一个议题的每类问题计一条；执行逾期按期末（或今天）是否逾期计。"""
    return (
        ItemFlag.objects.filter(item__in=_items(unit, period).values("pk"))
        .filter(ItemFlag.active_q(_as_of(period)))
        .select_related("item", "item__unit")
    )


@figure("decision_execution_overdue", label="决策执行逾期", unit_label="个")
def decision_execution_overdue(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """截至期末（期间未结束的截至今天）超过执行期限仍未执行完毕的议题（不论何时决策）。"""
    as_of = _as_of(period)
    return (
        AgendaItem.objects.in_subtree(unit)
        .filter(queries.execution_overdue_q(as_of), execution__started_on__lte=as_of)
        .select_related("unit")
    )


@figure("decision_meetings", label="三重一大决策会议", unit_label="次")
def decision_meetings(unit: Unit, period: Period) -> QuerySet[DecisionMeeting]:
    """期间内登记的决策会议（含以传签、个别征求意见代替开会的记录）。"""
    return DecisionMeeting.objects.in_subtree(unit).filter(
        held_on__gte=period.start, held_on__lt=period.end
    )


@figure("decision_spot_checks", label="三重一大抽查", unit_label="次", breakdown="result")
def decision_spot_checks(unit: Unit, period: Period) -> QuerySet[SpotCheck]:
    """期间内纪检对已决策议题的抽查。"""
    return (
        SpotCheck.objects.in_subtree(unit)
        .filter(checked_on__gte=period.start, checked_on__lt=period.end)
        .select_related("item", "unit")
    )


@figure("decision_spot_check_problems", label="三重一大抽查发现问题", unit_label="个")
def decision_spot_check_problems(unit: Unit, period: Period) -> QuerySet[SpotCheck]:
    """期间内抽查发现问题、已转入问题整改的。"""
    return decision_spot_checks(unit, period).filter(result=SpotCheck.Result.PROBLEM)


@figure(
    "decision_schools_flagged",
    label="三重一大议题存在问题的学校",
    unit_label="所",
)
def decision_schools_flagged(unit: Unit, period: Period) -> QuerySet[Unit]:
    """期间内至少有一个议题存在问题提示的学校。"""
    return Unit.objects.in_subtree(unit).filter(
        pk__in=decision_items_flagged(unit, period).values("unit_id")
    )


@figure("decision_items_clean", label="无问题提示的三重一大议题", unit_label="个")
def decision_items_clean(unit: Unit, period: Period) -> QuerySet[AgendaItem]:
    """期间内的议题中，截至期末没有任何问题提示的。"""
    return queries.unflagged(_items(unit, period), _as_of(period))


ratio_figure(
    "decision_items_clean_rate",
    label="三重一大议题合规率",
    numerator="decision_items_clean",
    denominator="decision_items_by_category",
    description="期间内无任何问题提示的议题 ÷ 期间内的议题",
)
