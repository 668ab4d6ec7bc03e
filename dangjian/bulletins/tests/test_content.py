"""The bulletin's numbers are the registry's numbers: every figure, every breakdown and the
school table add up to the registered figures for the same unit and month."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dangjian.bulletins import content
from dangjian.core import figures
from dangjian.core.periods import Period

from .conftest import ISSUE_DAY, MAY

pytestmark = pytest.mark.django_db
MAY_PERIOD = Period.month(2024, 5)
DISTINCT = {"schools_inspected"}  # parts of a distinct count may overlap


def test_every_figure_equals_the_registry(month_world: dict[str, Any]) -> None:
    for unit in (month_world["bureau"], month_world["district"], month_world["a"]):
        data = content.compose(unit, MAY, ISSUE_DAY)
        for name, fields in content.FIGURES:
            assert content.value(data, name) == figures.value(name, unit, MAY_PERIOD), name
            for field in fields:
                live = figures.breakdown_by(name, unit, MAY_PERIOD, field)
                frozen = data["figures"][name]["breakdowns"][field]
                assert [tuple(p) for p in frozen] == [(k, lbl, int(v)) for k, lbl, v in live], (
                    name,
                    field,
                )
                if name not in DISTINCT:
                    assert sum(v for *_, v in frozen) == content.value(data, name), (name, field)


def test_the_month_as_recorded(month_world: dict[str, Any]) -> None:
    data = content.compose(month_world["bureau"], MAY, ISSUE_DAY)
    v = {name: content.value(data, name) for name, _ in content.FIGURES}
    assert v["inspections"] == 3
    assert v["schools_inspected"] == 2
    assert v["schools_uninspected"] == 0
    assert v["findings"] == 4
    assert v["self_check_findings"] == 2
    assert v["rectified"] == 2
    assert v["rectified_on_time"] == 1
    assert v["rectified_on_time_rate"] == Decimal("50.0")
    assert v["overdue"] == 3  # as of 31 May: three open findings past their deadline
    assert v["accountability"] == 1
    assert v["warning_education_sessions"] == 1
    assert content.parts(data, "findings", "severity") == "轻微2个、一般1个、严重1个"
    assert content.parts(data, "findings", "area") == "组织生活2个、师德师风1个、廉洁风险1个"
    assert content.parts(data, "inspections", "kind") == "学校自查1次、学区巡查1次、督导组抽查1次"


def test_school_table_adds_up_to_the_figures(month_world: dict[str, Any]) -> None:
    data = content.compose(month_world["bureau"], MAY, ISSUE_DAY)
    rows = data["schools"]
    assert [r["name"] for r in rows] == ["城关镇中心小学", "青山县第一中学"]
    for col, _ in content.SCHOOL_COLUMNS:
        assert sum(r[col] for r in rows) == content.value(data, col), col


def test_scope_of_a_school_month(month_world: dict[str, Any]) -> None:
    data = content.compose(month_world["a"], MAY, ISSUE_DAY)
    assert content.value(data, "findings") == 2
    assert [r["name"] for r in data["schools"]] == ["青山县第一中学"]
    assert data["as_of"] == ISSUE_DAY.isoformat()
