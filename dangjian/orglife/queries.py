"""Reads of organisational life: the compliance roll-up (a few grouped queries, then the pure
rules in Python), re-election reminders and the home page's 待办."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from dangjian.core.dates import add_months
from dangjian.core.scope import scope_paths

from . import rules
from .models import Meeting, MeetingTag

# ---- the compliance calendar ----


@dataclass
class BranchCalendar:
    id: int
    name: str
    unit_id: int
    unit_name: str
    cells: list[rules.Cell]

    def cell(self, kind: str, key: str) -> rules.Cell:
        return next(c for c in self.cells if c.kind == kind and c.period.key == key)

    @property
    def missed(self) -> int:
        return sum(c.verdict == rules.Verdict.MISSED for c in self.cells)

    @property
    def at_risk(self) -> int:
        return sum(c.verdict == rules.Verdict.AT_RISK for c in self.cells)


@dataclass
class Rollup:
    year: int
    today: dt.date
    branches: list[BranchCalendar]
    # (kind, period key) → verdict → number of branches
    grid: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)

    def owed_now(self) -> list[tuple[BranchCalendar, rules.Cell]]:
        return [(b, c) for b in self.branches for c in rules.owed_now(b.cells, self.today)]


def _paths_q(lookup: str, paths: Iterable[str]) -> Q:
    return reduce(or_, (Q(**{f"{lookup}__startswith": p}) for p in paths), Q(pk__in=[]))


def _full_member_counts(branch_ids: list[int], year: int, where: Q) -> dict[int, list[int]]:
    """Full members on the first day of each month, per branch: one grouped query."""
    from dangjian.party.models import PartyMember

    full = PartyMember.Status.FULL
    ended = [PartyMember.Status.SUSPENDED, PartyMember.Status.LEFT, PartyMember.Status.DECEASED]
    annotations = {}
    for m in range(1, 13):
        day = dt.date(year, m, 1)
        annotations[f"m{m}"] = Count(
            "pk",
            filter=Q(full_on__lte=day)
            & (Q(status=full) | Q(status__in=ended, status_changed_on__gt=day)),
        )
    rows = (
        PartyMember.objects.filter(where)
        .order_by()
        .values_list("branch_id")
        .annotate(**annotations)
    )
    wanted = set(branch_ids)
    return {branch_id: list(months) for branch_id, *months in _raw(rows) if branch_id in wanted}


def _raw(qs: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list query as the database driver returns them: a province's
    roll-up reads ~150,000 rows of twelve counts, and Django's per-value int() converters
    alone cost more than the query."""
    from django.db import connections

    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def compliance(
    year: int,
    today: dt.date,
    *,
    paths: Iterable[str] | None = None,
    org_ids: Iterable[int] | None = None,
    settings: rules.Settings = rules.DEFAULT,
    with_grid: bool = True,
) -> Rollup:
    """Every branch under `paths` (unit subtrees) or among `org_ids` judged for `year`.

    Four queries whatever the number of branches: branches, party groups, counts of qualifying
    meetings per org × kind × month, full members per branch × month.
    """
    from dangjian.orgs.models import PartyOrg

    if paths is not None:
        where_org = _paths_q("unit__path", list(paths))
    else:
        ids = list(org_ids or [])
        # the org itself, its child branches and their party groups
        where_org = Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids)
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    alive = (Q(is_active=True) & Q(unit__closed_on__isnull=True)) | Q(unit__closed_on__gte=start)
    born = Q(established_on__isnull=True) | Q(established_on__lt=end)
    orgs = list(
        PartyOrg.objects.filter(
            where_org, alive, born, kind__in=[PartyOrg.Kind.BRANCH, PartyOrg.Kind.GROUP]
        )
        .order_by("unit__path", "name", "pk")
        .values(
            "pk",
            "name",
            "kind",
            "parent_id",
            "unit_id",
            "unit__name",
            "established_on",
            "unit__closed_on",
        )
    )
    branches = [o for o in orgs if o["kind"] == PartyOrg.Kind.BRANCH]
    branch_ids = {b["pk"] for b in branches}
    groups = [o for o in orgs if o["kind"] == PartyOrg.Kind.GROUP and o["parent_id"] in branch_ids]
    counts: dict[int, dict[str, list[int]]] = defaultdict(dict)
    if branch_ids:
        tag_where = (
            _paths_q("org__unit__path", paths)
            if paths is not None
            else Q(org_id__in=branch_ids | {g["pk"] for g in groups})
        )
        # one row per org × kind with its twelve monthly counts: a few thousand rows for a city
        months = {
            f"m{m}": Count(
                "pk",
                filter=Q(held_on__gte=dt.date(year, m, 1), held_on__lt=add_months(start, m)),
            )
            for m in range(1, 13)
        }
        rows = (
            MeetingTag.objects.filter(
                tag_where, held_on__gte=start, held_on__lt=end, qualifies=True
            )
            .order_by()
            .values_list("org_id", "kind")
            .annotate(**months)
        )
        for org_id, kind, *monthly in _raw(rows):
            counts[org_id][kind] = monthly
    member_where = (
        _paths_q("branch__unit__path", paths) if paths is not None else Q(branch_id__in=branch_ids)
    )
    full = _full_member_counts(list(branch_ids), year, member_where) if branch_ids else {}
    groups_of: dict[int, list[rules.GroupFacts]] = defaultdict(list)
    for g in groups:
        groups_of[g["parent_id"]].append(
            rules.GroupFacts(
                g["established_on"],
                g["unit__closed_on"],
                counts.get(g["pk"], {}).get(rules.Kind.GROUP, [0] * 12),
            )
        )
    result = Rollup(year, today, [])
    # the grid counts cells by identity (C-speed), then reads each distinct cell once: the
    # calendar shares equal cells between branches, so a province has a few hundred of them
    tally: Counter[int] = Counter()
    distinct: dict[int, rules.Cell] = {}
    for b in branches:
        facts = rules.BranchFacts(
            established_on=b["established_on"],
            ended_on=b["unit__closed_on"],
            full_members=full.get(b["pk"], [0] * 12),
            counts=counts.get(b["pk"], {}),
            groups=groups_of.get(b["pk"], []),
        )
        cells = rules.org_life_calendar(facts, year, today, settings)
        if with_grid:
            ids = list(map(id, cells))
            tally.update(ids)
            distinct.update(zip(ids, cells, strict=True))
        result.branches.append(
            BranchCalendar(b["pk"], b["name"], b["unit_id"], b["unit__name"], cells)
        )
    grid: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for cell_id, n in tally.items():
        c = distinct[cell_id]
        grid[(c.kind, c.period.key)][c.verdict] += n
    result.grid = dict(grid)
    return result


def compliance_for_unit(unit: Any, year: int, today: dt.date) -> Rollup:
    return compliance(year, today, paths=[unit.path])


def branch_months(rollup: Rollup, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(compliant, judged) branch-months: months inside [start, end) that have ended by the
    roll-up's `today`, in which the branch existed; compliant = every monthly requirement met."""
    compliant = judged = 0
    for b in rollup.branches:
        for p in rules.periods(rollup.year, rules.Span.MONTH):
            if p.start < start or p.end > end or p.last >= rollup.today:
                continue
            ok = rules.month_compliant(b.cells, p.index)
            if ok is None:
                continue
            judged += 1
            compliant += ok
    return compliant, judged


# ---- grids for the page ----

SPAN_COLUMNS = {
    rules.Span.MONTH: [p.key for p in rules.periods(2000, rules.Span.MONTH)],
    rules.Span.QUARTER: [p.key for p in rules.periods(2000, rules.Span.QUARTER)],
    rules.Span.YEAR: ["y1"],
}


def calendar_rows(year: int, settings: rules.Settings = rules.DEFAULT) -> list[dict[str, Any]]:
    """The grid's rows: one per requirement, with the periods it is judged over."""
    return [
        {
            "kind": req.kind.value,
            "label": rules.KIND_LABELS[req.kind],
            "span": req.span.value,
            "minimum": req.minimum,
            "periods": list(rules.periods(year, req.span)),
        }
        for req in rules.requirements(settings)
    ]


# ---- meetings ----


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.for_user(user).select_related("org__unit", "host")


def meeting_counts_by_kind(user: Any, year: int) -> dict[str, int]:
    return dict(
        Meeting.objects.for_user(user)
        .filter(held_on__year=year)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )


# ---- re-election reminders (RULES.md §3.5) ----


@dataclass(frozen=True)
class ReelectionRow:
    org: Any
    reelection: rules.Reelection


def reelections(
    user: Any, today: dt.date, *, due_only: bool = True, unit: Any = None
) -> list[ReelectionRow]:
    """Party organisations with a committee term (committee, general branch, branch) and the
    state of their term, soonest end first; due_only keeps those within 180 days or overdue."""
    from dangjian.orgs.models import PartyOrg

    qs = PartyOrg.objects.for_user(user)
    if unit is not None:
        qs = qs.in_subtree(unit)
    orgs = qs.filter(
        is_active=True,
        unit__status="active",
        term_started_on__isnull=False,
        kind__in=[PartyOrg.Kind.COMMITTEE, PartyOrg.Kind.GENERAL_BRANCH, PartyOrg.Kind.BRANCH],
    ).select_related("unit")
    rows = [
        ReelectionRow(o, rules.reelection(o.term_started_on, o.term_years, today)) for o in orgs
    ]
    if due_only:
        rows = [r for r in rows if r.reelection.state != rules.TermState.OK]
    rows.sort(key=lambda r: (r.reelection.term_ends_on, r.org.name))
    return rows


# ---- 待办 on the home page ----


def _url(name: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name) + (f"?{query}" if query else "")


def todos(user: Any, today: dt.date) -> list[Any]:
    """Meetings still owed this month and quarter, missed ones this year, re-elections due."""
    from dangjian.core.home import Todo
    from dangjian.core.scope import has_capability

    if not has_capability(user, "orglife.view"):
        return []
    paths = scope_paths(user)
    if not paths:
        return []
    rollup = compliance(today.year, today, paths=paths, with_grid=False)
    month = rules.period_of(today, rules.Span.MONTH)
    quarter = rules.period_of(today, rules.Span.QUARTER)
    owed = rollup.owed_now()
    owed_month = [c for _, c in owed if c.period == month]
    owed_quarter = [c for _, c in owed if c.period == quarter]
    missed = sum(b.missed for b in rollup.branches)
    due = reelections(user, today)
    overdue = sum(r.reelection.state == rules.TermState.OVERDUE for r in due)

    def level(cells: list[rules.Cell]) -> str:
        if any(c.verdict == rules.Verdict.AT_RISK for c in cells):
            return "danger" if any(c.period.last <= today for c in cells) else "warning"
        return "warning" if cells else "ok"

    return [
        Todo(
            "orglife_owed_month",
            f"本月（{today.month}月）尚未开展的组织生活",
            "主题党日、支委会、党小组会，月底前完成",
            len(owed_month),
            level(owed_month),
            _url("orglife:compliance", year=today.year, owed="month"),
        ),
        Todo(
            "orglife_owed_quarter",
            "本季度尚未召开的党员大会、党课",
            f"季度末（{quarter.last.month}月{quarter.last.day}日）前完成",
            len(owed_quarter),
            level(owed_quarter),
            _url("orglife:compliance", year=today.year, owed="quarter"),
        ),
        Todo(
            "orglife_missed",
            f"{today.year}年已错过的组织生活",
            "按支部查看组织生活日历，补齐记录或说明原因",
            missed,
            "danger" if missed else "ok",
            _url("orglife:compliance", year=today.year, verdict="missed"),
        ),
        Todo(
            "orglife_reelection",
            "需准备换届的党组织",
            "任期180天内届满或已届满",
            len(due),
            "danger" if overdue else ("warning" if due else "ok"),
            _url("orglife:reelection-list"),
        ),
    ]
