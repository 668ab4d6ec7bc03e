"""A county with every kind of reminder recipient around school A, and a finding maker.

School A (青山县第一中学) has a secretary and a clerk; 城关学区 above it a district staffer; the
county bureau a party-affairs admin, a 纪检 inspector, an inspector and a leader (the last two
are never told); school A's liaison cadre has an account with an inspector role at the bureau,
and a second liaison cadre has an account without a role over the school."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from conftest import make_id_number

D = dt.date
FOUND = D(2024, 5, 6)  # RULES.md §7.4 S1: a general finding → deadline 2024-05-21
DEADLINE = D(2024, 5, 21)


@pytest.fixture
def people(system: Any, county: dict[str, Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    from dangjian.orgs.actions import liaison_create
    from dangjian.people.actions import person_create

    bureau, district, a, b = (county[k] for k in ("bureau", "district", "a", "b"))
    cadre = person_create(
        actor=system, unit=bureau, name="挂联干部老李", id_number=make_id_number(21)
    )
    outsider = person_create(
        actor=system, unit=bureau, name="挂联干部小王", id_number=make_id_number(23)
    )
    liaison_create(actor=system, cadre=cadre, unit=a, started_on=D(2024, 1, 1))
    liaison_create(actor=system, cadre=outsider, unit=a, started_on=D(2024, 1, 1))
    ended = person_create(
        actor=system, unit=bureau, name="前挂联干部", id_number=make_id_number(25)
    )
    liaison_create(
        actor=system, cadre=ended, unit=a, started_on=D(2023, 1, 1), ended_on=D(2024, 2, 1)
    )
    return {
        "sec_a": make_user("school_secretary", a, username="sec_a", display_name="甲校书记"),
        "clerk_a": make_user("school_clerk", a, username="clerk_a"),
        "sec_b": make_user("school_secretary", b, username="sec_b"),
        "district": make_user("district_staff", district, username="district_staff"),
        "bureau_admin": make_user("bureau_admin", bureau, username="bureau_admin"),
        "discipline": make_user("discipline_inspector", bureau, username="jijian"),
        "inspector": make_user("inspector", bureau, username="inspector"),
        "leader": make_user("bureau_leader", bureau, username="leader"),
        "liaison": make_user("inspector", bureau, username="liaison", person=cadre),
        "liaison_no_scope": make_user("member", bureau, username="liaison2", person=outsider),
        "liaison_ended": make_user("inspector", bureau, username="liaison3", person=ended),
    }


@pytest.fixture
def make_finding(system: Any) -> Callable[..., Any]:
    from dangjian.rectification.actions import finding_create

    def make(unit: Any, found_on: dt.date = FOUND, **kw: Any) -> Any:
        kw.setdefault("source", "self_check")
        kw.setdefault("area", "三会一课")
        kw.setdefault("description", "支部党员大会会议记录不完整，缺少表决结果")
        kw.setdefault("severity", "general")
        return finding_create(actor=system, unit=unit, found_on=found_on, **kw)

    return make


@pytest.fixture
def send(system: Any) -> Callable[..., Any]:
    from dangjian.notices.actions import reminders_send

    def run(as_of: dt.date, **kw: Any) -> Any:
        return reminders_send(actor=system, as_of=as_of, **kw)

    return run


@pytest.fixture
def inbox() -> Callable[..., dict[str, set[str]]]:
    """username → the kinds of notice they have."""
    from dangjian.notices.models import Notice

    def read() -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for username, kind in Notice.objects.values_list("recipient__username", "kind"):
            out.setdefault(username, set()).add(kind)
        return out

    return read
