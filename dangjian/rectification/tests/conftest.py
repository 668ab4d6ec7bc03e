"""Fixtures for the rectification tests: inspectors, inspections made directly with the model
(supervision's actions are another helper's), and a finding recorder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
D = dt.date
FOUND = D(2024, 5, 6)


def png(name: str = "整改后.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def inspector(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("inspector", county["bureau"], username="inspector", display_name="督导员老周")


@pytest.fixture
def district_staff(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("district_staff", county["district"], username="district_staff")


@pytest.fixture
def clerk_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_clerk", county["a"], username="clerk_a")


@pytest.fixture
def make_inspection() -> Callable[..., Any]:
    from dangjian.supervision.models import Inspection

    def make(unit: Any, held_on: dt.date = FOUND, **kw: Any) -> Any:
        kw.setdefault("kind", "district_patrol")
        kw.setdefault("status", "done")
        return Inspection.objects.create(
            unit=unit, planned_on=held_on, held_on=held_on, title=f"{unit.name}巡查", **kw
        )

    return make


@pytest.fixture
def make_finding(system: Any, make_inspection: Callable[..., Any]) -> Callable[..., Any]:
    from dangjian.rectification.actions import finding_create

    def make(unit: Any, found_on: dt.date = FOUND, **kw: Any) -> Any:
        actor = kw.pop("actor", system)
        kw.setdefault("source", "inspection")
        if kw["source"] == "inspection" and "inspection" not in kw:
            kw["inspection"] = make_inspection(unit, found_on)
        kw.setdefault("area", "三会一课")
        kw.setdefault("description", "支部党员大会记录不完整")
        kw.setdefault("severity", "general")
        return finding_create(actor=actor, unit=unit, found_on=found_on, **kw)

    return make
