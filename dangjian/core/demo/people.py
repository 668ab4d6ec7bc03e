"""Deterministic fake people: names, valid resident ID numbers, phones, education."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from itertools import accumulate

from dangjian.people.rules import check_character

from .names import FEMALE_CHARS, MALE_CHARS, MOBILE_PREFIXES, SURNAMES

_SURNAME_LIST = [s for s, _ in SURNAMES]
_SURNAME_CUM = list(accumulate(w for _, w in SURNAMES))

# education mix by where people work: (choice, weight)
EDUCATION_MIX: dict[str, tuple[tuple[str, int], ...]] = {
    "senior": (("master", 22), ("bachelor", 74), ("college", 4)),
    "secondary": (("master", 8), ("bachelor", 80), ("college", 12)),
    "primary": (("master", 2), ("bachelor", 62), ("college", 32), ("secondary", 4)),
    "kindergarten": (("bachelor", 35), ("college", 50), ("secondary", 15)),
    "office": (("doctorate", 1), ("master", 25), ("bachelor", 70), ("college", 4)),
    "support": (("college", 40), ("secondary", 45), ("below", 15)),
}


@dataclass(frozen=True)
class FakePerson:
    name: str
    id_number: str
    phone: str
    education: str


class PeopleFactory:
    """One per deployment: keeps ID numbers unique across every county it makes."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def make(
        self,
        rng: random.Random,
        area: str,
        *,
        female_share: float = 0.6,
        born: tuple[int, int] = (1965, 2000),
        education: str = "primary",
    ) -> FakePerson:
        female = rng.random() < female_share
        surname = rng.choices(_SURNAME_LIST, cum_weights=_SURNAME_CUM)[0]
        chars = FEMALE_CHARS if female else MALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.72 else "")
        first = dt.date(born[0], 1, 1)
        span = (dt.date(born[1], 12, 31) - first).days
        while True:
            birth = first + dt.timedelta(days=rng.randint(0, span))
            # the 17th digit is odd for men, even for women
            seq = rng.randint(0, 99) * 10 + rng.choice(
                (0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9)
            )
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            if first17 not in self._used:
                self._used.add(first17)
                break
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        mix = EDUCATION_MIX[education]
        edu = rng.choices([e for e, _ in mix], weights=[w for _, w in mix])[0]
        return FakePerson(surname + given, first17 + check_character(first17), phone, edu)
