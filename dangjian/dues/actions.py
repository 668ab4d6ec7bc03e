"""Every change to dues rows (audited): yearly bases, reductions, payments.

Setting a base computes the member's expected amount (DuesCharge) for each month of that year
from the rules; charges already paid are never recomputed (RULES.md §0.6). A branch's monthly
batch is checked as a whole before anything is written and is one audit entry listing every
payment in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.audit.log import record, snapshot
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.party.models import PartyMember

from . import rules
from .models import DuesBase, DuesCharge, DuesExemption, DuesPayment, month_label

BASE_VALUES = (
    "category",
    "monthly_base",
    "fixed_amount",
    "regular_pay",
    "income_tax",
    "social_insurance",
    "deductions",
)
LABELS = {
    "monthly_base": "党费基数",
    "fixed_amount": "固定金额",
    "kind": "党费类别",
    "category": "党费类别",
    "approved_amount": "批准金额",
    "amount": "金额",
    "method": "缴纳方式",
    "paid_on": "缴纳日期",
    "member": "党员",
    "months": "月份",
    "year": "年度",
    "first_month": "起始月份",
    "last_month": "截止月份",
    "receipt_number": "收据号",
}


def _error(field: str, message: str) -> ActionError:
    return ActionError(message, field=field, label=LABELS.get(field, field))


def _rule_error(exc: rules.DuesRuleError) -> ActionError:
    field = "category" if exc.field == "kind" else exc.field
    return _error(field, exc.message)


class BatchError(ActionError):
    """A batch refused as a whole; `errors` lists (member id, field, message) for every row."""

    def __init__(self, errors: list[tuple[int, str, str]]) -> None:
        super().__init__(f"有{len(errors)}处错误，未登记任何缴费，请改正后重新保存")
        self.errors = errors


def dues_start(member: PartyMember) -> dt.date:
    return rules.first_dues_month(member.joined_on)


def _check_active(member: PartyMember) -> None:
    if not member.is_active:
        raise _error(
            "member", f"「党员」：{member}的党员状态为{member.get_status_display()}，不能办理"
        )


# ---- expected amounts ----


def _exemption_for(exemptions: Iterable[DuesExemption], month: dt.date) -> DuesExemption | None:
    return next((e for e in exemptions if e.covers(month)), None)


def _refresh_charges(member: PartyMember, base: DuesBase) -> None:
    """Charges of `base.year` from the member's dues start: unpaid ones follow the base and the
    approved reductions; paid ones keep what they were computed with."""
    year = base.year
    months = [m for m in rules.months(dt.date(year, 1, 1), dt.date(year, 12, 1))]
    months = [m for m in months if m >= dues_start(member)]
    exemptions = list(
        DuesExemption.objects.filter(
            member=member,
            first_month__lte=dt.date(year, 12, 1),
            last_month__gte=dt.date(year, 1, 1),
        )
    )
    existing = {c.month: c for c in DuesCharge.objects.filter(member=member, month__year=year)}
    new, changed = [], []
    for month in months:
        exemption = _exemption_for(exemptions, month)
        amount = rules.expected_amount(
            base.monthly_amount,
            exemption.kind if exemption else None,
            exemption.approved_amount if exemption else None,
        )
        values = {
            "category": base.category,
            "base": base.monthly_base,
            "rate": base.rate,
            "standard": base.monthly_amount,
            "amount": amount,
            "exemption": exemption,
            "rule_version": base.rule_version,
        }
        charge = existing.get(month)
        if charge is None:
            new.append(DuesCharge(member=member, month=month, **values))
        elif charge.received == 0 and any(getattr(charge, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(charge, k, v)
            changed.append(charge)
    DuesCharge.objects.bulk_create(new)
    DuesCharge.objects.bulk_update(
        changed, ["category", "base", "rate", "standard", "amount", "exemption", "rule_version"]
    )


def _dec(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _apply_base(
    actor: Any, member: PartyMember, year: int, source: str, values: dict[str, Any]
) -> tuple[DuesBase, dict[str, Any] | None, bool]:
    """Create or update one base and its charges: (base, snapshot before, changed?)."""
    _check_active(member)
    if not 1949 <= year <= 2100:
        raise _error("year", "「年度」：请输入有效年度")
    if year < member.joined_on.year:
        raise _error("year", f"「年度」：{member}于{member.joined_on.year}年入党，不能核定更早年度")
    category = values.get("category") or member.dues_category
    monthly_base = _dec(values.get("monthly_base"))
    regular_pay = _dec(values.get("regular_pay"))
    income_tax = _dec(values.get("income_tax"))
    social = _dec(values.get("social_insurance"))
    deductions = values.get("deductions") or rules.BaseDeductions.TAX_ONLY.value
    try:
        if category not in set(rules.Category):
            raise rules.DuesRuleError("category", "「党费类别」：不是有效的选项")
        if monthly_base is None and regular_pay is not None and category in rules.BANDED:
            monthly_base = rules.income_base(
                regular_pay, income_tax or Decimal(0), social or Decimal(0), deductions
            )
        if category not in rules.BANDED:
            monthly_base = None  # fixed amounts do not depend on income
        dues = rules.monthly_dues(category, monthly_base, _dec(values.get("fixed_amount")))
    except rules.DuesRuleError as exc:
        raise _rule_error(exc) from exc
    fields = {
        "category": category,
        "monthly_base": monthly_base,
        "fixed_amount": dues.amount if category == rules.Category.FARMER else None,
        "regular_pay": regular_pay,
        "income_tax": income_tax,
        "social_insurance": social,
        "deductions": deductions,
        "monthly_amount": dues.amount,
        "rate": dues.rate,
        "rule_version": dues.rule_version,
    }
    base = DuesBase.objects.filter(member=member, year=year).first()
    before = snapshot(base)
    if base is None:
        base = DuesBase(member=member, year=year, source=source, confirmed_by=actor, **fields)
    elif all(getattr(base, k) == v for k, v in fields.items()):
        return base, before, False
    else:
        for k, v in fields.items():
            setattr(base, k, v)
        base.source = source
        base.confirmed_by = actor
    base.save()
    _refresh_charges(member, base)
    return base, before, True


@transaction.atomic
def dues_base_set(
    *,
    actor: Any,
    member: PartyMember,
    year: int,
    source: str = DuesBase.Source.MANUAL,
    **values: Any,
) -> DuesBase:
    """核定 one member's category and base for a year; unchanged values write nothing."""
    require(actor, "dues.base_set", member.branch.unit)
    unknown = set(values) - set(BASE_VALUES)
    if unknown:
        raise TypeError(f"unknown base fields {unknown}")
    base, before, changed = _apply_base(actor, member, year, source, values)
    if changed:
        record(actor, "dues.base_set", base, before=before)
    return base


@dataclass(frozen=True)
class BaseEntry:
    member: PartyMember
    values: dict[str, Any]


@transaction.atomic
def dues_bases_set(
    *, actor: Any, branch: Any, year: int, entries: Sequence[BaseEntry]
) -> list[DuesBase]:
    """A branch's yearly 核定 in one step: all rows or none, one audit entry listing them."""
    require(actor, "dues.bases_set", branch.unit)
    errors: list[tuple[int, str, str]] = []
    out, changed = [], []
    for entry in entries:
        if entry.member.branch_id != branch.pk:
            errors.append((entry.member.pk, "member", "不是本支部党员"))
            continue
        try:
            base, _, did = _apply_base(
                actor, entry.member, year, DuesBase.Source.BATCH, entry.values
            )
        except ActionError as exc:
            errors.append((entry.member.pk, exc.field or "", exc.message))
            continue
        out.append(base)
        if did:
            changed.append(base)
    if errors:
        raise BatchError(errors)
    if changed:
        record(
            actor,
            "dues.bases_set",
            branch,
            after={
                "year": year,
                "bases": [
                    {
                        "member": b.member_id,
                        "category": b.category,
                        "monthly_base": str(b.monthly_base) if b.monthly_base is not None else None,
                        "monthly_amount": str(b.monthly_amount),
                    }
                    for b in changed
                ],
            },
            unit=branch.unit,
        )
    return out


# ---- reductions and exemptions ----


@transaction.atomic
def dues_exemption_create(
    *,
    actor: Any,
    member: PartyMember,
    kind: str,
    first_month: dt.date,
    last_month: dt.date,
    document_number: str,
    approved_by: str,
    approved_on: dt.date,
    reason: str,
    approved_amount: Decimal | None = None,
) -> DuesExemption:
    """Record an approved reduction/exemption (or a proper reason); unpaid months follow it."""
    require(actor, "dues.exemption_create", member.branch.unit)
    _check_active(member)
    first, last = rules.month_of(first_month), rules.month_of(last_month)
    if last < first:
        raise _error("last_month", "「截止月份」：不能早于起始月份")
    if kind not in set(rules.ExemptionKind):
        raise _error("kind", "「类型」：不是有效的选项")
    if not document_number.strip():
        raise _error("document_number", "「批准文号」：不能为空")
    if not reason.strip():
        raise _error("reason", "「事由」：不能为空")
    if kind == rules.ExemptionKind.REDUCTION:
        try:
            rules.expected_amount(Decimal("0"), kind, approved_amount)
        except rules.DuesRuleError as exc:
            raise _rule_error(exc) from exc
    else:
        approved_amount = Decimal("0.00") if kind == rules.ExemptionKind.EXEMPTION else None
    overlap = DuesExemption.objects.filter(
        member=member, first_month__lte=last, last_month__gte=first
    ).first()
    if overlap is not None:
        raise _error("first_month", f"「起始月份」：与已登记的{overlap}重叠")
    exemption = DuesExemption.objects.create(
        member=member,
        kind=kind,
        first_month=first,
        last_month=last,
        approved_amount=approved_amount,
        document_number=document_number.strip(),
        approved_by=approved_by.strip(),
        approved_on=approved_on,
        reason=reason.strip(),
        created_by=actor,
    )
    unpaid = DuesCharge.objects.filter(member=member, month__gte=first, month__lte=last, received=0)
    changed = []
    for charge in unpaid:
        charge.amount = rules.expected_amount(charge.standard, kind, approved_amount)
        charge.exemption = exemption
        changed.append(charge)
    DuesCharge.objects.bulk_update(changed, ["amount", "exemption"])
    record(actor, "dues.exemption_create", exemption)
    return exemption


# ---- payments ----


def expected_for(members: Sequence[PartyMember], month: dt.date) -> dict[int, Decimal]:
    """Outstanding amount per member for a month (0 when settled; absent without a charge)."""
    return {
        c.member_id: max(c.amount - c.received, Decimal("0.00"))
        for c in DuesCharge.objects.filter(member__in=[m.pk for m in members], month=month)
    }


@dataclass(frozen=True)
class PaymentEntry:
    member: PartyMember
    amount: Decimal
    method: str
    paid_on: dt.date
    receipt_number: str = ""
    voluntary_extra: bool = False


def _check_entry(entry: PaymentEntry, today: dt.date) -> list[tuple[str, str]]:
    problems = []
    if entry.amount is None or entry.amount <= 0:
        problems.append(("amount", "「金额」：须大于0"))
    elif entry.amount != entry.amount.quantize(rules.FEN):
        problems.append(("amount", "「金额」：最多两位小数"))
    if entry.method not in DuesPayment.Method.values:
        problems.append(("method", "「缴纳方式」：不是有效的选项"))
    if entry.paid_on is None:
        problems.append(("paid_on", "「缴纳日期」：不能为空"))
    elif entry.paid_on > today:
        problems.append(("paid_on", "「缴纳日期」：不能晚于今天"))
    if len(entry.receipt_number) > 50:
        problems.append(("receipt_number", "「收据号」：不能超过50个字符"))
    return problems


def _payment(
    actor: Any, entry: PaymentEntry, month: dt.date, charge: DuesCharge | None, amount: Decimal
) -> DuesPayment:
    return DuesPayment(
        member=entry.member,
        month=month,
        charge=charge,
        amount=amount,
        method=entry.method,
        receipt_number=entry.receipt_number.strip(),
        paid_on=entry.paid_on,
        voluntary_extra=entry.voluntary_extra,
        recorded_by=actor,
    )


def _write(payments: list[DuesPayment], charges: list[DuesCharge]) -> list[DuesPayment]:
    for p in payments:
        if p.charge is not None:
            p.charge.received += p.amount
    DuesPayment.objects.bulk_create(payments)
    DuesCharge.objects.bulk_update(charges, ["received"])
    return payments


def _listing(payments: list[DuesPayment]) -> list[dict[str, Any]]:
    return [
        {
            "member": p.member_id,
            "name": p.member.person.name,
            "month": p.month.strftime("%Y-%m"),
            "amount": str(p.amount),
            "method": p.method,
            "receipt_number": p.receipt_number,
            "paid_on": p.paid_on.isoformat(),
            "voluntary_extra": p.voluntary_extra,
        }
        for p in payments
    ]


@transaction.atomic
def dues_payment_batch(
    *, actor: Any, branch: Any, month: dt.date, entries: Sequence[PaymentEntry]
) -> list[DuesPayment]:
    """A branch's payments for one month: every row is checked first, then all are written or
    none; one audit entry on the branch lists them all."""
    require(actor, "dues.payment_batch", branch.unit)
    month = rules.month_of(month)
    if not entries:
        raise _error("member", "「党员」：请至少勾选一名党员")
    today = timezone.localdate()
    charges = {
        c.member_id: c
        for c in DuesCharge.objects.select_for_update().filter(
            member__in=[e.member.pk for e in entries], month=month
        )
    }
    errors: list[tuple[int, str, str]] = []
    seen: set[int] = set()
    payments: list[DuesPayment] = []
    for entry in entries:
        member = entry.member
        problems = _check_entry(entry, today)
        if member.branch_id != branch.pk:
            problems.append(("member", f"「党员」：{member}不是本支部党员"))
        elif not member.is_active:
            problems.append(("member", f"「党员」：{member}的状态为{member.get_status_display()}"))
        if member.pk in seen:
            problems.append(("member", f"「党员」：{member}重复出现"))
        seen.add(member.pk)
        charge = charges.get(member.pk)
        if not entry.voluntary_extra:
            if charge is None:
                problems.append(
                    ("amount", f"「金额」：{member}尚未核定{month.year}年党费基数，请先核定")
                )
            elif charge.settled:
                problems.append(("amount", f"「金额」：{member}{month_label(month)}党费已交清"))
        errors.extend((member.pk, f, m) for f, m in problems)
        if not problems:
            payments.append(
                _payment(
                    actor, entry, month, None if entry.voluntary_extra else charge, entry.amount
                )
            )
    if errors:
        raise BatchError(errors)
    _write(payments, [p.charge for p in payments if p.charge is not None])
    total = sum((p.amount for p in payments), Decimal("0"))
    record(
        actor,
        "dues.payment_batch",
        branch,
        after={
            "month": month.strftime("%Y-%m"),
            "count": len(payments),
            "total": str(total),
            "payments": _listing(payments),
        },
        unit=branch.unit,
    )
    return payments


@transaction.atomic
def dues_payment_create(
    *,
    actor: Any,
    member: PartyMember,
    months: Sequence[dt.date],
    method: str,
    paid_on: dt.date,
    receipt_number: str = "",
    amount: Decimal | None = None,
    voluntary_extra: bool = False,
) -> list[DuesPayment]:
    """One member pays for one or more months (补交 or 预交): each month's outstanding amount,
    one row per month under one receipt. A voluntary extra payment names one month and an
    amount. One audit entry lists the months."""
    require(actor, "dues.payment_create", member.branch.unit)
    _check_active(member)
    wanted = sorted({rules.month_of(m) for m in months})
    if not wanted:
        raise _error("months", "「月份」：请至少选择一个月份")
    if wanted[0] < dues_start(member):
        raise _error("months", f"「月份」：{member}的党费自{month_label(dues_start(member))}起交纳")
    entry = PaymentEntry(
        member, amount or Decimal("0.01"), method, paid_on, receipt_number, voluntary_extra
    )
    problems = _check_entry(entry, timezone.localdate())
    if problems:
        raise _error(*problems[0])
    payments: list[DuesPayment] = []
    if voluntary_extra:
        if amount is None or len(wanted) != 1:
            raise _error("amount", "「金额」：自愿多交须填写一个月份和金额")
        payments.append(_payment(actor, entry, wanted[0], None, amount))
    else:
        charges = {
            c.month: c
            for c in DuesCharge.objects.select_for_update().filter(member=member, month__in=wanted)
        }
        missing = [m for m in wanted if m not in charges]
        if missing:
            raise _error(
                "months", f"「月份」：{month_label(missing[0])}尚未核定党费基数，请先核定该年度基数"
            )
        settled = [m for m in wanted if charges[m].settled]
        if settled:
            raise _error("months", f"「月份」：{month_label(settled[0])}党费已交清")
        if amount is not None and len(wanted) > 1:
            raise _error("amount", "「金额」：多个月份按各月应交金额登记，不能另填金额")
        for m in wanted:
            charge = charges[m]
            due = charge.amount - charge.received
            payments.append(
                _payment(actor, entry, m, charge, amount if amount is not None else due)
            )
    _write(payments, [p.charge for p in payments if p.charge is not None])
    record(
        actor,
        "dues.payment_create",
        member,
        after={
            "months": [p.month.strftime("%Y-%m") for p in payments],
            "total": str(sum((p.amount for p in payments), Decimal("0"))),
            "payments": _listing(payments),
        },
    )
    return payments


@transaction.atomic
def dues_ledger_export(*, actor: Any, branch: Any, year: int) -> None:
    """A ledger taken out of the platform leaves the same trace as any export (等保)."""
    require(actor, "core.export", branch.unit)
    record(
        actor,
        "core.export",
        None,
        unit=branch.unit,
        after={"list": "dues_ledger", "query": f"branch={branch.pk}&year={year}"},
    )
