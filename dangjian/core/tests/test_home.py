"""Home page per role: 待办 first, every number a link, nothing from a sibling school."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_id_number
from dangjian.core import home
from dangjian.core.dates import add_months
from dangjian.orgs import queries as orgs_queries
from dangjian.orgs.actions import partyorg_create, post_create, post_end
from dangjian.orgs.models import PartyOrg
from dangjian.people.actions import person_create

TODAY = dt.date(2026, 11, 23)
PARTYORG_REMINDER_NAMES = {n for n, _, _ in orgs_queries.PARTYORG_REMINDERS}


def branch(system: Any, unit: Any, name: str, started: dt.date | None, years: int = 3) -> Any:
    return partyorg_create(
        actor=system, unit=unit, name=name, kind="branch", term_started_on=started, term_years=years
    )


def with_secretary(system: Any, org: Any, seq: int, started: dt.date = dt.date(2024, 1, 1)) -> Any:
    person = person_create(
        actor=system, unit=org.unit, name=f"书记{seq}", id_number=make_id_number(seq), today=TODAY
    )
    return post_create(actor=system, org=org, person=person, title="secretary", started_on=started)


def todo(ctx: dict[str, Any], name: str) -> Any:
    return next(t for t in ctx["todos"] if getattr(t, "name", None) == name)


def test_term_ending_soon_shows_for_its_school_only(
    system: Any, county: Any, secretary_a: Any, secretary_b: Any
) -> None:
    # a 3-year term from 2024-02-01 ends 2027-02-01: within 180 days of TODAY
    org = branch(system, county["a"], "第一中学党支部", dt.date(2024, 2, 1))
    with_secretary(system, org, 1)
    ctx_a = home.home_context(secretary_a, TODAY)
    due = todo(ctx_a, "term_due")
    assert due.count == 1
    assert due.level == "warning"
    assert due.url == reverse("orgs:partyorg-list") + "?todo=term_due"
    assert todo(ctx_a, "term_overdue").count == 0
    assert todo(ctx_a, "term_overdue").level == "ok"
    assert todo(ctx_a, "secretary_vacant").count == 0
    ctx_b = home.home_context(secretary_b, TODAY)
    assert todo(ctx_b, "term_due").count == 0


def test_term_ended_and_vacant_secretary_are_red(
    system: Any, county: Any, secretary_a: Any
) -> None:
    branch(system, county["a"], "第一中学党支部", dt.date(2021, 9, 1))  # ended 2024-09-01
    ctx = home.home_context(secretary_a, TODAY)
    assert todo(ctx, "term_overdue").count == 1
    assert todo(ctx, "term_overdue").level == "danger"
    assert todo(ctx, "secretary_vacant").count == 1
    assert todo(ctx, "secretary_vacant").level == "danger"


def test_ended_secretary_post_leaves_the_post_vacant(
    system: Any, county: Any, secretary_a: Any
) -> None:
    org = branch(system, county["a"], "第一中学党支部", dt.date(2025, 1, 1))
    post = with_secretary(system, org, 3)
    assert todo(home.home_context(secretary_a, TODAY), "secretary_vacant").count == 0
    post_end(actor=system, post=post, ended_on=dt.date(2026, 6, 30))
    assert todo(home.home_context(secretary_a, TODAY), "secretary_vacant").count == 1


def test_groups_inactive_orgs_and_orgs_without_term_are_not_todos(
    system: Any, county: Any, secretary_a: Any
) -> None:
    parent = branch(system, county["a"], "第一中学党支部", dt.date(2025, 1, 1))
    with_secretary(system, parent, 5)
    partyorg_create(
        actor=system,
        unit=county["a"],
        name="第一党小组",
        kind="group",
        parent=parent,
        term_started_on=dt.date(2015, 1, 1),
    )
    no_term = branch(system, county["a"], "新建党支部", None)
    with_secretary(system, no_term, 7)
    ctx = home.home_context(secretary_a, TODAY)
    reminders = [t for t in ctx["todos"] if t.name in PARTYORG_REMINDER_NAMES]
    assert [t.count for t in reminders] == [0, 0, 0]
    assert all(t.level == "ok" for t in reminders)


@pytest.mark.parametrize("years", [1, 3, 4, 5])
def test_sql_term_conditions_match_term_ends_on(
    system: Any, county: Any, bureau_admin: Any, years: int
) -> None:
    """Around leap days and month ends, the SQL filter agrees with PartyOrg.term_ends_on."""
    today = dt.date(2027, 2, 28)
    starts = {add_months(today, -12 * years) + dt.timedelta(days=d) for d in range(-3, 4)} | {
        add_months(today + dt.timedelta(days=181), -12 * years) + dt.timedelta(days=d)
        for d in range(-3, 4)
    }
    starts |= {dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2020, 2, 29)}
    for i, start in enumerate(sorted(starts)):
        branch(system, county["a"], f"支部{i}", start, years)
    orgs = list(PartyOrg.objects.all())
    for name, expected in (
        ("term_overdue", lambda o: o.term_ends_on < today),
        (
            "term_due",
            lambda o: today <= o.term_ends_on <= today + dt.timedelta(days=180),
        ),
    ):
        got = set(
            PartyOrg.objects.filter(orgs_queries.partyorg_todo_q(name, today)).values_list(
                "pk", flat=True
            )
        )
        assert got == {o.pk for o in orgs if expected(o)}, name


def test_todo_filter_for_the_party_org_list(system: Any, county: Any) -> None:
    ended = branch(system, county["a"], "到期支部", dt.date(2020, 1, 1))
    branch(system, county["b"], "新支部", timezone.localdate())
    pks = set(
        orgs_queries.PARTYORG_REMINDER_FILTER.cast("term_overdue").values_list("pk", flat=True)
    )
    assert pks == {ended.pk}


def test_bureau_staff_see_todos_grouped_by_school_and_closures(
    system: Any, county: Any, bureau_admin: Any
) -> None:
    from dangjian.orgs.actions import unit_close, unit_create

    branch(system, county["a"], "第一中学党支部", dt.date(2020, 1, 1))
    assert home.top_unit(bureau_admin) == county["bureau"]
    closed = unit_create(
        actor=system, parent=county["district"], code="QSX-CG-09", name="河口村小", kind="primary"
    )
    unit_close(actor=system, unit=closed, happened_on=TODAY, document_number="青教〔2026〕9号")
    ctx = home.home_context(bureau_admin, TODAY)
    assert [g["unit_name"] for g in ctx["grouped"]] == ["青山县第一中学"]
    cells = ctx["grouped"][0]["cells"]
    assert [c["count"] for c in cells] == [1, 1, 0]
    assert cells[0]["url"].endswith(f"?todo=term_overdue&unit={county['a'].pk}")
    figures = {f["name"]: f for f in ctx["figures"]}
    assert figures["units_closed"]["value"] == 1
    assert figures["units_closed"]["url"].startswith("/figures/units_closed/?")
    assert ctx["chart"] is None


def test_leader_sees_figures_and_chart_by_district(
    system: Any, county: Any, make_user: Callable[..., Any]
) -> None:
    leader = make_user("bureau_leader", county["bureau"], username="leader")
    person_create(
        actor=system, unit=county["a"], name="王老师", id_number=make_id_number(11), today=TODAY
    )
    person_create(
        actor=system, unit=county["b"], name="李老师", id_number=make_id_number(13), today=TODAY
    )
    ctx = home.home_context(leader, TODAY)
    names = {f["name"] for f in ctx["figures"]}
    assert {"people", "units_by_kind", "party_orgs_by_kind"} <= names
    assert all(f["url"].startswith("/figures/") for f in ctx["figures"])
    chart = ctx["chart"]
    assert chart["labels"] == ["城关学区"]
    assert chart["values"] == [2]
    assert "2026年" in chart["title"]
    assert chart["urls"][0].startswith("/figures/people/?unit=")


def test_admin_homes_show_admin_todos_only(
    client: Client, county: Any, make_user: Callable[..., Any]
) -> None:
    sysadmin = make_user("system_admin", county["bureau"], username="sysadmin")
    auditor = make_user("audit_admin", county["bureau"], username="auditor")
    ctx = home.home_context(sysadmin, TODAY)
    labels = [t["label"] for t in ctx["todos"]]
    assert "被锁定的账号" in labels
    assert ctx["figures"] == [] and ctx["grouped"] == []
    ctx = home.home_context(auditor, TODAY)
    assert [t.name for t in ctx["todos"]] == ["login_failed", "entries_today"]
    assert ctx["can_verify_audit"]


@pytest.mark.parametrize(
    "role",
    [
        "school_secretary",
        "school_clerk",
        "bureau_admin",
        "bureau_leader",
        "district_staff",
        "inspector",
        "discipline_inspector",
        "member",
        "system_admin",
        "security_admin",
        "audit_admin",
    ],
)
def test_home_page_renders_for_every_role(
    client: Client, system: Any, county: Any, make_user: Callable[..., Any], role: str
) -> None:
    unit = county["a"] if role.startswith("school") or role == "member" else county["bureau"]
    branch(system, county["a"], "第一中学党支部", timezone.localdate() - dt.timedelta(days=3 * 366))
    client.force_login(make_user(role, unit, username="someone"))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    text = response.content.decode()
    if role in home.SCHOOL_ROLES | home.BUREAU_ROLES | home.LEADER_ROLES:
        assert "待办" in text
        assert reverse("orgs:partyorg-list") + "?todo=term_overdue" in text
    if role == "bureau_leader":
        assert "echarts.min.js" in text
    if role == "audit_admin":
        assert "校验审计链" in text


def test_user_without_roles_is_told_what_to_do(client: Client, county: Any, system: Any) -> None:
    from conftest import PASSWORD
    from dangjian.accounts.actions import user_create

    user = user_create(
        actor=system,
        username="norole",
        unit=county["a"],
        password=PASSWORD,
        must_change_password=False,
    )
    client.force_login(user)
    assert "尚未分配角色" in client.get(reverse("core:home")).content.decode()
