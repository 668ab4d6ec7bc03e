"""xlsx export of a list exactly as filtered; small lists stream now, large ones become a Job."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable
from typing import Any

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .listing import Column

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def write_xlsx(
    path: str, title: str, columns: list[Column], rows: Iterable[Any], progress: Any = None
) -> int:
    """A ledger-style sheet: title row, frozen header, fitted widths, dates as dates."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    widths = [max(8, len(c.label) * 2 + 2) for c in columns]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(w + 6, 40)
    ws.freeze_panes = "A3"
    from openpyxl.cell import WriteOnlyCell

    title_cell = WriteOnlyCell(ws, value=title)
    title_cell.font = Font(bold=True, size=14)
    ws.append([title_cell])
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    ws.append(header)
    n = 0
    for row in rows:
        values = []
        for c in columns:
            v = _cell(c.value(row))
            if isinstance(v, dt.date):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "yyyy-mm-dd"
                values.append(cell)
            else:
                values.append(v)
        ws.append(values)
        n += 1
        if progress is not None and n % 500 == 0:
            progress(n)
    wb.save(path)
    return n


def xlsx_response(title: str, columns: list[Column], rows: Iterable[Any]) -> FileResponse:
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115  closed by FileResponse
    write_xlsx(tmp.name, title, columns, rows)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=f"{title}.xlsx", content_type=XLSX)


# ---- registry: every list page registers itself once; page, export and task share it ----

from dataclasses import dataclass  # noqa: E402
from typing import Callable  # noqa: E402, UP035

from django.db.models import QuerySet  # noqa: E402

from .listing import ListSpec  # noqa: E402


@dataclass(frozen=True)
class ExportSource:
    name: str
    title: str
    spec: ListSpec
    queryset: Callable[[Any], QuerySet[Any]]  # user → scoped rows (for_user inside)
    capability: str = "core.export"  # admins' own lists need their admin capability instead


EXPORTABLE: dict[str, ExportSource] = {}


def exportable(
    name: str,
    title: str,
    spec: ListSpec,
    queryset: Callable[[Any], QuerySet[Any]],
    capability: str = "core.export",
) -> ExportSource:
    source = ExportSource(name, title, spec, queryset, capability)
    EXPORTABLE[name] = source
    return source
