"""Demo 三重一大 per county (hook order 80): the bureau's settings and catalogue, then a year of
agenda items from the public schools under 党组织领导的校长负责制 (seed 004: 48 schools filed
132 items a year; the demo county has 49 such schools), scaled to the part of the year passed.
Most items are clean: filed in time, approved, decided at a party-committee meeting with a
quorum and the secretary speaking last, executed on time. Some follow an irregular pattern and
are flagged: filed late, not filed or not reviewed, missing steps, no quorum, the chief not
last, the vote not recorded, decided by circulation, possible splitting, execution overdue.
A few spot checks by discipline inspection, one of which finds a problem (a finding to
rectify). Everything goes through the actions."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.core.demo.hooks import county_hook
from dangjian.core.demo.logins import SCHOOL_NAME
from dangjian.orgs.models import PartyOrg, Post, Unit
from dangjian.people.models import Person

from . import actions, rules
from .actions import DecisionIn, MemberIn, MilestoneIn, OpinionIn, RecusalIn
from .models import AgendaItem, DecisionCategory

ITEMS_PER_SCHOOL_YEAR = 132 / 48
# the schools under 党组织领导的校长负责制 decide at party-org meetings and file on the
# platform; in the demo county that is 49 public schools, of which 48 filed (seed 004)
FILING_SHARE = 48 / 49
THRESHOLD = Decimal("100000")
D = dt.timedelta

CATALOGUE: list[tuple[str, str, str, list[str], bool]] = [
    # category, name, examples, bodies, staff congress required
    (
        "major_matter",
        "学校发展规划和年度工作计划",
        "学校五年发展规划、年度工作要点",
        ["party_org_meeting"],
        False,
    ),
    (
        "major_matter",
        "学校章程和重要规章制度",
        "章程修订、教职工考核办法",
        ["party_org_meeting"],
        False,
    ),
    (
        "major_matter",
        "涉及教职工切身利益的重要事项",
        "绩效工资分配方案、职称评聘推荐办法",
        ["party_org_meeting", "staff_congress"],
        True,
    ),
    (
        "cadre_appointment",
        "中层干部任免",
        "教务处、德育处、总务处负责人聘任和解聘",
        ["party_org_meeting"],
        False,
    ),
    (
        "cadre_appointment",
        "年级组长、教研组长聘任",
        "年级组长、学科教研组长聘任",
        ["party_org_meeting"],
        False,
    ),
    (
        "major_project",
        "基建和维修改造项目",
        "教学楼维修、运动场改造、校舍加固",
        ["party_org_meeting"],
        False,
    ),
    (
        "major_project",
        "信息化建设项目",
        "智慧教室、安防监控、校园网络",
        ["party_org_meeting"],
        False,
    ),
    (
        "large_fund",
        "大宗物资和设备采购",
        "课桌椅、教学设备、食堂设备采购",
        ["party_org_meeting"],
        False,
    ),
    ("large_fund", "大额资金支出", "修缮资金、专项经费使用", ["party_org_meeting"], False),
]
TOPICS: dict[str, list[tuple[str, str, tuple[int, int] | None, str]]] = {
    # category: (subcategory name, title, amount range in yuan or None, payee)
    "major_matter": [
        ("学校发展规划和年度工作计划", "{y}年学校工作要点", None, ""),
        ("学校章程和重要规章制度", "修订学校章程", None, ""),
        ("学校章程和重要规章制度", "修订教职工年度考核办法", None, ""),
        ("涉及教职工切身利益的重要事项", "{y}年教职工绩效工资分配方案", None, ""),
        ("涉及教职工切身利益的重要事项", "{y}年教师职称评聘推荐方案", None, ""),
    ],
    "cadre_appointment": [
        ("中层干部任免", "聘任教务处主任", None, ""),
        ("中层干部任免", "中层干部轮岗交流方案", None, ""),
        ("年级组长、教研组长聘任", "{y}学年年级组长聘任", None, ""),
    ],
    "major_project": [
        ("基建和维修改造项目", "教学楼屋面防水维修工程", (150_000, 600_000), "青山县建安工程公司"),
        ("基建和维修改造项目", "运动场塑胶跑道改造工程", (300_000, 900_000), "青山县华体设施公司"),
        ("信息化建设项目", "校园安防监控系统升级", (120_000, 400_000), "青山县智联科技公司"),
        ("信息化建设项目", "智慧教室建设项目", (200_000, 800_000), "青山县智联科技公司"),
    ],
    "large_fund": [
        ("大宗物资和设备采购", "采购学生课桌椅", (100_000, 260_000), "青山县育才教学设备公司"),
        ("大宗物资和设备采购", "采购食堂厨房设备", (100_000, 300_000), "青山县鑫达厨具公司"),
        ("大宗物资和设备采购", "采购多媒体教学设备", (120_000, 450_000), "青山县智联科技公司"),
        ("大额资金支出", "校舍修缮专项资金使用", (100_000, 500_000), "青山县建安工程公司"),
    ],
}
WEIGHTS = {"major_matter": 0.35, "cadre_appointment": 0.2, "major_project": 0.2, "large_fund": 0.25}
OPINIONS = (
    "同意。",
    "同意，建议加强过程监管。",
    "同意，注意程序规范。",
    "同意，资金使用要公开透明。",
)
RETURN_OPINIONS = (
    "请补充合法性审查意见后重新报备。",
    "请补充征求教职工意见的情况。",
    "预算依据不充分，请补充询价材料。",
)
PAPER = "纸质材料存学校档案室"
# the share of a county's items that follow each irregular pattern (at least one each), so
# every kind of flag shows up even in a small county; the rest are clean
PATTERNS: dict[str, float] = {
    "unfiled": 0.02,  # decided without filing: not_filed_in_advance
    "late": 0.05,  # filed inside the lead time: filed_late
    "unreviewed": 0.015,  # filed, decided before the review: not_filed_in_advance
    "missing_steps": 0.025,
    "returned": 0.06,  # returned once, changed and filed again (clean)
    "not_major": 0.025,  # reviewed as not a 三重一大 item (clean)
    "circulation": 0.01,  # no_meeting
    "no_quorum": 0.025,
    "chief_first": 0.03,  # chief_not_last
    "no_vote": 0.015,  # vote_not_recorded
    "overdue": 0.05,  # execution left open past its due date
    "late_execution": 0.04,  # completed after the due date
}


def _working(day: dt.date, back: int) -> dt.date:
    """`back` working days before `day`."""
    while back > 0:
        day -= D(days=1)
        if rules.is_working_day(day):
            back -= 1
    return day


def _weekday(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    day = first + D(days=rng.randint(0, max(0, (last - first).days)))
    while not rules.is_working_day(day):
        day += D(days=1)
    return day


def _members(school: Unit) -> list[tuple[Person, str, bool]]:
    """The school's leadership (its top party organisation's current posts, the principal,
    topped up from the staff to at least five): (person, title, chairs)."""
    org = (
        PartyOrg.objects.filter(unit=school, parent__isnull=True, is_active=True)
        .order_by("pk")
        .first()
    )
    out: list[tuple[Person, str, bool]] = []
    seen: set[int] = set()
    if org is not None:
        posts = (
            Post.objects.filter(org=org, ended_on__isnull=True)
            .select_related("person")
            .order_by("pk")
        )
        order = {t: n for n, t in enumerate(Post.Title.values)}
        for p in sorted(posts, key=lambda p: order.get(p.title, 99)):
            here = p.person.unit_id == school.pk and p.person.status == Person.Status.ACTIVE
            if here and p.person_id not in seen:
                out.append((p.person, p.get_title_display(), p.title == Post.Title.SECRETARY))
                seen.add(p.person_id)
    head = school.head
    if head is not None and head.pk not in seen and head.unit_id == school.pk:
        out.append((head, "校长", False))
        seen.add(head.pk)
    if not any(chair for _, _, chair in out) and out:
        person, title, _ = out[0]
        out[0] = (person, title, True)
    staff = Person.objects.filter(unit=school, status=Person.Status.ACTIVE).exclude(pk__in=seen)
    out.extend((p, "行政班子成员", False) for p in staff.order_by("pk")[: max(0, 5 - len(out))])
    # the chair first in the sign-in sheet
    return sorted(out, key=lambda m: not m[2])


class Year:
    def __init__(self, demo: Any, bureau: Unit, today: dt.date) -> None:
        self.demo = demo
        self.actor = demo.actor
        self.today = today
        self.first = dt.date(today.year, 1, 1)
        self.rng = demo.rng(f"decisions:{bureau.code}")
        self.subcats: dict[str, DecisionCategory] = {}
        self.plan: dict[int, str] = {}  # item sequence number → pattern
        self.seq = 0
        self.pattern: dict[int, str] = {}  # item pk → pattern
        self.majority_base: str = rules.MajorityBase.DUE

    def make_plan(self, total: int) -> None:
        slots = list(range(total))
        self.rng.shuffle(slots)
        for name, share in PATTERNS.items():
            for _ in range(max(1, round(total * share))):
                if slots:
                    self.plan[slots.pop()] = name

    def has(self, item: AgendaItem, name: str) -> bool:
        return self.pattern.get(item.pk) == name

    # ---- a school's items ----------------------------------------------------------------
    def school(self, school: Unit, count: int) -> list[AgendaItem]:
        rng = self.rng
        members = _members(school)
        if len(members) < 3:
            return []
        # a meeting every few weeks: one to three items each
        items: list[AgendaItem] = []
        last = self.today - D(days=3)
        days = sorted(_weekday(rng, self.first + D(days=14), last) for _ in range(count))
        meetings: dict[dt.date, list[AgendaItem]] = {}
        for day in days:
            if meetings and rng.random() < 0.35:
                day = max(meetings)  # on the agenda of the school's latest meeting
            item = self.item(school, day)
            if item is not None:
                meetings.setdefault(day, []).append(item)
                items.append(item)
        for day, on_agenda in sorted(meetings.items()):
            ready = [i for i in on_agenda if i.status in AgendaItem.UNDECIDED]
            if ready and day <= self.today:
                self.meeting(school, day, ready, members)
        return items

    def item(self, school: Unit, meeting: dt.date) -> AgendaItem | None:
        rng = self.rng
        category = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        sub_name, title, amounts, payee = rng.choice(TOPICS[category])
        sub = self.subcats[sub_name]
        amount = (
            Decimal(rng.randrange(amounts[0], amounts[1], 1000)) if amounts is not None else None
        )
        steps = list(sub.required_steps) + (
            ["staff_congress"] if sub.staff_congress_required else []
        )
        pattern = self.plan.get(self.seq, "")
        self.seq += 1
        if pattern == "missing_steps":
            steps = steps[:-1]  # one preparatory step left out
        item = actions.item_create(
            actor=self.actor,
            unit=school,
            category=category,
            subcategory=sub,
            title=title.format(y=meeting.year),
            content=f"{title.format(y=meeting.year)}，经前期调研论证，提请学校党组织会议研究决定。",
            amount=amount,
            payee=payee if amount is not None else "",
            steps_done=steps,
            steps_note="相关材料已归档。",
            planned_meeting_on=meeting,
            proposer="校长",
        )
        self.pattern[item.pk] = pattern
        if pattern == "unfiled":
            return item  # decided at the meeting all the same
        if pattern == "late":
            filed = _working(meeting, rng.randint(1, 2))
        else:
            filed = _working(meeting, rng.randint(3, 8))
        if filed > self.today:
            return item
        actions.item_file(actor=self.actor, item=item, on=filed)
        review = min(filed + D(days=rng.randint(0, 1)), meeting - D(days=1))
        review = max(review, filed)
        if review > self.today:
            return item
        if pattern == "not_major":
            actions.item_mark_not_major(
                actor=self.actor,
                item=item,
                opinion="属学校日常管理事项，按一般程序办理。",
                on=review,
            )
            return None
        if pattern == "returned" and review + D(days=1) < meeting:
            actions.item_return(
                actor=self.actor, item=item, opinion=rng.choice(RETURN_OPINIONS), on=review
            )
            actions.item_update(actor=self.actor, item=item, steps_note="已按审核意见补充材料。")
            review += D(days=1)
            actions.item_file(actor=self.actor, item=item, on=review)
        if pattern != "unreviewed":
            actions.item_approve(
                actor=self.actor, item=item, opinion="同意提交会议研究。", on=review
            )
        return item

    # ---- the meeting --------------------------------------------------------------------
    def meeting(
        self,
        school: Unit,
        day: dt.date,
        items: list[AgendaItem],
        people: list[tuple[Person, str, bool]],
    ) -> None:
        rng = self.rng
        if any(self.has(i, "circulation") for i in items):
            actions.meeting_record(
                actor=self.actor,
                unit=school,
                body="party_org_meeting",
                mode="circulation",
                held_on=day,
                members=[],
                items=[DecisionIn(item=i, passed=True, decision="传签同意。") for i in items],
                notes="因时间紧急，采取传签方式。",
            )
            return
        absent: set[int] = set()
        n = len(people)
        if rng.random() < 0.25:
            absent = {rng.randrange(1, n)}
        cadre = any(i.category == "cadre_appointment" for i in items)
        if any(self.has(i, "no_quorum") for i in items):
            # too few present: one short of the quorum the items need
            need = rules.quorum_needed(n, "cadre_appointment" if cadre else "major_matter")
            absent = set(rng.sample(range(1, n), min(n - 1, n - need + 1)))
        members = [
            MemberIn(
                name=p.name,
                title=title,
                person=p,
                is_chair=chair,
                present=k not in absent,
                absence_reason="外出学习" if k in absent else "",
            )
            for k, (p, title, chair) in enumerate(people)
        ]
        present = [k for k in range(n) if k not in absent]
        decisions = []
        for item in items:
            speakers = [k for k in present if k != 0]
            rng.shuffle(speakers)
            order = [*speakers, 0]
            if self.has(item, "chief_first"):
                order = [0, *speakers]  # the secretary spoke first: chief_not_last
            recusals: list[RecusalIn] = []
            if self.has(item, "recusal_breach") and speakers:
                # a member with a declared conflict stayed, spoke and voted: recusal_breach
                recusals = [
                    RecusalIn(member=speakers[0], reason="拟聘人选为其近亲属", withdrew=False)
                ]
            elif item.category == "cadre_appointment" and rng.random() < 0.15 and len(present) > 3:
                who = speakers[0]
                recusals = [RecusalIn(member=who, reason="拟聘人选为其近亲属")]
                order = [k for k in order if k != who]
            voters = len(present) - sum(1 for r in recusals if r.withdrew)
            no = 1 if rng.random() < 0.1 and voters > 3 else 0
            votes: dict[str, Any] = {
                "votes_yes": voters - no,
                "votes_no": no,
                "votes_abstain": 0,
            }
            agreed = rules.passes(voters - no, n, len(present), self.majority_base)
            if self.has(item, "no_vote"):
                votes, agreed = {"passed": True}, True  # the vote was not written down
            decision = (
                f"会议同意{item.title}。"
                if agreed
                else f"赞成票未超过应到会成员半数，{item.title}未获通过，暂缓实施。"
            )
            decisions.append(
                DecisionIn(
                    item=item,
                    opinions=[OpinionIn(member=k, text=rng.choice(OPINIONS)) for k in order],
                    recusals=recusals,
                    decision=decision,
                    **votes,
                )
            )
        actions.meeting_record(
            actor=self.actor,
            unit=school,
            body="party_org_meeting",
            held_on=day,
            members=members,
            items=decisions,
            place="学校会议室",
            recorder="党务干事",
        )
        for item in items:
            item.refresh_from_db()
            if item.status == AgendaItem.Status.PASSED:
                self.execute(item, people)

    # ---- execution ----------------------------------------------------------------------
    def execute(self, item: AgendaItem, people: list[tuple[Person, str, bool]]) -> None:
        rng = self.rng
        start = (item.decided_on or self.today) + D(days=rng.randint(1, 5))
        if start > self.today:
            return
        length = rng.randint(20, 120)
        overdue = self.has(item, "overdue")
        if overdue and (self.today - start).days > 10:
            length = min(length, (self.today - start).days - 5)  # due before today
        due = start + D(days=length)
        person, _, _ = rng.choice(people[1:] or people)
        milestones = [MilestoneIn("制定实施方案", start + D(days=length // 3))]
        if item.amount is not None:
            milestones.append(MilestoneIn("完成采购或招标", start + D(days=2 * length // 3)))
        execution = actions.execution_start(
            actor=self.actor,
            item=item,
            responsible=person,
            responsible_name=person.name,
            due_on=due,
            milestones=milestones,
            on=start,
        )
        late = self.has(item, "late_execution")
        if overdue and due < self.today:
            return  # left open past the due date
        for ms in execution.milestones.all():
            done = ms.due_on + D(days=rng.randint(3, 20) if late else -rng.randint(0, 5))
            done = max(done, start)
            if done > self.today:
                return
            actions.milestone_done(actor=self.actor, milestone=ms, on=done, note="按计划完成")
        finish = due + D(days=rng.randint(3, 25)) if late else due - D(days=rng.randint(0, 10))
        finish = max(finish, start, *(m.done_on or start for m in execution.milestones.all()))
        if finish > self.today:
            return
        actions.execution_complete(
            actor=self.actor,
            execution=execution,
            report="已按会议决定执行完毕，执行情况已向党组织会议报告。",
            evidence_note=PAPER,
            on=finish,
        )

    # ---- splitting, spot checks ---------------------------------------------------------
    def splitting(self, school: Unit) -> None:
        """Two purchases from the same supplier ten days apart, each under the threshold."""
        people = _members(school)
        if len(people) < 3:
            return
        meeting = _weekday(self.rng, self.first + D(days=60), self.today - D(days=30))
        for n, amount in enumerate((Decimal("60000"), Decimal("50000"))):
            day = meeting + D(days=10 * n)
            while not rules.is_working_day(day):
                day += D(days=1)
            if day > self.today:
                return
            item = actions.item_create(
                actor=self.actor,
                unit=school,
                category="large_fund",
                subcategory=self.subcats["大宗物资和设备采购"],
                title=f"采购办公家具（第{n + 1}批）",
                content="采购教师办公桌椅和文件柜。",
                amount=amount,
                payee="青山县宏远家具公司",
                steps_done=["investigation", "legality_review"],
                planned_meeting_on=day,
                proposer="总务主任",
            )
            filed = _working(day, 4)
            actions.item_file(actor=self.actor, item=item, on=filed)
            actions.item_approve(actor=self.actor, item=item, on=filed + D(days=1))
            self.meeting(school, day, [item], people)

    def showcase(self, school: Unit) -> list[AgendaItem]:
        """At the demo secretary's school: a cadre appointment where a member with a declared
        conflict stayed (recusal_breach), one item awaiting review and one returned."""
        people = _members(school)
        if len(people) < 4:
            return []
        out: list[AgendaItem] = []
        sub = self.subcats["中层干部任免"]
        meeting = _weekday(self.rng, self.first + D(days=30), self.today - D(days=40))
        if meeting <= self.today - D(days=3):
            item = actions.item_create(
                actor=self.actor,
                unit=school,
                category="cadre_appointment",
                subcategory=sub,
                title=f"聘任{meeting.year}年总务处副主任",
                content="总务处副主任空缺，经民主推荐和考察，提请学校党组织会议研究聘任人选。",
                steps_done=list(sub.required_steps),
                steps_note="民主推荐、考察材料已归档。",
                planned_meeting_on=meeting,
                proposer="校长",
            )
            self.pattern[item.pk] = "recusal_breach"
            filed = _working(meeting, 5)
            actions.item_file(actor=self.actor, item=item, on=filed)
            actions.item_approve(
                actor=self.actor, item=item, opinion="同意提交会议研究。", on=filed + D(days=1)
            )
            self.meeting(school, meeting, [item], people)
            out.append(item)
        planned = self.today + D(days=10)
        while not rules.is_working_day(planned):
            planned += D(days=1)
        sub = self.subcats["基建和维修改造项目"]
        waiting = actions.item_create(
            actor=self.actor,
            unit=school,
            category="major_project",
            subcategory=sub,
            title=f"{self.today.year}年学生食堂改造",
            content="学生食堂排烟和后厨改造，提请学校党组织会议研究决定。",
            amount=Decimal("86000"),
            payee="青山县建筑工程公司",
            steps_done=list(sub.required_steps),
            steps_note="已完成询价和现场勘查。",
            planned_meeting_on=planned,
            proposer="总务主任",
        )
        actions.item_file(actor=self.actor, item=waiting, on=_working(self.today, 1))
        sub = self.subcats["学校章程和重要规章制度"]
        returned = actions.item_create(
            actor=self.actor,
            unit=school,
            category="major_matter",
            subcategory=sub,
            title="修订教职工考勤管理办法",
            content="修订教职工考勤管理办法，提请学校党组织会议研究决定。",
            steps_done=list(sub.required_steps),
            planned_meeting_on=planned,
            proposer="校长",
        )
        actions.item_file(actor=self.actor, item=returned, on=_working(self.today, 3))
        actions.item_return(
            actor=self.actor,
            item=returned,
            opinion="请先征求教职工意见并附意见汇总后再报备。",
            on=_working(self.today, 2),
        )
        return [*out, waiting, returned]

    def spot_checks(self, items: list[AgendaItem]) -> None:
        rng = self.rng
        decided = [i for i in items if i.status in AgendaItem.DECIDED and i.decided_on]
        if not decided:
            return
        chosen = sorted(rng.sample(decided, max(1, len(decided) // 10)), key=lambda i: i.pk)
        problem_done = False
        for item in chosen:
            on = (item.decided_on or self.today) + D(days=rng.randint(20, 90))
            if on > self.today:
                continue
            if not problem_done:
                problem_done = True
                actions.spot_check_record(
                    actor=self.actor,
                    item=item,
                    checked_on=on,
                    result="problem",
                    note="抽查会议记录、签到表和执行台账。",
                    problem="会议记录中个别成员表态意见记录过于简单，未附询价比价材料。",
                    severity="minor",
                    today=self.today,
                )
                continue
            actions.spot_check_record(
                actor=self.actor,
                item=item,
                checked_on=on,
                result="ok",
                note="会议记录、表决情况和执行台账齐全，程序规范。",
                today=self.today,
            )


@county_hook("三重一大", 80)
def decisions(demo: Any, bureau: Any, schools: list[Any]) -> None:
    today = min(demo.anchor, timezone.localdate())
    year = Year(demo, bureau, today)
    row = actions.settings_save(
        actor=demo.actor, unit=bureau, large_fund_threshold_yuan=THRESHOLD, filing_lead_days=3
    )
    year.majority_base = row.as_rules().majority_base
    for position, (category, name, examples, bodies, congress) in enumerate(CATALOGUE, start=1):
        year.subcats[name] = actions.category_create(
            actor=demo.actor,
            unit=bureau,
            category=category,
            name=name,
            examples=examples,
            bodies=bodies,
            staff_congress_required=congress,
            position=position,
        )
    units = Unit.objects.filter(pk__in=[s.unit.pk for s in schools]).order_by("pk")
    public = [
        u
        for u in units
        if u.is_school
        and u.is_active
        and not u.is_private
        and u.principal_responsibility_system
        and (u.principal_system_since or today) <= today
    ]
    if not public:
        return
    rng = year.rng
    filing = sorted(
        rng.sample(public, max(1, round(len(public) * FILING_SHARE))), key=lambda u: u.pk
    )
    share = ((today - year.first).days + 1) / 365
    total = round(len(filing) * ITEMS_PER_SCHOOL_YEAR * share)
    year.make_plan(total)
    counts = dict.fromkeys((u.pk for u in filing), 0)
    for n in range(total):
        # every filing school at least one item, the rest spread unevenly
        unit = filing[n] if n < len(filing) else rng.choice(filing)
        counts[unit.pk] += 1
    items: list[AgendaItem] = []
    for unit in filing:
        if counts[unit.pk]:
            items += year.school(unit, counts[unit.pk])
    for unit in rng.sample(filing, min(len(filing), 1 + len(filing) // 30)):
        year.splitting(unit)
    showcase = next((u for u in filing if u.name == SCHOOL_NAME), None)
    if showcase is not None:
        items += year.showcase(showcase)
    for item in items:
        item.refresh_from_db()
    year.spot_checks(items)
