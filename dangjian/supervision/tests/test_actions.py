"""Actions: one audit row each, the transition map, kinds per role, refusals change nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, InvalidTransition, NotAllowed
from dangjian.supervision import actions
from dangjian.supervision.actions import ItemIn, ResultIn
from dangjian.supervision.models import Evidence, Inspection, Plan

from .conftest import DAY, png


def audit_since(n):
    return list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[n:])


def test_checklist_create_and_update(bureau_admin, county):
    n = AuditEntry.objects.count()
    c = actions.checklist_create(
        actor=bureau_admin,
        unit=county["bureau"],
        name="清单",
        items=[ItemIn("食堂", "留样", 10, "48小时"), ItemIn("食堂", "陪餐", 5)],
    )
    assert [(i.position, i.area, i.score) for i in c.items.all()] == [
        (1, "食堂", 10),
        (2, "食堂", 5),
    ]
    actions.checklist_update(
        actor=bureau_admin, checklist=c, name="清单二", items=[ItemIn("保险", "自愿", 20)]
    )
    assert [i.text for i in c.items.all()] == ["自愿"]
    assert audit_since(n) == ["supervision.checklist_create", "supervision.checklist_update"]


def test_checklist_items_frozen_once_answered(system, checklist, make_inspection, assert_unchanged):
    i = make_inspection(checklist=checklist)
    actions.inspection_start(actor=system, inspection=i, held_on=DAY)
    item = checklist.items.first()
    actions.inspection_record(actor=system, inspection=i, results=[ResultIn(item, "met")])
    with assert_unchanged(checklist), pytest.raises(ActionError) as e:
        actions.checklist_update(
            actor=system, checklist=checklist, name="改", items=[ItemIn("新", "新项", 5)]
        )
    assert e.value.field == "items"


@pytest.mark.parametrize("who", ["secretary_a", "inspector"])
def test_checklist_create_refused_without_capability(request, county, who):
    user = request.getfixturevalue(who)
    n = AuditEntry.objects.count()
    with pytest.raises((NotAllowed, Http404)):
        actions.checklist_create(
            actor=user, unit=county["bureau"], name="x", items=[ItemIn("a", "b", 1)]
        )
    assert AuditEntry.objects.count() == n


def test_plan_create_makes_planned_inspections(inspector, county, checklist):
    n = AuditEntry.objects.count()
    plan = actions.plan_create(
        actor=inspector,
        unit=county["district"],
        month=dt.date(2024, 6, 1),
        kind="bureau_spot_check",
        schools=[(county["a"], DAY), (county["b"], dt.date(2024, 6, 12))],
        checklist=checklist,
        inspectors=[inspector],
        lead_inspector=inspector,
    )
    rows = list(plan.inspections.order_by("unit__code"))
    assert [(r.unit, r.status, r.checklist) for r in rows] == [
        (county["a"], "planned", checklist),
        (county["b"], "planned", checklist),
    ]
    assert list(rows[0].inspectors.all()) == [inspector]
    assert plan.title == "2024年6月督导组抽查计划"
    assert audit_since(n) == ["supervision.plan_create"]


def test_plan_create_refuses_day_outside_month_and_foreign_school(system, inspector, county):
    from dangjian.orgs.actions import unit_create

    other = unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-DH",
        name="东湖学区",
        kind="district_office",
    )
    n = Plan.objects.count()
    with pytest.raises(ActionError) as e:
        actions.plan_create(
            actor=inspector,
            unit=county["district"],
            month=dt.date(2024, 6, 1),
            kind="district_patrol",
            schools=[(county["a"], dt.date(2024, 7, 1))],
        )
    assert e.value.field == "planned_on"
    with pytest.raises(ActionError) as e:
        actions.plan_create(
            actor=inspector,
            unit=other,
            month=dt.date(2024, 6, 1),
            kind="district_patrol",
            schools=[(county["a"], DAY)],
        )
    assert e.value.field == "schools"
    assert Plan.objects.count() == n


def test_school_may_only_self_check(secretary_a, county):
    i = actions.inspection_create(
        actor=secretary_a, unit=county["a"], kind="self_check", planned_on=DAY
    )
    assert i.kind == "self_check"
    n = Inspection.objects.count()
    with pytest.raises(NotAllowed):
        actions.inspection_create(
            actor=secretary_a, unit=county["a"], kind="district_patrol", planned_on=DAY
        )
    with pytest.raises(NotAllowed):
        actions.plan_create(
            actor=secretary_a,
            unit=county["a"],
            month=DAY,
            kind="self_check",
            schools=[(county["a"], DAY)],
        )
    assert Inspection.objects.count() == n


def test_district_staff_patrols_but_no_spot_check(district_staff, county):
    actions.inspection_create(
        actor=district_staff, unit=county["a"], kind="district_patrol", planned_on=DAY
    )
    with pytest.raises(NotAllowed):
        actions.inspection_create(
            actor=district_staff, unit=county["a"], kind="bureau_spot_check", planned_on=DAY
        )


def test_school_cannot_start_a_patrol_of_itself(secretary_a, make_inspection, assert_unchanged):
    i = make_inspection()
    with assert_unchanged(i), pytest.raises(NotAllowed):
        actions.inspection_start(actor=secretary_a, inspection=i, held_on=DAY)


def test_other_school_out_of_scope(secretary_b, county, make_inspection, assert_unchanged):
    i = make_inspection(kind="self_check")
    with assert_unchanged(i), pytest.raises(Http404):
        actions.inspection_start(actor=secretary_b, inspection=i, held_on=DAY)


def test_full_cycle_with_results_and_evidence(inspector, checklist, make_inspection):
    i = make_inspection(kind="bureau_spot_check", checklist=checklist)
    n = AuditEntry.objects.count()
    actions.inspection_start(actor=inspector, inspection=i, held_on=DAY)
    first, second = checklist.items.all()
    with pytest.raises(ActionError) as e:
        actions.inspection_complete(actor=inspector, inspection=i)
    assert "1项未登记" not in e.value.message and "2项未登记" in e.value.message
    actions.inspection_record(
        actor=inspector,
        inspection=i,
        results=[
            ResultIn(first, "met", evidence=[png()]),
            ResultIn(second, "partly", note="未全部公示"),
        ],
        notes="总体良好",
    )
    scores = {r.item_id: r.score for r in i.results.all()}
    assert scores == {first.pk: Decimal(10), second.pk: Decimal(10)}
    ev = Evidence.objects.get()
    assert (ev.name, ev.content_type, ev.size > 0) == ("现场.png", "image/png", True)
    actions.inspection_complete(actor=inspector, inspection=i)
    i.refresh_from_db()
    assert (i.status, i.held_on, i.notes) == ("done", DAY, "总体良好")
    assert audit_since(n) == [
        "supervision.inspection_start",
        "supervision.inspection_record",
        "supervision.inspection_complete",
    ]


def test_record_refuses_bad_score_and_files(inspector, checklist, make_inspection):
    i = make_inspection(kind="bureau_spot_check", checklist=checklist)
    actions.inspection_start(actor=inspector, inspection=i, held_on=DAY)
    item = checklist.items.first()
    n = AuditEntry.objects.count()
    with pytest.raises(ActionError) as e:
        actions.inspection_record(
            actor=inspector, inspection=i, results=[ResultIn(item, "met", Decimal(11))]
        )
    assert e.value.field == "results"
    fake = SimpleUploadedFile("照片.png", b"not a png at all")
    exe = SimpleUploadedFile("a.exe", b"MZ")
    big = SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    for f in (fake, exe, big):
        with pytest.raises(ActionError) as e:
            actions.inspection_record(
                actor=inspector, inspection=i, results=[ResultIn(item, "met", evidence=[f])]
            )
        assert e.value.field == "evidence"
    assert i.results.count() == 0
    assert AuditEntry.objects.count() == n


def test_record_only_while_in_progress(inspector, checklist, make_inspection, assert_unchanged):
    i = make_inspection(kind="bureau_spot_check", checklist=checklist)
    with assert_unchanged(i), pytest.raises(ActionError):
        actions.inspection_record(
            actor=inspector, inspection=i, results=[ResultIn(checklist.items.first(), "met")]
        )


@pytest.mark.parametrize(
    ("start", "move", "ok"),
    [
        ("planned", "start", True),
        ("planned", "complete", True),
        ("in_progress", "start", False),
        ("in_progress", "complete", True),
        ("done", "start", False),
        ("done", "complete", False),
    ],
)
def test_transitions(inspector, make_inspection, start, move, ok):
    i = make_inspection()
    if start != "planned":
        actions.inspection_start(actor=inspector, inspection=i, held_on=DAY)
    if start == "done":
        actions.inspection_complete(actor=inspector, inspection=i)
    fn = actions.inspection_start if move == "start" else actions.inspection_complete
    kwargs = {"held_on": DAY}
    if ok:
        fn(actor=inspector, inspection=i, **kwargs)
    else:
        n = AuditEntry.objects.count()
        with pytest.raises(InvalidTransition):
            fn(actor=inspector, inspection=i, **kwargs)
        assert AuditEntry.objects.count() == n


def test_campaign_create(bureau_admin, county, district_staff):
    n = AuditEntry.objects.count()
    c = actions.campaign_create(
        actor=bureau_admin,
        unit=county["bureau"],
        name="专项整治",
        key_areas=["食堂管理"],
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 6, 30),
        schools=[county["a"]],
    )
    assert list(c.schools.all()) == [county["a"]]
    assert audit_since(n) == ["supervision.campaign_create"]
    with pytest.raises(ActionError) as e:
        actions.campaign_create(
            actor=bureau_admin,
            unit=county["bureau"],
            name="x",
            key_areas=["食堂管理"],
            starts_on=dt.date(2024, 3, 1),
            ends_on=dt.date(2024, 2, 1),
            schools=[county["a"]],
        )
    assert e.value.field == "ends_on"
    with pytest.raises(NotAllowed):
        actions.campaign_create(
            actor=district_staff,
            unit=county["district"],
            name="x",
            key_areas=["食堂管理"],
            starts_on=dt.date(2024, 3, 1),
            ends_on=dt.date(2024, 4, 1),
            schools=[county["a"]],
        )


def test_liaison_cadre_rechecks_their_school_only(system, county, make_user):
    """A liaison cadre is an inspector assigned at the schools they liaise with."""
    cadre = make_user("inspector", county["a"], "guazhong")
    i = actions.inspection_create(
        actor=cadre, unit=county["a"], kind="liaison_recheck", planned_on=DAY
    )
    actions.inspection_start(actor=cadre, inspection=i, held_on=DAY)
    with pytest.raises(Http404):
        actions.inspection_create(
            actor=cadre, unit=county["b"], kind="liaison_recheck", planned_on=DAY
        )
