"""`manage.py demo_logins`: the demo accounts as a table (printed by `make run`)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from dangjian.core.demo.logins import demo_password, list_logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "列出演示账号（用户名、角色、单位、密码）"

    def handle(self, *args: Any, **opts: Any) -> None:
        logins = list_logins()
        if not logins:
            self.stdout.write("尚无演示账号，请先运行 python manage.py demo")
            return
        password = demo_password()
        rows = [("用户名", "角色", "单位", "密码")] + [
            (d.username, d.role_label, d.unit_name, password) for d in logins
        ]
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
