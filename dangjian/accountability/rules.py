"""Accountability forms (RULES.md §7.3): the forms, their sub-kinds and the default 四种形态 level
of each. Pure: no Django. When a finding calls for a decision is rectification.rules.escalate."""

from __future__ import annotations

import enum
from typing import Final


class Form(enum.StrEnum):
    """Platform enum AccountabilityForm (RULES.md §7.3)."""

    TALK_REMINDER = "talk_reminder"
    CRITICISM = "criticism"
    SELF_EXAM = "self_exam"
    BULLETIN_CRITICISM = "bulletin_criticism"
    ADMONISHMENT = "admonishment"
    ORG_HANDLING = "org_handling"
    PARTY_SANCTION = "party_sanction"
    GOV_SANCTION = "gov_sanction"
    ORG_INSPECTION = "org_inspection"
    ORG_REORGANISATION = "org_reorganisation"


FORM_LABELS: Final[dict[Form, str]] = {
    Form.TALK_REMINDER: "谈话提醒",
    Form.CRITICISM: "批评教育",
    Form.SELF_EXAM: "责令检查",
    Form.BULLETIN_CRITICISM: "通报批评",
    Form.ADMONISHMENT: "诫勉",
    Form.ORG_HANDLING: "组织调整/组织处理",
    Form.PARTY_SANCTION: "党纪处分",
    Form.GOV_SANCTION: "政务处分",
    Form.ORG_INSPECTION: "检查（党组织）",
    Form.ORG_REORGANISATION: "改组（党组织）",
}

# forms addressed to a party organisation, not to a person (问责条例: 检查、改组)
ORG_FORMS: Final = frozenset({Form.ORG_INSPECTION, Form.ORG_REORGANISATION})

# 《中国共产党纪律处分条例》 and 《公职人员政务处分法》: sub-kind → (label, 形态)
SUB_KINDS: Final[dict[Form, dict[str, tuple[str, int]]]] = {
    Form.PARTY_SANCTION: {
        "warning": ("警告", 2),
        "serious_warning": ("严重警告", 2),
        "removal_from_post": ("撤销党内职务", 3),
        "probation": ("留党察看", 3),
        "expulsion": ("开除党籍", 3),
    },
    Form.GOV_SANCTION: {
        "warning": ("警告", 2),
        "demerit": ("记过", 2),
        "major_demerit": ("记大过", 2),
        "demotion": ("降级", 3),
        "dismissal_from_post": ("撤职", 3),
        "expulsion": ("开除", 3),
    },
}

# 四种形态 (党内监督条例 第七条): 1 批评教育、约谈函询; 2 轻处分、组织调整; 3 重处分、重大职务调整;
# 4 严重违纪涉嫌违法立案审查 — level 4 is never a default: it is set by the 纪检 body deciding.
DEFAULT_LEVEL: Final[dict[Form, int]] = {
    Form.TALK_REMINDER: 1,
    Form.CRITICISM: 1,
    Form.SELF_EXAM: 1,
    Form.BULLETIN_CRITICISM: 1,
    Form.ADMONISHMENT: 1,
    Form.ORG_HANDLING: 2,
    Form.PARTY_SANCTION: 2,
    Form.GOV_SANCTION: 2,
    Form.ORG_INSPECTION: 1,
    Form.ORG_REORGANISATION: 3,
}

LEVEL_LABELS: Final[dict[int, str]] = {
    1: "第一种形态",
    2: "第二种形态",
    3: "第三种形态",
    4: "第四种形态",
}


def default_level(form: str, sub_kind: str = "") -> int:
    """The 四种形态 level a form (and sub-kind) usually falls under; the decider may change it."""
    f = Form(form)
    subs = SUB_KINDS.get(f)
    if subs and sub_kind in subs:
        return subs[sub_kind][1]
    return DEFAULT_LEVEL[f]


def sub_kind_error(form: str, sub_kind: str) -> str | None:
    """Why the sub-kind does not fit the form, or None."""
    f = Form(form)
    subs = SUB_KINDS.get(f)
    if subs is None:
        return "该问责方式无需选择具体种类" if sub_kind else None
    if not sub_kind:
        return f"{FORM_LABELS[f]}须选择具体种类"
    if sub_kind not in subs:
        return f"{FORM_LABELS[f]}没有该种类"
    return None


def sub_kind_label(form: str, sub_kind: str) -> str:
    subs = SUB_KINDS.get(Form(form), {})
    return subs[sub_kind][0] if sub_kind in subs else ""
