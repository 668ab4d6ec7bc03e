"""The development area's part of the scope walk (core/tests/test_scope.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

PK_TARGETS = {
    "development:record-detail": "development_record",
    "development:step-create": "development_record",
    "development:record-terminate": "development_record",
    "development:record-key-teacher": "development_record",
    "development:document-create": "development_record",
    "development:record-publicity": "development_record",
    "development:record-review": "development_record",
    "development:document-download": "development_document",
    "api-1.0.0:development-record-detail": "development_record",
    "api-1.0.0:development-record-step-create": "development_record",
}
MARKERS = ["贝乙丙发展材料", "贝发展申请人"]


def objects(world: dict[str, Any]) -> dict[str, Any]:
    from conftest import make_id_number
    from dangjian.development import actions
    from dangjian.people.actions import person_create

    system = world["system"]
    applicant = person_create(
        actor=system,
        unit=world["county"]["b"],
        name="贝发展申请人",
        id_number=make_id_number(77, "19960808"),
    )
    record = actions.record_create(
        actor=system,
        person=applicant,
        branch=world["org_b"],
        applied_on=dt.date(2025, 3, 1),
        today=dt.date(2026, 1, 1),
    )
    doc = actions.document_add(
        actor=system,
        record=record,
        upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4", content_type="application/pdf"),
        title="贝乙丙发展材料",
    )
    return {"development_record": record, "development_document": doc}
