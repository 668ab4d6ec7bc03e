"""Demo org life per county: a year of meetings per branch (most compliant, some behind on
lectures and theme days, a few with missing months), checklists, model posts and pledges.

Members come from the party hook (order 10). Everything is written through the actions.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from dangjian.core.demo.hooks import county_hook
from dangjian.orgs.models import PartyOrg, Post, Unit
from dangjian.party.models import PartyMember

from . import actions
from .actions import AttendanceIn, ItemIn, ScoreIn, member_active_on
from .models import Attendance, Meeting, StandardChecklist, Vanguard

THEMES = (
    "学习贯彻党的二十届三中全会精神",
    "重温入党誓词",
    "学习《中国共产党纪律处分条例》",
    "师德师风专题学习",
    "参观革命传统教育基地",
    "“我为群众办实事”志愿服务",
    "学习习近平总书记关于教育的重要论述",
    "清廉学校建设专题讨论",
    "“双减”工作推进交流",
    "安全教育与校园稳定",
)
PLACES = ("党员活动室", "学校会议室", "多功能厅", "图书馆报告厅")
ABSENT_REASONS = ("外出培训", "病假", "带学生参加比赛", "事假")
FIVE_GOOD = (
    ("支部班子好：书记、委员配备齐全，分工明确", 20),
    ("党员队伍好：党员作用发挥明显，示范岗、责任区落实", 20),
    ("工作机制好：“三会一课”、主题党日等制度落实", 20),
    ("工作业绩好：党建带动教育教学质量提升", 20),
    ("群众反映好：师生和家长满意度高", 20),
)
EIGHT_WALLS = (
    ("入党誓词", 10),
    ("党员权利和义务", 10),
    ("党支部工作职责", 15),
    ("党支部书记职责", 15),
    ("“三会一课”制度", 15),
    ("党员发展流程", 10),
    ("党费收缴管理制度", 10),
    ("党员示范岗、责任区公示", 15),
)


def _secretary(branch: PartyOrg) -> Any:
    post = (
        Post.objects.filter(org=branch, title=Post.Title.SECRETARY, ended_on__isnull=True)
        .select_related("person")
        .first()
    )
    return post.person if post else None


def _attendance(rng: random.Random, members: list[PartyMember], day: dt.date) -> list[AttendanceIn]:
    rows = []
    for m in members:
        if not member_active_on(m, day):
            continue
        if rng.random() < 0.08:
            rows.append(AttendanceIn(m, Attendance.Status.EXCUSED, rng.choice(ABSENT_REASONS)))
        else:
            rows.append(AttendanceIn(m, Attendance.Status.PRESENT))
    return rows


def _day(rng: random.Random, year: int, month: int, lo: int = 3, hi: int = 26) -> dt.date:
    return dt.date(year, month, rng.randint(lo, hi))


def _branch_year(demo: Any, branch: PartyOrg, groups: list[PartyOrg]) -> int:
    """Meetings of one branch from January of the anchor year to the month before the anchor."""
    rng = demo.rng(f"orglife:{branch.pk}")
    anchor = demo.anchor
    year = anchor.year
    pattern = rng.random()
    behind = 0.72 <= pattern < 0.9  # skips lectures and some theme days
    gaps = set(rng.sample(range(1, anchor.month), k=2)) if pattern >= 0.9 else set()
    members = list(
        PartyMember.objects.filter(branch=branch).select_related("person").order_by("pk")
    )
    full = sum(m.status == PartyMember.Status.FULL for m in members)
    secretary = _secretary(branch)
    n = 0

    def hold(kind: str, day: dt.date, **kw: Any) -> None:
        nonlocal n
        if day >= anchor or (branch.established_on and day < branch.established_on):
            return
        late = rng.random() < 0.04
        entered = min(
            anchor - dt.timedelta(days=1),
            day + dt.timedelta(days=40 if late else rng.randint(0, 4)),
        )
        actions.meeting_create(
            actor=demo.actor,
            org=kw.pop("org", branch),
            kind=kind,
            held_on=day,
            place=rng.choice(PLACES),
            entered_on=entered,
            **kw,
        )
        n += 1

    for month in range(1, anchor.month):
        if month in gaps:
            continue
        quarter_end = month % 3 == 0
        theme = THEMES[(month + branch.pk) % len(THEMES)]
        skip_theme = behind and rng.random() < 0.3
        if not skip_theme:
            also = [Meeting.Kind.FIRST_TOPIC]
            if quarter_end:
                also.append(Meeting.Kind.GENERAL)
                if not behind:
                    also.append(Meeting.Kind.LECTURE)
            day = _day(rng, year, month)
            hold(
                Meeting.Kind.THEME_DAY,
                day,
                also_counts_as=also,
                topics=f"{theme}；第一议题：学习习近平总书记最新重要讲话精神",
                host=secretary,
                minutes=f"{secretary.name if secretary else '书记'}主持，全体党员参加，"
                f"围绕“{theme}”开展学习讨论。",
                attendance=_attendance(rng, members, day),
            )
        if full >= 7:
            hold(
                Meeting.Kind.COMMITTEE,
                _day(rng, year, month),
                topics="研究本月党建工作安排",
                host=secretary,
                minutes="支委会研究本月主题党日、党员教育管理和发展党员工作。",
            )
        for g in groups:
            hold(
                Meeting.Kind.GROUP,
                _day(rng, year, month),
                org=g,
                topics=f"党小组学习：{theme}",
                minutes="组长带领学习，党员逐一发言。",
            )
        if behind and quarter_end and rng.random() < 0.4:
            day = _day(rng, year, month)
            hold(
                Meeting.Kind.LECTURE,
                day,
                topics="专题党课：践行教育家精神",
                host=secretary,
                attendance=_attendance(rng, members, day),
            )
    if pattern < 0.8 and members:
        day = _day(rng, year, 1, 10, 25)
        rows = [
            AttendanceIn(
                a.member,
                a.status,
                a.reason,
                rng.choice(("excellent", "qualified", "qualified", "qualified")),
            )
            for a in _attendance(rng, members, day)
        ]
        hold(
            Meeting.Kind.ORG_LIFE,
            day,
            also_counts_as=[Meeting.Kind.APPRAISAL],
            topics="专题组织生活会暨民主评议党员",
            host=secretary,
            minutes="对照检查，开展批评与自我批评；民主评议党员。",
            attendance=rows,
        )
    return n


def _checklists(demo: Any, bureau: Unit, branches: list[PartyOrg]) -> int:
    year = demo.anchor.year
    five = actions.checklist_create(
        actor=demo.actor,
        unit=bureau,
        kind=StandardChecklist.Kind.FIVE_GOOD,
        name="“五好”党支部创建标准",
        year=year,
        pass_score=80,
        items=[ItemIn(t, s) for t, s in FIVE_GOOD],
    )
    actions.checklist_create(
        actor=demo.actor,
        unit=bureau,
        kind=StandardChecklist.Kind.EIGHT_WALLS,
        name="党员活动室“八上墙”",
        year=year,
        pass_score=80,
        items=[ItemIn(t, s) for t, s in EIGHT_WALLS],
    )
    items = list(five.items.all())
    filled = 0
    for branch in branches:
        rng = demo.rng(f"orglife:five:{branch.pk}")
        if rng.random() >= 0.4:
            continue
        scores = [ScoreIn(i, max(0, i.max_score - rng.choice((0, 0, 2, 4, 8))), "") for i in items]
        actions.assessment_save(
            actor=demo.actor,
            checklist=five,
            org=branch,
            scores=scores,
            filled_on=demo.anchor - dt.timedelta(days=rng.randint(5, 60)),
        )
        filled += 1
    return filled


def _vanguards(demo: Any, branches: list[PartyOrg]) -> int:
    made = 0
    for branch in branches:
        rng = demo.rng(f"orglife:vanguard:{branch.pk}")
        members = list(
            PartyMember.objects.filter(branch=branch, status__in=PartyMember.ACTIVE_STATUSES)
            .select_related("person")
            .order_by("pk")[:12]
        )
        if len(members) < 3 or rng.random() >= 0.5:
            continue
        start = dt.date(demo.anchor.year, 3, 1)
        for kind, title, content in (
            (
                Vanguard.Kind.MODEL_POST,
                "毕业班教学党员示范岗",
                "党员教师带头上示范课、带头帮扶学困生",
            ),
            (
                Vanguard.Kind.RESPONSIBILITY_ZONE,
                "校园安全党员责任区",
                "负责教学楼上下学时段安全巡查",
            ),
            (
                Vanguard.Kind.PLEDGE,
                "党员公开承诺",
                "拒绝有偿补课，拒收家长礼品礼金，不参加“谢师宴”",
            ),
        ):
            if rng.random() < 0.3:
                continue
            v = actions.vanguard_create(
                actor=demo.actor,
                org=branch,
                kind=kind,
                title=title,
                content=content,
                members=rng.sample(members, 2),
                started_on=start,
                due_on=dt.date(demo.anchor.year, 12, 31),
            )
            made += 1
            if kind == Vanguard.Kind.PLEDGE and rng.random() < 0.5:
                actions.vanguard_close(
                    actor=demo.actor,
                    vanguard=v,
                    status=Vanguard.Status.FULFILLED,
                    closed_on=demo.anchor - dt.timedelta(days=10),
                    result="经支部评议，承诺事项均已兑现。",
                )
    return made


@county_hook("组织生活", 40)
def org_life(demo: Any, bureau: Unit, schools: list[Any]) -> None:
    units = [s.unit.pk for s in schools]
    orgs = list(
        PartyOrg.objects.filter(
            unit_id__in=units, is_active=True, kind__in=[PartyOrg.Kind.BRANCH, PartyOrg.Kind.GROUP]
        )
        .select_related("unit")
        .order_by("unit__path", "pk")
    )
    branches = [o for o in orgs if o.kind == PartyOrg.Kind.BRANCH and o.unit.is_active]
    groups: dict[int, list[PartyOrg]] = {}
    for o in orgs:
        if o.kind == PartyOrg.Kind.GROUP and o.parent_id:
            groups.setdefault(o.parent_id, []).append(o)
    meetings = sum(_branch_year(demo, b, groups.get(b.pk, [])) for b in branches)
    filled = _checklists(demo, bureau, branches)
    vanguards = _vanguards(demo, branches)
    demo.log(
        f"  组织生活：{meetings}次会议，{filled}个支部完成“五好”自评，"
        f"{vanguards}项示范岗/责任区/承诺"
    )
