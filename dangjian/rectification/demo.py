"""Demo findings for a county (hook order 60, after supervision's inspections at 50): a few
findings from the done inspections and many self-check findings (the seed's ratio: 自查问题275个
vs 发现问题15个 a year for 55 schools), most rectified on time, some overdue, some re-opened
once. Completion evidence is on paper in the demo (no files are written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.core.demo.hooks import county_hook
from dangjian.orgs.models import Unit
from dangjian.supervision.models import Inspection

from . import actions
from .models import Finding, Rectification

SELF_CHECK_PER_SCHOOL_YEAR = 275 / 55
INSPECTION_PER_SCHOOL_YEAR = 15 / 55
AREAS = [
    ("党费收缴", "个别党员党费未按月交纳，收缴台账登记不全"),
    ("三会一课", "支部党员大会会议记录不完整，缺少表决结果"),
    ("主题党日", "主题党日活动方案未报备，活动记录无照片"),
    ("组织生活会", "组织生活会批评意见辣味不足，整改清单未公示"),
    ("发展党员", "入党积极分子培养考察记录未按季度填写"),
    ("意识形态", "意识形态工作责任制落实情况未专题研究"),
    ("师德师风", "教师有偿补课排查台账不完整"),
    ("食堂管理", "食堂食材采购验收记录缺签字，留样不足48小时"),
    ("教辅征订", "教辅材料征订未履行家长自愿程序"),
    ("学生保险", "学生保险存在推荐特定保险公司的情况"),
    ("招生入学", "招生入学材料审核记录不完整"),
    ("八上墙", "党建制度上墙内容未及时更新"),
    ("党建档案", "党组织换届选举档案归档不及时"),
    ("财务管理", "公务接待清单与发票不一致"),
]
RULES_BROKEN = {
    "党费收缴": "《关于中国共产党党费收缴、使用和管理的规定》",
    "三会一课": "《中国共产党支部工作条例（试行）》第十九条",
    "食堂管理": "督查清单：食堂食品安全管理",
    "教辅征订": "督查清单：教辅材料征订",
}
MEASURES = [
    "已补齐记录并由支部书记签字确认，建立月度自查制度。",
    "召开支委会专题研究，明确责任人，完成整改并存档。",
    "已对照清单逐项整改，相关材料已归档备查。",
]
PAPER = "纸质材料存学校党建档案"


def _severity(rng: Any) -> str:
    x = rng.random()
    return "minor" if x < 0.4 else "general" if x < 0.9 else "serious"


def _between(rng: Any, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _lifecycle(demo: Any, rng: Any, rect: Rectification, today: dt.date) -> None:
    """Take the rectification as far as its dates allow: most on time, some late, some
    re-opened once, some left overdue."""
    actor = demo.actor
    found = rect.finding.found_on
    x = rng.random()
    if x < 0.06 and rect.deadline < today:
        return  # left open: overdue
    if x < 0.11:
        submit_on = rect.deadline + dt.timedelta(days=rng.randint(1, 10))  # late
    else:
        submit_on = _between(rng, found + dt.timedelta(days=1), rect.deadline)
    if submit_on > today:
        return
    measures = rng.choice(MEASURES)
    actions.rectification_submit(
        actor=actor, rectification=rect, measures=measures, evidence_note=PAPER, on=submit_on
    )
    check_on = submit_on + dt.timedelta(days=rng.randint(1, 5))
    if check_on > today:
        return
    if rng.random() < 0.08:
        actions.rectification_reject(
            actor=actor,
            rectification=rect,
            reasons="整改材料不完整，现场复查仍有问题，请补充整改。",
            on=check_on,
        )
        again = _between(rng, check_on + dt.timedelta(days=1), rect.deadline)
        if again > today:
            return
        actions.rectification_submit(
            actor=actor,
            rectification=rect,
            measures=measures + "已按退回意见补充整改。",
            evidence_note=PAPER,
            on=again,
        )
        check_on = again + dt.timedelta(days=rng.randint(1, 5))
        if check_on > today:
            return
    actions.rectification_verify(
        actor=actor, rectification=rect, note="整改到位，同意销号。", on=check_on
    )


def _record(
    demo: Any,
    rng: Any,
    school: Any,
    source: str,
    found_on: dt.date,
    inspection: Any,
    today: dt.date,
) -> None:
    area, text = rng.choice(AREAS)
    finding = actions.finding_create(
        actor=demo.actor,
        unit=school,
        source=source,
        inspection=inspection,
        area=area,
        description=text,
        severity=_severity(rng),
        found_on=found_on,
        rule_broken=RULES_BROKEN.get(area, ""),
        today=today,
    )
    _lifecycle(demo, rng, finding.rectification, today)


@county_hook("问题整改", 60)
def rectification(demo: Any, bureau: Any, schools: list[Any]) -> None:
    today = min(demo.anchor, timezone.localdate())
    first = dt.date(today.year, 1, 1)
    share = ((today - first).days + 1) / 365
    rng = demo.rng(f"rectification:{bureau.code}")
    active = list(
        Unit.objects.filter(
            pk__in=[s.unit.pk for s in schools], status=Unit.Status.ACTIVE
        ).order_by("pk")
    )
    if not active:
        return
    done = list(
        Inspection.objects.in_subtree(bureau)
        .filter(status=Inspection.Status.DONE, held_on__gte=first, held_on__lte=today)
        .select_related("unit")
        .order_by("held_on", "pk")
    )
    self_checks: dict[int, list[Any]] = {}
    for i in done:
        if i.kind == Inspection.Kind.SELF_CHECK:
            self_checks.setdefault(i.unit_id, []).append(i)
    visits = [i for i in done if i.kind != Inspection.Kind.SELF_CHECK and i.unit.is_active]
    wanted = round(len(active) * INSPECTION_PER_SCHOOL_YEAR * share)
    for i in sorted(rng.sample(visits, min(wanted, len(visits))), key=lambda i: i.pk):
        _record(demo, rng, i.unit, Finding.Source.INSPECTION, i.held_on or i.planned_on, i, today)
    total = round(len(active) * SELF_CHECK_PER_SCHOOL_YEAR * share)
    for _ in range(total):
        school = rng.choice(active)
        own = [i for i in self_checks.get(school.pk, []) if i.held_on]
        if own:
            inspection = rng.choice(own)
            found_on = inspection.held_on
        else:
            inspection, found_on = None, _between(rng, first, today)
        _record(demo, rng, school, Finding.Source.SELF_CHECK, found_on, inspection, today)
