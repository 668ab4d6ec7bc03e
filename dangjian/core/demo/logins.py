"""Demo logins: one account `demo_<role>` per role, at the unit where that role works."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q

from dangjian.accounts import actions as accounts
from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.orgs.models import Post, Unit
from dangjian.people.models import Person

PREFIX = "demo_"
DISTRICT_NAME = "城关学区"
SCHOOL_NAME = "青山县第一中学"
# role → (where: root / district / school, job title of the person the account belongs to)
PLACES: dict[str, tuple[str, str | None]] = {
    Role.BUREAU_ADMIN: ("root", "组织科"),
    Role.BUREAU_LEADER: ("root", "长"),
    Role.INSPECTOR: ("root", "督学"),
    Role.DISTRICT_STAFF: ("district", "党建专干"),
    Role.SCHOOL_SECRETARY: ("school", None),  # the holder of the secretary post
    Role.SCHOOL_CLERK: ("school", "党务干事"),
    Role.DISCIPLINE_INSPECTOR: ("root", "纪检"),
    Role.MEMBER: ("school", "教师"),
    Role.SYSTEM_ADMIN: ("root", None),
    Role.SECURITY_ADMIN: ("root", None),
    Role.AUDIT_ADMIN: ("root", None),
}


def demo_password() -> str:
    return str(getattr(settings, "DEMO_PASSWORD", "Demo#2024dj"))


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    role_label: str
    unit_name: str
    display_name: str


def _person_for(role: str, unit: Unit, title: str | None, taken: set[int]) -> Person | None:
    if role in {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}:
        return None  # 三员 are IT staff, not people of the business tree
    people = Person.objects.filter(unit=unit, status=Person.Status.ACTIVE).exclude(pk__in=taken)
    if role == Role.SCHOOL_SECRETARY:
        post = (
            Post.objects.filter(
                org__unit=unit, org__parent__isnull=True, title=Post.Title.SECRETARY
            )
            .filter(ended_on__isnull=True)
            .exclude(person__in=taken)
            .select_related("person")
            .first()
        )
        return post.person if post else people.order_by("pk").first()
    if title:
        match = people.filter(job_title__contains=title).order_by("pk").first()
        if match is not None:
            return match
    return people.order_by("pk").first()


def create_logins(actor: Any, root: Unit, log: Any = None) -> list[DemoLogin]:
    """Create the missing demo accounts under `root` (existing ones are left as they are)."""
    subtree = Unit.objects.in_subtree(root)
    district = subtree.filter(name=DISTRICT_NAME).order_by("path").first() or root
    school = subtree.filter(name=SCHOOL_NAME).order_by("path").first() or root
    units = {"root": root, "district": district, "school": school}
    taken = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    for role, (where, title) in PLACES.items():
        username = f"{PREFIX}{role}"
        if User.objects.filter(username=username).exists():
            if log:
                log(f"  {username} 已存在，保留原账号")
            continue
        unit = units[where]
        person = _person_for(role, unit, title, taken)
        if person is not None:
            taken.add(person.pk)
        user = accounts.user_create(
            actor=actor,
            username=username,
            unit=unit,
            password=demo_password(),
            display_name=person.name if person else f"演示{Role(role).label}",
            person=person,
            must_change_password=False,
        )
        accounts.role_assign(actor=actor, user=user, role=role, unit=unit)
    return list_logins()


def list_logins() -> list[DemoLogin]:
    """Every demo account with its roles, in the order of `Role`."""
    order = {r: i for i, r in enumerate(Role.values)}
    rows = (
        RoleAssignment.objects.filter(user__username__startswith=PREFIX)
        .filter(Q(user__is_active=True))
        .select_related("user", "unit")
    )
    out = [
        DemoLogin(
            a.user.username,
            a.role,
            str(Role(a.role).label),
            a.unit.name,
            a.user.display_name,
        )
        for a in rows
    ]
    return sorted(out, key=lambda d: (order.get(d.role, 99), d.username))
