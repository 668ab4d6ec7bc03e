"""RULES.md §1 (party dues): the vectors of §1.7 copied verbatim with their labels, and the
other fixed points of §1.3–§1.6."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dangjian.dues import rules
from dangjian.dues.rules import DuesRuleError, Level

# | # | category | monthly base (元) | expected rate | expected dues (元) |
RATE_VECTORS = [
    ("D1", "on_post", "2800.00", "0.5%", "14.00"),
    ("D2", "on_post", "3000.00", "0.5%", "15.00"),
    ("D3", "on_post", "3000.01", "1%", "30.00"),
    ("D4", "on_post", "5000.00", "1%", "50.00"),
    ("D5", "on_post", "5000.01", "1.5%", "75.00"),
    ("D6", "on_post", "10000.00", "1.5%", "150.00"),
    ("D7", "on_post", "12345.67", "2%", "246.91"),
    ("D8", "retired", "5000.00", "0.5%", "25.00"),
    ("D9", "retired", "6200.00", "1%", "62.00"),
    ("D10", "student", "(any)", "fixed", "0.20"),
]


def _percent(text: str) -> Decimal | None:
    return None if text == "fixed" else Decimal(text.rstrip("%")) / 100


@pytest.mark.parametrize(("label", "category", "base", "rate", "dues"), RATE_VECTORS)
def test_rate_vectors(label, category, base, rate, dues):
    income = None if base == "(any)" else Decimal(base)
    result = rules.monthly_dues(category, income)
    assert result.rate == _percent(rate), label
    assert result.amount == Decimal(dues), label
    assert result.rule_version == "dues_rate_table=2008"


@pytest.mark.parametrize("category", ["student", "unemployed", "relief", "dibao"])
def test_fixed_small_amount_ignores_income(category):
    # §1.6 "Student members: 0.20 regardless of stipends/scholarships"
    assert rules.monthly_dues(category, Decimal("8000")).amount == Decimal("0.20")


@pytest.mark.parametrize("category", ["annual_salary", "self_employed"])
def test_same_bands_as_on_post(category):
    assert rules.monthly_dues(category, Decimal("5000.01")).amount == Decimal("75.00")
    assert rules.monthly_dues(category, Decimal("3000.00")).amount == Decimal("15.00")


def test_cliff_at_band_edge():
    # §1.6 "note the cliff (3000.00 → 15.00; 3000.01 → 30.00)"
    assert rules.monthly_dues("on_post", Decimal("3000.00")).amount == Decimal("15.00")
    assert rules.monthly_dues("on_post", Decimal("3000.01")).amount == Decimal("30.00")


def test_rate_is_flat_on_the_whole_base():
    # §1.1: not progressive like income tax
    assert rules.monthly_dues("on_post", Decimal("10000.01")).amount == Decimal("200.00")


def test_rounding_is_half_up_to_the_fen():
    # §0.4: 2345.00 × 0.5% = 11.725 → 11.73 (banker's rounding would give 11.72)
    assert rules.monthly_dues("on_post", Decimal("2345.00")).amount == Decimal("11.73")
    assert rules.round_fen(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize("base", [None, Decimal("0"), Decimal("-1")])
def test_missing_base_is_an_error_not_zero(base):
    # §1.6 "Base 0 or missing for an on_post member: error 党费基数未核定, not 0 dues"
    with pytest.raises(DuesRuleError) as exc:
        rules.monthly_dues("on_post", base)
    assert exc.value.field == "monthly_base"
    assert "党费基数未核定" in exc.value.message


def test_unknown_category_is_refused():
    with pytest.raises(DuesRuleError) as exc:
        rules.monthly_dues("pensioner", Decimal("100"))
    assert exc.value.field == "kind"


def test_farmer_amount_is_set_by_the_branch_within_range():
    assert rules.monthly_dues("farmer").amount == Decimal("0.20")
    assert rules.monthly_dues("farmer", fixed_amount=Decimal("1.00")).amount == Decimal("1.00")
    for bad in (Decimal("0.10"), Decimal("1.01")):
        with pytest.raises(DuesRuleError):
            rules.monthly_dues("farmer", fixed_amount=bad)


def test_income_base_tax_only_and_with_social_insurance():
    # §1.4 dues_base_deductions: tax_only (default) / tax_and_social_insurance
    assert rules.income_base(Decimal("6000"), Decimal("120"), Decimal("900")) == Decimal("5880.00")
    assert rules.income_base(
        Decimal("6000"), Decimal("120"), Decimal("900"), "tax_and_social_insurance"
    ) == Decimal("4980.00")
    with pytest.raises(DuesRuleError):
        rules.income_base(Decimal("100"), Decimal("100"))


def test_probationary_member_pays_from_the_month_of_admission():
    # §1.3 "the first dues month is the calendar month that contains that date"
    assert rules.first_dues_month(dt.date(2024, 3, 20)) == dt.date(2024, 3, 1)
    assert rules.first_dues_month(dt.date(2024, 3, 31)) == dt.date(2024, 3, 1)


def test_approved_reduction_and_exemption_set_the_expected_amount():
    assert rules.expected_amount(Decimal("50.00")) == Decimal("50.00")
    assert rules.expected_amount(Decimal("50.00"), "exemption") == Decimal("0.00")
    assert rules.expected_amount(Decimal("50.00"), "reduction", Decimal("10")) == Decimal("10.00")
    assert rules.expected_amount(Decimal("50.00"), "deferral") == Decimal("50.00")
    with pytest.raises(DuesRuleError):
        rules.expected_amount(Decimal("50.00"), "reduction", None)


def test_voluntary_payment_of_1000_goes_to_the_centre():
    assert rules.remitted_to_centre(Decimal("1000.00"), voluntary_extra=True)
    assert not rules.remitted_to_centre(Decimal("999.99"), voluntary_extra=True)
    assert not rules.remitted_to_centre(Decimal("5000.00"), voluntary_extra=False)


def test_to_money_parses_and_refuses():
    assert rules.to_money("5,000.5") == Decimal("5000.5")
    for bad in ("abc", "-1", "1.001", "NaN"):
        with pytest.raises(DuesRuleError):
            rules.to_money(bad)


# ---- §1.5 arrears ----

M = dt.date
JAN_2024 = M(2024, 1, 1)

# | # | arrears input | expected |
ARREARS_VECTORS = [
    (
        "A1",
        "last paid month 2024-01, as_of 2024-04-30",
        JAN_2024,
        {JAN_2024},
        set(),
        M(2024, 4, 30),
        2,
        Level.OK,
    ),
    (
        "A2",
        "last paid month 2024-01, as_of 2024-05-01",
        JAN_2024,
        {JAN_2024},
        set(),
        M(2024, 5, 1),
        3,
        Level.WARNING,
    ),
    (
        "A3",
        "last paid month 2024-01, as_of 2024-08-01",
        JAN_2024,
        {JAN_2024},
        set(),
        M(2024, 8, 1),
        6,
        Level.FLAG,
    ),
    (
        "A4",
        "admitted (支部大会) 2024-03-20, never paid, as_of 2024-09-01",
        rules.first_dues_month(M(2024, 3, 20)),
        set(),
        set(),
        M(2024, 9, 1),
        6,
        Level.FLAG,
    ),
    (
        "A5",
        "last paid 2024-01; approved exemption for 2024-03..2024-12; as_of 2025-01-15",
        JAN_2024,
        {JAN_2024},
        set(rules.months(M(2024, 3, 1), M(2024, 12, 1))),
        M(2025, 1, 15),
        0,
        Level.OK,
    ),
]


@pytest.mark.parametrize(
    ("label", "text", "start", "settled", "exempt", "as_of", "streak", "level"), ARREARS_VECTORS
)
def test_arrears_vectors(label, text, start, settled, exempt, as_of, streak, level):
    got = rules.unpaid_streak(start, settled, exempt, as_of)
    assert got == streak, f"{label}: {text}"
    assert rules.arrears_level(got) == level, label


def test_a1_counts_february_and_march():
    assert rules.unpaid_months(JAN_2024, {JAN_2024}, (), M(2024, 4, 30)) == [
        M(2024, 2, 1),
        M(2024, 3, 1),
    ]


def test_a4_dues_start_is_march():
    assert rules.unpaid_months(M(2024, 3, 1), (), (), M(2024, 9, 1))[0] == M(2024, 3, 1)


def test_a5_lone_february_stays_listed_as_unpaid():
    exempt = set(rules.months(M(2024, 3, 1), M(2024, 12, 1)))
    assert rules.unpaid_months(JAN_2024, {JAN_2024}, exempt, M(2025, 1, 15)) == [M(2024, 2, 1)]


def test_paying_arrears_clears_the_streak():
    # §1.5 "Paying the arrears later (补交) clears the current streak"
    paid = set(rules.months(JAN_2024, M(2024, 7, 1)))
    assert rules.unpaid_streak(JAN_2024, paid, (), M(2024, 8, 1)) == 0


def test_prepaid_months_are_not_unpaid():
    prepaid = set(rules.months(JAN_2024, M(2024, 12, 1)))
    assert rules.unpaid_streak(JAN_2024, prepaid, (), M(2024, 10, 1)) == 0


def test_due_day_setting_moves_the_due_date():
    # dues_due_day: the month's dues due by day 15 → April is overdue on 16 April
    assert rules.due_date(M(2024, 2, 1)) == M(2024, 2, 29)
    assert rules.due_date(M(2024, 2, 1), 31) == M(2024, 2, 29)
    assert rules.unpaid_streak(JAN_2024, {JAN_2024}, (), M(2024, 4, 16), due_day=15) == 3
    assert rules.unpaid_streak(JAN_2024, {JAN_2024}, (), M(2024, 4, 15), due_day=15) == 2


def test_custom_thresholds():
    assert rules.arrears_level(2, warn=2, flag=4) == Level.WARNING
    assert rules.arrears_level(4, warn=2, flag=4) == Level.FLAG
