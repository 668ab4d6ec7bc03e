"""`manage.py reminders [--date YYYY-MM-DD]`: send the rectification reminders due on a day.

Idempotent (a notice already sent is not sent again): run it daily from cron, or hourly as
`make run` does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dangjian.accounts.actions import system_user
from dangjian.notices.actions import reminders_send
from dangjian.notices.models import Notice


class Command(BaseCommand):
    help = "发送整改即将到期、到期和逾期督办提醒（可重复运行，已发送的不再发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="按哪一天计算（YYYY-MM-DD，默认今天）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        as_of = opts["date"] or timezone.localdate()
        sent = reminders_send(actor=system_user(), as_of=as_of)
        labels = dict(Notice.Kind.choices)
        if not sent.total:
            self.stdout.write(f"{as_of:%Y-%m-%d}：没有需要发送的新提醒")
            return
        detail = "，".join(f"{labels.get(k, k)}{n}条" for k, n in sent.by_kind.items())
        self.stdout.write(
            f"{as_of:%Y-%m-%d}：发送提醒{sent.total}条（{detail}），"
            f"涉及整改{sent.rectifications}项、接收人{sent.recipients}人"
        )
