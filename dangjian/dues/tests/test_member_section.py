"""The dues section of the party member page: this year's months, the streak, no N+1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from dangjian.dues import actions, queries, rules
from dangjian.dues.models import DuesCharge


def _section(html: str) -> str:
    start = html.index('id="section-dues"')
    return html[start : html.index('<div class="card mb-3"', start)]


def test_section_shows_the_year_and_the_streak(
    client, secretary_a, branch_a, make_member, set_bases
):
    member = make_member(branch_a, name="欧阳明")
    set_bases(member)
    today = timezone.localdate()
    client.force_login(secretary_a)
    html = client.get(reverse("party:member-detail", args=[member.pk])).content.decode()
    section = _section(html)
    assert "党费缴纳" in section
    assert reverse("dues:member-detail", args=[member.pk]) in section
    assert f"{today.year}年 应交" in section
    streak = queries.streaks(type(member).objects.filter(pk=member.pk), today)[member.pk]
    assert streak >= 8  # bases cover the last eight overdue months, none paid
    assert f"连续{streak}个月未交" in section and "bg-red-lt" in section
    months = DuesCharge.objects.filter(member=member, month__year=today.year).count()
    assert section.count("<tr><td") == months


def test_member_year_sums_expected_received_and_overdue_unpaid(system, branch_a, make_member):
    member = make_member(branch_a)
    actions.dues_base_set(actor=system, member=member, year=2026, monthly_base=Decimal("5000.01"))
    actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(2026, 1, 1), dt.date(2026, 2, 1)],
        method="cash",
        paid_on=dt.date(2026, 2, 5),
    )
    actions.dues_payment_create(
        actor=system,
        member=member,
        months=[dt.date(2026, 3, 1)],
        method="cash",
        paid_on=dt.date(2026, 3, 5),
        amount=Decimal("30.00"),
    )
    year = queries.member_year(member, dt.date(2026, 5, 15))  # Jan–Apr overdue
    assert (year["expected"], year["received"]) == (Decimal("900.00"), Decimal("180.00"))
    assert year["unpaid"] == Decimal("45.00") + Decimal("75.00")  # March short, April unpaid
    assert year["streak"] == 2 and year["level"] == rules.Level.OK.value
    labels = [m.status[1] for m in year["months"][:6]]
    assert labels == ["已交清", "已交清", "未交足", "未交", "未到期", "未到期"]


def test_member_without_a_base_gets_a_hint(client, secretary_a, branch_a, make_member):
    member = make_member(branch_a)
    client.force_login(secretary_a)
    html = client.get(reverse("party:member-detail", args=[member.pk])).content.decode()
    assert "尚未核定" in _section(html)


def test_section_queries_constant(
    client, secretary_a, branch_a, make_member, set_bases, system, assert_constant_queries
):
    member = make_member(branch_a)
    set_bases(member)
    today = timezone.localdate()
    unpaid = iter(rules.months(dt.date(today.year, 1, 1), dt.date(today.year, 12, 1)))

    def add(n):
        for _ in range(n):
            actions.dues_payment_create(
                actor=system, member=member, months=[next(unpaid)], method="cash", paid_on=today
            )

    client.force_login(secretary_a)
    assert_constant_queries(client, reverse("party:member-detail", args=[member.pk]), add)
