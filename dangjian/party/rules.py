"""Branch structure (RULES.md §3.2, §3.5) and transfer time limits (§4): pure functions.

Org kinds arrive as their stored strings ("branch", "general_branch", "committee", "group").
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from dangjian.core.dates import add_months, cn_date

# ---- §3: members needed for a branch, when a committee is required, org size thresholds ----

BRANCH_MIN_FULL: Final = 3  # 有正式党员3人以上的，都应当成立党支部
COMMITTEE_MIN_FULL: Final = 7  # 有正式党员7人以上的党支部，应当设立党支部委员会
COMMITTEE_SIZE: Final = (3, 5)  # 支委会由3至5人组成
COMMITTEE_MAX: Final = 7  # 一般不超过7人
BRANCH_MAX_MEMBERS: Final = 50  # 党支部党员人数一般不超过50人
GENERAL_BRANCH_FROM: Final = 50  # 50 to <100 → 党总支 (unconfirmed for schools)
PARTY_COMMITTEE_FROM: Final = 100  # ≥ 100 → 基层党委 (unconfirmed for schools)

KIND_LABELS: Final = {
    "committee": "党委",
    "general_branch": "党总支",
    "branch": "党支部",
    "group": "党小组",
}


def can_stand_alone(full: int) -> bool:
    """Probationary members do not count toward 3."""
    return full >= BRANCH_MIN_FULL


def committee_required(full: int) -> bool:
    """Probationary members do not count toward 7."""
    return full >= COMMITTEE_MIN_FULL


def suggested_kind(members: int) -> str:
    """The usual form for an org of `members` party members (full and probationary)."""
    if members >= PARTY_COMMITTEE_FROM:
        return "committee"
    if members >= GENERAL_BRANCH_FROM:
        return "general_branch"
    return "branch"


def structure_warnings(kind: str, full: int, probationary: int, committee: int) -> list[str]:
    """Warnings for one party org: `full`/`probationary` members it holds (for a general branch
    or committee, with its sub-orgs), `committee` = current committee posts (书记 included)."""
    if kind == "group":
        return []
    out: list[str] = []
    total = full + probationary
    if kind == "branch":
        if not can_stand_alone(full):
            out.append(
                f"正式党员不足{BRANCH_MIN_FULL}人（现有{full}人），不能单独成立党支部，"
                "应与邻近单位成立联合党支部"
            )
        if committee_required(full) and committee < COMMITTEE_SIZE[0]:
            out.append(
                f"正式党员{full}人（{COMMITTEE_MIN_FULL}人以上），应设立支部委员会"
                f"（{COMMITTEE_SIZE[0]}至{COMMITTEE_SIZE[1]}人），现有委员{committee}人"
            )
        if total > BRANCH_MAX_MEMBERS:
            out.append(
                f"党员{total}人，超过党支部一般不超过{BRANCH_MAX_MEMBERS}人的规模，"
                "可分设党支部或报批设立党总支"
            )
    if committee > COMMITTEE_MAX:
        out.append(f"委员{committee}人，支部委员会一般不超过{COMMITTEE_MAX}人")
    if kind in ("general_branch", "committee"):
        usual = suggested_kind(total)
        if usual != kind:
            out.append(
                f"党员{total}人，一般设立{KIND_LABELS[usual]}"
                f"（党员{GENERAL_BRANCH_FROM}至{PARTY_COMMITTEE_FROM - 1}人设党总支，"
                f"{PARTY_COMMITTEE_FROM}人以上设基层党委），现为{KIND_LABELS[kind]}"
            )
    return out


# ---- §4: transfer letters ----

LETTER_DEFAULT_MONTHS: Final = 3  # setting transfer_letter_default_months
LETTER_MAX_MONTHS: Final = 6  # the platform refuses a longer validity
RELOCATE_AFTER_MONTHS: Final = 6  # away ≥ 6 months at a fixed place → transfer
LOST_CONTACT_MONTHS: Final = 6  # no contact ≥ 6 months → 停止党籍 procedure


def default_valid_until(issued_on: dt.date, months: int = LETTER_DEFAULT_MONTHS) -> dt.date:
    return add_months(issued_on, months)


def valid_until_error(
    issued_on: dt.date, valid_until: dt.date, max_months: int = LETTER_MAX_MONTHS
) -> str | None:
    """Why a letter's validity is refused, or None."""
    if valid_until < issued_on:
        return "不能早于开具日期"
    latest = add_months(issued_on, max_months)
    if valid_until > latest:
        return f"有效期不能超过开具日期后{max_months}个月（最迟{cn_date(latest)}）"
    return None


def letter_expired(valid_until: dt.date, as_of: dt.date) -> bool:
    """Not accepted by the last valid day: expired from the next day on (§0.1)."""
    return as_of > valid_until


def dues_start_month(paid_until: dt.date) -> dt.date:
    """The first month the receiving org collects dues: the month after 党费交到."""
    return add_months(paid_until.replace(day=1), 1)


def relocation_due(away_since: dt.date, fixed_place: bool, as_of: dt.date) -> bool:
    """Away at a fairly fixed place for 6 months or more: transfer the relationship."""
    return fixed_place and as_of >= add_months(away_since, RELOCATE_AFTER_MONTHS)


def lost_contact_due(last_contact: dt.date, as_of: dt.date) -> bool:
    """No contact for 6 months or more: prompt the 停止党籍 procedure (never automatic)."""
    return as_of >= add_months(last_contact, LOST_CONTACT_MONTHS)


PROBATION_MONTHS: Final = 12


def probation_ends(joined_on: dt.date) -> dt.date:
    """预备期满: one year from the branch meeting's admission (RULES.md §2, 党章第七条)."""
    return add_months(joined_on, PROBATION_MONTHS)
