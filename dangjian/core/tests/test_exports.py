"""Exports of the admin lists: users (system admin) and the audit log (audit admin)."""

import io

from openpyxl import load_workbook

from dangjian.audit.log import ACTION_LABELS
from dangjian.audit.models import AuditEntry


def _rows(response):
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    ws = wb.active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_users_export_is_the_admins_subtree(client, county, make_user):
    admin = make_user("system_admin", county["a"], username="sys_a")
    make_user("school_clerk", county["a"], username="clerk_a")
    make_user("school_clerk", county["b"], username="clerk_b")
    client.force_login(admin)
    r = client.get("/export/users/?q=clerk")
    assert r.status_code == 200
    rows = _rows(r)
    assert rows[0] == ["账号列表"]
    assert rows[1][:3] == ["用户名", "姓名", "所属单位"]
    assert [row[0] for row in rows[2:]] == ["clerk_a"]


def test_audit_export_follows_the_page_filters_and_is_audited(client, county, make_user):
    auditor = make_user("audit_admin", county["bureau"], username="aud")
    client.force_login(auditor)
    expected = AuditEntry.objects.filter(action="orgs.unit_create").count()
    before = AuditEntry.objects.count()
    r = client.get("/export/audit/?action=orgs.unit_create&date_from=2000-01-01")
    assert r.status_code == 200
    rows = _rows(r)
    assert len(rows) - 2 == expected
    label = ACTION_LABELS.get("orgs.unit_create", "orgs.unit_create")
    assert {row[3] for row in rows[2:]} == {label}
    # the export itself leaves a trace in the chain
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-id").values_list("action", flat=True)[0] == "core.export"


def test_audit_export_refused_to_business_roles(client, secretary_a):
    client.force_login(secretary_a)
    assert client.get("/export/audit/").status_code == 403
    assert client.get("/export/users/").status_code == 403
