"""RULES.md §3 (branch structure) and §4 (transfers): the vectors, copied with their labels."""

from __future__ import annotations

import datetime as dt

import pytest

from dangjian.party import rules

D = dt.date

# ---- RULES.md §4.4 Test vectors ----


def test_t1_default_valid_until():
    # T1 | letter issued 2024-03-10, no `valid_until` given | default valid_until 2024-06-10
    assert rules.default_valid_until(D(2024, 3, 10)) == D(2024, 6, 10)


def test_t2_valid_until_more_than_six_months_rejected():
    # T2 | letter issued 2024-03-10, valid_until 2024-10-01 | reject (> 6 months)
    error = rules.valid_until_error(D(2024, 3, 10), D(2024, 10, 1))
    assert error == "有效期不能超过开具日期后6个月（最迟2024年9月10日）"


def test_t3_not_accepted_by_valid_until_is_expired():
    # T3 | issued 2024-03-10, valid_until 2024-06-10, not accepted, as_of 2024-06-11
    #    | status expired; alert both orgs
    assert rules.valid_until_error(D(2024, 3, 10), D(2024, 6, 10)) is None
    assert rules.letter_expired(D(2024, 6, 10), D(2024, 6, 11))
    assert not rules.letter_expired(D(2024, 6, 10), D(2024, 6, 10))  # the whole last day counts


def test_t4_six_months_at_a_fixed_place_prompts_transfer():
    # T4 | member seconded elsewhere from 2024-01-05, fixed place; as_of 2024-07-05
    #    | prompt: transfer relationship (6 months reached)
    assert rules.relocation_due(D(2024, 1, 5), True, D(2024, 7, 5))
    assert not rules.relocation_due(D(2024, 1, 5), True, D(2024, 7, 4))
    assert not rules.relocation_due(D(2024, 1, 5), False, D(2024, 7, 5))


def test_t5_dues_at_the_new_org_start_the_month_after():
    # T5 | 党费交到 2024-05 on a letter accepted 2024-06-20 | dues at the new org start with 2024-06
    assert rules.dues_start_month(D(2024, 5, 1)) == D(2024, 6, 1)
    assert rules.dues_start_month(D(2024, 12, 31)) == D(2025, 1, 1)


def test_t6_lost_contact_six_months_prompts_suspension():
    # T6 | last contact 2023-12-01, as_of 2024-06-01 | prompt 停止党籍 procedure
    assert rules.lost_contact_due(D(2023, 12, 1), D(2024, 6, 1))
    assert not rules.lost_contact_due(D(2023, 12, 1), D(2024, 5, 31))


@pytest.mark.parametrize(
    ("issued", "valid_until", "error"),
    [
        (D(2024, 3, 10), D(2024, 9, 10), None),  # exactly 6 months: allowed
        (D(2024, 3, 10), D(2024, 9, 11), "有效期不能超过开具日期后6个月（最迟2024年9月10日）"),
        (D(2024, 3, 10), D(2024, 3, 9), "不能早于开具日期"),
        (D(2024, 8, 31), D(2025, 2, 28), None),  # §0.2: month end clamps
    ],
)
def test_letter_validity_edges(issued, valid_until, error):
    assert rules.valid_until_error(issued, valid_until) == error


def test_default_valid_until_clamps_month_end():
    assert rules.default_valid_until(D(2023, 11, 30)) == D(2024, 2, 29)


# ---- RULES.md §3.6 Test vectors (the structure part) ----


def test_o6_six_full_and_four_probationary_need_no_committee():
    # O6 | branch with 6 full + 4 probationary | no committee required;
    #    committee-meeting check not_applicable
    assert not rules.committee_required(6)
    assert rules.structure_warnings("branch", 6, 4, 1) == []


# ---- RULES.md §3.5 / §3.2 text: 3 and 7 full members, committee size, 50 / 100 ----


@pytest.mark.parametrize(
    ("kind", "full", "probationary", "committee", "expected"),
    [
        # "Full members < 3: cannot be a standalone branch"; probationary do not count
        (
            "branch",
            2,
            5,
            1,
            ["正式党员不足3人（现有2人），不能单独成立党支部，应与邻近单位成立联合党支部"],
        ),
        ("branch", 3, 0, 1, []),
        # "Full members ≥ 7: a committee of 3–5 (≤ 7) must exist"
        (
            "branch",
            7,
            0,
            1,
            ["正式党员7人（7人以上），应设立支部委员会（3至5人），现有委员1人"],
        ),
        ("branch", 7, 0, 3, []),
        ("branch", 20, 0, 8, ["委员8人，支部委员会一般不超过7人"]),
        # a branch generally has ≤ 50 members
        (
            "branch",
            45,
            6,
            5,
            ["党员51人，超过党支部一般不超过50人的规模，可分设党支部或报批设立党总支"],
        ),
        ("branch", 45, 5, 5, []),
        # 50 to < 100 → 党总支, ≥ 100 → 基层党委
        ("general_branch", 60, 0, 5, []),
        (
            "general_branch",
            95,
            5,
            5,
            ["党员100人，一般设立党委（党员50至99人设党总支，100人以上设基层党委），现为党总支"],
        ),
        (
            "committee",
            30,
            0,
            5,
            ["党员30人，一般设立党支部（党员50至99人设党总支，100人以上设基层党委），现为党委"],
        ),
        ("committee", 120, 4, 7, []),
        ("group", 1, 0, 0, []),
    ],
)
def test_structure_warnings(kind, full, probationary, committee, expected):
    assert rules.structure_warnings(kind, full, probationary, committee) == expected


@pytest.mark.parametrize(
    ("members", "kind"),
    [
        (0, "branch"),
        (49, "branch"),
        (50, "general_branch"),
        (99, "general_branch"),
        (100, "committee"),
    ],
)
def test_suggested_kind_thresholds(members, kind):
    assert rules.suggested_kind(members) == kind


def test_standalone_and_committee_thresholds_include_the_boundary():
    # §0.3: "以上" includes the boundary number
    assert not rules.can_stand_alone(2) and rules.can_stand_alone(3)
    assert not rules.committee_required(6) and rules.committee_required(7)


@pytest.mark.parametrize(
    ("joined", "ends"),
    [  # RULES.md §2: one year from the admission meeting, clamped like §0.2
        (dt.date(2024, 3, 15), dt.date(2025, 3, 15)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),
    ],
)
def test_probation_ends_one_year_after_admission(joined, ends):
    assert rules.probation_ends(joined) == ends
