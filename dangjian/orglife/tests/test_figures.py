"""Fixed-data tests of the orglife figures: value, rows and breakdown agree."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.core import figures
from dangjian.core.periods import Period

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def data(county, branch_a, branch_b, members_a, make_members, record):
    make_members(branch_b, 2)
    record(
        branch_a,
        "theme_day",
        D(2025, 1, 10),
        also_counts_as=["first_topic", "branch_general_meeting"],
    )
    record(branch_a, "branch_committee_meeting", D(2025, 1, 12))
    record(branch_a, "theme_day", D(2025, 2, 10))  # no committee meeting in February
    record(branch_a, "party_lecture", D(2025, 3, 1), host=None)
    record(branch_b, "theme_day", D(2025, 1, 20))
    record(branch_b, "first_topic", D(2025, 2, 3))
    record(branch_b, "theme_day", D(2024, 12, 20))  # outside the period
    return county


def test_meetings_by_kind(data):
    p, bureau = Period.year(2025), data["bureau"]
    assert figures.value("meetings_by_kind", bureau, p) == 6
    by_kind = {k: v for k, _, v in figures.breakdown("meetings_by_kind", bureau, p)}
    assert (
        by_kind["theme_day"] == 3 and by_kind["first_topic"] == 1 and by_kind["party_lecture"] == 1
    )
    assert figures.value("meetings_by_kind", data["a"], p) == 4


def test_first_topic_and_theme_days(data):
    p = Period.year(2025)
    assert figures.value("first_topic_sessions", data["bureau"], p) == 2  # one combined, one alone
    assert figures.value("theme_days", data["bureau"], p) == 3
    assert figures.value("theme_days", data["b"], Period.month(2024, 12)) == 1


def test_compliance_counts(data):
    # 2025 is over: every month is judged. A (8 full: committee required) met January only;
    # B (2 full members: theme day alone) met January. Each branch has 12 branch-months.
    p = Period.year(2025)
    assert figures.value("branch_months", data["bureau"], p) == 24
    assert figures.value("compliant_branch_months", data["bureau"], p) == 2
    rows = figures.rows("compliant_branch_months", data["bureau"], p)
    assert {r.name: r.figure_months for r in rows} == {"青山一中党支部": 1, "城关小学党支部": 1}
    q1 = Period.inclusive(D(2025, 1, 1), D(2025, 3, 31))
    assert figures.value("branch_months", data["a"], q1) == 3
    assert figures.value("compliant_branch_months", data["a"], q1) == 1
