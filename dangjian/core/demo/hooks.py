"""Capability areas add their demo data per county through hooks, so the generator in this
package stays about the tree and the people, and each area owns its own realistic patterns.

A hook receives the Demo (actor, anchor date, rng(code), stats), the county bureau, and the
county's schools (active ones and those closed later); it runs inside one transaction step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from dangjian.areas import AREA_APPS

AREAS = AREA_APPS


@dataclass(frozen=True)
class Hook:
    order: int
    label: str
    fn: Callable[[Any, Any, list[Any]], None]


HOOKS: list[Hook] = []


def county_hook(label: str, order: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(fn: Callable[..., None]) -> Callable[..., None]:
        if all(h.fn is not fn for h in HOOKS):
            HOOKS.append(Hook(order, label, fn))
        return fn

    return register


def load() -> list[Hook]:
    for app in AREAS:
        try:
            import_module(f"dangjian.{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"dangjian.{app}.demo":
                raise
    return sorted(HOOKS, key=lambda h: h.order)
