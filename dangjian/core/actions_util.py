"""Helpers shared by every app's actions."""

from __future__ import annotations

from typing import Any

from django.db import models

from dangjian.audit.log import snapshot

from .errors import ActionError


def assign(obj: models.Model, changes: dict[str, Any]) -> dict[str, Any]:
    """Set fields, returning the snapshot from before; unknown fields are a programming error."""
    before = snapshot(obj) or {}
    for name, value in changes.items():
        obj._meta.get_field(name)
        setattr(obj, name, value)
    return before


def field_error(model: type[models.Model], field: str, message: str) -> ActionError:
    label = str(getattr(model._meta.get_field(field), "verbose_name", field))
    return ActionError(message, field=field, label=label)
