"""The 三重一大 demo hook on a small county: a year of items, most clean, some flagged, meetings
with the schools' leadership, spot checks with one finding."""

from __future__ import annotations

import datetime as dt
import random
import time
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import make_id_number
from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.decisions import queries
from dangjian.decisions.demo import decisions
from dangjian.decisions.models import (
    AgendaItem,
    DecisionCategory,
    DecisionMeeting,
    DecisionSettings,
    ItemFlag,
    SpotCheck,
)

D = dt.date
pytestmark = pytest.mark.django_db
TITLES = (
    "secretary",
    "deputy_secretary",
    "organization_member",
    "propaganda_member",
    "discipline_member",
)


@pytest.fixture
def schools(county: dict[str, Any], system: Any) -> list[Any]:
    """Twelve public schools, each with a party committee of five, ten of them under the
    principal-responsibility system; and one private school."""
    from dangjian.orgs.actions import partyorg_create, post_create, unit_create, unit_update
    from dangjian.people.actions import person_create

    units = [county["a"], county["b"]]
    units += [
        unit_create(
            actor=system,
            parent=county["district"],
            code=f"QSX-CG-{n + 10}",
            name=f"城关第{n + 3}小学",
            kind="primary",
        )
        for n in range(10)
    ]
    seq = 1000
    for unit in units[:10]:
        unit_update(
            actor=system,
            unit=unit,
            principal_responsibility_system=True,
            principal_system_since=D(2023, 3, 1),
        )
    for unit in units:
        org = partyorg_create(
            actor=system, unit=unit, name=f"{unit.name}党总支", kind="general_branch"
        )
        for k, title in enumerate(TITLES):
            seq += 2
            person = person_create(
                actor=system,
                unit=unit,
                name=f"{unit.name[:2]}成员{k}",
                id_number=make_id_number(seq),
            )
            post_create(actor=system, org=org, person=person, title=title, started_on=D(2022, 9, 1))
    private = unit_create(
        actor=system,
        parent=county["district"],
        code="QSX-CG-99",
        name="育英民办学校",
        kind="primary",
        is_private=True,
        principal_responsibility_system=True,
        principal_system_since=D(2023, 3, 1),
    )
    return [SimpleNamespace(unit=u) for u in [*units, private]]


@pytest.fixture
def ran(county: dict[str, Any], schools: list[Any], system: Any) -> float:
    demo = SimpleNamespace(
        actor=system, anchor=D(2024, 12, 31), rng=lambda code: random.Random(f"7:{code}")
    )
    started = time.perf_counter()
    decisions(demo, county["bureau"], schools)
    return time.perf_counter() - started


def test_demo_makes_a_year_of_items(ran: float, county: dict[str, Any]) -> None:
    assert ran < 20  # ~30 items on SQLite in a test database: well under a second or two
    assert DecisionSettings.objects.get().unit == county["bureau"]
    assert DecisionCategory.objects.count() == 9
    items = AgendaItem.objects.all()
    assert not items.filter(unit__is_private=True).exists()
    assert not items.filter(unit__principal_responsibility_system=False).exists()
    schools = items.values("unit").distinct().count()
    assert schools == 10  # 48 of 49 in the seed: all ten here
    # 132 items for 48 schools a year: about 2.75 each, plus the splitting pair
    assert 2.3 * schools <= items.count() <= 3.4 * schools
    assert DecisionMeeting.objects.count() > 0
    decided = items.filter(status__in=AgendaItem.DECIDED)
    assert decided.count() > items.count() * 0.8
    assert items.filter(status="completed").count() > items.count() * 0.5


def test_demo_most_items_clean_some_flagged(ran: float) -> None:
    as_of = D(2024, 12, 31)
    items = AgendaItem.objects.all()
    flagged = queries.flagged(items, as_of).count()
    clean = queries.unflagged(items, as_of).count()
    # a small county: every irregular pattern at least once, still most items clean
    assert clean > flagged > 0
    codes = set(ItemFlag.objects.values_list("code", flat=True))
    assert {
        "filed_late",
        "not_filed_in_advance",
        "missing_steps",
        "no_meeting",
        "no_quorum",
        "chief_not_last",
        "vote_not_recorded",
        "possible_splitting",
        "execution_overdue",
    } <= codes
    counts = queries.flag_counts(items, as_of)
    assert counts["possible_splitting"] >= 2


def test_demo_meetings_use_the_leadership(ran: float) -> None:
    meeting = DecisionMeeting.objects.filter(mode="meeting").prefetch_related("members").first()
    assert meeting is not None
    members = list(meeting.members.all())
    chair = [m for m in members if m.is_chair]
    assert len(chair) == 1 and chair[0].title == "书记" and len(members) >= 5
    assert all(m.person is not None for m in members)
    clean = [
        i
        for i in AgendaItem.objects.filter(discussion__meeting=meeting)
        if not i.flag_rows.filter(code="chief_not_last").exists()
    ]
    for item in clean:
        assert list(item.discussion.opinions.values_list("member__is_chair", flat=True))[-1]


def test_demo_spot_checks_and_one_finding(ran: float, county: dict[str, Any]) -> None:
    checks = SpotCheck.objects.all()
    assert checks.count() >= 2
    problem = checks.get(result="problem")
    assert problem.finding is not None and problem.finding.rectification.status == "open"
    assert figures.value("decision_spot_check_problems", county["bureau"], Period.year(2024)) == 1


def test_demo_decision_text_agrees_with_the_result(ran: float) -> None:
    from dangjian.decisions.models import MeetingItem

    rows = MeetingItem.objects.filter(meeting__mode="meeting")
    for mi in rows:
        agreed = mi.decision.startswith("会议同意")
        assert agreed == (mi.result == "passed"), (mi.result, mi.decision)


def test_demo_secretary_school_has_items_to_review_returned_and_a_recusal_breach(
    ran: float, county: dict[str, Any]
) -> None:
    school = county["a"]
    assert school.name == "青山县第一中学"  # the demo secretary's school (core.demo.logins)
    items = AgendaItem.objects.filter(unit=school)
    assert items.filter(status="filed", reviews__isnull=True).exists()
    returned = items.get(status="returned")
    assert returned.reviews.get().opinion
    breach = ItemFlag.objects.get(item__unit=school, code="recusal_breach")
    assert breach.detail.endswith("应回避但参加了讨论/表决")
