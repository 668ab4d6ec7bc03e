"""Fixtures for the 三重一大 tests: school A's party org leadership, items at each stage, and a
clean meeting record."""

from __future__ import annotations

import datetime as dt
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
D = dt.date
FILED = D(2024, 3, 4)  # a Monday
MEETING = D(2024, 3, 8)  # Friday: 4 working days after filing
NAMES = ["王书记", "李校长", "张副书记", "刘委员", "陈委员", "杨委员", "赵委员", "周委员", "吴委员"]
TITLES = [
    "secretary",
    "committee_member",
    "deputy_secretary",
    "organization_member",
    "propaganda_member",
    "discipline_member",
    "committee_member",
]


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clerk_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("school_clerk", county["a"], username="clerk_a")


@pytest.fixture
def discipline(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user(
        "discipline_inspector", county["bureau"], username="discipline", display_name="纪检老孙"
    )


@pytest.fixture
def inspector(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("inspector", county["bureau"], username="inspector")


@pytest.fixture
def leader(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("bureau_leader", county["bureau"], username="leader")


@pytest.fixture
def party_a(county: dict[str, Any], system: Any) -> dict[str, Any]:
    """School A's party committee: seven leadership members, the secretary first."""
    from dangjian.orgs.actions import partyorg_create, post_create
    from dangjian.people.actions import person_create

    school = county["a"]
    org = partyorg_create(actor=system, unit=school, name=f"{school.name}党委", kind="committee")
    people = []
    for n, title in enumerate(TITLES):
        person = person_create(
            actor=system, unit=school, name=NAMES[n], id_number=make_id_number(700 + 2 * n)
        )
        post_create(actor=system, org=org, person=person, title=title, started_on=D(2023, 1, 1))
        people.append(person)
    return {"org": org, "people": people}


@pytest.fixture
def members_of() -> Callable[..., list[Any]]:
    """MemberIn rows for `people`: the first chairs; the first `present` are present."""
    from dangjian.decisions.actions import MemberIn

    def make(people: list[Any], present: int | None = None) -> list[Any]:
        present = len(people) if present is None else present
        return [
            MemberIn(
                name=p.name,
                title="书记" if n == 0 else "委员",
                person=p,
                is_chair=n == 0,
                present=n < present,
                absence_reason="" if n < present else "外出学习",
            )
            for n, p in enumerate(people)
        ]

    return make


@pytest.fixture
def make_item(county: dict[str, Any], secretary_a: Any) -> Callable[..., Any]:
    from dangjian.decisions.actions import item_create

    def make(unit: Any = None, actor: Any = None, **kw: Any) -> Any:
        kw.setdefault("category", "major_matter")
        kw.setdefault("title", "修订学校章程")
        kw.setdefault("content", "根据新修订的法律法规修订学校章程，提交党委会研究。")
        kw.setdefault("steps_done", ["investigation", "opinions", "party_preview"])
        kw.setdefault("planned_meeting_on", MEETING)
        return item_create(actor=actor or secretary_a, unit=unit or county["a"], **kw)

    return make


@pytest.fixture
def filed_item(make_item: Callable[..., Any], secretary_a: Any) -> Callable[..., Any]:
    from dangjian.decisions.actions import item_file

    def make(on: dt.date = FILED, **kw: Any) -> Any:
        item = make_item(**kw)
        return item_file(actor=kw.get("actor") or secretary_a, item=item, on=on)

    return make


@pytest.fixture
def approved_item(filed_item: Callable[..., Any], bureau_admin: Any) -> Callable[..., Any]:
    from dangjian.decisions.actions import item_approve

    def make(approved_on: dt.date | None = None, **kw: Any) -> Any:
        item = filed_item(**kw)
        on = approved_on or item.filed_on + dt.timedelta(days=1)
        return item_approve(actor=bureau_admin, item=item, opinion="同意上会", on=on)

    return make


@pytest.fixture
def decide(
    county: dict[str, Any],
    secretary_a: Any,
    party_a: dict[str, Any],
    members_of: Callable[..., list[Any]],
) -> Callable[..., Any]:
    """A clean party-committee meeting on MEETING for `items`: all seven present, every member
    states a view with the secretary last, 7–0–0."""
    from dangjian.decisions.actions import DecisionIn, OpinionIn, meeting_record

    def make(*items: Any, held_on: dt.date = MEETING, **kw: Any) -> Any:
        members = kw.pop("members", None) or members_of(party_a["people"])
        order = [*range(1, len(members)), 0]
        decisions = [
            DecisionIn(
                item=i,
                opinions=[OpinionIn(member=m, text="同意") for m in order if members[m].present],
                votes_yes=sum(1 for m in members if m.present),
                votes_no=0,
                votes_abstain=0,
                decision="同意。",
            )
            for i in items
        ]
        return meeting_record(
            actor=kw.pop("actor", secretary_a),
            unit=county["a"],
            body=kw.pop("body", "party_org_meeting"),
            held_on=held_on,
            members=members,
            items=decisions,
            **kw,
        )

    return make
