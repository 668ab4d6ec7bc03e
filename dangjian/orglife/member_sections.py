"""Org life on the member page: this year's meetings attended, excused and missed."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.utils import timezone

from dangjian.core.scope import has_capability, scope_paths
from dangjian.party.sections import section

from .models import Attendance

LAST = 10


@section("orglife", "本年度组织生活", order=50, template="orglife/_member_section.html")
def orglife_section(member: Any, user: Any) -> dict[str, Any] | None:
    """Counts by attendance for the current year and the last ten meetings, newest first.

    The member's own record travels with them (as the 党员档案 does): a member transferred in
    shows the year's attendance at the old branch too, but a meeting outside the reader's scope
    is named without a link to it. Two queries whatever the number of meetings."""
    if not has_capability(user, "orglife.view", member.branch.unit):
        return None
    year = timezone.localdate().year
    rows = Attendance.objects.filter(member=member, meeting__held_on__year=year)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    last = list(
        rows.select_related("meeting__org__unit").order_by("-meeting__held_on", "-meeting_id")[
            :LAST
        ]
    )
    paths = scope_paths(user)
    for a in last:
        a.readable = any(a.meeting.org.unit.path.startswith(p) for p in paths)
    total = sum(counts.values())
    return {
        "year": year,
        "total": total,
        "present": counts.get(Attendance.Status.PRESENT, 0),
        "excused": counts.get(Attendance.Status.EXCUSED, 0),
        "absent": counts.get(Attendance.Status.ABSENT, 0),
        "last": last,
        "more": total > len(last),
    }
