"""Helpers shared by the API tests of every app."""

from __future__ import annotations

from typing import Any

from django.test import Client

from dangjian.accounts.actions import token_create
from dangjian.audit.models import AuditEntry

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
NOT_FOUND = {"field": None, "label": None, "message": "未找到该记录"}


def session(user: Any, **kwargs: Any) -> Client:
    """A client logged in by session (axes' backend needs a request, so use the model backend)."""
    client = Client(**kwargs)
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def bearer(user: Any) -> Client:
    _, raw = token_create(actor=user, name="测试")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def ids(response: Any) -> set[int]:
    return {row["id"] for row in response.json()["items"]}


def last_audit_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def audit_actions(since: int) -> list[str]:
    return list(AuditEntry.objects.filter(id__gt=since).values_list("action", flat=True))
