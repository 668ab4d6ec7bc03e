"""Password policy (等保): character classes and no reuse of the last five passwords."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^a-zA-Z0-9]"), "特殊字符"),
)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if sum(1 for rx, _ in CLASSES if rx.search(password)) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、特殊字符中的{self.min_classes}类",
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return f"至少包含大写字母、小写字母、数字、特殊字符中的{self.min_classes}类"


class HistoryValidator:
    def validate(self, password: str, user: Any = None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        count = settings.PASSWORD_HISTORY_COUNT
        # the last `count` passwords: the current one and the count - 1 before it
        recent = [user.password] if user.password else []
        recent += user.password_history.values_list("password", flat=True)[: count - len(recent)]
        if any(check_password(password, h) for h in recent):
            raise ValidationError(f"不能与最近{count}次使用过的密码相同", code="password_reused")

    def get_help_text(self) -> str:
        return f"不能与最近{settings.PASSWORD_HISTORY_COUNT}次使用过的密码相同"
