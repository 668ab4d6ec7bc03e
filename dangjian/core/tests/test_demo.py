"""The demo generator: deterministic, idempotent, valid data, audited, logins for every role."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command

from dangjian.accounts.models import User
from dangjian.accounts.roles import SEPARATED_ADMIN_ROLES, Role
from dangjian.audit.log import verify
from dangjian.audit.models import AuditEntry
from dangjian.core.demo.generator import ANCHOR
from dangjian.core.demo.logins import demo_password
from dangjian.orgs.models import Exchange, Liaison, PartyOrg, Post, Unit, UnitEvent
from dangjian.people.models import Person
from dangjian.people.rules import check_id_number

# sha256 of the sorted unit and people lines below for `demo --scale tiny --seed 7`:
# if the generator changes on purpose, print `_fingerprint()` and update it
TINY_SEED_7 = "26f8f7e1fd7e8a8010e6fbf5a7e779da8ac432b4d82c157cad8a7fdcae388c85"


def _fingerprint() -> str:
    units = [
        f"{u.code}|{u.name}|{u.kind}|{u.status}|{u.closed_on}|{u.head.name if u.head else ''}"
        for u in Unit.objects.select_related("head")
    ]
    people = [
        f"{p.unit.code}|{p.name}|{p.id_number_masked}|{p.phone_masked}|{p.job_title}|{p.status}"
        for p in Person.objects.select_related("unit")
    ]
    posts = [
        f"{p.org.name}|{p.person.name}|{p.title}|{p.started_on}|{p.ended_on}"
        for p in Post.objects.select_related("org", "person")
    ]
    lines = sorted(units) + sorted(people) + sorted(posts)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _demo(**kw: object) -> str:
    out = StringIO()
    call_command("demo", scale="tiny", stdout=out, **kw)
    return out.getvalue()


@pytest.fixture
def tiny(db: object) -> str:
    return _demo(seed=7)


def test_tiny_demo_is_deterministic_and_complete(tiny):
    assert "完成" in tiny
    assert _fingerprint() == TINY_SEED_7
    root = Unit.objects.get(code="QSX")
    assert root.name == "青山县教育局" and root.kind == Unit.Kind.BUREAU
    assert Unit.objects.filter(kind=Unit.Kind.DISTRICT_OFFICE, name="城关学区").exists()
    assert Unit.objects.filter(name="青山县第一中学").exists()
    assert Person.objects.count() > 50
    assert PartyOrg.objects.exists() and Post.objects.exists()
    assert Liaison.objects.exists() and Exchange.objects.exists()
    assert UnitEvent.objects.exists()
    assert Unit.objects.exclude(status=Unit.Status.ACTIVE).count() == UnitEvent.objects.count()


def test_second_run_changes_nothing(tiny):
    entries = AuditEntry.objects.count()
    units = Unit.objects.count()
    assert _demo(seed=7).strip() == "演示数据已存在"
    assert _demo(seed=8).strip() == "演示数据已存在"
    assert AuditEntry.objects.count() == entries
    assert Unit.objects.count() == units


def test_every_id_number_is_valid_and_unique(tiny):
    numbers = []
    for person in Person.objects.all():
        number = person._id_number_plain()
        check = check_id_number(number, ANCHOR)
        assert check.valid, (person.name, number, check.error)
        assert check.birth_date == person.birth_date and check.sex == person.sex
        assert dt.date(1965, 1, 1) <= person.birth_date <= dt.date(2000, 12, 31)
        phone = person._phone_plain()
        assert len(phone) == 11 and phone.startswith("1")
        numbers.append(number)
    assert len(numbers) == len(set(numbers))


def test_everything_is_audited_and_the_chain_verifies(tiny):
    checked, broken = verify()
    assert broken is None
    assert checked == AuditEntry.objects.count()
    created = AuditEntry.objects.filter(action="people.person_create").count()
    assert created == Person.objects.count()
    assert AuditEntry.objects.filter(action="orgs.unit_create").count() == Unit.objects.count()
    system = User.objects.get(username="system")
    assert not AuditEntry.objects.exclude(actor=system).exists()


def test_demo_logins_for_every_role(tiny):
    root = Unit.objects.get(code="QSX")
    school = Unit.objects.get(name="青山县第一中学")
    for role in Role.values:
        user = User.objects.get(username=f"demo_{role}")
        assert user.check_password(demo_password())
        assert not user.must_change_password
        assignment = user.role_assignments.get()
        assert assignment.role == role
        if role in SEPARATED_ADMIN_ROLES or role in {"bureau_admin", "bureau_leader"}:
            assert assignment.unit == root
    member = User.objects.get(username="demo_member")
    assert member.person is not None and member.person.unit == school
    secretary = User.objects.get(username="demo_school_secretary")
    assert Post.objects.filter(
        person=secretary.person, title=Post.Title.SECRETARY, org__unit=school
    ).exists()
    assert User.objects.get(username="demo_district_staff").unit.name == "城关学区"
    out = StringIO()
    call_command("demo_logins", stdout=out)
    table = out.getvalue()
    for role in Role.values:
        assert f"demo_{role}" in table
    assert demo_password() in table and "青山县第一中学" in table


def test_only_fictional_places(tiny):
    # places named in the seed documents must never appear in the demo
    real = ("巴州", "恩阳", "潼南", "郧阳", "十堰", "巴中", "万载", "平昌", "红安", "宜春", "南江")
    names = list(Unit.objects.values_list("name", flat=True))
    assert not [n for n in names if any(r in n for r in real)]


def test_a_half_loaded_demo_is_reported_not_skipped(system):
    from django.core.management.base import CommandError

    from dangjian.orgs.actions import unit_create

    unit_create(actor=system, parent=None, code="QSX", name="青山县教育局", kind="bureau")
    with pytest.raises(CommandError, match="演示数据不完整"):
        _demo(seed=7)
