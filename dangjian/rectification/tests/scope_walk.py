"""Rectification's part of the scope walk (core/tests/test_scope.py): B-side records and routes."""

from __future__ import annotations

import datetime as dt
from typing import Any

PK_TARGETS = {
    "rectification:finding-detail": "finding",
    "rectification:rectification-submit": "rectification",
    "rectification:rectification-verify": "rectification",
    "rectification:rectification-reject": "rectification",
    "rectification:progress-note-add": "rectification",
    "rectification:evidence-download": "evidence",
    "api-1.0.0:finding-detail": "finding",
    "api-1.0.0:rectification-submit": "rectification",
    "api-1.0.0:rectification-verify": "rectification",
}
MARKERS = ["贝校问题描述", "贝校问题领域", "贝校整改照片"]


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.rectification import actions

    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    system, b = world["system"], world["county"]["b"]
    finding = actions.finding_create(
        actor=system,
        unit=b,
        source="self_check",
        area="贝校问题领域",
        description="贝校问题描述",
        severity="general",
        found_on=dt.date(2025, 3, 1),
    )
    rect = finding.rectification
    actions.rectification_submit(
        actor=system,
        rectification=rect,
        measures="已改",
        evidence=[SimpleUploadedFile("贝校整改照片.png", png)],
        on=dt.date(2025, 3, 5),
    )
    return {"finding": finding, "rectification": rect, "evidence": finding.evidence.get()}
