"""RULES.md §2 vectors (copied verbatim with their labels) and the step / deadline rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dangjian.development import rules
from dangjian.development.rules import Facts, StepInput

D = dt.date

# RULES.md §2.6 — | # | input | expected |


@pytest.mark.parametrize(
    ("label", "birth", "applied", "ok"),
    [
        (
            "P1 | birth 2006-05-20, application 2024-05-19 | reject: age 17 (18th birthday 2024-05-20)",  # noqa: E501
            D(2006, 5, 20),
            D(2024, 5, 19),
            False,
        ),
        (
            "P2 | birth 2006-05-20, application 2024-05-20 | accept",
            D(2006, 5, 20),
            D(2024, 5, 20),
            True,
        ),
    ],
)
def test_age_18(label: str, birth: dt.date, applied: dt.date, ok: bool) -> None:
    assert rules.old_enough(birth, applied) is ok
    found = rules.application_violations(birth, applied, D(2025, 1, 1))
    assert (not found) is ok
    if not ok:
        assert found[0].rule == "2.3-1" and "年满18周岁" in found[0].message


@pytest.mark.parametrize(
    ("label", "received", "deadline"),
    [
        (
            "P3 | application received 2024-01-31 | talk deadline 2024-02-29",
            D(2024, 1, 31),
            D(2024, 2, 29),
        ),
        (
            "P4 | application received 2023-01-31 | talk deadline 2023-02-28",
            D(2023, 1, 31),
            D(2023, 2, 28),
        ),
    ],
)
def test_talk_deadline(label: str, received: dt.date, deadline: dt.date) -> None:
    assert rules.talk_deadline(received) == deadline


def test_p5_activist_one_year() -> None:
    """P5 | activist 2023-03-15, candidate proposed 2024-03-14 / 2024-03-15 | reject (earliest 2024-03-15) / accept"""  # noqa: E501
    facts = Facts(stage=rules.ACTIVIST, applied_on=D(2022, 9, 1), activist_on=D(2023, 3, 15))
    assert rules.earliest_candidate_date(D(2023, 3, 15)) == D(2024, 3, 15)
    early = rules.step_violations(
        facts, StepInput("candidate_selection", D(2024, 3, 14)), D(2025, 1, 1)
    )
    assert [f.rule for f in early] == ["2.3-7"]
    assert early[0].field == "on" and "2024年3月15日" in early[0].message
    assert (
        rules.step_violations(
            facts, StepInput("candidate_selection", D(2024, 3, 15)), D(2025, 1, 1)
        )
        == []
    )


def test_activist_29_february() -> None:
    """§2.5: activist date 29 Feb 2024 → earliest candidate date 28 Feb 2025."""
    assert rules.earliest_candidate_date(D(2024, 2, 29)) == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("label", "meeting", "extension", "end"),
    [
        (
            "P6 | admission meeting 2024-02-29 | probation ends 2025-02-28; party age from 2025-02-28 if on time",  # noqa: E501
            D(2024, 2, 29),
            0,
            D(2025, 2, 28),
        ),
        (
            "P7 | admission meeting 2023-07-01, extension 6 months | new end 2025-01-01",
            D(2023, 7, 1),
            6,
            D(2025, 1, 1),
        ),
    ],
)
def test_probation_ends(label: str, meeting: dt.date, extension: int, end: dt.date) -> None:
    assert rules.probation_ends(meeting, extension) == end


@pytest.mark.parametrize(
    ("label", "months", "previous", "ok"),
    [
        ("P8 | extension of 5 months | reject", 5, 0, False),
        ("P8 | extension of 13 months | reject", 13, 0, False),
        ("P8 | a second extension | reject", 6, 1, False),
        ("6 months, first extension | accept", 6, 0, True),
        ("12 months, first extension | accept", 12, 0, True),
    ],
)
def test_extension(label: str, months: int, previous: int, ok: bool) -> None:
    assert rules.extension_allowed(months, previous) is ok


def test_p9_approval_due_and_limit() -> None:
    """P9 | branch resolution received 2024-11-30 | approval due 2025-02-28; hard limit 2025-05-30"""  # noqa: E501
    assert rules.approval_dates(D(2024, 11, 30)) == (D(2025, 2, 28), D(2025, 5, 30))


@pytest.mark.parametrize(
    ("label", "days", "hours", "met"),
    [
        ("P10 | training 2 days, 20 hours | not met", 2, 20, False),
        ("P10 | training 2 days, 24 hours | met", 2, 24, True),
        ("P10 | training 3 days, 18 hours | met", 3, 18, True),
    ],
)
def test_training(label: str, days: int, hours: int, met: bool) -> None:
    assert rules.training_met(days, hours) is met


@pytest.mark.parametrize(
    ("label", "due", "present", "yes", "quorum", "passed"),
    [
        (
            "P11 | 10 voting full members due, 6 present, 5 yes | quorum ok (6 > 5); passes? 5 > 10/2 is false → not passed",  # noqa: E501
            10,
            6,
            5,
            True,
            False,
        ),
        ("P12 | 10 voting full members due, 6 present, 6 yes | passed", 10, 6, 6, True, True),
    ],
)
def test_vote(label: str, due: int, present: int, yes: int, quorum: bool, passed: bool) -> None:
    assert rules.vote_result(due, present, yes) == (quorum, passed)


# ---- the step rules built on them


def _candidate(**kw: object) -> Facts:
    base: dict[str, object] = {
        "stage": rules.CANDIDATE,
        "applied_on": D(2022, 9, 1),
        "activist_on": D(2023, 3, 15),
        "candidate_on": D(2024, 3, 15),
        "training_met": True,
        "done": frozenset(rules.PREREQUISITES["admission_meeting"]),
    }
    base.update(kw)
    return Facts(**base)  # type: ignore[arg-type]


def test_admission_vote_p11_refused_naming_rule() -> None:
    found = rules.step_violations(
        _candidate(),
        StepInput("admission_meeting", D(2024, 6, 1), votes_due=10, votes_present=6, votes_yes=5),
        D(2025, 1, 1),
    )
    assert [f.rule for f in found] == ["2.3-15"] and found[0].field == "votes_yes"


def test_admission_needs_three_voting_members_and_quorum() -> None:
    small = rules.step_violations(
        _candidate(),
        StepInput("admission_meeting", D(2024, 6, 1), votes_due=2, votes_present=2, votes_yes=2),
        D(2025, 1, 1),
    )
    assert "不足3人" in small[0].message
    no_quorum = rules.step_violations(
        _candidate(),
        StepInput("admission_meeting", D(2024, 6, 1), votes_due=10, votes_present=5, votes_yes=5),
        D(2025, 1, 1),
    )
    assert no_quorum[0].field == "votes_present"


def test_admission_needs_prerequisites_and_training() -> None:
    facts = _candidate(done=frozenset({"introducers"}))
    found = rules.step_violations(
        facts,
        StepInput("admission_meeting", D(2024, 6, 1), votes_due=3, votes_present=3, votes_yes=3),
        D(2025, 1, 1),
    )
    assert "政治审查" in found[0].message and "集中培训" in found[0].message
    short = _candidate(training_met=False)
    found = rules.step_violations(
        short,
        StepInput("admission_meeting", D(2024, 6, 1), votes_due=3, votes_present=3, votes_yes=3),
        D(2025, 1, 1),
    )
    assert [f.rule for f in found] == ["2.3-11"]


def test_step_in_future_wrong_stage_and_before_stage_start() -> None:
    facts = Facts(stage=rules.APPLICANT, applied_on=D(2024, 1, 10))
    assert (
        rules.step_violations(facts, StepInput("application_talk", D(2025, 1, 2)), D(2025, 1, 1))[
            0
        ].field
        == "on"
    )
    assert (
        rules.step_violations(
            facts, StepInput("candidate_selection", D(2024, 6, 1)), D(2025, 1, 1)
        )[0].field
        == "kind"
    )
    assert (
        rules.step_violations(facts, StepInput("application_talk", D(2024, 1, 9)), D(2025, 1, 1))[
            0
        ].field
        == "on"
    )


def test_sponsors_and_introducers_must_be_full_members() -> None:
    activist = Facts(stage=rules.ACTIVIST, applied_on=D(2022, 9, 1), activist_on=D(2023, 3, 15))
    bad = StepInput("sponsor_assignment", D(2023, 4, 1), people=2, full_members=1)
    assert rules.step_violations(activist, bad, D(2025, 1, 1))[0].rule == "2.3-5"
    ok = StepInput("sponsor_assignment", D(2023, 4, 1), people=2, full_members=2)
    assert rules.step_violations(activist, ok, D(2025, 1, 1)) == []
    one = StepInput("introducers", D(2024, 4, 1), people=1, full_members=1)
    assert (
        rules.step_violations(_candidate(done=frozenset()), one, D(2025, 1, 1))[0].rule == "2.3-9"
    )


def test_approval_beyond_six_months_refused_beyond_three_warned() -> None:
    facts = Facts(
        stage=rules.PROBATIONARY,
        applied_on=D(2022, 9, 1),
        admitted_on=D(2024, 11, 30),
        done=frozenset({"approval_talk"}),
    )
    late = StepInput("admission_approval", D(2025, 5, 31))
    assert rules.step_violations(facts, late, D(2025, 12, 1))[0].rule == "2.3-17"
    slow = StepInput("admission_approval", D(2025, 3, 1))
    assert rules.step_violations(facts, slow, D(2025, 12, 1)) == []
    assert [w.rule for w in rules.step_warnings(facts, slow)] == ["2.3-17"]
    assert rules.step_warnings(facts, StepInput("admission_approval", D(2025, 2, 28))) == []


def test_full_meeting_not_before_probation_ends_and_extension_once() -> None:
    facts = Facts(
        stage=rules.PROBATIONARY,
        applied_on=D(2022, 9, 1),
        admitted_on=D(2024, 2, 29),
        done=frozenset({"full_membership_application"}),
    )
    votes: dict[str, Any] = {"votes_due": 3, "votes_present": 3, "votes_yes": 3}
    early = StepInput("full_membership_meeting", D(2025, 2, 27), **votes)
    assert rules.step_violations(facts, early, D(2026, 1, 1))[0].rule == "2.4"
    assert (
        rules.step_violations(
            facts, StepInput("full_membership_meeting", D(2025, 2, 28), **votes), D(2026, 1, 1)
        )
        == []
    )
    extended = Facts(
        stage=rules.PROBATIONARY,
        applied_on=D(2022, 9, 1),
        admitted_on=D(2024, 2, 29),
        extension_months=6,
    )
    again = StepInput("extension", D(2025, 3, 1), extension_months=6, **votes)
    assert "只能延长一次" in rules.step_violations(extended, again, D(2026, 1, 1))[0].message
    assert "extension" not in [k.code for k in rules.next_kinds(extended)]


def test_late_talk_is_a_recorded_warning() -> None:
    facts = Facts(stage=rules.APPLICANT, applied_on=D(2024, 1, 31))
    assert rules.step_warnings(facts, StepInput("application_talk", D(2024, 2, 29))) == []
    late = rules.step_warnings(facts, StepInput("application_talk", D(2024, 3, 1)))
    assert late[0].rule == "2.3-2" and late[0].due == D(2024, 2, 29)


def test_deadlines_and_standing() -> None:
    applicant = Facts(stage=rules.APPLICANT, applied_on=D(2024, 1, 31))
    (talk,) = rules.deadlines(applicant)
    assert talk.due == D(2024, 2, 29)
    assert rules.standing(applicant, D(2024, 2, 10))[1][0].message.endswith("（2024年2月29日）")
    assert "已逾期1天" in rules.standing(applicant, D(2024, 3, 1))[1][0].message
    probation = Facts(
        stage=rules.PROBATIONARY, applied_on=D(2022, 1, 1), admitted_on=D(2024, 11, 30)
    )
    violations, _ = rules.standing(probation, D(2025, 5, 31))
    assert [v.rule for v in violations] == ["2.3-17"]
    ending = Facts(
        stage=rules.PROBATIONARY,
        applied_on=D(2022, 1, 1),
        admitted_on=D(2024, 2, 29),
        approved_on=D(2024, 4, 1),
        oath_on=D(2024, 4, 20),
    )
    (full,) = rules.deadlines(ending)
    assert full.warn_from == D(2025, 1, 29) and full.due == D(2025, 3, 28)
    assert rules.standing(ending, D(2025, 1, 28)) == ([], [])
    assert rules.standing(ending, D(2025, 1, 29))[1][0].rule == "2.3-23"


def test_assessment_every_half_year() -> None:
    facts = Facts(
        stage=rules.ACTIVIST,
        applied_on=D(2022, 9, 1),
        activist_on=D(2023, 3, 15),
        last_assessment_on=D(2023, 9, 10),
    )
    (d,) = rules.deadlines(facts)
    assert d.rule == "2.3-6" and d.due == D(2024, 3, 10)


def test_next_kinds_follow_the_stage() -> None:
    facts = Facts(
        stage=rules.ACTIVIST,
        applied_on=D(2022, 9, 1),
        activist_on=D(2023, 3, 15),
        done=frozenset({"activist_filing"}),
    )
    codes = [k.code for k in rules.next_kinds(facts)]
    assert codes[0] == "sponsor_assignment" and "candidate_selection" in codes
    assert codes[-1] == "termination" and "activist_filing" not in codes
    assert rules.next_kinds(Facts(stage=rules.TERMINATED, applied_on=D(2022, 9, 1))) == []
