"""Fixtures for the accountability tests: findings with their rectification (created directly:
the rectification app's actions are its own), people, and the deciding roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from conftest import make_id_number

TODAY = dt.date(2026, 11, 23)
PERIOD = {"minor": 7, "general": 15, "serious": 30}


@pytest.fixture
def make_finding() -> Callable[..., Any]:
    """A finding and its rectification as they would stand after the rectification actions."""
    from dangjian.rectification.models import Finding, Rectification

    def make(
        unit: Any,
        *,
        found_on: dt.date = dt.date(2026, 9, 1),
        severity: str = "general",
        status: str = "open",
        reopen_count: int = 0,
        deadline: dt.date | None = None,
        description: str = "党员活动室制度未上墙",
        area: str = "组织建设",
    ) -> Any:
        finding = Finding.objects.create(
            unit=unit,
            source="self_check",
            area=area,
            description=description,
            severity=severity,
            found_on=found_on,
        )
        days = PERIOD[severity]
        Rectification.objects.create(
            finding=finding,
            unit=unit,
            status=status,
            period_days=days,
            deadline=deadline or found_on + dt.timedelta(days=days),
            reopen_count=reopen_count,
        )
        return Finding.objects.select_related("unit", "rectification").get(pk=finding.pk)

    return make


@pytest.fixture
def make_person(system: Any) -> Callable[..., Any]:
    from dangjian.people.actions import person_create

    counter = {"n": 500}

    def make(unit: Any, name: str | None = None) -> Any:
        counter["n"] += 2
        return person_create(
            actor=system,
            unit=unit,
            name=name or f"教师{counter['n']}",
            id_number=make_id_number(counter["n"]),
        )

    return make


@pytest.fixture
def inspector(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("inspector", county["bureau"], username="inspector")


@pytest.fixture
def discipline(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("discipline_inspector", county["bureau"], username="jijian")


@pytest.fixture
def district_staff(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("district_staff", county["district"], username="district")


@pytest.fixture
def today() -> dt.date:
    return TODAY
