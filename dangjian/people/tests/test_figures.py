"""Fixed-data tests of the people figures: value, exact rows, sibling subtrees."""

from __future__ import annotations

import datetime as dt

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.orgs.actions import unit_create
from dangjian.people.actions import person_create, person_leave
from dangjian.people.rules import check_character

Y2024 = Period.year(2024)


def _id(seq: int) -> str:
    first17 = f"330102199003{seq % 28 + 1:02d}{seq % 1000:03d}"
    return first17 + check_character(first17)


def test_people_and_key_teachers(system, county):
    east = unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-DH",
        name="东湖学区",
        kind="district_office",
    )
    east_school = unit_create(
        actor=system, parent=east, code="QSX-DH-01", name="东湖镇中心小学", kind="primary"
    )
    made = {}
    specs = [
        ("a1", county["a"], "李晓梅", True, "master"),
        ("a2", county["a"], "王芳", False, "bachelor"),
        ("b1", county["b"], "张伟", True, "bachelor"),
        ("b2", county["b"], "刘洋", False, "college"),
        ("d1", county["district"], "陈静", False, "bachelor"),
        ("e1", east_school, "赵强", True, "bachelor"),
    ]
    for n, (key, unit, name, key_teacher, education) in enumerate(specs, start=1):
        made[key] = person_create(
            actor=system,
            unit=unit,
            name=name,
            id_number=_id(n),
            education=education,
            is_key_teacher=key_teacher,
            today=dt.date(2024, 1, 1),
        )
    person_leave(actor=system, person=made["b2"], status="retired")

    district = county["district"]
    expected = {made[k] for k in ("a1", "a2", "b1", "d1")}
    assert set(figures.rows("people", district, Y2024)) == expected
    assert figures.value("people", district, Y2024) == 4
    breakdown = {k: v for k, _, v in figures.breakdown("people", district, Y2024)}
    assert breakdown == {
        "doctorate": 0,
        "master": 1,
        "bachelor": 3,
        "college": 0,
        "secondary": 0,
        "below": 0,
    }
    assert set(figures.rows("key_teachers", district, Y2024)) == {made["a1"], made["b1"]}
    assert figures.value("key_teachers", district, Y2024) == 2
    assert set(figures.rows("key_teachers", county["a"], Y2024)) == {made["a1"]}
    # the sibling district counts only its own school; the bureau counts both
    assert set(figures.rows("people", east, Y2024)) == {made["e1"]}
    assert figures.value("key_teachers", county["bureau"], Y2024) == 3
    assert figures.value("people", county["bureau"], Y2024) == 5
    for name in ("people", "key_teachers"):
        assert figures.get(name).unit_label == "人"
