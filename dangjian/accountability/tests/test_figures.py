"""Fixed-data figure tests: value, breakdown and rows agree."""

import datetime as dt

from dangjian.accountability import actions
from dangjian.core import figures
from dangjian.core.periods import Period

from .conftest import TODAY


def test_accountability_by_form(county, bureau_admin, make_finding, make_person):
    p = make_person(county["a"])
    for form, on in (
        ("talk_reminder", dt.date(2025, 3, 1)),
        ("talk_reminder", dt.date(2025, 6, 1)),
        ("admonishment", dt.date(2025, 12, 31)),
        ("criticism", dt.date(2026, 1, 1)),  # next year
    ):
        actions.record_create(
            actor=bureau_admin,
            unit=county["a"],
            findings=[make_finding(county["a"], found_on=dt.date(2025, 1, 5))],
            people=[p],
            form=form,
            decided_on=on,
            decided_by="局党委",
            today=TODAY,
        )
    year = Period.year(2025)
    assert figures.value("accountability", county["bureau"], year) == 3
    assert figures.value("accountability", county["b"], year) == 0
    rows = dict((k, v) for k, _, v in figures.breakdown("accountability", county["bureau"], year))
    assert rows["talk_reminder"] == 2 and rows["admonishment"] == 1 and rows["criticism"] == 0


def test_warning_education_sessions(county, bureau_admin):
    for unit, on in (
        (county["a"], dt.date(2024, 1, 1)),
        (county["b"], dt.date(2024, 12, 31)),
        (county["bureau"], dt.date(2024, 6, 1)),
        (county["a"], dt.date(2025, 1, 1)),
    ):
        actions.session_create(
            actor=bureau_admin,
            unit=unit,
            held_on=on,
            kind="case_briefing",
            topic="案例通报会",
            expected_count=30,
            present_count=30,
            today=TODAY,
        )
    y = Period.year(2024)
    assert figures.value("warning_education_sessions", county["bureau"], y) == 3
    assert figures.value("warning_education_sessions", county["a"], y) == 1
    assert figures.rows("warning_education_sessions", county["district"], y).count() == 2
