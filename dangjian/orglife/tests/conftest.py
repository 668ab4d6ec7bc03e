"""Fixtures for the orglife tests: a branch per school with members, and a meeting recorder."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_id_number

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def png(name: str = "合影.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def docx(name: str = "记录.docx") -> SimpleUploadedFile:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buf.getvalue())


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_branch(system: Any) -> Callable[..., Any]:
    from dangjian.orgs.actions import partyorg_create

    def make(unit: Any, name: str | None = None, kind: str = "branch", **kw: Any) -> Any:
        return partyorg_create(
            actor=system, unit=unit, kind=kind, name=name or f"{unit.name}党支部", **kw
        )

    return make


@pytest.fixture
def make_members(system: Any) -> Callable[..., list[Any]]:
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    counter = {"n": 300}

    def make(branch: Any, n: int, full: bool = True, names: list[str] | None = None) -> list[Any]:
        out = []
        for i in range(n):
            counter["n"] += 1
            person = person_create(
                actor=system,
                unit=branch.unit,
                name=(names[i] if names else f"党员{counter['n']}"),
                id_number=make_id_number(counter["n"]),
            )
            out.append(
                member_create(
                    actor=system,
                    person=person,
                    branch=branch,
                    joined_on=dt.date(2015, 6, 1),
                    status="full" if full else "probationary",
                    full_on=dt.date(2016, 6, 1) if full else None,
                )
            )
        return out

    return make


@pytest.fixture
def branch_a(county: dict[str, Any], make_branch: Callable[..., Any]) -> Any:
    return make_branch(county["a"], "青山一中党支部", established_on=dt.date(2010, 7, 1))


@pytest.fixture
def branch_b(county: dict[str, Any], make_branch: Callable[..., Any]) -> Any:
    return make_branch(county["b"], "城关小学党支部", established_on=dt.date(2010, 7, 1))


@pytest.fixture
def members_a(branch_a: Any, make_members: Callable[..., list[Any]]) -> list[Any]:
    return make_members(branch_a, 8)


@pytest.fixture
def record(system: Any) -> Callable[..., Any]:
    """A meeting with everyone present and minutes, written as the system user."""
    from dangjian.orglife.actions import AttendanceIn, meeting_create
    from dangjian.party.models import PartyMember

    def make(org: Any, kind: str, held_on: dt.date, **kw: Any) -> Any:
        if "attendance" not in kw:
            branch = org.parent if org.kind == "group" else org
            kw["attendance"] = [
                AttendanceIn(m, "present") for m in PartyMember.objects.filter(branch=branch)
            ]
        kw.setdefault("minutes", "会议记录")
        kw.setdefault("topics", "学习")
        return meeting_create(
            actor=system,
            org=org,
            kind=kind,
            held_on=held_on,
            entered_on=kw.pop("entered_on", held_on),
            **kw,
        )

    return make
