"""The frame every page shares: current scope, navigation filtered by capability."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from .navigation import NAV
from .scope import _assignments, has_capability


def _scope_label(user: Any) -> str:
    from dangjian.orgs.models import Unit

    paths = [p for _, p in _assignments(user) if p]
    if not paths:
        return ""
    root = min(paths, key=len)
    ids = [int(x) for x in root.strip("/").split("/") if x]
    names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    return " ▸ ".join(names.get(i, "") for i in ids)


def frame(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"show_demo_logins": settings.SHOW_DEMO_LOGINS}
    sections = []
    for title, items in NAV:
        links = []
        for label, url_name, capability in items:
            if capability and not has_capability(user, capability):
                continue
            try:
                links.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
        if links:
            sections.append({"title": title, "links": links})
    from dangjian.accounts.roles import Role

    role_labels = sorted({str(Role(r).label) for r, _ in _assignments(user) if r in Role.values})
    return {
        "nav_sections": sections,
        "scope_label": _scope_label(user),
        "role_labels": role_labels,
        "show_demo_logins": settings.SHOW_DEMO_LOGINS,
    }
