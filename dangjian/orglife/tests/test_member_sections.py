"""The member page's org-life (orglife/member_sections.py) and development
(development/member_sections.py) sections: content, scope, and no query per row."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import count_queries
from dangjian.orglife.actions import AttendanceIn

pytestmark = pytest.mark.django_db


def _day(n: int) -> dt.date:
    """The n-th meeting day of the current year (the section counts this year only)."""
    today = timezone.localdate()
    return dt.date(today.year, 1, 1) + dt.timedelta(days=n % max(1, (today.timetuple().tm_yday)))


def test_orglife_section_counts_this_year_and_links_meetings(
    client, secretary_a, branch_a, members_a, record
):
    me, other = members_a[0], members_a[1]
    m1 = record(branch_a, "theme_day", _day(0), attendance=[AttendanceIn(me, "present")])
    record(branch_a, "party_lecture", _day(1), attendance=[AttendanceIn(me, "excused", "出差")])
    record(
        branch_a, "branch_committee_meeting", _day(2), attendance=[AttendanceIn(me, "absent", "病")]
    )
    record(
        branch_a, "theme_day", dt.date(2020, 5, 5), attendance=[AttendanceIn(me, "absent", "旧")]
    )
    record(branch_a, "theme_day", _day(3), attendance=[AttendanceIn(other, "present")])
    client.force_login(secretary_a)
    body = client.get(reverse("party:member-detail", args=[me.pk])).content.decode()
    assert 'id="section-orglife"' in body and "本年度组织生活" in body
    assert f"{timezone.localdate().year}年共参加登记出勤的会议 <strong>3</strong> 次" in body
    assert reverse("orglife:meeting-detail", args=[m1.pk]) in body
    assert "出差" in body and "旧" not in body
    body = client.get(reverse("party:member-detail", args=[other.pk])).content.decode()
    assert "<strong>1</strong> 次" in body
    body = client.get(reverse("party:member-detail", args=[members_a[2].pk])).content.decode()
    assert "尚无该党员的组织生活出勤记录" in body


def test_orglife_section_shows_last_ten_in_constant_queries(
    client, secretary_a, branch_a, members_a, record
):
    me = members_a[0]
    made = {"n": 0}

    def add(n: int) -> None:
        for _ in range(n):
            made["n"] += 1
            record(branch_a, "theme_day", _day(made["n"]), attendance=[AttendanceIn(me, "present")])

    client.force_login(secretary_a)
    url = reverse("party:member-detail", args=[me.pk])
    client.get(url)
    add(2)
    first = count_queries(lambda: client.get(url))
    add(10)
    second = count_queries(lambda: client.get(url))
    assert first == second
    body = client.get(url).content.decode()
    assert "<strong>12</strong> 次" in body and "仅列出最近10次" in body
    assert len(re.findall(r'href="/orglife/meetings/\d+/"', body)) == 10


def test_development_section_links_the_record(client, secretary_a, secretary_b, system, county):
    from conftest import make_id_number
    from dangjian.development.actions import record_create
    from dangjian.orgs.actions import partyorg_create
    from dangjian.party.actions import member_create
    from dangjian.people.actions import person_create

    branch = partyorg_create(actor=system, unit=county["a"], kind="branch", name="甲发展支部")
    person = person_create(
        actor=system, unit=county["a"], name="发展对象丁", id_number=make_id_number(711, "19900101")
    )
    rec = record_create(actor=system, person=person, branch=branch, applied_on=dt.date(2024, 3, 1))
    member = member_create(
        actor=system,
        person=person,
        branch=branch,
        joined_on=dt.date(2025, 7, 1),
        status="probationary",
    )
    plain = member_create(
        actor=system,
        person=person_create(
            actor=system, unit=county["a"], name="老党员戊", id_number=make_id_number(712)
        ),
        branch=branch,
        joined_on=dt.date(2001, 7, 1),
        status="full",
        full_on=dt.date(2002, 7, 1),
    )
    client.force_login(secretary_a)
    body = client.get(reverse("party:member-detail", args=[member.pk])).content.decode()
    assert 'id="section-development"' in body and "发展党员记录" in body
    assert reverse("development:record-detail", args=[rec.pk]) in body
    assert "入党申请人" in body and "2024年3月1日" in body
    # sections in order: development (40) before org life (50)
    assert body.index('id="section-development"') < body.index('id="section-orglife"')
    body = client.get(reverse("party:member-detail", args=[plain.pk])).content.decode()
    assert 'id="section-development"' not in body
    # school B's secretary cannot open A's member at all
    client.force_login(secretary_b)
    assert client.get(reverse("party:member-detail", args=[member.pk])).status_code == 404


def test_a_transferred_member_brings_the_year_s_attendance(
    client, system, secretary_b, branch_a, branch_b, members_a, record
):
    from dangjian.party.actions import transfer_confirm, transfer_create

    me = members_a[0]
    old = record(branch_a, "theme_day", _day(0), attendance=[AttendanceIn(me, "present")])
    today = timezone.localdate()
    transfer = transfer_create(
        actor=system,
        member=me,
        kind="within",
        letter_number="青组转〔2026〕1号",
        issued_on=today,
        to_branch=branch_b,
    )
    transfer_confirm(actor=system, transfer=transfer, confirmed_on=today)
    client.force_login(secretary_b)
    body = client.get(reverse("party:member-detail", args=[me.pk])).content.decode()
    assert "<strong>1</strong> 次" in body and "青山一中党支部" in body
    # the old branch's meeting is named, not linked: it stays out of the new school's scope
    assert reverse("orglife:meeting-detail", args=[old.pk]) not in body
    assert client.get(reverse("orglife:meeting-detail", args=[old.pk])).status_code == 404
