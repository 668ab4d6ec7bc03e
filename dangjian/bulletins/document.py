"""The Word bulletin (通报), written only from the content frozen at issue, so the document of an
issued bulletin can be written again at any time and says the same."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dangjian.core.dates import cn_date
from dangjian.core.documents import OfficialDocument

from . import content as c
from .models import Bulletin, Example

DEFAULT_REQUIREMENTS = (
    "各学校要对照本期通报的问题举一反三、全面自查，逾期未整改的问题要明确责任人和完成时限，"
    "限期整改到位并报送整改佐证材料；对整改不力、敷衍整改的，将按照“一事一追责”的要求严肃问责。",
    "各学区、挂联干部要加强日常督导，下月督查要覆盖所有学校，对本期通报问题开展“回头看”。",
)


def _n(content: dict[str, Any], name: str) -> Any:
    return c.value(content, name)


def _inspection_para(b: Bulletin, content: dict[str, Any]) -> str:
    kinds = c.parts(content, "inspections", "kind")
    text = f"{b.month_label}，共开展各类督查{_n(content, 'inspections')}次"
    text += f"（{kinds}）" if kinds else ""
    text += f"，受检学校{_n(content, 'schools_inspected')}所"
    missed = _n(content, "schools_uninspected")
    if not missed:
        return text + "，实现“一月一督察”全覆盖。"
    names = content.get("uninspected", [])
    named = "、".join(names) + (f"等{missed}所学校" if missed > len(names) else "")
    return (
        text + f"；{named or f'{missed}所学校'}本月未开展任何形式的督查，未实现“一月一督察”全覆盖。"
    )


def _finding_paras(content: dict[str, Any]) -> list[str]:
    found, own = _n(content, "findings"), _n(content, "self_check_findings")
    sev = c.parts(content, "findings", "severity")
    text = f"督查发现问题{found}个（{sev}）" if found else "各类督查未发现问题"
    own_sev = c.parts(content, "self_check_findings", "severity")
    text += f"，学校自查问题{own}个（{own_sev}）。" if own else "，学校自查未报告问题。"
    paras = [text]
    areas = c.parts(content, "findings", "area")
    own_areas = c.parts(content, "self_check_findings", "area")
    if areas or own_areas:
        parts = []
        if areas:
            parts.append(f"督查发现的问题中，{areas}")
        if own_areas:
            parts.append(f"学校自查的问题中，{own_areas}")
        paras.append("从问题领域看：" + "；".join(parts) + "。")
    return paras


def _rectification_para(content: dict[str, Any]) -> str:
    as_of = dt.date.fromisoformat(content["last"])
    rectified = _n(content, "rectified")
    text = f"本月整改销号问题{rectified}个"
    if rectified:
        text += (
            f"，其中按期整改{_n(content, 'rectified_on_time')}个，"
            f"按期整改率{_n(content, 'rectified_on_time_rate')}%"
        )
    overdue = _n(content, "overdue")
    text += f"；截至{cn_date(as_of)}，"
    text += f"逾期未整改问题{overdue}个。" if overdue else "没有逾期未整改的问题。"
    return text


def _accountability_para(content: dict[str, Any]) -> str:
    n = _n(content, "accountability")
    if n:
        text = f"本月作出问责决定{n}件（{c.parts(content, 'accountability', 'form')}）"
    else:
        text = "本月未作出问责决定"
    sessions = _n(content, "warning_education_sessions")
    text += f"；开展警示教育{sessions}场次。" if sessions else "。"
    return text


def _examples(doc: OfficialDocument, examples: list[Example]) -> None:
    for ex in examples:
        doc.subheading(ex.unit.name)
        doc.para(ex.text)


def write(bulletin: Bulletin, examples: list[Example]) -> bytes:
    issued_on = bulletin.issued_on
    if issued_on is None:
        raise ValueError("a bulletin is written when it is issued")
    content = bulletin.content
    doc = OfficialDocument()
    doc.title("党建督导工作通报")
    doc.centered(bulletin.number_label)
    doc.masthead(bulletin.unit.name, issued_on)
    if bulletin.summary.strip():
        doc.para(bulletin.summary.strip())
    doc.heading("督查开展情况")
    doc.para(_inspection_para(bulletin, content))
    doc.heading("问题发现和整改情况")
    for p in _finding_paras(content):
        doc.para(p)
    doc.para(_rectification_para(content))
    doc.heading("追责问责情况")
    doc.para(_accountability_para(content))
    good = [e for e in examples if e.kind == Example.Kind.GOOD]
    bad = [e for e in examples if e.kind == Example.Kind.BAD]
    if good:
        doc.heading("典型经验")
        _examples(doc, good)
    if bad:
        doc.heading("存在问题（点名通报）")
        _examples(doc, bad)
    doc.heading("下步工作要求")
    lines = [ln.strip() for ln in bulletin.requirements.splitlines() if ln.strip()]
    for line in lines or DEFAULT_REQUIREMENTS:
        doc.para(line)
    # the issuer and date close the text; the table follows as its attachment (附表)
    doc.signature(bulletin.unit.name, issued_on)
    schools = content.get("schools", [])
    if schools:
        doc.doc.add_page_break()
        doc.plain("附表：各学校督查及问题整改情况")
        headers = ["序号", "学校", *(label for _, label in c.SCHOOL_COLUMNS)]
        doc.table(
            headers,
            [
                [i, r["name"], *(r[col] for col, _ in c.SCHOOL_COLUMNS)]
                for i, r in enumerate(schools, start=1)
            ],
        )
    return doc.bytes()
