"""Actions: the state machine (every allowed and refused transition), deadlines, verification
by someone other than the owner, permissions, evidence checks, recurrence."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, InvalidTransition
from dangjian.rectification import actions
from dangjian.rectification.models import Evidence, Finding, Rectification

from .conftest import png

pytestmark = pytest.mark.django_db
D = dt.date
S = Rectification.Status


def _submit(actor, rect, on=None):
    on = on or D(2024, 5, 15)
    return actions.rectification_submit(
        actor=actor, rectification=rect, measures="已补齐记录", evidence=[png()], on=on
    )


def _to(status, rect, school, inspector):
    """Bring a rectification into `status` through actions."""
    if status == S.OPEN:
        return rect
    _submit(school, rect)
    if status == S.SUBMITTED:
        return rect
    if status == S.VERIFIED:
        return actions.rectification_verify(actor=inspector, rectification=rect, on=D(2024, 5, 16))
    return actions.rectification_reject(
        actor=inspector, rectification=rect, reasons="不到位", on=D(2024, 5, 16)
    )


def _do(target, rect, school, inspector):
    if target == S.SUBMITTED:
        return _submit(school, rect, on=D(2024, 5, 17))
    if target == S.VERIFIED:
        return actions.rectification_verify(actor=inspector, rectification=rect, on=D(2024, 5, 17))
    return actions.rectification_reject(
        actor=inspector, rectification=rect, reasons="仍不到位", on=D(2024, 5, 17)
    )


TRANSITIONS = [(a, b) for a in S for b in (S.SUBMITTED, S.VERIFIED, S.REJECTED)]


@pytest.mark.parametrize(
    ("start", "target"), TRANSITIONS, ids=[f"{a}->{b}" for a, b in TRANSITIONS]
)
def test_every_transition(start, target, county, secretary_a, inspector, make_finding):
    rect = make_finding(county["a"]).rectification
    _to(start, rect, secretary_a, inspector)
    allowed = target in Rectification.TRANSITIONS[start]
    if allowed:
        _do(target, rect, secretary_a, inspector)
        rect.refresh_from_db()
        assert rect.status == target
    else:
        before = AuditEntry.objects.count()
        with pytest.raises(InvalidTransition):
            _do(target, rect, secretary_a, inspector)
        rect.refresh_from_db()
        assert rect.status == start
        assert AuditEntry.objects.count() == before


def test_s1_deadline_and_shortening(county, inspector, make_finding):
    f = make_finding(county["a"], D(2024, 5, 6), actor=inspector)
    assert f.rectification.deadline == D(2024, 5, 21)  # S1
    assert f.rectification.period_days == 15
    short = make_finding(county["a"], D(2024, 5, 6), actor=inspector, deadline=D(2024, 5, 13))
    assert short.rectification.period_days == 7
    with pytest.raises(ActionError) as e:
        make_finding(county["a"], D(2024, 5, 6), actor=inspector, deadline=D(2024, 5, 22))
    assert e.value.field == "deadline"


def test_s5_rejected_reopens_with_new_deadline(county, secretary_a, inspector, make_finding):
    rect = make_finding(county["a"], D(2024, 5, 6)).rectification
    _submit(secretary_a, rect, on=D(2024, 5, 20))
    actions.rectification_reject(
        actor=inspector, rectification=rect, reasons="照片不清楚", on=D(2024, 5, 25)
    )
    rect.refresh_from_db()
    assert (rect.status, rect.deadline, rect.reopen_count) == (S.REJECTED, D(2024, 6, 9), 1)
    assert rect.rejection_reasons == "照片不清楚"
    _submit(secretary_a, rect, on=D(2024, 6, 1))  # the earlier photo still counts
    actions.rectification_reject(
        actor=inspector, rectification=rect, reasons="再改", on=D(2024, 6, 3)
    )
    rect.refresh_from_db()
    assert rect.reopen_count == 2 and rect.deadline == D(2024, 6, 18)


def test_verify_by_owner_or_submitter_refused(county, make_user, secretary_a, make_finding):
    # a user who is both school secretary and inspector of the school (e.g. a liaison cadre)
    from dangjian.accounts.actions import role_assign, system_user

    both = make_user("inspector", county["a"], username="both")
    role_assign(actor=system_user(), user=both, role="school_secretary", unit=county["a"])
    rect = make_finding(county["a"], owner=both).rectification
    _submit(secretary_a, rect)
    with pytest.raises(ActionError, match="不能是该问题的整改责任人或提交人"):
        actions.rectification_verify(actor=both, rectification=rect, on=D(2024, 5, 16))
    with pytest.raises(ActionError):
        actions.rectification_reject(actor=both, rectification=rect, reasons="x", on=D(2024, 5, 16))
    rect.refresh_from_db()
    assert rect.status == S.SUBMITTED


def test_submit_sets_owner_and_needs_evidence(county, secretary_a, make_finding):
    rect = make_finding(county["a"]).rectification
    with pytest.raises(ActionError) as e:
        actions.rectification_submit(
            actor=secretary_a, rectification=rect, measures="已改", on=D(2024, 5, 10)
        )
    assert e.value.field == "evidence"
    with pytest.raises(ActionError) as e:
        actions.rectification_submit(
            actor=secretary_a, rectification=rect, measures=" ", evidence=[png()], on=D(2024, 5, 10)
        )
    assert e.value.field == "measures"
    rect.refresh_from_db()
    assert rect.status == S.OPEN
    _submit(secretary_a, rect)
    rect.refresh_from_db()
    assert rect.owner == secretary_a and rect.submitted_by == secretary_a
    assert rect.finding.evidence.get().kind == Evidence.Kind.COMPLETION


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ", "类型不允许"),
        ("a.png", b"not a png", "内容与扩展名不符"),
        ("a.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "超过 10 MB"),
    ],
)
def test_evidence_type_and_size_checked(county, secretary_a, make_finding, name, content, message):
    rect = make_finding(county["a"]).rectification
    with pytest.raises(ActionError, match=message):
        actions.rectification_submit(
            actor=secretary_a,
            rectification=rect,
            measures="已改",
            evidence=[SimpleUploadedFile(name, content)],
            on=D(2024, 5, 10),
        )
    assert not Evidence.objects.exists()


def test_school_records_self_check_only(county, secretary_a, make_inspection):
    kw: dict[str, Any] = dict(
        area="食堂管理", description="留样不足", severity="minor", found_on=D(2024, 5, 6)
    )
    with pytest.raises(ActionError) as e:
        actions.finding_create(
            actor=secretary_a,
            unit=county["a"],
            source="inspection",
            inspection=make_inspection(county["a"]),
            **kw,
        )
    assert e.value.field == "source"
    f = actions.finding_create(
        actor=secretary_a, unit=county["a"], source="self_check", evidence=[png("问题.png")], **kw
    )
    assert f.source == Finding.Source.SELF_CHECK and f.rectification.deadline == D(2024, 5, 13)
    assert f.evidence.get().kind == Evidence.Kind.FINDING
    assert AuditEntry.objects.filter(action="rectification.finding_create").count() == 1


@pytest.mark.parametrize("who", ["other_school", "wrong_role", "school_verifies"])
def test_refusals_change_nothing(
    who, county, secretary_a, secretary_b, make_user, make_finding, assert_unchanged
):
    rect = make_finding(county["a"]).rectification
    leader = make_user("bureau_leader", county["bureau"])
    if who == "school_verifies":
        _submit(secretary_a, rect)
    with assert_unchanged(rect):
        if who == "other_school":
            with pytest.raises(Http404):
                _submit(secretary_b, rect)
        elif who == "wrong_role":
            with pytest.raises(PermissionDenied):
                _submit(leader, rect)
        else:  # a school secretary may not verify
            with pytest.raises(PermissionDenied):
                actions.rectification_verify(actor=secretary_a, rectification=rect)


def test_inspection_must_be_of_the_school(county, inspector, make_inspection):
    with pytest.raises(ActionError) as e:
        actions.finding_create(
            actor=inspector,
            unit=county["a"],
            source="inspection",
            inspection=make_inspection(county["b"]),
            area="党费",
            description="x",
            severity="minor",
            found_on=D(2024, 5, 6),
        )
    assert e.value.field == "inspection"


def test_recurrent_flag(county, secretary_a, inspector, make_finding):
    first = make_finding(county["a"], D(2024, 1, 10), area="食堂管理").rectification
    _submit(secretary_a, first, on=D(2024, 1, 15))
    actions.rectification_verify(actor=inspector, rectification=first, on=D(2024, 1, 20))
    again = make_finding(county["a"], D(2024, 12, 1), area="食堂管理")
    other_area = make_finding(county["a"], D(2024, 12, 1), area="党费收缴")
    other_school = make_finding(county["b"], D(2024, 12, 1), area="食堂管理")
    late = make_finding(county["a"], D(2025, 1, 21), area="食堂管理")
    assert again.recurrent
    assert not other_area.recurrent and not other_school.recurrent and not late.recurrent


def test_progress_note(county, secretary_a, inspector, make_finding):
    rect = make_finding(county["a"]).rectification
    note = actions.progress_note_add(actor=secretary_a, rectification=rect, text="已购置留样柜")
    assert note.author == secretary_a
    with pytest.raises(PermissionDenied):
        actions.progress_note_add(actor=inspector, rectification=rect, text="x")
