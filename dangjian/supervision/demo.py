"""Demo supervision per county: checklists, a year of monthly plans (district patrols every
month, a 20% bureau spot check, quarterly self-checks and liaison re-checks), a few unannounced
visits and one special rectification campaign. Everything goes through the actions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from dangjian.core.demo.hooks import county_hook
from dangjian.orgs.models import Liaison, Unit

from . import actions, rules
from .actions import ItemIn, ResultIn
from .models import Inspection, Result

K = Inspection.Kind
PARTY_WORK = (
    ("班子建设", "党组织书记抓党建述职、“第一议题”学习落实", "有学习记录，每月不少于1次", 10),
    ("班子建设", "“三重一大”事项集体决策", "会议纪要完整，程序规范", 15),
    ("组织生活", "“三会一课”、主题党日按期开展", "会议记录齐全，党员出勤率不低于80%", 15),
    ("组织生活", "党费按月足额收缴", "有收缴台账，无欠缴3个月以上", 10),
    ("师德师风", "在职教师有偿补课排查", "建立排查台账，家长知晓举报渠道", 15),
    ("师德师风", "师德承诺书签订与公示", "全员签订，校内公示", 10),
    ("廉洁风险", "收费公示与退费管理", "收费项目、标准公示上墙，退费及时", 15),
    ("廉洁风险", "物资采购与食堂账目", "账目清楚，采购有比价记录", 10),
)
CAMPAIGN_ITEMS = (
    ("教辅资料", "教辅材料征订“一教一辅”", "学生自愿征订，学校不得收取回扣", 25),
    ("学生保险", "学生保险自愿参保", "不得代收代缴、不得强制或变相强制", 25),
    ("食堂管理", "食堂大宗食材集中采购和陪餐制度", "采购索证索票齐全，校领导陪餐有记录", 25),
    ("招生入学", "义务教育招生“阳光招生”", "按学区划片招生，无择校收费", 25),
)
NOTES = (
    "总体情况良好，资料齐全。",
    "个别记录不够规范，已现场指出。",
    "党建工作与教育教学结合较好。",
    "台账更新不及时，要求一周内补齐。",
)
SPOT_VERDICTS = [Result.Verdict.MET] * 8 + [Result.Verdict.PARTLY] * 3 + [Result.Verdict.NOT_MET]


def _day(rng: random.Random, month: dt.date) -> dt.date:
    return month.replace(day=rng.randint(3, 26))


def _months(today: dt.date) -> list[dt.date]:
    """January of the year up to this month."""
    out, month = [], dt.date(today.year, 1, 1)
    while month <= today:
        out.append(month)
        month = rules.next_month(month)
    return out


def _fill(demo: Any, rng: random.Random, inspection: Inspection, items: list[Any]) -> None:
    day = inspection.planned_on
    actions.inspection_start(actor=demo.actor, inspection=inspection, held_on=day)
    results = [ResultIn(i, rng.choice(SPOT_VERDICTS)) for i in items]
    actions.inspection_record(
        actor=demo.actor, inspection=inspection, results=results, notes=rng.choice(NOTES)
    )
    actions.inspection_complete(actor=demo.actor, inspection=inspection, held_on=day)


def _done(demo: Any, rng: random.Random, inspection: Inspection) -> None:
    actions.inspection_complete(
        actor=demo.actor,
        inspection=inspection,
        held_on=inspection.planned_on,
        notes=rng.choice(NOTES),
    )


@county_hook("督查", 50)
def supervision(demo: Any, bureau: Any, schools: list[Any]) -> None:
    today = min(demo.anchor, timezone.localdate())
    rng = demo.rng(f"supervision:{bureau.code}")
    actor = demo.actor
    active = list(
        Unit.objects.filter(
            pk__in=[s.unit.pk for s in schools],
            status=Unit.Status.ACTIVE,
            kind__in=Unit.SCHOOL_KINDS,
        ).order_by("path")
    )
    if not active:
        return
    monthly = actions.checklist_create(
        actor=actor,
        unit=bureau,
        name="学校党建和党风廉政建设月度督查清单",
        description="一月一督察，督导组面上抽查使用。",
        items=[ItemIn(a, t, s, std) for a, t, std, s in PARTY_WORK],
    )
    special = actions.checklist_create(
        actor=actor,
        unit=bureau,
        name="群众身边不正之风专项整治检查清单",
        items=[ItemIn(a, t, s, std) for a, t, std, s in CAMPAIGN_ITEMS],
    )
    monthly_items = list(monthly.items.all())
    special_items = list(special.items.all())
    year = today.year
    covered = sorted(rng.sample(active, max(1, len(active) // 2)), key=lambda u: u.path)
    campaign = actions.campaign_create(
        actor=actor,
        unit=bureau,
        name=f"{year}年教育领域群众身边不正之风和腐败问题专项整治",
        key_areas=["教辅资料", "学生保险", "食堂管理", "招生入学"],
        starts_on=dt.date(year, 3, 1),
        ends_on=dt.date(year, 6, 30),
        schools=covered,
        description="聚焦教辅征订、学生保险、食堂管理、招生入学，学校自查、学区巡查、局督导组抽查相结合。",
    )
    districts: dict[int, list[Unit]] = {}
    by_id = {u.pk: u for u in Unit.objects.filter(path__startswith=bureau.path)}
    for s in active:
        parent = by_id.get(s.parent_id or 0)
        key = parent.pk if parent is not None and parent.kind == Unit.Kind.DISTRICT_OFFICE else 0
        districts.setdefault(key, []).append(s)
    liaison_schools = [
        li.unit
        for li in Liaison.objects.filter(
            unit__path__startswith=bureau.path, ended_on__isnull=True, unit__status="active"
        ).select_related("unit")
    ]
    this_month = rules.month_start(today)
    for month in _months(today):
        current = month == this_month
        # 学区逐校巡查: every school of each district office, a few missed
        for district_id, units in districts.items():
            owner = by_id.get(district_id, bureau)
            plan = actions.plan_create(
                actor=actor,
                unit=owner,
                month=month,
                kind=K.DISTRICT_PATROL,
                schools=[(u, _day(rng, month)) for u in units],
            )
            if current:
                continue
            for i in plan.inspections.all():
                if rng.random() < 0.06:
                    continue  # not carried out: 一月一督察 missed for some schools
                _done(demo, rng, i)
        # 局督导组面上抽查: spot_check_ratio of the schools with the checklist
        ids = rules.spot_check_sample([s.pk for s in active], seed=month.toordinal())
        picked = [s for s in active if s.pk in set(ids)]
        plan = actions.plan_create(
            actor=actor,
            unit=bureau,
            month=month,
            kind=K.BUREAU_SPOT_CHECK,
            schools=[(u, _day(rng, month)) for u in picked],
            checklist=monthly,
        )
        if not current:
            for i in plan.inspections.all():
                _fill(demo, rng, i, monthly_items)
        # quarterly: self-checks and liaison re-checks
        if month.month in (3, 6, 9, 12) and not current:
            plan = actions.plan_create(
                actor=actor,
                unit=bureau,
                month=month,
                kind=K.SELF_CHECK,
                title=f"{month.year}年{month.month}月学校季度自查",
                schools=[(u, _day(rng, month)) for u in active],
            )
            for i in plan.inspections.all():
                _done(demo, rng, i)
            if liaison_schools:
                plan = actions.plan_create(
                    actor=actor,
                    unit=bureau,
                    month=month,
                    kind=K.LIAISON_RECHECK,
                    schools=[(u, _day(rng, month)) for u in liaison_schools],
                )
                for i in plan.inspections.all():
                    _done(demo, rng, i)
        # the campaign: its visits in the campaign months
        if campaign.starts_on <= month <= campaign.ends_on:
            sample = rng.sample(covered, max(1, len(covered) // 4))
            plan = actions.plan_create(
                actor=actor,
                unit=bureau,
                month=month,
                kind=K.CAMPAIGN_VISIT,
                schools=[(u, _day(rng, month)) for u in sample],
                checklist=special,
                campaign=campaign,
            )
            for i in plan.inspections.all():
                _fill(demo, rng, i, special_items)
    # 四不三直: a few unannounced visits, the last one still ahead (hidden from the school)
    for n, month in enumerate(_months(today)[-3:]):
        u = rng.choice(active)
        i = actions.inspection_create(
            actor=actor,
            unit=u,
            kind=K.UNANNOUNCED,
            planned_on=_day(rng, month),
            checklist=monthly,
            title=f"“四不三直”暗访 {u.name}",
        )
        if n < 2 and month != this_month:
            _fill(demo, rng, i, monthly_items)
    rows = Inspection.objects.in_subtree(bureau)
    done = rows.filter(status=Inspection.Status.DONE).count()
    demo.log(
        f"  督查：{rows.count()}次督查（完成{done}次），"
        f"{rows.filter(unannounced=True).count()}次暗访，专项整治1项"
    )
