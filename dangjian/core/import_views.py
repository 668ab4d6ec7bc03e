"""The import pages: download the template, upload a file, see the errors or the counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from .exports import XLSX
from .forms import BaseForm
from .http import AuthedHttpRequest
from .imports import (
    MAX_BYTES,
    Importer,
    ImportFileError,
    get_importer,
    import_job_create,
    read_rows,
    run,
    sync_max_rows,
    template_xlsx,
)
from .scope import require


class UploadForm(BaseForm):
    file = forms.FileField(
        label="Excel 文件",
        help_text="请使用本页提供的模板（.xlsx），文件不超过10 MB",
        error_messages={"required": "请选择要导入的文件", "empty": "文件是空的"},
    )


def _importer(request: AuthedHttpRequest, kind: str) -> type[Importer]:
    cls = get_importer(kind)
    if cls is None:
        raise Http404("未找到该导入类型")
    require(request.user, "core.import")
    return cls


def _list_link(cls: type[Importer]) -> tuple[str, str] | None:
    try:
        return (cls.title, reverse(cls.list_url)) if cls.list_url else None
    except NoReverseMatch:
        return None


@login_required
def import_start(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    cls = _importer(request, kind)
    context: dict[str, Any] = {"importer": cls}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_BYTES:
                    raise ImportFileError("文件超过10 MB，请拆分成几个文件分批导入")
                content = upload.read()
                rows = read_rows(content, cls.columns)
            except ImportFileError as exc:
                form.add_error("file", exc.message)
            else:
                if len(rows) > sync_max_rows():
                    context["job"] = import_job_create(
                        actor=request.user,
                        imp=cls,
                        filename=upload.name,
                        content=content,
                        total=len(rows),
                    )
                else:
                    context["outcome"] = run(cls(request.user), rows)
                context["filename"] = upload.name
                form = UploadForm()
    else:
        form = UploadForm()
    back = _list_link(cls)
    context |= {
        "form": form,
        "list_link": back,
        "page_title": f"导入{cls.title}",
        "breadcrumbs": [*([back] if back else []), (f"导入{cls.title}", None)],
    }
    return render(request, "core/import.html", context)


@login_required
def import_template(request: AuthedHttpRequest, kind: str) -> HttpResponse:
    cls = _importer(request, kind)
    response = HttpResponse(template_xlsx(cls), content_type=XLSX)
    from urllib.parse import quote

    name = quote(f"{cls.title}导入模板.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
