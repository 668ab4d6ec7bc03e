"""Fixed-data tests of the org figures: value, exact rows, sibling subtrees, past periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.orgs import actions
from dangjian.orgs.models import Exchange, Liaison, PartyOrg, Unit, UnitEvent
from dangjian.people.actions import person_create
from dangjian.people.rules import check_character

Y2023 = Period.year(2023)
Y2024 = Period.year(2024)


def _id(seq: int) -> str:
    first17 = f"330102198506{seq % 28 + 1:02d}{seq % 1000:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def tree(system: Any, county: dict[str, Any]) -> dict[str, Any]:
    """county + a sibling district (东湖学区) with its own school; people in both."""
    east = actions.unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-DH",
        name="东湖学区",
        kind="district_office",
        established_on=dt.date(2010, 1, 1),
    )
    east_school = actions.unit_create(
        actor=system,
        parent=east,
        code="QSX-DH-01",
        name="东湖镇中心小学",
        kind="primary",
        established_on=dt.date(2010, 1, 1),
    )
    seq = iter(range(1, 100))

    def person(unit: Unit, name: str, **kw: Any) -> Any:
        return person_create(
            actor=system,
            unit=unit,
            name=name,
            id_number=_id(next(seq)),
            today=dt.date(2024, 1, 1),
            **kw,
        )

    return {**county, "east": east, "east_school": east_school, "person": person}


def test_units_by_kind_counts_subtree_and_closed_units_for_past_periods(system, tree):
    district = tree["district"]
    # a kindergarten in the district closed in mid-2024
    kg = actions.unit_create(
        actor=system, parent=district, code="QSX-CG-09", name="阳光幼儿园", kind="kindergarten"
    )
    actions.unit_close(actor=system, unit=kg, happened_on=dt.date(2024, 6, 30))
    # a school established in 2025 does not exist in 2024
    actions.unit_create(
        actor=system,
        parent=district,
        code="QSX-CG-10",
        name="城关镇第二小学",
        kind="primary",
        established_on=dt.date(2025, 3, 1),
    )
    expected = {district.pk, tree["a"].pk, tree["b"].pk, kg.pk}
    assert (
        set(figures.rows("units_by_kind", district, Y2024).values_list("pk", flat=True)) == expected
    )
    assert figures.value("units_by_kind", district, Y2024) == 4
    assert dict((k, v) for k, _, v in figures.breakdown("units_by_kind", district, Y2024)) == {
        **{k: 0 for k in Unit.Kind.values},
        "district_office": 1,
        "senior": 1,
        "primary": 1,
        "kindergarten": 1,
    }
    # 2025: the kindergarten is gone, the new school exists
    assert figures.value("units_by_kind", district, Period.year(2025)) == 4
    assert kg.pk not in set(
        figures.rows("units_by_kind", district, Period.year(2025)).values_list("pk", flat=True)
    )
    # the sibling district's school is never counted under 城关学区
    assert tree["east_school"].pk not in expected
    # the bureau sees both districts: bureau, 2 districts, 4 schools/kindergartens
    assert figures.value("units_by_kind", tree["bureau"], Y2024) == 7


def test_units_closed_and_merged_in_period(system, tree):
    district, east = tree["district"], tree["east"]
    closed = actions.unit_create(
        actor=system, parent=district, code="QSX-CG-11", name="城关镇村小", kind="primary"
    )
    merged = actions.unit_create(
        actor=system, parent=district, code="QSX-CG-12", name="城关镇联办小学", kind="primary"
    )
    old = actions.unit_create(
        actor=system, parent=district, code="QSX-CG-13", name="城关镇旧幼儿园", kind="kindergarten"
    )
    sibling = actions.unit_create(
        actor=system, parent=east, code="QSX-DH-11", name="东湖村小", kind="primary"
    )
    ev_closed = actions.unit_close(
        actor=system,
        unit=closed,
        happened_on=dt.date(2024, 7, 1),
        document_number="青教发〔2024〕3号",
    )
    ev_merged = actions.unit_merge(
        actor=system, unit=merged, successor=tree["b"], happened_on=dt.date(2024, 8, 31)
    )
    actions.unit_close(actor=system, unit=old, happened_on=dt.date(2023, 12, 31))
    actions.unit_close(actor=system, unit=sibling, happened_on=dt.date(2024, 3, 1))
    # a closed district office is an office, not a school: not counted as 撤销学校
    office = actions.unit_create(
        actor=system, parent=tree["bureau"], code="QSX-XX", name="西山学区", kind="district_office"
    )
    actions.unit_close(actor=system, unit=office, happened_on=dt.date(2024, 5, 1))

    assert list(figures.rows("units_closed", district, Y2024)) == [ev_closed]
    assert figures.value("units_closed", district, Y2024) == 1
    assert list(figures.rows("units_merged", district, Y2024)) == [ev_merged]
    assert figures.value("units_merged", district, Y2024) == 1
    assert figures.value("units_closed", district, Y2023) == 1  # the old kindergarten
    assert figures.value("units_closed", tree["bureau"], Y2024) == 2  # + the sibling's
    assert figures.value("units_merged", east, Y2024) == 0
    assert UnitEvent.objects.count() == 5


def test_party_orgs_by_kind(system, tree):
    a, b, east_school = tree["a"], tree["b"], tree["east_school"]
    committee = actions.partyorg_create(
        actor=system, unit=a, name="青山县第一中学党委", kind="committee"
    )
    branch = actions.partyorg_create(
        actor=system, unit=a, name="高一年级党支部", kind="branch", parent=committee
    )
    group = actions.partyorg_create(
        actor=system, unit=a, name="语文组党小组", kind="group", parent=branch
    )
    inactive = actions.partyorg_create(
        actor=system, unit=b, name="城关镇中心小学党支部", kind="branch"
    )
    actions.partyorg_update(actor=system, org=inactive, is_active=False)
    later = actions.partyorg_create(
        actor=system,
        unit=b,
        name="城关镇中心小学第二党支部",
        kind="branch",
        established_on=dt.date(2025, 1, 1),
    )
    actions.partyorg_create(
        actor=system, unit=east_school, name="东湖镇中心小学党支部", kind="branch"
    )

    rows = set(figures.rows("party_orgs_by_kind", tree["district"], Y2024))
    assert rows == {committee, branch, group}
    assert figures.value("party_orgs_by_kind", tree["district"], Y2024) == 3
    assert [v for _, _, v in figures.breakdown("party_orgs_by_kind", tree["district"], Y2024)] == [
        1,
        0,
        1,
        1,
    ]
    assert later in set(figures.rows("party_orgs_by_kind", tree["district"], Period.year(2025)))
    assert figures.value("party_orgs_by_kind", tree["bureau"], Y2024) == 4
    assert PartyOrg.objects.count() == 6


def test_liaison_assignments_overlapping_period(system, tree):
    cadre = tree["person"](tree["bureau"], "王建国", job_title="组织科科长")
    a, b, east_school = tree["a"], tree["b"], tree["east_school"]
    whole = actions.liaison_create(
        actor=system, cadre=cadre, unit=a, started_on=dt.date(2023, 9, 1)
    )
    ends_in = actions.liaison_create(
        actor=system,
        cadre=cadre,
        unit=b,
        started_on=dt.date(2023, 3, 1),
        ended_on=dt.date(2024, 1, 1),
        kind="stationed",
    )
    actions.liaison_create(  # ended before 2024
        actor=system,
        cadre=cadre,
        unit=b,
        started_on=dt.date(2022, 3, 1),
        ended_on=dt.date(2023, 2, 1),
    )
    actions.liaison_create(  # starts after 2024
        actor=system, cadre=cadre, unit=a, started_on=dt.date(2025, 1, 1)
    )
    sibling = actions.liaison_create(
        actor=system, cadre=cadre, unit=east_school, started_on=dt.date(2024, 5, 1)
    )
    assert set(figures.rows("liaison_assignments", tree["district"], Y2024)) == {whole, ends_in}
    assert figures.value("liaison_assignments", tree["district"], Y2024) == 2
    assert set(figures.rows("liaison_assignments", tree["east"], Y2024)) == {sibling}
    assert figures.value("liaison_assignments", tree["bureau"], Y2024) == 3
    assert Liaison.objects.count() == 5


def test_exchanges_from_or_to_subtree(system, tree):
    person = tree["person"]
    t1 = person(tree["a"], "李晓梅")
    t2 = person(tree["b"], "张伟")
    t3 = person(tree["east_school"], "陈静")
    t4 = person(tree["east_school"], "刘洋")
    inside = actions.exchange_create(
        actor=system, person=t1, to_unit=tree["b"], kind="rotation", happened_on=dt.date(2024, 9, 1)
    )
    outgoing = actions.exchange_create(
        actor=system,
        person=t2,
        to_unit=tree["east_school"],
        kind="exchange",
        happened_on=dt.date(2024, 2, 1),
    )
    incoming = actions.exchange_create(
        actor=system,
        person=t3,
        to_unit=tree["a"],
        kind="support",
        happened_on=dt.date(2024, 12, 31),
    )
    actions.exchange_create(  # 2025: outside the period
        actor=system, person=t1, to_unit=tree["a"], kind="rotation", happened_on=dt.date(2025, 1, 1)
    )
    sibling_only = actions.exchange_create(
        actor=system,
        person=t4,
        to_unit=tree["east"],
        kind="rotation",
        happened_on=dt.date(2024, 6, 1),
    )
    district = tree["district"]
    assert set(figures.rows("exchanges", district, Y2024)) == {inside, outgoing, incoming}
    assert figures.value("exchanges", district, Y2024) == 3
    assert figures.breakdown("exchanges", district, Y2024) == [
        ("exchange", "交流", 1),
        ("rotation", "轮岗", 1),
        ("support", "支教", 1),
    ]
    assert sibling_only not in set(figures.rows("exchanges", district, Y2024))
    assert figures.value("exchanges", tree["bureau"], Y2024) == 4
    assert Exchange.objects.count() == 5


def test_schools_with_principal_system(system, tree):
    a, b = tree["a"], tree["b"]
    actions.unit_update(
        actor=system,
        unit=a,
        principal_responsibility_system=True,
        principal_system_since=dt.date(2023, 9, 1),
    )
    actions.unit_update(
        actor=system,
        unit=b,
        principal_responsibility_system=True,
        principal_system_since=dt.date(2025, 2, 1),
    )
    closed = actions.unit_create(
        actor=system,
        parent=tree["district"],
        code="QSX-CG-20",
        name="城关镇第三小学",
        kind="primary",
        principal_responsibility_system=True,
        principal_system_since=dt.date(2020, 9, 1),
    )
    actions.unit_close(actor=system, unit=closed, happened_on=dt.date(2024, 12, 1))
    actions.unit_update(  # the sibling's school
        actor=system,
        unit=tree["east_school"],
        principal_responsibility_system=True,
        principal_system_since=dt.date(2023, 1, 1),
    )
    actions.unit_update(  # a district office is not a school
        actor=system,
        unit=tree["district"],
        principal_responsibility_system=True,
        principal_system_since=dt.date(2023, 1, 1),
    )
    district = tree["district"]
    assert set(figures.rows("schools_with_principal_system", district, Y2024)) == {a, closed}
    assert figures.value("schools_with_principal_system", district, Y2024) == 2
    assert set(figures.rows("schools_with_principal_system", district, Period.year(2025))) == {
        a,
        b,
    }
    assert figures.value("schools_with_principal_system", tree["bureau"], Y2024) == 3


def test_schools_dual_role(system, tree):
    person = tree["person"]
    a, b, east_school = tree["a"], tree["b"], tree["east_school"]
    zhao = person(a, "赵国强", job_title="校长")
    sun = person(b, "孙丽", job_title="校长")
    zhou = person(b, "周敏", job_title="副校长")
    wu = person(east_school, "吴刚", job_title="校长")
    actions.unit_update(actor=system, unit=a, head=zhao)
    actions.unit_update(actor=system, unit=b, head=sun)
    actions.unit_update(actor=system, unit=east_school, head=wu)
    org_a = actions.partyorg_create(actor=system, unit=a, name="第一中学党支部", kind="branch")
    org_b = actions.partyorg_create(actor=system, unit=b, name="中心小学党支部", kind="branch")
    org_e = actions.partyorg_create(
        actor=system, unit=east_school, name="东湖党支部", kind="branch"
    )
    # a: the principal is secretary since 2022 → dual role
    actions.post_create(
        actor=system, org=org_a, person=zhao, title="secretary", started_on=dt.date(2022, 1, 1)
    )
    # b: the principal was secretary until mid-2024, then a deputy took over → not at year end
    post = actions.post_create(
        actor=system, org=org_b, person=sun, title="secretary", started_on=dt.date(2021, 1, 1)
    )
    actions.post_end(actor=system, post=post, ended_on=dt.date(2024, 6, 30))
    actions.post_create(
        actor=system, org=org_b, person=zhou, title="secretary", started_on=dt.date(2024, 7, 1)
    )
    actions.post_create(
        actor=system, org=org_e, person=wu, title="secretary", started_on=dt.date(2022, 1, 1)
    )
    district = tree["district"]
    assert list(figures.rows("schools_dual_role", district, Y2024)) == [a]
    assert figures.value("schools_dual_role", district, Y2024) == 1
    assert set(figures.rows("schools_dual_role", district, Y2023)) == {a, b}
    assert figures.value("schools_dual_role", tree["bureau"], Y2024) == 2


def test_every_org_figure_is_registered_with_chinese_labels():
    names = {
        "units_by_kind",
        "units_closed",
        "units_merged",
        "party_orgs_by_kind",
        "liaison_assignments",
        "exchanges",
        "schools_with_principal_system",
        "schools_dual_role",
    }
    assert names <= set(figures.REGISTRY)
    for name in names:
        fig = figures.get(name)
        assert fig.label and not fig.label.isascii()
        assert fig.unit_label in {"所", "个", "人", "人次"}
        assert fig.description
