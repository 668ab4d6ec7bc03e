"""Every change to bulletins (audited, STYLE.md §2). Issuing freezes the month's figures in the
same transaction as its audit row; the Word document is written afterwards by a task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.audit.log import record, snapshot
from dangjian.core.actions_util import assign, field_error
from dangjian.core.errors import ActionError
from dangjian.core.scope import in_scope, require
from dangjian.core.transitions import move
from dangjian.orgs.models import Unit
from dangjian.rectification.models import Finding

from . import content
from .models import Bulletin, Example

MAX_EXAMPLES = 20
OFFICE_KINDS = Unit.BUREAU_KINDS | {Unit.Kind.DISTRICT_OFFICE}


def _day(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def default_title(unit: Any, month: dt.date) -> str:
    return f"{unit.name}{_month_label(month)}党建督导工作通报"


def _editable(bulletin: Bulletin) -> None:
    if not bulletin.is_editable:
        raise ActionError(f"通报已{bulletin.get_status_display()}，不能再修改")


def _texts(title: str, summary: str, requirements: str) -> dict[str, str]:
    title = title.strip()
    if len(title) > 200:
        raise field_error(Bulletin, "title", "「标题」：不能超过200个字")
    return {"title": title, "summary": summary.strip(), "requirements": requirements.strip()}


@transaction.atomic
def bulletin_create(
    *,
    actor: Any,
    unit: Any,
    month: dt.date | None,
    title: str = "",
    summary: str = "",
    requirements: str = "",
    today: dt.date | None = None,
) -> Bulletin:
    """A draft bulletin of `unit`'s subtree for a month (一月一通报: one per unit and month)."""
    require(actor, "bulletins.bulletin_create", unit)
    today = _day(today)
    if month is None:
        raise field_error(Bulletin, "month", "「通报月份」：请选择月份")
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise field_error(Bulletin, "month", "「通报月份」：不能晚于本月")
    if Bulletin.objects.filter(unit=unit, month=month).exists():
        raise field_error(
            Bulletin, "month", f"「通报月份」：{unit.name}{_month_label(month)}的通报已经建立"
        )
    texts = _texts(title or default_title(unit, month), summary, requirements)
    bulletin = Bulletin.objects.create(unit=unit, month=month, created_by=actor, **texts)
    record(actor, "bulletins.bulletin_create", bulletin)
    return bulletin


@transaction.atomic
def bulletin_update(
    *, actor: Any, bulletin: Bulletin, title: str, summary: str = "", requirements: str = ""
) -> Bulletin:
    require(actor, "bulletins.bulletin_update", bulletin.unit)
    _editable(bulletin)
    texts = _texts(title, summary, requirements)
    if not texts["title"]:
        raise field_error(Bulletin, "title", "「标题」：请填写标题")
    before = assign(bulletin, texts)
    bulletin.save()
    record(actor, "bulletins.bulletin_update", bulletin, before=before)
    return bulletin


@transaction.atomic
def example_add(
    *,
    actor: Any,
    bulletin: Bulletin,
    kind: str,
    unit: Any,
    text: str,
    finding: Finding | None = None,
) -> Example:
    """A named good practice or problem the inspector picks for the bulletin."""
    require(actor, "bulletins.example_add", bulletin.unit)
    _editable(bulletin)
    if kind not in Example.Kind.values:
        raise field_error(Example, "kind", "「类别」：请选择典型经验或反面典型")
    if unit is None or not in_scope(actor, unit):
        raise field_error(Example, "unit", "「学校」：请选择学校")
    if unit.kind in OFFICE_KINDS:
        raise field_error(Example, "unit", f"「学校」：{unit.name}是机关，请选择学校")
    if not unit.path.startswith(bulletin.unit.path):
        raise field_error(
            Example, "unit", f"「学校」：{unit.name}不在{bulletin.unit.name}的通报范围内"
        )
    if finding is not None:
        if kind != Example.Kind.BAD:
            raise field_error(Example, "finding", "「关联问题」：只有反面典型可以关联问题")
        if finding.unit_id != unit.pk:
            raise field_error(Example, "finding", f"「关联问题」：该问题不是{unit.name}的问题")
    text = text.strip()
    if not text:
        raise field_error(Example, "text", "「内容」：请写明典型做法或存在的问题")
    if bulletin.examples.count() >= MAX_EXAMPLES:
        raise ActionError(f"一期通报最多{MAX_EXAMPLES}个典型")
    example = Example.objects.create(
        bulletin=bulletin, kind=kind, unit=unit, finding=finding, text=text
    )
    record(actor, "bulletins.example_add", example)
    return example


@transaction.atomic
def example_remove(*, actor: Any, example: Example) -> None:
    bulletin = example.bulletin
    require(actor, "bulletins.example_remove", bulletin.unit)
    _editable(bulletin)
    before = snapshot(example)
    record(actor, "bulletins.example_remove", example, before=before, take_after=False)
    example.delete()


def _next_number(bulletin: Bulletin) -> int:
    taken = Bulletin.objects.filter(
        unit=bulletin.unit, month__year=bulletin.month.year, number__isnull=False
    ).aggregate(n=Max("number"))["n"]
    return (taken or 0) + 1


@transaction.atomic
def bulletin_issue(*, actor: Any, bulletin: Bulletin, today: dt.date | None = None) -> Bulletin:
    """签发: the month's figures are frozen as they stand today, the bulletin gets its number and
    the Word document is queued. A failed document is queued again with the same figures."""
    require(actor, "bulletins.bulletin_issue", bulletin.unit)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    today = _day(today)
    first = bulletin.status == Bulletin.Status.DRAFT
    if first and today < content.month_period(bulletin.month).end:
        raise ActionError(f"{bulletin.month_label}还没有结束，月度通报在次月印发")
    before = snapshot(bulletin)
    move(bulletin, Bulletin.Status.GENERATING)
    if first:
        bulletin.content = content.compose(bulletin.unit, bulletin.month, today)
        bulletin.number = _next_number(bulletin)
        bulletin.issued_on = today
        bulletin.issued_by = actor
    bulletin.failure = ""
    bulletin.save()
    record(actor, "bulletins.bulletin_issue", bulletin, before=before)
    from .tasks import enqueue_document

    enqueue_document(bulletin)
    return bulletin


@transaction.atomic
def bulletin_document_store(*, actor: Any, bulletin: Bulletin, data: bytes) -> Bulletin:
    """The task's result: the Word document of the issued bulletin."""
    require(actor, "bulletins.bulletin_document_store", bulletin.unit)
    before = snapshot(bulletin)
    move(bulletin, Bulletin.Status.ISSUED)
    name = f"{bulletin.unit.name}{bulletin.month:%Y%m}通报.docx"
    bulletin.file.save(name, ContentFile(data), save=False)
    bulletin.save()
    record(actor, "bulletins.bulletin_document_store", bulletin, before=before)
    return bulletin


@transaction.atomic
def bulletin_document_failed(*, actor: Any, bulletin: Bulletin, reason: str) -> Bulletin:
    require(actor, "bulletins.bulletin_document_store", bulletin.unit)
    before = snapshot(bulletin)
    move(bulletin, Bulletin.Status.FAILED)
    bulletin.failure = reason[:200]
    bulletin.save()
    record(actor, "bulletins.bulletin_document_failed", bulletin, before=before)
    return bulletin
