"""Word documents a branch prints from a development record (UI.md "Documents"): the publicity
notice (公示) and the political review summary, in the official-document look: title 小标宋 /
黑体 22pt, body 仿宋_GB2312 16pt (with a named fallback Word substitutes), headings 一、（一）,
issuing organisation and date at the end."""

from __future__ import annotations

import datetime as dt

from dangjian.core.dates import add_days, cn_date
from dangjian.core.documents import DOCX, OfficialDocument

from .models import DevelopmentRecord, Step

__all__ = ["DOCX", "political_review_summary", "publicity_notice"]

PUBLICITY_DAYS = 5


def _issuer(record: DevelopmentRecord) -> str:
    name = record.branch.name
    return name if name.startswith("中共") else f"中共{name}"


def _people(steps: list[Step], kind: str) -> str:
    names = [p.name for s in steps if s.kind == kind for p in s.people.all()]
    return "、".join(dict.fromkeys(names))


def _basics(record: DevelopmentRecord) -> str:
    person = record.person
    parts = [person.name]
    if person.sex:
        parts.append(person.get_sex_display())
    if person.birth_date:
        parts.append(f"{person.birth_date.year}年{person.birth_date.month}月生")
    if person.education:
        parts.append(person.get_education_display())
    work = person.unit.name + (person.job_title or "")
    parts.append(work)
    return "，".join(parts)


def _history(record: DevelopmentRecord) -> list[str]:
    lines = [f"{cn_date(record.applied_on)}递交入党申请书"]
    if record.activist_on:
        lines.append(f"{cn_date(record.activist_on)}被确定为入党积极分子")
    if record.candidate_on:
        lines.append(f"{cn_date(record.candidate_on)}被确定为发展对象")
    return lines


def publicity_notice(record: DevelopmentRecord, steps: list[Step], on: dt.date) -> bytes:
    """发展对象公示: before the branch meeting, 5 days, with the ways to report concerns."""
    name = record.person.name
    doc = OfficialDocument()
    doc.title(f"关于拟发展{name}同志为中共预备党员的公示")
    doc.para(
        f"根据《中国共产党发展党员工作细则》有关规定，经{record.branch.name}支部委员会研究，"
        f"拟将{name}同志作为预备党员发展对象。为广泛听取党员和群众意见，现将有关情况公示如下："
    )
    doc.heading("公示对象基本情况")
    doc.para(f"{_basics(record)}。{'，'.join(_history(record))}。")
    sponsors = _people(steps, "sponsor_assignment")
    introducers = _people(steps, "introducers")
    if sponsors or introducers:
        doc.heading("培养联系人和入党介绍人")
        if sponsors:
            doc.para(f"培养联系人：{sponsors}。")
        if introducers:
            doc.para(f"入党介绍人：{introducers}。")
    ends = add_days(on, PUBLICITY_DAYS)
    doc.heading("公示时间")
    doc.para(f"{cn_date(on)}至{cn_date(ends)}。")
    doc.heading("反映方式")
    doc.para(
        f"公示期间，党员和群众如对{name}同志有不同意见，可通过来信、来电、来访等方式向"
        f"{record.branch.name}或上级党组织反映。反映情况应实事求是，以个人名义反映的请署真实姓名，"
        "以单位名义反映的请加盖公章。"
    )
    doc.signature(_issuer(record), on)
    return doc.bytes()


def political_review_summary(record: DevelopmentRecord, steps: list[Step], on: dt.date) -> bytes:
    """政治审查综合情况报告, from the political review steps on record."""
    reviews = [s for s in steps if s.kind == "political_review"]
    name = record.person.name
    doc = OfficialDocument()
    doc.title(f"关于{name}同志的政治审查综合情况报告")
    doc.plain(f"{_issuer(record)}：")
    doc.para(
        f"根据《中国共产党发展党员工作细则》关于对发展对象进行政治审查的规定，{record.branch.name}"
        f"对发展对象{name}同志进行了政治审查，现将审查情况报告如下："
    )
    doc.heading("审查对象基本情况")
    doc.para(f"{_basics(record)}。{'，'.join(_history(record))}。")
    doc.heading("审查内容和方式")
    doc.subheading("审查内容")
    doc.para(
        "对党的理论和路线、方针、政策的态度；政治历史和在重大政治斗争中的表现；遵纪守法和遵守社会公德"
        "情况；直系亲属和与本人关系密切的主要社会关系的政治情况。"
    )
    doc.subheading("审查方式")
    doc.para("同本人谈话、查阅有关档案材料、找有关单位和人员了解情况，以及必要的函调或外调。")
    doc.heading("审查结论")
    for review in reviews:
        doc.para(f"{cn_date(review.on)}形成审查结论：{review.notes}")
    doc.signature(_issuer(record), on)
    return doc.bytes()
