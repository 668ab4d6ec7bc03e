"""The inbox page: the user's notices newest first, unread marked; opening one marks it read
and goes to the page it is about; 全部标为已读."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import PER_PAGE_CHOICES, Column, Filter, ListSpec, build
from dangjian.core.scope import get_scoped

from . import actions, queries
from .models import Notice

NOTICE_SPEC = ListSpec(
    columns=[
        Column("created_at", "时间", lambda n: n.created_at, sort="created_at"),
        Column("title", "提醒", lambda n: n.title, link=True),
    ],
    search=("title__contains", "body__contains"),
    filters=[
        Filter(
            "unread", "状态", "read_at__isnull", choices=[("1", "未读")], cast=lambda v: v == "1"
        ),
        Filter("kind", "类型", "kind", choices=list(Notice.Kind.choices)),
    ],
    default_sort="-created_at",
)


@login_required
def notice_list(request: AuthedHttpRequest) -> HttpResponse:
    listing = build(request, NOTICE_SPEC, queries.notices_for(request.user))
    bar = [
        {
            "name": f.name,
            "label": f.label,
            "value": listing.filter_values.get(f.name, ""),
            "choices": f.choices,
        }
        for f in NOTICE_SPEC.filters
    ]
    ctx = {
        "listing": listing,
        "bar": bar,
        "per_page_choices": PER_PAGE_CHOICES,
        "filtered": bool(listing.filter_values or listing.query.strip()),
        "page_title": "我的提醒",
        "breadcrumbs": [("我的提醒", None)],
    }
    if getattr(request, "htmx", False):
        return render(request, "notices/notice_list.html#rows", ctx)
    return render(request, "notices/notice_list.html", ctx)


@login_required
def notice_open(request: AuthedHttpRequest, pk: int) -> HttpResponseRedirect:
    """Mark read and follow the notice's link (a link inside this site only)."""
    notice = get_scoped(Notice, request.user, pk=pk)
    actions.notice_read(actor=request.user, notice=notice)
    target = notice.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notices:notice-list")
    return redirect(target)


@require_POST
@login_required
def notice_read_all(request: AuthedHttpRequest) -> HttpResponseRedirect:
    n = actions.notices_read_all(actor=request.user)
    messages.success(request, f"已将{n}条提醒标为已读" if n else "没有未读提醒")
    return redirect("notices:notice-list")
