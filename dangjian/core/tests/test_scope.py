"""The scope walk (STYLE.md §3): every URL and API route, as users of school A, against the
records of sibling school B. Lists answer without B's rows, B's objects are 404, and a refused
write changes nothing. A new URL fails this test until it is mapped here or listed in UNSCOPED.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openpyxl import load_workbook

from conftest import make_id_number
from dangjian.areas import AREA_APPS
from dangjian.audit.log import snapshot
from dangjian.audit.models import AuditEntry
from dangjian.core.exports import EXPORTABLE

B_MARKERS = [
    "城关镇中心小学",
    "贝乙丙",
    "贝丁戊",
    "东湖乙校",
    "西山丙校",
    "user_b_marker",
    "贝校提醒标题",
]

# URL name → which of B's objects its <pk> / <name> names
PK_TARGETS = {
    "core:job-detail": "job",
    "core:job-download": "job",
    "accounts:token-revoke": "token",
    "accounts:user-detail": "user",
    "accounts:user-update": "user",
    "accounts:user-password-reset": "user",
    "accounts:user-unlock": "user",
    "accounts:role-assign": "user",
    "accounts:role-revoke": "assignment",
    "audit:entry-detail": "audit_entry",
    "orgs:unit-children": "unit",
    "orgs:unit-detail": "unit",
    "orgs:unit-update": "unit",
    "orgs:unit-close": "unit",
    "orgs:unit-merge": "unit",
    "orgs:partyorg-detail": "org",
    "orgs:partyorg-update": "org",
    "orgs:post-create": "org",
    "orgs:post-end": "post",
    "orgs:liaison-detail": "liaison",
    "orgs:liaison-end": "liaison",
    "people:person-detail": "person",
    "people:person-pii": "person",
    "people:person-update": "person",
    "people:person-leave": "person",
    "api-1.0.0:unit-detail": "unit",
    "api-1.0.0:unit-update": "unit",
    "api-1.0.0:unit-close": "unit",
    "api-1.0.0:unit-merge": "unit",
    "api-1.0.0:partyorg-detail": "org",
    "api-1.0.0:partyorg-update": "org",
    "api-1.0.0:post-list": "org",
    "api-1.0.0:post-create": "org",
    "api-1.0.0:person-detail": "person",
    "api-1.0.0:person-update": "person",
    "api-1.0.0:person-pii": "person",
    "api-1.0.0:user-detail": "user",
    "api-1.0.0:user-role-assign": "user",
    # notices are the recipient's own: another person's notice is 404 (dangjian/notices)
    "notices:notice-open": "notice",
    "api-1.0.0:notice-read": "notice",
}
# figure pages take a figure name and a unit: asked for B's unit they must be 404
FIGURE_URLS = {"core:figure-rows", "api-1.0.0:figure-value", "api-1.0.0:figure-rows"}
EXPORT_URLS = {"core:export"}
IMPORT_URLS = {"imports:import-start", "imports:import-template"}
# a well-formed body for API writes, so the walk reaches the scope check, not validation
API_BODIES: dict[str, Any] = {
    "api-1.0.0:unit-close": {"happened_on": "2025-01-01"},
    "api-1.0.0:unit-merge": {"successor": "{a}", "happened_on": "2025-01-01"},
    "api-1.0.0:post-create": {
        "person": "{person_a}",
        "title": "secretary",
        "started_on": "2025-01-01",
    },
    "api-1.0.0:user-role-assign": {"role": "school_clerk", "unit": "{a}"},
}
UNSCOPED = {
    ":root": "redirects to the home page",
    "accounts:login": "public login page",
    "accounts:logout": "ends the caller's own session",
    "accounts:password-change": "the caller's own password",
    "api-1.0.0:openapi-json": "public API schema, no data",
    "api-1.0.0:openapi-view": "public API docs, no data",
    "api-1.0.0:api-root": "index of the API",
    "people:me-pii": "the caller's own record only",
}


def _area_walks() -> list[Any]:
    """Each capability area's `tests/scope_walk.py`: PK_TARGETS, MARKERS, objects(world)."""
    from importlib import import_module

    modules = []
    for app in AREA_APPS:
        try:
            modules.append(import_module(f"dangjian.{app}.tests.scope_walk"))
        except ModuleNotFoundError as exc:
            if exc.name != f"dangjian.{app}.tests.scope_walk":
                raise
    return modules


AREA_WALKS = _area_walks()
for _walk in AREA_WALKS:
    PK_TARGETS.update(_walk.PK_TARGETS)
    B_MARKERS.extend(getattr(_walk, "MARKERS", []))
    UNSCOPED.update(getattr(_walk, "UNSCOPED", {}))
    API_BODIES.update(getattr(_walk, "API_BODIES", {}))


def _routes() -> list[tuple[str, str, list[str]]]:
    """(namespaced name, route, converter names) for every URL pattern."""
    out: list[tuple[str, str, list[str]]] = []

    def walk(resolver: URLResolver, prefix: str, ns: str) -> None:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                sub = f"{ns}:{p.namespace}".strip(":") if p.namespace else ns
                walk(p, prefix + str(p.pattern), sub)
            elif isinstance(p, URLPattern):
                name = f"{ns}:{p.name}"
                out.append((name, prefix + str(p.pattern), list(p.pattern.converters)))

    walk(get_resolver(), "/", "")
    return out


def _fill(route: str, **values: Any) -> str:
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


@pytest.fixture
def world(county, make_user, system):
    from dangjian.accounts.actions import token_create
    from dangjian.core.models import Job
    from dangjian.notices.models import Notice
    from dangjian.orgs import actions as orgs
    from dangjian.people.actions import person_create

    a, b, district = county["a"], county["b"], county["district"]
    b2 = orgs.unit_create(
        actor=system, parent=district, code="QSX-CG-03", name="东湖乙校", kind="junior"
    )
    b3 = orgs.unit_create(
        actor=system, parent=district, code="QSX-CG-04", name="西山丙校", kind="primary"
    )
    person_a = person_create(actor=system, unit=a, name="甲某", id_number=make_id_number(11))
    person_b = person_create(
        actor=system, unit=b, name="贝乙丙", id_number=make_id_number(13), phone="13900001111"
    )
    mover = person_create(actor=system, unit=b, name="贝丁戊", id_number=make_id_number(15))
    org_a = orgs.partyorg_create(actor=system, unit=a, name="甲校党支部", kind="branch")
    org_b = orgs.partyorg_create(actor=system, unit=b, name="城关镇中心小学党支部", kind="branch")
    post_b = orgs.post_create(
        actor=system, org=org_b, person=person_b, title="secretary", started_on=dt.date(2024, 1, 1)
    )
    orgs.post_create(
        actor=system, org=org_a, person=person_a, title="secretary", started_on=dt.date(2024, 1, 1)
    )
    liaison_b = orgs.liaison_create(
        actor=system, cadre=person_b, unit=b, started_on=dt.date(2025, 3, 1)
    )
    orgs.exchange_create(
        actor=system, person=mover, to_unit=b2, kind="rotation", happened_on=dt.date(2025, 9, 1)
    )
    orgs.unit_close(
        actor=system, unit=b3, happened_on=dt.date(2025, 7, 1), document_number="青教发〔2025〕3号"
    )
    user_b = make_user("system_admin", b, username="user_b_marker")
    token_b, _ = token_create(actor=user_b, name="b")
    job_b = Job.objects.create(kind="export", title="贝乙丙导出", requested_by=user_b, unit=b)
    sec_b = make_user("school_secretary", b, username="sec_b_walk")
    notice_b = Notice.objects.create(
        recipient=sec_b, unit=b, kind="overdue", title="贝校提醒标题", key="walk"
    )
    users = {
        "secretary": make_user("school_secretary", a, username="sec_a"),
        "system_admin": make_user("system_admin", a, username="sys_a"),
        "security_admin": make_user("security_admin", a, username="secu_a"),
        "audit_admin": make_user("audit_admin", a, username="aud_a"),
    }
    targets = {
        "unit": b,
        "org": org_b,
        "post": post_b,
        "liaison": liaison_b,
        "person": person_b,
        "user": user_b,
        "assignment": user_b.role_assignments.get(),
        "token": token_b,
        "job": job_b,
        "notice": notice_b,
        "audit_entry": AuditEntry.objects.filter(unit=b).first(),
    }
    ids = {"a": a.pk, "person_a": person_a.pk}
    world = {
        "users": users,
        "targets": targets,
        "b": b,
        "ids": ids,
        "county": county,
        "system": system,
        "person_a": person_a,
        "person_b": person_b,
        "org_a": org_a,
        "org_b": org_b,
    }
    for walk in AREA_WALKS:  # B-side records of the party-affairs areas
        targets.update(walk.objects(world))
    return world


def _no_markers(response: Any, url: str) -> None:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        body = "\n".join(
            str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row
        ).encode()
    else:
        body = response.content
    text = body.decode("utf-8", errors="replace")
    leaked = [m for m in B_MARKERS if m in text]
    assert not leaked, f"{url} shows B's records: {leaked}"


def _snapshot_targets(targets: dict[str, Any]) -> dict[str, Any]:
    return {
        k: snapshot(type(o)._default_manager.filter(pk=o.pk).first()) for k, o in targets.items()
    }


@pytest.mark.parametrize("who", ["secretary", "system_admin", "security_admin", "audit_admin"])
def test_scope_walk_every_url(client, world, who):
    from dangjian.accounts.actions import token_create

    user = world["users"][who]
    client.force_login(user)
    _, raw = token_create(actor=user, name="walk")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    targets, b = world["targets"], world["b"]
    before = _snapshot_targets(targets)
    audit_before = AuditEntry.objects.filter(unit=b).count()
    unmapped = []
    routes = _routes()
    # several names can share one route (list + create): a POST there needs the create body
    route_bodies = {r: API_BODIES[n] for n, r, _ in routes if n in API_BODIES}
    for name, route, params in routes:
        api = name.startswith("api-1.0.0:")
        extra = bearer if api else {}
        if name in UNSCOPED:
            continue
        if name in PK_TARGETS:
            url = _fill(route, pk=targets[PK_TARGETS[name]].pk)
            body = {
                k: (world["ids"].get(v.strip("{}"), v) if isinstance(v, str) else v)
                for k, v in route_bodies.get(route, {}).items()
            }
            calls = [("get", {}), ("post", {"data": body, "content_type": "application/json"})]
            if api and name.endswith("-update"):
                calls.append(
                    ("patch", {"data": {"name": "改名"}, "content_type": "application/json"})
                )
            for method, kwargs in calls:
                r = getattr(client, method)(url, **kwargs, **extra)
                allowed = (
                    {404}
                    if who == "secretary"
                    and not name.startswith(("accounts:", "api-1.0.0:user", "core:job", "audit:"))
                    else {403, 404}
                )
                allowed |= {405}  # the route does not take this method: nothing is shown
                assert r.status_code in allowed, (
                    f"{who} {method.upper()} {url}: {r.status_code} {r.content[:200]!r}"
                )
        elif name in FIGURE_URLS:
            url = _fill(route, name="units_by_kind") + f"?unit={b.pk}"
            r = client.get(url, **extra)
            assert r.status_code in {403, 404}, f"{who} {url}: {r.status_code}"
        elif name in EXPORT_URLS:
            for source in sorted(EXPORTABLE):
                url = _fill(route, name=source)
                r = client.get(url)
                assert r.status_code in {200, 302, 403}, f"{who} {url}: {r.status_code}"
                if r.status_code == 200:
                    _no_markers(r, url)
        elif name in IMPORT_URLS:
            url = _fill(route, kind="people")
            r = client.get(url)
            assert r.status_code in {200, 403}, f"{who} {url}: {r.status_code}"
        elif not params:
            for query in ("", f"?unit={b.pk}", f"?parent={b.pk}&q=城关"):
                r = client.get(route + query, **extra)
                assert r.status_code in {200, 302, 400, 403, 404, 405}, (
                    f"{who} GET {route}{query}: {r.status_code}"
                )
                if r.status_code == 200:
                    _no_markers(r, route + query)
        else:
            unmapped.append(name)
    assert not unmapped, f"routes not covered by the scope walk: {unmapped}"
    assert _snapshot_targets(targets) == before, "a refused write changed B's records"
    assert AuditEntry.objects.filter(unit=b).count() == audit_before


def test_scope_walk_lists_show_own_rows(client, world):
    """The walk above is only meaningful if A's own rows do appear where B's do not."""
    client.force_login(world["users"]["secretary"])
    for url, own in (
        ("/orgs/units/", "青山县第一中学"),
        ("/orgs/partyorgs/", "甲校党支部"),
        ("/people/", "甲某"),
        ("/api/v1/people", "甲某"),
        ("/api/v1/party-orgs", "甲校党支部"),
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert own in r.content.decode(), f"{url} does not show school A's own rows"
