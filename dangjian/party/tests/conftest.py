"""Fixtures for the party tests: a branch per school, people, and a member factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from conftest import make_id_number

JOINED = dt.date(2015, 7, 1)
FULL = dt.date(2016, 7, 1)


@pytest.fixture
def make_person(system: Any) -> Callable[..., Any]:
    from dangjian.people.actions import person_create

    counter = {"n": 200}

    def make(unit: Any, name: str | None = None, **kw: Any) -> Any:
        counter["n"] += 1
        n = counter["n"]
        return person_create(
            actor=system, unit=unit, name=name or f"党员{n}", id_number=make_id_number(n), **kw
        )

    return make


@pytest.fixture
def branch_a(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.orgs.actions import partyorg_create

    return partyorg_create(actor=system, unit=county["a"], name="第一中学党支部", kind="branch")


@pytest.fixture
def branch_b(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.orgs.actions import partyorg_create

    return partyorg_create(actor=system, unit=county["b"], name="中心小学党支部", kind="branch")


@pytest.fixture
def make_member(system: Any, make_person: Callable[..., Any]) -> Callable[..., Any]:
    from dangjian.party.actions import member_create

    def make(branch: Any, name: str | None = None, status: str = "full", **kw: Any) -> Any:
        person = kw.pop("person", None) or make_person(branch.unit, name)
        kw.setdefault("joined_on", JOINED)
        if status == "full":
            kw.setdefault("full_on", FULL)
        return member_create(actor=system, person=person, branch=branch, status=status, **kw)

    return make


@pytest.fixture
def clerk_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_clerk", county["a"], username="clerk_a")


@pytest.fixture
def leader(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("bureau_leader", county["bureau"], username="leader")
