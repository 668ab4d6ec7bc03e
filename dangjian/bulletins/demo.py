"""Demo bulletins per county: the bureau issues the monthly bulletin (一月一通报) for every
finished month of the year, mostly by the 10th of the next month and once late, naming good
practices and problems from that month; the last finished month is left as a draft for the demo
users to issue. Written through the actions; the documents are written right away."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.core.demo.hooks import county_hook
from dangjian.rectification.models import Finding
from dangjian.supervision.models import Inspection

from . import actions, rules, tasks

GOOD = (
    "把“三重一大”事项集体决策纳入党组织会议议事规则，议题提前报备、会议记录完整规范，值得各校学习。",
    "建立“党员示范岗+班级责任区”机制，党员教师带头承担课后服务和家访，群众满意度明显提升。",
    "主题党日与“双减”工作结合，组织党员教师开展作业设计研讨，做法实、效果好。",
    "对自查发现的问题建立清单、逐项销号，整改佐证材料齐全，做到立行立改。",
    "党费收缴按月足额、公示及时，台账清晰，在全县党费专项检查中表现突出。",
)
REQUIREMENTS = (
    "各学校要对照本期通报问题开展自查自纠，举一反三、建章立制。",
    "逾期未整改的学校要在5个工作日内报送整改情况，学区和挂联干部跟踪督办。",
    "下月起督导组将对本期通报问题开展“回头看”，对整改不力的严肃追责问责。",
)


def _months(today: dt.date) -> list[dt.date]:
    """Finished months of the year, oldest first."""
    out, month = [], dt.date(today.year, 1, 1)
    while month < today.replace(day=1):
        out.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _examples(demo: Any, rng: Any, bulletin: Any, month: dt.date, end: dt.date) -> None:
    done = list(
        Inspection.objects.filter(
            unit__path__startswith=bulletin.unit.path,
            status=Inspection.Status.DONE,
            held_on__gte=month,
            held_on__lt=end,
        )
        .select_related("unit")
        .order_by("pk")
    )
    bad = list(
        Finding.objects.filter(
            unit__path__startswith=bulletin.unit.path, found_on__gte=month, found_on__lt=end
        )
        .select_related("unit", "rectification")
        .order_by("-severity", "pk")
    )
    for inspection in rng.sample(done, min(len(done), rng.randint(1, 2))):
        actions.example_add(
            actor=demo.actor,
            bulletin=bulletin,
            kind="good",
            unit=inspection.unit,
            text=rng.choice(GOOD),
        )
    for finding in bad[: rng.randint(1, 2)]:
        actions.example_add(
            actor=demo.actor,
            bulletin=bulletin,
            kind="bad",
            unit=finding.unit,
            finding=finding,
            text=f"{finding.area}方面：{finding.description.rstrip('。')}。请于整改期限内整改到位并报送佐证材料。",
        )


@county_hook("督导通报", 75)
def bulletins(demo: Any, bureau: Any, schools: list[Any]) -> None:
    today = min(demo.anchor, timezone.localdate())
    rng = demo.rng(f"bulletins:{bureau.code}")
    months = _months(today)
    late = rng.randrange(len(months)) if len(months) > 2 else -1
    for n, month in enumerate(months):
        end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        drafted = min(end + dt.timedelta(days=rng.randint(1, 4)), today)
        bulletin = actions.bulletin_create(
            actor=demo.actor,
            unit=bureau,
            month=month,
            requirements="\n".join(REQUIREMENTS),
            today=drafted,
        )
        _examples(demo, rng, bulletin, month, end)
        if month == months[-1]:
            continue  # the latest month waits for the demo users to issue it
        day = rules.BULLETIN_DAY + 3 if n == late else rng.randint(5, rules.BULLETIN_DAY)
        issued = actions.bulletin_issue(
            actor=demo.actor, bulletin=bulletin, today=min(end.replace(day=day), today)
        )
        tasks.write_document(issued.pk)
