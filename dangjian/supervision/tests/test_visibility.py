"""四不三直: an unannounced inspection is invisible to the school until it starts."""

import pytest
from django.http import Http404

from dangjian.core.scope import get_scoped
from dangjian.supervision import actions
from dangjian.supervision.models import Inspection

from .conftest import DAY


@pytest.fixture
def visit(make_inspection):
    return make_inspection(kind="unannounced")


def visible(user):
    return set(Inspection.objects.for_user(user).values_list("pk", flat=True))


def test_hidden_from_school_until_started(
    visit, secretary_a, inspector, district_staff, bureau_admin, make_user, county
):
    clerk = make_user("school_clerk", county["a"])
    assert visit.unannounced
    for school_user in (secretary_a, clerk):
        assert visit.pk not in visible(school_user)
        with pytest.raises(Http404):
            get_scoped(Inspection, school_user, pk=visit.pk)
    for team in (inspector, district_staff, bureau_admin):
        assert visit.pk in visible(team)
    actions.inspection_start(actor=inspector, inspection=visit, held_on=DAY)
    assert visit.pk in visible(secretary_a)
    actions.inspection_complete(actor=inspector, inspection=visit)
    assert visit.pk in visible(clerk)


def test_announced_planned_visible_to_school(make_inspection, secretary_a):
    i = make_inspection(kind="district_patrol")
    assert i.pk in visible(secretary_a)


def test_unannounced_flag_on_other_kinds_hides_too(make_inspection, secretary_a):
    i = make_inspection(kind="campaign_visit", unannounced=True)
    assert i.pk not in visible(secretary_a)


def test_liaison_inspector_at_the_school_sees_it(visit, make_user, county):
    cadre = make_user("inspector", county["a"])
    assert visit.pk in visible(cadre)


def test_hidden_in_list_page_and_api(client, visit, secretary_a):
    from dangjian.core.tests.api_helpers import session

    c = session(secretary_a)
    page = c.get("/supervision/inspections/")
    assert page.status_code == 200
    assert visit.get_absolute_url() not in page.content.decode()
    assert c.get(visit.get_absolute_url()).status_code == 404
    api = c.get("/api/v1/inspections")
    assert visit.pk not in {r["id"] for r in api.json()["items"]}
    assert c.get(f"/api/v1/inspections/{visit.pk}").status_code == 404


def test_campaign_seen_by_covered_schools_only(system, county, secretary_a, secretary_b):
    import datetime as dt

    from dangjian.supervision.models import Campaign

    c = actions.campaign_create(
        actor=system,
        unit=county["bureau"],
        name="食堂专项",
        key_areas=["食堂管理"],
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 6, 30),
        schools=[county["a"]],
    )
    assert list(Campaign.objects.for_user(secretary_a)) == [c]
    assert list(Campaign.objects.for_user(secretary_b)) == []
