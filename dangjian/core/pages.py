"""The list page every area uses: filter bar, table (orgs/_list_table.html), paging, export
link and an empty state that says what to do next (UI.md "Lists")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from .http import AuthedHttpRequest
from .listing import PER_PAGE_CHOICES, ListSpec, build
from .scope import has_capability


def list_page(
    request: AuthedHttpRequest,
    template: str,
    spec: ListSpec,
    qs: QuerySet[Any],
    *,
    export_name: str,
    choices: dict[str, list[tuple[str, str]]] | None = None,
    phone: tuple[str, ...],
    empty: tuple[str, str, str, str],
    context: dict[str, Any],
) -> HttpResponse:
    """A list page; `phone` names the columns kept on a phone, `empty` says what to do next
    (title, text, action url, action label)."""
    listing = build(request, spec, qs)
    choices = choices or {}
    bar = []
    for f in spec.filters:
        options = choices.get(f.name, f.choices)
        value = listing.filter_values.get(f.name, "")
        if options is not None and value and value not in {k for k, _ in options}:
            options = [(value, value), *options]  # e.g. a year outside the offered span
        bar.append({"name": f.name, "label": f.label, "value": value, "choices": options})
    ctx = {
        "listing": listing,
        "bar": bar,
        "per_page_choices": PER_PAGE_CHOICES,
        "export_url": (
            reverse("core:export", args=[export_name]) + "?" + request.GET.urlencode()
            if has_capability(request.user, "core.export")
            else ""
        ),
        "filtered": bool(listing.filter_values or listing.query.strip()),
        "phone_cols": phone,
        "empty_title": empty[0],
        "empty_text": empty[1],
        "empty_action_url": empty[2],
        "empty_action_label": empty[3],
        **context,
    }
    if getattr(request, "htmx", False):
        return render(request, f"{template}#rows", ctx)
    return render(request, template, ctx)


# fields that take a whole row on the form page
WIDE_WIDGETS = (
    "textarea",
    "checkbox",
    "selectmultiple",
    "checkboxselectmultiple",
    "radioselect",
    "clearablefile",
)


def form_page(
    request: AuthedHttpRequest,
    form: Any,
    *,
    title: str,
    breadcrumbs: list[tuple[str, str | None]],
    submit: str,
    cancel: str,
    intro: str = "",
    danger: bool = False,
    multipart: bool = False,
    template: str = "core/form.html",
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form page every area uses (core/form.html, or an area template extending it)."""
    return render(
        request,
        template,
        {
            "form": form,
            "page_title": title,
            "breadcrumbs": breadcrumbs,
            "submit_label": submit,
            "cancel_url": cancel,
            "intro": intro,
            "danger": danger,
            "multipart": multipart,
            "wide_widgets": WIDE_WIDGETS,
            **(context or {}),
        },
    )
