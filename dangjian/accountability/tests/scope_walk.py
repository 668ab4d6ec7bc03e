"""Accountability's part of the scope walk (core/tests/test_scope.py): B-side records, routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "accountability:record-detail": "accountability_record",
    "accountability:no-decision-create": "accountability_finding",
    "accountability:session-detail": "warning_session",
    "accountability:attachment-download": "warning_attachment",
    "api-1.0.0:accountability-record-detail": "accountability_record",
    "api-1.0.0:warning-session-detail": "warning_session",
}
MARKERS = ["贝问责文号", "贝校警示主题", "贝不予追责理由", "贝校待决问题"]


def _finding(unit: Any, description: str) -> Any:
    """A finding overdue long enough to wait for a decision (its app's actions are its own)."""
    from dangjian.rectification.models import Finding, Rectification

    finding = Finding.objects.create(
        unit=unit,
        source="self_check",
        area="组织建设",
        description=description,
        severity="general",
        found_on=dt.date(2025, 1, 6),
    )
    Rectification.objects.create(
        finding=finding, unit=unit, period_days=15, deadline=dt.date(2025, 1, 21)
    )
    return finding


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.accountability import actions

    system, b, person_b = world["system"], world["b"], world["person_b"]
    decided = _finding(b, "贝校已问责问题")
    excused = _finding(b, "贝校不予追责问题")
    waiting = _finding(b, "贝校待决问题")
    record = actions.record_create(
        actor=system,
        unit=b,
        findings=[decided],
        people=[person_b],
        form="talk_reminder",
        decided_on=dt.date(2025, 3, 1),
        decided_by="青山县教育局党委",
        document_number="贝问责文号〔2025〕1号",
    )
    actions.no_decision_create(
        actor=system,
        finding=excused,
        reason="贝不予追责理由",
        decided_by="青山县教育局党委",
        decided_on=dt.date(2025, 3, 1),
    )
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    session = actions.session_create(
        actor=system,
        unit=b,
        held_on=dt.date(2025, 3, 1),
        kind="film",
        topic="贝校警示主题",
        expected_count=20,
        present_count=20,
        attachments=[SimpleUploadedFile("贝校警示.png", png)],
    )
    return {
        "accountability_record": record,
        "accountability_finding": waiting,
        "warning_session": session,
        "warning_attachment": session.attachments.get(),
    }
