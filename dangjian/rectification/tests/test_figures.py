"""Figures on fixed data: findings and self-check findings apart, rectified, on time, overdue,
and the on-time rate."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.rectification import actions

from .conftest import png

pytestmark = pytest.mark.django_db
D = dt.date


def _close(rect, school, inspector, submit_on, verify_on):
    actions.rectification_submit(
        actor=school, rectification=rect, measures="已改", evidence=[png()], on=submit_on
    )
    actions.rectification_verify(actor=inspector, rectification=rect, on=verify_on)


def test_figures(county, secretary_a, secretary_b, inspector, make_finding):
    a, b = county["a"], county["b"]
    on_time = make_finding(a, D(2024, 3, 1))  # deadline 3-16
    _close(on_time.rectification, secretary_a, inspector, D(2024, 3, 16), D(2024, 3, 20))
    late = make_finding(b, D(2024, 3, 1), severity="minor")  # deadline 3-8
    _close(late.rectification, secretary_b, inspector, D(2024, 3, 9), D(2024, 3, 10))
    make_finding(a, D(2024, 11, 1), source="self_check")  # open, overdue by year end
    make_finding(a, D(2024, 12, 30), source="self_check")  # open, not yet due on 12-31
    make_finding(b, D(2023, 12, 1))  # last year: overdue on 2024-12-31 as well
    make_finding(a, D(2025, 1, 2), source="self_check")  # next year
    year = Period.year(2024)
    bureau = county["bureau"]
    assert figures.value("findings", bureau, year) == 2
    assert figures.value("self_check_findings", bureau, year) == 2
    assert figures.value("rectified", bureau, year) == 2
    assert figures.value("rectified_on_time", bureau, year) == 1
    assert figures.value("overdue", bureau, year) == 2
    assert figures.value("findings", a, year) == 1
    assert figures.value("overdue", a, Period.month(2024, 3)) == 0
    assert (
        figures.value("overdue", b, Period.month(2024, 3)) == 1
    )  # last year's; the late one was submitted
    assert set(figures.rows("rectified_on_time_rate", bureau, year)) == {on_time}
    fig = figures.get("rectified_on_time_rate")
    assert fig.ratio == ("rectified_on_time", "rectified")
