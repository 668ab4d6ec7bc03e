"""Queries: the settings and catalogue a school uses, scoped reads, and the home page to-dos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from dangjian.decisions import actions, queries
from dangjian.decisions.models import AgendaItem, DecisionCategory, DecisionSettings

from .conftest import FILED

D = dt.date
pytestmark = pytest.mark.django_db


def test_settings_from_the_nearest_unit_above(
    county: dict[str, Any], bureau_admin: Any, system: Any
) -> None:
    assert queries.settings_for(county["a"]).large_fund_threshold_yuan == Decimal("100000")
    actions.settings_save(
        actor=bureau_admin, unit=county["bureau"], large_fund_threshold_yuan=Decimal("200000")
    )
    assert queries.settings_for(county["a"]).large_fund_threshold_yuan == Decimal("200000")
    actions.settings_save(
        actor=system, unit=county["district"], large_fund_threshold_yuan=Decimal("50000")
    )
    assert queries.settings_for(county["a"]).large_fund_threshold_yuan == Decimal("50000")
    assert queries.settings_for(county["bureau"]).large_fund_threshold_yuan == Decimal("200000")
    row = queries.settings_row_for(county["b"])
    assert row is not None and row.unit == county["district"]


def test_schools_read_their_bureaus_settings_and_catalogue(
    county: dict[str, Any], bureau_admin: Any, secretary_a: Any, system: Any
) -> None:
    actions.settings_save(
        actor=bureau_admin, unit=county["bureau"], large_fund_threshold_yuan=Decimal("200000")
    )
    entry = actions.category_create(
        actor=bureau_admin, unit=county["bureau"], category="large_fund", name="设备采购"
    )
    hidden = actions.category_create(
        actor=bureau_admin, unit=county["bureau"], category="large_fund", name="停用"
    )
    actions.category_update(actor=bureau_admin, entry=hidden, is_active=False)
    assert DecisionSettings.objects.for_user(secretary_a).count() == 1
    assert set(DecisionCategory.objects.for_user(secretary_a)) == {entry, hidden}
    assert list(queries.categories_for(county["a"])) == [entry]


def test_items_for_is_scoped(
    make_item: Callable[..., Any],
    county: dict[str, Any],
    secretary_a: Any,
    secretary_b: Any,
    bureau_admin: Any,
) -> None:
    mine = make_item()
    theirs = make_item(unit=county["b"], actor=secretary_b)
    assert list(queries.items_for(secretary_a)) == [mine]
    assert set(queries.items_for(bureau_admin)) == {mine, theirs}


def test_todos(
    make_item: Callable[..., Any],
    filed_item: Callable[..., Any],
    approved_item: Callable[..., Any],
    decide: Callable[..., Any],
    secretary_a: Any,
    bureau_admin: Any,
    leader: Any,
) -> None:
    waiting = filed_item(title="待审")
    returned = filed_item(title="退回")
    actions.item_return(actor=bureau_admin, item=returned, opinion="补充材料", on=FILED)
    approved_item(title="待上会")
    executing = approved_item(title="执行中")
    decide(executing)
    executing.refresh_from_db()
    actions.execution_start(
        actor=secretary_a,
        item=executing,
        responsible_name="李校长",
        due_on=D(2024, 6, 30),
        on=D(2024, 3, 11),
    )
    passed = approved_item(title="已通过")
    decide(passed)
    today = D(2024, 7, 1)

    def counts(user: Any) -> dict[str, int]:
        return {t.name: t.count for t in queries.todos(user, today)}

    assert counts(secretary_a) == {
        "decisions_returned": 1,
        "decisions_to_record": 1,
        "decisions_to_execute": 1,
        "decisions_execution_overdue": 1,
    }
    assert counts(bureau_admin) == {"decisions_to_review": 1, "decisions_execution_overdue": 1}
    assert counts(leader) == {"decisions_execution_overdue": 1}
    qs = AgendaItem.objects.all()
    assert list(queries.todo_filter(qs, "to_review", today)) == [waiting]
    assert list(queries.todo_filter(qs, "returned", today)) == [returned]
    assert [i.title for i in queries.todo_filter(qs, "to_record", today)] == ["待上会"]
    assert [i.title for i in queries.todo_filter(qs, "to_execute", today)] == ["已通过"]
    assert list(queries.todo_filter(qs, "execution_overdue", today)) == [executing]
    assert not queries.todo_filter(qs, "execution_overdue", D(2024, 6, 30)).exists()
    assert {t.name for t in queries.todos(leader, today)} <= {"decisions_execution_overdue"}
