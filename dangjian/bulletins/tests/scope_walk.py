"""Bulletins' part of the scope walk (core/tests/test_scope.py): B-side records, routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "bulletins:bulletin-detail": "bulletin",
    "bulletins:bulletin-update": "bulletin",
    "bulletins:example-add": "bulletin",
    "bulletins:bulletin-issue": "bulletin_draft",
    "bulletins:bulletin-download": "bulletin",
    "bulletins:example-remove": "bulletin_example",
    "api-1.0.0:bulletin-detail": "bulletin",
    "api-1.0.0:bulletin-example-create": "bulletin_draft",
    "api-1.0.0:bulletin-issue": "bulletin_draft",
    "api-1.0.0:bulletin-document": "bulletin",
    "api-1.0.0:bulletin-example-remove": "bulletin_example",
}
MARKERS = ["贝校通报标题", "贝校典型做法"]
# well-formed bodies, so the walk reaches the scope check, not validation
API_BODIES = {"api-1.0.0:bulletin-example-create": {"kind": "good", "unit": "{a}", "text": "好"}}


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from dangjian.bulletins import actions, tasks

    system, b = world["system"], world["b"]
    issued = actions.bulletin_create(
        actor=system,
        unit=b,
        month=dt.date(2025, 3, 1),
        title="贝校通报标题",
        today=dt.date(2025, 4, 2),
    )
    actions.bulletin_issue(actor=system, bulletin=issued, today=dt.date(2025, 4, 5))
    tasks.write_document(issued.pk)
    draft = actions.bulletin_create(
        actor=system, unit=b, month=dt.date(2025, 4, 1), today=dt.date(2025, 5, 2)
    )
    example = actions.example_add(
        actor=system, bulletin=draft, kind="good", unit=b, text="贝校典型做法"
    )
    return {"bulletin": issued, "bulletin_draft": draft, "bulletin_example": example}
