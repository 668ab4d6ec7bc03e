"""Pages: list filters and constant queries, detail with its buttons, step refusal on the form,
scope (404 from the sibling school), documents and the Word downloads."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document as open_docx

from dangjian.development import actions
from dangjian.development.models import DevelopmentRecord

from .conftest import TODAY, add_person

D = dt.date


def test_list_shows_own_records_with_filters(client, secretary_a, record_a, pipeline):
    client.force_login(secretary_a)
    r = client.get("/development/")
    assert r.status_code == 200 and "申请人王" in r.content.decode()
    assert "申请人王" in client.get("/development/?status=applicant").content.decode()
    assert "申请人王" not in client.get("/development/?status=activist").content.decode()
    assert "申请人王" in client.get("/development/?due=overdue").content.decode()
    assert "申请人王" not in client.get("/development/?due=soon").content.decode()
    r = client.get("/development/?status=applicant", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<html" not in r.content.decode()


def test_list_query_count_constant(
    client, secretary_a, system, county, branch_a, assert_constant_queries
):
    client.force_login(secretary_a)
    seq = iter(range(800, 900))

    def add(n: int) -> None:
        for _ in range(n):
            person = add_person(system, county["a"], "批量", next(seq))
            actions.record_create(
                actor=system, person=person, branch=branch_a, applied_on=D(2026, 1, 5), today=TODAY
            )

    assert_constant_queries(client, "/development/", add)


def test_due_list_constant_queries(
    client, secretary_a, system, county, branch_a, assert_constant_queries
):
    client.force_login(secretary_a)
    seq = iter(range(900, 999))

    def add(n: int) -> None:
        for _ in range(n):
            person = add_person(system, county["a"], "到期", next(seq))
            actions.record_create(
                actor=system, person=person, branch=branch_a, applied_on=D(2026, 1, 5), today=TODAY
            )

    assert_constant_queries(client, "/development/due/", add)


def test_detail_from_sibling_school_is_404(client, secretary_b, record_a):
    client.force_login(secretary_b)
    for url in (
        f"/development/{record_a.pk}/",
        f"/development/{record_a.pk}/steps/new/?kind=application_talk",
        f"/development/{record_a.pk}/publicity.docx",
        f"/development/{record_a.pk}/terminate/",
    ):
        assert client.get(url).status_code == 404, url


def test_detail_shows_next_steps_and_warnings(client, secretary_a, pipeline, record_a):
    pipeline.activist()
    client.force_login(secretary_a)
    html = client.get(f"/development/{record_a.pk}/").content.decode()
    assert "确定发展对象" in html and "?kind=candidate_selection" in html
    assert "最早可于2024年3月15日确定为发展对象" in html
    assert "培养教育考察（每半年一次）" in html and "已逾期" in html  # no assessment since 2023


def test_step_form_refusal_then_accepted(client, secretary_a, pipeline, record_a):
    pipeline.activist()
    client.force_login(secretary_a)
    url = f"/development/{record_a.pk}/steps/new/?kind=candidate_selection"
    r = client.post(url, {"kind": "candidate_selection", "on": "2024-03-14"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "【规则2.3-7】" in html and "2024年3月15日" in html
    assert 'value="2024-03-14"' in html  # nothing typed is lost
    record_a.refresh_from_db()
    assert record_a.status == "activist"
    r = client.post(url, {"kind": "candidate_selection", "on": "2024-03-15"})
    assert r.status_code == 302
    record_a.refresh_from_db()
    assert record_a.status == "candidate"


def test_create_record_page(client, secretary_a, applicant, branch_a):
    client.force_login(secretary_a)
    assert client.get("/development/new/").status_code == 200
    r = client.post(
        "/development/new/",
        {"person": applicant.pk, "branch": branch_a.pk, "applied_on": "2026-11-02"},
    )
    assert r.status_code == 302
    assert DevelopmentRecord.objects.get(person=applicant).status == "applicant"


def test_upload_document_and_download(client, secretary_a, record_a):
    client.force_login(secretary_a)
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    r = client.post(
        f"/development/{record_a.pk}/documents/new/",
        {"title": "申请书照片", "file": SimpleUploadedFile("a.png", png, content_type="image/png")},
    )
    assert r.status_code == 302
    doc = record_a.documents.get()
    r = client.get(f"/development/documents/{doc.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == png
    r = client.post(
        f"/development/{record_a.pk}/documents/new/",
        {"file": SimpleUploadedFile("b.txt", b"hello", content_type="text/plain")},
    )
    assert r.status_code == 200 and "类型不允许" in r.content.decode()


def test_word_documents_open_and_name_person_and_branch(client, secretary_a, pipeline, record_a):
    client.force_login(secretary_a)
    r = client.get(f"/development/{record_a.pk}/publicity.docx")
    assert r.status_code == 302  # not a candidate yet
    pipeline.candidate()
    for url, title in (
        (f"/development/{record_a.pk}/publicity.docx", "公示"),
        (f"/development/{record_a.pk}/political-review.docx", "政治审查综合情况报告"),
    ):
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.wordprocessingml"
        )
        doc = open_docx(io.BytesIO(r.content))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert title in doc.paragraphs[0].text
        assert "申请人王" in text and "第一中学党支部" in text
        assert "一、" in text and "中共第一中学党支部" in doc.paragraphs[-2].text
        title_run = doc.paragraphs[0].runs[0]
        assert title_run.font.size is not None and title_run.font.size.pt == 22
        body = next(p for p in doc.paragraphs if p.text.startswith("一、"))
        assert body.runs[0].font.size is not None and body.runs[0].font.size.pt == 16
    # the body font is named with its fallback so Word substitutes correctly
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    table = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    xml = table.blob.decode()
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in xml
    assert body.runs[0].font.name in ("黑体", "仿宋_GB2312")


def test_word_documents_dated_by_their_steps(client, secretary_a, pipeline, record_a):
    client.force_login(secretary_a)
    pipeline.candidate()  # political review 2024-04-10, committee review 2024-05-06

    def last_line(url: str) -> str:
        doc = open_docx(io.BytesIO(client.get(url).content))
        return doc.paragraphs[-1].text

    base = f"/development/{record_a.pk}"
    assert last_line(f"{base}/political-review.docx") == "2024年4月10日"
    assert last_line(f"{base}/publicity.docx") == "2024年5月6日"
    assert last_line(f"{base}/publicity.docx?on=2024-05-08") == "2024年5月8日"
    assert last_line(f"{base}/publicity.docx?on=五月") == "2024年5月6日"


def test_todos_count_overdue_and_due_soon(
    secretary_a, secretary_b, record_a, system, county, branch_a
):
    from dangjian.development.queries import todos

    fresh = add_person(system, county["a"], "新申请人", 611, "19960101")
    actions.record_create(
        actor=system, person=fresh, branch=branch_a, applied_on=D(2026, 11, 10), today=TODAY
    )
    items = {t.name: t for t in todos(secretary_a, TODAY)}
    assert items["development_overdue"].count == 1  # record_a: talk due 2022-10-01
    assert items["development_overdue"].level == "danger"
    assert (
        items["development_due_soon"].count == 1
        and items["development_due_soon"].level == "warning"
    )
    assert items["development_due_soon"].url == "/development/?due=soon"
    assert {t.count for t in todos(secretary_b, TODAY)} == {0}


def test_export_is_the_filtered_list(client, secretary_a, record_a):
    from openpyxl import load_workbook

    client.force_login(secretary_a)
    r = client.get("/export/development_records/?status=applicant")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    cells = [c for row in wb.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "申请人王" in cells and "姓名" in cells
