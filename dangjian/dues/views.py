"""Dues pages: overview, a branch's month (batch entry), reconciliation, ledger export, a
member's history and forms, arrears, the calculator."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.queries import trail
from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.exports import XLSX
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.pages import form_page
from dangjian.core.scope import has_capability, require
from dangjian.orgs.models import PartyOrg
from dangjian.party.models import PartyMember

from . import actions, queries, rules
from .forms import CalculatorForm, DuesBaseForm, ExemptionForm, PaymentForm
from .ledger import write_ledger
from .models import DuesBase, DuesPayment, month_label


def _scoped(model: type[Any], user: Any, pk: Any, *related: str) -> Any:
    try:
        return model.objects.for_user(user).select_related(*related).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise OutOfScope("未找到该记录") from exc


def _branch(request: AuthedHttpRequest, pk: int) -> PartyOrg:
    require(request.user, "dues.view")
    branch: PartyOrg = _scoped(PartyOrg, request.user, pk, "unit")
    if branch.kind not in queries.MEMBER_KINDS:
        raise OutOfScope("未找到该记录")
    return branch


def _member(request: AuthedHttpRequest, pk: int) -> PartyMember:
    require(request.user, "dues.view")
    member: PartyMember = _scoped(PartyMember, request.user, pk, "person", "branch__unit")
    return member


def _month(request: AuthedHttpRequest) -> dt.date:
    today = timezone.localdate()
    try:
        return queries.parse_month(request.GET.get("month"), today)
    except ValueError:
        messages.error(request, "「月份」：请选择有效月份，如2026-10，已显示本月")
        return rules.month_of(today)


def _month_nav(month: dt.date) -> dict[str, Any]:
    return {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "month_label": month_label(month),
        "prev_month": rules.previous_month(month).strftime("%Y-%m"),
        "next_month": rules.next_month(month).strftime("%Y-%m"),
    }


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [("党费", reverse("dues:overview")), *items]


# ---- overview ----


@login_required
def overview(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "dues.view")
    month = _month(request)
    today = timezone.localdate()
    rows = queries.overview(user, month, today)
    totals = {
        key: sum((r[key] for r in rows), Decimal("0.00"))
        for key in ("expected", "received", "difference")
    }
    counts = {key: sum(r[key] for r in rows) for key in ("members", "warned", "flagged")}
    warn, flag = queries.thresholds()
    return render(
        request,
        "dues/overview.html",
        {
            "rows": rows,
            "totals": totals,
            "counts": counts,
            "warn": warn,
            "flag": flag,
            "can_import": has_capability(user, "core.import")
            and has_capability(user, "dues.base_set"),
            "can_import_payments": has_capability(user, "core.import")
            and has_capability(user, "dues.payment_create"),
            "page_title": "党费",
            "breadcrumbs": [("党费", None)],
            **_month_nav(month),
        },
    )


# ---- a branch's month: batch entry ----


def _row_values(request: AuthedHttpRequest, row: queries.MonthRow) -> dict[str, Any]:
    pk = row.member.pk
    post = request.POST if request.method == "POST" else None
    return {
        "ticked": str(pk) in post.getlist("pay") if post else False,
        "amount": post.get(f"amount-{pk}", "") if post else f"{row.outstanding:.2f}",
        "method": post.get(f"method-{pk}", "") if post else "",
        "receipt": post.get(f"receipt-{pk}", "") if post else "",
    }


def batch_entries(
    post: Any, rows: list[queries.MonthRow]
) -> tuple[list[actions.PaymentEntry], dict[int, list[str]], list[str]]:
    """The ticked rows of the batch form as entries; (entries, errors by member, top errors)."""
    by_pk = {r.member.pk: r for r in rows}
    errors: dict[int, list[str]] = {}
    top: list[str] = []
    paid_on = None
    try:
        paid_on = dt.date.fromisoformat(post.get("paid_on", ""))
    except ValueError:
        top.append("「缴纳日期」：请输入有效日期")
    entries = []
    ticked = post.getlist("pay")
    if not ticked:
        top.append("请至少勾选一名党员")
    for raw in ticked:
        row = by_pk.get(int(raw)) if raw.isdigit() else None
        if row is None:
            top.append("勾选的党员不在本支部名单中，请刷新页面后重新勾选")
            continue
        pk = row.member.pk
        method = post.get(f"method-{pk}") or post.get("method", "")
        try:
            amount = rules.to_money(post.get(f"amount-{pk}", ""), "amount", "金额")
        except rules.DuesRuleError as exc:
            errors.setdefault(pk, []).append(exc.message)
            continue
        if paid_on is not None:
            entries.append(
                actions.PaymentEntry(
                    member=row.member,
                    amount=amount,
                    method=method,
                    paid_on=paid_on,
                    receipt_number=post.get(f"receipt-{pk}", "").strip(),
                )
            )
    return entries, errors, top


@login_required
def branch_month(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    branch = _branch(request, pk)
    month = _month(request)
    rows = queries.month_rows(branch, month)
    can_pay = has_capability(user, "dues.payment_batch", branch.unit)
    row_errors: dict[int, list[str]] = {}
    top_errors: list[str] = []
    if request.method == "POST":
        require(user, "dues.payment_batch", branch.unit)
        entries, row_errors, top_errors = batch_entries(request.POST, rows)
        if not row_errors and not top_errors:
            try:
                done = actions.dues_payment_batch(
                    actor=user, branch=branch, month=month, entries=entries
                )
            except actions.BatchError as exc:
                for member_pk, _, message in exc.errors:
                    row_errors.setdefault(member_pk, []).append(message)
                top_errors.append(exc.message)
            except ActionError as exc:
                top_errors.append(exc.message)
            else:
                total = sum((p.amount for p in done), Decimal("0"))
                messages.success(
                    request, f"已登记{len(done)}名党员{month_label(month)}党费，共¥{total:,.2f}"
                )
                url = reverse("dues:branch-reconciliation", args=[branch.pk])
                return redirect(f"{url}?month={month:%Y-%m}")
        elif not top_errors:
            top_errors.append(f"有{len(row_errors)}行有错误，未登记任何缴费，请改正后重新保存")
    default_method = (
        request.POST.get("method") if request.method == "POST" else DuesPayment.Method.CASH
    )
    table: list[dict[str, Any]] = [
        {
            "row": r,
            "values": _row_values(request, r),
            "errors": row_errors.get(r.member.pk, []),
            "base_url": reverse("dues:base-set", args=[r.member.pk]) + f"?year={month.year}",
        }
        for r in rows
    ]
    open_rows = [t for t in table if t["row"].charge is not None and not t["row"].paid]
    return render(
        request,
        "dues/branch_month.html",
        {
            "branch": branch,
            "table": table,
            "open_count": len(open_rows),
            "can_pay": can_pay,
            "top_errors": top_errors,
            "methods": DuesPayment.Method.choices,
            "default_method": default_method,
            "paid_on": request.POST.get("paid_on")
            if request.method == "POST"
            else timezone.localdate().isoformat(),
            "recon": queries.Reconciliation(branch, month, rows),
            "page_title": f"{branch.name} {month_label(month)}党费",
            "breadcrumbs": _crumbs((branch.name, None), (month_label(month), None)),
            **_month_nav(month),
        },
    )


@login_required
def branch_reconciliation(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    branch = _branch(request, pk)
    month = _month(request)
    recon = queries.reconciliation(branch, month)
    month_url = reverse("dues:branch-month", args=[branch.pk]) + f"?month={month:%Y-%m}"
    return render(
        request,
        "dues/branch_reconciliation.html",
        {
            "branch": branch,
            "recon": recon,
            "month_url": month_url,
            "ledger_url": reverse("dues:branch-ledger", args=[branch.pk]) + f"?year={month.year}",
            "page_title": f"{branch.name} {month_label(month)}党费对账",
            "breadcrumbs": _crumbs((branch.name, month_url), ("对账", None)),
            **_month_nav(month),
        },
    )


@login_required
def branch_ledger(request: AuthedHttpRequest, pk: int) -> FileResponse:
    """台账: one row per member, the twelve months received, totals (Excel)."""
    branch = _branch(request, pk)
    require(request.user, "core.export", branch.unit)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
        if not 1949 <= year <= 2100:
            raise ValueError(year)
    except ValueError:
        year = timezone.localdate().year
    actions.dues_ledger_export(actor=request.user, branch=branch, year=year)
    title = f"{branch.name}{year}年党费收缴台账"
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115  closed by FileResponse
    write_ledger(tmp.name, title, branch, year)
    tmp.seek(0)
    response = FileResponse(tmp, as_attachment=True, filename=f"{title}.xlsx", content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.xlsx"
    return response


# ---- a member ----


@login_required
def member_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(request, pk)
    today = timezone.localdate()
    history = queries.member_history(member)
    streak = queries.streaks(PartyMember.objects.filter(pk=member.pk), today).get(member.pk)
    warn, flag = queries.thresholds()
    unit = member.branch.unit
    buttons = [
        (label, reverse(name, args=[member.pk]), style)
        for cap, label, name, style in (
            ("dues.payment_create", "登记缴费", "dues:payment-create", "dj"),
            ("dues.base_set", "核定基数", "dues:base-set", "outline-primary"),
            ("dues.exemption_create", "登记减免", "dues:exemption-create", "outline-primary"),
        )
        if member.is_active and has_capability(user, cap, unit)
    ]
    return render(
        request,
        "dues/member_detail.html",
        {
            "member": member,
            "streak": streak,
            "level": rules.arrears_level(streak, warn, flag).value if streak is not None else "",
            "buttons": buttons,
            "trail": trail(member),
            "page_title": f"{member.person.name}的党费",
            "breadcrumbs": _crumbs(
                (
                    member.branch.name,
                    reverse("dues:branch-month", args=[member.branch_id]),
                ),
                (member.person.name, None),
            ),
            **history,
        },
    )


def _form_page(
    request: AuthedHttpRequest, form: Any, member: PartyMember, title: str, intro: str = ""
) -> HttpResponse:
    back = reverse("dues:member-detail", args=[member.pk])
    return form_page(
        request,
        form,
        intro=intro,
        submit="保存",
        cancel=back,
        title=f"{title} · {member.person.name}",
        breadcrumbs=_crumbs((member.person.name, back), (title, None)),
        template="dues/form.html",
        context={"member": member},
    )


@login_required
def base_set(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(request, pk)
    require(user, "dues.base_set", member.branch.unit)
    year = request.GET.get("year", "")
    year_value = int(year) if year.isdigit() else timezone.localdate().year
    current = DuesBase.objects.filter(member=member, year=year_value).first()
    initial: dict[str, Any] = {"year": year_value, "category": member.dues_category}
    if current is not None:
        initial |= {
            k: getattr(current, k)
            for k in (
                "category",
                "monthly_base",
                "fixed_amount",
                "regular_pay",
                "income_tax",
                "social_insurance",
                "deductions",
            )
        }
    form = DuesBaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        target_year = data.pop("year")
        try:
            base = actions.dues_base_set(actor=user, member=member, year=target_year, **data)
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(
                request,
                f"已核定{member.person.name}{base.year}年党费：每月¥{base.monthly_amount:,.2f}",
            )
            return redirect("dues:member-detail", member.pk)
    return _form_page(
        request,
        form,
        member,
        "核定党费基数",
        "按年度核定；已交的月份不受影响，未交的月份按新基数重新计算应交金额。",
    )


@login_required
def payment_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(request, pk)
    require(user, "dues.payment_create", member.branch.unit)
    form = PaymentForm(
        request.POST or None,
        initial={"first_month": rules.month_of(timezone.localdate()), "method": "cash"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = actions.dues_payment_create(
                actor=user,
                member=member,
                months=rules.months(data["first_month"], data["last_month"]),
                method=data["method"],
                paid_on=data["paid_on"],
                receipt_number=data["receipt_number"],
                amount=data["amount"],
                voluntary_extra=data["voluntary_extra"],
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            total = sum((p.amount for p in done), Decimal("0"))
            messages.success(request, f"已登记{len(done)}个月党费，共¥{total:,.2f}")
            return redirect("dues:member-detail", member.pk)
    return _form_page(
        request,
        form,
        member,
        "登记缴费",
        "可一次登记多个月份（补交或预交），每月按应交金额各记一笔，共用一个收据号。",
    )


@login_required
def exemption_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    member = _member(request, pk)
    require(user, "dues.exemption_create", member.branch.unit)
    form = ExemptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.dues_exemption_create(actor=user, member=member, **form.cleaned_data)
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, "已登记党费减免，相关月份的应交金额已更新")
            return redirect("dues:member-detail", member.pk)
    return _form_page(
        request,
        form,
        member,
        "登记减免",
        "经本人申请、支部研究、上级党委批准后登记；正当理由缓交的月份不计入连续未交。",
    )


# ---- arrears ----


@login_required
def arrears_list(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    require(user, "dues.view")
    warn, flag = queries.thresholds()
    raw_min = request.GET.get("min", "")
    minimum = int(raw_min) if raw_min.isdigit() and int(raw_min) > 0 else warn
    branch = None
    raw_branch = request.GET.get("branch", "")
    if raw_branch.isdigit():
        branch = queries.branches_for(user).filter(pk=int(raw_branch)).first()
    today = timezone.localdate()
    found = queries.arrears(user, today, minimum, branch)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/arrears_list.html",
        {
            "page": page,
            "count": len(found),
            "minimum": minimum,
            "branch": branch,
            "branches": list(queries.branches_for(user)[:2000]),
            "min_choices": [
                (1, "1个月及以上"),
                (warn, f"{warn}个月及以上（提醒）"),
                (flag, f"{flag}个月及以上（党章第九条）"),
            ],
            "last_month": rules.latest_overdue_month(today, queries.due_day()),
            "warn": warn,
            "flag": flag,
            "page_title": "党费欠缴",
            "breadcrumbs": _crumbs(("欠缴名单", None)),
        },
    )


# ---- calculator ----


@login_required
def calculator(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "dues.view")
    form = CalculatorForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            result = rules.monthly_dues(data["kind"], data["base"], data["fixed_amount"])
        except rules.DuesRuleError as exc:
            field = {"monthly_base": "base"}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, exc.message.split("：")[-1])
    return render(
        request,
        "dues/calculator.html",
        {
            "form": form,
            "result": result,
            "category_label": dict(PartyMember.DuesCategory.choices).get(
                result.category.value if result else "", ""
            ),
            "on_post": rules.ON_POST_RATES,
            "retired": rules.RETIRED_RATES,
            "page_title": "党费计算器",
            "breadcrumbs": _crumbs(("计算器", None)),
        },
    )
