"""The demo hook: decisions across forms, a couple of reasons for none, ~60 sessions a year."""

import datetime as dt
import random
import time
from collections import Counter

from dangjian.accountability.demo import SESSIONS_PER_YEAR, accountability
from dangjian.accountability.models import (
    AccountabilityRecord,
    NoAccountabilityDecision,
    WarningSession,
)
from dangjian.accountability.queries import needing_decision


class Demo:
    def __init__(self, actor):
        self.actor = actor
        self.anchor = dt.date(2026, 11, 1)
        self.logged = []

    def rng(self, code):
        return random.Random(f"1:{code}")

    def log(self, text):
        self.logged.append(text)


class Staffed:
    def __init__(self, unit):
        self.unit = unit


def test_demo_hook(county, system, make_finding, make_person):
    for unit in (county["a"], county["b"]):
        make_person(unit)
        for i in range(6):
            make_finding(unit, found_on=dt.date(2026, 3, 2 + i), description=f"问题{i}")
    make_finding(county["a"], found_on=dt.date(2026, 10, 28))  # not yet due
    demo = Demo(system)
    started = time.perf_counter()
    accountability(demo, county["bureau"], [Staffed(county["a"]), Staffed(county["b"])])
    assert time.perf_counter() - started < 3
    forms = Counter(AccountabilityRecord.objects.values_list("form", flat=True))
    assert sum(forms.values()) == 7 and len(forms) >= 5
    assert set(AccountabilityRecord.objects.values_list("form_level", flat=True)) == {1, 2}
    assert NoAccountabilityDecision.objects.count() == 2
    assert needing_decision(system, demo.anchor).count() == 12 - 9  # some left pending
    last_year = WarningSession.objects.filter(held_on__year=2025).count()
    assert last_year == SESSIONS_PER_YEAR
    this_year = WarningSession.objects.filter(held_on__year=2026)
    assert this_year.count() == round(SESSIONS_PER_YEAR * 10 / 12)
    assert not this_year.filter(held_on__gt=demo.anchor).exists()
    assert "警示教育" in demo.logged[0]
