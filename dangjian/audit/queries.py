"""The trail of one record on its detail page: who did what, when (UI.md "Details")."""

from __future__ import annotations

from typing import Any

from django.db import models

from .log import ACTION_LABELS
from .models import AuditEntry


def trail(obj: models.Model, limit: int = 50) -> list[tuple[Any, str]]:
    """Newest first, with Chinese action labels.

    The caller has already reached `obj` through get_scoped, so its own trail is in scope even
    though AuditEntry.for_user serves only audit admins; before/after values are not shown here.
    """
    entries: Any = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .only("at", "actor_name", "action", "actor__display_name", "actor__username")
        .order_by("-id")[:limit]
    )
    out = []
    for e in entries:
        e.who = actor_label(e)
        out.append((e, ACTION_LABELS.get(e.action, e.action)))
    return out


def actor_label(entry: AuditEntry) -> str:
    """People read names: the actor's display name; the username kept on the entry when the
    account has none or is gone; 系统 for the scheduler and the demo loader."""
    from dangjian.accounts.models import SYSTEM_USERNAME

    actor = entry.actor
    if actor is not None and actor.username == SYSTEM_USERNAME:
        return "系统"
    if actor is not None and actor.display_name:
        return str(actor.display_name)
    return entry.actor_name or "系统"
