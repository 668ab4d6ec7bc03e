"""core.uploads.check_upload: the one gate for uploaded files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.errors import ActionError
from dangjian.core.uploads import MAX_UPLOAD, PHOTOS_PDF, WITH_WORD, check_upload


def _zip(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(member, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "allowed", "content_type"),
    [
        ("现场.JPG", b"\xff\xd8\xff\xe0rest", PHOTOS_PDF, "image/jpeg"),
        ("a.png", b"\x89PNG\r\n\x1a\nrest", PHOTOS_PDF, "image/png"),
        ("纪要.pdf", b"%PDF-1.7", PHOTOS_PDF, "application/pdf"),
        (
            "纪要.docx",
            _zip("word/document.xml"),
            WITH_WORD,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted(name, data, allowed, content_type):
    f = SimpleUploadedFile(name, data)
    assert check_upload(f, field="file", label="附件", allowed=allowed) == content_type
    assert f.tell() == 0  # left ready to be stored


@pytest.mark.parametrize(
    ("name", "data", "allowed", "problem"),
    [
        ("a.exe", b"MZ", PHOTOS_PDF, "a.exe 的类型不允许，只能上传 jpg、png、pdf"),
        ("a.docx", _zip("word/document.xml"), PHOTOS_PDF, "的类型不允许"),
        ("a.png", b"not a png", PHOTOS_PDF, "a.png 的内容与扩展名不符"),
        ("a.docx", _zip("xl/workbook.xml"), WITH_WORD, "的内容与扩展名不符"),
        ("a.docx", b"PK\x03\x04broken", WITH_WORD, "的内容与扩展名不符"),
        ("a.pdf", b"", PHOTOS_PDF, "a.pdf 是空文件"),
        ("a.pdf", b"%PDF" + b"0" * MAX_UPLOAD, PHOTOS_PDF, "a.pdf 超过 10 MB"),
    ],
)
def test_refused_naming_field_and_file(name, data, allowed, problem):
    with pytest.raises(ActionError) as e:
        check_upload(
            SimpleUploadedFile(name, data), field="evidence", label="佐证材料", allowed=allowed
        )
    assert e.value.field == "evidence" and e.value.label == "佐证材料"
    assert e.value.message.startswith("「佐证材料」：") and problem in e.value.message
