"""The Chinese official-document look for every Word document the platform writes (UI.md
"Documents"): A4, title 小标宋/黑体 22pt, body 仿宋_GB2312 16pt with 28pt lines, headings 一、
in 黑体 and （一） in 楷体, tables, issuing organisation and date at the end. The official fonts are
named with fallbacks Word substitutes where they are missing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .dates import cn_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
# the font table tells Word what to use where the official fonts are missing
FALLBACKS = {
    TITLE_FONT: "黑体",
    BODY_FONT: "仿宋",
    SUBHEADING_FONT: "楷体",
    HEADING_FONT: "SimHei",
}
CN_NUMBERS = "一二三四五六七八九十"


class OfficialDocument:
    def __init__(self) -> None:
        self.doc = new_document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        normal = self.doc.styles["Normal"]
        self._font(normal.font, normal.element.get_or_add_rPr(), BODY_FONT, 16)
        normal.paragraph_format.line_spacing = Pt(28)
        self._register_fallbacks()
        self.headings = 0
        self.subheadings = 0

    @staticmethod
    def _font(font: Any, rpr: Any, name: str, size: float, bold: bool = False) -> None:
        font.name = name
        font.size = Pt(size)
        font.bold = bold
        fonts = rpr.get_or_add_rFonts()
        for attr in ("w:eastAsia", "w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), name)

    def _register_fallbacks(self) -> None:
        part = next(
            r.target_part for r in self.doc.part.rels.values() if r.reltype == RT.FONT_TABLE
        )
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            for name, alt in FALLBACKS.items()
        )
        blob = part.blob.decode("utf-8")
        part._blob = blob.replace("</w:fonts>", entries + "</w:fonts>").encode("utf-8")

    def _run(self, paragraph: Any, text: str, font: str, size: float, bold: bool = False) -> Any:
        run = paragraph.add_run(text)
        self._font(run.font, run._element.get_or_add_rPr(), font, size, bold)
        return run

    def title(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(16)
        p.paragraph_format.line_spacing = Pt(36)
        self._run(p, text, TITLE_FONT, 22)

    def centered(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, text, BODY_FONT, 16)

    def masthead(self, issuer: str, on: dt.date) -> None:
        """The issuer left, the date right, over a red rule (the 简报/通报 head)."""
        p = self.doc.add_paragraph()
        # A4 less the side margins set in __init__
        p.paragraph_format.tab_stops.add_tab_stop(Cm(21 - 2.8 - 2.6), WD_TAB_ALIGNMENT.RIGHT)
        self._run(p, f"{issuer}\t{cn_date(on)}", BODY_FONT, 16)
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, val in (
            ("w:val", "single"),
            ("w:sz", "18"),
            ("w:space", "4"),
            ("w:color", "C00000"),
        ):
            bottom.set(qn(key), val)
        border.append(bottom)
        p._p.get_or_add_pPr().append(border)

    def heading(self, text: str) -> None:
        """一、二、… in 黑体; the （一）level restarts under each."""
        self.headings += 1
        self.subheadings = 0
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        self._run(p, f"{CN_NUMBERS[self.headings - 1]}、{text}", HEADING_FONT, 16)

    def subheading(self, text: str) -> None:
        self.subheadings += 1
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        self._run(p, f"（{CN_NUMBERS[self.subheadings - 1]}）{text}", SUBHEADING_FONT, 16)

    def para(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        self._run(p, text, BODY_FONT, 16)

    def plain(self, text: str) -> None:
        p = self.doc.add_paragraph()
        self._run(p, text, BODY_FONT, 16)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """A bordered table, headers in 黑体, cells in 仿宋 12pt (16pt cells do not fit A4)."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, str(text), HEADING_FONT)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                self._cell(cell, str(text), BODY_FONT)

    def _cell(self, cell: Any, text: str, font: str) -> None:
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.line_spacing = Pt(18)
        p.paragraph_format.first_line_indent = Pt(0)
        self._run(p, text, font, 12)

    def signature(self, issuer: str, on: dt.date) -> None:
        self.doc.add_paragraph()
        for text in (issuer, cn_date(on)):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(64)
            self._run(p, text, BODY_FONT, 16)

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
