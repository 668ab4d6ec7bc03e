"""record() and snapshot(): how actions write the audit trail; verify() walks the chain."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import current_ip
from .models import AuditEntry, AuditHead

# fields whose plaintext must never reach the log
SECRET_FIELDS = {"password", "id_number_enc", "phone_enc", "token_hash"}
# Chinese names of audit actions for the audit page; apps add theirs (unknown ones show raw)
ACTION_LABELS: dict[str, str] = {
    "accounts.login": "登录",
    "accounts.login_failed": "登录失败",
    "accounts.password_change": "修改密码",
    "accounts.password_reset": "重置密码",
    "accounts.user_create": "新建账号",
    "accounts.user_update": "修改账号",
    "accounts.user_unlock": "解除锁定",
    "accounts.role_assign": "分配角色",
    "accounts.role_revoke": "撤销角色",
    "accounts.token_create": "创建API令牌",
    "accounts.token_revoke": "撤销API令牌",
    "audit.verify": "校验审计链",
    "core.export": "导出",
    "core.import": "导入",
    "orgs.unit_create": "新建单位",
    "orgs.unit_update": "修改单位",
    "orgs.unit_move": "调整隶属",
    "orgs.unit_close": "撤销单位",
    "orgs.unit_merge": "合并单位",
    "orgs.unit_principal_system_set": "设置校长负责制",
    "orgs.partyorg_create": "新建党组织",
    "orgs.partyorg_update": "修改党组织",
    "orgs.post_create": "任职",
    "orgs.post_end": "离任",
    "orgs.liaison_create": "新建挂联",
    "orgs.liaison_end": "结束挂联",
    "orgs.exchange_create": "登记交流轮岗",
    "people.person_create": "新增人员",
    "people.person_update": "修改人员",
    "people.person_leave": "人员离开/退休",
    "people.person_view_pii": "查看完整身份证号/手机号",
    "party.member_create": "登记党员",
    "party.member_update": "修改党员信息",
    "party.member_make_full": "预备党员转正",
    "party.member_status_change": "党员状态变更",
}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, bytes):
        return value.hex()
    return value


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    """The object's concrete fields as JSON-able values (secrets replaced by a marker)."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        key = f.attname
        data[key] = "***" if f.name in SECRET_FIELDS else _plain(getattr(obj, key))
    return data


def canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_payload(e: AuditEntry) -> dict[str, Any]:
    return {
        "at": e.at.isoformat(),
        "actor": e.actor_id,
        "actor_name": e.actor_name,
        "action": e.action,
        "unit": e.unit_id,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_repr": e.object_repr,
        "before": e.before,
        "after": e.after,
        "ip": e.ip,
    }


def compute_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(payload)).encode()).hexdigest()


def _unit_of(obj: Any) -> Any:
    from dangjian.orgs.models import Unit

    if obj is None:
        return None
    if isinstance(obj, Unit):
        return obj
    audit_unit = getattr(obj, "audit_unit", None)
    if audit_unit is not None:
        return audit_unit() if callable(audit_unit) else audit_unit
    return getattr(obj, "unit", None)


@transaction.atomic
def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Any = None,
    ip: str | None = None,
    take_after: bool = True,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction."""
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    unit = unit if unit is not None else _unit_of(obj)
    if after is None and take_after and obj is not None and obj.pk is not None:
        after = snapshot(obj)
    actor_obj = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor_obj,
        actor_name=(actor.get_username() if actor_obj else str(actor or "")),
        action=action,
        unit=unit,
        unit_path=getattr(unit, "path", "") or "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=before,
        after=after,
        ip=ip if ip is not None else current_ip.get(),
        prev_hash=head.last_hash,
    )
    # round-trip through JSON so the hash covers exactly what the database will return
    entry.before = json.loads(canonical({"v": entry.before}))["v"]
    entry.after = json.loads(canonical({"v": entry.after}))["v"]
    entry.at = entry.at.replace(microsecond=entry.at.microsecond)
    entry.hash = compute_hash(entry.prev_hash, entry_payload(entry))
    entry.save()
    head.last_hash = entry.hash
    head.last_id = entry.pk
    head.save(update_fields=["last_hash", "last_id"])
    return entry


@dataclass(frozen=True)
class Broken:
    entry_id: int
    reason: str


def verify(batch: int = 2000) -> tuple[int, Broken | None]:
    """Walk the chain in id order; return (entries checked, first broken link or None)."""
    prev = "0" * 64
    checked = 0
    last_id = 0
    while True:
        chunk = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not chunk:
            break
        for e in chunk:
            if e.prev_hash != prev:
                return checked, Broken(e.id, "前一条记录的哈希不一致（记录被删除或插入）")
            if compute_hash(e.prev_hash, entry_payload(e)) != e.hash:
                return checked, Broken(e.id, "记录内容与哈希不一致（记录被篡改）")
            prev = e.hash
            checked += 1
            last_id = e.id
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and checked and head.last_hash != prev:
        return checked, Broken(head.last_id, "链尾与记录不一致（最新记录被删除）")
    return checked, None
