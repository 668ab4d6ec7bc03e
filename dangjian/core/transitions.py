"""Status changes only through the model's TRANSITIONS map."""

from typing import Any

from .errors import InvalidTransition


def move(obj: Any, to: str) -> None:
    allowed = type(obj).TRANSITIONS.get(obj.status, set())
    if to not in allowed:
        labels = dict(type(obj).Status.choices)
        raise InvalidTransition(
            f"不能从「{labels.get(obj.status, obj.status)}」变为「{labels.get(to, to)}」"
        )
    obj.status = to
