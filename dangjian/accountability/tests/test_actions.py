"""Actions: one audit row each; refusals change nothing."""

import datetime as dt

import pytest

from dangjian.accountability import actions
from dangjian.accountability.models import (
    AccountabilityRecord,
    NoAccountabilityDecision,
    WarningSession,
)
from dangjian.audit.models import AuditEntry
from dangjian.core.errors import ActionError, NotAllowed, OutOfScope

from .conftest import TODAY


def _record(actor, unit, findings, people, **kw):
    args = {
        "form": "talk_reminder",
        "decided_on": dt.date(2026, 10, 20),
        "decided_by": "青山县教育局党委",
        "today": TODAY,
        **kw,
    }
    return actions.record_create(actor=actor, unit=unit, findings=findings, people=people, **args)


def test_record_create_audited_with_default_level(county, discipline, make_finding, make_person):
    f1 = make_finding(county["a"])
    f2 = make_finding(county["a"], description="三会一课记录不全")
    p = make_person(county["a"], "甲校书记")
    before = AuditEntry.objects.count()
    rec = _record(
        discipline, county["a"], [f1, f2], [p], form="party_sanction", sub_kind="probation"
    )
    assert rec.form_level == 3
    assert rec.form_display == "党纪处分（留党察看）"
    assert set(rec.findings.all()) == {f1, f2}
    assert list(rec.people.all()) == [p]
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    after = entry.after or {}
    assert entry.action == "accountability.record_create"
    assert entry.unit_id == county["a"].pk
    assert after["findings"] == sorted([f1.pk, f2.pk])
    assert after["people"] == [p.pk]


def test_record_create_level_editable(county, bureau_admin, make_finding, make_person, person_a):
    rec = _record(
        bureau_admin,
        county["a"],
        [make_finding(county["a"])],
        [person_a],
        form="admonishment",
        form_level=2,
    )
    assert rec.form_level == 2


def test_record_for_org_needs_no_person(county, bureau_admin, make_finding):
    rec = _record(bureau_admin, county["a"], [make_finding(county["a"])], [], form="org_inspection")
    assert rec.form_level == 1 and not rec.people.exists()


def test_district_record_covers_its_schools(county, bureau_admin, make_finding, make_person):
    fa, fb = make_finding(county["a"]), make_finding(county["b"])
    rec = _record(bureau_admin, county["district"], [fa, fb], [make_person(county["district"])])
    assert rec.findings.count() == 2


@pytest.fixture
def person_a(county, make_person):
    return make_person(county["a"], "甲校教师")


@pytest.fixture
def person_b(county, make_person):
    return make_person(county["b"], "贝校教师")


@pytest.fixture
def anchor_finding(county, make_finding):
    """A record-less finding whose unchanged state the refusals check."""
    return make_finding(county["a"])


def test_record_refused_finding_out_of_scope(
    county, make_user, make_finding, make_person, anchor_finding, assert_unchanged, person_a
):
    # a 纪检 user at school A cannot reach school B's finding
    decider = make_user("discipline_inspector", county["a"])
    outside = make_finding(county["b"])
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        _record(decider, county["a"], [anchor_finding, outside], [person_a])
    assert exc.value.field == "findings"
    assert "未找到" in exc.value.message
    assert not AccountabilityRecord.objects.exists()


def test_record_refused_finding_of_another_unit(
    county, bureau_admin, make_finding, make_person, anchor_finding, assert_unchanged, person_a
):
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        _record(
            bureau_admin,
            county["a"],
            [anchor_finding, make_finding(county["b"])],
            [person_a],
        )
    assert exc.value.field == "findings"
    assert "不属于责任单位" in exc.value.message


def test_record_refused_person_out_of_scope(
    county, make_user, make_person, anchor_finding, assert_unchanged
):
    decider = make_user("discipline_inspector", county["a"])
    stranger = make_person(county["b"], "贝校教师")
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        _record(decider, county["a"], [anchor_finding], [stranger])
    assert exc.value.field == "people"
    assert not AccountabilityRecord.objects.exists()


def test_record_refused_person_of_another_unit(
    county, bureau_admin, make_person, anchor_finding, assert_unchanged, person_b
):
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        _record(bureau_admin, county["a"], [anchor_finding], [person_b])
    assert exc.value.field == "people"


def test_record_refused_missing_decision_date(
    county, bureau_admin, make_person, anchor_finding, assert_unchanged, person_a
):
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        _record(bureau_admin, county["a"], [anchor_finding], [person_a], decided_on=None)
    assert exc.value.field == "decided_on"
    assert exc.value.message == "「决定日期」：请填写决定日期"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"decided_on": dt.date(2026, 12, 1)}, "decided_on"),
        ({"decided_on": dt.date(2026, 8, 1)}, "decided_on"),  # before the finding
        ({"form": "party_sanction"}, "sub_kind"),
        ({"form": "talk_reminder", "sub_kind": "warning"}, "sub_kind"),
        ({"form_level": 5}, "form_level"),
        ({"form": "sacking"}, "form"),
        ({"decided_by": "  "}, "decided_by"),
        ({"people": []}, "people"),
        ({"findings": []}, "findings"),
    ],
)
def test_record_refusals(
    county, bureau_admin, make_person, anchor_finding, assert_unchanged, kw, field, person_a
):
    args = {"findings": [anchor_finding], "people": [person_a], **kw}
    findings, people = args.pop("findings"), args.pop("people")
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        _record(bureau_admin, county["a"], findings, people, **args)
    assert exc.value.field == field


@pytest.mark.parametrize("role", ["school_secretary", "bureau_leader", "district_staff"])
def test_record_refused_without_capability(
    county, make_user, make_person, anchor_finding, assert_unchanged, role, person_a
):
    unit = county["district"] if role == "district_staff" else county["bureau"]
    unit = county["a"] if role == "school_secretary" else unit
    user = make_user(role, unit)
    with assert_unchanged(anchor_finding), pytest.raises(NotAllowed):
        _record(user, county["a"], [anchor_finding], [person_a])


def test_record_refused_unit_out_of_scope(
    county, make_user, make_person, anchor_finding, assert_unchanged, person_a
):
    decider = make_user("discipline_inspector", county["b"])
    with assert_unchanged(anchor_finding), pytest.raises(OutOfScope):
        _record(decider, county["a"], [anchor_finding], [person_a])


def test_no_decision_audited(county, inspector, anchor_finding):
    before = AuditEntry.objects.count()
    d = actions.no_decision_create(
        actor=inspector,
        finding=anchor_finding,
        reason="客观原因，已整改到位",
        decided_by="青山县教育局党委",
        decided_on=dt.date(2026, 10, 1),
        today=TODAY,
    )
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "accountability.no_decision_create"
    assert entry.unit_id == county["a"].pk
    assert d.finding == anchor_finding


def test_no_decision_refused_when_decided(
    county, bureau_admin, make_person, anchor_finding, assert_unchanged, person_a
):
    _record(bureau_admin, county["a"], [anchor_finding], [person_a])
    with assert_unchanged(anchor_finding), pytest.raises(ActionError, match="已有问责决定"):
        actions.no_decision_create(
            actor=bureau_admin,
            finding=anchor_finding,
            reason="理由",
            decided_by="局党委",
            decided_on=dt.date(2026, 10, 1),
            today=TODAY,
        )
    assert not NoAccountabilityDecision.objects.exists()


def test_record_refused_after_no_decision(
    county, bureau_admin, make_person, anchor_finding, assert_unchanged, person_a
):
    actions.no_decision_create(
        actor=bureau_admin,
        finding=anchor_finding,
        reason="理由",
        decided_by="局党委",
        decided_on=dt.date(2026, 10, 1),
        today=TODAY,
    )
    with assert_unchanged(anchor_finding), pytest.raises(ActionError, match="不予追责"):
        _record(bureau_admin, county["a"], [anchor_finding], [person_a])


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"decided_on": None}, "decided_on"),
        ({"decided_by": ""}, "decided_by"),
    ],
)
def test_no_decision_refusals(bureau_admin, anchor_finding, assert_unchanged, kw, field):
    args = {"reason": "理由", "decided_by": "局党委", "decided_on": dt.date(2026, 10, 1), **kw}
    with assert_unchanged(anchor_finding), pytest.raises(ActionError) as exc:
        actions.no_decision_create(actor=bureau_admin, finding=anchor_finding, today=TODAY, **args)
    assert exc.value.field == field


def test_no_decision_refused_for_school(county, secretary_a, anchor_finding, assert_unchanged):
    with assert_unchanged(anchor_finding), pytest.raises(NotAllowed):
        actions.no_decision_create(
            actor=secretary_a,
            finding=anchor_finding,
            reason="理由",
            decided_by="学校",
            decided_on=dt.date(2026, 10, 1),
            today=TODAY,
        )


def _session(actor, unit, **kw):
    args = {
        "held_on": dt.date(2026, 10, 9),
        "kind": "film",
        "topic": "观看警示教育片《零容忍》",
        "expected_count": 40,
        "present_count": 38,
        "today": TODAY,
        **kw,
    }
    return actions.session_create(actor=actor, unit=unit, **args)


def test_session_create_audited(county, secretary_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    before = AuditEntry.objects.count()
    s = _session(secretary_a, county["a"], attachments=[SimpleUploadedFile("现场.png", png)])
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "accountability.session_create"
    assert (entry.after or {})["attachments"] == ["现场.png"]
    assert s.attachments.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"present_count": 41}, "present_count"),
        ({"expected_count": 0, "present_count": 0}, "expected_count"),
        ({"held_on": dt.date(2026, 11, 24)}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"topic": ""}, "topic"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_session_refusals(county, secretary_a, kw, field):
    before = AuditEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        _session(secretary_a, county["a"], **kw)
    assert exc.value.field == field
    assert not WarningSession.objects.exists()
    assert AuditEntry.objects.count() == before


def test_session_refused_other_school(county, secretary_a):
    with pytest.raises(OutOfScope):
        _session(secretary_a, county["b"])
    assert not WarningSession.objects.exists()


def test_session_refused_for_clerk(county, make_user):
    clerk = make_user("school_clerk", county["a"])
    with pytest.raises(NotAllowed):
        _session(clerk, county["a"])
