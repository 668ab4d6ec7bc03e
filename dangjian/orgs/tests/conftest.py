"""Fixtures for the orgs tests: people, party orgs, a liaison and an exchange in the county."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from conftest import make_id_number


@pytest.fixture
def make_person(system: Any) -> Callable[..., Any]:
    from dangjian.people.actions import person_create

    counter = {"n": 100}

    def make(unit: Any, name: str | None = None, **kw: Any) -> Any:
        counter["n"] += 1
        n = counter["n"]
        return person_create(
            actor=system,
            unit=unit,
            name=name or f"教师{n}",
            id_number=make_id_number(n),
            **kw,
        )

    return make


@pytest.fixture
def make_org(system: Any) -> Callable[..., Any]:
    from dangjian.orgs.actions import partyorg_create

    def make(unit: Any, kind: str = "branch", name: str | None = None, **kw: Any) -> Any:
        return partyorg_create(
            actor=system, unit=unit, kind=kind, name=name or f"{unit.name}党支部", **kw
        )

    return make


@pytest.fixture
def clerk_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_clerk", county["a"], username="clerk_a")


@pytest.fixture
def cadre(county: dict[str, Any], make_person: Callable[..., Any]) -> Any:
    return make_person(county["bureau"], name="周建国", job_title="组织科科长")


@pytest.fixture
def world(
    county: dict[str, Any],
    system: Any,
    make_person: Callable[..., Any],
    make_org: Callable[..., Any],
    cadre: Any,
) -> dict[str, Any]:
    """One row of every orgs model for each sibling school."""
    from dangjian.orgs.actions import exchange_create, liaison_create, post_create, unit_close

    out: dict[str, Any] = {"cadre": cadre}
    for key in ("a", "b"):
        school = county[key]
        person = make_person(school, name=f"书记{key.upper()}")
        org = make_org(school, name=f"{school.name}党支部")
        post = post_create(
            actor=system, org=org, person=person, title="secretary", started_on=dt.date(2023, 9, 1)
        )
        liaison = liaison_create(
            actor=system, cadre=cadre, unit=school, started_on=dt.date(2024, 2, 1)
        )
        out[key] = {"person": person, "org": org, "post": post, "liaison": liaison}
    from dangjian.orgs.actions import unit_create

    for key, parent in (("a", county["a"]), ("b", county["b"])):
        annex = unit_create(
            actor=system,
            parent=parent,
            code=f"ANNEX-{key.upper()}",
            name=f"分校{key}",
            kind="primary",
        )
        teacher = make_person(annex, name=f"分校教师{key}")
        unit_close(actor=system, unit=annex, happened_on=dt.date(2024, 8, 31))
        out[key]["annex"] = annex
        out[key]["annex_teacher"] = teacher
    for key in ("a", "b"):
        campus = unit_create(
            actor=system,
            parent=county[key],
            code=f"CAMPUS-{key.upper()}",
            name=f"{county[key].name}东校区",
            kind="primary",
        )
        teacher = make_person(county[key], name=f"交流教师{key.upper()}")
        out[key]["campus"] = campus
        out[key]["exchange"] = exchange_create(
            actor=system,
            person=teacher,
            to_unit=campus,
            kind="rotation",
            happened_on=dt.date(2024, 9, 1),
        )
    return out
