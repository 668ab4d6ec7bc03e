"""orgs.queries: 一肩挑 from posts, tree counts in grouped queries, filter choices."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import count_queries
from dangjian.orgs import actions, queries
from dangjian.orgs.models import Unit

D = dt.date(2023, 9, 1)


@pytest.fixture
def school(county, system, make_person, make_org):
    """School A with a principal and its branch."""
    principal = make_person(county["a"], name="陈校长")
    actions.unit_update(actor=system, unit=county["a"], head=principal)
    unit = Unit.objects.get(pk=county["a"].pk)
    return {"unit": unit, "principal": principal, "branch": make_org(unit)}


def secretary(system, org, person, **kw):
    return actions.post_create(
        actor=system, org=org, person=person, title="secretary", started_on=D, **kw
    )


def test_dual_role_when_principal_is_current_secretary(school, system):
    secretary(system, school["branch"], school["principal"])
    assert queries.dual_role(school["unit"]) is True
    lead = queries.leadership(school["unit"])
    assert lead.dual_role and lead.org == school["branch"]
    assert lead.secretary == school["principal"] == lead.head


def test_no_dual_role_without_head(county, system, make_person, make_org):
    org = make_org(county["b"])
    secretary(system, org, make_person(county["b"]))
    assert queries.dual_role(county["b"]) is False
    assert queries.leadership(county["b"]).dual_role is False


def test_no_dual_role_when_someone_else_is_secretary(school, system, make_person):
    secretary(system, school["branch"], make_person(school["unit"], name="王书记"))
    assert queries.dual_role(school["unit"]) is False


def test_no_dual_role_once_the_post_has_ended(school, system):
    post = secretary(system, school["branch"], school["principal"])
    actions.post_end(actor=system, post=post, ended_on=dt.date(2025, 7, 1))
    assert queries.dual_role(school["unit"]) is False
    assert queries.leadership(school["unit"]).secretary is None


def test_secretary_of_a_lower_branch_does_not_count(school, system, make_org, make_person):
    """The top org is the general branch; heading a branch under it is not 一肩挑."""
    top = make_org(school["unit"], kind="general_branch", name="一中党总支")
    actions.partyorg_update(actor=system, org=school["branch"], parent=top)
    secretary(system, school["branch"], school["principal"])
    secretary(system, top, make_person(school["unit"], name="赵书记"))
    assert queries.top_party_org(school["unit"]) == top
    assert queries.dual_role(school["unit"]) is False


def test_top_org_may_report_to_an_ancestor_unit(school, county, system, make_org):
    committee = make_org(county["bureau"], kind="committee", name="局机关党委")
    actions.partyorg_update(actor=system, org=school["branch"], parent=committee)
    secretary(system, school["branch"], school["principal"])
    assert queries.top_party_org(school["unit"]) == school["branch"]
    assert queries.dual_role(school["unit"]) is True


def test_committee_is_preferred_over_a_separate_branch(school, system, make_org, make_person):
    committee = make_org(school["unit"], kind="committee", name="一中党委")
    secretary(system, school["branch"], school["principal"])
    secretary(system, committee, make_person(school["unit"], name="孙书记"))
    assert queries.top_party_org(school["unit"]) == committee
    assert queries.dual_role(school["unit"]) is False


def test_group_and_inactive_orgs_are_not_top(school, system, make_org):
    actions.partyorg_update(actor=system, org=school["branch"], is_active=False)
    assert queries.top_party_org(school["unit"]) is None
    assert queries.dual_role(school["unit"]) is False


def test_tree_nodes_count_children_and_subtree_people(county, system, bureau_admin, make_person):
    for _ in range(2):
        make_person(county["a"])
    make_person(county["b"])
    left = make_person(county["b"])
    from dangjian.people.actions import person_leave

    person_leave(actor=system, person=left, status="left")
    make_person(county["district"])
    nodes = {n.unit.pk: n for n in queries.tree_children(bureau_admin, county["bureau"])}
    assert nodes[county["district"].pk].children == 2
    assert nodes[county["district"].pk].people == 4  # in post only
    nodes = {n.unit.pk: n for n in queries.tree_children(bureau_admin, county["district"])}
    assert (nodes[county["a"].pk].people, nodes[county["b"].pk].people) == (2, 1)
    assert nodes[county["a"].pk].children == 0


def test_tree_children_cost_three_queries_however_many(county, system, bureau_admin, make_person):
    def add(n, start):
        for i in range(n):
            unit = actions.unit_create(
                actor=system,
                parent=county["district"],
                code=f"T{start + i}",
                name=f"校{start + i}",
                kind="primary",
            )
            make_person(unit)

    add(2, 0)
    bureau_admin._role_paths = None
    queries.scope_paths(bureau_admin)  # role lookup cached per request, as in a view
    few = count_queries(lambda: queries.tree_children(bureau_admin, county["district"]))
    add(10, 10)
    many = count_queries(lambda: queries.tree_children(bureau_admin, county["district"]))
    assert few == many == 3


def test_tree_roots_are_the_scope_tops(county, secretary_a, bureau_admin):
    assert queries.tree_roots(secretary_a) == [county["a"]]
    assert queries.tree_roots(bureau_admin) == [county["bureau"]]


def test_unit_choices_fall_back_to_offices_for_large_scopes(county, bureau_admin, monkeypatch):
    monkeypatch.setattr(queries, "FILTER_UNIT_LIMIT", 2)
    choices = queries.unit_choices(bureau_admin, selected=str(county["a"].pk))
    keys = [k for k, _ in choices]
    assert keys[0] == str(county["a"].pk)  # the selected school stays selectable
    assert set(keys) == {str(county[k].pk) for k in ("a", "bureau", "district")}


def test_unit_choices_stay_in_scope(county, secretary_a):
    choices = queries.unit_choices(secretary_a, selected=str(county["b"].pk))
    assert [k for k, _ in choices] == [str(county["a"].pk)]
