"""Organisational life of a branch (RULES.md §3): required meetings, the compliance calendar and
re-election reminders. Pure: plain values in and out, `today` is a parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Final

from dangjian.core.dates import add_months


class Kind(StrEnum):
    GENERAL = "branch_general_meeting"
    COMMITTEE = "branch_committee_meeting"
    GROUP = "group_meeting"
    LECTURE = "party_lecture"
    THEME_DAY = "theme_day"
    ORG_LIFE = "org_life_meeting"
    APPRAISAL = "member_appraisal"
    FIRST_TOPIC = "first_topic"
    SECRETARY_LECTURE = "secretary_lecture"  # derived: a lecture given by the branch secretary


KIND_LABELS: Final[dict[str, str]] = {
    Kind.GENERAL: "支部党员大会",
    Kind.COMMITTEE: "支委会",
    Kind.GROUP: "党小组会",
    Kind.LECTURE: "党课",
    Kind.THEME_DAY: "主题党日",
    Kind.ORG_LIFE: "组织生活会",
    Kind.APPRAISAL: "民主评议党员",
    Kind.FIRST_TOPIC: "第一议题学习",
    Kind.SECRETARY_LECTURE: "书记讲党课",
}


class Span(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Verdict(StrEnum):
    MET = "met"
    MISSED = "missed"
    AT_RISK = "at_risk"
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"


VERDICT_LABELS: Final[dict[str, str]] = {
    Verdict.MET: "已完成",
    Verdict.MISSED: "未完成",
    Verdict.AT_RISK: "即将到期",
    Verdict.OPEN: "进行中",
    Verdict.NOT_APPLICABLE: "不适用",
}
# red / yellow / green (UI.md): open periods are neutral
VERDICT_LEVELS: Final[dict[str, str]] = {
    Verdict.MET: "ok",
    Verdict.MISSED: "danger",
    Verdict.AT_RISK: "warning",
    Verdict.OPEN: "open",
    Verdict.NOT_APPLICABLE: "na",
}
_SEVERITY: Final = (Verdict.MISSED, Verdict.AT_RISK, Verdict.OPEN, Verdict.MET)
QUARTER_NAMES: Final = ("第一季度", "第二季度", "第三季度", "第四季度")


@dataclass(frozen=True)
class Settings:
    """Platform conventions of RULES.md §3.3–3.5 (defaults given there)."""

    lecture_min_per_quarter: int = 1
    warning_days: Mapping[str, int] = field(
        default_factory=lambda: {Span.MONTH: 7, Span.QUARTER: 15, Span.YEAR: 60}
    )
    late_entry_days: int = 30
    committee_threshold: int = 7  # full members from which a committee must exist
    reminder_days: tuple[int, ...] = (180, 90)


DEFAULT: Final = Settings()


@dataclass(frozen=True)
class Requirement:
    kind: Kind
    minimum: int
    span: Span


def requirements(settings: Settings = DEFAULT) -> tuple[Requirement, ...]:
    """RULES.md §3.3, in the order the calendar shows them."""
    return (
        Requirement(Kind.THEME_DAY, 1, Span.MONTH),
        Requirement(Kind.COMMITTEE, 1, Span.MONTH),
        Requirement(Kind.GROUP, 1, Span.MONTH),
        Requirement(Kind.GENERAL, 1, Span.QUARTER),
        Requirement(Kind.LECTURE, settings.lecture_min_per_quarter, Span.QUARTER),
        Requirement(Kind.ORG_LIFE, 1, Span.YEAR),
        Requirement(Kind.APPRAISAL, 1, Span.YEAR),
        Requirement(Kind.SECRETARY_LECTURE, 1, Span.YEAR),
    )


MONTHLY_KINDS: Final = (Kind.THEME_DAY, Kind.COMMITTEE, Kind.GROUP)


@dataclass(frozen=True)
class PeriodSpan:
    span: Span
    year: int
    index: int  # month 1–12, quarter 1–4, or 1 for the year
    start: dt.date
    end: dt.date  # exclusive
    last: dt.date = field(init=False, compare=False)
    key: str = field(init=False, compare=False)  # "m3", "q2", "y1"

    def __post_init__(self) -> None:
        # computed once: the calendar reads them for every branch
        object.__setattr__(self, "last", self.end - dt.timedelta(days=1))
        prefix = {Span.MONTH: "m", Span.QUARTER: "q", Span.YEAR: "y"}[self.span]
        object.__setattr__(self, "key", f"{prefix}{self.index}")

    @property
    def label(self) -> str:
        if self.span == Span.MONTH:
            return f"{self.year}年{self.index}月"
        if self.span == Span.QUARTER:
            return f"{self.year}年{QUARTER_NAMES[self.index - 1]}"
        return f"{self.year}年"

    @property
    def months(self) -> range:
        """Calendar months (1–12) the period covers."""
        if self.span == Span.MONTH:
            return range(self.index, self.index + 1)
        if self.span == Span.QUARTER:
            return range(3 * self.index - 2, 3 * self.index + 1)
        return range(1, 13)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


@lru_cache(maxsize=64)
def periods(year: int, span: Span) -> tuple[PeriodSpan, ...]:
    first = dt.date(year, 1, 1)
    if span == Span.MONTH:
        return tuple(
            PeriodSpan(span, year, m, add_months(first, m - 1), add_months(first, m))
            for m in range(1, 13)
        )
    if span == Span.QUARTER:
        return tuple(
            PeriodSpan(span, year, q, add_months(first, 3 * q - 3), add_months(first, 3 * q))
            for q in range(1, 5)
        )
    return (PeriodSpan(span, year, 1, first, dt.date(year + 1, 1, 1)),)


def period_of(day: dt.date, span: Span) -> PeriodSpan:
    index = {Span.MONTH: day.month, Span.QUARTER: (day.month - 1) // 3 + 1, Span.YEAR: 1}[span]
    return periods(day.year, span)[index - 1]


def judge(
    count: int,
    minimum: int,
    period: PeriodSpan,
    today: dt.date,
    warning_days: int,
    applicable: bool = True,
) -> Verdict:
    """RULES.md §3.4 for one (org, kind, period)."""
    if not applicable:
        return Verdict.NOT_APPLICABLE
    if count >= minimum:
        return Verdict.MET
    if today > period.last:
        return Verdict.MISSED
    if today >= period.start and (period.last - today).days <= warning_days:
        return Verdict.AT_RISK
    return Verdict.OPEN


def worst(verdicts: Sequence[Verdict]) -> Verdict:
    """The verdict of several parts (each party group): the most urgent one wins."""
    judged = [v for v in verdicts if v != Verdict.NOT_APPLICABLE]
    if not judged:
        return Verdict.NOT_APPLICABLE
    return min(judged, key=_SEVERITY.index)


MonthlyCounts = Mapping[str, Sequence[int]]  # kind → 12 counts of qualifying events, Jan–Dec


@dataclass(frozen=True)
class GroupFacts:
    established_on: dt.date | None
    ended_on: dt.date | None
    counts: Sequence[int]  # group meetings per month, Jan–Dec


@dataclass(frozen=True)
class BranchFacts:
    """What the calendar needs to know about one branch for one year."""

    established_on: dt.date | None
    ended_on: dt.date | None  # closed or merged (its unit's closing date)
    full_members: Sequence[int]  # full members on the first day of each month, Jan–Dec
    counts: MonthlyCounts
    groups: Sequence[GroupFacts] = ()


@dataclass(frozen=True)
class Cell:
    kind: Kind
    period: PeriodSpan
    verdict: Verdict
    count: int
    minimum: int

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def level(self) -> str:
        return VERDICT_LEVELS[self.verdict]


def exists_on(established_on: dt.date | None, ended_on: dt.date | None, day: dt.date) -> bool:
    """The org existed on `day` (a closure on that very day ends it)."""
    if established_on is not None and established_on > day:
        return False
    return ended_on is None or ended_on > day


def _count(row: Sequence[int], period: PeriodSpan) -> int:
    if not row:
        return 0
    if period.span == Span.MONTH:
        return row[period.index - 1]
    if period.span == Span.QUARTER:
        return sum(row[3 * period.index - 3 : 3 * period.index])
    return sum(row)


def _unmet(period: PeriodSpan, today: dt.date, warning_days: int) -> Verdict:
    """`judge` for a count below the minimum: it depends on the period and today only."""
    if today > period.last:
        return Verdict.MISSED
    if today >= period.start and (period.last - today).days <= warning_days:
        return Verdict.AT_RISK
    return Verdict.OPEN


Plan = tuple[tuple[Requirement, tuple[tuple[PeriodSpan, Verdict], ...]], ...]
Memo = dict[tuple[object, ...], tuple["Cell", ...]]
_PLANS: dict[tuple[int, dt.date, int], tuple[Settings, Plan, Memo]] = {}
_CELLS: dict[tuple[str, str, str, int, int], Cell] = {}
_CELLS_MAX = 50_000
_MEMO_MAX = 20_000


def _plan(year: int, today: dt.date, settings: Settings) -> tuple[Plan, Memo]:
    """Each requirement's periods of the year with the verdict when unmet (the same for every
    branch, so a roll-up of thousands of branches works it out once), and a memo of the cells
    one requirement gives for one row of counts."""
    key = (year, today, id(settings))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is settings:
        return hit[1], hit[2]
    plan = tuple(
        (
            req,
            tuple(
                (p, _unmet(p, today, settings.warning_days[req.span]))
                for p in periods(year, req.span)
            ),
        )
        for req in requirements(settings)
    )
    if len(_PLANS) > 64:
        _PLANS.clear()
    memo: Memo = {}
    _PLANS[key] = (settings, plan, memo)
    return plan, memo


def _cell(kind: Kind, period: PeriodSpan, verdict: Verdict, count: int, minimum: int) -> Cell:
    """Cells are immutable and repeat across branches (most counts are 0, 1 or 2): share them."""
    key = (kind, period.key, verdict, count, minimum)
    cell = _CELLS.get(key)
    if cell is None or cell.period is not period:
        if len(_CELLS) > _CELLS_MAX:
            _CELLS.clear()
        cell = _CELLS[key] = Cell(kind, period, verdict, count, minimum)
    return cell


def _requirement_cells(
    branch: BranchFacts,
    req: Requirement,
    spans: tuple[tuple[PeriodSpan, Verdict], ...],
    threshold: int,
) -> list[Cell]:
    cells: list[Cell] = []
    established, ended = branch.established_on, branch.ended_on
    kind, minimum = req.kind, req.minimum
    row = branch.counts.get(kind)
    for p, unmet in spans:
        alive = exists_on(established, ended, p.start)
        if kind == Kind.GROUP:
            groups = [
                g
                for g in branch.groups
                if alive and exists_on(g.established_on, g.ended_on, p.start)
            ]
            verdicts = [Verdict.MET if _count(g.counts, p) >= minimum else unmet for g in groups]
            met = sum(v == Verdict.MET for v in verdicts)
            cells.append(_cell(kind, p, worst(verdicts), met, len(groups)))
            continue
        applicable = alive
        if kind == Kind.COMMITTEE:
            full = branch.full_members[p.index - 1] if branch.full_members else 0
            applicable = alive and full >= threshold
        count = _count(row, p) if row else 0
        if not applicable:
            verdict = Verdict.NOT_APPLICABLE
        elif count >= minimum:
            verdict = Verdict.MET
        else:
            verdict = unmet
        cells.append(_cell(kind, p, verdict, count, minimum))
    return cells


def org_life_calendar(
    branch: BranchFacts, year: int, today: dt.date, settings: Settings = DEFAULT
) -> list[Cell]:
    """Every (kind, period) of `year` judged: the branch's compliance calendar.

    The same verdicts as `judge` per cell. The roll-up calls this for every branch of a
    province, so the per-period part is planned once (`_plan`), and for a branch that exists
    all year the cells of one requirement, which depend only on that requirement's row of
    counts (and, for the committee, which months have enough full members), are memoised."""
    plan, memo = _plan(year, today, settings)
    threshold = settings.committee_threshold
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    whole_year = exists_on(branch.established_on, branch.ended_on, first) and exists_on(
        branch.established_on, branch.ended_on, last
    )
    cells: list[Cell] = []
    for req, spans in plan:
        if not whole_year or (req.kind == Kind.GROUP and branch.groups):
            cells.extend(_requirement_cells(branch, req, spans, threshold))
            continue
        row = branch.counts.get(req.kind)
        mask: tuple[bool, ...] = ()
        if req.kind == Kind.COMMITTEE:
            mask = tuple(n >= threshold for n in branch.full_members)
        key = (req.kind, tuple(row) if row else (), mask)
        hit = memo.get(key)
        if hit is None:
            if len(memo) > _MEMO_MAX:
                memo.clear()
            hit = memo[key] = tuple(_requirement_cells(branch, req, spans, threshold))
        cells.extend(hit)
    return cells


def org_life_gaps(
    branch: BranchFacts, year: int, today: dt.date, settings: Settings = DEFAULT
) -> list[Cell]:
    """The cells that need attention: missed, or at risk of being missed."""
    return [
        c
        for c in org_life_calendar(branch, year, today, settings)
        if c.verdict in (Verdict.MISSED, Verdict.AT_RISK)
    ]


def owed_now(cells: Sequence[Cell], today: dt.date) -> list[Cell]:
    """What is still owed in the periods running today (this month, quarter and year)."""
    return [
        c
        for c in cells
        if c.period.contains(today) and c.verdict in (Verdict.OPEN, Verdict.AT_RISK)
    ]


def month_compliant(cells: Sequence[Cell], month: int) -> bool | None:
    """A branch-month meets every monthly requirement: None when nothing applies that month."""
    monthly = [
        c
        for c in cells
        if c.period.span == Span.MONTH
        and c.period.index == month
        and c.verdict != Verdict.NOT_APPLICABLE
    ]
    if not monthly:
        return None
    return all(c.verdict == Verdict.MET for c in monthly)


def counts_toward(
    kind: Kind,
    *,
    has_minutes: bool,
    has_attendance: bool,
    has_speaker: bool,
    has_topics: bool,
    every_member_graded: bool = False,
) -> bool:
    """RULES.md §3.3 "counts only if": the record a meeting needs before it counts."""
    if kind == Kind.GENERAL:
        return has_minutes and has_attendance
    if kind in (Kind.COMMITTEE, Kind.GROUP):
        return has_minutes
    if kind in (Kind.LECTURE, Kind.SECRETARY_LECTURE):
        return has_speaker and has_topics and has_attendance
    if kind == Kind.APPRAISAL:
        return every_member_graded
    return True


def is_late_entry(held_on: dt.date, entered_on: dt.date, settings: Settings = DEFAULT) -> bool:
    """补录: entered more than `late_entry_days` after the event."""
    return (entered_on - held_on).days > settings.late_entry_days


# ---- terms and re-election (RULES.md §3.5) ----


class TermState(StrEnum):
    OK = "ok"
    DUE_180 = "due_180"
    DUE_90 = "due_90"
    OVERDUE = "overdue"
    DELAYED = "delayed"  # past term end with a recorded approval of delay


TERM_LABELS: Final[dict[str, str]] = {
    TermState.OK: "任期内",
    TermState.DUE_180: "180天内届满",
    TermState.DUE_90: "90天内届满",
    TermState.OVERDUE: "已届满未换届",
    TermState.DELAYED: "经批准延期换届",
}
TERM_LEVELS: Final[dict[str, str]] = {
    TermState.OK: "ok",
    TermState.DUE_180: "warning",
    TermState.DUE_90: "warning",
    TermState.OVERDUE: "danger",
    TermState.DELAYED: "warning",
}


@dataclass(frozen=True)
class Reelection:
    term_ends_on: dt.date
    state: TermState
    days_left: int  # negative once the term has ended

    @property
    def label(self) -> str:
        return TERM_LABELS[self.state]

    @property
    def level(self) -> str:
        return TERM_LEVELS[self.state]


def term_ends_on(elected_on: dt.date, term_years: int) -> dt.date:
    return add_months(elected_on, 12 * term_years)


def reelection(
    elected_on: dt.date,
    term_years: int,
    today: dt.date,
    delay_until: dt.date | None = None,
    settings: Settings = DEFAULT,
) -> Reelection:
    """Term end = election + term years (§0.2); remind at 180 and 90 days; overdue after."""
    ends = term_ends_on(elected_on, term_years)
    left = (ends - today).days
    if left < 0:
        delayed = delay_until is not None and today <= delay_until
        return Reelection(ends, TermState.DELAYED if delayed else TermState.OVERDUE, left)
    windows = sorted(settings.reminder_days)
    if left <= windows[0]:
        return Reelection(ends, TermState.DUE_90, left)
    if left <= windows[-1]:
        return Reelection(ends, TermState.DUE_180, left)
    return Reelection(ends, TermState.OK, left)
