"""The party app's part of the scope walk (core/tests/test_scope.py): B's member and transfer."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "party:member-detail": "party_member",
    "party:member-update": "party_member",
    "party:member-make-full": "party_member",
    "party:member-status": "party_member",
    "party:transfer-detail": "party_transfer",
    "party:transfer-confirm": "party_transfer",
    "party:transfer-cancel": "party_transfer",
    "party:transfer-expire": "party_transfer",
    "api-1.0.0:partymember-detail": "party_member",
    "api-1.0.0:partymember-patch": "party_member",
    "api-1.0.0:partymember-make-full": "party_member",
    "api-1.0.0:partymember-status": "party_member",
    "api-1.0.0:transfer-detail": "party_transfer",
    "api-1.0.0:transfer-confirm": "party_transfer",
    "api-1.0.0:transfer-cancel": "party_transfer",
}
MARKERS = ["贝方外转党组织", "贝组转〔2026〕7号"]
UNSCOPED = {
    "party:branch-lookup": (
        "directory of receiving party orgs for a transfer (names only, by typed name): "
        "the receiving school lies outside the sender's scope by design"
    ),
}


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from dangjian.party.actions import member_create, transfer_create

    system = world["system"]
    member = member_create(
        actor=system,
        person=world["person_b"],
        branch=world["org_b"],
        joined_on=dt.date(2010, 7, 1),
        status="probationary",
    )
    transfer = transfer_create(
        actor=system,
        member=member,
        kind="out",
        outside_org="贝方外转党组织",
        letter_number="贝组转〔2026〕7号",
        issued_on=dt.date(2026, 11, 1),
    )
    return {"party_member": member, "party_transfer": transfer}
