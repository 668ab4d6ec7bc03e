"""Dues routes for the scope walk (core/tests/test_scope.py): B's member and branch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

PK_TARGETS = {
    "dues:branch-month": "dues_branch",
    "dues:branch-reconciliation": "dues_branch",
    "dues:branch-ledger": "dues_branch",
    "dues:member-detail": "dues_member",
    "dues:base-set": "dues_member",
    "dues:payment-create": "dues_member",
    "dues:exemption-create": "dues_member",
    "api-1.0.0:dues-reconciliation": "dues_branch",
}
MARKERS = ["DUESB-7741", "贝校党费减免文号"]


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from dangjian.dues import actions
    from dangjian.party.actions import member_create
    from dangjian.party.models import PartyMember

    system, person_b, org_b = world["system"], world["person_b"], world["org_b"]
    member = PartyMember.objects.filter(person=person_b).first() or member_create(
        actor=system,
        person=person_b,
        branch=org_b,
        joined_on=dt.date(2015, 5, 4),
        status="full",
        full_on=dt.date(2016, 5, 4),
    )
    year = timezone.localdate().year
    actions.dues_base_set(actor=system, member=member, year=year, monthly_base=Decimal("5200"))
    actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(year, 1, 1)],
        method="cash",
        paid_on=dt.date(year, 1, 20),
        receipt_number="DUESB-7741",
    )
    actions.dues_exemption_create(
        actor=system,
        member=member,
        kind="deferral",
        first_month=dt.date(year, 2, 1),
        last_month=dt.date(year, 3, 1),
        document_number="贝校党费减免文号",
        approved_by="中共城关学区委员会",
        approved_on=dt.date(year, 1, 25),
        reason="出国探亲",
    )
    return {"dues_member": member, "dues_branch": member.branch}
