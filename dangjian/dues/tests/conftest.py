"""Fixtures for the dues tests: a branch per sibling school with members, bases set."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import make_id_number
from dangjian.dues import actions, rules


@pytest.fixture
def branch_a(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.orgs.actions import partyorg_create

    return partyorg_create(actor=system, unit=county["a"], name="第一中学党支部", kind="branch")


@pytest.fixture
def branch_b(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.orgs.actions import partyorg_create

    return partyorg_create(actor=system, unit=county["b"], name="中心小学党支部", kind="branch")


@pytest.fixture
def make_member(system: Any) -> Callable[..., Any]:
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    counter = {"n": 300}

    def make(
        branch: Any,
        name: str | None = None,
        joined_on: dt.date = dt.date(2010, 7, 1),
        category: str = "on_post",
        status: str = "full",
    ) -> Any:
        counter["n"] += 1
        n = counter["n"]
        person = person_create(
            actor=system, unit=branch.unit, name=name or f"党员{n}", id_number=make_id_number(n)
        )
        return member_create(
            actor=system,
            person=person,
            branch=branch,
            joined_on=joined_on,
            status=status,
            full_on=joined_on + dt.timedelta(days=366) if status == "full" else None,
            dues_category=category,
        )

    return make


@pytest.fixture
def recent() -> list[dt.date]:
    """The last eight overdue months, oldest first (relative to today: views use the clock)."""
    last = rules.latest_overdue_month(timezone.localdate())
    out = [last]
    for _ in range(7):
        out.append(rules.previous_month(out[-1]))
    return list(reversed(out))


@pytest.fixture
def set_bases(system: Any, recent: list[dt.date]) -> Callable[..., None]:
    """Bases for every year the recent months (and this month) touch."""

    def do(member: Any, base: str = "5000.00", **values: Any) -> None:
        years = {m.year for m in recent} | {timezone.localdate().year}
        for year in sorted(years):
            if member.dues_category in rules.BANDED:
                values.setdefault("monthly_base", Decimal(base))
            actions.dues_base_set(actor=system, member=member, year=year, **values)

    return do


@pytest.fixture
def clerk_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_clerk", county["a"], username="clerk_a")
