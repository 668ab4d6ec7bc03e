"""The SHA-256 chain: editing or deleting a stored row makes audit_verify name it."""

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dangjian.audit.models import AuditEntry
from dangjian.orgs.actions import unit_update


def test_verify_passes_on_untouched_chain(county: Any, capsys: Any) -> None:
    call_command("audit_verify")
    assert "审计链完好" in capsys.readouterr().out


def test_edited_entry_is_named(county: Any, system: Any) -> None:
    unit_update(actor=system, unit=county["a"], name="青山县第一高级中学")
    entry = AuditEntry.objects.filter(action="orgs.unit_update").get()
    tampered = dict(entry.after)
    tampered["name"] = "别的名字"
    AuditEntry.objects.filter(pk=entry.pk).update(after=tampered)
    with pytest.raises(CommandError) as exc:
        call_command("audit_verify")
    assert f"第 {entry.pk} 号记录" in str(exc.value)
    assert "篡改" in str(exc.value)


def test_edited_older_entry_is_named_not_a_later_one(county: Any, system: Any) -> None:
    first = AuditEntry.objects.order_by("id").first()
    assert first is not None
    AuditEntry.objects.filter(pk=first.pk).update(actor_name="someone_else")
    with pytest.raises(CommandError, match=f"第 {first.pk} 号记录"):
        call_command("audit_verify")


def test_deleted_newest_entry_is_detected(county: Any) -> None:
    newest = AuditEntry.objects.order_by("-id").first()
    assert newest is not None
    AuditEntry.objects.filter(pk=newest.pk).delete()
    with pytest.raises(CommandError, match="最新记录被删除"):
        call_command("audit_verify")


def test_deleted_middle_entry_is_detected(county: Any) -> None:
    ids = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    AuditEntry.objects.filter(pk=ids[1]).delete()
    with pytest.raises(CommandError, match=f"第 {ids[2]} 号记录"):
        call_command("audit_verify")
