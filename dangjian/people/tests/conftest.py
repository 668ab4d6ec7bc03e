"""Fixtures of the people tests: people in sibling schools, a clerk, a member with a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import make_id_number


@pytest.fixture
def make_person(system: Any) -> Callable[..., Any]:
    from dangjian.people.actions import person_create

    counter = {"n": 100}

    def make(unit: Any, name: str = "", **kw: Any) -> Any:
        counter["n"] += 1
        n = counter["n"]
        kw.setdefault("id_number", make_id_number(n))
        kw.setdefault("phone", f"138{n:08d}")
        return person_create(actor=system, unit=unit, name=name or f"教师{n}", **kw)

    return make


@pytest.fixture
def person_a(county: dict[str, Any], make_person: Callable[..., Any]) -> Any:
    return make_person(county["a"], name="李红梅", education="bachelor", job_title="语文教师")


@pytest.fixture
def person_b(county: dict[str, Any], make_person: Callable[..., Any]) -> Any:
    return make_person(county["b"], name="张建国")


@pytest.fixture
def clerk_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_clerk", county["a"], username="clerk_a")


@pytest.fixture
def member_a(county: dict[str, Any], make_user: Callable[..., Any], person_a: Any) -> Any:
    return make_user("member", county["a"], username="member_a", person=person_a)
