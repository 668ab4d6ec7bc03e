"""The dues demo hook on a small county: bases, payments, arrears at 3+ and 6+, one exemption."""

from __future__ import annotations

import datetime as dt
import random
import time
from types import SimpleNamespace

from django.utils import timezone

from dangjian.dues import queries
from dangjian.dues.demo import dues
from dangjian.dues.models import DuesBase, DuesCharge, DuesExemption, DuesPayment
from dangjian.party.models import PartyMember


def test_demo_hook_fills_dues(system, county, branch_a, branch_b, make_member, secretary_a):
    for branch in (branch_a, branch_b):
        for i in range(40):
            make_member(branch, category="retired" if i % 9 == 0 else "on_post")
    today = timezone.localdate()
    demo = SimpleNamespace(
        actor=system,
        anchor=today,
        rng=lambda code: random.Random(f"7:{code}"),
    )
    started = time.perf_counter()
    dues(demo, county["bureau"], [])
    assert time.perf_counter() - started < 20
    assert DuesBase.objects.count() == PartyMember.objects.count() == 80
    assert DuesExemption.objects.count() == 1
    assert DuesPayment.objects.count() > 80 * (today.month - 2) * 0.7
    found = queries.streaks(PartyMember.objects.all(), today).values()
    warn, flag = queries.thresholds()
    if today.month > 7:  # enough months this year for both patterns
        assert any(warn <= s < flag for s in found)
        assert any(s >= flag for s in found)
    exempt = DuesExemption.objects.get()
    assert set(DuesCharge.objects.filter(exemption=exempt).values_list("amount", flat=True)) == {0}
    assert dt.date(today.year, 1, 1) <= min(p.month for p in DuesPayment.objects.all())
