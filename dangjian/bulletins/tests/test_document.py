"""The Word bulletin: official look, every section, the named examples, the school table."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from dangjian.bulletins import actions, document

from .conftest import ISSUE_DAY, MAY

pytestmark = pytest.mark.django_db


def _issue(month_world: dict[str, Any], inspector: Any, **kw: Any) -> Any:
    b = actions.bulletin_create(
        actor=inspector, unit=month_world["bureau"], month=MAY, today=ISSUE_DAY, **kw
    )
    actions.example_add(
        actor=inspector, bulletin=b, kind="good", unit=month_world["a"], text="问题清单逐项销号。"
    )
    overdue = month_world["overdue"]
    actions.example_add(
        actor=inspector,
        bulletin=b,
        kind="bad",
        unit=overdue.unit,
        finding=overdue,
        text="逾期未整改。",
    )
    return actions.bulletin_issue(actor=inspector, bulletin=b, today=ISSUE_DAY)


def _text(data: bytes) -> tuple[str, Any]:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs), doc


def test_sections_figures_examples_table(month_world, inspector):
    b = _issue(month_world, inspector, summary="五月全县督查工作有序推进。")
    text, doc = _text(document.write(b, list(b.examples.all())))
    assert doc.paragraphs[0].text == "党建督导工作通报"
    assert "2024年第1期" in text and "青山县教育局\t2024年6月5日" in text
    assert "五月全县督查工作有序推进。" in text
    for heading in (
        "一、督查开展情况",
        "二、问题发现和整改情况",
        "三、追责问责情况",
        "四、典型经验",
        "五、存在问题（点名通报）",
        "六、下步工作要求",
    ):
        assert heading in text
    assert "共开展各类督查3次（学校自查1次、学区巡查1次、督导组抽查1次），受检学校2所" in text
    assert (
        "督查发现问题4个（轻微2个、一般1个、严重1个），学校自查问题2个（轻微1个、一般1个）。"
        in text
    )
    assert "按期整改率50.0%" in text and "截至2024年5月31日，逾期未整改问题3个。" in text
    assert "本月作出问责决定1件（谈话提醒1件）；开展警示教育1场次。" in text
    assert "（一）青山县第一中学" in text and "问题清单逐项销号。" in text
    assert "逾期未整改。" in text
    assert "各学校要对照本期通报的问题" in text  # the default requirements
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "序号",
        "学校",
        "督查次数",
        "督查发现问题",
        "自查问题",
        "整改销号",
        "逾期未整改",
    ]
    assert [c.text for c in table.rows[1].cells][:2] == ["1", "城关镇中心小学"]
    assert len(table.rows) == 3
    body = doc.styles["Normal"].font
    assert body.name == "仿宋_GB2312" and body.size.pt == 16


def test_own_requirements_replace_the_default(month_world, inspector):
    b = _issue(month_world, inspector, requirements="第一条要求\n第二条要求")
    text, _ = _text(document.write(b, []))
    assert "第一条要求" in text and "第二条要求" in text and "各学校要对照" not in text
    assert "四、典型经验" not in text  # no examples, no section


def test_names_uninspected_schools_and_self_check_areas(month_world, inspector, system):
    from dangjian.orgs.actions import unit_create

    unit_create(
        actor=system,
        parent=month_world["district"],
        code="QSX-CG-9",
        name="未检小学",
        kind="primary",
    )
    b = _issue(month_world, inspector)
    text, doc = _text(document.write(b, []))
    assert "受检学校2所；未检小学本月未开展任何形式的督查" in text
    assert "学校自查的问题中，党费收缴1个、组织生活1个" in text
    # the issuer and date close the text, before the attached table
    sign = next(i for i, p in enumerate(doc.paragraphs) if p.text == "2024年6月5日")
    annex = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("附表"))
    assert sign < annex
