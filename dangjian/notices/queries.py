"""Reads of the inbox: the user's notices, the unread count for the bell, the home page to-do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from .models import Notice


def notices_for(user: Any) -> QuerySet[Notice]:
    return Notice.objects.for_user(user).select_related("unit")


def unread_count(user: Any) -> int:
    """One COUNT on the partial index (recipient, unread): cheap enough for every page."""
    return Notice.objects.for_user(user).unread().count()


def todos(user: Any, today: dt.date) -> list[Any]:
    """The home page's 待办 card for unread reminders (only for users who have had any)."""
    from dangjian.core.home import Todo, _url

    n = unread_count(user)
    if not n and not Notice.objects.for_user(user).exists():
        return []
    return [
        Todo(
            "notices_unread",
            "未读提醒",
            "整改到期、逾期和督办提醒，点开即标为已读",
            n,
            "warning" if n else "ok",
            _url("notices:notice-list", unread="1"),
        )
    ]
