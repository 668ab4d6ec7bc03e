"""Shared fixtures: a small county (bureau → district → two sibling schools) and role users."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PASSWORD = "Dangjian#2024"
# valid resident ID numbers (RULES.md §8 check digits) for fixtures
ID_NUMBERS = [
    "11010519491231002X",
    "440304200002291236",
    "511902199001010010",
    "360922200812314562",
]


def make_id_number(seq: int, birth: str = "19850615", area: str = "330102") -> str:
    """A valid 18-digit number with the given sequence (odd = male)."""
    from dangjian.people.rules import check_character

    first17 = f"{area}{birth}{seq % 1000:03d}"
    return first17 + check_character(first17)


@pytest.fixture
def system(db: Any) -> Any:
    from dangjian.accounts.actions import system_user

    return system_user()


@pytest.fixture
def county(system: Any) -> dict[str, Any]:
    from dangjian.orgs.actions import unit_create

    bureau = unit_create(actor=system, parent=None, code="QSX", name="青山县教育局", kind="bureau")
    district = unit_create(
        actor=system, parent=bureau, code="QSX-CG", name="城关学区", kind="district_office"
    )
    school_a = unit_create(
        actor=system, parent=district, code="QSX-CG-01", name="青山县第一中学", kind="senior"
    )
    school_b = unit_create(
        actor=system, parent=district, code="QSX-CG-02", name="城关镇中心小学", kind="primary"
    )
    return {"bureau": bureau, "district": district, "a": school_a, "b": school_b}


@pytest.fixture
def make_user(system: Any) -> Callable[..., Any]:
    from dangjian.accounts.actions import role_assign, user_create

    counter = {"n": 0}

    def make(role: str, unit: Any, username: str | None = None, **kw: Any) -> Any:
        counter["n"] += 1
        user = user_create(
            actor=system,
            username=username or f"{role}{counter['n']}",
            unit=unit,
            password=PASSWORD,
            must_change_password=False,
            **kw,
        )
        role_assign(actor=system, user=user, role=role, unit=unit)
        return user

    return make


@pytest.fixture
def bureau_admin(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("bureau_admin", county["bureau"], username="bureau_admin")


@pytest.fixture
def secretary_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_secretary", county["a"], username="secretary_a")


@pytest.fixture
def secretary_b(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_secretary", county["b"], username="secretary_b")


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 11, 23)


def count_queries(fn: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.fixture
def assert_constant_queries() -> Callable[..., None]:
    """Same query count with few and many rows: no N+1 (STYLE.md §9)."""

    def check(client: Any, url: str, add_rows: Callable[[int], None]) -> None:
        client.get(url)  # warm-up: the first request after force_login saves the session
        add_rows(2)
        first = count_queries(lambda: client.get(url))
        add_rows(10)
        second = count_queries(lambda: client.get(url))
        assert first == second, f"{url}: {first} queries with 2 rows, {second} with 12"

    return check


@pytest.fixture
def assert_unchanged() -> Callable[..., Any]:
    """Run a refused write and prove nothing moved: same snapshot, same audit count."""
    from contextlib import contextmanager

    @contextmanager
    def check(obj: Any):  # type: ignore[no-untyped-def]
        from dangjian.audit.log import snapshot
        from dangjian.audit.models import AuditEntry

        before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
        entries = AuditEntry.objects.count()
        yield
        assert snapshot(type(obj)._default_manager.get(pk=obj.pk)) == before
        assert AuditEntry.objects.count() == entries

    return check
