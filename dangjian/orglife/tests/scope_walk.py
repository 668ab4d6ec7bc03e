"""Orglife's part of the scope walk (core/tests/test_scope.py): B-side records and routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "orglife:meeting-detail": "meeting",
    "orglife:meeting-update": "meeting",
    "orglife:attachment-add": "meeting",
    "orglife:attachment-download": "attachment",
    "orglife:attachment-remove": "attachment",
    "orglife:checklist-detail": "checklist",
    "orglife:assessment-fill": "checklist",
    "orglife:assessment-detail": "assessment",
    "orglife:evidence-download": "score",
    "orglife:vanguard-detail": "vanguard",
    "orglife:vanguard-close": "vanguard",
    "api-1.0.0:meeting-detail": "meeting",
    "api-1.0.0:partyorg-compliance": "org",
    "api-1.0.0:standard-checklist-detail": "checklist",
}
MARKERS = ["贝组织生活", "贝校主题党日议题", "贝校示范岗", "贝校自评说明", "贝学区检查表"]


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.orglife import actions
    from dangjian.orgs.actions import unit_create
    from dangjian.party.actions import member_create

    system, org_b = world["system"], world["org_b"]
    county = world["county"]
    from conftest import make_id_number
    from dangjian.party.models import PartyMember
    from dangjian.people.actions import person_create

    # our own B-side member (other areas' walks may already enrol person_b)
    person = person_create(
        actor=system,
        unit=org_b.unit,
        name="贝组织生活",
        id_number=make_id_number(917, birth="19790312"),
    )
    member = member_create(
        actor=system,
        person=person,
        branch=org_b,
        joined_on=dt.date(2015, 6, 1),
        status=PartyMember.Status.FULL,
        full_on=dt.date(2016, 6, 1),
    )
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    meeting = actions.meeting_create(
        actor=system,
        org=org_b,
        kind="theme_day",
        held_on=dt.date(2025, 3, 1),
        topics="贝校主题党日议题",
        minutes="记录",
        attendance=[actions.AttendanceIn(member, "present")],
        attachments=[SimpleUploadedFile("贝校合影.png", png)],
        entered_on=dt.date(2025, 3, 2),
    )
    # B's branch fills the district's checklist (A sees the checklist, not B's assessment)
    checklist = actions.checklist_create(
        actor=system,
        unit=county["district"],
        kind="five_good",
        name="学区五好检查表",
        year=2025,
        items=[actions.ItemIn("班子好", 10)],
        pass_score=5,
    )
    # a checklist A must not see: defined by another district office
    other = unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-DH",
        name="东湖学区",
        kind="district_office",
    )
    hidden = actions.checklist_create(
        actor=system,
        unit=other,
        kind="eight_walls",
        name="贝学区检查表",
        year=2025,
        items=[actions.ItemIn("入党誓词", 10)],
        pass_score=5,
    )
    assessment = actions.assessment_save(
        actor=system,
        checklist=checklist,
        org=org_b,
        scores=[
            actions.ScoreIn(
                checklist.items.get(), 8, "贝校自评说明", SimpleUploadedFile("贝.png", png)
            )
        ],
    )
    vanguard = actions.vanguard_create(
        actor=system,
        org=org_b,
        kind="model_post",
        title="贝校示范岗",
        content="示范",
        members=[member],
        started_on=dt.date(2025, 3, 1),
    )
    return {
        "meeting": meeting,
        "attachment": meeting.attachments.get(),
        "checklist": hidden,
        "assessment": assessment,
        "score": assessment.scores.get(),
        "vanguard": vanguard,
    }
