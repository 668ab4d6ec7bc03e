"""The member page is a list of sections: this app's (status, transfers, posts, audit) and
those other areas add (development record, org life attended, dues paid).

An area registers a section in its own `<app>/member_sections.py`:

    from dangjian.party.sections import section

    @section("dues", "党费缴纳", order=60, template="dues/_member_dues.html")
    def dues_section(member, user): return {"payments": ...}   # None: section hidden

The function gets the member (already in the user's scope) and the user; it returns the
template context, or None when the section does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from dangjian.areas import AREA_APPS

SectionFn = Callable[[Any, Any], dict[str, Any] | None]
AREAS = AREA_APPS


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    order: int
    template: str
    fn: SectionFn


SECTIONS: dict[str, Section] = {}


def section(key: str, title: str, *, order: int, template: str) -> Callable[[SectionFn], SectionFn]:
    def register(fn: SectionFn) -> SectionFn:
        SECTIONS[key] = Section(key, title, order, template, fn)
        return fn

    return register


def load() -> list[Section]:
    for app in AREAS:
        try:
            import_module(f"dangjian.{app}.member_sections")
        except ModuleNotFoundError as exc:
            if exc.name != f"dangjian.{app}.member_sections":
                raise
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


def render_list(member: Any, user: Any) -> list[dict[str, Any]]:
    """[{key, title, template, context}] for the sections that apply to this member."""
    out = []
    for s in load():
        ctx = s.fn(member, user)
        if ctx is not None:
            out.append({"key": s.key, "title": s.title, "template": s.template, "ctx": ctx})
    return out
