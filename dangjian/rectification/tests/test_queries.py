"""needing_decision (the accountability hand-over), todos, the overdue list."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.rectification import actions, queries
from dangjian.rectification.models import Finding

from .conftest import png

pytestmark = pytest.mark.django_db
D = dt.date


def _reject(rect, school, inspector, on):
    actions.rectification_submit(
        actor=school, rectification=rect, measures="改", evidence=[png()], on=on
    )
    actions.rectification_reject(actor=inspector, rectification=rect, reasons="不到位", on=on)


def test_needing_decision_s4(county, inspector, secretary_a, make_finding):
    f = make_finding(county["a"], D(2024, 5, 6))  # deadline 2024-05-21
    assert list(queries.needing_decision(inspector, D(2024, 6, 5))) == []
    assert list(queries.needing_decision(inspector, D(2024, 6, 6))) == [f]  # S4
    assert list(queries.needing_decision(secretary_a, D(2024, 6, 6))) == [f]
    twice = make_finding(county["a"], D(2024, 6, 1))
    _reject(twice.rectification, secretary_a, inspector, D(2024, 6, 2))
    _reject(twice.rectification, secretary_a, inspector, D(2024, 6, 3))
    assert set(queries.needing_decision(inspector, D(2024, 6, 6))) == {f, twice}
    if hasattr(Finding, "accountability_records"):
        assert isinstance(queries.needing_decision(inspector, D(2024, 6, 6)).count(), int)


def test_todos(county, secretary_a, inspector, make_finding):
    today = D(2024, 5, 10)
    make_finding(county["a"], D(2024, 5, 6), severity="minor")  # due 5-13: within 3 days
    make_finding(county["a"], D(2024, 4, 1), severity="minor")  # overdue
    make_finding(county["b"], D(2024, 4, 1), severity="minor")  # overdue, other school
    school = {t.name: t for t in queries.todos(secretary_a, today)}
    assert school["rectification_due"].count == 1
    assert school["rectification_overdue"].count == 1
    assert school["rectification_overdue"].level == "danger"
    assert "rectification_to_verify" not in school
    bureau = {t.name: t for t in queries.todos(inspector, today)}
    assert bureau["rectification_overdue"].count == 2
    assert bureau["rectification_to_verify"].count == 0
    assert "rectification_due" not in bureau


def test_overdue_by_school(county, inspector, make_finding):
    make_finding(county["a"], D(2024, 4, 1))
    make_finding(county["a"], D(2024, 4, 20))
    rows = queries.overdue_by_school(inspector, D(2024, 5, 20))
    assert [(r["unit__name"], r["n"], r["days"]) for r in rows] == [("青山县第一中学", 2, 34)]


def test_todo_links_list_exactly_the_rows_counted(client, county, secretary_a, make_finding):
    import re

    from django.utils import timezone

    today = timezone.localdate()
    make_finding(county["a"], today - dt.timedelta(days=5), severity="minor")  # due in 2 days
    make_finding(county["a"], today - dt.timedelta(days=40), severity="minor")  # overdue
    client.force_login(secretary_a)
    for todo in queries.todos(secretary_a, today):
        body = client.get(todo.url).content.decode()
        shown = re.search(r"共 <strong[^>]*>(\d+)</strong> 条", body)
        assert shown is not None and int(shown.group(1)) == todo.count, todo.name
