"""三重一大's part of the scope walk (core/tests/test_scope.py): B-side records and routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "decisions:item-detail": "dec_item",
    "decisions:item-update": "dec_item",
    "decisions:item-file": "dec_item",
    "decisions:item-review": "dec_item",
    "decisions:item-attachment-add": "dec_item",
    "decisions:execution-start": "dec_item",
    "decisions:spot-check-create": "dec_item",
    "decisions:execution-report": "dec_execution",
    "decisions:execution-complete": "dec_execution",
    "decisions:milestone-done": "dec_milestone",
    "decisions:meeting-detail": "dec_meeting",
    "decisions:meeting-minutes": "dec_meeting",
    "decisions:meeting-attachment-add": "dec_meeting",
    "decisions:attachment-download": "dec_attachment",
    "decisions:category-update": "dec_category",
    "api-1.0.0:decision-item-detail": "dec_item",
    "api-1.0.0:decision-item-file": "dec_item",
    "api-1.0.0:decision-item-review": "dec_item",
    "api-1.0.0:decision-meeting-detail": "dec_meeting",
}
MARKERS = [
    "贝校三重一大议题",
    "贝校议题内容",
    "贝校党委会议",
    "贝学区事项",
    "贝校议题材料",
    "贝校执行节点",
]


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.decisions import actions
    from dangjian.orgs.actions import unit_create

    system, county = world["system"], world["county"]
    b = county["b"]
    # a district office beside school A's: its catalogue is not A's to see
    other = unit_create(
        actor=system,
        parent=county["bureau"],
        code="QSX-NS",
        name="南山学区",
        kind="district_office",
    )
    category = actions.category_create(
        actor=system, unit=other, category="major_project", name="贝学区事项"
    )
    filed, held = dt.date(2025, 3, 3), dt.date(2025, 3, 10)
    item = actions.item_create(
        actor=system,
        unit=b,
        category="major_matter",
        title="贝校三重一大议题",
        content="贝校议题内容",
        steps_done=["investigation", "opinions", "party_preview"],
        planned_meeting_on=held,
        attachments=[("material", SimpleUploadedFile("贝校议题材料.pdf", b"%PDF-1.4\n%b\n"))],
    )
    actions.item_file(actor=system, item=item, on=filed)
    actions.item_approve(actor=system, item=item, on=filed + dt.timedelta(days=1))
    members = [
        actions.MemberIn(name="贝校书记", title="书记", is_chair=True),
        actions.MemberIn(name="贝校委员一", title="委员"),
        actions.MemberIn(name="贝校委员二", title="委员"),
    ]
    meeting = actions.meeting_record(
        actor=system,
        unit=b,
        body="party_org_meeting",
        held_on=held,
        title="贝校党委会议",
        members=members,
        items=[
            actions.DecisionIn(
                item=item,
                opinions=[actions.OpinionIn(member=m) for m in (1, 2, 0)],
                votes_yes=3,
                votes_no=0,
                votes_abstain=0,
                decision="同意",
            )
        ],
    )
    execution = actions.execution_start(
        actor=system,
        item=item,
        responsible_name="贝校委员一",
        due_on=dt.date(2025, 6, 30),
        milestones=[actions.MilestoneIn("贝校执行节点", dt.date(2025, 5, 1))],
        on=held,
    )
    return {
        "dec_item": item,
        "dec_meeting": meeting,
        "dec_execution": execution,
        "dec_milestone": execution.milestones.get(),
        "dec_attachment": item.attachments.get(),
        "dec_category": category,
    }
