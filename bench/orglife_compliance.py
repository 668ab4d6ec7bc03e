"""Benchmark: the org-life compliance roll-up (every branch of a city, one year) on PostgreSQL.

    .venv/bin/python bench/orglife_compliance.py [--runs 7] [--scale city|province] [--scratch]

Uses the bench database of bench/run.py (`dangjian_bench`, see docs/bench.md) when its demo has
party members and org-life meetings. Otherwise — or with --scratch — it times a scratch database
of its own (`<bench db>_orglife_<scale>`), created and filled once by this script with a
synthetic tree of the given scale: a city of 8 counties × 6 districts × 33 schools (1,584
branches), a province of 15 such cities; ~12 members per branch, a party group in one branch of
five, and a year of meetings per branch (most compliant, some behind). Targets (issue 4 §6):
≤ 500 ms for a city, ≤ 3 s for a province.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import DEFAULT_DB, analyze, bench_env, ensure_database, log  # noqa: E402

TARGETS_MS = {"city": 500.0, "province": 3000.0}
YEAR = 2026
TODAY = dt.date(2026, 11, 1)  # the demo's anchor: January–October judged, November open


def has_orglife_data(url: str) -> bool:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        for table in ("party_partymember", "orglife_meetingtag"):
            exists = conn.execute("SELECT to_regclass(%s)", [table]).fetchone()
            if not exists or exists[0] is None:
                return False
            if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]:
                return False
    return True


def setup_django(url: str) -> None:
    os.environ.update(bench_env(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()


# ---- a synthetic tree, written in bulk (a scratch benchmark database, not domain data) ----
def synthesize(scale: str) -> None:
    from django.db import transaction

    from dangjian.orglife.models import Meeting, MeetingTag
    from dangjian.orgs.models import PartyOrg, Unit
    from dangjian.party.models import PartyMember
    from dangjian.people.models import Person

    rng = random.Random(f"orglife-bench:{scale}")
    cities = 1 if scale == "city" else 15
    t0 = time.perf_counter()
    seq = 0

    def unit(parent: Unit | None, code: str, name: str, kind: str) -> Unit:
        u = Unit(parent=parent, code=code, name=name, kind=kind, path="/", depth=0)
        u.save()
        u.path = (parent.path if parent else "/") + f"{u.pk}/"
        u.depth = parent.depth + 1 if parent else 0
        u.save(update_fields=["path", "depth"])
        return u

    with transaction.atomic():
        root = None
        if cities > 1:
            root = unit(None, "BENCH-P", "基准省教育厅", Unit.Kind.PROVINCE_BUREAU)
        for c in range(cities):
            city = unit(root, f"BENCH-C{c:02d}", f"基准市{c + 1}教育局", Unit.Kind.CITY_BUREAU)
            for k in range(8):
                county = unit(city, f"{city.code}-{k}", f"基准县{c}-{k}", Unit.Kind.BUREAU)
                for d in range(6):
                    district = unit(
                        county,
                        f"{county.code}-{d}",
                        f"基准学区{c}-{k}-{d}",
                        Unit.Kind.DISTRICT_OFFICE,
                    )
                    schools = Unit.objects.bulk_create(
                        Unit(
                            parent=district,
                            code=f"{district.code}-{s:02d}",
                            name=f"基准学校{c}-{k}-{d}-{s}",
                            kind=Unit.Kind.PRIMARY,
                            path="/",
                            depth=district.depth + 1,
                        )
                        for s in range(33)
                    )
                    for s in schools:
                        s.path = f"{district.path}{s.pk}/"
                    Unit.objects.bulk_update(schools, ["path"])
                    branches = PartyOrg.objects.bulk_create(
                        PartyOrg(
                            unit=s,
                            name=f"{s.name}党支部",
                            kind=PartyOrg.Kind.BRANCH,
                            established_on=dt.date(2005, 7, 1),
                        )
                        for s in schools
                    )
                    groups = PartyOrg.objects.bulk_create(
                        PartyOrg(
                            unit=b.unit,
                            parent=b,
                            name=f"{b.name}第一党小组",
                            kind=PartyOrg.Kind.GROUP,
                        )
                        for b in branches
                        if rng.random() < 0.2
                    )
                    group_of = {g.parent_id: g for g in groups}
                    people = []
                    for b in branches:
                        for _ in range(rng.randint(5, 18)):
                            seq += 1
                            people.append(
                                Person(
                                    unit=b.unit,
                                    name=f"党员{seq}",
                                    id_number_enc="bench",
                                    id_number_index=f"bench-{scale}-{seq}",
                                    id_number_masked="",
                                )
                            )
                    people = Person.objects.bulk_create(people)
                    branch_of_unit = {b.unit_id: b for b in branches}
                    PartyMember.objects.bulk_create(
                        PartyMember(
                            person=p,
                            branch=branch_of_unit[p.unit_id],
                            status=PartyMember.Status.FULL,
                            joined_on=dt.date(2010, 7, 1),
                            full_on=dt.date(2011, 7, 1),
                        )
                        for p in people
                    )
                    full = {b.pk: 0 for b in branches}
                    for p in people:
                        full[branch_of_unit[p.unit_id].pk] += 1
                    meetings: list[tuple[Meeting, list[str]]] = []
                    for b in branches:
                        behind = rng.random() < 0.2
                        for month in range(1, 11):
                            if behind and rng.random() < 0.25:
                                continue
                            day = dt.date(YEAR, month, rng.randint(3, 26))
                            also = ["first_topic"] + (
                                ["branch_general_meeting", "party_lecture"]
                                if month % 3 == 0
                                else []
                            )
                            meetings.append(
                                (
                                    Meeting(
                                        org=b,
                                        kind="theme_day",
                                        also_counts_as=also,
                                        held_on=day,
                                        entered_on=day,
                                        minutes="记录",
                                        topics="学习",
                                        expected_count=10,
                                        present_count=9,
                                    ),
                                    ["theme_day", *also],
                                )
                            )
                            if full[b.pk] >= 7:
                                meetings.append(
                                    (
                                        Meeting(
                                            org=b,
                                            kind="branch_committee_meeting",
                                            held_on=day,
                                            entered_on=day,
                                            minutes="记录",
                                        ),
                                        ["branch_committee_meeting"],
                                    )
                                )
                            if b.pk in group_of:
                                meetings.append(
                                    (
                                        Meeting(
                                            org=group_of[b.pk],
                                            kind="group_meeting",
                                            held_on=day,
                                            entered_on=day,
                                            minutes="记录",
                                        ),
                                        ["group_meeting"],
                                    )
                                )
                    saved = Meeting.objects.bulk_create([m for m, _ in meetings], batch_size=2000)
                    MeetingTag.objects.bulk_create(
                        (
                            MeetingTag(meeting=m, org_id=m.org_id, kind=k, held_on=m.held_on)
                            for m, (_, kinds) in zip(saved, meetings, strict=True)
                            for k in kinds
                        ),
                        batch_size=5000,
                    )
            log(f"  {city.name}：用时{time.perf_counter() - t0:.0f}秒")


def target_unit(scale: str) -> object:
    from dangjian.orgs.models import Unit

    kind = Unit.Kind.CITY_BUREAU if scale == "city" else Unit.Kind.PROVINCE_BUREAU
    return Unit.objects.filter(kind=kind).order_by("path").first()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["city", "province"])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--scratch", action="store_true", help="总是使用本脚本自建的数据库")
    args = parser.parse_args()
    bench_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DB
    if urlsplit(bench_url).path.lstrip("/") == "test":
        bench_url = DEFAULT_DB
    ensure_database(bench_url)
    use_demo = not args.scratch and args.scale == "city" and has_orglife_data(bench_url)
    if use_demo:
        url = bench_url
        log(f"使用基准库的演示数据：{url}")
    else:
        name = urlsplit(bench_url).path.lstrip("/") + f"_orglife_{args.scale}"
        url = urlsplit(bench_url)._replace(path=f"/{name}").geturl()
        log(f"基准库没有党员和组织生活数据（或指定了 --scratch）：使用自建数据库 {url}")
        ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from dangjian.orglife import queries
    from dangjian.orglife.models import MeetingTag
    from dangjian.orgs.models import PartyOrg

    call_command("migrate", "--noinput", verbosity=0)
    unit = target_unit(args.scale)
    if unit is None and not use_demo:
        log(f"生成{args.scale}规模的合成数据（只需一次）…")
        synthesize(args.scale)
        analyze(url)
        unit = target_unit(args.scale)
    if unit is None:
        log("没有找到目标单位")
        return 1
    branches = PartyOrg.objects.in_subtree(unit).filter(kind=PartyOrg.Kind.BRANCH).count()
    tags = MeetingTag.objects.in_subtree(unit).filter(held_on__year=YEAR).count()
    log(f"{unit.name}：党支部{branches}个，{YEAR}年会议计数记录{tags}条；今天按{TODAY}计")
    timings, query_ms, counts = [], [], []
    for n in range(args.runs + 1):
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            rollup = queries.compliance(YEAR, TODAY, paths=[unit.path])
            elapsed = (time.perf_counter() - t0) * 1000
        if n == 0:
            continue  # warm-up: connection, plan cache
        timings.append(elapsed)
        query_ms.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        counts.append(len(ctx.captured_queries))
    compliant, judged = queries.branch_months(rollup, dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 1))
    best, median = min(timings), statistics.median(timings)
    target = TARGETS_MS[args.scale]
    log(
        f"组织生活合规汇总（{args.scale}，{len(rollup.branches)}个支部，{YEAR}年）："
        f"最快 {best:.0f} ms，中位 {median:.0f} ms"
        f"（其中SQL约 {statistics.median(query_ms):.0f} ms，"
        f"{counts[0]}条查询）；目标 ≤ {target:.0f} ms：{'达到' if median <= target else '未达到'}"
    )
    log(f"按月达标：{compliant}/{judged} 个支部月")
    return 0 if median <= target else 1


if __name__ == "__main__":
    sys.exit(main())
