"""The audit log pages: only the audit admin reads them (三员分立)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangjian.core.exports import exportable
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec
from dangjian.core.scope import get_scoped, require

from .forms import EntryFilterForm, object_types
from .log import ACTION_LABELS, compute_hash, entry_payload, record, verify
from .models import AuditEntry

PER_PAGE = 50


def _day_start(d: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, dt.time.min))


def filtered(qs: QuerySet[AuditEntry], data: dict[str, Any]) -> QuerySet[AuditEntry]:
    if data.get("user"):
        name = data["user"].strip()
        qs = qs.filter(Q(actor_name=name) | Q(actor_name=f"未登录:{name}"))
    if data.get("object_type"):
        qs = qs.filter(object_type=data["object_type"])
    if data.get("action"):
        qs = qs.filter(action=data["action"])
    if data.get("date_from"):
        qs = qs.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        qs = qs.filter(at__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    return qs


def _label(entry: AuditEntry) -> AuditEntry:
    entry.action_label = ACTION_LABELS.get(entry.action, entry.action)  # type: ignore[attr-defined]
    entry.type_label = object_types().get(entry.object_type, entry.object_type)  # type: ignore[attr-defined]
    return entry


def _next_day_start(raw: str) -> dt.datetime:
    return _day_start(dt.date.fromisoformat(raw) + dt.timedelta(days=1))


# the export takes the page's own query parameters (user, object_type, action, date_from/to)
AUDIT_EXPORT = ListSpec(
    columns=[
        Column("id", "序号", lambda e: e.id),
        Column("at", "时间", lambda e: timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S")),
        Column("actor", "操作人", lambda e: e.actor_name),
        Column("action", "操作", lambda e: ACTION_LABELS.get(e.action, e.action)),
        Column("object_type", "对象类型", lambda e: e.object_type),
        Column("object", "对象", lambda e: e.object_repr),
        Column("unit", "单位", lambda e: e.unit.name if e.unit else ""),
        Column("ip", "IP", lambda e: e.ip or ""),
        Column("hash", "哈希", lambda e: e.hash),
    ],
    filters=[
        Filter("user", "操作人", "actor_name__in", cast=lambda v: [v, f"未登录:{v}"]),
        Filter("object_type", "对象类型", "object_type"),
        Filter("action", "操作", "action"),
        Filter(
            "date_from", "开始日期", "at__gte", cast=lambda v: _day_start(dt.date.fromisoformat(v))
        ),
        Filter("date_to", "结束日期", "at__lt", cast=_next_day_start),
    ],
)
exportable(
    "audit",
    "审计日志",
    AUDIT_EXPORT,
    lambda user: AuditEntry.objects.for_user(user).select_related("unit").order_by("-id"),
    capability="audit.view",
)


@login_required
def entry_list(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    form = EntryFilterForm(request.GET or None)
    qs: QuerySet[AuditEntry] = AuditEntry.objects.for_user(request.user)
    if form.is_bound and form.is_valid():
        qs = filtered(qs, form.cleaned_data)
    # keyset paging: "older than id N", newest first; no COUNT over a log that only grows
    try:
        before = int(request.GET.get("before", ""))
    except ValueError:
        before = None
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = [_label(e) for e in qs.select_related("unit").order_by("-id")[: PER_PAGE + 1]]
    has_next = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    params = request.GET.copy()
    params.pop("before", None)
    first_url = "?" + params.urlencode()
    next_url = None
    if has_next:
        params["before"] = str(rows[-1].id)
        next_url = "?" + params.urlencode()
    return render(
        request,
        "audit/entry_list.html",
        {
            "form": form,
            "entries": rows,
            "next_url": next_url,
            "export_url": reverse("core:export", args=["audit"]) + first_url,
            "first_url": first_url if before is not None else None,
            "page_title": "审计日志",
            "breadcrumbs": [("审计日志", None)],
        },
    )


def diff_rows(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, Any, Any, bool]]:
    """(field, before, after, changed) for every field in either snapshot, in field order."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    keys = list(before) + [k for k in after if k not in before]
    missing = object()
    rows = []
    for k in keys:
        b, a = before.get(k, missing), after.get(k, missing)
        changed = b != a
        rows.append((k, "" if b is missing else b, "" if a is missing else a, changed))
    return rows


@login_required
def entry_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "audit.view")
    entry = _label(get_scoped(AuditEntry, request.user, pk=pk))
    only_changed = bool(entry.before) and bool(entry.after)
    rows = diff_rows(entry.before, entry.after)
    return render(
        request,
        "audit/entry_detail.html",
        {
            "entry": entry,
            "rows": [r for r in rows if r[3]] if only_changed else rows,
            "unchanged": [r for r in rows if not r[3]] if only_changed else [],
            "before_missing": entry.before is None,
            "after_missing": entry.after is None,
            "hash_ok": compute_hash(entry.prev_hash, entry_payload(entry)) == entry.hash,
            "page_title": f"审计记录 #{entry.pk}",
            "breadcrumbs": [("审计日志", "/audit/"), (f"#{entry.pk}", None)],
        },
    )


@login_required
@require_POST
def chain_verify(request: AuthedHttpRequest) -> HttpResponse:
    """Walk the whole chain now. Synchronous: a second or two at demo sizes (tens of thousands)."""
    require(request.user, "audit.view")
    checked, broken = verify()
    result: dict[str, Any] = {"checked": checked, "ok": broken is None}
    if broken is None:
        messages.success(request, f"审计链完好：共校验 {checked} 条记录，未发现篡改或删除。")
    else:
        result.update(entry_id=broken.entry_id, reason=broken.reason)
        messages.error(
            request,
            f"审计链在第 {broken.entry_id} 号记录处断裂：{broken.reason}（此前 {checked} 条完好）",
        )
    record(request.user, "audit.verify", None, unit=request.user.unit, after=result)
    return redirect("audit:entry-list")
