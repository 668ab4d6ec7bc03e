"""Every change to 三重一大 records (audited, STYLE.md §2; RULES.md §5).

Each action checks everything first and then writes in one transaction, so a refusal leaves
nothing behind. Flags are derived data: the actions that change what a flag depends on
re-compute the item's ItemFlag rows (and those of items to the same payee, for splitting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from dangjian.audit.log import record, snapshot
from dangjian.core import uploads
from dangjian.core.actions_util import field_error
from dangjian.core.dates import cn_date
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.core.transitions import move
from dangjian.notices.actions import notify, role_holders
from dangjian.notices.models import Notice

from . import queries, rules
from .models import (
    AgendaItem,
    Attachment,
    Body,
    Category,
    DecisionCategory,
    DecisionMeeting,
    DecisionSettings,
    Execution,
    ItemFlag,
    ItemReview,
    MeetingItem,
    MeetingMember,
    Milestone,
    Opinion,
    Recusal,
    SpotCheck,
    Step,
)

S = AgendaItem.Status
UPLOAD_ALLOWED = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".doc", ".xlsx")
ITEM_FIELDS = (
    "category",
    "subcategory",
    "title",
    "content",
    "amount",
    "payee",
    "steps_done",
    "steps_note",
    "planned_body",
    "planned_meeting_on",
    "proposer",
)
CATEGORY_FIELDS = (
    "name",
    "examples",
    "bodies",
    "required_steps",
    "staff_congress_required",
    "position",
    "is_active",
)
SPOT_CHECK_AREA = "三重一大"


@dataclass(frozen=True)
class MemberIn:
    name: str
    title: str = ""
    person: Any = None
    is_chair: bool = False
    present: bool = True
    absence_reason: str = ""


@dataclass(frozen=True)
class OpinionIn:
    member: int  # index into the meeting's members
    text: str = ""
    stance: str = Opinion.Stance.AGREE


@dataclass(frozen=True)
class RecusalIn:
    member: int  # index into the meeting's members
    reason: str
    withdrew: bool = True


@dataclass(frozen=True)
class DecisionIn:
    item: AgendaItem
    opinions: Sequence[OpinionIn] = field(default_factory=tuple)
    recusals: Sequence[RecusalIn] = field(default_factory=tuple)
    votes_yes: int | None = None
    votes_no: int | None = None
    votes_abstain: int | None = None
    decision: str = ""
    passed: bool | None = None


@dataclass(frozen=True)
class MilestoneIn:
    text: str
    due_on: dt.date


# ---- helpers -------------------------------------------------------------------------------


def _day(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _err(message: str, name: str, label: str) -> ActionError:
    return ActionError(f"「{label}」：{message}", name, label)


def check_upload(f: UploadedFile, name: str = "file", label: str = "附件") -> str:
    """The file's content type, or a refusal naming the field and the file (core.uploads: ≤ 10
    MB, not empty, pdf/jpg/png/docx/doc/xlsx whose bytes match the extension)."""
    return uploads.check_upload(f, field=name, label=label, allowed=UPLOAD_ALLOWED)


def _attach(
    unit: Any,
    files: Iterable[tuple[str, UploadedFile, str]],
    *,
    item: AgendaItem | None = None,
    meeting: DecisionMeeting | None = None,
) -> list[Attachment]:
    return [
        Attachment.objects.create(
            unit=unit,
            item=item,
            meeting=meeting,
            kind=kind,
            file=f,
            name=(f.name or "")[:200],
            size=f.size or 0,
            content_type=ctype,
        )
        for kind, f, ctype in files
    ]


def _check_item_files(
    attachments: Sequence[tuple[str, UploadedFile]],
) -> list[tuple[str, UploadedFile, str]]:
    allowed = Attachment.ITEM_KINDS - {Attachment.Kind.EXECUTION}
    out = []
    for kind, f in attachments:
        if kind not in allowed:
            raise _err("请选择有效的材料类型", "attachments", "附件")
        out.append((kind, f, check_upload(f, "attachments", "附件")))
    return out


def _allowed(item: AgendaItem, to: str) -> None:
    """Refuse a transition the map does not allow before any other check."""
    if to not in AgendaItem.TRANSITIONS.get(S(item.status), set()):
        move(AgendaItem(status=item.status), to)  # raises InvalidTransition (Chinese labels)


def _is_definer(unit: Any) -> bool:
    from dangjian.orgs.models import Unit

    return unit.kind in Unit.BUREAU_KINDS or unit.kind == Unit.Kind.DISTRICT_OFFICE


def _state(item: AgendaItem) -> dict[str, Any]:
    return snapshot(item) or {}


# ---- flags ---------------------------------------------------------------------------------


def _item_day(item: AgendaItem) -> dt.date:
    return (
        item.decided_on
        or item.filed_on
        or item.planned_meeting_on
        or (timezone.localdate(item.created_at) if item.created_at else timezone.localdate())
    )


def _splitting(item: AgendaItem, settings: rules.Settings) -> bool:
    threshold = settings.threshold_for(item.unit.kind)
    if not item.payee.strip() or item.amount is None or item.status == S.DRAFT:
        return False
    if item.amount >= threshold:
        return False  # a large-fund item in its own right
    name = rules.normalise_payee(item.payee)
    peers = (
        AgendaItem.objects.filter(unit_id=item.unit_id, amount__isnull=False)
        .exclude(payee="")
        .exclude(status__in=[S.DRAFT, S.RETURNED])
    )
    funds = [
        rules.FundItem(p.pk, p.payee, p.amount, _item_day(p))
        for p in peers
        if rules.normalise_payee(p.payee) == name and p.amount is not None
    ]
    return item.pk in rules.possible_splitting(funds, threshold, settings.split_window_days)


def _discussion(item: AgendaItem) -> rules.Discussion | None:
    mi = MeetingItem.objects.filter(item=item).select_related("meeting").first()
    if mi is None:
        return None
    members = list(mi.meeting.members.all())
    chief = next((m.pk for m in members if m.is_chair), None)
    speakers = tuple(mi.opinions.order_by("order").values_list("member_id", flat=True))
    names = {m.pk: m.name for m in members}
    breaches = []
    chief_recused = False
    for r in mi.recusals.all():
        if r.member_id == chief and r.withdrew:
            chief_recused = True
        if not r.withdrew or r.member_id in speakers:
            breaches.append(names.get(r.member_id, ""))
    return rules.Discussion(
        held_on=mi.meeting.held_on,
        body=mi.meeting.body,
        mode=mi.meeting.mode,
        members=len(members),
        present=sum(1 for m in members if m.present),
        speakers=speakers,
        chief=chief,
        chief_recused=chief_recused,
        recusal_breaches=tuple(breaches),
        votes_recorded=mi.votes_recorded,
    )


def item_facts(item: AgendaItem, settings: rules.Settings | None = None) -> rules.ItemFacts:
    settings = settings or queries.settings_for(item.unit)
    decided = item.status in AgendaItem.DECIDED  # before that: no meeting, no execution
    execution = Execution.objects.filter(item=item).first() if decided else None
    return rules.ItemFacts(
        category=item.category,
        unit_kind=item.unit.kind,
        amount=item.amount,
        filed_on=item.filed_on,
        approved_on=item.approved_on,
        planned_on=item.planned_meeting_on,
        required_steps=queries.required_steps(item),
        steps_done=tuple(item.steps_done or ()),
        discussion=_discussion(item) if decided else None,
        execution_due=execution.due_on if execution else None,
        execution_done=execution.completed_on if execution else None,
        splitting=_splitting(item, settings),
    )


def flags_refresh(item: AgendaItem, settings: rules.Settings | None = None) -> list[rules.Flag]:
    """Re-compute the item's stored flags (derived data, not audited). A draft raises none:
    nothing has been filed or decided yet."""
    settings = settings or queries.settings_for(item.unit)
    ItemFlag.objects.filter(item=item).delete()
    if item.status == S.DRAFT:
        return []
    facts = item_facts(item, settings)
    found = rules.flags(facts, settings)
    ItemFlag.objects.bulk_create(
        ItemFlag(item=item, code=f.code, severity=f.severity, detail=f.detail[:200]) for f in found
    )
    overdue = _overdue_row(item, facts.execution_due, facts.execution_done, replace=False)
    return found if overdue is None else [*found, overdue]


def _overdue_row(
    item: AgendaItem, due: dt.date | None, done: dt.date | None, *, replace: bool = True
) -> rules.Flag | None:
    """The execution_overdue row as a date range: from the day after the due date until the
    completion (open while not completed); none when completed in time."""
    if replace:
        ItemFlag.objects.filter(item=item, code=rules.Code.EXECUTION_OVERDUE).delete()
    if due is None or (done is not None and done <= due):
        return None
    flag = rules.Flag(rules.Code.EXECUTION_OVERDUE, f"执行期限{cn_date(due)}")
    ItemFlag.objects.create(
        item=item,
        code=flag.code,
        severity=flag.severity,
        detail=flag.detail,
        since=due + dt.timedelta(days=1),
        until=done,
    )
    return flag


def _refresh_with_peers(
    item: AgendaItem,
    *payees: str,
    amounts: tuple[Decimal | None, ...] = (),
    settings: rules.Settings | None = None,
) -> list[rules.Flag]:
    """The item's flags and those of the unit's items to the same payees whose splitting
    could change: only items under the threshold take part in splitting."""
    settings = settings or queries.settings_for(item.unit)
    found = flags_refresh(item, settings)
    threshold = settings.threshold_for(item.unit.kind)
    small = [a for a in (item.amount, *amounts) if a is not None and a < threshold]
    names = {rules.normalise_payee(p) for p in payees if p.strip()}
    if not names or not small:
        return found
    peers = (
        AgendaItem.objects.filter(unit_id=item.unit_id, amount__lt=threshold)
        .exclude(pk=item.pk)
        .exclude(payee="")
        .exclude(status=S.DRAFT)
        .select_related("unit", "subcategory")
    )
    for peer in peers:
        if rules.normalise_payee(peer.payee) in names:
            flags_refresh(peer, settings)
    return found


# ---- settings and catalogue ----------------------------------------------------------------


def _decimal(value: Any, name: str, label: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _err("请输入有效的金额", name, label) from exc
    if not d.is_finite() or d <= 0:
        raise _err("应大于0", name, label)
    return d.quantize(Decimal("0.01"))


@transaction.atomic
def settings_save(
    *,
    actor: Any,
    unit: Any,
    large_fund_threshold_yuan: Decimal,
    filing_lead_days: int = rules.DEFAULT_LEAD_DAYS,
    quorum_half_rule: str = rules.HalfRule.MORE_THAN_HALF,
    majority_base: str = rules.MajorityBase.DUE,
    split_window_days: int = rules.DEFAULT_SPLIT_WINDOW,
    threshold_by_kind: Mapping[str, Any] | None = None,
) -> DecisionSettings:
    """Create or change a bureau's settings; the flags of its schools' items are re-computed."""
    require(actor, "decisions.settings_save", unit)
    from dangjian.orgs.models import Unit

    model = DecisionSettings
    if not _is_definer(unit):
        raise field_error(model, "unit", "「制定单位」：只有教育局或学区可以制定三重一大设置")
    threshold = _decimal(
        large_fund_threshold_yuan, "large_fund_threshold_yuan", "大额资金标准（元）"
    )
    if not 0 <= filing_lead_days <= 30:
        raise field_error(
            model, "filing_lead_days", "「会前报备时限（工作日）」：应在0到30个工作日之间"
        )
    if quorum_half_rule not in model.HalfRule.values:
        raise field_error(model, "quorum_half_rule", "「到会人数要求」：请选择有效的选项")
    if majority_base not in model.MajorityBase.values:
        raise field_error(model, "majority_base", "「表决通过基数」：请选择有效的选项")
    if not 1 <= split_window_days <= 366:
        raise field_error(
            model, "split_window_days", "「拆分预警时间窗口（天）」：应在1到366天之间"
        )
    by_kind: dict[str, str] = {}
    for kind, value in (threshold_by_kind or {}).items():
        if kind not in Unit.SCHOOL_KINDS:
            raise field_error(
                model, "threshold_by_kind", "「按学校类型的大额资金标准」：学校类型无效"
            )
        by_kind[kind] = str(_decimal(value, "threshold_by_kind", "按学校类型的大额资金标准"))
    row = DecisionSettings.objects.filter(unit=unit).first()
    before = snapshot(row)
    if row is None:
        row = DecisionSettings(unit=unit)
    row.large_fund_threshold_yuan = threshold
    row.threshold_by_kind = by_kind
    row.filing_lead_days = filing_lead_days
    row.quorum_half_rule = quorum_half_rule
    row.majority_base = majority_base
    row.split_window_days = split_window_days
    row.save()
    record(actor, "decisions.settings_save", row, before=before)
    for item in (
        AgendaItem.objects.in_subtree(unit)
        .exclude(status=S.DRAFT)
        .select_related("unit", "subcategory")
    ):
        flags_refresh(item)
    return row


def _check_category(category: str, name: str, bodies: Sequence[str], steps: Sequence[str]) -> None:
    model = DecisionCategory
    if category not in Category.values:
        raise field_error(model, "category", "「类别」：请选择有效的类别")
    if not name.strip():
        raise field_error(model, "name", "「事项名称」：请填写事项名称")
    if not bodies:
        raise field_error(model, "bodies", "「决策会议」：至少选择一种决策会议")
    if any(b not in Body.values for b in bodies):
        raise field_error(model, "bodies", "「决策会议」：请选择有效的会议类型")
    if any(s not in Step.values for s in steps):
        raise field_error(model, "required_steps", "「必经前置程序」：请选择有效的前置程序")


@transaction.atomic
def category_create(
    *,
    actor: Any,
    unit: Any,
    category: str,
    name: str,
    examples: str = "",
    bodies: Sequence[str] = (Body.PARTY_ORG_MEETING,),
    required_steps: Sequence[str] | None = None,
    staff_congress_required: bool = False,
    position: int = 0,
) -> DecisionCategory:
    """A catalogue entry; steps default to the category's (rules.DEFAULT_STEPS)."""
    require(actor, "decisions.category_create", unit)
    if not _is_definer(unit):
        raise field_error(
            DecisionCategory, "unit", "「制定单位」：只有教育局或学区可以制定事项目录"
        )
    if required_steps is None and category in Category.values:
        required_steps = [s.value for s in rules.DEFAULT_STEPS[rules.Category(category)]]
    steps = list(dict.fromkeys(required_steps or ()))
    _check_category(category, name, list(bodies), steps)
    entry = DecisionCategory.objects.create(
        unit=unit,
        category=category,
        name=name.strip()[:100],
        examples=examples.strip(),
        bodies=list(dict.fromkeys(bodies)),
        required_steps=steps,
        staff_congress_required=staff_congress_required,
        position=position,
    )
    record(actor, "decisions.category_create", entry)
    return entry


@transaction.atomic
def category_update(*, actor: Any, entry: DecisionCategory, **changes: Any) -> DecisionCategory:
    require(actor, "decisions.category_update", entry.unit)
    unknown = set(changes) - set(CATEGORY_FIELDS)
    if unknown:
        raise ActionError(f"不能修改：{'、'.join(sorted(unknown))}")
    before = snapshot(entry)
    merged = {f: changes.get(f, getattr(entry, f)) for f in CATEGORY_FIELDS}
    merged["bodies"] = list(dict.fromkeys(merged["bodies"] or ()))
    merged["required_steps"] = list(dict.fromkeys(merged["required_steps"] or ()))
    merged["name"] = str(merged["name"]).strip()[:100]
    merged["examples"] = str(merged["examples"]).strip()
    _check_category(entry.category, merged["name"], merged["bodies"], merged["required_steps"])
    for name, value in merged.items():
        setattr(entry, name, value)
    entry.save()
    record(actor, "decisions.category_update", entry, before=before)
    affected = (
        AgendaItem.objects.filter(subcategory=entry)
        .exclude(status=S.DRAFT)
        .select_related("unit", "subcategory")
    )
    for item in affected:
        flags_refresh(item)
    return entry


# ---- items: create, edit, file, review -----------------------------------------------------


def _clean_item(unit: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Validated item fields (stripped); refusals name the field."""
    m = AgendaItem
    if data["category"] not in Category.values:
        raise field_error(m, "category", "「类别」：请选择有效的类别")
    sub = data.get("subcategory")
    if sub is not None:
        if sub.unit_id not in unit.ancestor_ids() or not sub.is_active:
            raise field_error(m, "subcategory", "「具体事项」：不在本单位适用的事项目录中")
        if sub.category != data["category"]:
            raise field_error(m, "subcategory", "「具体事项」：与所选类别不一致")
    data["title"] = (data.get("title") or "").strip()
    data["content"] = (data.get("content") or "").strip()
    if not data["title"]:
        raise field_error(m, "title", "「议题名称」：请填写议题名称")
    if len(data["title"]) > 200:
        raise field_error(m, "title", "「议题名称」：不能超过200字")
    if not data["content"]:
        raise field_error(m, "content", "「议题内容」：请填写议题内容")
    amount = data.get("amount")
    if amount is not None:
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError) as exc:
            raise field_error(m, "amount", "「涉及金额（元）」：请输入有效的金额") from exc
        if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e12"):
            raise field_error(m, "amount", "「涉及金额（元）」：应大于0")
    if data["category"] == Category.LARGE_FUND and amount is None:
        raise field_error(m, "amount", "「涉及金额（元）」：大额度资金使用议题须填写金额")
    data["amount"] = amount
    data["payee"] = (data.get("payee") or "").strip()[:100]
    steps = list(dict.fromkeys(data.get("steps_done") or ()))
    if any(s not in Step.values for s in steps):
        raise field_error(m, "steps_done", "「已完成的前置程序」：请选择有效的前置程序")
    data["steps_done"] = steps
    data["steps_note"] = (data.get("steps_note") or "").strip()
    if data.get("planned_body") not in Body.values:
        raise field_error(m, "planned_body", "「拟提交会议」：请选择有效的会议类型")
    data["proposer"] = (data.get("proposer") or "").strip()[:50]
    return data


@transaction.atomic
def item_create(
    *,
    actor: Any,
    unit: Any,
    category: str,
    title: str,
    content: str,
    subcategory: DecisionCategory | None = None,
    amount: Decimal | None = None,
    payee: str = "",
    steps_done: Sequence[str] = (),
    steps_note: str = "",
    planned_body: str = Body.PARTY_ORG_MEETING,
    planned_meeting_on: dt.date | None = None,
    proposer: str = "",
    attachments: Sequence[tuple[str, UploadedFile]] = (),
) -> AgendaItem:
    """A draft item of a school (filed separately with item_file)."""
    require(actor, "decisions.item_create", unit)
    if not unit.is_school:
        raise field_error(AgendaItem, "unit", "「学校」：只有学校可以填报三重一大议题")
    if not unit.is_active:
        raise field_error(AgendaItem, "unit", "「学校」：该单位已撤销或撤并")
    data = _clean_item(
        unit,
        {
            "category": category,
            "subcategory": subcategory,
            "title": title,
            "content": content,
            "amount": amount,
            "payee": payee,
            "steps_done": steps_done,
            "steps_note": steps_note,
            "planned_body": planned_body,
            "planned_meeting_on": planned_meeting_on,
            "proposer": proposer,
        },
    )
    files = _check_item_files(attachments)
    item = AgendaItem.objects.create(unit=unit, created_by=_user(actor), **data)
    added = _attach(unit, files, item=item)
    after = {**_state(item), "attachments": [a.name for a in added]}
    record(actor, "decisions.item_create", item, after=after)
    return item


@transaction.atomic
def item_update(
    *,
    actor: Any,
    item: AgendaItem,
    attachments: Sequence[tuple[str, UploadedFile]] = (),
    **changes: Any,
) -> AgendaItem:
    """Change a draft or returned item."""
    require(actor, "decisions.item_update", item.unit)
    unknown = set(changes) - set(ITEM_FIELDS)
    if unknown:
        raise ActionError(f"不能修改：{'、'.join(sorted(unknown))}")
    if item.status not in AgendaItem.EDITABLE:
        raise ActionError(f"议题「{item.get_status_display()}」，不能再修改", "status", "状态")
    before = _state(item)
    old_payee, old_amount = item.payee, item.amount
    data = _clean_item(item.unit, {f: changes.get(f, getattr(item, f)) for f in ITEM_FIELDS})
    files = _check_item_files(attachments)
    for name, value in data.items():
        setattr(item, name, value)
    item.save()
    added = _attach(item.unit, files, item=item)
    after = {**_state(item), "attachments": [a.name for a in added]}
    record(actor, "decisions.item_update", item, before=before, after=after)
    _refresh_with_peers(item, old_payee, item.payee, amounts=(old_amount,))
    return item


@transaction.atomic
def item_file(*, actor: Any, item: AgendaItem, on: dt.date | None = None) -> AgendaItem:
    """报备: the school submits the item for review before its meeting. Filing inside the lead
    time is allowed and flagged (filed_late)."""
    require(actor, "decisions.item_file", item.unit)
    _allowed(item, S.FILED)
    day = _day(on)
    if day > timezone.localdate():
        raise ActionError("「报备日期」：不能晚于今天", "on", "报备日期")
    if item.planned_meeting_on is None:
        raise field_error(
            AgendaItem, "planned_meeting_on", "「拟上会日期」：报备时须填写拟上会日期"
        )
    if item.planned_meeting_on < day:
        raise field_error(AgendaItem, "planned_meeting_on", "「拟上会日期」：不能早于报备日期")
    before = _state(item)
    move(item, S.FILED)
    item.filed_on = day
    item.filed_by = _user(actor)
    item.approved_on = None
    item.save()
    record(actor, "decisions.item_file", item, before=before)
    _refresh_with_peers(item, item.payee)
    notify(
        users=role_holders(item.unit, REVIEWER_ROLES, above=True),
        unit=item.unit,
        kind=Notice.Kind.DECISION_TO_REVIEW,
        title=f"三重一大议题待审核：{item.unit.name}「{item.title}」",
        body=f"{cn_date(day)}报备，拟{cn_date(item.planned_meeting_on)}上会，请在会前审核。",
        url=item.get_absolute_url(),
        key=f"decision:{item.pk}:filed:{item.return_count}",
    )
    return item


# who hears of an item: the bureau's reviewers when it is filed, the school when it is reviewed
REVIEWER_ROLES = ("bureau_admin", "discipline_inspector")
SCHOOL_ROLES = ("school_secretary", "school_clerk")
REVIEW_WORDS = {S.APPROVED: "同意上会", S.RETURNED: "退回修改", S.NOT_MAJOR: "认定为非三重一大事项"}


def _review(
    actor: Any, item: AgendaItem, to: str, decision: str, opinion: str, on: dt.date | None
) -> AgendaItem:
    capability = {
        S.APPROVED: "decisions.item_approve",
        S.RETURNED: "decisions.item_return",
        S.NOT_MAJOR: "decisions.item_mark_not_major",
    }[S(to)]
    require(actor, capability, item.unit)
    _allowed(item, to)
    day = _day(on)
    opinion = opinion.strip()
    if to != S.APPROVED and not opinion:
        raise field_error(ItemReview, "opinion", "「审核意见」：请填写审核意见")
    if item.filed_on and day < item.filed_on:
        raise ActionError("「审核日期」：早于报备日期", "on", "审核日期")
    if day > timezone.localdate():
        raise ActionError("「审核日期」：不能晚于今天", "on", "审核日期")
    before = _state(item)
    move(item, to)
    if to == S.APPROVED:
        item.approved_on = day
    if to == S.RETURNED:
        item.return_count += 1
    item.save()
    ItemReview.objects.create(
        item=item, decision=decision, opinion=opinion, reviewed_on=day, reviewer=_user(actor)
    )
    after = {**_state(item), "review": {"decision": decision, "opinion": opinion}}
    record(actor, capability, item, before=before, after=after)
    if to != S.APPROVED:  # approval matters only once decided; a return leaves splitting
        _refresh_with_peers(item, item.payee)
    school = role_holders(item.unit, SCHOOL_ROLES)
    notify(
        users=school | ({item.filed_by_id} if item.filed_by_id else set()),
        unit=item.unit,
        kind=Notice.Kind.DECISION_REVIEWED,
        title=f"三重一大议题{REVIEW_WORDS[S(to)]}：「{item.title}」",
        body=f"{cn_date(day)}审核：{opinion or '同意上会'}",
        url=item.get_absolute_url(),
        key=f"decision:{item.pk}:reviewed:{to}:{item.return_count}",
    )
    return item


@transaction.atomic
def item_approve(
    *, actor: Any, item: AgendaItem, opinion: str = "", on: dt.date | None = None
) -> AgendaItem:
    """Review: the item may go to the meeting."""
    return _review(actor, item, S.APPROVED, ItemReview.Decision.APPROVED, opinion, on)


@transaction.atomic
def item_return(
    *, actor: Any, item: AgendaItem, opinion: str, on: dt.date | None = None
) -> AgendaItem:
    """Review: back to the school with opinions; it may be changed and filed again."""
    return _review(actor, item, S.RETURNED, ItemReview.Decision.RETURNED, opinion, on)


@transaction.atomic
def item_mark_not_major(
    *, actor: Any, item: AgendaItem, opinion: str, on: dt.date | None = None
) -> AgendaItem:
    """Review: not a 三重一大 item (decided by ordinary procedure)."""
    return _review(actor, item, S.NOT_MAJOR, ItemReview.Decision.NOT_MAJOR, opinion, on)


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    kind: str,
    file: UploadedFile,
    item: AgendaItem | None = None,
    meeting: DecisionMeeting | None = None,
) -> Attachment:
    """One more file for an item (materials, a step's record, execution evidence) or a
    meeting (minutes, sign-in sheet)."""
    if (item is None) == (meeting is None):
        raise ActionError("附件须属于一个议题或一次会议")
    owner: Any = item if item is not None else meeting
    require(actor, "decisions.attachment_add", owner.unit)
    allowed = Attachment.ITEM_KINDS if item is not None else Attachment.MEETING_KINDS
    if kind not in allowed:
        raise field_error(Attachment, "kind", "「类型」：请选择有效的附件类型")
    ctype = check_upload(file)
    (att,) = _attach(owner.unit, [(kind, file, ctype)], item=item, meeting=meeting)
    record(actor, "decisions.attachment_add", owner, after={"attachment": att.name, "kind": kind})
    return att


# ---- the meeting ---------------------------------------------------------------------------


def _check_members(unit: Any, members: Sequence[MemberIn], mode: str) -> None:
    label = "会议成员"
    if mode == DecisionMeeting.Mode.MEETING and not members:
        raise _err("请填写应到会成员", "members", label)
    for n, m in enumerate(members, start=1):
        if not m.name.strip():
            raise _err(f"第{n}位成员缺少姓名", "members", label)
    outside = {
        m.person.pk
        for m in members
        if m.person is not None and not m.person.unit.path.startswith(unit.path)
    }
    if outside:
        from dangjian.orgs.models import Post

        # a leadership member registered elsewhere still counts by their post at the school
        outside -= set(
            Post.objects.filter(
                person_id__in=outside, org__unit__path__startswith=unit.path, ended_on__isnull=True
            ).values_list("person_id", flat=True)
        )
    for n, m in enumerate(members, start=1):
        if m.person is not None and m.person.pk in outside:
            raise _err(
                f"第{n}位成员{m.person.name}不是本校人员或本校党组织班子成员", "members", label
            )
    if mode == DecisionMeeting.Mode.MEETING:
        chairs = [m for m in members if m.is_chair]
        if len(chairs) != 1:
            raise _err("请指定一位会议主持人", "members", label)
        if not chairs[0].present:
            raise _err("会议主持人须到会", "members", label)
        if not any(m.present for m in members):
            raise _err("没有到会成员", "members", label)


def _check_decision(
    n: int,
    d: DecisionIn,
    unit: Any,
    members: Sequence[MemberIn],
    mode: str,
    settings: rules.Settings,
) -> str:
    """The item's result (passed / not_passed), or a refusal naming the item."""
    item = d.item
    name = f"第{n}个议题「{item.title}」"
    if item.unit_id != unit.pk:
        raise _err(f"{name}不是本校的议题", "items", "议题")
    if item.status not in AgendaItem.UNDECIDED:
        raise _err(f"{name}状态为「{item.get_status_display()}」，不能登记表决", "items", "议题")
    count = len(members)
    recused: set[int] = set()
    withdrawn_members: set[int] = set()
    for r in d.recusals:
        if not 0 <= r.member < count:
            raise _err(f"{name}的回避人不在会议成员中", "recusals", "回避")
        if not r.reason.strip():
            raise _err(f"{name}中{members[r.member].name}的回避事由未填写", "recusals", "回避")
        if r.member in recused:
            raise _err(f"{name}中{members[r.member].name}重复登记回避", "recusals", "回避")
        recused.add(r.member)
        if r.withdrew:
            withdrawn_members.add(r.member)
    speakers: set[int] = set()
    for k, o in enumerate(d.opinions, start=1):
        if not 0 <= o.member < count:
            raise _err(f"{name}的发言人不在会议成员中", "opinions", "表态发言")
        who = members[o.member].name
        if not members[o.member].present:
            raise _err(f"{name}第{k}位发言的{who}未到会，不能记录其发言", "opinions", "表态发言")
        if o.member in withdrawn_members:
            raise _err(
                f"{name}第{k}位发言的{who}已登记离场回避，不能记录其发言或表决",
                "opinions",
                "表态发言",
            )
        if o.member in speakers:
            raise _err(f"{name}中{who}重复发言", "opinions", "表态发言")
        if o.stance not in Opinion.Stance.values:
            raise _err(f"{name}的表态无效", "opinions", "表态发言")
        speakers.add(o.member)
    votes = (d.votes_yes, d.votes_no, d.votes_abstain)
    given = [v for v in votes if v is not None]
    if given and len(given) != 3:
        raise _err(f"{name}的赞成、反对、弃权票数应同时填写", "votes", "表决票数")
    if any(v < 0 for v in given):
        raise _err(f"{name}的票数不能为负数", "votes", "表决票数")
    if len(given) == 3:
        if mode != DecisionMeeting.Mode.MEETING:
            raise _err(f"{name}未开会，不能登记表决票数", "votes", "表决票数")
        present = sum(1 for m in members if m.present)
        withdrawn = sum(1 for r in d.recusals if r.withdrew and members[r.member].present)
        voters = present - withdrawn
        if sum(given) > voters:
            raise _err(
                f"{name}的赞成、反对、弃权合计{sum(given)}票，超过参加表决的{voters}人"
                + (f"（已离场回避的{withdrawn}人不参加表决）" if withdrawn else ""),
                "votes",
                "表决票数",
            )
        computed = rules.passes(
            d.votes_yes or 0, count, present, rules.MajorityBase(settings.majority_base)
        )
        if d.passed is not None and d.passed != computed:
            expected = "通过" if computed else "未通过"
            raise _err(f"{name}按表决票数应为「{expected}」", "passed", "表决结果")
        return MeetingItem.Result.PASSED if computed else MeetingItem.Result.NOT_PASSED
    if d.passed is None:
        raise _err(f"{name}请填写表决票数或表决结果", "passed", "表决结果")
    return MeetingItem.Result.PASSED if d.passed else MeetingItem.Result.NOT_PASSED


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    unit: Any,
    body: str,
    held_on: dt.date,
    members: Sequence[MemberIn],
    items: Sequence[DecisionIn],
    mode: str = DecisionMeeting.Mode.MEETING,
    title: str = "",
    place: str = "",
    recorder: str = "",
    notes: str = "",
    minutes: UploadedFile | None = None,
    sign_in: UploadedFile | None = None,
    today: dt.date | None = None,
) -> DecisionMeeting:
    """The meeting that decided `items`: members due and present, per item recusals, opinions
    in speaking order, the vote and the decision. Each item becomes passed or not passed
    (majority per the bureau's setting when the votes are recorded) and its flags are set."""
    require(actor, "decisions.meeting_record", unit)
    model = DecisionMeeting
    today = _day(today)
    if not unit.is_school:
        raise field_error(model, "unit", "「学校」：只有学校可以登记决策会议")
    if body not in Body.values:
        raise field_error(model, "body", "「会议类型」：请选择有效的会议类型")
    if mode not in model.Mode.values:
        raise field_error(model, "mode", "「决策方式」：请选择有效的决策方式")
    if held_on > today:
        raise field_error(model, "held_on", "「会议日期」：不能晚于今天")
    _check_members(unit, members, mode)
    if not items:
        raise _err("请至少登记一个议题", "items", "议题")
    if len({d.item.pk for d in items}) != len(items):
        raise _err("同一议题重复登记", "items", "议题")
    settings = queries.settings_for(unit)
    results = [
        _check_decision(n, d, unit, members, mode, settings) for n, d in enumerate(items, start=1)
    ]
    files = [
        (kind, f, check_upload(f, name, label))
        for kind, f, name, label in (
            (Attachment.Kind.MINUTES, minutes, "minutes", "会议纪要/记录"),
            (Attachment.Kind.SIGN_IN, sign_in, "sign_in", "签到表"),
        )
        if f is not None
    ]
    meeting = DecisionMeeting.objects.create(
        unit=unit,
        body=body,
        mode=mode,
        title=(title.strip() or f"{cn_date(held_on)}{Body(body).label}")[:200],
        held_on=held_on,
        place=place.strip()[:100],
        recorder=recorder.strip()[:50],
        notes=notes.strip(),
        recorded_by=_user(actor),
    )
    rows = MeetingMember.objects.bulk_create(
        MeetingMember(
            meeting=meeting,
            position=n,
            person=m.person,
            name=m.name.strip()[:50],
            title=m.title.strip()[:50],
            is_chair=m.is_chair,
            present=m.present,
            absence_reason="" if m.present else m.absence_reason.strip()[:100],
        )
        for n, m in enumerate(members, start=1)
    )
    member_rows = list(meeting.members.order_by("position")) if rows else []
    summary = []
    for n, (d, result) in enumerate(zip(items, results, strict=True), start=1):
        mi = MeetingItem.objects.create(
            meeting=meeting,
            item=d.item,
            position=n,
            votes_yes=d.votes_yes,
            votes_no=d.votes_no,
            votes_abstain=d.votes_abstain,
            decision=d.decision.strip(),
            result=result,
        )
        Recusal.objects.bulk_create(
            Recusal(
                meeting_item=mi,
                member=member_rows[r.member],
                reason=r.reason.strip()[:200],
                withdrew=r.withdrew,
            )
            for r in d.recusals
        )
        Opinion.objects.bulk_create(
            Opinion(
                meeting_item=mi,
                member=member_rows[o.member],
                order=k,
                stance=o.stance,
                text=o.text.strip(),
            )
            for k, o in enumerate(d.opinions, start=1)
        )
        item = d.item
        before = _state(item)
        move(item, S.PASSED if result == MeetingItem.Result.PASSED else S.NOT_PASSED)
        item.decided_on = held_on
        item.save()
        found = _refresh_with_peers(item, item.payee, settings=settings)
        record(
            actor,
            "decisions.meeting_record",
            item,
            before=before,
            after={**_state(item), "meeting": meeting.pk, "flags": [f.code for f in found]},
        )
        summary.append([item.pk, item.title, result])
    added = _attach(unit, files, meeting=meeting)
    after = {
        **(snapshot(meeting) or {}),
        "members": [[m.name, m.title, m.is_chair, m.present] for m in members],
        "items": summary,
        "attachments": [a.name for a in added],
    }
    record(actor, "decisions.meeting_record", meeting, after=after)
    return meeting


# ---- execution -----------------------------------------------------------------------------


@transaction.atomic
def execution_start(
    *,
    actor: Any,
    item: AgendaItem,
    responsible_name: str,
    due_on: dt.date,
    responsible: Any = None,
    milestones: Sequence[MilestoneIn] = (),
    on: dt.date | None = None,
) -> Execution:
    """A passed item goes into execution: who is responsible, by when, the milestones."""
    require(actor, "decisions.execution_start", item.unit)
    _allowed(item, S.EXECUTING)
    day = _day(on)
    name = responsible_name.strip() or (str(responsible.name) if responsible is not None else "")
    if not name:
        raise field_error(Execution, "responsible_name", "「责任人」：请填写执行责任人")
    if responsible is not None and not responsible.unit.path.startswith(item.unit.path):
        raise field_error(Execution, "responsible", "「责任人」：须为本校人员")
    if item.decided_on and day < item.decided_on:
        raise field_error(Execution, "started_on", "「开始执行日期」：早于会议决策日期")
    if day > timezone.localdate():
        raise field_error(Execution, "started_on", "「开始执行日期」：不能晚于今天")
    if due_on < day:
        raise field_error(Execution, "due_on", "「执行期限」：不能早于开始执行日期")
    for n, ms in enumerate(milestones, start=1):
        if not ms.text.strip():
            raise _err(f"第{n}个节点缺少节点内容", "milestones", "执行节点")
        if not day <= ms.due_on <= due_on:
            raise _err(f"第{n}个节点的计划完成日期应在执行期间内", "milestones", "执行节点")
    before = _state(item)
    move(item, S.EXECUTING)
    item.save()
    execution = Execution.objects.create(
        item=item,
        unit=item.unit,
        responsible=responsible,
        responsible_name=name[:50],
        started_on=day,
        due_on=due_on,
    )
    Milestone.objects.bulk_create(
        Milestone(execution=execution, position=n, text=ms.text.strip()[:200], due_on=ms.due_on)
        for n, ms in enumerate(milestones, start=1)
    )
    after = {
        **_state(item),
        "execution": snapshot(execution),
        "milestones": [[ms.text, ms.due_on.isoformat()] for ms in milestones],
    }
    record(actor, "decisions.execution_start", item, before=before, after=after)
    _overdue_row(item, execution.due_on, None)
    return execution


def _executing(execution: Execution) -> AgendaItem:
    item = execution.item
    if item.status != S.EXECUTING:
        raise ActionError(
            f"议题「{item.get_status_display()}」，不能再登记执行情况", "status", "状态"
        )
    return item


def _check_evidence(files: Sequence[UploadedFile]) -> list[tuple[str, UploadedFile, str]]:
    return [(Attachment.Kind.EXECUTION, f, check_upload(f, "evidence", "执行佐证")) for f in files]


@transaction.atomic
def execution_report(
    *,
    actor: Any,
    execution: Execution,
    progress: str,
    evidence: Sequence[UploadedFile] = (),
    on: dt.date | None = None,
) -> Execution:
    """A progress note (dated, appended) with optional evidence."""
    require(actor, "decisions.execution_report", execution.unit)
    item = _executing(execution)
    day = _day(on)
    progress = progress.strip()
    if not progress:
        raise field_error(Execution, "progress", "「执行进展」：请填写执行进展")
    if day < execution.started_on:
        raise ActionError("「填写日期」：早于开始执行日期", "on", "填写日期")
    files = _check_evidence(evidence)
    before = snapshot(execution)
    line = f"{cn_date(day)}：{progress}"
    execution.progress = f"{execution.progress}\n{line}".strip()
    execution.save()
    added = _attach(execution.unit, files, item=item)
    after = {**(snapshot(execution) or {}), "evidence": [a.name for a in added]}
    record(actor, "decisions.execution_report", execution, before=before, after=after)
    return execution


@transaction.atomic
def milestone_done(
    *, actor: Any, milestone: Milestone, on: dt.date | None = None, note: str = ""
) -> Milestone:
    execution = milestone.execution
    require(actor, "decisions.milestone_done", execution.unit)
    _executing(execution)
    day = _day(on)
    if milestone.done_on is not None:
        raise field_error(Milestone, "done_on", "「实际完成日期」：该节点已完成")
    if day < execution.started_on:
        raise field_error(Milestone, "done_on", "「实际完成日期」：早于开始执行日期")
    if day > timezone.localdate():
        raise field_error(Milestone, "done_on", "「实际完成日期」：不能晚于今天")
    before = snapshot(milestone)
    milestone.done_on = day
    milestone.note = note.strip()[:200]
    milestone.save()
    record(actor, "decisions.milestone_done", milestone, before=before)
    return milestone


@transaction.atomic
def execution_complete(
    *,
    actor: Any,
    execution: Execution,
    report: str,
    evidence: Sequence[UploadedFile] = (),
    evidence_note: str = "",
    on: dt.date | None = None,
) -> Execution:
    """Done: the execution report with evidence (files, earlier evidence, or where the paper
    records are kept). Every milestone must be done first."""
    require(actor, "decisions.execution_complete", execution.unit)
    item = _executing(execution)
    _allowed(item, S.COMPLETED)
    day = _day(on)
    report = report.strip()
    if not report:
        raise field_error(Execution, "report", "「执行情况报告」：请填写执行情况")
    if day < execution.started_on:
        raise field_error(Execution, "completed_on", "「完成日期」：早于开始执行日期")
    if day > timezone.localdate():
        raise field_error(Execution, "completed_on", "「完成日期」：不能晚于今天")
    open_steps = execution.milestones.filter(done_on__isnull=True).count()
    if open_steps:
        raise _err(f"还有{open_steps}个节点未完成", "milestones", "执行节点")
    files = _check_evidence(evidence)
    evidence_note = evidence_note.strip()[:200]
    earlier = item.attachments.filter(kind=Attachment.Kind.EXECUTION).exists()
    if not files and not earlier and not evidence_note:
        raise _err("请上传执行佐证材料或说明纸质材料存放处", "evidence", "执行佐证")
    before = _state(item)
    move(item, S.COMPLETED)
    item.save()
    execution.completed_on = day
    execution.report = report
    execution.evidence_note = evidence_note
    execution.save()
    added = _attach(execution.unit, files, item=item)
    after = {
        **_state(item),
        "execution": snapshot(execution),
        "evidence": [a.name for a in added],
    }
    record(actor, "decisions.execution_complete", item, before=before, after=after)
    _overdue_row(item, execution.due_on, day)
    return execution


# ---- spot checks ---------------------------------------------------------------------------


@transaction.atomic
def spot_check_record(
    *,
    actor: Any,
    item: AgendaItem,
    checked_on: dt.date,
    result: str,
    note: str = "",
    problem: str = "",
    severity: str = "general",
    today: dt.date | None = None,
) -> SpotCheck:
    """纪检抽查 of a decided item. A problem opens a finding (督查发现, area 三重一大) with its
    rectification, under a bureau spot-check inspection of the school, both recorded by the
    system user on the inspector's behalf: discipline inspectors hold no supervision or
    rectification write capabilities, and the finding must join the same rectification loop."""
    from dangjian.accounts.actions import system_user
    from dangjian.rectification import actions as rectification
    from dangjian.rectification.models import Finding
    from dangjian.supervision import actions as supervision
    from dangjian.supervision.models import Inspection

    require(actor, "decisions.spot_check_record", item.unit)
    today = _day(today)
    if item.status not in AgendaItem.DECIDED:
        raise ActionError(
            f"议题「{item.get_status_display()}」，尚未决策，不能抽查", "item", "议题"
        )
    if result not in SpotCheck.Result.values:
        raise field_error(SpotCheck, "result", "「抽查结果」：请选择有效的抽查结果")
    if checked_on > today:
        raise field_error(SpotCheck, "checked_on", "「抽查日期」：不能晚于今天")
    if item.decided_on and checked_on < item.decided_on:
        raise field_error(SpotCheck, "checked_on", "「抽查日期」：早于会议决策日期")
    problem = problem.strip()
    if result == SpotCheck.Result.PROBLEM:
        if not problem:
            raise ActionError("「问题描述」：抽查发现问题时请填写问题描述", "problem", "问题描述")
        if severity not in Finding.Severity.values:
            raise ActionError("「严重程度」：请选择有效的严重程度", "severity", "严重程度")
        if not item.unit.is_active:
            raise ActionError("「学校」：该单位已撤销或撤并，不能登记问题", "item", "议题")
    finding = None
    if result == SpotCheck.Result.PROBLEM:
        system = system_user()
        inspection = supervision.inspection_create(
            actor=system,
            unit=item.unit,
            kind=Inspection.Kind.BUREAU_SPOT_CHECK,
            planned_on=checked_on,
            lead_inspector=_user(actor),
            title=f"三重一大议题抽查：{item.title}"[:200],
        )
        supervision.inspection_complete(
            actor=system, inspection=inspection, held_on=checked_on, notes=note.strip()
        )
        codes = "、".join(dict.fromkeys(f.label for f in item.active_flags(checked_on)))
        finding = rectification.finding_create(
            actor=system,
            unit=item.unit,
            source=Finding.Source.INSPECTION,
            inspection=inspection,
            area=SPOT_CHECK_AREA,
            description=f"议题「{item.title}」：{problem}",
            severity=severity,
            found_on=checked_on,
            rule_broken=("【规则5】三重一大集体决策制度" + (f"（{codes}）" if codes else ""))[:200],
            today=today,
            recorded_by=_user(actor),
        )
    check = SpotCheck.objects.create(
        item=item,
        unit=item.unit,
        checked_on=checked_on,
        inspector=_user(actor),
        result=result,
        note=note.strip(),
        finding=finding,
    )
    record(actor, "decisions.spot_check_record", check)
    return check
