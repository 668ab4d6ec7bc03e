"""A month of supervision in the test county (May 2024): inspections of several kinds, findings
from inspections and self-checks, rectifications verified on time and late, one overdue, an
accountability decision and a warning-education session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

D = dt.date
MAY = D(2024, 5, 1)
ISSUE_DAY = D(2024, 6, 5)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def inspector(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("inspector", county["bureau"], username="inspector", display_name="督导员老周")


@pytest.fixture
def month_world(county: dict[str, Any], system: Any) -> dict[str, Any]:
    from conftest import make_id_number
    from dangjian.accountability.actions import record_create, session_create
    from dangjian.people.actions import person_create
    from dangjian.rectification.actions import (
        finding_create,
        rectification_submit,
        rectification_verify,
    )
    from dangjian.supervision.models import Inspection

    a, b = county["a"], county["b"]

    def inspect(unit: Any, kind: str, day: int) -> Any:
        return Inspection.objects.create(
            unit=unit,
            kind=kind,
            status="done",
            planned_on=D(2024, 5, day),
            held_on=D(2024, 5, day),
            title=f"{unit.name}{kind}",
        )

    patrol_a = inspect(a, "district_patrol", 6)
    inspect(a, "self_check", 3)
    spot_b = inspect(b, "bureau_spot_check", 10)

    def find(unit: Any, source: str, severity: str, area: str, day: int, **kw: Any) -> Any:
        return finding_create(
            actor=system,
            unit=unit,
            source=source,
            area=area,
            severity=severity,
            description=f"{area}方面存在问题",
            found_on=D(2024, 5, day),
            **kw,
        )

    on_time = find(a, "inspection", "minor", "组织生活", 6, inspection=patrol_a)
    late = find(a, "inspection", "minor", "廉洁风险", 6, inspection=patrol_a)
    overdue = find(b, "inspection", "general", "组织生活", 10, inspection=spot_b)
    find(b, "inspection", "serious", "师德师风", 10, inspection=spot_b)
    find(a, "self_check", "minor", "党费收缴", 3)
    find(b, "self_check", "general", "组织生活", 4)
    rectification_submit(
        actor=system,
        rectification=on_time.rectification,
        measures="已补齐",
        evidence_note="存档",
        on=D(2024, 5, 10),
    )
    rectification_verify(actor=system, rectification=on_time.rectification, on=D(2024, 5, 12))
    rectification_submit(
        actor=system,
        rectification=late.rectification,
        measures="已整改",
        evidence_note="存档",
        on=D(2024, 5, 20),
    )
    rectification_verify(actor=system, rectification=late.rectification, on=D(2024, 5, 22))
    record_create(
        actor=system,
        unit=b,
        findings=[overdue],
        people=[person_create(actor=system, unit=b, name="贝书记", id_number=make_id_number(21))],
        form="talk_reminder",
        decided_on=D(2024, 5, 28),
        decided_by="青山县教育局党委",
        today=D(2024, 5, 28),
    )
    session_create(
        actor=system,
        unit=a,
        held_on=D(2024, 5, 15),
        kind="film",
        topic="观看警示教育片",
        expected_count=30,
        present_count=28,
        today=D(2024, 5, 15),
    )
    return {**county, "overdue": overdue, "on_time": on_time}
