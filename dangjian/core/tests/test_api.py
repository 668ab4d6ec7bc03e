"""/api/v1/figures, the OpenAPI schema, the local Swagger page and the API's error contract."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.test import Client

from dangjian.core import figures
from dangjian.core.periods import Period
from dangjian.core.tests.api_helpers import NOT_FOUND, session
from dangjian.orgs.actions import unit_create
from dangjian.orgs.models import Unit

NAME = "api_test_units"


@pytest.fixture
def test_figure():
    """A throwaway figure: units of the subtree established in the period, by kind."""

    def fn(unit: Unit, period: Period) -> QuerySet[Unit]:
        return Unit.objects.in_subtree(unit).filter(
            established_on__gte=period.start, established_on__lt=period.end
        )

    figures.figure(NAME, label="测试新设单位", unit_label="个", breakdown="kind")(fn)
    yield figures.get(NAME)
    del figures.REGISTRY[NAME]


@pytest.fixture
def new_units(system: Any, county: dict[str, Any]) -> list[Unit]:
    """Three units under 城关 in 2024 (two kindergartens, one primary), one in 2023."""
    made = []
    for n, (kind, day) in enumerate(
        [
            ("kindergarten", dt.date(2024, 3, 1)),
            ("kindergarten", dt.date(2024, 9, 1)),
            ("primary", dt.date(2024, 12, 31)),
            ("primary", dt.date(2023, 9, 1)),
        ]
    ):
        made.append(
            unit_create(
                actor=system,
                parent=county["a"] if n == 0 else county["district"],
                code=f"NEW{n}",
                name=f"新设单位{n}",
                kind=kind,
                established_on=day,
            )
        )
    return made


def value_url(unit: Unit, start: str = "2024-01-01", end: str = "2024-12-31") -> str:
    return f"/api/v1/figures/{NAME}?unit={unit.pk}&start={start}&end={end}"


# ---------------------------------------------------------------- figures


def test_figure_list_describes_the_registry(county, bureau_admin, test_figure):
    response = session(bureau_admin).get("/api/v1/figures/")
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()}
    assert set(rows) == set(figures.REGISTRY)
    assert rows[NAME] == {
        "name": NAME,
        "label": "测试新设单位",
        "unit_label": "个",
        "description": "",
        "breakdown": "kind",
    }


def test_figure_value_equals_the_registry(county, bureau_admin, test_figure, new_units):
    response = session(bureau_admin).get(value_url(county["district"]))
    assert response.status_code == 200, response.content
    body = response.json()
    period = Period.inclusive(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert body["value"] == figures.value(NAME, county["district"], period) == 3
    assert (body["unit"], body["start"], body["end"]) == (
        {"id": county["district"].pk, "name": "城关学区"},
        "2024-01-01",
        "2024-12-31",
    )
    by_kind = {row["key"]: row for row in body["breakdown"]}
    assert by_kind["kindergarten"] == {"key": "kindergarten", "label": "幼儿园", "value": 2}
    assert by_kind["primary"]["value"] == 1
    assert sum(row["value"] for row in body["breakdown"]) == 3
    assert body["rows_url"] == figures.url(NAME, county["district"], period)

    # the link to the records behind the number, in the API too
    rows = session(bureau_admin).get(body["rows_api_url"]).json()
    assert rows["count"] == body["value"]
    assert {r["id"] for r in rows["items"]} == {u.pk for u in new_units[:3]}
    first = next(r for r in rows["items"] if r["id"] == new_units[0].pk)
    assert first == {
        "id": new_units[0].pk,
        "str": "新设单位0",
        "url": new_units[0].get_absolute_url(),
    }


def test_figure_value_for_school_scope(county, secretary_a, test_figure, new_units):
    client = session(secretary_a)
    # default unit: the user's top unit (the school)
    body = client.get(f"/api/v1/figures/{NAME}?start=2024-01-01&end=2024-12-31").json()
    assert (body["unit"]["id"], body["value"]) == (county["a"].pk, 1)
    # the sibling school and the district above are out of scope: 404, never a number
    for unit in (county["b"], county["district"]):
        response = client.get(value_url(unit))
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert client.get(value_url(unit).replace(NAME, f"{NAME}/rows")).status_code == 404


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2024-02-30", "start", "「开始日期」：请输入有效日期，格式为 YYYY-MM-DD"),
        ("end=yesterday", "end", "「结束日期」：请输入有效日期，格式为 YYYY-MM-DD"),
        ("start=2024-05-01&end=2024-04-01", "end", "「结束日期」：不能早于开始日期"),
        ("unit=abc", "unit", "「单位」：请输入整数"),
    ],
)
def test_figure_bad_query_is_400_naming_the_field(
    county, bureau_admin, test_figure, query, field, message
):
    client = session(bureau_admin)
    for url in (f"/api/v1/figures/{NAME}?{query}", f"/api/v1/figures/{NAME}/rows?{query}"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert (response.json()["field"], response.json()["message"]) == (field, message)


def test_unknown_figure_is_404(county, bureau_admin):
    response = session(bureau_admin).get("/api/v1/figures/no_such_figure")
    assert response.status_code == 404


def test_figures_need_the_capability(county, make_user, test_figure):
    sysadmin = make_user("system_admin", county["bureau"])
    client = session(sysadmin)
    assert client.get("/api/v1/figures/").status_code == 403
    assert client.get(value_url(county["bureau"])).status_code == 403


def test_figure_rows_query_count_is_constant(
    county, bureau_admin, system, test_figure, assert_constant_queries
):
    made = {"n": 0}

    def add_rows(n: int) -> None:
        for _ in range(n):
            made["n"] += 1
            unit_create(
                actor=system,
                parent=county["district"],
                code=f"R{made['n']}",
                name=f"新校{made['n']}",
                kind="primary",
                established_on=dt.date(2024, 5, 1),
            )

    url = value_url(county["bureau"]).replace(NAME, f"{NAME}/rows") + "&page_size=100"
    assert_constant_queries(session(bureau_admin), url, add_rows)


# ---------------------------------------------------------------- schema, docs, contract


def test_openapi_lists_every_resource():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/units",
        "/api/v1/units/{pk}",
        "/api/v1/units/{pk}/close",
        "/api/v1/units/{pk}/merge",
        "/api/v1/party-orgs",
        "/api/v1/party-orgs/{pk}",
        "/api/v1/party-orgs/{pk}/posts",
        "/api/v1/people",
        "/api/v1/people/{pk}",
        "/api/v1/people/{pk}/pii",
        "/api/v1/users",
        "/api/v1/users/me",
        "/api/v1/users/{pk}",
        "/api/v1/users/{pk}/roles",
        "/api/v1/figures/",
        "/api/v1/figures/{name}",
        "/api/v1/figures/{name}/rows",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/units"]) == {"get", "post"}
    assert set(paths["/api/v1/units/{pk}"]) == {"get", "patch"}
    # no endpoint documents ninja's 422: validation errors are 400 with the field named
    assert all("422" not in op["responses"] for ops in paths.values() for op in ops.values())
    schemas = response.json()["components"]["schemas"]
    assert schemas["UnitCreate"]["properties"]["code"]["title"] == "单位代码"


def test_swagger_docs_are_served_locally():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith("/static/"), source
        assert finders.find(source.removeprefix("/static/")), source
    assert "cdn" not in html.lower()
    assert "//" not in "".join(sources)


def test_errors_are_chinese_json(county):
    response = Client().get("/api/v1/figures/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"field": None, "label": None, "message": "未登录或令牌无效"}


def test_every_registered_figure_answers(county, bureau_admin, system):
    """Whatever the apps register, value and rows come back (and agree with the registry)."""
    from conftest import make_id_number
    from dangjian.people.actions import person_create

    person_create(actor=system, unit=county["a"], name="张红", id_number=make_id_number(1))
    client = session(bureau_admin)
    period = Period.inclusive(dt.date(2000, 1, 1), dt.date(2030, 12, 31))
    query = f"unit={county['bureau'].pk}&start=2000-01-01&end=2030-12-31"
    for name in figures.REGISTRY:
        body = client.get(f"/api/v1/figures/{name}?{query}").json()
        assert Decimal(str(body["value"])) == figures.value(name, county["bureau"], period), name
        rows = client.get(body["rows_api_url"])
        assert rows.status_code == 200, name
        assert rows.json()["count"] == figures.rows(name, county["bureau"], period).count()


def test_api_trailing_slash_redirects_and_unknown_paths_are_json(client, bureau_admin):
    client.force_login(bureau_admin)
    r = client.get("/api/v1/people/?status=active")
    assert r.status_code == 308
    assert r["Location"] == "/api/v1/people?status=active"
    assert client.get(r["Location"]).status_code == 200
    r = client.get("/api/v1/no-such-thing")
    assert r.status_code == 404
    assert r.json()["message"] == "未找到该接口"
