"""Party dues (RULES.md §1): rate table, monthly amount, first dues month, approved reductions,
income base and arrears. Pure: plain values in and out, no database, no clock."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Final

# RULES.md §0.6: stored on every computed charge so a later rate change does not rewrite history
RULE_VERSION: Final = "dues_rate_table=2008"
FEN: Final = Decimal("0.01")

RateTable = tuple[tuple[Decimal | None, Decimal], ...]  # (inclusive upper edge, rate)

# 中组发〔2008〕3号: each upper edge is inclusive in the lower band (§1.3)
ON_POST_RATES: Final[RateTable] = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
RETIRED_RATES: Final[RateTable] = (
    (Decimal("5000"), Decimal("0.005")),
    (None, Decimal("0.01")),
)
FIXED_AMOUNT: Final = Decimal("0.20")
FARMER_MIN: Final = Decimal("0.20")
FARMER_MAX: Final = Decimal("1.00")
VOLUNTARY_TO_CENTRE: Final = Decimal("1000")  # a single voluntary payment ≥ this (unconfirmed)

WARN_MONTHS: Final = 3  # §1.5 warning (platform policy)
FLAG_MONTHS: Final = 6  # §1.5 flag possible_self_withdrawal (党章第九条)
FLAG_CODE: Final = "possible_self_withdrawal"


class Category(StrEnum):
    """The member's dues category (party.PartyMember.DuesCategory values)."""

    ON_POST = "on_post"
    ANNUAL_SALARY = "annual_salary"
    SELF_EMPLOYED = "self_employed"
    RETIRED = "retired"
    FARMER = "farmer"
    STUDENT = "student"
    UNEMPLOYED = "unemployed"
    RELIEF = "relief"
    DIBAO = "dibao"


BANDED: Final[dict[Category, RateTable]] = {
    Category.ON_POST: ON_POST_RATES,
    Category.ANNUAL_SALARY: ON_POST_RATES,
    Category.SELF_EMPLOYED: ON_POST_RATES,
    Category.RETIRED: RETIRED_RATES,
}
FIXED: Final = frozenset({Category.STUDENT, Category.UNEMPLOYED, Category.RELIEF, Category.DIBAO})


class BaseDeductions(StrEnum):
    """§1.4 `dues_base_deductions`: what is taken off the regular pay to give the base."""

    TAX_ONLY = "tax_only"
    TAX_AND_SOCIAL_INSURANCE = "tax_and_social_insurance"


class ExemptionKind(StrEnum):
    REDUCTION = "reduction"  # 减交: the approved amount (> 0) is expected
    EXEMPTION = "exemption"  # 免交: 0 is expected
    DEFERRAL = "deferral"  # 正当理由 (abroad, seriously ill): amount unchanged, not a streak


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FLAG = "flag"


class DuesRuleError(ValueError):
    """An input the rules cannot compute from; `field` names it, `message` is Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Dues:
    category: Category
    base: Decimal | None
    rate: Decimal | None  # None: a fixed amount
    amount: Decimal
    rule_version: str = RULE_VERSION


def round_fen(value: Decimal) -> Decimal:
    """Half-up to the fen (§0.4)."""
    return value.quantize(FEN, ROUND_HALF_UP)


def to_money(value: object, field: str = "monthly_base", label: str = "党费基数") -> Decimal:
    """A decimal of at most two places, ≥ 0, from text or a number (for forms and the API)."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise DuesRuleError(field, f"「{label}」：请输入金额，如5000.00") from exc
    if not amount.is_finite():
        raise DuesRuleError(field, f"「{label}」：请输入金额，如5000.00")
    if amount < 0:
        raise DuesRuleError(field, f"「{label}」：不能为负数")
    if amount != amount.quantize(FEN):
        raise DuesRuleError(field, f"「{label}」：最多两位小数")
    return amount


def rate_for(base: Decimal, table: RateTable = ON_POST_RATES) -> Decimal:
    """The flat rate of the band containing `base` (upper edges inclusive)."""
    return next(rate for limit, rate in table if limit is None or base <= limit)


def monthly_dues(
    category: str,
    base: Decimal | None = None,
    fixed_amount: Decimal | None = None,
) -> Dues:
    """The monthly amount for a category: banded on the whole base, or a fixed small amount."""
    try:
        cat = Category(category)
    except ValueError as exc:
        raise DuesRuleError("kind", "「党费类别」：不是有效的选项") from exc
    if cat in BANDED:
        if base is None or base <= 0:
            raise DuesRuleError("monthly_base", "「党费基数」：党费基数未核定")
        rate = rate_for(base, BANDED[cat])
        return Dues(cat, base, rate, round_fen(base * rate))
    if cat == Category.FARMER:
        amount = FARMER_MIN if fixed_amount is None else fixed_amount
        if not FARMER_MIN <= amount <= FARMER_MAX:
            raise DuesRuleError("fixed_amount", "「固定金额」：农民党员每月交纳0.20元至1.00元")
        return Dues(cat, None, None, round_fen(amount))
    return Dues(cat, None, None, FIXED_AMOUNT)


def income_base(
    regular_pay: Decimal,
    income_tax: Decimal = Decimal("0"),
    social_insurance: Decimal = Decimal("0"),
    deductions: str = BaseDeductions.TAX_ONLY,
) -> Decimal:
    """§1.4: the regular monthly pay after income tax (and, where the bureau says so, after the
    member's own social-insurance and housing-fund contributions)."""
    base = regular_pay - income_tax
    if BaseDeductions(deductions) == BaseDeductions.TAX_AND_SOCIAL_INSURANCE:
        base -= social_insurance
    if base <= 0:
        raise DuesRuleError("monthly_base", "「党费基数」：扣除后的基数须大于0")
    return round_fen(base)


def expected_amount(
    dues: Decimal, kind: str | None = None, approved: Decimal | None = None
) -> Decimal:
    """The amount expected for a month after an approved reduction or exemption (§1.3)."""
    if kind is None or ExemptionKind(kind) == ExemptionKind.DEFERRAL:
        return dues
    if ExemptionKind(kind) == ExemptionKind.EXEMPTION:
        return Decimal("0.00")
    if approved is None or approved <= 0:
        raise DuesRuleError("approved_amount", "「批准金额」：减交须填写大于0的批准金额")
    return round_fen(approved)


def remitted_to_centre(amount: Decimal, voluntary_extra: bool) -> bool:
    """A single voluntary payment of 1000 元 or more is remitted entirely to the Centre."""
    return voluntary_extra and amount >= VOLUNTARY_TO_CENTRE


# ---- months ----


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def first_dues_month(admitted_on: dt.date) -> dt.date:
    """A probationary member pays from the admission day: the calendar month containing it."""
    return month_of(admitted_on)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(month: dt.date) -> dt.date:
    return dt.date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month from `first` to `last`, both included."""
    out: list[dt.date] = []
    m = month_of(first)
    while m <= last:
        out.append(m)
        m = next_month(m)
    return out


def due_date(month: dt.date, due_day: int | None = None) -> dt.date:
    """Month M is due by its last day (`dues_due_day` None), or by day `due_day` of M."""
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=last if due_day is None else min(due_day, last))


def latest_overdue_month(as_of: dt.date, due_day: int | None = None) -> dt.date:
    """The latest month whose due date lies before `as_of`."""
    month = month_of(as_of)
    while due_date(month, due_day) >= as_of:
        month = previous_month(month)
    return month


def unpaid_months(
    start: dt.date,
    settled: Iterable[dt.date],
    excused: Iterable[dt.date],
    as_of: dt.date,
    due_day: int | None = None,
) -> list[dt.date]:
    """Overdue months from `start` that are neither settled (paid, prepaid, exempt) nor excused
    (a recorded proper reason): the 欠缴 months, oldest first."""
    done = set(settled) | set(excused)
    last = latest_overdue_month(as_of, due_day)
    return [m for m in months(month_of(start), last) if m not in done]


def unpaid_streak(
    start: dt.date,
    settled: Iterable[dt.date],
    excused: Iterable[dt.date],
    as_of: dt.date,
    due_day: int | None = None,
) -> int:
    """Consecutive overdue months, counting back from the latest overdue one, that are neither
    settled nor excused; months before `start` (the dues start) do not count (§1.5)."""
    done = set(settled) | set(excused)
    month = latest_overdue_month(as_of, due_day)
    start = month_of(start)
    streak = 0
    while month >= start and month not in done:
        streak += 1
        month = previous_month(month)
    return streak


def arrears_level(streak: int, warn: int = WARN_MONTHS, flag: int = FLAG_MONTHS) -> Level:
    if streak >= flag:
        return Level.FLAG
    if streak >= warn:
        return Level.WARNING
    return Level.OK
