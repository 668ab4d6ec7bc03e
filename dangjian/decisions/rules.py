"""三重一大 (major-decision) checks per RULES.md §5: pure functions, the clock is a parameter.

Working days are Monday to Friday (public holidays are not modelled). An item filed on day F is
"n working days before" a meeting on day M when n working days lie in (F, M]: filed on a Monday
for a Thursday meeting is 3 working days ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Final


class Category(StrEnum):
    MAJOR_MATTER = "major_matter"
    CADRE_APPOINTMENT = "cadre_appointment"
    MAJOR_PROJECT = "major_project"
    LARGE_FUND = "large_fund"


CATEGORY_LABELS: Final[dict[Category, str]] = {
    Category.MAJOR_MATTER: "重大事项决策",
    Category.CADRE_APPOINTMENT: "重要干部任免",
    Category.MAJOR_PROJECT: "重大项目安排",
    Category.LARGE_FUND: "大额度资金使用",
}


class Body(StrEnum):
    """The meeting that decides."""

    PARTY_ORG_MEETING = "party_org_meeting"
    PRINCIPAL_OFFICE_MEETING = "principal_office_meeting"
    STAFF_CONGRESS = "staff_congress"


BODY_LABELS: Final[dict[Body, str]] = {
    Body.PARTY_ORG_MEETING: "学校党组织会议",
    Body.PRINCIPAL_OFFICE_MEETING: "校长办公会",
    Body.STAFF_CONGRESS: "教代会",
}


class Mode(StrEnum):
    """How the decision was taken: only a meeting is a collective decision (RULES.md §5.3)."""

    MEETING = "meeting"
    CIRCULATION = "circulation"
    INDIVIDUAL = "individual"


MODE_LABELS: Final[dict[Mode, str]] = {
    Mode.MEETING: "会议集体决策",
    Mode.CIRCULATION: "传签（未开会）",
    Mode.INDIVIDUAL: "个别征求意见（未开会）",
}


class Step(StrEnum):
    """Preparatory steps before the meeting (前置程序)."""

    INVESTIGATION = "investigation"
    EXPERT_REVIEW = "expert_review"
    LEGALITY_REVIEW = "legality_review"
    OPINIONS = "opinions"
    PARTY_PREVIEW = "party_preview"
    STAFF_CONGRESS = "staff_congress"


STEP_LABELS: Final[dict[Step, str]] = {
    Step.INVESTIGATION: "调查研究",
    Step.EXPERT_REVIEW: "专家论证",
    Step.LEGALITY_REVIEW: "合法性审查",
    Step.OPINIONS: "征求意见",
    Step.PARTY_PREVIEW: "党组织前置研究/书记校长会前沟通",
    Step.STAFF_CONGRESS: "教代会审议",
}

# steps a category needs unless the bureau's catalogue entry says otherwise
DEFAULT_STEPS: Final[dict[Category, tuple[Step, ...]]] = {
    Category.MAJOR_MATTER: (Step.INVESTIGATION, Step.OPINIONS, Step.PARTY_PREVIEW),
    Category.CADRE_APPOINTMENT: (Step.OPINIONS, Step.PARTY_PREVIEW),
    Category.MAJOR_PROJECT: (Step.INVESTIGATION, Step.EXPERT_REVIEW, Step.LEGALITY_REVIEW),
    Category.LARGE_FUND: (Step.INVESTIGATION, Step.LEGALITY_REVIEW),
}


class HalfRule(StrEnum):
    MORE_THAN_HALF = "more_than_half"
    AT_LEAST_HALF = "at_least_half"


class MajorityBase(StrEnum):
    DUE = "due"
    PRESENT = "present"


DEFAULT_THRESHOLD: Final = Decimal("100000")
DEFAULT_LEAD_DAYS: Final = 3
DEFAULT_SPLIT_WINDOW: Final = 30


@dataclass(frozen=True)
class Settings:
    """A bureau's 三重一大 settings (RULES.md §5.2–5.3), defaults when it set none."""

    large_fund_threshold_yuan: Decimal = DEFAULT_THRESHOLD
    threshold_by_kind: Mapping[str, Decimal] = field(default_factory=dict)
    filing_lead_days: int = DEFAULT_LEAD_DAYS
    quorum_half_rule: HalfRule = HalfRule.MORE_THAN_HALF
    majority_base: MajorityBase = MajorityBase.DUE
    split_window_days: int = DEFAULT_SPLIT_WINDOW

    def threshold_for(self, unit_kind: str = "") -> Decimal:
        return self.threshold_by_kind.get(unit_kind, self.large_fund_threshold_yuan)


# ---- arithmetic ----------------------------------------------------------------------------


def quorum_met(
    members: int, present: int, category: str, half_rule: str = HalfRule.MORE_THAN_HALF
) -> bool:
    """半数以上到会; for cadre appointments 三分之二以上 (`present * 3 >= members * 2`)."""
    if members <= 0 or present <= 0 or present > members:
        return False
    if category == Category.CADRE_APPOINTMENT and present * 3 < members * 2:
        return False
    if half_rule == HalfRule.AT_LEAST_HALF:
        return present * 2 >= members
    return present * 2 > members


def quorum_needed(members: int, category: str, half_rule: str = HalfRule.MORE_THAN_HALF) -> int:
    """The fewest members present for a quorum (0 members: 1, which can never be met)."""
    for present in range(1, members + 1):
        if quorum_met(members, present, category, half_rule):
            return present
    return members + 1


def passes(yes: int, members_due: int, present: int, base: str = MajorityBase.DUE) -> bool:
    """Agreed by more than half of the members due (or present, by setting)."""
    denominator = members_due if base == MajorityBase.DUE else present
    return denominator > 0 and yes * 2 > denominator


def is_large_fund(amount: Decimal | None, threshold: Decimal) -> bool:
    """≥ the threshold: "以上" includes the number itself."""
    return amount is not None and amount >= threshold


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def working_days_before(filed: dt.date, meeting: dt.date) -> int:
    """Working days in (filed, meeting]; 0 or less when filed on or after the meeting day."""
    if filed >= meeting:
        return -sum(
            1
            for n in range((filed - meeting).days)
            if is_working_day(meeting + dt.timedelta(n + 1))
        )
    return sum(
        1 for n in range((meeting - filed).days) if is_working_day(filed + dt.timedelta(n + 1))
    )


def latest_filing_day(meeting: dt.date, lead_days: int = DEFAULT_LEAD_DAYS) -> dt.date:
    """The last working day on which filing is still `lead_days` working days ahead."""
    day = meeting
    counted = 0
    while counted < lead_days:
        if is_working_day(day):
            counted += 1
        day -= dt.timedelta(days=1)
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def filed_in_time(filed: dt.date, meeting: dt.date, lead_days: int = DEFAULT_LEAD_DAYS) -> bool:
    return working_days_before(filed, meeting) >= lead_days


def chief_not_last(speakers: Sequence[object], chief: object) -> bool:
    """The chair (secretary) did not state their view last (末位表态), or no order was recorded."""
    return not speakers or speakers[-1] != chief


@dataclass(frozen=True)
class FundItem:
    key: object
    payee: str
    amount: Decimal
    on: dt.date


def normalise_payee(payee: str) -> str:
    return "".join(payee.split()).casefold()


def possible_splitting(
    items: Iterable[FundItem], threshold: Decimal, window_days: int = DEFAULT_SPLIT_WINDOW
) -> set[object]:
    """Keys of items each under the threshold that, with others to the same payee or project
    within `window_days` of each other, reach it together (拆分规避集体决策, a warning)."""
    by_payee: dict[str, list[FundItem]] = {}
    for it in items:
        name = normalise_payee(it.payee)
        if name and it.amount < threshold:
            by_payee.setdefault(name, []).append(it)
    flagged: set[object] = set()
    for group in by_payee.values():
        group.sort(key=lambda i: (i.on, str(i.key)))
        for start, first in enumerate(group):
            window = [i for i in group[start:] if (i.on - first.on).days <= window_days]
            if len(window) >= 2 and sum((i.amount for i in window), Decimal(0)) >= threshold:
                flagged.update(i.key for i in window)
    return flagged


def missing_steps(required: Iterable[str], done: Iterable[str]) -> list[str]:
    done_set = set(done)
    return [s for s in required if s not in done_set]


# ---- flags ---------------------------------------------------------------------------------


class Severity(StrEnum):
    VIOLATION = "violation"
    WARNING = "warning"


class Code(StrEnum):
    NOT_FILED_IN_ADVANCE = "not_filed_in_advance"
    FILED_LATE = "filed_late"
    MISSING_STEPS = "missing_steps"
    NO_MEETING = "no_meeting"
    NO_QUORUM = "no_quorum"
    RECUSAL_BREACH = "recusal_breach"
    CHIEF_NOT_LAST = "chief_not_last"
    VOTE_NOT_RECORDED = "vote_not_recorded"
    LARGE_FUND_NOT_COLLECTIVE = "large_fund_not_collective"
    POSSIBLE_SPLITTING = "possible_splitting"
    EXECUTION_OVERDUE = "execution_overdue"


@dataclass(frozen=True)
class FlagKind:
    label: str
    rule: str
    severity: Severity


FLAG_KINDS: Final[dict[Code, FlagKind]] = {
    Code.NOT_FILED_IN_ADVANCE: FlagKind(
        "未经事前报备审核即上会",
        "【规则5.3】议题应在会前报备，经教育局（纪检）审核同意后方可提交会议",
        Severity.VIOLATION,
    ),
    Code.FILED_LATE: FlagKind(
        "报备时间不足",
        "【规则5.3】议题应至少提前规定的工作日数报备",
        Severity.WARNING,
    ),
    Code.MISSING_STEPS: FlagKind(
        "前置程序缺失",
        "【规则5.1】上会前应完成调查研究、专家论证或合法性审查、征求意见、会前沟通等前置程序",
        Severity.VIOLATION,
    ),
    Code.NO_MEETING: FlagKind(
        "未经会议集体决策",
        "【规则5.3】不得以传签、个别征求意见等方式代替会议集体决定",
        Severity.VIOLATION,
    ),
    Code.NO_QUORUM: FlagKind(
        "到会人数不足",
        "【规则5.3】会议应有半数以上班子成员到会；讨论干部任免须三分之二以上成员到会",
        Severity.VIOLATION,
    ),
    Code.RECUSAL_BREACH: FlagKind(
        "应回避未回避",
        "【规则5.3】与议题有利害关系的成员应回避该议题的讨论和表决",
        Severity.VIOLATION,
    ),
    Code.CHIEF_NOT_LAST: FlagKind(
        "主要负责人未末位表态",
        "【规则5.3】会议主持人（书记）应在其他成员充分发表意见后最后表态",
        Severity.VIOLATION,
    ),
    Code.VOTE_NOT_RECORDED: FlagKind(
        "表决情况未记录",
        "【规则5.3】议题应逐项表决，赞成、反对、弃权票数应记录在案",
        Severity.VIOLATION,
    ),
    Code.LARGE_FUND_NOT_COLLECTIVE: FlagKind(
        "大额资金未经党组织会议集体决策",
        "【规则5.2】达到大额资金标准的资金使用须经学校党组织会议集体决策",
        Severity.VIOLATION,
    ),
    Code.POSSIBLE_SPLITTING: FlagKind(
        "疑似拆分规避",
        "【规则5.3】同一收款方或项目短期内多笔资金合计达到大额标准，疑似拆分规避集体决策",
        Severity.WARNING,
    ),
    Code.EXECUTION_OVERDUE: FlagKind(
        "执行逾期",
        "【规则5.3】决策事项应在规定期限内执行完毕并报告执行情况",
        Severity.VIOLATION,
    ),
}


@dataclass(frozen=True)
class Flag:
    code: Code
    detail: str = ""

    @property
    def label(self) -> str:
        return FLAG_KINDS[self.code].label

    @property
    def rule(self) -> str:
        return FLAG_KINDS[self.code].rule

    @property
    def severity(self) -> Severity:
        return FLAG_KINDS[self.code].severity

    @property
    def message(self) -> str:
        return f"{self.rule}{'：' + self.detail if self.detail else ''}"


@dataclass(frozen=True)
class Discussion:
    """How one item was taken at its meeting (or decided without one)."""

    held_on: dt.date
    body: str
    mode: str = Mode.MEETING
    members: int = 0
    present: int = 0
    speakers: tuple[object, ...] = ()  # member keys in speaking order
    chief: object = None  # the chair's member key
    chief_recused: bool = False
    recusal_breaches: tuple[str, ...] = ()  # names of members who should have withdrawn
    votes_recorded: bool = True


@dataclass(frozen=True)
class ItemFacts:
    category: str
    unit_kind: str = ""
    amount: Decimal | None = None
    filed_on: dt.date | None = None
    approved_on: dt.date | None = None
    planned_on: dt.date | None = None
    required_steps: tuple[str, ...] = ()
    steps_done: tuple[str, ...] = ()
    discussion: Discussion | None = None
    execution_due: dt.date | None = None
    execution_done: dt.date | None = None
    splitting: bool = False  # from possible_splitting over the unit's items


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def flags(item: ItemFacts, settings: Settings, today: dt.date | None = None) -> list[Flag]:
    """Every flag the item raises. Without `today`, execution_overdue is left out (it depends
    on the date: stored rows carry it as a date range instead)."""
    out: list[Flag] = []
    d = item.discussion
    # once the meeting is recorded, the lead time counts to the day it was actually held
    meeting_day = d.held_on if d is not None else item.planned_on
    if d is not None:
        held = _cn(d.held_on)
        if item.filed_on is None:
            out.append(Flag(Code.NOT_FILED_IN_ADVANCE, f"会议（{held}）召开前未报备"))
        elif item.filed_on > d.held_on:
            out.append(
                Flag(Code.NOT_FILED_IN_ADVANCE, f"{_cn(item.filed_on)}才报备，晚于会议日期{held}")
            )
        elif item.approved_on is None:
            out.append(Flag(Code.NOT_FILED_IN_ADVANCE, "报备后未经审核同意即提交会议"))
        elif item.approved_on > d.held_on:
            out.append(
                Flag(
                    Code.NOT_FILED_IN_ADVANCE,
                    f"{_cn(item.approved_on)}才审核同意，晚于会议日期{held}",
                )
            )
    if (
        item.filed_on is not None
        and meeting_day is not None
        and item.filed_on <= meeting_day
        and not filed_in_time(item.filed_on, meeting_day, settings.filing_lead_days)
    ):
        ahead = working_days_before(item.filed_on, meeting_day)
        out.append(
            Flag(
                Code.FILED_LATE,
                f"应提前{settings.filing_lead_days}个工作日，实际提前{ahead}个工作日",
            )
        )
    missing = missing_steps(item.required_steps, item.steps_done)
    if missing:
        names = "、".join(STEP_LABELS.get(s, s) for s in missing)  # type: ignore[call-overload]
        out.append(Flag(Code.MISSING_STEPS, f"缺少{names}"))
    threshold = settings.threshold_for(item.unit_kind)
    if d is not None:
        if d.mode != Mode.MEETING:
            out.append(Flag(Code.NO_MEETING, MODE_LABELS.get(Mode(d.mode), d.mode)))
        else:
            if not quorum_met(d.members, d.present, item.category, settings.quorum_half_rule):
                need = quorum_needed(d.members, item.category, settings.quorum_half_rule)
                out.append(
                    Flag(Code.NO_QUORUM, f"应到{d.members}人，实到{d.present}人，至少需{need}人")
                )
            if d.recusal_breaches:
                names = "、".join(d.recusal_breaches)
                out.append(Flag(Code.RECUSAL_BREACH, f"{names}应回避但参加了讨论/表决"))
            if not d.chief_recused and chief_not_last(d.speakers, d.chief):
                if not d.speakers:
                    detail = "未记录表态顺序"
                elif d.chief not in d.speakers:
                    detail = "主持人未表态"
                else:
                    place = list(d.speakers).index(d.chief) + 1
                    detail = f"主持人第{place}个发言，共{len(d.speakers)}人"
                out.append(Flag(Code.CHIEF_NOT_LAST, detail))
            if not d.votes_recorded:
                out.append(Flag(Code.VOTE_NOT_RECORDED))
        if is_large_fund(item.amount, threshold) and not (
            d.mode == Mode.MEETING and d.body == Body.PARTY_ORG_MEETING
        ):
            out.append(
                Flag(
                    Code.LARGE_FUND_NOT_COLLECTIVE,
                    f"金额{item.amount:,.2f}元，达到{threshold:,.2f}元标准",
                )
            )
    if item.splitting:
        window = settings.split_window_days
        out.append(Flag(Code.POSSIBLE_SPLITTING, f"{window}天内合计达到{threshold:,.2f}元"))
    if today is not None and execution_overdue(item.execution_due, item.execution_done, today):
        out.append(Flag(Code.EXECUTION_OVERDUE, f"执行期限{_cn(item.execution_due)}"))  # type: ignore[arg-type]
    return out


def execution_overdue(due: dt.date | None, done: dt.date | None, as_of: dt.date) -> bool:
    """Not completed by `as_of` and past the due date."""
    return due is not None and due < as_of and (done is None or done > as_of)
