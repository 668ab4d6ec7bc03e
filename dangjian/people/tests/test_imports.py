"""Import of people: all or nothing, every bad row named, re-import no-op, large files as jobs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import include, path, reverse
from openpyxl import Workbook

from conftest import make_id_number
from dangjian.audit.models import AuditEntry
from dangjian.core.imports import Outcome, read_rows, run
from dangjian.core.models import Job
from dangjian.people.imports import PersonImporter
from dangjian.people.models import Person
from dangjian.people.rules import check_character
from dangjian.urls import urlpatterns as base_urlpatterns

pytestmark = pytest.mark.django_db

# the import pages under /imports/ until dangjian/urls.py includes them
urlpatterns = [
    *base_urlpatterns,
    *(
        []
        if any(getattr(p, "namespace", None) == "imports" for p in base_urlpatterns)
        else [path("imports/", include("dangjian.core.import_urls"))]
    ),
]
URLS = __name__

HEADERS = [
    "姓名",
    "身份证号",
    "性别",
    "出生日期",
    "手机号码",
    "学历",
    "职务/岗位",
    "所在单位代码",
    "专任教师",
    "骨干教师",
]


def xlsx(rows: list[list[Any]], headers: list[str] = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def person_row(seq: int, name: str = "", unit: str = "QSX-CG-01", **kw: Any) -> list[Any]:
    values = {
        "姓名": name or f"教师{seq}",
        "身份证号": make_id_number(seq),
        "性别": "",
        "出生日期": "",
        "手机号码": f"139{seq:08d}",
        "学历": "大学本科",
        "职务/岗位": "数学教师",
        "所在单位代码": unit,
        "专任教师": "是",
        "骨干教师": "否",
    } | kw
    return [values[h] for h in HEADERS]


def import_people(user: Any, content: bytes) -> Outcome:
    return run(PersonImporter(user), read_rows(content, PersonImporter.columns))


def bad_check_digit(seq: int) -> tuple[str, str]:
    good = make_id_number(seq)
    wrong = "1" if good[-1] != "1" else "2"
    return good[:-1] + wrong, good[-1]


def test_import_people_good_file_writes_all_with_audit(secretary_a: Any) -> None:
    audits = AuditEntry.objects.count()
    outcome = import_people(
        secretary_a,
        xlsx([person_row(1, "王晓明"), person_row(2, "刘芳", 骨干教师="是"), person_row(3)]),
    )
    assert outcome.ok, outcome.errors
    assert (outcome.created, outcome.updated, outcome.unchanged) == (3, 0, 0)
    assert Person.objects.count() == 3
    assert AuditEntry.objects.count() == audits + 3
    assert AuditEntry.objects.filter(action="people.person_create").count() == 3
    liu = Person.objects.get(name="刘芳")
    assert liu.is_key_teacher and liu.education == "bachelor" and liu.unit.code == "QSX-CG-01"
    assert liu._id_number_plain() == make_id_number(2)
    assert liu.sex == "F"  # derived from the number: sequence 002 is even


def test_import_people_bad_rows_write_nothing_and_name_each_cell(secretary_a: Any) -> None:
    bad_number, expected = bad_check_digit(5)
    content = xlsx(
        [
            person_row(1),  # row 2: good, but must not be written
            person_row(5, 身份证号=bad_number),  # row 3
            person_row(6),  # row 4
            person_row(6),  # row 5: same number as row 4
            person_row(7, unit="NOPE"),  # row 6
            person_row(8, unit="QSX-CG-02"),  # row 7: the sibling school
            person_row(9, 出生日期="2024-02-30"),  # row 8
            person_row(10, 学历="大专"),  # row 9
            person_row(11, 性别="男", 姓名=""),  # row 10: 011 is male; name missing
            person_row(12, 性别="男"),  # row 11: 012 is female
            person_row(13, 专任教师="也许"),  # row 12
        ]
    )
    people, audits = Person.objects.count(), AuditEntry.objects.count()
    outcome = import_people(secretary_a, content)
    messages = [str(e) for e in outcome.errors]
    assert f"第3行「身份证号」：校验位错误，应为{expected}" in messages
    assert "第5行「身份证号」：与第4行重复" in messages
    assert "第6行「所在单位代码」：未找到单位代码「NOPE」" in messages
    assert "第7行「所在单位代码」：不在您的管理范围内" in messages
    assert "第8行「出生日期」：日期无效，请填写如2024-03-16的日期" in messages
    assert any(m.startswith("第9行「学历」：「大专」不是可选值") for m in messages)
    assert "第10行「姓名」：不能为空" in messages
    assert "第11行「性别」：与身份证号中的性别不一致" in messages
    assert "第12行「专任教师」：「也许」无效，请填写“是”或“否”" in messages
    assert not any(m.startswith("第2行") or m.startswith("第4行") for m in messages)
    assert outcome.created == outcome.updated == outcome.unchanged == 0
    assert Person.objects.count() == people
    assert AuditEntry.objects.count() == audits


def test_import_people_number_typed_as_excel_number_is_refused(secretary_a: Any) -> None:
    mangled = float(make_id_number(3)[:15] + "000")  # what Excel keeps of an 18-digit number
    outcome = import_people(secretary_a, xlsx([person_row(3, 身份证号=mangled)]))
    assert [str(e) for e in outcome.errors] == [
        "第2行「身份证号」：单元格是数字格式，Excel只保留15位有效数字，号码已被改动；"
        "请把该列设为文本格式后重新填写"
    ]


def test_import_people_reimport_is_noop(secretary_a: Any) -> None:
    content = xlsx([person_row(1), person_row(2), person_row(3)])
    assert import_people(secretary_a, content).created == 3
    audits = AuditEntry.objects.count()
    outcome = import_people(secretary_a, content)
    assert outcome.ok
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.count() == audits


def test_import_people_changed_row_updates(secretary_a: Any) -> None:
    import_people(secretary_a, xlsx([person_row(1), person_row(2), person_row(3)]))
    audits = AuditEntry.objects.count()
    changed = xlsx([person_row(1), person_row(2, "刘芳芳", 手机号码="13700000000"), person_row(3)])
    outcome = import_people(secretary_a, changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 2)
    assert AuditEntry.objects.count() == audits + 1
    person = Person.objects.get(name="刘芳芳")
    assert person._phone_plain() == "13700000000"
    assert person.phone_masked == "137****0000"


def test_import_people_number_typed_with_lowercase_x_matches(secretary_a: Any) -> None:
    first17 = "11010519491231002"
    number = first17 + check_character(first17)
    assert number.endswith("X")
    import_people(secretary_a, xlsx([person_row(1, 身份证号=number)]))
    outcome = import_people(secretary_a, xlsx([person_row(1, 身份证号=number.lower())]))
    assert outcome.unchanged == 1


def test_import_people_registered_in_sibling_school_is_refused(
    secretary_a: Any, bureau_admin: Any
) -> None:
    import_people(bureau_admin, xlsx([person_row(1, unit="QSX-CG-02")]))
    outcome = import_people(secretary_a, xlsx([person_row(1)]))
    assert [str(e) for e in outcome.errors] == [
        "第2行「所在单位代码」：此人已在「其他单位」登记，调动请使用“交流轮岗”办理"
    ]


def test_import_people_needs_capability(county: dict[str, Any], make_user: Any) -> None:
    leader = make_user("bureau_leader", county["bureau"])
    outcome = import_people(leader, xlsx([person_row(1)]))
    assert [str(e) for e in outcome.errors] == [
        "第2行「所在单位代码」：您没有在「青山县第一中学」导入人员的权限"
    ]
    assert not Person.objects.exists()


# ---- through the page ----


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client: Any, content: bytes, name: str = "人员.xlsx") -> Any:
    f = io.BytesIO(content)
    f.name = name
    return client.post(reverse("imports:import-start", args=["people"]), {"file": f})


@pytest.mark.urls(URLS)
def test_import_page_good_file_reports_counts(client: Any, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    page = client.get(reverse("imports:import-start", args=["people"]))
    assert page.status_code == 200
    assert "下载导入模板" in page.content.decode()
    html = upload(client, xlsx([person_row(1), person_row(2)])).content.decode()
    assert "导入完成" in html
    assert "新增 <strong>2</strong> 条" in html
    assert Person.objects.count() == 2


@pytest.mark.urls(URLS)
def test_import_page_lists_errors(client: Any, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    bad_number, expected = bad_check_digit(5)
    html = upload(client, xlsx([person_row(1), person_row(5, 身份证号=bad_number)])).content
    text = html.decode()
    assert "有 1 处错误，未写入任何数据" in text
    assert "第3行" in text and f"校验位错误，应为{expected}" in text
    assert not Person.objects.exists()


@pytest.mark.urls(URLS)
def test_import_page_large_file_runs_as_job(
    client: Any,
    secretary_a: Any,
    settings: Any,
    media: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.IMPORT_SYNC_MAX_ROWS = 2
    client.force_login(secretary_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, xlsx([person_row(1), person_row(2), person_row(3)]))
    assert response.status_code == 200
    job = Job.objects.get(kind="import")
    assert f'id="job-{job.pk}"' in response.content.decode()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total) == (3, 3)
    assert job.params["created"] == 3
    assert job.message == "新增3条，更新0条，未变化0条"
    assert Person.objects.count() == 3
    assert job.requested_by == secretary_a


@pytest.mark.urls(URLS)
def test_import_page_large_bad_file_job_fails_with_errors(
    client: Any,
    secretary_a: Any,
    settings: Any,
    media: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.IMPORT_SYNC_MAX_ROWS = 2
    client.force_login(secretary_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, xlsx([person_row(1), person_row(2), person_row(3, unit="QSX-CG-02")]))
    job = Job.objects.get(kind="import")
    assert job.status == Job.Status.FAILED
    assert job.errors == ["第4行「所在单位代码」：不在您的管理范围内"]
    assert not Person.objects.exists()


@pytest.mark.urls(URLS)
def test_import_page_refused_without_capability(
    client: Any, county: dict[str, Any], make_user: Any
) -> None:
    client.force_login(make_user("bureau_leader", county["bureau"]))
    assert client.get(reverse("imports:import-start", args=["people"])).status_code == 403
    assert client.get(reverse("imports:import-template", args=["people"])).status_code == 403
