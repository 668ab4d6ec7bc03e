"""The accountability ledger (问责台账) as Excel: a title row, a frozen header, one row per
decision, a totals row by form; a second sheet lists the findings decided without
accountability and why."""

from __future__ import annotations

from collections import Counter
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .models import AccountabilityRecord

HEADER = [
    "序号",
    "决定日期",
    "责任单位",
    "被问责人",
    "问责方式",
    "形态",
    "文号",
    "决定机关",
    "涉及问题",
    "备注",
]
WIDTHS = [6, 12, 22, 18, 20, 12, 20, 20, 50, 24]
NONE_HEADER = ["序号", "决定日期", "学校", "问题", "发现日期", "不予追责理由", "决定机关"]
NONE_WIDTHS = [6, 12, 22, 50, 12, 40, 20]
LEVELS = dict(AccountabilityRecord.LEVEL_CHOICES)


def _finding_text(f: Any) -> str:
    return f"{f.unit.name}：{f.area}—{f.description}"


def record_row(n: int, r: AccountabilityRecord) -> list[Any]:
    people = [p.name for p in r.people.all()]
    return [
        n,
        r.decided_on,
        r.unit.name,
        "、".join(people) or "（党组织）",
        r.form_display,
        str(LEVELS.get(r.form_level, "")),
        r.document_number,
        r.decided_by,
        "；".join(_finding_text(f) for f in r.findings.all()),
        r.notes,
    ]


def none_row(n: int, d: Any) -> list[Any]:
    f = d.finding
    return [
        n,
        d.decided_on,
        f.unit.name,
        f"{f.area}—{f.description}",
        f.found_on,
        d.reason,
        d.decided_by,
    ]


def _sheet(ws: Worksheet, title: str, header: list[str], widths: list[int]) -> None:
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(header)
    thin = Side(style="thin", color="999999")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = Border(bottom=thin)
    ws.freeze_panes = "A3"
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _dates(ws: Worksheet, columns: tuple[int, ...], first: int, last: int) -> None:
    for r in range(first, last + 1):
        for c in columns:
            ws.cell(row=r, column=c).number_format = "yyyy-mm-dd"


def write_ledger(path: str, title: str, records: list[Any], nones: list[Any]) -> int:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101  a new workbook always has a sheet
    ws.title = "问责台账"
    _sheet(ws, title, HEADER, WIDTHS)
    for n, r in enumerate(records, start=1):
        ws.append(record_row(n, r))
    _dates(ws, (2,), 3, len(records) + 2)
    by_form = Counter(r.form_display.split("（")[0] for r in records)
    total = len(records) + 3
    ws.cell(row=total, column=1, value="合计")
    ws.cell(row=total, column=2, value=f"{len(records)}件")
    ws.cell(row=total, column=5, value="，".join(f"{k}{v}件" for k, v in by_form.items()))
    for cell in ws[total]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=3, max_row=total):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws2 = wb.create_sheet("不予追责")
    _sheet(ws2, f"{title}（不予追责说明）", NONE_HEADER, NONE_WIDTHS)
    for n, d in enumerate(nones, start=1):
        ws2.append(none_row(n, d))
    _dates(ws2, (2, 5), 3, len(nones) + 2)
    wb.save(path)
    return len(records)
