"""Chinese resident identity numbers, GB 11643-1999 (RULES.md §8). Pure: no Django, no clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS: Final = "10X98765432"
PROVINCE_CODES: Final = frozenset(
    [
        *range(11, 16),
        *range(21, 24),
        *range(31, 38),
        *range(41, 47),
        *range(50, 55),
        *range(61, 66),
        71,
        81,
        82,
        83,
    ]
)
EARLIEST_BIRTH: Final = dt.date(1900, 1, 1)
_FULLWIDTH: Final = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


@dataclass(frozen=True)
class IdCheck:
    normalized: str
    valid: bool
    error: str = ""
    birth_date: dt.date | None = None
    sex: str = ""  # "M" or "F"


def normalize_id_number(raw: str) -> str:
    return raw.strip().translate(_FULLWIDTH).replace("x", "X")


def check_character(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def check_id_number(raw: str, today: dt.date) -> IdCheck:
    """Validate and derive birth date and sex; `error` is a Chinese reason (no field name)."""
    n = normalize_id_number(raw)
    if len(n) == 15 and n.isdigit():
        return IdCheck(n, False, "请填写18位公民身份号码")
    if len(n) != 18:
        return IdCheck(n, False, f"应为18位，实为{len(n)}位")
    if not n[:17].isdigit():
        return IdCheck(n, False, "前17位只能是数字")
    if not (n[17].isdigit() or n[17] == "X"):
        return IdCheck(n, False, "第18位只能是数字或X")
    if int(n[:2]) not in PROVINCE_CODES:
        return IdCheck(n, False, f"地址码前两位「{n[:2]}」不是有效的省级行政区划代码")
    try:
        birth = dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        return IdCheck(n, False, f"出生日期{n[6:10]}-{n[10:12]}-{n[12:14]}不存在")
    if birth > today or birth < EARLIEST_BIRTH:
        return IdCheck(n, False, "出生日期不在合理范围内")
    expected = check_character(n[:17])
    if n[17] != expected:
        return IdCheck(n, False, f"校验位错误，应为{expected}")
    return IdCheck(n, True, "", birth, "M" if int(n[16]) % 2 else "F")


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years (周岁); a 29 Feb birthday falls on 28 Feb in common years (RULES.md §0.5)."""
    years = day.year - birth.year
    try:
        birthday = birth.replace(year=day.year)
    except ValueError:
        birthday = dt.date(day.year, 2, 28)
    return years - (day < birthday)


def mask_id_number(n: str) -> str:
    return f"{n[:6]}{'*' * (len(n) - 10)}{n[-4:]}" if len(n) > 10 else "*" * len(n)


def mask_phone(p: str) -> str:
    return f"{p[:3]}****{p[-4:]}" if len(p) >= 8 else "*" * len(p)
