"""What each role sees first: 待办 counts and the figures of their scope."""

from __future__ import annotations

from typing import Any


def home_context(user: Any) -> dict[str, Any]:
    return {"page_title": "首页", "todos": [], "figures": []}
