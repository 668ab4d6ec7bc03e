"""Every change to the notification inbox: sending the rectification reminders (audited, one
entry per run that sent something) and the reader marking their own notices read."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment
from dangjian.accounts.roles import BUSINESS_ROLES, Role
from dangjian.audit.log import record
from dangjian.core.errors import OutOfScope
from dangjian.core.scope import require
from dangjian.orgs.models import Liaison, Unit
from dangjian.rectification.models import Rectification

from . import rules
from .models import Notice

# the reminder groups of rules.py held by a role at the school or at a unit above it
SCHOOL_GROUPS = {"secretary": Role.SCHOOL_SECRETARY, "clerk": Role.SCHOOL_CLERK}
DISTRICT_GROUPS = {"district": Role.DISTRICT_STAFF}
BUREAU_GROUPS = {"bureau": Role.BUREAU_ADMIN, "discipline": Role.DISCIPLINE_INSPECTOR}


@dataclass(frozen=True)
class Sent:
    """What one run of the reminders sent."""

    as_of: dt.date
    by_kind: dict[str, int] = field(default_factory=dict)
    recipients: int = 0
    rectifications: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def _path_ids(path: str) -> list[int]:
    return [int(x) for x in path.strip("/").split("/") if x]


class _Audience:
    """The users of each reminder group for a set of schools, read in a handful of queries."""

    def __init__(self, schools: dict[int, Unit], as_of: dt.date) -> None:
        self.schools = schools
        self.by_unit_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        ancestors = {a for u in schools.values() for a in _path_ids(u.path)[:-1]}
        kinds = dict(Unit.objects.filter(pk__in=ancestors).values_list("pk", "kind"))
        self.districts: dict[int, list[int]] = {}
        self.bureau: dict[int, int | None] = {}
        for pk, unit in schools.items():
            above = _path_ids(unit.path)[:-1]
            self.districts[pk] = [a for a in above if kinds.get(a) == Unit.Kind.DISTRICT_OFFICE]
            bureaus = [a for a in above if kinds.get(a) in Unit.BUREAU_KINDS]
            self.bureau[pk] = bureaus[-1] if bureaus else None  # the nearest bureau above
        units = set(schools) | {d for ds in self.districts.values() for d in ds}
        units |= {b for b in self.bureau.values() if b is not None}
        roles = [*SCHOOL_GROUPS.values(), *DISTRICT_GROUPS.values(), *BUREAU_GROUPS.values()]
        for unit_id, role, user_id in RoleAssignment.objects.filter(
            unit_id__in=units, role__in=roles, user__is_active=True
        ).values_list("unit_id", "role", "user_id"):
            self.by_unit_role[(unit_id, role)].add(user_id)
        self.liaisons = self._liaisons(as_of)

    def _liaisons(self, as_of: dt.date) -> dict[int, set[int]]:
        """The current liaison cadres' accounts, where those accounts can see the school (the
        notice names the school's problem; a cadre without a role over the school is not told)."""
        rows = list(
            Liaison.objects.filter(unit_id__in=self.schools, started_on__lte=as_of)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=as_of))
            .filter(cadre__user__isnull=False, cadre__user__is_active=True)
            .values_list("unit_id", "cadre__user__id")
        )
        paths: dict[int, list[str]] = defaultdict(list)
        for user_id, path in RoleAssignment.objects.filter(
            user_id__in={u for _, u in rows}, role__in=BUSINESS_ROLES
        ).values_list("user_id", "unit__path"):
            paths[user_id].append(path)
        out: dict[int, set[int]] = defaultdict(set)
        for unit_id, user_id in rows:
            if any(self.schools[unit_id].path.startswith(p) for p in paths[user_id] if p):
                out[unit_id].add(user_id)
        return out

    def users(self, group: str, school: int) -> set[int]:
        if group in SCHOOL_GROUPS:
            return self.by_unit_role[(school, SCHOOL_GROUPS[group])]
        if group in DISTRICT_GROUPS:
            role = DISTRICT_GROUPS[group]
            return {u for d in self.districts[school] for u in self.by_unit_role[(d, role)]}
        if group in BUREAU_GROUPS:
            bureau = self.bureau[school]
            return set() if bureau is None else self.by_unit_role[(bureau, BUREAU_GROUPS[group])]
        if group == "liaison":
            return self.liaisons[school]
        raise ValueError(group)

    def owner(self, rect: Rectification) -> set[int]:
        """The rectification's owner, while they still hold a school role there."""
        school = self.users("secretary", rect.unit_id) | self.users("clerk", rect.unit_id)
        return {rect.owner_id} & school if rect.owner_id else set()


def _candidates(as_of: dt.date, unit: Unit | None) -> list[Rectification]:
    soon = as_of + dt.timedelta(days=rules.DUE_SOON_DAYS)
    qs = Rectification.objects.filter(status__in=Rectification.PENDING).filter(
        Q(deadline__lte=soon) | Q(reopen_count__gte=rules.rect_rules.BUREAU_REOPENS)
    )
    if unit is not None:
        qs = qs.in_subtree(unit)
    return list(qs.select_related("unit", "finding").order_by("deadline", "pk"))


@transaction.atomic
def reminders_send(*, actor: Any, as_of: dt.date, unit: Unit | None = None) -> Sent:
    """Notices for the rectifications due soon, due today and overdue on `as_of` (RULES.md
    §7.2), in `unit`'s subtree or everywhere. Idempotent: a notice already sent (same
    recipient, rectification, deadline cycle and kind) is not sent again, so the scheduler may
    run this as often as it likes. One audit entry per run that sent anything."""
    require(actor, "notices.reminders_send", unit)
    plans = [(r, rules.due(r.deadline, as_of, r.reopen_count)) for r in _candidates(as_of, unit)]
    plans = [(r, due) for r, due in plans if due]
    audience = _Audience({r.unit_id: r.unit for r, _ in plans}, as_of)
    wanted: dict[tuple[int, str], Notice] = {}
    about: dict[str, int] = {}  # key → rectification
    for rect, due in plans:
        for reminder in due:
            users: set[int] = set()
            for group in reminder.groups:
                users |= audience.users(group, rect.unit_id)
            school = audience.owner(rect) | {
                u for g in rules.SCHOOL for u in audience.users(g, rect.unit_id)
            }
            users |= audience.owner(rect)
            key = rules.key(rect.pk, rect.reopen_count, reminder.kind)
            about[key] = rect.pk
            texts = {
                to_school: rules.text(
                    reminder,
                    rect.unit.name,
                    rect.finding.description,
                    rect.deadline,
                    rect.reopen_count,
                    to_school=to_school,
                )
                for to_school in (True, False)
            }
            for user_id in sorted(users):
                title, body = texts[user_id in school]
                wanted[(user_id, key)] = Notice(
                    recipient_id=user_id,
                    unit_id=rect.unit_id,
                    kind=reminder.kind.value,
                    title=title,
                    body=body,
                    url=rect.get_absolute_url(),
                    key=key,
                )
    keys = sorted({k for _, k in wanted})
    sent_before: set[tuple[int, str]] = set()
    for i in range(0, len(keys), 500):
        sent_before |= set(
            Notice.objects.filter(key__in=keys[i : i + 500]).values_list("recipient_id", "key")
        )
    new = [n for k, n in wanted.items() if k not in sent_before]
    # a concurrent run may have sent some of them meanwhile: the unique key keeps one each
    Notice.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    sent = Sent(
        as_of=as_of,
        by_kind=dict(sorted(Counter(n.kind for n in new).items())),
        recipients=len({n.recipient_id for n in new}),
        rectifications=len({about[n.key] for n in new}),
    )
    if new:
        record(
            actor,
            "notices.reminders_send",
            None,
            unit=unit,
            after={
                "as_of": as_of.isoformat(),
                "notices": sent.total,
                "by_kind": sent.by_kind,
                "recipients": sent.recipients,
                "rectifications": sent.rectifications,
            },
        )
    return sent


# Reading is bookkeeping of the reader's own inbox, like a mail client's read flag: it changes
# nothing anyone else sees, so it is not audited (an entry per click would flood the chain).


@transaction.atomic
def notice_read(*, actor: Any, notice: Notice) -> Notice:
    if notice.recipient_id != getattr(actor, "pk", None):
        raise OutOfScope("未找到该记录")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_read_all(*, actor: Any) -> int:
    """Mark every unread notice of the actor read; how many were."""
    return Notice.objects.for_user(actor).unread().update(read_at=timezone.now())


def role_holders(unit: Unit, roles: Iterable[str], *, above: bool = False) -> set[int]:
    """Active users holding one of `roles` at `unit` (or, with `above`, at a unit above it)."""
    ids = _path_ids(unit.path)
    units = ids[:-1] if above else ids[-1:]
    return set(
        RoleAssignment.objects.filter(
            unit_id__in=units, role__in=list(roles), user__is_active=True
        ).values_list("user_id", flat=True)
    )


def notify(
    *,
    users: Iterable[int],
    unit: Unit,
    kind: str,
    title: str,
    body: str,
    url: str,
    key: str,
) -> int:
    """Notices another area's action sends inside its own transaction: that action's audit row
    records the change the notice is about. Idempotent by (recipient, key)."""
    rows = [
        Notice(recipient_id=u, unit=unit, kind=kind, title=title, body=body, url=url, key=key)
        for u in sorted(set(users))
    ]
    Notice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
