"""The daily reminders as a django-tasks task, for a scheduler that enqueues tasks (the
`reminders` command does the same from cron or the `make run` loop)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task


@task()
def send_reminders(as_of: str | None = None) -> dict[str, object]:
    """Send the reminders due on `as_of` (YYYY-MM-DD, default today) as the system user."""
    from dangjian.accounts.actions import system_user

    from .actions import reminders_send

    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    sent = reminders_send(actor=system_user(), as_of=day)
    return {"as_of": day.isoformat(), "notices": sent.total, "by_kind": sent.by_kind}
