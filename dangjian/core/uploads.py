"""The one check every uploaded file passes before an action stores it (evidence photos, minutes,
attachments): an allowed type by extension whose first bytes match it (a renamed .exe is not a
.pdf; a .docx must be a Word package), not empty, at most 10 MB. Refusals name the field and the
file, in Chinese."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

from .errors import ActionError

MAX_UPLOAD = 10 * 1024 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# extension → (content type, leading bytes, the member a zip package must hold)
TYPES: dict[str, tuple[str, bytes, str]] = {
    ".jpg": ("image/jpeg", b"\xff\xd8\xff", ""),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff", ""),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n", ""),
    ".pdf": ("application/pdf", b"%PDF", ""),
    ".docx": (DOCX_TYPE, b"PK\x03\x04", "word/document.xml"),
    ".doc": ("application/msword", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ""),
    ".xlsx": (XLSX_TYPE, b"PK\x03\x04", "xl/workbook.xml"),
}
PHOTOS_PDF = (".jpg", ".jpeg", ".png", ".pdf")
WITH_WORD = (*PHOTOS_PDF, ".docx")


def _names(allowed: Iterable[str]) -> str:
    return "、".join(dict.fromkeys(e.lstrip(".").replace("jpeg", "jpg") for e in allowed))


def check_upload(
    f: UploadedFile, *, field: str, label: str, allowed: tuple[str, ...] = PHOTOS_PDF
) -> str:
    """The file's content type, or an ActionError naming the field and the file."""
    name = f.name or ""
    ext = PurePath(name).suffix.lower()

    def refuse(problem: str) -> ActionError:
        return ActionError(f"「{label}」：{name} {problem}", field, label)

    if ext not in allowed or ext not in TYPES:
        raise refuse(f"的类型不允许，只能上传 {_names(allowed)}")
    if not f.size:
        raise refuse("是空文件")
    if f.size > MAX_UPLOAD:
        raise refuse("超过 10 MB")
    content_type, magic, member = TYPES[ext]
    f.seek(0)
    ok = f.read(len(magic)) == magic
    if ok and member:
        f.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(f.read())) as z:
                ok = member in z.namelist()
        except zipfile.BadZipFile:
            ok = False
    f.seek(0)
    if not ok:
        raise refuse("的内容与扩展名不符")
    return content_type
