"""Reads of accountability: decisions, the findings still waiting for one, sessions, the ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from dangjian.core.periods import Period
from dangjian.core.scope import has_capability
from dangjian.people.models import Person
from dangjian.rectification import rules as rect_rules
from dangjian.rectification.models import Finding, Rectification

from .models import AccountabilityRecord, NoAccountabilityDecision, WarningSession


def records_for(user: Any) -> QuerySet[AccountabilityRecord]:
    """Decisions in the user's scope with everything a list row shows (no N+1)."""
    return (
        AccountabilityRecord.objects.for_user(user)
        .select_related("unit")
        .prefetch_related(
            Prefetch("people", queryset=Person.objects.only("pk", "name").order_by("name", "pk")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("unit").order_by("found_on", "pk"),
            ),
        )
    )


def no_decisions_for(user: Any) -> QuerySet[NoAccountabilityDecision]:
    return NoAccountabilityDecision.objects.for_user(user).select_related("finding__unit")


def sessions_for(user: Any) -> QuerySet[WarningSession]:
    return WarningSession.objects.for_user(user).select_related("unit")


def needing_decision(user: Any, today: dt.date) -> QuerySet[Finding]:
    """Findings whose rectification is still owed 15 days after it fell overdue, or that were
    re-opened twice (RULES.md §7.2: escalated to the bureau and 纪检 with an accountability
    proposal), and that have neither an accountability decision nor a recorded reason for none.
    Ordered oldest deadline first."""
    bureau_by = rect_rules.level_thresholds(today)[rect_rules.Level.BUREAU]
    escalated = Q(
        rectification__status__in=Rectification.PENDING, rectification__deadline__lte=bureau_by
    ) | Q(rectification__reopen_count__gte=rect_rules.BUREAU_REOPENS)
    return (
        Finding.objects.for_user(user)
        .filter(escalated, accountability_records__isnull=True, no_accountability__isnull=True)
        .select_related("unit", "rectification")
        .order_by("rectification__deadline", "pk")
    )


@dataclass(frozen=True)
class Pending:
    finding: Finding
    deadline: dt.date
    overdue_days: int
    reopen_count: int
    status_label: str

    @property
    def why(self) -> str:
        parts = []
        if self.overdue_days:
            parts.append(f"逾期{self.overdue_days}天")
        if self.reopen_count >= rect_rules.BUREAU_REOPENS:
            parts.append(f"验收退回{self.reopen_count}次")
        return "，".join(parts)


def pending_rows(findings: list[Finding], today: dt.date) -> list[Pending]:
    out = []
    for f in findings:
        rect = f.rectification
        pending = rect.status in Rectification.PENDING
        out.append(
            Pending(
                f,
                rect.deadline,
                rect_rules.overdue_days(rect.deadline, today) if pending else 0,
                rect.reopen_count,
                rect.get_status_display(),
            )
        )
    return out


def todos(user: Any, today: dt.date) -> list[Any]:
    """For those who decide (bureau admin, inspectors, 纪检): findings waiting for a decision."""
    from django.urls import reverse

    from dangjian.core.home import Todo

    if not has_capability(user, "accountability.record_create"):
        return []
    count = needing_decision(user, today).count()
    return [
        Todo(
            "accountability_pending",
            "待作出追责决定的问题",
            "整改逾期超过15天或两次验收未通过：作出问责决定，或登记不予追责的理由",
            count,
            "danger" if count else "ok",
            reverse("accountability:pending"),
        )
    ]


# ---- the accountability ledger (问责台账) ----


def ledger(user: Any, unit: Any, period: Period) -> tuple[list[Any], list[Any]]:
    """Decisions and no-decision records of `unit`'s subtree decided in the period."""
    records = list(
        records_for(user)
        .filter(unit__path__startswith=unit.path)
        .filter(decided_on__gte=period.start, decided_on__lt=period.end)
        .order_by("decided_on", "pk")
    )
    nones = list(
        no_decisions_for(user)
        .filter(finding__unit__path__startswith=unit.path)
        .filter(decided_on__gte=period.start, decided_on__lt=period.end)
        .order_by("decided_on", "pk")
    )
    return records, nones
