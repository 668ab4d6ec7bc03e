"""发展党员 time rules (RULES.md §2): pure functions over plain dates and small dataclasses.

Hard rules come back as violations (the action refuses the step); soft rules as warnings
(deadlines passed or about to pass). Every finding carries its rule id, e.g. "2.3-7" = step 7
of the table in RULES.md §2.3, and a Chinese message that names the rule.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Final

# ---- the pipeline: stages and steps (RULES.md §2.3) ---------------------------------------

APPLICANT: Final = "applicant"
ACTIVIST: Final = "activist"
CANDIDATE: Final = "candidate"
PROBATIONARY: Final = "probationary"
FULL: Final = "full"
TERMINATED: Final = "terminated"

STAGES: Final = (
    (APPLICANT, "入党申请人"),
    (ACTIVIST, "入党积极分子"),
    (CANDIDATE, "发展对象"),
    (PROBATIONARY, "预备党员"),
    (FULL, "正式党员"),
    (TERMINATED, "已终止"),
)
STAGE_LABELS: Final = dict(STAGES)


@dataclass(frozen=True)
class StepKind:
    code: str
    label: str
    number: int  # the step's number in RULES.md §2.3 (0: outside the 25 steps)
    stage: str  # the stage a record must be in to record it
    moves_to: str | None = None  # the stage the record enters
    repeatable: bool = False
    people: str = ""  # what the people field means for this step ("" = no people)
    date_label: str = "日期"


STEP_KINDS: Final = (
    StepKind("application", "递交入党申请书", 1, APPLICANT, date_label="申请日期"),
    StepKind(
        "application_talk", "党组织派人谈话", 2, APPLICANT, people="谈话人", date_label="谈话日期"
    ),
    StepKind(
        "activist_selection",
        "确定入党积极分子",
        3,
        APPLICANT,
        moves_to=ACTIVIST,
        date_label="确定日期",
    ),
    StepKind("activist_filing", "入党积极分子报上级党委备案", 4, ACTIVIST, date_label="备案日期"),
    StepKind(
        "sponsor_assignment",
        "指定培养联系人",
        5,
        ACTIVIST,
        people="培养联系人",
        date_label="指定日期",
    ),
    StepKind(
        "activist_cultivation",
        "培养教育考察",
        6,
        ACTIVIST,
        repeatable=True,
        date_label="考察日期",
    ),
    StepKind(
        "candidate_selection",
        "确定发展对象",
        7,
        ACTIVIST,
        moves_to=CANDIDATE,
        date_label="确定日期",
    ),
    StepKind("candidate_filing", "发展对象报上级党委备案", 8, CANDIDATE, date_label="备案日期"),
    StepKind(
        "introducers", "确定入党介绍人", 9, CANDIDATE, people="入党介绍人", date_label="确定日期"
    ),
    StepKind(
        "political_review", "政治审查", 10, CANDIDATE, repeatable=True, date_label="政审结论日期"
    ),
    StepKind(
        "candidate_training",
        "集中培训",
        11,
        CANDIDATE,
        repeatable=True,
        date_label="培训结束日期",
    ),
    StepKind("committee_review", "支部委员会审查", 12, CANDIDATE, date_label="审查日期"),
    StepKind("pre_examination", "上级党委预审", 13, CANDIDATE, date_label="预审日期"),
    StepKind("application_form", "填写入党志愿书", 14, CANDIDATE, date_label="填写日期"),
    StepKind(
        "admission_meeting",
        "支部大会讨论接收预备党员",
        15,
        CANDIDATE,
        moves_to=PROBATIONARY,
        date_label="支部大会日期",
    ),
    StepKind(
        "approval_talk",
        "上级党委派人谈话",
        16,
        PROBATIONARY,
        people="谈话人",
        date_label="谈话日期",
    ),
    StepKind("admission_approval", "上级党委审批", 17, PROBATIONARY, date_label="审批日期"),
    StepKind("approval_filing", "再上级党委组织部门备案", 18, PROBATIONARY, date_label="备案日期"),
    StepKind("placement", "编入党支部和党小组", 19, PROBATIONARY, date_label="编入日期"),
    StepKind("oath", "入党宣誓", 20, PROBATIONARY, date_label="宣誓日期"),
    StepKind(
        "probation_education",
        "继续教育考察",
        21,
        PROBATIONARY,
        repeatable=True,
        date_label="考察日期",
    ),
    StepKind(
        "full_membership_application", "提出转正申请", 22, PROBATIONARY, date_label="申请日期"
    ),
    StepKind(
        "full_membership_meeting",
        "支部大会讨论转正",
        23,
        PROBATIONARY,
        moves_to=FULL,
        date_label="支部大会日期",
    ),
    StepKind(
        "extension", "延长预备期", 0, PROBATIONARY, date_label="支部大会日期"
    ),  # RULES.md §2.4 (b)
    StepKind("full_membership_approval", "上级党委审批转正", 24, FULL, date_label="审批日期"),
    StepKind("archiving", "材料归档", 25, FULL, date_label="归档日期"),
    StepKind("termination", "终止发展/取消预备党员资格", 0, "", moves_to=TERMINATED),
)
KINDS: Final = {k.code: k for k in STEP_KINDS}
# steps that must be on record before another may be recorded (the statutory order of §2.3)
PREREQUISITES: Final[dict[str, tuple[str, ...]]] = {
    "committee_review": ("political_review",),
    "admission_meeting": (
        "introducers",
        "political_review",
        "candidate_training",
        "committee_review",
        "pre_examination",
        "application_form",
    ),
    "admission_approval": ("approval_talk",),
    "full_membership_meeting": ("full_membership_application",),
}
TERMINABLE: Final = frozenset({APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY})

# ---- parameters (RULES.md: platform conventions, configurable) -----------------------------

ADULT_AGE: Final = 18
TALK_MONTHS: Final = 1
ACTIVIST_MIN_MONTHS_AFTER_APPLICATION: Final = 0  # 0 = off (unconfirmed nationally)
ASSESSMENT_MONTHS: Final = 6
ACTIVIST_MONTHS: Final = 12
POLITICAL_REVIEW_VALID_MONTHS: Final = 12
TRAINING_MIN_DAYS: Final = 3
TRAINING_MIN_HOURS: Final = 24
APPROVAL_DUE_MONTHS: Final = 3
APPROVAL_LIMIT_MONTHS: Final = 6
OATH_MONTHS: Final = 3
PROBATION_MONTHS: Final = 12
EXTENSION_MIN_MONTHS: Final = 6
EXTENSION_MAX_MONTHS: Final = 12
FULL_MEETING_WARN_DAYS: Final = 30
FULL_MEETING_GRACE_MONTHS: Final = 1
FULL_APPROVAL_MONTHS: Final = 3
MIN_VOTING_MEMBERS: Final = 3
DUE_SOON_DAYS: Final = 30
SPONSORS: Final = (1, 2)
INTRODUCERS: Final = 2


# ---- calendar (RULES.md §0.2, §0.5) -------------------------------------------------------


def add_months(anchor: dt.date, months: int) -> dt.date:
    """From the original anchor, clamped to the month's last day (§0.2)."""
    total = anchor.year * 12 + (anchor.month - 1) + months
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(anchor.day, last))


def cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years (周岁); a 29 Feb birthday falls on 28 Feb in common years (§0.5)."""
    try:
        birthday = birth.replace(year=day.year)
    except ValueError:
        birthday = dt.date(day.year, 2, 28)
    return day.year - birth.year - (day < birthday)


# ---- single rules (the §2.6 vectors test these) -------------------------------------------


def old_enough(birth: dt.date, applied_on: dt.date) -> bool:
    """P1/P2: 18 or older on the application date."""
    return age_on(birth, applied_on) >= ADULT_AGE


def talk_deadline(received_on: dt.date) -> dt.date:
    """P3/P4: the talk is due within one month of receiving the application."""
    return add_months(received_on, TALK_MONTHS)


def earliest_candidate_date(activist_on: dt.date) -> dt.date:
    """P5: a candidate after at least one year as activist (以上 includes the day)."""
    return add_months(activist_on, ACTIVIST_MONTHS)


def probation_ends(admitted_on: dt.date, extension_months: int = 0) -> dt.date:
    """P6/P7: one year from the branch meeting, plus an extension, from the anchor."""
    return add_months(admitted_on, PROBATION_MONTHS + extension_months)


def extension_allowed(months: int, previous_extensions: int = 0) -> bool:
    """P8: once only, 6 to 12 months."""
    return previous_extensions == 0 and EXTENSION_MIN_MONTHS <= months <= EXTENSION_MAX_MONTHS


def approval_dates(received_on: dt.date) -> tuple[dt.date, dt.date]:
    """P9: (due, hard limit) of the higher committee's approval."""
    return (
        add_months(received_on, APPROVAL_DUE_MONTHS),
        add_months(received_on, APPROVAL_LIMIT_MONTHS),
    )


def training_met(days: int | None, hours: int | None) -> bool:
    """P10: not less than 3 days OR not less than 24 class hours."""
    return (days or 0) >= TRAINING_MIN_DAYS or (hours or 0) >= TRAINING_MIN_HOURS


def vote_result(due: int, present: int, yes: int) -> tuple[bool, bool]:
    """P11/P12: (quorum, passed) — present and yes votes must each exceed half of those due."""
    return 2 * present > due, 2 * yes > due


# ---- findings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    field: str | None = None
    due: dt.date | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "rule": self.rule,
            "message": self.message,
            "field": self.field,
            "due": self.due.isoformat() if self.due else None,
        }


def _f(rule: str, text: str, field: str | None = None, due: dt.date | None = None) -> Finding:
    return Finding(rule, f"【规则{rule}】{text}", field, due)


@dataclass(frozen=True)
class Facts:
    """What a development record has reached so far (the record's own date columns)."""

    stage: str
    applied_on: dt.date
    birth_date: dt.date | None = None
    received_on: dt.date | None = None
    talk_on: dt.date | None = None
    activist_on: dt.date | None = None
    last_assessment_on: dt.date | None = None
    candidate_on: dt.date | None = None
    political_review_on: dt.date | None = None
    admitted_on: dt.date | None = None
    resolution_received_on: dt.date | None = None
    approved_on: dt.date | None = None
    oath_on: dt.date | None = None
    extension_months: int = 0
    full_meeting_on: dt.date | None = None
    full_approved_on: dt.date | None = None
    training_met: bool = False
    done: frozenset[str] = frozenset()

    @property
    def stage_started_on(self) -> dt.date:
        by_stage = {
            ACTIVIST: self.activist_on,
            CANDIDATE: self.candidate_on,
            PROBATIONARY: self.admitted_on,
            FULL: self.full_meeting_on,
        }
        return by_stage.get(self.stage) or self.applied_on

    @property
    def probation_ends_on(self) -> dt.date | None:
        if self.admitted_on is None:
            return None
        return probation_ends(self.admitted_on, self.extension_months)


@dataclass(frozen=True)
class StepInput:
    kind: str
    on: dt.date
    people: int = 0  # people named on the step
    full_members: int = 0  # of those, how many are full party members
    training_days: int | None = None
    training_hours: int | None = None
    votes_due: int | None = None
    votes_present: int | None = None
    votes_yes: int | None = None
    extension_months: int | None = None
    received_on: dt.date | None = None  # the higher committee received the branch resolution


def application_violations(
    birth: dt.date | None, applied_on: dt.date, today: dt.date
) -> list[Finding]:
    out = []
    if applied_on > today:
        out.append(_f("0.1", f"申请日期不能晚于今天（{cn(today)}）", "applied_on"))
    if birth is not None and not old_enough(birth, applied_on):
        birthday = add_months(birth, 12 * ADULT_AGE)
        out.append(
            _f(
                "2.3-1",
                f"申请入党须年满18周岁：申请日期{cn(applied_on)}时未满18周岁"
                f"（{cn(birthday)}年满18周岁）",
                "applied_on",
            )
        )
    return out


def next_kinds(facts: Facts) -> list[StepKind]:
    """The steps the record may record now, in the statutory order."""
    if facts.stage in (TERMINATED,):
        return []
    out = []
    for k in STEP_KINDS:
        if k.code in ("application", "termination"):
            continue
        if k.stage != facts.stage:
            continue
        if k.code in facts.done and not k.repeatable:
            continue
        if k.code == "extension" and (
            facts.extension_months or "full_membership_meeting" in facts.done
        ):
            continue
        out.append(k)
    if facts.stage in TERMINABLE:
        out.append(KINDS["termination"])
    return out


def step_violations(facts: Facts, step: StepInput, today: dt.date) -> list[Finding]:
    """Hard rules: any finding refuses the step."""
    kind = KINDS.get(step.kind)
    if kind is None:
        return [_f("2.3", "未知的发展步骤", "kind")]
    out: list[Finding] = []
    if step.on > today:
        out.append(_f("0.1", f"「{kind.date_label}」不能晚于今天（{cn(today)}）", "on"))
    if facts.stage == TERMINATED:
        return [*out, _f("2.3", "发展已终止，不能再记录步骤", "kind")]
    if kind.code != "termination" and kind.stage != facts.stage:
        return [
            *out,
            _f(
                "2.3",
                f"「{kind.label}」须在「{STAGE_LABELS.get(kind.stage, kind.stage)}」阶段办理，"
                f"当前为「{STAGE_LABELS.get(facts.stage, facts.stage)}」",
                "kind",
            ),
        ]
    if kind.code == "termination" and facts.stage not in TERMINABLE:
        return [*out, _f("2.3", "正式党员不能终止发展", "kind")]
    if kind.code in facts.done and not kind.repeatable:
        out.append(_f("2.3", f"「{kind.label}」已经记录过", "kind"))
    start = facts.stage_started_on
    if step.on < start:
        out.append(_f("2.3", f"「{kind.label}」的日期不能早于本阶段开始日期（{cn(start)}）", "on"))
    missing = [KINDS[c].label for c in PREREQUISITES.get(kind.code, ()) if c not in facts.done]
    if missing:
        out.append(
            _f(
                f"2.3-{kind.number}",
                f"办理「{kind.label}」前须先完成：{'、'.join(missing)}",
                "kind",
            )
        )
    out += _specific(facts, kind, step)
    return out


def _specific(facts: Facts, kind: StepKind, step: StepInput) -> list[Finding]:
    out: list[Finding] = []
    code = kind.code
    if code == "activist_selection" and ACTIVIST_MIN_MONTHS_AFTER_APPLICATION:
        earliest = add_months(facts.applied_on, ACTIVIST_MIN_MONTHS_AFTER_APPLICATION)
        if step.on < earliest:
            out.append(
                _f("2.3-3", f"确定入党积极分子须在递交申请满规定期限后，最早为{cn(earliest)}", "on")
            )
    elif code == "sponsor_assignment":
        low, high = SPONSORS
        if not low <= step.people <= high or step.full_members != step.people:
            out.append(_f("2.3-5", "培养联系人须为1至2名正式党员", "people"))
    elif code == "candidate_selection" and facts.activist_on is not None:
        earliest = earliest_candidate_date(facts.activist_on)
        if step.on < earliest:
            out.append(
                _f(
                    "2.3-7",
                    f"确定为发展对象须在确定为入党积极分子满一年后：入党积极分子确定于"
                    f"{cn(facts.activist_on)}，最早可于{cn(earliest)}确定为发展对象",
                    "on",
                )
            )
    elif code == "introducers":
        if step.people != INTRODUCERS or step.full_members != INTRODUCERS:
            out.append(_f("2.3-9", "入党介绍人须为2名正式党员", "people"))
    elif code == "candidate_training":
        if step.training_days is None and step.training_hours is None:
            out.append(_f("2.3-11", "请填写培训天数或学时", "training_days"))
    elif code in ("admission_meeting", "full_membership_meeting", "extension"):
        out += _vote(kind, step)
        if code == "admission_meeting":
            out += _admission(facts)
        elif code == "full_membership_meeting":
            end = facts.probation_ends_on
            if end is not None and step.on < end:
                out.append(
                    _f(
                        "2.4",
                        f"预备期未满（预备期至{cn(end)}），不能讨论转正",
                        "on",
                    )
                )
        else:
            months = step.extension_months or 0
            if not extension_allowed(months, 1 if facts.extension_months else 0):
                text = (
                    "预备期只能延长一次"
                    if facts.extension_months
                    else f"延长预备期不能少于6个月、不能超过12个月（填写为{months}个月）"
                )
                out.append(_f("2.4", text, "extension_months"))
    elif code == "admission_approval" and facts.admitted_on is not None:
        _, limit = approval_dates(_received(facts, step))
        if step.on > limit:
            out.append(
                _f(
                    "2.3-17",
                    f"上级党委审批不得超过收到支部决议后6个月（最迟{cn(limit)}），"
                    "须重新履行接收手续",
                    "on",
                )
            )
    elif (
        code == "full_membership_approval"
        and facts.full_meeting_on
        and (step.on < facts.full_meeting_on)
    ):
        out.append(_f("2.3-24", "审批日期不能早于支部大会讨论转正的日期", "on"))
    return out


def _received(facts: Facts, step: StepInput) -> dt.date:
    """When the higher committee received the resolution; the meeting date if unknown (§2.3-17)."""
    return step.received_on or facts.resolution_received_on or facts.admitted_on or step.on


def _vote(kind: StepKind, step: StepInput) -> list[Finding]:
    rule = f"2.3-{kind.number}" if kind.number else "2.4"
    due, present, yes = step.votes_due, step.votes_present, step.votes_yes
    if due is None or present is None or yes is None:
        return [_f(rule, "请填写应到会、实到会有表决权的正式党员人数和赞成票数", "votes_due")]
    if due < MIN_VOTING_MEMBERS:
        return [_f(rule, "正式党员不足3人的党支部不能召开支部大会讨论接收或转正", "votes_due")]
    if present > due or yes > present:
        return [_f(rule, "实到人数不能多于应到人数，赞成票不能多于实到人数", "votes_present")]
    quorum, passed = vote_result(due, present, yes)
    if not quorum:
        return [
            _f(
                rule,
                f"到会的有表决权正式党员（{present}人）未超过应到人数（{due}人）的半数",
                "votes_present",
            )
        ]
    if not passed:
        return [
            _f(
                rule,
                f"赞成票（{yes}票）须超过应到会有表决权正式党员（{due}人）的半数，未获通过",
                "votes_yes",
            )
        ]
    return []


def _admission(facts: Facts) -> list[Finding]:
    out = []
    if "candidate_training" in facts.done and not facts.training_met:
        out.append(
            _f("2.3-11", "集中培训须不少于3天或不少于24学时，已记录的培训未达到要求", "kind")
        )
    return out


def step_warnings(facts: Facts, step: StepInput) -> list[Finding]:
    """Soft rules broken by a step that is still recorded (kept on the step and the record)."""
    out: list[Finding] = []
    code = step.kind
    if code == "application_talk":
        due = talk_deadline(facts.received_on or facts.applied_on)
        if step.on > due:
            out.append(
                _f(
                    "2.3-2",
                    f"谈话应在收到申请后一个月内进行（最迟{cn(due)}），实际{cn(step.on)}",
                    "on",
                    due,
                )
            )
    elif code == "candidate_training" and not training_met(step.training_days, step.training_hours):
        out.append(_f("2.3-11", "集中培训不足3天且不足24学时，接收前须补足", "training_days"))
    elif code == "admission_approval" and facts.admitted_on is not None:
        due, _ = approval_dates(_received(facts, step))
        if step.on > due:
            out.append(_f("2.3-17", f"上级党委审批超过3个月（应于{cn(due)}前）", "on", due))
    elif code == "oath" and facts.approved_on is not None:
        due = add_months(facts.approved_on, OATH_MONTHS)
        if step.on > due:
            out.append(_f("2.3-20", f"入党宣誓晚于审批后3个月（应于{cn(due)}前）", "on", due))
    elif code == "full_membership_meeting" and facts.admitted_on is not None:
        due = add_months(
            probation_ends(facts.admitted_on, facts.extension_months), FULL_MEETING_GRACE_MONTHS
        )
        if step.on > due:
            out.append(_f("2.3-23", f"预备期满后未及时讨论转正（应于{cn(due)}前）", "on", due))
    elif code == "full_membership_approval" and facts.full_meeting_on is not None:
        due = add_months(facts.full_meeting_on, FULL_APPROVAL_MONTHS)
        if step.on > due:
            out.append(_f("2.3-24", f"转正审批超过3个月（应于{cn(due)}前）", "on", due))
    elif code == "admission_meeting" and facts.political_review_on is not None:
        stale = add_months(facts.political_review_on, POLITICAL_REVIEW_VALID_MONTHS)
        if step.on > stale:
            out.append(
                _f("2.3-10", f"政治审查结论已超过一年（{cn(facts.political_review_on)}）", "on")
            )
    return out


# ---- deadlines and the record's standing warnings -----------------------------------------


@dataclass(frozen=True)
class Deadline:
    rule: str
    label: str
    due: dt.date
    warn_from: dt.date
    limit: dt.date | None = None  # a hard limit beyond the due date (approval: 6 months)


def _deadline(
    rule: str,
    label: str,
    due: dt.date,
    warn_from: dt.date | None = None,
    limit: dt.date | None = None,
) -> Deadline:
    return Deadline(rule, label, due, warn_from or due - dt.timedelta(days=DUE_SOON_DAYS), limit)


def deadlines(facts: Facts) -> list[Deadline]:
    """What the record owes next, with due dates (soonest first)."""
    out: list[Deadline] = []
    if facts.stage == APPLICANT and facts.talk_on is None:
        due = talk_deadline(facts.received_on or facts.applied_on)
        out.append(_deadline("2.3-2", "党组织派人谈话", due, facts.applied_on))
    if facts.stage == ACTIVIST and facts.activist_on is not None:
        last = facts.last_assessment_on or facts.activist_on
        out.append(
            _deadline("2.3-6", "培养教育考察（每半年一次）", add_months(last, ASSESSMENT_MONTHS))
        )
    if facts.stage == PROBATIONARY and facts.admitted_on is not None:
        if facts.approved_on is None:
            due, limit = approval_dates(facts.resolution_received_on or facts.admitted_on)
            out.append(_deadline("2.3-17", "上级党委审批", due, limit=limit))
        elif facts.oath_on is None:
            due = add_months(facts.approved_on, OATH_MONTHS)
            out.append(_deadline("2.3-20", "入党宣誓", due))
        end = probation_ends(facts.admitted_on, facts.extension_months)
        out.append(
            _deadline(
                "2.3-23",
                f"预备期满（{cn(end)}）讨论转正",
                add_months(end, FULL_MEETING_GRACE_MONTHS),
                end - dt.timedelta(days=FULL_MEETING_WARN_DAYS),
            )
        )
    if facts.stage == FULL and facts.full_meeting_on is not None and facts.full_approved_on is None:
        due = add_months(facts.full_meeting_on, FULL_APPROVAL_MONTHS)
        out.append(_deadline("2.3-24", "上级党委审批转正", due))
    return sorted(out, key=lambda d: d.due)


def standing(facts: Facts, today: dt.date) -> tuple[list[Finding], list[Finding]]:
    """(violations, warnings) of the record as of `today`: deadlines passed or near."""
    violations: list[Finding] = []
    warnings: list[Finding] = []
    for d in deadlines(facts):
        if d.limit is not None and today > d.limit:
            violations.append(
                _f(
                    d.rule,
                    f"「{d.label}」已超过最长期限（{cn(d.limit)}），须重新履行接收手续",
                    None,
                    d.limit,
                )
            )
        elif today > d.due:
            days = (today - d.due).days
            warnings.append(
                _f(d.rule, f"「{d.label}」已逾期{days}天（应于{cn(d.due)}前）", None, d.due)
            )
        elif today >= d.warn_from:
            days = (d.due - today).days
            warnings.append(
                _f(d.rule, f"「{d.label}」将于{days}天后到期（{cn(d.due)}）", None, d.due)
            )
    if facts.stage == CANDIDATE and facts.political_review_on is not None:
        stale = add_months(facts.political_review_on, POLITICAL_REVIEW_VALID_MONTHS)
        if today > stale:
            warnings.append(
                _f(
                    "2.3-10",
                    f"政治审查结论已超过一年（{cn(facts.political_review_on)}），接收前宜重新审查",
                )
            )
    return violations, warnings
