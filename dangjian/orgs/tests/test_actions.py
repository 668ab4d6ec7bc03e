"""orgs.actions: every change audited once, refusals change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope
from dangjian.orgs import actions
from dangjian.orgs.models import PartyOrg, Post, Unit, UnitEvent
from dangjian.people.models import Person

D = dt.date(2024, 9, 1)


@pytest.fixture
def audited():
    """Assert the block writes exactly one audit row with the given action."""
    from contextlib import contextmanager

    @contextmanager
    def check(action):
        last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        yield
        new = list(AuditEntry.objects.filter(id__gt=last).values_list("action", flat=True))
        assert new == [action]

    return check


def fresh(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


# ---- units ----


def test_unit_create_sets_path_depth_code_and_audits(county, bureau_admin, audited):
    with audited("orgs.unit_create"):
        unit = actions.unit_create(
            actor=bureau_admin,
            parent=county["district"],
            code=" qsx-cg-09 ",
            name="新校",
            kind="primary",
        )
    assert unit.path == f"{county['district'].path}{unit.pk}/"
    assert unit.depth == 2
    assert unit.code == "QSX-CG-09"
    entry = AuditEntry.objects.latest("id")
    assert entry.object_type == "orgs.unit" and entry.object_id == str(unit.pk)
    assert entry.unit_id == unit.pk


def test_unit_create_code_must_be_unique(county, bureau_admin):
    with pytest.raises(ActionError) as exc:
        actions.unit_create(
            actor=bureau_admin,
            parent=county["district"],
            code="qsx-cg-01",
            name="重复",
            kind="primary",
        )
    assert exc.value.field == "code"
    assert "QSX-CG-01 已被其他单位使用" in exc.value.message
    assert not Unit.objects.filter(name="重复").exists()


def test_unit_create_needs_a_parent_unless_system(county, bureau_admin):
    with pytest.raises(ActionError) as exc:
        actions.unit_create(actor=bureau_admin, parent=None, code="X1", name="顶层", kind="bureau")
    assert exc.value.field == "parent"


def test_unit_create_refusals_write_nothing(county, secretary_a, make_user):
    leader = make_user("bureau_leader", county["bureau"])
    before = (Unit.objects.count(), AuditEntry.objects.count())
    with pytest.raises(NotAllowed):
        actions.unit_create(actor=leader, parent=county["a"], code="X2", name="甲", kind="primary")
    with pytest.raises(OutOfScope):
        actions.unit_create(
            actor=secretary_a, parent=county["b"], code="X3", name="乙", kind="primary"
        )
    assert (Unit.objects.count(), AuditEntry.objects.count()) == before


def test_unit_update_audits_before_and_after(county, secretary_a, make_person, audited):
    head = make_person(county["a"], name="李校长")
    with audited("orgs.unit_update"):
        actions.unit_update(
            actor=secretary_a,
            unit=county["a"],
            address="青山县人民路8号",
            head=head,
            principal_responsibility_system=True,
            principal_system_since=dt.date(2023, 9, 1),
        )
    entry = AuditEntry.objects.latest("id")
    before, after = entry.before or {}, entry.after or {}
    assert before["address"] == "" and after["address"] == "青山县人民路8号"
    assert fresh(county["a"]).head_id == head.pk


def test_unit_update_head_must_belong_to_the_unit(
    county, secretary_a, make_person, assert_unchanged
):
    outsider = make_person(county["district"], name="外单位")
    with assert_unchanged(county["a"]), pytest.raises(ActionError) as exc:
        actions.unit_update(actor=secretary_a, unit=county["a"], head=outsider)
    assert exc.value.field == "head"


def test_unit_update_code_unique(county, secretary_a, assert_unchanged):
    with assert_unchanged(county["a"]), pytest.raises(ActionError) as exc:
        actions.unit_update(actor=secretary_a, unit=county["a"], code="qsx-cg-02")
    assert exc.value.field == "code"


def test_unit_update_sibling_is_out_of_scope(county, secretary_a, assert_unchanged):
    with assert_unchanged(county["b"]), pytest.raises(OutOfScope):
        actions.unit_update(actor=secretary_a, unit=county["b"], name="改名")


def test_unit_move_rewrites_the_subtree(county, bureau_admin, system, audited):
    other = actions.unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-NH",
        name="南湖学区",
        kind="district_office",
    )
    annex = actions.unit_create(
        actor=system, parent=county["a"], code="QSX-CG-01-1", name="分部", kind="primary"
    )
    with audited("orgs.unit_move"):
        actions.unit_move(actor=bureau_admin, unit=county["a"], new_parent=other)
    a = fresh(county["a"])
    assert a.parent_id == other.pk
    assert a.path == f"{other.path}{a.pk}/" and a.depth == 2
    annex = fresh(annex)
    assert annex.path == f"{a.path}{annex.pk}/" and annex.depth == 3


def test_unit_move_under_own_descendant_is_refused(county, bureau_admin, assert_unchanged):
    with assert_unchanged(county["district"]), pytest.raises(ActionError) as exc:
        actions.unit_move(actor=bureau_admin, unit=county["district"], new_parent=county["a"])
    assert exc.value.field == "parent"


def test_unit_close_without_successor_keeps_people(county, bureau_admin, make_person, audited):
    teacher = make_person(county["b"])
    with audited("orgs.unit_close"):
        event = actions.unit_close(
            actor=bureau_admin, unit=county["b"], happened_on=D, document_number="青教发〔2024〕1号"
        )
    b = fresh(county["b"])
    assert b.status == Unit.Status.CLOSED and b.closed_on == D and b.successor is None
    assert event.kind == UnitEvent.Kind.CLOSURE and event.document_number == "青教发〔2024〕1号"
    assert fresh(teacher).unit_id == b.pk
    entry = AuditEntry.objects.latest("id")
    before, after = entry.before or {}, entry.after or {}
    assert before["status"] == "active" and after["status"] == "closed"
    assert after["event"]["document_number"] == "青教发〔2024〕1号"


def test_unit_merge_moves_people_orgs_and_children(
    county, bureau_admin, system, make_person, make_org, audited
):
    teachers = [make_person(county["b"]) for _ in range(3)]
    org = make_org(county["b"])
    annex = actions.unit_create(
        actor=system, parent=county["b"], code="QSX-CG-02-1", name="教学点", kind="primary"
    )
    with audited("orgs.unit_merge"):
        event = actions.unit_merge(
            actor=bureau_admin, unit=county["b"], successor=county["a"], happened_on=D
        )
    assert event.people_moved == 3 and event.orgs_moved == 1
    assert fresh(county["b"]).status == Unit.Status.MERGED
    assert fresh(county["b"]).successor_id == county["a"].pk
    assert {fresh(t).unit_id for t in teachers} == {county["a"].pk}
    assert fresh(org).unit_id == county["a"].pk
    annex = fresh(annex)
    assert annex.parent_id == county["a"].pk and annex.path.startswith(county["a"].path)


def test_unit_merge_needs_a_successor(county, bureau_admin, assert_unchanged):
    with assert_unchanged(county["b"]), pytest.raises(ActionError) as exc:
        actions.unit_merge(
            actor=bureau_admin,
            unit=county["b"],
            successor=None,  # type: ignore[arg-type]  # as an API client might send
            happened_on=D,
        )
    assert exc.value.field == "successor"


def test_unit_merge_into_own_subtree_is_refused(county, bureau_admin, assert_unchanged):
    with assert_unchanged(county["district"]), pytest.raises(ActionError) as exc:
        actions.unit_merge(
            actor=bureau_admin, unit=county["district"], successor=county["a"], happened_on=D
        )
    assert exc.value.field == "successor"


def test_unit_close_by_school_clerk_is_not_allowed(county, clerk_a, assert_unchanged):
    with assert_unchanged(county["a"]), pytest.raises(NotAllowed):
        actions.unit_close(actor=clerk_a, unit=county["a"], happened_on=D)


def test_top_unit_cannot_be_closed(county, system, assert_unchanged):
    with assert_unchanged(county["bureau"]), pytest.raises(ActionError):
        actions.unit_close(actor=system, unit=county["bureau"], happened_on=D)


def test_closed_unit_is_read_only(county, bureau_admin, make_person, assert_unchanged):
    actions.unit_close(actor=bureau_admin, unit=county["b"], happened_on=D)
    b = fresh(county["b"])
    with assert_unchanged(b), pytest.raises(ActionError) as exc:
        actions.unit_update(actor=bureau_admin, unit=b, name="复活")
    assert "已撤销" in exc.value.message
    with assert_unchanged(b), pytest.raises(ActionError):
        actions.unit_close(actor=bureau_admin, unit=b, happened_on=D)
    with assert_unchanged(b), pytest.raises(ActionError):
        actions.unit_create(actor=bureau_admin, parent=b, code="X9", name="下级", kind="primary")
    with assert_unchanged(b), pytest.raises(ActionError):
        actions.partyorg_create(actor=bureau_admin, unit=b, name="支部", kind="branch")
    with assert_unchanged(b), pytest.raises(ActionError):
        actions.unit_merge(actor=bureau_admin, unit=county["a"], successor=b, happened_on=D)


# ---- party orgs ----


def test_partyorg_create_and_update_audit_once(county, secretary_a, audited):
    with audited("orgs.partyorg_create"):
        org = actions.partyorg_create(
            actor=secretary_a, unit=county["a"], name="一中党总支", kind="general_branch"
        )
    with audited("orgs.partyorg_create"):
        branch = actions.partyorg_create(
            actor=secretary_a, unit=county["a"], name="语文组党支部", kind="branch", parent=org
        )
    with audited("orgs.partyorg_update"):
        actions.partyorg_update(actor=secretary_a, org=branch, name="语文教研组党支部")
    assert fresh(branch).name == "语文教研组党支部" and fresh(branch).parent_id == org.pk


@pytest.mark.parametrize(
    ("parent_kind", "kind", "message"),
    [
        (None, "group", "党小组须隶属于一个党支部"),
        ("branch", "general_branch", "党支部不能领导党总支"),
        ("branch", "branch", "党支部不能领导党支部"),
        ("group", "group", "党小组不能领导党小组"),
        ("general_branch", "committee", "党总支不能领导党委"),
    ],
)
def test_partyorg_hierarchy_rules(county, secretary_a, make_org, parent_kind, kind, message):
    parent = None
    if parent_kind == "group":
        parent = make_org(county["a"], kind="group", name="上级", parent=make_org(county["a"]))
    elif parent_kind:
        parent = make_org(county["a"], kind=parent_kind, name="上级")
    count = PartyOrg.objects.count()
    with pytest.raises(ActionError) as exc:
        actions.partyorg_create(
            actor=secretary_a, unit=county["a"], name="新组织", kind=kind, parent=parent
        )
    assert exc.value.field == "parent" and message in exc.value.message
    assert PartyOrg.objects.count() == count


def test_partyorg_parent_must_be_in_own_or_ancestor_unit(county, system, make_org):
    other = make_org(county["b"], kind="general_branch")
    with pytest.raises(ActionError) as exc:
        actions.partyorg_create(
            actor=system, unit=county["a"], name="支部", kind="branch", parent=other
        )
    assert "须属于本单位或上级单位" in exc.value.message


def test_partyorg_parent_in_ancestor_unit_is_allowed(county, system, make_org):
    committee = make_org(county["bureau"], kind="committee", name="局机关党委")
    branch = actions.partyorg_create(
        actor=system, unit=county["a"], name="一中党支部", kind="branch", parent=committee
    )
    assert branch.parent_id == committee.pk


def test_partyorg_update_cannot_be_own_parent(county, secretary_a, make_org, assert_unchanged):
    org = make_org(county["a"], kind="general_branch")
    with assert_unchanged(org), pytest.raises(ActionError) as exc:
        actions.partyorg_update(actor=secretary_a, org=org, parent=org)
    assert exc.value.field == "parent"


def test_partyorg_of_sibling_is_out_of_scope(county, secretary_a, make_org, assert_unchanged):
    org = make_org(county["b"])
    with assert_unchanged(org), pytest.raises(OutOfScope):
        actions.partyorg_update(actor=secretary_a, org=org, name="改名")


# ---- posts ----


def test_post_create_and_end_audit_once(county, secretary_a, make_org, make_person, audited):
    org = make_org(county["a"])
    person = make_person(county["a"])
    with audited("orgs.post_create"):
        post = actions.post_create(
            actor=secretary_a, org=org, person=person, title="secretary", started_on=D
        )
    with audited("orgs.post_end"):
        actions.post_end(actor=secretary_a, post=post, ended_on=dt.date(2025, 9, 1))
    assert fresh(post).ended_on == dt.date(2025, 9, 1)


def test_one_current_secretary_per_org(county, secretary_a, make_org, make_person):
    org = make_org(county["a"])
    first, second = make_person(county["a"]), make_person(county["a"])
    post = actions.post_create(
        actor=secretary_a, org=org, person=first, title="secretary", started_on=D
    )
    count = Post.objects.count()
    with pytest.raises(ActionError) as exc:
        actions.post_create(
            actor=secretary_a, org=org, person=second, title="secretary", started_on=D
        )
    assert exc.value.field == "title" and Post.objects.count() == count
    # a second deputy is fine; after the hand-over a new secretary is too
    actions.post_create(
        actor=secretary_a, org=org, person=second, title="deputy_secretary", started_on=D
    )
    actions.post_end(actor=secretary_a, post=post, ended_on=dt.date(2025, 1, 1))
    actions.post_create(
        actor=secretary_a, org=org, person=second, title="secretary", started_on=dt.date(2025, 1, 2)
    )
    assert Post.objects.filter(org=org, title="secretary", ended_on__isnull=True).count() == 1


def test_post_dates_and_double_end_are_refused(
    county, secretary_a, make_org, make_person, assert_unchanged
):
    org = make_org(county["a"])
    person = make_person(county["a"])
    with pytest.raises(ActionError) as exc:
        actions.post_create(
            actor=secretary_a,
            org=org,
            person=person,
            title="committee_member",
            started_on=D,
            ended_on=dt.date(2024, 1, 1),
        )
    assert exc.value.field == "ended_on"
    post = actions.post_create(
        actor=secretary_a, org=org, person=person, title="committee_member", started_on=D
    )
    with assert_unchanged(post), pytest.raises(ActionError):
        actions.post_end(actor=secretary_a, post=post, ended_on=dt.date(2024, 1, 1))
    actions.post_end(actor=secretary_a, post=post, ended_on=dt.date(2025, 1, 1))
    with assert_unchanged(post), pytest.raises(ActionError):
        actions.post_end(actor=secretary_a, post=fresh(post), ended_on=dt.date(2025, 2, 1))


def test_post_person_of_sibling_school_is_refused(county, secretary_a, make_org, make_person):
    org = make_org(county["a"])
    stranger = make_person(county["b"])
    with pytest.raises(OutOfScope):
        actions.post_create(
            actor=secretary_a, org=org, person=stranger, title="secretary", started_on=D
        )
    assert not Post.objects.filter(org=org).exists()


# ---- liaisons and exchanges ----


def test_liaison_create_and_end(county, bureau_admin, cadre, audited):
    with audited("orgs.liaison_create"):
        liaison = actions.liaison_create(
            actor=bureau_admin, cadre=cadre, unit=county["a"], started_on=D
        )
    with audited("orgs.liaison_end"):
        actions.liaison_end(actor=bureau_admin, liaison=liaison, ended_on=dt.date(2025, 7, 1))
    assert fresh(liaison).ended_on == dt.date(2025, 7, 1)


def test_liaison_validation(county, bureau_admin, cadre, assert_unchanged):
    with pytest.raises(ActionError) as exc:
        actions.liaison_create(
            actor=bureau_admin, cadre=cadre, unit=county["district"], started_on=D
        )
    assert exc.value.field == "unit"
    with pytest.raises(ActionError) as exc:
        actions.liaison_create(
            actor=bureau_admin,
            cadre=cadre,
            unit=county["a"],
            started_on=D,
            ended_on=dt.date(2024, 1, 1),
        )
    assert exc.value.field == "ended_on"
    liaison = actions.liaison_create(
        actor=bureau_admin, cadre=cadre, unit=county["a"], started_on=D
    )
    with assert_unchanged(liaison), pytest.raises(ActionError):
        actions.liaison_end(actor=bureau_admin, liaison=liaison, ended_on=dt.date(2024, 1, 1))


def test_liaison_by_school_secretary_is_not_allowed(county, secretary_a, make_person):
    teacher = make_person(county["a"])
    with pytest.raises(NotAllowed):
        actions.liaison_create(actor=secretary_a, cadre=teacher, unit=county["a"], started_on=D)


def test_exchange_moves_the_teacher(county, bureau_admin, make_person, audited):
    teacher = make_person(county["a"])
    with audited("orgs.exchange_create"):
        ex = actions.exchange_create(
            actor=bureau_admin, person=teacher, to_unit=county["b"], kind="exchange", happened_on=D
        )
    assert ex.from_unit_id == county["a"].pk and ex.to_unit_id == county["b"].pk
    assert fresh(teacher).unit_id == county["b"].pk


def test_exchange_can_leave_the_teacher_in_place(county, bureau_admin, make_person):
    teacher = make_person(county["a"])
    actions.exchange_create(
        actor=bureau_admin,
        person=teacher,
        to_unit=county["b"],
        kind="support",
        happened_on=D,
        move_person=False,
    )
    assert fresh(teacher).unit_id == county["a"].pk


def test_exchange_to_same_unit_is_refused(county, bureau_admin, make_person, assert_unchanged):
    teacher = make_person(county["a"])
    with assert_unchanged(teacher), pytest.raises(ActionError) as exc:
        actions.exchange_create(
            actor=bureau_admin, person=teacher, to_unit=county["a"], kind="exchange", happened_on=D
        )
    assert exc.value.field == "to_unit"


def test_exchange_by_school_secretary_is_not_allowed(
    county, secretary_a, make_person, assert_unchanged
):
    teacher = make_person(county["a"])
    with assert_unchanged(teacher), pytest.raises(NotAllowed):
        actions.exchange_create(
            actor=secretary_a, person=teacher, to_unit=county["a"], kind="exchange", happened_on=D
        )
    assert Person.objects.get(pk=teacher.pk).unit_id == county["a"].pk


def test_unit_fields_are_checked_beyond_the_form(system, county, assert_unchanged):
    import datetime as dt

    import pytest

    from dangjian.core.errors import ActionError
    from dangjian.orgs.actions import unit_update

    unit = county["a"]
    with assert_unchanged(unit):
        for changes, field in (
            ({"established_on": dt.date(2099, 1, 1)}, "established_on"),
            ({"principal_responsibility_system": True}, "principal_system_since"),
            ({"phone": "abc"}, "phone"),
        ):
            with pytest.raises(ActionError) as exc:
                unit_update(actor=system, unit=unit, **changes)
            assert exc.value.field == field


def test_closing_without_successor_ends_its_party_orgs(system, county):
    import datetime as dt

    from dangjian.orgs.actions import partyorg_create, unit_close

    org = partyorg_create(actor=system, unit=county["b"], name="二校党支部", kind="branch")
    unit_close(actor=system, unit=county["b"], happened_on=dt.date(2025, 7, 1))
    org.refresh_from_db()
    assert not org.is_active
