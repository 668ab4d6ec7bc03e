"""Benchmark of supervision at city scale: the overdue rectification list of a city bureau.

    .venv/bin/python bench/supervision.py [--scale city] [--clients 1,8] [--requests 200]

Same machinery as bench/run.py (which see): the `dangjian_bench` PostgreSQL database, created
if missing, migrated, the demo loaded once, `ANALYZE`, gunicorn (-w $(nproc) -k sync) on
loopback with DEBUG off. Logged in as `demo_bureau_admin` (the city bureau at city scale: sees
every county), it prints p50/p95 of

- 逾期整改 `/rectification/overdue/` — the superior unit's overdue list, page 1 and the
  bureau-level filter (`?level=3`), and
- the API: `/api/v1/findings?overdue=true` and `/api/v1/findings`,

at 1 and 8 clients (target p95 ≤ 150 ms, issue 5), then the EXPLAIN ANALYZE of the overdue
list's page query and count, and the time of one city-wide run of the daily reminders
(`notices.actions.reminders_send`, rolled back). See docs/bench.md.

The bulletin timing (a county month and a city month) has its own section below,
`bulletin_timings`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import run as machinery  # noqa: E402  bench/run.py: database, gunicorn, sessions, timing

TARGET_P95_MS = machinery.TARGET_P95_MS
USERNAME = "demo_bureau_admin"


# ---- Django side: run as `supervision.py --facts` in the bench environment ------------------
def facts() -> dict[str, object]:
    """What the measured pages show for the user (rows, escalation levels), and the plans of
    the overdue list's page query and count."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count, Q
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from dangjian.accounts.models import User
    from dangjian.orgs.models import Unit
    from dangjian.rectification import queries, rules
    from dangjian.rectification.models import Finding, Rectification

    user = User.objects.get(username=USERNAME)
    today = timezone.localdate()
    overdue = queries.overdue_rectifications(user, today)
    levels = Rectification.objects.for_user(user).aggregate(
        overdue=Count("pk", filter=queries.overdue_q(today, prefix="")),
        district=Count("pk", filter=queries.level_q(rules.Level.DISTRICT, today, prefix="")),
        bureau=Count("pk", filter=queries.level_q(rules.Level.BUREAU, today, prefix="")),
        pending=Count("pk", filter=Q(status__in=queries.PENDING)),
    )
    page = overdue[:25]
    with CaptureQueriesContext(connection) as captured:
        overdue.count()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + captured.captured_queries[-1]["sql"])
        plan_count = "\n".join(row[0] for row in cursor.fetchall())
    # the daily reminders for the whole city, timed in a transaction that is rolled back
    from dangjian.accounts.actions import system_user
    from dangjian.notices.actions import reminders_send

    with transaction.atomic():
        t0 = time.perf_counter()
        sent = reminders_send(actor=system_user(), as_of=today)
        reminders_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        again = reminders_send(actor=system_user(), as_of=today)
        reminders_again_s = time.perf_counter() - t0
        transaction.set_rollback(True)
    return {
        "today": today.isoformat(),
        "user_unit": str(user.unit),
        "schools": Unit.objects.for_user(user).filter(kind__in=Unit.SCHOOL_KINDS).count(),
        "findings": Finding.objects.for_user(user).count(),
        **levels,
        "plan_page": page.explain(analyze=True),
        "plan_count": plan_count,
        "reminders": sent.total,
        "reminders_s": round(reminders_s, 2),
        "reminders_again": again.total,
        "reminders_again_s": round(reminders_again_s, 2),
    }


# ---- bulletin generation (a county month and a city month) ----------------------------------
def bulletin_timings(env: dict[str, str]) -> list[tuple[str, float, str]]:
    """(label, seconds, note) for issuing the monthly bulletin of a county and of the city
    (issue 5 target: county ≤ 5 s): bench/bulletin_timing.py freezes the month's figures and
    writes the Word document inside a transaction it rolls back."""
    done = subprocess.run(
        [machinery.PYTHON, str(BENCH / "bulletin_timing.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"通报计时失败：\n{done.stderr[-3000:]}")
    return [(r["label"], float(r["seconds"]), r["note"]) for r in json.loads(done.stdout)]


# ---- the run ------------------------------------------------------------------------------
REFERENCE = "参照：单位树"


def urls() -> list[tuple[str, str]]:
    """The measured pages; the last is bench/run.py's unit tree, timed in the same run as a
    yardstick of how busy the shared machine is (it does not count towards the exit status)."""
    return [
        ("逾期整改列表", "/rectification/overdue/"),
        ("逾期整改列表 督办至教育局", "/rectification/overdue/?level=3"),
        ("API 逾期问题", "/api/v1/findings?overdue=true"),
        ("API 问题列表", "/api/v1/findings"),
        (REFERENCE, "/orgs/tree/"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["county", "city", "province"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--requests", type=int, default=200, help="每个地址、每个并发级别的请求数")
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--facts", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.facts:
        print(json.dumps(facts(), ensure_ascii=False))
        return 0

    db_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    db_url = db_url or machinery.DEFAULT_DB
    if urlsplit(db_url).path.lstrip("/") == "test":
        db_url = machinery.DEFAULT_DB  # the test suite's database is never used for the bench
    clients = [int(c) for c in args.clients.split(",") if c.strip()]

    machinery.ensure_database(db_url)
    env = machinery.bench_env(db_url)
    machinery.log(f"数据库：{db_url}")
    t0 = time.perf_counter()
    machinery.manage(env, "migrate", "--noinput", "-v", "0")
    machinery.log(f"migrate：{time.perf_counter() - t0:.1f}秒")
    t0 = time.perf_counter()
    out = machinery.manage(env, "demo", "--scale", args.scale, "--seed", str(args.seed))
    machinery.log(out.strip())
    machinery.log(f"演示数据：{time.perf_counter() - t0:.1f}秒")
    machinery.analyze(db_url)
    done = subprocess.run(
        [machinery.PYTHON, str(Path(__file__)), "--facts"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"统计失败：\n{done.stderr[-3000:]}")
    info = json.loads(done.stdout)
    machinery.log(
        f"{USERNAME}（{info['user_unit']}）：学校{info['schools']}所，问题{info['findings']}个，"
        f"未整改{info['pending']}个，截至{info['today']}逾期{info['overdue']}个"
        f"（督办至学区及以上{info['district']}个，至教育局{info['bureau']}个）"
    )
    machinery.log(
        f"全市整改提醒（事务内执行后回滚）：首次发送{info['reminders']}条，{info['reminders_s']}秒；"
        f"同日再次运行发送{info['reminders_again']}条，{info['reminders_again_s']}秒"
    )

    proc = subprocess.Popen(
        [
            machinery.GUNICORN,
            "dangjian.wsgi",
            "-b",
            f"{machinery.HOST}:{args.port}",
            "-w",
            str(args.workers),
            "-k",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    results: list[tuple[str, int, machinery.Measured | None, str]] = []
    try:
        machinery.wait_for_server(args.port, proc)
        session = machinery.Session(args.port)
        session.login(USERNAME, os.environ.get("DEMO_PASSWORD", "Demo#2024dj"))
        machinery.log(f"gunicorn -w {args.workers} -k sync 已启动，已登录 {USERNAME}")
        for label, path in urls():
            first = session.get_status(path)
            if first != 200:
                machinery.log(f"!! {label} {path} 返回 HTTP {first}，跳过测量")
                results.extend((label, c, None, f"HTTP {first}") for c in clients)
                continue
            for _ in range(5):  # warm the workers' caches and connections
                session.get_status(path)
            for c in clients:
                m = machinery.measure(session, path, c, args.requests)
                bad = {k: v for k, v in m.statuses.items() if k != 200}
                note = "" if not bad else "非200：" + "，".join(f"{k}×{v}" for k, v in bad.items())
                results.append((label, c, m, note))
                machinery.log(f"   {label} ×{c}：p50 {m.p50:.0f} ms，p95 {m.p95:.0f} ms {note}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        machinery.log("gunicorn 已停止")

    print()
    print(
        "| 页面 | 并发 | 请求数 | p50 (ms) | p95 (ms) | 请求/秒 | "
        f"p95 ≤ {TARGET_P95_MS:.0f} ms | 备注 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    failed = False
    for label, c, r, note in results:
        if r is None:
            print(f"| {label} | {c} | – | – | – | – | – | {note} |")
            failed = True
            continue
        ok = r.p95 <= TARGET_P95_MS
        failed |= not ok and c == max(clients) and label != REFERENCE
        print(
            f"| {label} | {c} | {r.n} | {r.p50:.0f} | {r.p95:.0f} | {r.rps:.0f} | "
            f"{'是' if ok else '否'} | {note} |"
        )
    print()
    for label, path in urls():
        print(f"  {label}: {path}")

    timings = bulletin_timings(env)
    if timings:
        print()
        machinery.log("通报生成：")
        for label, seconds, note in timings:
            machinery.log(f"   {label}：{seconds:.1f} 秒 {note}")

    print()
    machinery.log("EXPLAIN 逾期整改列表（第1页）：")
    print(info["plan_page"])
    machinery.log("EXPLAIN 逾期整改列表（计数）：")
    print(info["plan_count"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
