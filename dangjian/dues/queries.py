"""Reads of dues: a branch's month, reconciliation, arrears streaks, the overview, 待办."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum

from dangjian.orgs.models import PartyOrg
from dangjian.party.models import PartyMember

from . import rules
from .models import DuesBase, DuesCharge, DuesPayment

ZERO = Decimal("0.00")
LOOKBACK_MONTHS = 36  # a streak longer than this shows as 36: the flag is long since raised
MEMBER_KINDS = (PartyOrg.Kind.BRANCH, PartyOrg.Kind.GENERAL_BRANCH, PartyOrg.Kind.COMMITTEE)


def due_day() -> int | None:
    """`dues_due_day` (RULES.md §1.5): None = the last day of the month."""
    return getattr(settings, "DUES_DUE_DAY", None)


def thresholds() -> tuple[int, int]:
    return (
        int(getattr(settings, "DUES_WARN_MONTHS", rules.WARN_MONTHS)),
        int(getattr(settings, "DUES_FLAG_MONTHS", rules.FLAG_MONTHS)),
    )


def parse_month(raw: str | None, default: dt.date) -> dt.date:
    """`YYYY-MM` → the first day of that month; ValueError on anything else."""
    if not raw:
        return rules.month_of(default)
    year, month = raw.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(raw)
    return dt.date(int(year), int(month), 1)


def active_members(qs: QuerySet[PartyMember]) -> QuerySet[PartyMember]:
    return qs.filter(status__in=PartyMember.ACTIVE_STATUSES)


def branches_for(user: Any) -> QuerySet[PartyOrg]:
    return (
        PartyOrg.objects.for_user(user)
        .filter(kind__in=MEMBER_KINDS, is_active=True)
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )


# ---- arrears ----


@dataclass
class Arrears:
    member: PartyMember
    streak: int
    unpaid: list[dt.date] = field(default_factory=list)
    owed: Decimal = ZERO

    @property
    def level(self) -> str:
        warn, flag = thresholds()
        return rules.arrears_level(self.streak, warn, flag).value


def streaks(members: QuerySet[PartyMember], as_of: dt.date) -> dict[int, int]:
    """Unpaid streak per member (RULES.md §1.5), for members whose dues are tracked: from the
    later of the admission month and January of their first recorded base year."""
    last = rules.latest_overdue_month(as_of, due_day())
    window = [rules.month_of(last)]
    for _ in range(LOOKBACK_MONTHS - 1):
        window.append(rules.previous_month(window[-1]))
    ids = members.values("pk")
    starts = {
        row["member_id"]: row["first"]
        for row in DuesBase.objects.filter(member__in=ids)
        .values("member_id")
        .annotate(first=Min("year"))
    }
    joined = dict(members.filter(pk__in=list(starts)).values_list("pk", "joined_on"))
    done: dict[int, set[dt.date]] = defaultdict(set)
    rows = DuesCharge.objects.filter(member__in=ids, month__gte=window[-1], month__lte=last).filter(
        Q(received__gte=F("amount")) | Q(exemption__kind=rules.ExemptionKind.DEFERRAL)
    )
    for member_id, month in rows.values_list("member_id", "month"):
        done[member_id].add(month)
    paid_until = transferred_paid_until(ids)
    out = {}
    for member_id, first_year in starts.items():
        if member_id not in joined:
            continue
        start = max(rules.first_dues_month(joined[member_id]), dt.date(first_year, 1, 1))
        start = max(start, window[-1])
        until = paid_until.get(member_id)
        settled = done[member_id] | ({m for m in window if m <= until} if until else set())
        out[member_id] = rules.unpaid_streak(start, settled, (), as_of, due_day())
    return out


def transferred_paid_until(members: Any) -> dict[int, dt.date]:
    """§1.6: a member transferred in whose letter says "党费交到 X年X月" has paid through X.
    Read from the party app's confirmed transfers (their `dues_paid_until`), when it has them."""
    try:
        transfer: Any = PartyMember._meta.get_field("transfers").related_model
    except FieldDoesNotExist:
        return {}
    if not hasattr(transfer, "dues_paid_until"):
        return {}
    rows = (
        transfer._default_manager.filter(
            member__in=members, status="confirmed", dues_paid_until__isnull=False
        )
        .values("member_id")
        .annotate(until=Max("dues_paid_until"))
    )
    return {r["member_id"]: rules.month_of(r["until"]) for r in rows}


def arrears(
    user: Any, as_of: dt.date, minimum: int = 1, branch: PartyOrg | None = None
) -> list[Arrears]:
    """Members in the user's scope with at least `minimum` consecutive unpaid months, longest
    streak first, with every unpaid overdue month and the amount owed."""
    members = active_members(PartyMember.objects.for_user(user))
    if branch is not None:
        members = members.filter(branch=branch)
    found = {pk: s for pk, s in streaks(members, as_of).items() if s >= minimum}
    if not found:
        return []
    last = rules.latest_overdue_month(as_of, due_day())
    owed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    unpaid: dict[int, list[dt.date]] = defaultdict(list)
    for member_id, month, amount, received in (
        DuesCharge.objects.filter(member__in=list(found), month__lte=last, received__lt=F("amount"))
        .order_by("month")
        .values_list("member_id", "month", "amount", "received")
    ):
        owed[member_id] += amount - received
        unpaid[member_id].append(month)
    people = PartyMember.objects.filter(pk__in=list(found)).select_related("person", "branch__unit")
    out = [Arrears(m, found[m.pk], unpaid[m.pk], owed[m.pk]) for m in people]
    out.sort(key=lambda a: (-a.streak, a.member.branch.unit.path, a.member.person.name))
    return out


# ---- a branch's month ----


@dataclass
class MonthRow:
    member: PartyMember
    charge: DuesCharge | None
    payments: list[DuesPayment]

    @property
    def expected(self) -> Decimal:
        return self.charge.amount if self.charge else ZERO

    @property
    def received(self) -> Decimal:
        return sum((p.amount for p in self.payments if not p.voluntary_extra), ZERO)

    @property
    def voluntary(self) -> Decimal:
        return sum((p.amount for p in self.payments if p.voluntary_extra), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.received - self.expected

    @property
    def outstanding(self) -> Decimal:
        return max(self.expected - self.received, ZERO)

    @property
    def status(self) -> tuple[str, str]:
        """(badge colour key, Chinese label)."""
        if self.charge is None:
            return "danger", "基数未核定"
        if self.charge.exemption_id and self.charge.amount == 0:
            return "closed", "免交"
        if self.received >= self.expected:
            return "ok", "已交清"
        if self.received > 0:
            return "warning", "未交足"
        return "danger", "未交"

    @property
    def paid(self) -> bool:
        return self.charge is not None and self.received >= self.expected


def month_rows(branch: PartyOrg, month: dt.date) -> list[MonthRow]:
    """Every active member of the branch who owes dues that month (or has no base yet),
    with the month's charge and payments: three queries whatever the size."""
    members = list(
        active_members(PartyMember.objects.filter(branch=branch))
        .filter(joined_on__lt=rules.next_month(month))
        .select_related("person")
        .order_by("person__name", "pk")
    )
    charges = {
        c.member_id: c
        for c in DuesCharge.objects.filter(member__branch=branch, month=month).select_related(
            "exemption"
        )
    }
    payments: dict[int, list[DuesPayment]] = defaultdict(list)
    for p in DuesPayment.objects.filter(member__branch=branch, month=month).order_by("pk"):
        payments[p.member_id].append(p)
    # members who have left since still show if the month holds their charge
    gone = set(charges) - {m.pk for m in members}
    if gone:
        members += list(PartyMember.objects.filter(pk__in=gone).select_related("person"))
    return [MonthRow(m, charges.get(m.pk), payments.get(m.pk, [])) for m in members]


@dataclass(frozen=True)
class Reconciliation:
    branch: PartyOrg
    month: dt.date
    rows: list[MonthRow]

    @property
    def expected(self) -> Decimal:
        return sum((r.expected for r in self.rows), ZERO)

    @property
    def received(self) -> Decimal:
        return sum((r.received for r in self.rows), ZERO)

    @property
    def voluntary(self) -> Decimal:
        return sum((r.voluntary for r in self.rows), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.received - self.expected

    @property
    def unpaid(self) -> list[MonthRow]:
        return [r for r in self.rows if r.charge is None or r.received < r.expected]

    @property
    def mismatched(self) -> list[MonthRow]:
        return [r for r in self.rows if r.difference != 0 or r.charge is None]

    @property
    def balanced(self) -> bool:
        return not self.mismatched


def reconciliation(branch: PartyOrg, month: dt.date) -> Reconciliation:
    return Reconciliation(branch, month, month_rows(branch, month))


# ---- overview ----


def overview(user: Any, month: dt.date, as_of: dt.date) -> list[dict[str, Any]]:
    """Per branch in scope: members, the month's expected and received, arrears counts."""
    branches = list(branches_for(user))
    members = active_members(PartyMember.objects.for_user(user))
    counts = dict(members.values("branch_id").annotate(n=Count("pk")).values_list("branch_id", "n"))
    expected = dict(
        DuesCharge.objects.for_user(user)
        .filter(month=month)
        .values("member__branch_id")
        .annotate(v=Sum("amount"))
        .values_list("member__branch_id", "v")
    )
    received = dict(
        DuesPayment.objects.for_user(user)
        .filter(month=month, voluntary_extra=False)
        .values("member__branch_id")
        .annotate(v=Sum("amount"))
        .values_list("member__branch_id", "v")
    )
    warn, flag = thresholds()
    by_member = streaks(members, as_of)
    branch_of = dict(members.filter(pk__in=list(by_member)).values_list("pk", "branch_id"))
    warned: dict[int, int] = defaultdict(int)
    flagged: dict[int, int] = defaultdict(int)
    for member_id, streak in by_member.items():
        if streak >= flag:
            flagged[branch_of[member_id]] += 1
        elif streak >= warn:
            warned[branch_of[member_id]] += 1
    rows = []
    for b in branches:
        if not counts.get(b.pk) and b.pk not in expected:
            continue
        e, r = expected.get(b.pk) or ZERO, received.get(b.pk) or ZERO
        rows.append(
            {
                "branch": b,
                "members": counts.get(b.pk, 0),
                "expected": e,
                "received": r,
                "difference": r - e,
                "warned": warned[b.pk],
                "flagged": flagged[b.pk],
            }
        )
    return rows


def member_history(member: PartyMember) -> dict[str, Any]:
    charges = list(DuesCharge.objects.filter(member=member).select_related("exemption"))
    payments = list(DuesPayment.objects.filter(member=member).select_related("recorded_by"))
    by_month: dict[dt.date, list[DuesPayment]] = defaultdict(list)
    for p in payments:
        by_month[p.month].append(p)
    rows = [
        MonthRow(member, c, by_month.get(c.month, []))
        for c in sorted(charges, key=lambda c: c.month, reverse=True)
    ]
    return {
        "bases": list(DuesBase.objects.filter(member=member).select_related("confirmed_by")),
        "exemptions": list(member.dues_exemptions.all()),
        "rows": rows,
        "payments": payments,
        "extras": [p for p in payments if p.voluntary_extra],
    }


# ---- the home page's 待办 ----


def todos(user: Any, today: dt.date) -> list[Any]:
    """Members with dues months unpaid: any overdue month, 3+ (warning) and 6+ (flag)."""
    from dangjian.core.home import Todo
    from dangjian.core.scope import has_capability

    if not has_capability(user, "dues.view"):
        return []
    from django.urls import reverse

    warn, flag = thresholds()
    found = list(streaks(active_members(PartyMember.objects.for_user(user)), today).values())
    url = reverse("dues:arrears")
    last = rules.latest_overdue_month(today, due_day())
    return [
        Todo(
            "dues_unpaid",
            "党费未交",
            f"{last.year}年{last.month}月及以前仍有未交党费的党员",
            sum(1 for s in found if s >= 1),
            "warning" if any(s >= 1 for s in found) else "ok",
            f"{url}?min=1",
        ),
        Todo(
            "dues_arrears_warning",
            f"连续{warn}个月以上未交党费",
            "应提醒本人及支部书记",
            sum(1 for s in found if s >= warn),
            "warning" if any(s >= warn for s in found) else "ok",
            f"{url}?min={warn}",
        ),
        Todo(
            "dues_arrears_flag",
            f"连续{flag}个月以上未交党费",
            "党章第九条：支部大会应讨论处置",
            sum(1 for s in found if s >= flag),
            "danger" if any(s >= flag for s in found) else "ok",
            f"{url}?min={flag}",
        ),
    ]


# ---- the party member page's dues section ----


@dataclass(frozen=True)
class YearMonth:
    charge: DuesCharge
    overdue: bool  # its due date has passed

    @property
    def month(self) -> dt.date:
        return self.charge.month

    @property
    def unpaid(self) -> Decimal:
        """What is still owed for an overdue month (nothing for one not yet due or excused)."""
        if not self.overdue or self.charge.excused:
            return ZERO
        return max(self.charge.amount - self.charge.received, ZERO)

    @property
    def status(self) -> tuple[str, str]:
        c = self.charge
        if c.exemption_id and c.amount == 0:
            return "closed", "免交"
        if c.received >= c.amount:
            return "ok", "已交清"
        if c.excused:
            return "closed", "缓交"
        if not self.overdue:
            return "secondary", "未到期" if c.received == 0 else "未交足"
        return ("warning", "未交足") if c.received > 0 else ("danger", "未交")


def member_year(member: PartyMember, today: dt.date) -> dict[str, Any]:
    """This year's months of one member (expected / received / unpaid) and the arrears streak:
    a fixed handful of queries whatever the member's history."""
    last = rules.latest_overdue_month(today, due_day())
    charges = DuesCharge.objects.filter(member=member, month__year=today.year).select_related(
        "exemption"
    )
    months = [YearMonth(c, c.month <= last) for c in charges.order_by("month")]
    streak = streaks(PartyMember.objects.filter(pk=member.pk), today).get(member.pk)
    warn, flag = thresholds()
    return {
        "year": today.year,
        "months": months,
        "expected": sum((m.charge.amount for m in months), ZERO),
        "received": sum((m.charge.received for m in months), ZERO),
        "unpaid": sum((m.unpaid for m in months), ZERO),
        "streak": streak,
        "level": rules.arrears_level(streak, warn, flag).value if streak is not None else "",
    }
