"""RULES.md §7.2 and the §7.4 vectors S1–S5, copied with their labels."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.rectification import rules
from dangjian.rectification.rules import Level

D = dt.date


@pytest.mark.parametrize(
    ("severity", "found_on", "deadline"),
    [
        ("general", D(2024, 5, 6), D(2024, 5, 21)),  # S1 general finding created 2024-05-06
        ("minor", D(2024, 5, 6), D(2024, 5, 13)),
        ("serious", D(2024, 5, 6), D(2024, 6, 5)),
        ("serious", D(2024, 2, 15), D(2024, 3, 16)),  # leap February counts 29 days
    ],
)
def test_default_deadline(severity, found_on, deadline):
    assert rules.default_deadline(severity, found_on) == deadline


# label, deadline, as_of, reopen_count → overdue_days, level, notify, accountability prompt
ESCALATION_VECTORS = [
    ("before", D(2024, 5, 21), D(2024, 5, 20), 0, 0, Level.NONE, (), False),
    ("deadline day", D(2024, 5, 21), D(2024, 5, 21), 0, 0, Level.NONE, (), False),
    ("S2", D(2024, 5, 21), D(2024, 5, 22), 0, 1, Level.OVERDUE, ("secretary",), False),
    ("S3 eve", D(2024, 5, 21), D(2024, 5, 28), 0, 7, Level.OVERDUE, ("secretary",), False),
    (
        "S3",
        D(2024, 5, 21),
        D(2024, 5, 29),
        0,
        8,
        Level.DISTRICT,
        ("secretary", "district", "liaison"),
        False,
    ),
    (
        "S4 eve",
        D(2024, 5, 21),
        D(2024, 6, 5),
        0,
        15,
        Level.DISTRICT,
        ("secretary", "district", "liaison"),
        False,
    ),
    (
        "S4",
        D(2024, 5, 21),
        D(2024, 6, 6),
        0,
        16,
        Level.BUREAU,
        ("secretary", "district", "liaison", "bureau", "discipline"),
        True,
    ),
    (
        "re-opened twice",
        D(2024, 6, 30),
        D(2024, 6, 1),
        2,
        0,
        Level.BUREAU,
        ("secretary", "district", "liaison", "bureau", "discipline"),
        True,
    ),
]


@pytest.mark.parametrize(
    ("label", "deadline", "as_of", "reopens", "days", "level", "notify", "prompt"),
    ESCALATION_VECTORS,
    ids=[v[0] for v in ESCALATION_VECTORS],
)
def test_escalate(label, deadline, as_of, reopens, days, level, notify, prompt):
    esc = rules.escalate(deadline, as_of, reopens)
    assert (esc.overdue_days, esc.level, esc.notify, esc.accountability_prompt) == (
        days,
        level,
        notify,
        prompt,
    )


@pytest.mark.parametrize(
    ("as_of", "level"),
    [
        (D(2024, 5, 22), Level.OVERDUE),
        (D(2024, 5, 29), Level.DISTRICT),
        (D(2024, 6, 6), Level.BUREAU),
    ],
)
def test_thresholds_agree_with_escalate(as_of, level):
    """The database filter's date bounds put S2–S4 at the same level as escalate()."""
    bounds = rules.level_thresholds(as_of)
    deadline = D(2024, 5, 21)
    assert deadline <= bounds[level]
    if level < Level.BUREAU:
        assert deadline > bounds[Level(level + 1)]


def test_s5_reopened_deadline():
    # S5 submitted, rejected on 2024-05-25 → new deadline 2024-06-09 (general: 15 days)
    assert rules.reopened_deadline(D(2024, 5, 25), rules.period_days("general")) == D(2024, 6, 9)


def test_deadline_may_only_be_shortened():
    assert rules.deadline_allowed("general", D(2024, 5, 6), D(2024, 5, 10))
    assert rules.deadline_allowed("general", D(2024, 5, 6), D(2024, 5, 21))
    assert not rules.deadline_allowed("general", D(2024, 5, 6), D(2024, 5, 22))
    assert not rules.deadline_allowed("general", D(2024, 5, 6), D(2024, 5, 5))


def test_recurrent_within_twelve_months():
    verified = [D(2023, 6, 1)]
    assert rules.is_recurrent(D(2024, 6, 1), verified)
    assert not rules.is_recurrent(D(2024, 6, 2), verified)
    assert not rules.is_recurrent(D(2023, 5, 31), verified)
    assert not rules.is_recurrent(D(2024, 1, 1), [])
