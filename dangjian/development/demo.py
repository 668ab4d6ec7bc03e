"""Demo 发展党员 pipelines per county, written through the actions (order 20, after members).

About a third of the schools with a branch get one to three records at realistic stages:
applicants (one whose talk is overdue), activists (one whose half-yearly assessment is late, one
too new to become a candidate: that step would be refused), candidates, members admitted this
year, probationary members whose probation ends soon, and full members (one cultivated into a
key teacher). Dates are counted back from the demo's anchor day.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from typing import Any

from dangjian.core.dates import add_days, add_months
from dangjian.core.demo.hooks import county_hook
from dangjian.orgs.models import PartyOrg, Unit
from dangjian.party import actions as party_actions
from dangjian.party.models import PartyMember
from dangjian.people.models import Person

from . import actions

SCENARIOS = (
    "applicant",
    "talk_overdue",
    "activist",
    "assessment_late",
    "activist_new",
    "candidate",
    "admitted",
    "probation_ending",
    "full",
)
SCHOOL_SHARE = 0.35
MIN_FULL_MEMBERS = 3


def _branch(unit: Any) -> PartyOrg | None:
    orgs = [o for o in PartyOrg.objects.filter(unit=unit, is_active=True).order_by("pk")]
    branches = [o for o in orgs if o.kind == PartyOrg.Kind.BRANCH]
    return branches[0] if branches else None


def _full_members(demo: Any, unit: Any, branch: PartyOrg, pool: list[Person]) -> list[Person]:
    """Full members of the school (sponsors, introducers); a few are registered if none are."""
    members = list(
        Person.objects.filter(
            unit=unit, membership__branch=branch, membership__status=PartyMember.Status.FULL
        ).order_by("pk")
    )
    while len(members) < MIN_FULL_MEMBERS and pool:
        person = pool.pop()
        joined = dt.date(demo.anchor.year - 10 - len(members), 7, 1)
        party_actions.member_create(
            actor=demo.actor,
            person=person,
            branch=branch,
            joined_on=joined,
            status=PartyMember.Status.FULL,
            full_on=add_months(joined, 12),
        )
        members.append(person)
    return members


class Walker:
    def __init__(self, demo: Any, record: Any, members: list[Person], voters: int) -> None:
        self.demo, self.record, self.members, self.voters = demo, record, members, voters

    def step(self, kind: str, on: dt.date, **kw: Any) -> None:
        actions.step_record(
            actor=self.demo.actor,
            record=self.record,
            kind=kind,
            on=on,
            today=self.demo.anchor,
            **kw,
        )

    def vote(self, kind: str, on: dt.date, **kw: Any) -> None:
        due = self.voters
        self.step(kind, on, votes_due=due, votes_present=due, votes_yes=due, **kw)

    def to_activist(self, applied: dt.date, activist: dt.date, talk_days: int = 16) -> None:
        self.step("application_talk", add_days(applied, talk_days), people=self.members[:1])
        self.step("activist_selection", activist)
        self.step("activist_filing", add_days(activist, 10))
        self.step("sponsor_assignment", add_days(activist, 12), people=self.members[:2])

    def to_candidate(self, activist: dt.date, candidate: dt.date) -> None:
        self.step("activist_cultivation", add_months(activist, 6), notes="半年考察：表现良好")
        self.step("activist_cultivation", add_months(activist, 12), notes="半年考察：表现良好")
        self.step("candidate_selection", candidate)
        self.step("candidate_filing", add_days(candidate, 7))
        self.step("introducers", add_days(candidate, 10), people=self.members[:2])
        self.step(
            "political_review",
            add_days(candidate, 30),
            notes="经函调和谈话，本人及主要社会关系政治历史清楚，未发现影响入党的问题。",
        )
        self.step("candidate_training", add_days(candidate, 40), training_days=3, training_hours=24)

    def to_probationary(self, candidate: dt.date, meeting: dt.date) -> None:
        self.step("committee_review", add_days(candidate, 50))
        self.step("pre_examination", add_days(candidate, 55))
        self.step("application_form", add_days(candidate, 60))
        self.vote("admission_meeting", meeting)

    def approve(self, meeting: dt.date, approval_days: int = 45) -> None:
        self.step("approval_talk", add_days(meeting, 20), people=self.members[:1])
        self.step("admission_approval", add_days(meeting, approval_days))
        self.step("oath", add_days(meeting, approval_days + 20))


def _run(
    demo: Any,
    rng: random.Random,
    unit: Any,
    branch: PartyOrg,
    scenarios: Iterator[str],
    count: int,
) -> None:
    pool = list(
        Person.objects.filter(
            unit=unit, status="active", membership__isnull=True, development__isnull=True
        ).order_by("pk")
    )
    rng.shuffle(pool)
    members = _full_members(demo, unit, branch, pool)
    if len(members) < 2 or not pool:
        return
    voters = PartyMember.objects.filter(branch=branch, status=PartyMember.Status.FULL).count()
    a = demo.anchor
    for _ in range(min(len(pool), count)):
        scenario = next(scenarios)
        person = pool.pop()
        if person.birth_date and person.birth_date > dt.date(a.year - 21, 1, 1):
            continue
        back = {
            "applicant": 12,
            "talk_overdue": 45,
            "activist": 500,
            "assessment_late": 600,
            "activist_new": 250,
            "candidate": 800,
            "admitted": 900,
            "probation_ending": 1100,
            "full": 1500,
        }[scenario] + rng.randint(0, 6)
        applied = add_days(a, -back)
        record = actions.record_create(
            actor=demo.actor, person=person, branch=branch, applied_on=applied, today=a
        )
        if scenario in ("applicant", "talk_overdue"):
            continue
        w = Walker(demo, record, members, voters)
        if scenario == "activist":
            activist = add_months(applied, 6)
            w.to_activist(applied, activist, talk_days=40)  # talked late: a recorded warning
            w.step("activist_cultivation", add_months(activist, 6), notes="半年考察：积极上进")
            continue
        if scenario == "assessment_late":
            w.to_activist(applied, add_months(applied, 7))  # no assessment since: overdue
            continue
        if scenario == "activist_new":
            w.to_activist(applied, add_months(a, -5))  # a candidate now would be refused
            continue
        activist = add_months(applied, 6)
        w.to_activist(applied, activist)
        candidate = add_months(activist, 13)
        w.to_candidate(activist, candidate)
        if scenario == "candidate":
            continue
        meeting = {
            "admitted": add_months(a, -4),
            "probation_ending": add_days(add_months(a, -12), 20),
            "full": add_months(a, -26),
        }[scenario]
        meeting = max(meeting, add_days(candidate, 70))
        w.to_probationary(candidate, meeting)
        if scenario == "full":
            w.approve(meeting)
            w.step("full_membership_application", add_days(add_months(meeting, 12), -10))
            w.vote("full_membership_meeting", add_days(add_months(meeting, 12), 5))
            w.step("full_membership_approval", add_days(add_months(meeting, 12), 40))
            if not person.is_key_teacher and rng.random() < 0.5:
                actions.key_teacher_mark(
                    actor=demo.actor, record=record, on=add_months(meeting, 20), today=a
                )
        elif scenario == "admitted" and rng.random() < 0.5:
            w.step("approval_talk", add_days(meeting, 20), people=members[:1])  # approval pending
        else:
            w.approve(meeting)


@county_hook("发展党员", 20)
def development_demo(demo: Any, bureau: Any, schools: list[Any]) -> None:
    scenarios = itertools.cycle(SCENARIOS)  # every pattern shows up in every county
    for staffed in schools:
        unit = Unit.objects.get(pk=getattr(staffed, "unit", staffed).pk)
        if not unit.is_active:
            continue
        rng = demo.rng(f"development:{unit.code}")
        if rng.random() > SCHOOL_SHARE:
            continue
        branch = _branch(unit)
        if branch is None:
            continue
        _run(demo, rng, unit, branch, scenarios, rng.randint(2, 4))
