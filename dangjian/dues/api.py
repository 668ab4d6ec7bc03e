"""Party dues over /api/v1/dues/: the calculator, bases, payments (batch), arrears and a
branch's reconciliation. Same scope, actions and rules as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.errors import ActionError
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, In, Page, Ref, mf, ref, register_labels
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import PartyOrg
from dangjian.party.models import PartyMember

from . import actions, queries, rules
from .models import DuesBase, DuesPayment

router = Router(tags=["党费"])


def _bad(field: str, message: str, field_label: str) -> ActionError:
    return ActionError(message, field=field, label=field_label)


def _money(raw: Any, field: str, field_label: str) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return rules.to_money(raw, field, field_label)
    except rules.DuesRuleError as exc:
        raise _bad(field, exc.message, field_label) from exc


def _month(raw: str | None, field: str = "month") -> dt.date:
    try:
        return queries.parse_month(raw, timezone.localdate())
    except ValueError as exc:
        raise _bad(field, "「月份」：请输入有效月份，格式为 YYYY-MM", "月份") from exc


class MemberRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: PartyMember) -> str:
        return obj.person.name


# ---------------------------------------------------------------- calculator


class RateOut(Schema):
    kind: str
    base: Decimal | None
    rate: Decimal | None
    monthly_amount: Decimal
    rule_version: str


@router.get(
    "/dues/rate", response={200: RateOut, **ERRORS}, url_name="dues-rate", summary="党费计算"
)
def dues_rate(
    request: AuthedHttpRequest,
    kind: str | None = Query(None, title="党费类别", description="on_post、retired、student 等"),
    base: str | None = Query(None, title="党费基数", description="每月基数（元），如 5000.00"),
    fixed_amount: str | None = Query(None, title="固定金额", description="农民党员 0.20–1.00"),
) -> dict[str, Any]:
    """按 RULES.md §1.3 的比例计算每月党费（基数含上限，四舍五入到分）。"""
    require(request.user, "dues.view")
    if not kind:
        raise _bad("kind", "「党费类别」：不能为空", "党费类别")
    amount = _money(base, "base", "党费基数")
    fixed = _money(fixed_amount, "fixed_amount", "固定金额")
    try:
        dues = rules.monthly_dues(kind, amount, fixed)
    except rules.DuesRuleError as exc:
        field = {"monthly_base": "base"}.get(exc.field, exc.field)
        names = {"kind": "党费类别", "base": "党费基数", "fixed_amount": "固定金额"}
        raise _bad(field, exc.message, names.get(field, field)) from exc
    return {
        "kind": dues.category.value,
        "base": dues.base,
        "rate": dues.rate,
        "monthly_amount": dues.amount,
        "rule_version": dues.rule_version,
    }


# ---------------------------------------------------------------- bases


class BaseOut(Schema):
    id: int
    member: MemberRef
    year: int
    category: str
    category_label: str
    monthly_base: Decimal | None
    fixed_amount: Decimal | None
    monthly_amount: Decimal
    rate: Decimal | None
    rule_version: str
    source: str

    @staticmethod
    def resolve_category_label(obj: DuesBase) -> str:
        return obj.get_category_display()


class BaseIn(In):
    member: int = mf(DuesBase, "member")
    year: int = mf(DuesBase, "year", ge=1949, le=2100)
    category: PartyMember.DuesCategory | None = mf(DuesBase, "category", None)
    monthly_base: Decimal | None = mf(DuesBase, "monthly_base", None, ge=0, decimal_places=2)
    fixed_amount: Decimal | None = mf(DuesBase, "fixed_amount", None, ge=0, decimal_places=2)
    regular_pay: Decimal | None = mf(DuesBase, "regular_pay", None, ge=0, decimal_places=2)
    income_tax: Decimal | None = mf(DuesBase, "income_tax", None, ge=0, decimal_places=2)
    social_insurance: Decimal | None = mf(
        DuesBase, "social_insurance", None, ge=0, decimal_places=2
    )
    deductions: rules.BaseDeductions | None = mf(DuesBase, "deductions", None)


register_labels("dues/bases", BaseIn)


def _member_ref(request: AuthedHttpRequest, pk: int, field: str = "member") -> PartyMember:
    return ref(
        PartyMember.objects.for_user(request.user).select_related("branch__unit", "person"),
        pk,
        field,
        "党员",
    )


@router.get(
    "/dues/bases",
    response={200: list[BaseOut], **ERRORS},
    url_name="dues-base-list",
    summary="党费基数列表",
)
@paginate(Page)
def base_list(
    request: AuthedHttpRequest,
    year: int | None = Query(None, title="年度"),
    branch: int | None = Query(None, title="党组织"),
    member: int | None = Query(None, title="党员"),
) -> QuerySet[DuesBase]:
    require(request.user, "dues.view")
    qs = DuesBase.objects.for_user(request.user).select_related("member__person")
    if year is not None:
        qs = qs.filter(year=year)
    if branch is not None:
        qs = qs.filter(member__branch_id=branch)
    if member is not None:
        qs = qs.filter(member_id=member)
    return qs.order_by("-year", "member__person__name", "pk")


@router.post(
    "/dues/bases",
    response={201: BaseOut, **ERRORS},
    url_name="dues-base-create",
    summary="核定党费基数",
)
def base_create(request: AuthedHttpRequest, payload: BaseIn) -> Status:
    """核定（或修改）党员某年度的党费类别和基数；未交月份的应交金额随之更新。"""
    data = payload.model_dump(exclude_none=True)
    member = _member_ref(request, data.pop("member"))
    year = data.pop("year")
    base = actions.dues_base_set(
        actor=request.user, member=member, year=year, source=DuesBase.Source.API, **data
    )
    return Status(201, base)


# ---------------------------------------------------------------- payments


class PaymentOut(Schema):
    id: int
    member: MemberRef
    month: str
    amount: Decimal
    method: str
    method_label: str
    receipt_number: str
    paid_on: dt.date
    voluntary_extra: bool

    @staticmethod
    def resolve_month(obj: DuesPayment) -> str:
        return obj.month.strftime("%Y-%m")

    @staticmethod
    def resolve_method_label(obj: DuesPayment) -> str:
        return obj.get_method_display()


class PaymentItem(In):
    member: int = Field(..., title="党员")
    amount: Decimal = Field(..., title="金额", gt=0, decimal_places=2)
    method: DuesPayment.Method | None = Field(None, title="缴纳方式")
    receipt_number: str = Field("", title="收据号", max_length=50)
    voluntary_extra: bool = Field(False, title="自愿多交")


class PaymentBatchIn(In):
    branch: int = Field(..., title="党组织")
    month: str = Field(..., title="月份", description="YYYY-MM", pattern=r"^\d{4}-\d{2}$")
    paid_on: dt.date = Field(..., title="缴纳日期")
    method: DuesPayment.Method = Field(DuesPayment.Method.CASH, title="缴纳方式")
    items: list[PaymentItem] = Field(..., title="缴费明细", min_length=1)


register_labels("dues/payments", PaymentBatchIn, PaymentItem)


@router.get(
    "/dues/payments",
    response={200: list[PaymentOut], **ERRORS},
    url_name="dues-payment-list",
    summary="党费缴纳列表",
)
@paginate(Page)
def payment_list(
    request: AuthedHttpRequest,
    month: str | None = Query(None, title="月份", description="YYYY-MM"),
    branch: int | None = Query(None, title="党组织"),
    member: int | None = Query(None, title="党员"),
) -> QuerySet[DuesPayment]:
    require(request.user, "dues.view")
    qs = DuesPayment.objects.for_user(request.user).select_related("member__person")
    if month:
        qs = qs.filter(month=_month(month))
    if branch is not None:
        qs = qs.filter(member__branch_id=branch)
    if member is not None:
        qs = qs.filter(member_id=member)
    return qs.order_by("-month", "member__person__name", "pk")


@router.post(
    "/dues/payments",
    response={201: list[PaymentOut], **ERRORS},
    url_name="dues-payment-create",
    summary="批量登记党费",
)
def payment_create(request: AuthedHttpRequest, payload: PaymentBatchIn) -> Status:
    """一个支部一个月的缴费：先检查全部明细，全部正确才写入（任何一项有错则都不登记）。"""
    branch = ref(
        PartyOrg.objects.for_user(request.user).select_related("unit"),
        payload.branch,
        "branch",
        "党组织",
    )
    month = _month(payload.month)
    members = {
        m.pk: m
        for m in PartyMember.objects.for_user(request.user)
        .filter(pk__in=[i.member for i in payload.items])
        .select_related("person", "branch__unit")
    }
    entries = []
    for n, item in enumerate(payload.items, start=1):
        member = members.get(item.member)
        if member is None:
            raise _bad("member", f"第{n}项「党员」：未找到该记录", "党员")
        entries.append(
            actions.PaymentEntry(
                member=member,
                amount=item.amount,
                method=item.method or payload.method,
                paid_on=payload.paid_on,
                receipt_number=item.receipt_number,
                voluntary_extra=item.voluntary_extra,
            )
        )
    try:
        done = actions.dues_payment_batch(
            actor=request.user, branch=branch, month=month, entries=entries
        )
    except actions.BatchError as exc:
        order = [e.member.pk for e in entries]
        member_pk, field, message = exc.errors[0]
        n = order.index(member_pk) + 1 if member_pk in order else 1
        raise _bad(field, f"第{n}项{message}", actions.LABELS.get(field, field)) from exc
    return Status(201, done)


# ---------------------------------------------------------------- arrears


class ArrearsOut(Schema):
    member: Ref
    branch: Ref
    streak: int
    level: str
    unpaid_months: list[str]
    owed: Decimal


@router.get(
    "/dues/arrears",
    response={200: list[ArrearsOut], **ERRORS},
    url_name="dues-arrears",
    summary="党费欠缴名单",
)
@paginate(Page)
def arrears_list(
    request: AuthedHttpRequest,
    min: int = Query(3, title="连续未交月数", ge=1, le=36),
    branch: int | None = Query(None, title="党组织"),
) -> list[dict[str, Any]]:
    """连续未交党费达到 `min` 个月的党员（level：warning 提醒，flag 可能自行脱党）。"""
    require(request.user, "dues.view")
    org = get_scoped(PartyOrg, request.user, pk=branch) if branch is not None else None
    return [
        {
            "member": {"id": a.member.pk, "name": a.member.person.name},
            "branch": {"id": a.member.branch_id, "name": a.member.branch.name},
            "streak": a.streak,
            "level": a.level,
            "unpaid_months": [m.strftime("%Y-%m") for m in a.unpaid],
            "owed": a.owed,
        }
        for a in queries.arrears(request.user, timezone.localdate(), min, org)
    ]


# ---------------------------------------------------------------- reconciliation


class ReconRow(Schema):
    member: Ref
    expected: Decimal
    received: Decimal
    difference: Decimal
    voluntary: Decimal
    status: str


class ReconOut(Schema):
    branch: Ref
    month: str
    expected: Decimal
    received: Decimal
    difference: Decimal
    voluntary: Decimal
    balanced: bool
    unpaid: int
    rows: list[ReconRow]


@router.get(
    "/dues/branches/{pk}/reconciliation",
    response={200: ReconOut, **ERRORS},
    url_name="dues-reconciliation",
    summary="支部月度党费对账",
)
def reconciliation(
    request: AuthedHttpRequest,
    pk: int,
    month: str | None = Query(None, title="月份", description="YYYY-MM，默认本月"),
) -> dict[str, Any]:
    require(request.user, "dues.view")
    branch = get_scoped(PartyOrg, request.user, pk=pk)
    recon = queries.reconciliation(branch, _month(month))
    return {
        "branch": {"id": branch.pk, "name": branch.name},
        "month": recon.month.strftime("%Y-%m"),
        "expected": recon.expected,
        "received": recon.received,
        "difference": recon.difference,
        "voluntary": recon.voluntary,
        "balanced": recon.balanced,
        "unpaid": len(recon.unpaid),
        "rows": [
            {
                "member": {"id": r.member.pk, "name": r.member.person.name},
                "expected": r.expected,
                "received": r.received,
                "difference": r.difference,
                "voluntary": r.voluntary,
                "status": r.status[1],
            }
            for r in recon.rows
        ],
    }
