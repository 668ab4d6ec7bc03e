"""The trail of one record on its detail page: who did what, when (UI.md "Details")."""

from __future__ import annotations

from typing import Any

from django.db import models

from .log import ACTION_LABELS
from .models import AuditEntry


def trail(obj: models.Model, limit: int = 50) -> list[tuple[AuditEntry, str]]:
    """Newest first, with Chinese action labels.

    The caller has already reached `obj` through get_scoped, so its own trail is in scope even
    though AuditEntry.for_user serves only audit admins; before/after values are not shown here.
    """
    entries: Any = (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .only("at", "actor_name", "action")
        .order_by("-id")[:limit]
    )
    return [(e, ACTION_LABELS.get(e.action, e.action)) for e in entries]
