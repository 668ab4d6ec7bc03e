"""The import framework: reading files, refusing bad ones with a clear message, the template."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.urls import include, path, reverse
from openpyxl import Workbook, load_workbook

from dangjian.core.imports import (
    MAX_BYTES,
    ImportFileError,
    RowError,
    cell_text,
    get_importer,
    read_rows,
    template_xlsx,
)
from dangjian.urls import urlpatterns as base_urlpatterns

urlpatterns = [
    *base_urlpatterns,
    *(
        []
        if any(getattr(p, "namespace", None) == "imports" for p in base_urlpatterns)
        else [path("imports/", include("dangjian.core.import_urls"))]
    ),
]


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def people_columns() -> Any:
    cls = get_importer("people")
    assert cls is not None
    return cls.columns


def test_importers_registered_for_three_kinds() -> None:
    for kind, title in [("people", "人员"), ("units", "单位"), ("partyorgs", "党组织")]:
        cls = get_importer(kind)
        assert cls is not None and cls.title == title
    assert get_importer("nothing") is None


def test_read_rows_refuses_non_xlsx() -> None:
    with pytest.raises(ImportFileError, match="不是有效的 Excel"):
        read_rows("姓名,身份证号\n张三,1".encode(), people_columns())


def test_read_rows_refuses_empty_file() -> None:
    with pytest.raises(ImportFileError, match="文件是空的"):
        read_rows(b"", people_columns())
    with pytest.raises(ImportFileError, match="文件是空的"):
        read_rows(xlsx([]), people_columns())


def test_read_rows_refuses_header_only() -> None:
    headers = [c.header for c in people_columns()]
    with pytest.raises(ImportFileError, match="没有数据"):
        read_rows(xlsx([headers, [None] * len(headers)]), people_columns())


def test_read_rows_names_missing_columns() -> None:
    with pytest.raises(ImportFileError) as exc:
        read_rows(xlsx([["姓名", "性别"], ["张三", "男"]]), people_columns())
    assert "「身份证号」" in exc.value.message
    assert "「所在单位代码」" in exc.value.message
    assert "「姓名」" not in exc.value.message


def test_read_rows_refuses_large_file() -> None:
    with pytest.raises(ImportFileError, match="10 MB"):
        read_rows(b"x" * (MAX_BYTES + 1), people_columns())


def test_read_rows_keeps_excel_row_numbers_and_skips_blank_rows() -> None:
    headers = ["其他列", *[c.header for c in people_columns()]]
    width = len(headers)
    rows = read_rows(
        xlsx([headers, ["x", "张三"] + [None] * (width - 2), [None] * width, ["", "李四"]]),
        people_columns(),
    )
    assert [(r.number, r.data["name"]) for r in rows] == [(2, "张三"), (4, "李四")]


def test_cell_text_turns_excel_values_into_text() -> None:
    assert cell_text(dt.datetime(2024, 3, 16)) == "2024-03-16"
    assert cell_text(13800138000.0) == "13800138000"
    assert cell_text(3) == "3"
    assert cell_text(True) == "是"
    assert cell_text("  王 ") == "王"
    assert cell_text(None) == ""


def test_row_error_reads_like_the_rule() -> None:
    assert (
        str(RowError(12, "身份证号", "校验位错误，应为X"))
        == "第12行「身份证号」：校验位错误，应为X"
    )
    assert str(RowError(3, "", "整行有误")) == "第3行：整行有误"


def test_template_has_header_example_and_notes() -> None:
    cls = get_importer("people")
    assert cls is not None
    wb = load_workbook(io.BytesIO(template_xlsx(cls)))
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [c.header for c in cls.columns]
    # no sample row to trip over: the example sits on the 说明 sheet
    assert sheet.max_row == 1 or all(c.value is None for c in sheet[2])
    notes = wb["说明"]
    assert notes.cell(row=3, column=4).value == "11010519491231002X"
    text = " ".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "大学本科" in text and "必填" in text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_template_download(client: Any, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    response = client.get(reverse("imports:import-template", args=["units"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]][:3] == ["单位代码", "单位名称", "单位类型"]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "不是有效的 Excel"),
        (None, "表头缺少以下列"),
        (b"", "文件是空的"),
    ],
)
def test_import_page_bad_file_message(
    client: Any, secretary_a: Any, content: bytes | None, message: str
) -> None:
    client.force_login(secretary_a)
    if content is None:
        content = xlsx([["姓名"], ["张三"]])
    f = io.BytesIO(content)
    f.name = "upload.xlsx"
    response = client.post(reverse("imports:import-start", args=["people"]), {"file": f})
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_import_page_unknown_kind_is_404(client: Any, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    assert client.get(reverse("imports:import-start", args=["nothing"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_import_page_needs_login(client: Any) -> None:
    response = client.get(reverse("imports:import-start", args=["people"]))
    assert response.status_code == 302


def test_an_importer_must_write_through_all_four_hooks():
    from dangjian.core.imports import Importer

    class Half(Importer):
        def find(self, row):  # type: ignore[no-untyped-def]
            return None

    with pytest.raises(TypeError, match="abstract"):
        Half(None)  # type: ignore[abstract]
