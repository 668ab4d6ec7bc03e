"""The demo hook fills realistic pipelines: every stage, warnings, a step that would be refused."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

from dangjian.core.demo.generator import ANCHOR, Demo
from dangjian.development import demo as development_demo
from dangjian.development import rules
from dangjian.development.models import DevelopmentRecord
from dangjian.orgs.actions import partyorg_create
from dangjian.party.models import PartyMember

from .conftest import add_person


def test_demo_pipelines(system: Any, county: dict[str, Any]) -> None:
    demo = Demo(system)
    scenarios = itertools.cycle(development_demo.SCENARIOS)
    for n, (key, count) in enumerate((("a", 5), ("b", 4))):
        unit = county[key]
        branch = partyorg_create(actor=system, unit=unit, name=f"{unit.name}党支部", kind="branch")
        for i in range(count + 4):
            add_person(system, unit, f"教师{n}{i}", 300 + 20 * n + i, "19850310")
        development_demo._run(demo, demo.rng(unit.code), unit, branch, scenarios, count)
    records = list(DevelopmentRecord.objects.select_related("person"))
    assert len(records) == 9
    stages = Counter(r.status for r in records)
    assert set(stages) == {"applicant", "activist", "candidate", "probationary", "full"}
    assert any(r.admitted_on and r.admitted_on.year == ANCHOR.year for r in records)
    assert any(r.flagged for r in records)  # a talk held late
    overdue = [r for r in records if r.next_due_on and r.next_due_on < ANCHOR]
    soon = [r for r in records if r.due_state(ANCHOR) == "soon"]
    assert overdue and soon
    # an activist too new to be a candidate: that step would be refused today
    young = [
        r
        for r in records
        if r.status == "activist"
        and r.activist_on
        and rules.earliest_candidate_date(r.activist_on) > ANCHOR
    ]
    assert young
    found = rules.step_violations(
        young[0].facts(), rules.StepInput("candidate_selection", ANCHOR), ANCHOR
    )
    assert found[0].rule == "2.3-7"
    for r in records:
        if r.member_id:
            assert PartyMember.objects.get(pk=r.member_id).joined_on == r.admitted_on
    assert any(r.became_key_teacher_on for r in records) or any(
        r.status == "full" and r.person.is_key_teacher for r in records
    )
