"""The dues section of the party member page: this year's months and the arrears streak."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from dangjian.core.scope import has_capability
from dangjian.party.sections import section

from . import queries


@section("dues", "党费缴纳", order=60, template="dues/_member_section.html")
def dues_section(member: Any, user: Any) -> dict[str, Any] | None:
    if not has_capability(user, "dues.view", member.branch.unit):
        return None
    return {
        **queries.member_year(member, timezone.localdate()),
        "url": reverse("dues:member-detail", args=[member.pk]),
    }
