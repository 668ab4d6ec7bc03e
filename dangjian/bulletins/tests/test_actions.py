"""Drafting, examples, issuing (figures frozen at issue), the document task and its failure."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document

from dangjian.audit.log import verify
from dangjian.audit.models import AuditEntry
from dangjian.bulletins import actions, content, tasks
from dangjian.bulletins.models import Bulletin, Example
from dangjian.core.errors import ActionError, InvalidTransition, NotAllowed, OutOfScope

from .conftest import ISSUE_DAY, MAY

pytestmark = pytest.mark.django_db
D = dt.date


def _draft(actor: Any, unit: Any, month: dt.date | None = MAY, **kw: Any) -> Bulletin:
    return actions.bulletin_create(actor=actor, unit=unit, month=month, today=ISSUE_DAY, **kw)


def test_create_names_the_month_and_is_audited(month_world, inspector):
    b = _draft(inspector, month_world["bureau"])
    assert b.title == "青山县教育局2024年5月党建督导工作通报"
    assert b.status == Bulletin.Status.DRAFT and b.content == {}
    entry = AuditEntry.objects.filter(action="bulletins.bulletin_create").get()
    assert entry.actor_id == inspector.pk and entry.after["title"] == b.title


def test_create_refusals(month_world, inspector, make_user):
    bureau = month_world["bureau"]
    with pytest.raises(ActionError, match="不能晚于本月") as e:
        _draft(inspector, bureau, month=D(2024, 7, 1))
    assert e.value.field == "month"
    with pytest.raises(ActionError, match="请选择月份"):
        _draft(inspector, bureau, month=None)
    _draft(inspector, bureau)
    with pytest.raises(ActionError, match="通报已经建立"):
        _draft(inspector, bureau, month=D(2024, 5, 20))
    assert Bulletin.objects.count() == 1
    secretary = make_user("school_secretary", month_world["a"])
    with pytest.raises(NotAllowed):
        _draft(secretary, month_world["a"])
    other = make_user("district_staff", month_world["district"])
    with pytest.raises(OutOfScope):
        _draft(other, bureau, month=D(2024, 4, 1))


def test_examples_checked_against_the_bulletin(month_world, inspector, system):
    from dangjian.orgs.actions import unit_create

    bureau, a, b = month_world["bureau"], month_world["a"], month_world["b"]
    district = _draft(inspector, month_world["district"])
    elsewhere = unit_create(
        actor=system, parent=bureau, code="QSX-X", name="县直学校", kind="primary"
    )
    with pytest.raises(ActionError, match="不在城关学区的通报范围内"):
        actions.example_add(
            actor=inspector, bulletin=district, kind="good", unit=elsewhere, text="好"
        )
    with pytest.raises(ActionError, match="只有反面典型") as e:
        actions.example_add(
            actor=inspector,
            bulletin=district,
            kind="good",
            unit=b,
            text="好",
            finding=month_world["overdue"],
        )
    assert e.value.field == "finding"
    with pytest.raises(ActionError, match="不是青山县第一中学的问题"):
        actions.example_add(
            actor=inspector,
            bulletin=district,
            kind="bad",
            unit=a,
            text="差",
            finding=month_world["overdue"],
        )
    with pytest.raises(ActionError, match="请写明"):
        actions.example_add(actor=inspector, bulletin=district, kind="bad", unit=b, text="  ")
    with pytest.raises(ActionError, match="类别"):
        actions.example_add(actor=inspector, bulletin=district, kind="meh", unit=b, text="x")
    ex = actions.example_add(
        actor=inspector,
        bulletin=district,
        kind="bad",
        unit=b,
        text="逾期未整改",
        finding=month_world["overdue"],
    )
    assert list(district.examples.all()) == [ex]
    actions.example_remove(actor=inspector, example=ex)
    assert not Example.objects.exists()
    assert (
        AuditEntry.objects.filter(action="bulletins.example_remove").get().before["text"]
        == "逾期未整改"
    )


def test_issue_waits_for_the_month_to_end(month_world, inspector):
    b = _draft(inspector, month_world["bureau"])
    with pytest.raises(ActionError, match="2024年5月还没有结束"):
        actions.bulletin_issue(actor=inspector, bulletin=b, today=D(2024, 5, 31))
    b.refresh_from_db()
    assert b.status == Bulletin.Status.DRAFT and b.number is None


def test_issue_freezes_the_figures_and_writes_the_document(
    month_world, inspector, system, django_capture_on_commit_callbacks
):
    from dangjian.rectification.actions import rectification_submit

    b = _draft(inspector, month_world["bureau"])
    actions.example_add(
        actor=inspector, bulletin=b, kind="good", unit=month_world["a"], text="做法好"
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = actions.bulletin_issue(actor=inspector, bulletin=b, today=ISSUE_DAY)
    issued.refresh_from_db()
    assert issued.status == Bulletin.Status.ISSUED  # the immediate task backend ran the task
    assert issued.number == 1 and issued.issued_on == ISSUE_DAY and issued.issued_by == inspector
    assert issued.content == content.compose(month_world["bureau"], MAY, ISSUE_DAY)
    frozen = issued.content
    # a later change to the records does not change what was issued
    rectification_submit(
        actor=system,
        rectification=month_world["overdue"].rectification,
        measures="补交",
        evidence_note="存档",
        on=D(2024, 6, 20),
    )
    issued.refresh_from_db()
    assert issued.content == frozen
    doc = Document(io.BytesIO(issued.file.read()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2024年第1期" in text and "做法好" in text
    # and it can no longer be edited or issued again
    with pytest.raises(ActionError, match="已印发"):
        actions.example_add(
            actor=inspector, bulletin=issued, kind="good", unit=month_world["a"], text="x"
        )
    with pytest.raises(ActionError, match="已印发"):
        actions.bulletin_update(actor=inspector, bulletin=issued, title="改")
    with pytest.raises(InvalidTransition):
        actions.bulletin_issue(actor=inspector, bulletin=issued, today=ISSUE_DAY)
    actions_done = list(
        AuditEntry.objects.filter(action__startswith="bulletins.bulletin")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "bulletins.bulletin_create",
        "bulletins.bulletin_issue",
        "bulletins.bulletin_document_store",
    ]
    assert verify()[1] is None


def test_numbers_count_per_unit_and_year(month_world, inspector):
    bureau = month_world["bureau"]
    numbers = []
    for month in (D(2024, 3, 1), D(2024, 4, 1), MAY):
        b = _draft(inspector, bureau, month=month)
        numbers.append(actions.bulletin_issue(actor=inspector, bulletin=b, today=ISSUE_DAY).number)
    assert numbers == [1, 2, 3]
    district = _draft(inspector, month_world["district"])
    assert actions.bulletin_issue(actor=inspector, bulletin=district, today=ISSUE_DAY).number == 1


def test_a_failed_document_is_retried_with_the_same_figures(month_world, inspector, monkeypatch):
    from dangjian.bulletins import document

    b = _draft(inspector, month_world["bureau"])
    b = actions.bulletin_issue(actor=inspector, bulletin=b, today=ISSUE_DAY)
    frozen = b.content

    def broken(*args: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(document, "write", broken)
    failed = tasks.write_document(b.pk)
    assert failed.status == Bulletin.Status.FAILED and "重新签发" in failed.failure
    monkeypatch.undo()
    retried = actions.bulletin_issue(actor=inspector, bulletin=failed, today=D(2024, 6, 20))
    assert retried.issued_on == ISSUE_DAY and retried.content == frozen and retried.number == 1
    done = tasks.write_document(b.pk)
    assert done.status == Bulletin.Status.ISSUED and done.file
    assert tasks.write_document(b.pk).status == Bulletin.Status.ISSUED  # a second run is a no-op


def test_only_drafts_are_updated(month_world, inspector):
    b = _draft(inspector, month_world["bureau"])
    actions.bulletin_update(actor=inspector, bulletin=b, title="五月通报", requirements="一\n二")
    b.refresh_from_db()
    assert (b.title, b.requirements) == ("五月通报", "一\n二")
    with pytest.raises(ActionError, match="请填写标题"):
        actions.bulletin_update(actor=inspector, bulletin=b, title=" ")


def test_an_office_is_not_an_example(month_world, inspector):
    b = _draft(inspector, month_world["bureau"])
    with pytest.raises(ActionError, match="城关学区是机关") as e:
        actions.example_add(
            actor=inspector, bulletin=b, kind="good", unit=month_world["district"], text="好"
        )
    assert e.value.field == "unit"
