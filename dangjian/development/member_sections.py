"""The member's development record (发展党员) on the member page, when there is one."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.core.scope import has_capability
from dangjian.party.sections import section

from .models import DevelopmentRecord

# the milestones shown, in pipeline order (a date appears once reached)
KEY_DATES = (
    "applied_on",
    "activist_on",
    "candidate_on",
    "admitted_on",
    "approved_on",
    "oath_on",
    "probation_ends_on",
    "full_approved_on",
    "terminated_on",
)
STAGE_COLOUR = {
    DevelopmentRecord.Status.APPLICANT: "azure",
    DevelopmentRecord.Status.ACTIVIST: "blue",
    DevelopmentRecord.Status.CANDIDATE: "indigo",
    DevelopmentRecord.Status.PROBATIONARY: "orange",
    DevelopmentRecord.Status.FULL: "green",
    DevelopmentRecord.Status.TERMINATED: "secondary",
}


def _label(name: str) -> str:
    field = DevelopmentRecord._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


@section("development", "发展党员记录", order=40, template="development/_member_section.html")
def development_section(member: Any, user: Any) -> dict[str, Any] | None:
    """The record of the member's person, if the reader may see it; hidden otherwise. One query."""
    if not has_capability(user, "development.view", member.branch.unit):
        return None
    record = (
        DevelopmentRecord.objects.for_user(user)
        .filter(person_id=member.person_id)
        .select_related("branch__unit")
        .first()
    )
    if record is None:
        return None
    dates = [
        (_label(name), getattr(record, name))
        for name in KEY_DATES
        if getattr(record, name) is not None
    ]
    return {
        "record": record,
        "colour": STAGE_COLOUR.get(record.status, "secondary"),
        "dates": dates,
        "due": record.due_state(timezone.localdate()),
    }
