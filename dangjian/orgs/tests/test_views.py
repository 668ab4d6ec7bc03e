"""Pages of the orgs app: permitted users see them, siblings get 404, clerks get 403,
bad forms name the field and write nothing, list pages cost a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from dangjian.audit.models import AuditEntry
from dangjian.orgs import actions
from dangjian.orgs.models import Exchange, Liaison, PartyOrg, Post, Unit, UnitEvent

D = dt.date(2024, 9, 1)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def pages(world, county):
    a = world["a"]
    return [
        reverse("orgs:unit-tree"),
        reverse("orgs:unit-children", args=[county["district"].pk]),
        reverse("orgs:unit-list"),
        reverse("orgs:unit-detail", args=[county["a"].pk]),
        reverse("orgs:unit-detail", args=[a["annex"].pk]),
        reverse("orgs:unit-create") + f"?parent={county['a'].pk}",
        reverse("orgs:unit-update", args=[county["a"].pk]),
        reverse("orgs:unit-close", args=[county["a"].pk]),
        reverse("orgs:unit-merge", args=[county["a"].pk]),
        reverse("orgs:partyorg-list"),
        reverse("orgs:partyorg-detail", args=[a["org"].pk]),
        reverse("orgs:partyorg-create") + f"?unit={county['a'].pk}",
        reverse("orgs:partyorg-update", args=[a["org"].pk]),
        reverse("orgs:post-create", args=[a["org"].pk]),
        reverse("orgs:post-end", args=[a["post"].pk]),
        reverse("orgs:liaison-list"),
        reverse("orgs:liaison-detail", args=[a["liaison"].pk]),
        reverse("orgs:liaison-create"),
        reverse("orgs:liaison-end", args=[a["liaison"].pk]),
        reverse("orgs:exchange-list"),
        reverse("orgs:exchange-create"),
        reverse("orgs:unitevent-list"),
    ]


def test_every_page_renders_for_the_bureau_admin(world, county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    for url in pages(world, county):
        r = c.get(url)
        assert r.status_code == 200, url


def test_school_secretary_reads_own_school_pages(world, county, secretary_a, as_user):
    c = as_user(secretary_a)
    for name, args in [
        ("orgs:unit-tree", []),
        ("orgs:unit-list", []),
        ("orgs:unit-detail", [county["a"].pk]),
        ("orgs:unit-update", [county["a"].pk]),
        ("orgs:partyorg-list", []),
        ("orgs:partyorg-detail", [world["a"]["org"].pk]),
        ("orgs:post-create", [world["a"]["org"].pk]),
        ("orgs:liaison-list", []),
        ("orgs:liaison-detail", [world["a"]["liaison"].pk]),
        ("orgs:exchange-list", []),
        ("orgs:unitevent-list", []),
    ]:
        assert c.get(reverse(name, args=args)).status_code == 200, name


def test_anonymous_is_sent_to_login(world, county, client):
    for url in pages(world, county):
        r = client.get(url)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"], url


# ---- scope: a sibling school sees nothing of the other ----


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("orgs:unit-detail", "unit"),
        ("orgs:unit-children", "unit"),
        ("orgs:unit-update", "unit"),
        ("orgs:unit-close", "unit"),
        ("orgs:unit-merge", "unit"),
        ("orgs:partyorg-detail", "org"),
        ("orgs:partyorg-update", "org"),
        ("orgs:post-create", "org"),
        ("orgs:post-end", "post"),
        ("orgs:liaison-detail", "liaison"),
        ("orgs:liaison-end", "liaison"),
    ],
)
def test_sibling_school_objects_are_404(world, county, secretary_a, as_user, name, key):
    b = {**world["b"], "unit": county["b"]}
    r = as_user(secretary_a).get(reverse(name, args=[b[key].pk]))
    assert r.status_code == 404


def test_sibling_create_parameters_are_404(world, county, secretary_a, as_user):
    c = as_user(secretary_a)
    assert c.get(reverse("orgs:unit-create") + f"?parent={county['b'].pk}").status_code == 404
    assert c.get(reverse("orgs:partyorg-create") + f"?unit={county['b'].pk}").status_code == 404


def _row_pks(response):
    return {row.pk for row in response.context["listing"].rows}


def test_lists_hold_no_sibling_rows(world, county, secretary_a, as_user):
    c = as_user(secretary_a)
    a, b = world["a"], world["b"]
    units = _row_pks(c.get(reverse("orgs:unit-list")))
    assert county["a"].pk in units and a["annex"].pk in units
    assert not units & {county["b"].pk, b["annex"].pk, b["campus"].pk, county["district"].pk}
    assert _row_pks(c.get(reverse("orgs:partyorg-list"))) == {a["org"].pk}
    assert _row_pks(c.get(reverse("orgs:liaison-list"))) == {a["liaison"].pk}
    assert _row_pks(c.get(reverse("orgs:exchange-list"))) == {a["exchange"].pk}
    events = _row_pks(c.get(reverse("orgs:unitevent-list")))
    assert events == set(UnitEvent.objects.filter(unit=a["annex"]).values_list("pk", flat=True))
    tree = c.get(reverse("orgs:unit-tree")).content.decode()
    assert county["a"].name in tree and county["b"].name not in tree


def test_sibling_rows_cannot_be_exported(world, county, secretary_a, make_user, as_user):
    from openpyxl import load_workbook

    leader_a = make_user("bureau_leader", county["a"])  # holds core.export
    r = as_user(leader_a).get(reverse("core:export", args=["units"]))
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    names = {row[0] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert county["a"].name in names and county["b"].name not in names


def test_export_follows_the_list_filters(world, county, bureau_admin, as_user):
    from openpyxl import load_workbook

    c = as_user(bureau_admin)
    r = c.get(reverse("orgs:unit-list") + "?status=closed")
    assert "status=closed" in r.context["export_url"]
    r = c.get(r.context["export_url"])
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert {row[0] for row in rows} == {world["a"]["annex"].name, world["b"]["annex"].name}
    assert rows[0][5] == "已撤销"


@pytest.mark.parametrize("name", ["partyorgs", "liaisons", "exchanges", "unitevents"])
def test_every_list_is_exportable(world, bureau_admin, as_user, name):
    r = as_user(bureau_admin).get(reverse("core:export", args=[name]))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")


# ---- capabilities: in scope but not allowed is 403 and changes nothing ----


@pytest.mark.parametrize("name", ["orgs:unit-close", "orgs:unit-merge"])
def test_school_clerk_may_not_close_or_merge(county, clerk_a, as_user, assert_unchanged, name):
    c = as_user(clerk_a)
    url = reverse(name, args=[county["a"].pk])
    assert c.get(url).status_code == 403
    with assert_unchanged(county["a"]):
        r = c.post(url, {"happened_on": "2024-09-01", "successor": county["district"].pk})
    assert r.status_code == 403


def test_detail_shows_only_allowed_actions(
    world, county, clerk_a, bureau_admin, make_user, as_user
):
    close = reverse("orgs:unit-close", args=[county["a"].pk])
    edit = reverse("orgs:unit-update", args=[county["a"].pk])
    detail = reverse("orgs:unit-detail", args=[county["a"].pk])
    page = as_user(clerk_a).get(detail).content.decode()
    assert edit in page and close not in page
    page = as_user(bureau_admin).get(detail).content.decode()
    assert edit in page and close in page
    leader = make_user("bureau_leader", county["bureau"])
    page = as_user(leader).get(detail).content.decode()
    assert edit not in page and close not in page


def test_leader_may_not_open_forms(world, county, make_user, as_user):
    c = as_user(make_user("bureau_leader", county["bureau"]))
    for url in [
        reverse("orgs:unit-create"),
        reverse("orgs:unit-update", args=[county["a"].pk]),
        reverse("orgs:partyorg-create"),
        reverse("orgs:post-create", args=[world["a"]["org"].pk]),
        reverse("orgs:liaison-create"),
        reverse("orgs:exchange-create"),
    ]:
        assert c.get(url).status_code == 403, url


def test_closed_unit_is_read_only_in_the_ui(world, county, bureau_admin, as_user, assert_unchanged):
    annex = world["a"]["annex"]
    c = as_user(bureau_admin)
    page = c.get(reverse("orgs:unit-detail", args=[annex.pk])).content.decode()
    assert "已撤销" in page and "2024年8月31日" in page and "本单位记录只读" in page
    assert reverse("orgs:unit-update", args=[annex.pk]) not in page
    with assert_unchanged(annex):
        r = c.post(reverse("orgs:unit-update", args=[annex.pk]), {"name": "复活", "code": "X"})
    assert r.status_code == 302


# ---- forms: Chinese errors naming the field, nothing written ----


def test_bad_unit_form_names_the_field_and_writes_nothing(county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    units, entries = Unit.objects.count(), AuditEntry.objects.count()
    r = c.post(
        reverse("orgs:unit-create"),
        {"parent": county["district"].pk, "code": "QSX-CG-09", "name": "", "kind": "primary"},
    )
    assert r.status_code == 200
    assert "「单位名称」：这个字段是必填项。" in r.content.decode()
    assert 'value="QSX-CG-09"' in r.content.decode()  # nothing typed is lost
    assert (Unit.objects.count(), AuditEntry.objects.count()) == (units, entries)


def test_duplicate_code_is_shown_beside_the_field(county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    units = Unit.objects.count()
    r = c.post(
        reverse("orgs:unit-create"),
        {"parent": county["district"].pk, "code": "qsx-cg-01", "name": "新校", "kind": "primary"},
    )
    page = r.content.decode()
    assert "「单位代码」：QSX-CG-01 已被其他单位使用" in page
    assert r.context["form"].errors["code"] == ["QSX-CG-01 已被其他单位使用"]
    assert Unit.objects.count() == units


def test_merge_without_successor_names_the_field(county, bureau_admin, as_user, assert_unchanged):
    c = as_user(bureau_admin)
    with assert_unchanged(county["b"]):
        r = c.post(reverse("orgs:unit-merge", args=[county["b"].pk]), {"happened_on": "2024-09-01"})
    assert "「并入单位」：这个字段是必填项。" in r.content.decode()


def test_bad_date_names_the_field(world, county, secretary_a, as_user, assert_unchanged):
    post = world["a"]["post"]
    c = as_user(secretary_a)
    with assert_unchanged(post):
        r = c.post(reverse("orgs:post-end", args=[post.pk]), {"ended_on": "2020-01-01"})
    assert "「离任日期」：不能早于任职日期" in r.content.decode()


def test_second_secretary_is_refused_beside_title(world, county, secretary_a, make_person, as_user):
    org = world["a"]["org"]
    person = make_person(county["a"])
    posts = Post.objects.count()
    r = as_user(secretary_a).post(
        reverse("orgs:post-create", args=[org.pk]),
        {"person": person.pk, "title": "secretary", "started_on": "2024-09-01"},
    )
    assert "该党组织已有在任书记" in r.context["form"].errors["title"][0]
    assert Post.objects.count() == posts


def test_person_outside_the_org_subtree_is_not_offered(world, county, bureau_admin, as_user):
    org = world["a"]["org"]
    r = as_user(bureau_admin).post(
        reverse("orgs:post-create", args=[org.pk]),
        {
            "person": world["b"]["person"].pk,
            "title": "committee_member",
            "started_on": "2024-09-01",
        },
    )
    assert "person" in r.context["form"].errors
    assert not Post.objects.filter(person=world["b"]["person"], org=org).exists()


# ---- the whole job through the forms ----


def test_unit_create_update_close_through_forms(county, bureau_admin, make_person, as_user):
    c = as_user(bureau_admin)
    r = c.post(
        reverse("orgs:unit-create") + f"?parent={county['district'].pk}",
        {
            "parent": county["district"].pk,
            "code": "qsx-cg-05",
            "name": "城关幼儿园",
            "kind": "kindergarten",
            "is_private": "on",
        },
    )
    unit = Unit.objects.get(code="QSX-CG-05")
    assert r.status_code == 302 and r["Location"] == unit.get_absolute_url()
    assert unit.is_private and unit.parent_id == county["district"].pk
    head = make_person(unit, name="刘园长")
    r = c.post(
        reverse("orgs:unit-update", args=[unit.pk]),
        {
            "code": "QSX-CG-05",
            "name": "城关第一幼儿园",
            "kind": "kindergarten",
            "head": head.pk,
            "principal_responsibility_system": "on",
            "principal_system_since": "2024-03-01",
        },
    )
    assert r.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "城关第一幼儿园" and unit.head_id == head.pk and not unit.is_private
    entry = AuditEntry.objects.filter(action="orgs.unit_update").latest("id")
    assert entry.before["name"] == "城关幼儿园" and entry.after["name"] == "城关第一幼儿园"
    r = c.post(
        reverse("orgs:unit-close", args=[unit.pk]),
        {
            "happened_on": "2024-09-01",
            "document_number": "青教发〔2024〕9号",
            "successor": county["a"].pk,
            "note": "撤并",
        },
    )
    assert r.status_code == 302
    unit.refresh_from_db()
    assert unit.status == "closed" and unit.successor_id == county["a"].pk
    assert type(head).objects.get(pk=head.pk).unit_id == county["a"].pk  # moved to the successor
    page = c.get(unit.get_absolute_url()).content.decode()
    assert "青教发〔2024〕9号" in page and county["a"].get_absolute_url() in page
    trail = [label for _, label in c.get(unit.get_absolute_url()).context["trail"]]
    assert trail == ["撤销单位", "修改单位", "新建单位"]


def test_merge_through_the_form_moves_people(world, county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    r = c.post(
        reverse("orgs:unit-merge", args=[county["b"].pk]),
        {"happened_on": "2024-09-01", "successor": county["a"].pk},
    )
    assert r.status_code == 302
    assert Unit.objects.get(pk=county["b"].pk).status == "merged"
    assert (
        type(world["b"]["person"]).objects.get(pk=world["b"]["person"].pk).unit_id == county["a"].pk
    )
    assert PartyOrg.objects.get(pk=world["b"]["org"].pk).unit_id == county["a"].pk


def test_partyorg_and_posts_through_forms(county, secretary_a, make_person, as_user):
    c = as_user(secretary_a)
    r = c.post(
        reverse("orgs:partyorg-create") + f"?unit={county['a'].pk}",
        {
            "unit": county["a"].pk,
            "name": "一中党总支",
            "kind": "general_branch",
            "term_started_on": "2023-03-01",
            "term_years": 3,
        },
    )
    org = PartyOrg.objects.get(name="一中党总支")
    assert r.status_code == 302 and r["Location"] == org.get_absolute_url()
    person = make_person(county["a"], name="郑书记")
    r = c.post(
        reverse("orgs:post-create", args=[org.pk]),
        {"person": person.pk, "title": "secretary", "started_on": "2023-03-01"},
    )
    post = Post.objects.get(org=org, person=person)
    page = c.get(org.get_absolute_url()).content.decode()
    assert "郑书记" in page and "2026年3月1日" in page  # term end = start + 3 years
    r = c.post(reverse("orgs:post-end", args=[post.pk]), {"ended_on": "2024-03-01"})
    assert r.status_code == 302 and Post.objects.get(pk=post.pk).ended_on == dt.date(2024, 3, 1)
    r = c.post(
        reverse("orgs:partyorg-update", args=[org.pk]),
        {"name": "第一中学党总支", "kind": "general_branch", "term_years": 5, "is_active": "on"},
    )
    assert r.status_code == 302 and PartyOrg.objects.get(pk=org.pk).term_years == 5


def test_partyorg_update_keeps_a_parent_outside_the_scope(
    county, system, secretary_a, make_org, as_user
):
    committee = make_org(county["bureau"], kind="committee", name="局机关党委")
    branch = make_org(county["a"], parent=committee)
    r = as_user(secretary_a).post(
        reverse("orgs:partyorg-update", args=[branch.pk]),
        {
            "name": "一中党支部",
            "kind": "branch",
            "parent": committee.pk,
            "term_years": 3,
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    assert PartyOrg.objects.get(pk=branch.pk).parent_id == committee.pk


def test_liaison_and_exchange_through_forms(county, bureau_admin, cadre, make_person, as_user):
    c = as_user(bureau_admin)
    r = c.post(
        reverse("orgs:liaison-create"),
        {
            "cadre": cadre.pk,
            "unit": county["a"].pk,
            "kind": "stationed",
            "started_on": "2024-03-01",
        },
    )
    liaison = Liaison.objects.get(cadre=cadre)
    assert r.status_code == 302 and r["Location"] == liaison.get_absolute_url()
    r = c.post(reverse("orgs:liaison-end", args=[liaison.pk]), {"ended_on": "2024-12-31"})
    assert Liaison.objects.get(pk=liaison.pk).ended_on == dt.date(2024, 12, 31)
    teacher = make_person(county["a"], name="何老师")
    r = c.post(
        reverse("orgs:exchange-create"),
        {
            "person": teacher.pk,
            "to_unit": county["b"].pk,
            "kind": "rotation",
            "happened_on": "2024-09-01",
            "document_number": "青教人〔2024〕3号",
            "move_person": "on",
        },
    )
    assert r.status_code == 302
    ex = Exchange.objects.get(person=teacher)
    assert (
        ex.from_unit_id == county["a"].pk
        and type(teacher).objects.get(pk=teacher.pk).unit_id == county["b"].pk
    )


def test_liaison_to_a_district_office_is_not_offered(county, bureau_admin, cadre, as_user):
    r = as_user(bureau_admin).post(
        reverse("orgs:liaison-create"),
        {
            "cadre": cadre.pk,
            "unit": county["district"].pk,
            "kind": "liaison",
            "started_on": "2024-03-01",
        },
    )
    assert "unit" in r.context["form"].errors and not Liaison.objects.exists()


# ---- list behaviour ----


def test_list_filters_search_and_htmx_partial(world, county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    r = c.get(reverse("orgs:unit-list") + "?kind=primary&status=active")
    assert _row_pks(r) == {county["b"].pk, world["a"]["campus"].pk, world["b"]["campus"].pk}
    r = c.get(reverse("orgs:unit-list") + f"?parent={county['district'].pk}")
    assert _row_pks(r) == {county["a"].pk, county["b"].pk}
    r = c.get(reverse("orgs:unit-list") + "?q=第一中学东")
    assert _row_pks(r) == {world["a"]["campus"].pk}
    r = c.get(reverse("orgs:unit-list") + "?q=CAMPUS-B")
    assert _row_pks(r) == {world["b"]["campus"].pk}
    r = c.get(reverse("orgs:unit-list") + "?q=第一", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert body.lstrip().startswith('<div id="rows">') and "<html" not in body
    r = c.get(reverse("orgs:partyorg-list") + f"?unit={county['a'].pk}")
    assert _row_pks(r) == {world["a"]["org"].pk}
    r = c.get(reverse("orgs:liaison-list") + "?state=current&q=周")
    assert _row_pks(r) == {world["a"]["liaison"].pk, world["b"]["liaison"].pk}
    r = c.get(reverse("orgs:exchange-list") + "?year=2024&kind=rotation")
    assert len(_row_pks(r)) == 2
    r = c.get(reverse("orgs:unitevent-list") + "?year=2023")
    assert r.context["listing"].count == 0 and "没有符合条件的记录" in r.content.decode()


def test_empty_lists_say_what_to_do(county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    assert "还没有登记党组织" in c.get(reverse("orgs:partyorg-list")).content.decode()
    page = c.get(reverse("orgs:liaison-list")).content.decode()
    assert "还没有挂联安排" in page and reverse("orgs:liaison-create") in page


def test_tree_expands_lazily_and_greys_ended_units(world, county, bureau_admin, as_user):
    c = as_user(bureau_admin)
    page = c.get(reverse("orgs:unit-tree")).content.decode()
    # the root comes open with its children; deeper levels load on demand
    assert county["district"].name in page and county["a"].name not in page
    assert reverse("orgs:unit-children", args=[county["bureau"].pk]) not in page
    assert reverse("orgs:unit-children", args=[county["district"].pk]) in page
    frag = c.get(reverse("orgs:unit-children", args=[county["a"].pk])).content.decode()
    assert frag.lstrip().startswith("<li") and "dj-ended" in frag and "已撤销" in frag
    frag = c.get(reverse("orgs:unit-children", args=[county["district"].pk])).content.decode()
    assert reverse("orgs:unit-children", args=[county["a"].pk]) in frag


# ---- query counts ----


def _grow_units(system, parent, prefix):
    counter = {"n": 0}

    def add(n):
        for _ in range(n):
            counter["n"] += 1
            i = counter["n"]
            actions.unit_create(
                actor=system, parent=parent, code=f"{prefix}{i}", name=f"学校{i}", kind="primary"
            )

    return add


def test_unit_list_queries_constant(county, system, bureau_admin, as_user, assert_constant_queries):
    c = as_user(bureau_admin)
    c.get(reverse("orgs:unit-list"))
    assert_constant_queries(
        c, reverse("orgs:unit-list"), _grow_units(system, county["district"], "N")
    )


def test_unit_tree_queries_constant(county, system, bureau_admin, as_user, assert_constant_queries):
    c = as_user(bureau_admin)
    url = reverse("orgs:unit-children", args=[county["district"].pk])
    c.get(url)
    assert_constant_queries(c, url, _grow_units(system, county["district"], "T"))
    c.get(reverse("orgs:unit-tree"))
    assert_constant_queries(
        c, reverse("orgs:unit-tree"), _grow_units(system, county["bureau"], "R")
    )


def test_unit_detail_queries_constant(
    county, system, bureau_admin, make_person, as_user, assert_constant_queries
):
    c = as_user(bureau_admin)
    url = reverse("orgs:unit-detail", args=[county["district"].pk])
    c.get(url)
    grow = _grow_units(system, county["district"], "D")

    def add(n):
        grow(n)
        for _ in range(n):
            make_person(county["district"])

    assert_constant_queries(c, url, add)


def test_partyorg_list_queries_constant(
    county, system, bureau_admin, make_person, as_user, assert_constant_queries
):
    c = as_user(bureau_admin)
    c.get(reverse("orgs:partyorg-list"))

    def add(n):
        for _ in range(n):
            org = actions.partyorg_create(
                actor=system, unit=county["a"], name="支部", kind="branch"
            )
            actions.post_create(
                actor=system,
                org=org,
                person=make_person(county["a"]),
                title="secretary",
                started_on=D,
            )

    assert_constant_queries(c, reverse("orgs:partyorg-list"), add)


def test_partyorg_detail_queries_constant(
    county, system, bureau_admin, make_person, make_org, as_user, assert_constant_queries
):
    org = make_org(county["a"], kind="general_branch")
    c = as_user(bureau_admin)
    url = reverse("orgs:partyorg-detail", args=[org.pk])
    c.get(url)

    def add(n):
        for _ in range(n):
            actions.post_create(
                actor=system,
                org=org,
                person=make_person(county["a"]),
                title="committee_member",
                started_on=D,
            )
            actions.partyorg_create(
                actor=system, unit=county["a"], name="支部", kind="branch", parent=org
            )

    assert_constant_queries(c, url, add)


def test_liaison_list_queries_constant(
    county, system, bureau_admin, make_person, as_user, assert_constant_queries
):
    c = as_user(bureau_admin)
    c.get(reverse("orgs:liaison-list"))

    def add(n):
        for _ in range(n):
            actions.liaison_create(
                actor=system, cadre=make_person(county["bureau"]), unit=county["a"], started_on=D
            )

    assert_constant_queries(c, reverse("orgs:liaison-list"), add)


def test_exchange_list_queries_constant(
    county, system, bureau_admin, make_person, as_user, assert_constant_queries
):
    c = as_user(bureau_admin)
    c.get(reverse("orgs:exchange-list"))

    def add(n):
        for _ in range(n):
            actions.exchange_create(
                actor=system,
                person=make_person(county["a"]),
                to_unit=county["b"],
                kind="exchange",
                happened_on=D,
            )

    assert_constant_queries(c, reverse("orgs:exchange-list"), add)


def test_unitevent_list_queries_constant(
    county, system, bureau_admin, as_user, assert_constant_queries
):
    c = as_user(bureau_admin)
    c.get(reverse("orgs:unitevent-list"))
    counter = {"n": 0}

    def add(n):
        for _ in range(n):
            counter["n"] += 1
            unit = actions.unit_create(
                actor=system,
                parent=county["district"],
                code=f"E{counter['n']}",
                name="旧校",
                kind="primary",
            )
            actions.unit_merge(actor=system, unit=unit, successor=county["a"], happened_on=D)

    assert_constant_queries(c, reverse("orgs:unitevent-list"), add)


def test_partyorg_detail_shows_its_audit_trail(client, county, bureau_admin, system):
    from dangjian.orgs.actions import partyorg_create, partyorg_update

    org = partyorg_create(actor=system, unit=county["a"], name="一中党支部", kind="branch")
    partyorg_update(actor=system, org=org, name="一中第一党支部")
    client.force_login(bureau_admin)
    html = client.get(f"/orgs/partyorgs/{org.pk}/").content.decode()
    assert "操作记录" in html
    assert "新建党组织" in html and "修改党组织" in html
