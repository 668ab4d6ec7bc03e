"""Fixtures for the supervision tests: a checklist, planners and inspectors of the county."""

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
DAY = dt.date(2024, 6, 10)


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def inspector(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("inspector", county["bureau"], "duchayuan")


@pytest.fixture
def district_staff(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("district_staff", county["district"], "xuequ")


@pytest.fixture
def checklist(system: Any, county: dict[str, Any]) -> Any:
    from dangjian.supervision.actions import ItemIn, checklist_create

    return checklist_create(
        actor=system,
        unit=county["bureau"],
        name="月度督查清单",
        items=[
            ItemIn("组织生活", "三会一课按期开展", 10, "记录齐全"),
            ItemIn("廉洁风险", "收费公示", 20, "公示上墙"),
        ],
    )


@pytest.fixture
def make_inspection(system: Any, county: dict[str, Any]) -> Callable[..., Any]:
    from dangjian.supervision.actions import inspection_create

    def make(unit: Any = None, kind: str = "district_patrol", **kw: Any) -> Any:
        kw.setdefault("planned_on", DAY)
        return inspection_create(actor=system, unit=unit or county["a"], kind=kind, **kw)

    return make
