"""Figures on fixed data: each value is what its rows say, and the rows are the expected ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.decisions import actions

from .conftest import FILED

D = dt.date
Y2024 = Period.year(2024)
pytestmark = pytest.mark.django_db

NAMES = (
    "decision_schools_filing",
    "decision_items_filed",
    "decision_items_by_category",
    "decision_items_by_status",
    "decision_items_flagged",
    "decision_items_violating",
    "decision_items_clean",
    "decision_flags",
    "decision_execution_overdue",
    "decision_meetings",
    "decision_spot_checks",
    "decision_spot_check_problems",
    "decision_schools_flagged",
)


@pytest.fixture
def year(
    county: dict[str, Any],
    secretary_a: Any,
    secretary_b: Any,
    make_item: Callable[..., Any],
    filed_item: Callable[..., Any],
    approved_item: Callable[..., Any],
    decide: Callable[..., Any],
    discipline: Any,
) -> dict[str, Any]:
    """School A: a clean decided item executed on time, one filed late, one decided without
    filing and then executed late; school B: one filed clean item; one item filed in 2023."""
    clean = approved_item(title="清洁议题")
    late = filed_item(title="迟报议题", on=D(2024, 3, 6))
    unfiled = make_item(
        title="未报备议题",
        category="large_fund",
        amount=Decimal("200000"),
        steps_done=["investigation", "legality_review"],
    )
    decide(clean, unfiled)
    for item in (clean, unfiled):
        item.refresh_from_db()
    ex = actions.execution_start(
        actor=secretary_a,
        item=clean,
        responsible_name="李校长",
        due_on=D(2024, 5, 31),
        on=D(2024, 3, 11),
    )
    actions.execution_complete(
        actor=secretary_a, execution=ex, report="完成", evidence_note="存档", on=D(2024, 5, 20)
    )
    actions.execution_start(
        actor=secretary_a,
        item=unfiled,
        responsible_name="李校长",
        due_on=D(2024, 6, 30),
        on=D(2024, 3, 11),
    )
    b_item = actions.item_create(
        actor=secretary_b,
        unit=county["b"],
        category="cadre_appointment",
        title="聘任德育处主任",
        content="聘任德育处主任。",
        steps_done=["opinions", "party_preview"],
        planned_meeting_on=D(2024, 4, 12),
    )
    actions.item_file(actor=secretary_b, item=b_item, on=D(2024, 4, 1))
    old = make_item(title="去年议题", planned_meeting_on=D(2023, 12, 29))
    actions.item_file(actor=secretary_a, item=old, on=D(2023, 12, 20))
    actions.spot_check_record(actor=discipline, item=clean, checked_on=D(2024, 6, 3), result="ok")
    actions.spot_check_record(
        actor=discipline,
        item=unfiled,
        checked_on=D(2024, 7, 3),
        result="problem",
        problem="未报备即上会",
    )
    return {"clean": clean, "late": late, "unfiled": unfiled, "b": b_item, "old": old}


def test_every_value_equals_its_rows(county: dict[str, Any], year: dict[str, Any]) -> None:
    for name in NAMES:
        fig = figures.get(name)
        rows = figures.rows(name, county["bureau"], Y2024)
        assert figures.value(name, county["bureau"], Y2024) == rows.count(), name
        if fig.breakdown:
            parts = figures.breakdown(name, county["bureau"], Y2024)
            assert sum(v for _, _, v in parts) == rows.count(), name


def test_values(county: dict[str, Any], year: dict[str, Any]) -> None:
    bureau, a = county["bureau"], county["a"]

    def value(name: str, unit: Any = bureau) -> Any:
        return figures.value(name, unit, Y2024)

    assert value("decision_schools_filing") == 2
    assert set(figures.rows("decision_schools_filing", bureau, Y2024)) == {county["a"], county["b"]}
    assert value("decision_items_filed") == 3  # clean, late, B's; not the 2023 one, not unfiled
    assert value("decision_items_by_category") == 4  # + the unfiled one decided in 2024
    by_cat = {k: v for k, _, v in figures.breakdown("decision_items_by_category", bureau, Y2024)}
    assert by_cat == {
        "major_matter": 2,
        "cadre_appointment": 1,
        "major_project": 0,
        "large_fund": 1,
    }
    # flagged at the year's end: late (filed_late), unfiled (not filed + execution overdue)
    flagged = set(figures.rows("decision_items_flagged", bureau, Y2024))
    assert flagged == {year["late"], year["unfiled"]}
    assert set(figures.rows("decision_items_violating", bureau, Y2024)) == {year["unfiled"]}
    assert set(figures.rows("decision_items_clean", bureau, Y2024)) == {year["clean"], year["b"]}
    assert value("decision_items_clean_rate") == Decimal("50.0")
    flags = {k: v for k, _, v in figures.breakdown("decision_flags", bureau, Y2024)}
    assert flags["filed_late"] == 1 and flags["not_filed_in_advance"] == 1
    assert flags["execution_overdue"] == 1 and sum(flags.values()) == 3
    assert list(figures.rows("decision_execution_overdue", bureau, Y2024)) == [year["unfiled"]]
    assert value("decision_meetings") == 1
    assert value("decision_spot_checks") == 2 and value("decision_spot_check_problems") == 1
    assert value("decision_schools_flagged") == 1
    assert value("decision_items_filed", county["b"]) == 1
    assert value("decision_items_filed", a) == 2


def test_overdue_is_read_at_the_period_end(county: dict[str, Any], year: dict[str, Any]) -> None:
    bureau = county["bureau"]
    june = Period.month(2024, 6)
    july = Period.month(2024, 7)
    assert figures.value("decision_execution_overdue", bureau, june) == 0  # due 30 June
    assert figures.value("decision_execution_overdue", bureau, july) == 1
    early = Period.inclusive(D(2024, 1, 1), FILED)
    assert figures.value("decision_items_flagged", bureau, early) == 0  # nothing filed late yet
