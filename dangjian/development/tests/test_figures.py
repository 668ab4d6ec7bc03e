"""Development figures on fixed data: every number equals its rows."""

from __future__ import annotations

import datetime as dt

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.development import actions

from .conftest import TODAY, Pipeline, add_person

D = dt.date


def test_figures_on_fixed_data(system, county, branch_a, branch_b, pipeline, record_a, members_a):
    pipeline.make_full()  # key teacher at application: applied 2022, activist 2023, candidate 2024
    teacher = add_person(system, county["a"], "青年教师", 740, "19980101")
    rec = actions.record_create(
        actor=system, person=teacher, branch=branch_a, applied_on=D(2022, 9, 1), today=TODAY
    )
    Pipeline(system, rec, members_a).admit(D(2024, 7, 1))
    actions.key_teacher_mark(actor=system, record=rec, on=D(2025, 9, 1), today=TODAY)
    other = add_person(system, county["b"], "乙校申请人", 741, "19960101")
    actions.record_create(
        actor=system, person=other, branch=branch_b, applied_on=D(2024, 5, 1), today=TODAY
    )
    y2022, y2023, y2024, y2025 = (Period.year(y) for y in (2022, 2023, 2024, 2025))
    bureau, a, b = county["bureau"], county["a"], county["b"]
    expected = [
        ("applications", bureau, y2022, 2),
        ("applications", bureau, y2024, 1),
        ("applications", b, y2024, 1),
        ("applications", a, y2024, 0),
        ("activists", a, y2023, 2),
        ("candidates", a, y2024, 2),
        ("newly_admitted", bureau, y2024, 2),
        ("newly_admitted", bureau, y2025, 0),
        ("development_made_full", a, y2025, 1),
        ("double_cultivation_key_teachers_to_members", a, y2024, 1),
        ("double_cultivation_members_to_key_teachers", a, y2025, 1),
        ("double_cultivation_members_to_key_teachers", a, y2024, 0),
    ]
    for name, unit, period, value in expected:
        assert figures.value(name, unit, period) == value, (name, unit.name, period)
        assert figures.rows(name, unit, period).count() == value
