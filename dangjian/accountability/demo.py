"""Demo accountability per county: decisions on some of the findings the rectification hook
(order 60) left overdue or re-opened twice — across forms and 四种形态 levels — a couple of
recorded reasons for no accountability, the rest left pending; and about 60 warning-education
sessions a year (seed 004: 2024年，全系统共开展警示教育62场次). Written through the actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.core.demo.hooks import county_hook
from dangjian.orgs.models import Unit
from dangjian.people.models import Person

from . import actions, queries
from .models import WarningSession

SESSIONS_PER_YEAR = 62
TOPICS = {
    WarningSession.Kind.FILM: (
        "观看警示教育片《零容忍》",
        "观看警示教育片《持续发力 纵深推进》",
        "观看教育系统违纪违法典型案例警示片",
    ),
    WarningSession.Kind.BASE_VISIT: ("参观县廉政教育基地", "参观市警示教育基地"),
    WarningSession.Kind.CASE_BRIEFING: (
        "教育系统违反中央八项规定精神典型案例通报",
        "教辅资料征订领域违纪案例通报",
        "校园食堂管理领域违纪案例通报",
        "有偿补课典型问题通报",
    ),
    WarningSession.Kind.PARTY_LECTURE: (
        "学习《中国共产党纪律处分条例》专题党课",
        "以案为鉴 筑牢拒腐防变思想防线专题党课",
    ),
    WarningSession.Kind.CASE_STUDY: ("以案促改专题学习会", "身边案例警示教育学习会"),
}
KINDS = list(TOPICS)
# (form, sub_kind, notes) for the decisions made, from light to heavy
DECISIONS = (
    ("talk_reminder", "", "整改逾期，对学校党组织书记进行谈话提醒"),
    ("criticism", "", "整改责任落实不到位，批评教育"),
    ("talk_reminder", "", "整改两次验收未通过，谈话提醒并限期整改"),
    ("self_exam", "", "责令作出书面检查"),
    ("bulletin_criticism", "", "在全县教育系统通报批评"),
    ("admonishment", "", "诫勉谈话"),
    ("party_sanction", "warning", "给予党内警告处分"),
)
NO_DECISION_REASONS = (
    "经核查，逾期系学校校舍改造工期延误所致，现已整改到位，情节轻微，不予追责。",
    "责任人已调离本系统，问题线索移交其现任职单位处理。",
)


def _sessions(demo: Any, bureau: Unit, schools: list[Unit]) -> int:
    rng = demo.rng(f"warning:{bureau.pk}")
    made = 0
    anchor = demo.anchor
    for year in (anchor.year - 1, anchor.year):
        months = 12 if year < anchor.year else anchor.month - 1
        total = round(SESSIONS_PER_YEAR * months / 12)
        for i in range(total):
            month = 1 + i * months // total
            held_on = dt.date(year, month, rng.randint(3, 26))
            # a few bureau-wide sessions (专题党课, 案例通报会), most at the schools
            unit = bureau if rng.random() < 0.12 else rng.choice(schools)
            kind = rng.choice(KINDS)
            expected = rng.randint(60, 150) if unit is bureau else rng.randint(15, 70)
            actions.session_create(
                actor=demo.actor,
                unit=unit,
                held_on=held_on,
                kind=kind,
                topic=rng.choice(TOPICS[kind]),
                expected_count=expected,
                present_count=expected - rng.randint(0, 3),
                notes="参加人员结合岗位实际撰写心得体会。" if rng.random() < 0.4 else "",
                today=anchor,
            )
            made += 1
    return made


def _decisions(demo: Any, bureau: Unit) -> tuple[int, int]:
    rng = demo.rng(f"accountability:{bureau.pk}")
    findings = list(
        queries.needing_decision(demo.actor, demo.anchor).filter(unit__path__startswith=bureau.path)
    )
    made = nones = 0
    abbr = bureau.name[:1]
    for n, f in enumerate(findings):
        rect = f.rectification
        earliest = max(rect.deadline, f.found_on) + dt.timedelta(days=16)
        decided_on = min(demo.anchor, earliest + dt.timedelta(days=rng.randint(0, 10)))
        if n < len(DECISIONS):
            form, sub_kind, notes = DECISIONS[n]
            person = (
                Person.objects.filter(unit=f.unit, status=Person.Status.ACTIVE)
                .order_by("pk")
                .first()
            )
            if person is None:
                continue
            sanction = form == "party_sanction"
            actions.record_create(
                actor=demo.actor,
                unit=f.unit,
                findings=[f],
                people=[person],
                form=form,
                sub_kind=sub_kind,
                decided_on=decided_on,
                decided_by=f"{bureau.name}纪检组" if sanction else f"{bureau.name}党委",
                document_number=f"{abbr}教{'纪' if sanction else '党'}〔{decided_on.year}〕"
                f"{n + 1}号",
                notes=notes,
                today=demo.anchor,
            )
            made += 1
        elif n < len(DECISIONS) + len(NO_DECISION_REASONS):
            actions.no_decision_create(
                actor=demo.actor,
                finding=f,
                reason=NO_DECISION_REASONS[n - len(DECISIONS)],
                decided_by=f"{bureau.name}党委",
                decided_on=decided_on,
                today=demo.anchor,
            )
            nones += 1
    return made, nones


@county_hook("追责问责与警示教育", 70)
def accountability(demo: Any, bureau: Unit, schools: list[Any]) -> None:
    units = list(
        Unit.objects.filter(
            pk__in=[s.unit.pk for s in schools], status=Unit.Status.ACTIVE
        ).order_by("path")
    )
    sessions = _sessions(demo, bureau, units) if units else 0
    made, nones = _decisions(demo, bureau)
    demo.log(f"  追责问责：{made}件问责决定，{nones}件不予追责；警示教育{sessions}场次")
