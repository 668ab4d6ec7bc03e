"""The bell in the frame's top bar: the unread count, counted only if a template shows it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memo: list[int] = []

    def count() -> int:
        if not memo:
            from .queries import unread_count

            memo.append(unread_count(user))
        return memo[0]

    return {"notice_unread": count}
