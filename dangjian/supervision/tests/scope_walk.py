"""Supervision's part of the scope walk (core/tests/test_scope.py): B-side records and routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "supervision:plan-detail": "sup_plan",
    "supervision:checklist-detail": "sup_checklist",
    "supervision:checklist-update": "sup_checklist",
    "supervision:inspection-detail": "sup_inspection",
    "supervision:inspection-start": "sup_inspection",
    "supervision:inspection-record": "sup_inspection",
    "supervision:inspection-complete": "sup_inspection",
    "supervision:evidence-download": "sup_evidence",
    "supervision:campaign-detail": "sup_campaign",
    "api-1.0.0:inspection-detail": "sup_inspection",
    "api-1.0.0:inspection-start": "sup_inspection",
    "api-1.0.0:inspection-complete": "sup_inspection",
    "api-1.0.0:checklist-detail": "sup_checklist",
}
MARKERS = ["贝校督查标题", "贝校月度督查计划", "贝学区督查清单", "贝校专项整治", "贝校检查说明"]


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.orgs.actions import unit_create
    from dangjian.supervision import actions

    system, county = world["system"], world["county"]
    b = county["b"]
    day = dt.date(2025, 3, 10)
    other = unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-XH",
        name="西湖学区",
        kind="district_office",
    )
    hidden = actions.checklist_create(
        actor=system,
        unit=other,
        name="贝学区督查清单",
        items=[actions.ItemIn("组织生活", "三会一课", 10)],
    )
    own = actions.checklist_create(
        actor=system, unit=b, name="城关小学自查清单", items=[actions.ItemIn("师德", "承诺", 10)]
    )
    campaign = actions.campaign_create(
        actor=system,
        unit=county["district"],
        name="贝校专项整治",
        key_areas=["食堂管理"],
        starts_on=day,
        ends_on=day,
        schools=[b],
    )
    plan = actions.plan_create(
        actor=system,
        unit=b,
        month=day,
        kind="self_check",
        title="贝校月度督查计划",
        schools=[(b, day)],
    )
    inspection = actions.inspection_create(
        actor=system,
        unit=b,
        kind="campaign_visit",
        planned_on=day,
        checklist=own,
        campaign=campaign,
        title="贝校督查标题",
    )
    actions.inspection_start(actor=system, inspection=inspection, held_on=day)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    actions.inspection_record(
        actor=system,
        inspection=inspection,
        results=[
            actions.ResultIn(
                own.items.get(),
                "partly",
                note="贝校检查说明",
                evidence=[SimpleUploadedFile("贝校现场.png", png)],
            )
        ],
    )
    from dangjian.supervision.models import Evidence

    return {
        "sup_plan": plan,
        "sup_checklist": hidden,
        "sup_inspection": inspection,
        "sup_evidence": Evidence.objects.get(result__inspection=inspection),
        "sup_campaign": campaign,
    }
