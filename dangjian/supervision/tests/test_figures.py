"""Figures on fixed data; queries (一月一督察 gaps, to-dos)."""

import datetime as dt

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.supervision import actions, queries


def _done(system, unit, kind, day):
    i = actions.inspection_create(actor=system, unit=unit, kind=kind, planned_on=day)
    return actions.inspection_complete(actor=system, inspection=i, held_on=day)


def test_schools_inspected_and_inspections_by_kind(system, county, make_inspection):
    a, b = county["a"], county["b"]
    _done(system, a, "self_check", dt.date(2024, 6, 3))
    _done(system, a, "district_patrol", dt.date(2024, 6, 20))
    _done(system, b, "district_patrol", dt.date(2024, 6, 21))
    _done(system, b, "bureau_spot_check", dt.date(2024, 7, 1))  # next month
    make_inspection(unit=b, kind="unannounced")  # planned only: not counted
    june = Period(dt.date(2024, 6, 1), dt.date(2024, 7, 1))
    bureau = county["bureau"]
    assert figures.value("schools_inspected", bureau, june) == 2
    assert figures.value("schools_inspected", a, june) == 1
    assert figures.value("inspections", bureau, june) == 3
    assert figures.rows("inspections", bureau, june).count() == 3
    kinds = {k: v for k, _, v in figures.breakdown("inspections", bureau, june)}
    assert kinds == {
        "self_check": 1,
        "district_patrol": 2,
        "liaison_recheck": 0,
        "bureau_spot_check": 0,
        "unannounced": 0,
        "campaign_visit": 0,
    }
    assert figures.value("schools_inspected", bureau, Period.year(2024)) == 2


def test_missed_schools_uses_s6(system, county):
    _done(system, county["a"], "self_check", dt.date(2024, 6, 3))
    paths = [county["bureau"].path]
    assert queries.missed_schools(paths, dt.date(2024, 6, 1), dt.date(2024, 7, 1)) == [county["b"]]
    assert queries.missed_schools(paths, dt.date(2024, 6, 1), dt.date(2024, 6, 30)) == []
    assert list(queries.uninspected_schools(paths, dt.date(2024, 6, 1))) == [county["b"]]


def test_todos(system, county, inspector, secretary_a):
    today = dt.date(2024, 7, 15)
    actions.inspection_create(
        actor=system, unit=county["a"], kind="district_patrol", planned_on=dt.date(2024, 7, 10)
    )
    actions.inspection_create(
        actor=system, unit=county["b"], kind="unannounced", planned_on=dt.date(2024, 7, 20)
    )
    _done(system, county["a"], "self_check", dt.date(2024, 6, 3))
    got = {t.name: (t.count, t.level) for t in queries.todos(inspector, today)}
    assert got == {
        "supervision_planned": (2, "danger"),
        "supervision_uninspected": (2, "warning"),
        "supervision_missed": (1, "danger"),
    }
    school = {t.name: t.count for t in queries.todos(secretary_a, today)}
    assert school == {"supervision_planned": 1}  # the unannounced visit at b is not a's, nor shown
