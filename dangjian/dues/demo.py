"""Demo dues for a county (hook order 30, after the party hook has made members): this year's
bases for every branch, payments month by month for most members, some members 3+ and a few
6+ months behind, one approved exemption. Each branch's year of bases and each branch-month of
payments is one action, so a county takes a few hundred actions, not thousands."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dangjian.core.demo.hooks import county_hook
from dangjian.party.models import PartyMember

from . import actions, rules
from .models import DuesPayment

METHODS = [DuesPayment.Method.WECHAT] * 4 + [
    DuesPayment.Method.CASH,
    DuesPayment.Method.CASH,
    DuesPayment.Method.TRANSFER,
    DuesPayment.Method.PAYROLL,
]


def _base(rng: Any, category: str) -> dict[str, Any]:
    if category == PartyMember.DuesCategory.RETIRED:
        return {"monthly_base": Decimal(rng.randrange(3800, 7200, 10))}
    if category in rules.BANDED:
        edge = rng.random() < 0.08  # a few exactly on a band edge, as payroll offices round
        amount = rng.choice([3000, 5000, 10000]) if edge else rng.randrange(2900, 9800, 10)
        return {"monthly_base": Decimal(amount)}
    if category == PartyMember.DuesCategory.FARMER:
        return {"fixed_amount": Decimal("0.50")}
    return {}


@county_hook("党费", 30)
def dues(demo: Any, bureau: Any, schools: list[Any]) -> None:
    today = min(demo.anchor, timezone.localdate())
    year = today.year
    first = dt.date(year, 1, 1)
    last = rules.latest_overdue_month(today)
    if last < first:
        return
    rng = demo.rng(f"dues:{bureau.code}")
    members = list(
        PartyMember.objects.in_subtree(bureau)
        .filter(status__in=PartyMember.ACTIVE_STATUSES)
        .select_related("branch__unit", "person")
        .order_by("branch_id", "pk")
    )
    by_branch: dict[int, list[PartyMember]] = defaultdict(list)
    for m in members:
        by_branch[m.branch_id].append(m)
    months = rules.months(first, last)
    stops: dict[int, dt.date] = {}  # member → first month not paid any more
    skips: dict[int, dt.date] = {}  # member → one month forgotten
    exempt: tuple[int, dt.date, dt.date] | None = None
    for branch_members in by_branch.values():
        branch = branch_members[0].branch
        actions.dues_bases_set(
            actor=demo.actor,
            branch=branch,
            year=year,
            entries=[actions.BaseEntry(m, _base(rng, m.dues_category)) for m in branch_members],
        )
        for m in branch_members:
            roll = rng.random()
            if roll < 0.03 and len(months) > 6:
                stops[m.pk] = months[-rng.randint(6, min(8, len(months)))]
            elif roll < 0.10 and len(months) > 3:
                stops[m.pk] = months[-rng.randint(3, 5)]
            elif roll < 0.16 and len(months) > 1:
                skips[m.pk] = rng.choice(months[:-1])
            elif (
                exempt is None
                and m.dues_category == PartyMember.DuesCategory.ON_POST
                and (len(months) > 3)
            ):
                exempt = (m.pk, months[2], dt.date(year, 12, 1))
                actions.dues_exemption_create(
                    actor=demo.actor,
                    member=m,
                    kind=rules.ExemptionKind.EXEMPTION,
                    first_month=months[2],
                    last_month=dt.date(year, 12, 1),
                    document_number=f"{bureau.name[:2]}教党〔{year}〕{rng.randint(2, 30)}号",
                    approved_by=f"中共{bureau.name}委员会",
                    approved_on=months[1] + dt.timedelta(days=20),
                    reason="本人患重病，家庭经济十分困难，本人申请、支部研究同意",
                )
    for branch_members in by_branch.values():
        branch = branch_members[0].branch
        for month in months:
            paid_on = min(month + dt.timedelta(days=rng.randint(4, 26)), today)
            method = rng.choice(METHODS)
            entries = []
            for n, m in enumerate(branch_members, start=1):
                if rules.first_dues_month(m.joined_on) > month:
                    continue
                if m.pk in stops and month >= stops[m.pk]:
                    continue
                if skips.get(m.pk) == month:
                    continue
                if exempt is not None and m.pk == exempt[0] and exempt[1] <= month:
                    continue
                entries.append((m, n))
            if not entries:
                continue
            charges = actions.expected_for([m for m, _ in entries], month)
            batch = [
                actions.PaymentEntry(
                    member=m,
                    amount=charges[m.pk],
                    method=method,
                    paid_on=paid_on,
                    receipt_number=f"DF{month:%Y%m}-{branch.pk:04d}-{n:03d}",
                )
                for m, n in entries
                if charges.get(m.pk)
            ]
            if batch:
                actions.dues_payment_batch(
                    actor=demo.actor, branch=branch, month=month, entries=batch
                )
