"""The branch's yearly dues ledger (党费收缴台账) as Excel: title row, frozen header, one row per
member with the twelve months received, a totals row, money as ¥#,##0.00."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from dangjian.party.models import PartyMember

from .models import DuesBase, DuesCharge, DuesPayment

MONEY_FORMAT = '"¥"#,##0.00'
MONTHS = [f"{m}月" for m in range(1, 13)]
HEADER = [
    "序号",
    "姓名",
    "党费类别",
    "党费基数",
    "月应交",
    *MONTHS,
    "全年应交",
    "全年实交",
    "差额",
    "自愿多交",
]
MONEY_FROM = 4  # columns from 党费基数 on are money


def ledger_rows(branch: Any, year: int) -> list[list[Any]]:
    """[序号, 姓名, 类别, 基数, 月应交, 1月…12月实交, 全年应交, 全年实交, 差额, 自愿多交] per member
    who owed or paid anything that year (or is an active member of the branch)."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    expected = dict(
        DuesCharge.objects.filter(member__branch=branch, month__gte=start, month__lt=end)
        .values("member_id")
        .annotate(v=Sum("amount"))
        .values_list("member_id", "v")
    )
    paid: dict[int, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    extra: dict[int, Decimal] = defaultdict(Decimal)
    for member_id, month, voluntary, amount in (
        DuesPayment.objects.filter(member__branch=branch, month__gte=start, month__lt=end)
        .values("member_id", "month", "voluntary_extra")
        .annotate(v=Sum("amount"))
        .values_list("member_id", "month", "voluntary_extra", "v")
    ):
        if voluntary:
            extra[member_id] += amount
        else:
            paid[member_id][month.month] += amount
    bases = {b.member_id: b for b in DuesBase.objects.filter(member__branch=branch, year=year)}
    ids = set(expected) | set(paid) | set(extra)
    everyone = PartyMember.objects.filter(branch=branch).select_related("person")
    members = [m for m in everyone.order_by("person__name", "pk") if m.pk in ids or m.is_active]
    categories = dict(PartyMember.DuesCategory.choices)
    out = []
    for n, m in enumerate(members, start=1):
        base = bases.get(m.pk)
        months = [paid[m.pk].get(i) for i in range(1, 13)]
        owed = expected.get(m.pk) or Decimal("0.00")
        got = sum((v for v in months if v is not None), Decimal("0.00"))
        out.append(
            [
                n,
                m.person.name,
                str(categories.get(base.category, "")) if base else "基数未核定",
                base.monthly_base if base else None,
                base.monthly_amount if base else None,
                *months,
                owed,
                got,
                got - owed,
                extra.get(m.pk),
            ]
        )
    return out


def write_ledger(path: str, title: str, branch: Any, year: int) -> int:
    rows = ledger_rows(branch, year)
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101  a new workbook always has a sheet
    ws.title = f"{year}年党费台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(HEADER)
    thin = Side(style="thin", color="999999")
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        cell.border = Border(bottom=thin)
    for row in rows:
        ws.append(row)
    total_row = len(rows) + 3
    ws.cell(row=total_row, column=1, value="合计")
    ws.cell(row=total_row, column=2, value=f"{len(rows)}人")
    for col in range(MONEY_FROM + 2, len(HEADER) + 1):  # values, not formulas: every viewer
        values = [r[col - 1] for r in rows if r[col - 1] is not None]
        ws.cell(row=total_row, column=col, value=sum(values, Decimal("0.00")))
    for cell in ws[total_row]:
        cell.font = Font(bold=True)
        cell.border = Border(top=thin)
    for r in range(3, total_row + 1):
        for col in range(MONEY_FROM, len(HEADER) + 1):
            ws.cell(row=r, column=col).number_format = MONEY_FORMAT
    ws.freeze_panes = "C3"
    widths = {1: 6, 2: 10, 3: 14}
    for col in range(1, len(HEADER) + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 11)
    wb.save(path)
    return len(rows)
