"""Pages: lists (constant queries), detail scope, create flows, the pending list, the ledger."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accountability import actions
from dangjian.accountability.models import AccountabilityRecord, NoAccountabilityDecision

TODAY = timezone.localdate()
OLD = TODAY - dt.timedelta(days=60)


@pytest.fixture
def decided(county, bureau_admin, make_finding, make_person):
    def make(n, unit=None):
        unit = unit or county["a"]
        for _ in range(n):
            actions.record_create(
                actor=bureau_admin,
                unit=unit,
                findings=[make_finding(unit, found_on=OLD)],
                people=[make_person(unit), make_person(unit)],
                form="talk_reminder",
                decided_on=TODAY,
                decided_by="局党委",
            )

    return make


def _session(actor, unit, topic="观看警示教育片"):
    return actions.session_create(
        actor=actor,
        unit=unit,
        held_on=TODAY,
        kind="film",
        topic=topic,
        expected_count=30,
        present_count=28,
    )


def test_record_list_constant_queries(client, inspector, decided, assert_constant_queries):
    client.force_login(inspector)
    assert_constant_queries(client, "/accountability/records/", decided)


def test_record_list_api_constant_queries(client, inspector, decided, assert_constant_queries):
    client.force_login(inspector)
    assert_constant_queries(client, "/api/v1/accountability", decided)


def test_session_list_constant_queries(client, county, secretary_a, assert_constant_queries):
    client.force_login(secretary_a)

    def add(n):
        for _ in range(n):
            _session(secretary_a, county["a"])

    assert_constant_queries(client, "/accountability/sessions/", add)


def test_pending_constant_queries(client, county, inspector, make_finding, assert_constant_queries):
    client.force_login(inspector)

    def add(n):
        for _ in range(n):
            make_finding(county["a"], found_on=OLD)

    assert_constant_queries(client, "/accountability/pending/", add)


def test_record_list_filters_and_export(client, county, inspector, decided):
    decided(2)
    decided(1, county["b"])
    client.force_login(inspector)
    r = client.get(f"/accountability/records/?unit={county['b'].pk}&form=talk_reminder")
    assert r.status_code == 200
    assert r.context["listing"].count == 1
    r = client.get(f"/export/accountability/?unit={county['a'].pk}")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.active
    assert ws["A1"].value == "问责决定" and ws.freeze_panes == "A3"
    assert ws.max_row == 4  # title, header, two rows


def test_school_roles_do_not_see_decisions(client, county, secretary_a, decided):
    decided(1)
    client.force_login(secretary_a)
    assert client.get("/accountability/records/").status_code == 403
    assert client.get("/accountability/pending/").status_code == 403
    rec = AccountabilityRecord.objects.get()
    assert client.get(f"/accountability/records/{rec.pk}/").status_code == 404
    assert client.get("/api/v1/accountability").status_code == 403
    # the generic export answers nothing for them either
    from dangjian.accountability.views import records_for

    assert not records_for(secretary_a).exists()
    # …but they record and read their own warning-education sessions
    assert client.get("/accountability/sessions/").status_code == 200


def test_detail_404_for_sibling(client, county, make_user, decided):
    decided(1, county["b"])
    rec = AccountabilityRecord.objects.get()
    client.force_login(make_user("inspector", county["a"]))
    assert client.get(f"/accountability/records/{rec.pk}/").status_code == 404
    assert client.get(f"/api/v1/accountability/{rec.pk}").status_code == 404


def test_record_detail_shows_findings_people_trail(client, inspector, decided):
    decided(1)
    rec = AccountabilityRecord.objects.get()
    client.force_login(inspector)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "谈话提醒" in page and "第一种形态" in page
    assert "党员活动室制度未上墙" in page
    assert all(p.name in page for p in rec.people.all())
    assert "登记问责决定" in page  # the audit trail


def test_decide_from_pending(client, county, inspector, make_finding, make_person):
    f = make_finding(county["a"], found_on=OLD)
    p = make_person(county["a"], "甲校书记")
    client.force_login(inspector)
    page = client.get("/accountability/pending/").content.decode()
    assert f"/accountability/records/new/?finding={f.pk}" in page
    url = f"/accountability/records/new/?finding={f.pk}"
    form = client.get(url).context["form"]
    assert form.initial["findings"] == [f.pk]
    r = client.post(
        url,
        {
            "findings": [f.pk],
            "people": [p.pk],
            "form": "talk_reminder",
            "form_level": "",
            "decided_on": TODAY.isoformat(),
            "decided_by": "青山县教育局党委",
        },
    )
    rec = AccountabilityRecord.objects.get()
    assert r.status_code == 302 and r["Location"] == rec.get_absolute_url()
    assert rec.form_level == 1
    assert f"?finding={f.pk}" not in client.get("/accountability/pending/").content.decode()


def test_create_keeps_input_on_error(client, county, inspector, make_finding, make_person):
    f = make_finding(county["a"], found_on=OLD)
    client.force_login(inspector)
    r = client.post(
        f"/accountability/records/new/?finding={f.pk}",
        {
            "findings": [f.pk],
            "form": "party_sanction",
            "sub_kind": "gov_sanction.demerit",
            "decided_on": TODAY.isoformat(),
            "decided_by": "纪检组",
            "notes": "保留的备注",
        },
    )
    assert r.status_code == 200
    assert "sub_kind" in r.context["form"].errors
    assert "保留的备注" in r.content.decode()
    assert not AccountabilityRecord.objects.exists()


def test_sub_kind_posted_as_form_prefixed(client, county, discipline, make_finding, make_person):
    f = make_finding(county["a"], found_on=OLD)
    p = make_person(county["a"])
    client.force_login(discipline)
    client.post(
        f"/accountability/records/new/?unit={county['a'].pk}",
        {
            "findings": [f.pk],
            "people": [p.pk],
            "form": "party_sanction",
            "sub_kind": "party_sanction.serious_warning",
            "decided_on": TODAY.isoformat(),
            "decided_by": "纪检组",
        },
    )
    rec = AccountabilityRecord.objects.get()
    assert (rec.sub_kind, rec.form_level) == ("serious_warning", 2)


def test_create_without_unit_asks_for_one(client, inspector):
    client.force_login(inspector)
    r = client.get("/accountability/records/new/")
    assert r.status_code == 200 and "unit" in r.context["form"].fields


def test_create_403_for_leader(client, county, make_user):
    client.force_login(make_user("bureau_leader", county["bureau"]))
    assert client.get("/accountability/records/new/").status_code == 403


def test_no_decision_from_pending(client, county, inspector, make_finding):
    f = make_finding(county["a"], found_on=OLD)
    client.force_login(inspector)
    r = client.post(
        f"/accountability/pending/{f.pk}/none/",
        {"reason": "客观原因", "decided_by": "局党委", "decided_on": TODAY.isoformat()},
    )
    assert r.status_code == 302
    assert NoAccountabilityDecision.objects.get().finding == f
    assert client.get("/accountability/pending/").context["count"] == 0
    page = client.get("/accountability/no-decisions/").content.decode()
    assert "客观原因" in page


def test_ledger_page_and_download(client, county, inspector, decided):
    decided(2)
    client.force_login(inspector)
    r = client.get(f"/accountability/ledger/?unit={county['district'].pk}")
    assert r.status_code == 200 and r.context["record_count"] == 2
    r = client.get(
        f"/accountability/ledger/?unit={county['a'].pk}&date_from={TODAY.year}-01-01"
        f"&date_to={TODAY.year}-12-31&download=1"
    )
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert wb["问责台账"]["B5"].value == "2件"
    from dangjian.audit.models import AuditEntry

    assert (AuditEntry.objects.latest("pk").after or {})["list"] == "accountability_ledger"


def test_ledger_bad_dates(client, county, inspector):
    client.force_login(inspector)
    r = client.get("/accountability/ledger/?date_from=2026-05-01&date_to=2026-04-01&download=1")
    assert r.status_code == 200
    assert r.context["errors"] == ["「截止日期」：不能早于起始日期"]


def test_session_create_page(client, county, secretary_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretary_a)
    assert client.get("/accountability/sessions/new/").status_code == 200
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    r = client.post(
        "/accountability/sessions/new/",
        {
            "unit": county["a"].pk,
            "held_on": TODAY.isoformat(),
            "kind": "base_visit",
            "topic": "参观县廉政教育基地",
            "expected_count": 30,
            "present_count": 31,
        },
    )
    assert r.status_code == 200
    assert "present_count" in r.context["form"].errors
    r = client.post(
        "/accountability/sessions/new/",
        {
            "unit": county["a"].pk,
            "held_on": TODAY.isoformat(),
            "kind": "base_visit",
            "topic": "参观县廉政教育基地",
            "expected_count": 30,
            "present_count": 29,
            "attachments": [SimpleUploadedFile("合影.png", png)],
        },
    )
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "参观县廉政教育基地" in page and "合影.png" in page and "29/30" in page
    from dangjian.accountability.models import SessionAttachment

    att = SessionAttachment.objects.get()
    assert client.get(att.get_absolute_url()).status_code == 200


def test_session_list_scope_and_filters(client, county, bureau_admin, secretary_a):
    _session(bureau_admin, county["a"], "甲校警示")
    _session(bureau_admin, county["b"], "乙校警示")
    client.force_login(secretary_a)
    page = client.get("/accountability/sessions/").content.decode()
    assert "甲校警示" in page and "乙校警示" not in page
    client.force_login(bureau_admin)
    r = client.get(f"/accountability/sessions/?unit={county['b'].pk}&year={TODAY.year}")
    assert r.context["listing"].count == 1
    r = client.get("/export/warning_sessions/")
    assert r.status_code == 200
