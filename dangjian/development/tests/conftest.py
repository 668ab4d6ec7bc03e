"""Fixtures of the development tests: branches at schools A and B, full members, a pipeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from conftest import make_id_number

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def add_person(
    system: Any, unit: Any, name: str, seq: int, birth: str = "19900315", **kw: Any
) -> Any:
    from dangjian.people.actions import person_create

    return person_create(
        actor=system, unit=unit, name=name, id_number=make_id_number(seq, birth), **kw
    )


@pytest.fixture
def branch_a(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.orgs.actions import partyorg_create

    return partyorg_create(actor=system, unit=county["a"], name="第一中学党支部", kind="branch")


@pytest.fixture
def branch_b(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.orgs.actions import partyorg_create

    return partyorg_create(actor=system, unit=county["b"], name="中心小学党支部", kind="branch")


@pytest.fixture
def members_a(system: Any, county: dict[str, Any], branch_a: Any) -> list[Any]:
    """Three full members of branch A (sponsors, introducers, voters)."""
    from dangjian.party.actions import member_create

    people = []
    for n, name in enumerate(("党员甲", "党员乙", "党员丙")):
        person = add_person(system, county["a"], name, 500 + n, "19750101")
        member_create(
            actor=system,
            person=person,
            branch=branch_a,
            joined_on=dt.date(2005, 7, 1),
            status="full",
            full_on=dt.date(2006, 7, 1),
        )
        people.append(person)
    return people


@pytest.fixture
def applicant(system: Any, county: dict[str, Any]) -> Any:
    return add_person(system, county["a"], "申请人王", 601, "19950520", is_key_teacher=True)


class Pipeline:
    """Walks a record through the steps with valid dates (activist 2023-03-15 onwards)."""

    def __init__(self, actor: Any, record: Any, members: list[Any]) -> None:
        self.actor, self.record, self.members = actor, record, members

    def step(self, kind: str, on: dt.date, **kw: Any) -> Any:
        from dangjian.development.actions import step_record

        return step_record(
            actor=self.actor, record=self.record, kind=kind, on=on, today=TODAY, **kw
        )

    def activist(self) -> None:
        self.step("application_talk", dt.date(2022, 9, 20), people=self.members[:1])
        self.step("activist_selection", dt.date(2023, 3, 15))
        self.step("sponsor_assignment", dt.date(2023, 3, 20), people=self.members[:2])

    def candidate(self) -> None:
        self.activist()
        self.step("activist_cultivation", dt.date(2023, 9, 10))
        self.step("candidate_selection", dt.date(2024, 3, 15))
        self.step("introducers", dt.date(2024, 3, 20), people=self.members[:2])
        self.step("political_review", dt.date(2024, 4, 10), notes="政治历史清楚，未发现问题。")
        self.step("candidate_training", dt.date(2024, 4, 20), training_days=3, training_hours=24)
        self.step("committee_review", dt.date(2024, 5, 6))
        self.step("pre_examination", dt.date(2024, 5, 10))
        self.step("application_form", dt.date(2024, 5, 15))

    def admit(self, on: dt.date = dt.date(2024, 6, 1)) -> None:
        self.candidate()
        self.step("admission_meeting", on, votes_due=3, votes_present=3, votes_yes=3)

    def make_full(self) -> None:
        self.admit()
        self.step("approval_talk", dt.date(2024, 6, 20), people=self.members[:1])
        self.step("admission_approval", dt.date(2024, 7, 10))
        self.step("oath", dt.date(2024, 7, 20))
        self.step("full_membership_application", dt.date(2025, 5, 20))
        self.step(
            "full_membership_meeting",
            dt.date(2025, 6, 5),
            votes_due=3,
            votes_present=3,
            votes_yes=3,
        )


@pytest.fixture
def record_a(system: Any, applicant: Any, branch_a: Any) -> Any:
    from dangjian.development.actions import record_create

    return record_create(
        actor=system, person=applicant, branch=branch_a, applied_on=dt.date(2022, 9, 1), today=TODAY
    )


@pytest.fixture
def pipeline(system: Any, record_a: Any, members_a: list[Any]) -> Pipeline:
    return Pipeline(system, record_a, members_a)
