"""Demo party members and transfers for each county (runs after the tree, people and orgs).

Every school with a party org gets members from its own staff (20–35 % of them; the secretary
and committee members always), with joined dates that fit their age, some probationary members
admitted within the last year, a few retired members, a few mobile members, and transfers:
some confirmed in the past, a few pending and one past its letter's validity.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.core.dates import add_months
from dangjian.core.demo.hooks import county_hook
from dangjian.orgs.models import PartyOrg, Post
from dangjian.people import actions as people_actions
from dangjian.people.models import Person

from . import actions
from .models import PartyMember, Transfer
from .queries import MEMBER_ORG_KINDS

AREA = "330521"
PLACES = ("杭州市", "宁波市", "上海市", "省城", "县城")


def _joined_on(rng: Any, person: Person, anchor: dt.date) -> dt.date:
    born = person.birth_date or dt.date(1980, 1, 1)
    earliest = dt.date(born.year + 21, 7, 1)
    latest = add_months(anchor, -14)
    if earliest >= latest:
        return latest
    day = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
    return day.replace(day=min(day.day, 28))


def _branches(unit: Any) -> tuple[list[PartyOrg], PartyOrg | None]:
    """The org(s) members join: sub-branches of a committee / general branch, else the top."""
    orgs = list(
        PartyOrg.objects.filter(unit=unit, kind__in=MEMBER_ORG_KINDS, is_active=True).order_by("pk")
    )
    branches = [o for o in orgs if o.kind == PartyOrg.Kind.BRANCH]
    if not branches:
        return orgs[:1], None
    retired = next((b for b in branches if "离退休" in b.name), None)
    working = [b for b in branches if b is not retired] or branches
    return working, retired


@county_hook("党员与组织关系", order=10)
def members(demo: Any, bureau: Any, schools: list[Any]) -> None:
    anchor = demo.anchor
    posts: dict[int, set[int]] = {}
    for unit_id, person_id in Post.objects.filter(
        org__unit__path__startswith=bureau.path, ended_on__isnull=True
    ).values_list("org__unit_id", "person_id"):
        posts.setdefault(unit_id, set()).add(person_id)
    made: list[tuple[Any, PartyMember]] = []  # (school, member) of active, on-post members
    for s in schools:
        if not s.unit.is_active or not s.staff:
            continue
        working, retired_branch = _branches(s.unit)
        if not working:
            continue
        rng = demo.rng(f"party:{s.unit.code}")
        share = rng.uniform(0.20, 0.35)
        holders = posts.get(s.unit.pk, set())
        people = [p for p in s.staff if p.status == Person.Status.ACTIVE]
        must = [p for p in people if p.pk in holders]
        rest = [p for p in people if p.pk not in holders]
        rng.shuffle(rest)
        extra = max(0, round(len(people) * share) - len(must))
        for i, person in enumerate(must + rest[:extra]):
            branch = working[i % len(working)]
            joined = _joined_on(rng, person, anchor)
            # admitted within the last year: the first extra member of a larger branch, and a few
            first_extra = i == len(must) and extra >= 3
            probationary = person.pk not in holders and (first_extra or rng.random() < 0.05)
            if probationary:
                joined = add_months(anchor, -rng.randint(1, 11))
            mobile = not probationary and rng.random() < 0.03
            since = add_months(anchor, -rng.randint(2, 9)) if mobile else None
            member = actions.member_create(
                actor=demo.actor,
                person=person,
                branch=branch,
                joined_on=joined,
                status=PartyMember.Status.PROBATIONARY if probationary else PartyMember.Status.FULL,
                full_on=None if probationary else add_months(joined, 12),
                is_mobile=mobile,
                mobile_since=since,
                mobile_place=rng.choice(PLACES) if mobile and rng.random() < 0.6 else "",
            )
            made.append((s, member))
        if len(people) >= 12:  # retired teachers stay in their school's (离退休) branch
            count = min(3, 1 + len(people) // 40)
            _retired(demo, rng, s, retired_branch or working[0], count)
    _transfers(demo, made)


def _retired(demo: Any, rng: Any, s: Any, branch: PartyOrg, count: int) -> None:
    for _ in range(count):
        person = demo._person(
            rng,
            s.unit,
            AREA,
            "退休教师",
            education="secondary",
            born=(1965, 1966),  # 60 and over at the demo anchor: retired
            is_teacher=False,
        )
        people_actions.person_leave(actor=demo.actor, person=person, status="retired")
        joined = _joined_on(rng, person, dt.date(1995, 1, 1))
        actions.member_create(
            actor=demo.actor,
            person=person,
            branch=branch,
            joined_on=joined,
            status=PartyMember.Status.FULL,
            full_on=add_months(joined, 12),
            dues_category=PartyMember.DuesCategory.RETIRED,
        )


ROLES = ("pending", "overdue", "confirmed", "out", "pending", "confirmed", "pending", "confirmed")


def _transfers(demo: Any, made: list[tuple[Any, PartyMember]]) -> None:
    """Past confirmed transfers, a few pending ones and one past its letter's validity."""
    rng = demo.rng("party:transfers")
    per_school: dict[int, int] = {}
    for s, _ in made:
        per_school[s.unit.pk] = per_school.get(s.unit.pk, 0) + 1
    # movers come from schools that keep a branch of their own after they leave
    pool = [
        (s, m)
        for s, m in made
        if m.status == PartyMember.Status.FULL and per_school[s.unit.pk] >= 3
    ]
    if len(pool) < 4:
        return
    anchor = demo.anchor
    for n, (school, member) in enumerate(rng.sample(pool, min(len(ROLES), len(pool)))):
        role = ROLES[n]
        others = [m.branch for s, m in pool if s is not school]
        if not others:
            continue
        target = rng.choice(others)
        confirmed = None
        if role == "confirmed":  # earlier this year
            issued = add_months(anchor, -rng.randint(3, 9))
            confirmed = issued + dt.timedelta(days=rng.randint(3, 20))
        elif role == "pending":  # still valid
            issued = anchor - dt.timedelta(days=rng.randint(5, 40))
        elif role == "overdue":  # past its validity, never reported
            issued = add_months(anchor, -4)
        else:  # out of the system, the receipt came back
            issued = add_months(anchor, -2)
            confirmed = issued + dt.timedelta(days=12)
        letter = f"青组转〔{issued.year}〕{10 + n * 7}号"
        paid = add_months(issued, -1).replace(day=1)
        if role == "out":
            t = actions.transfer_create(
                actor=demo.actor,
                member=member,
                kind=Transfer.Kind.OUT,
                outside_org="中共南湖区实验学校支部委员会",
                letter_number=letter,
                issued_on=issued,
                reason="调往南湖区工作",
                dues_paid_until=paid,
            )
        else:
            t = actions.transfer_create(
                actor=demo.actor,
                member=member,
                kind=Transfer.Kind.WITHIN,
                to_branch=target,
                letter_number=letter,
                issued_on=issued,
                reason="交流轮岗，工作单位变动",
                dues_paid_until=paid,
            )
        if confirmed is not None:
            actions.transfer_confirm(actor=demo.actor, transfer=t, confirmed_on=confirmed)
