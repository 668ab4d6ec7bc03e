"""Benchmark: city-scale demo in PostgreSQL, gunicorn on loopback, p50/p95 of the main pages.

    .venv/bin/python bench/run.py [--scale city] [--clients 1,8] [--requests 200]

Steps: create the bench database if missing (never the `test` database), migrate, load the
demo (skipped when present), start gunicorn (-w $(nproc) -k sync) on 127.0.0.1:8099 with
DEBUG off, log in as demo_bureau_admin, time each URL with 1 and 8 concurrent clients, time
the import of a generated 10,000-person xlsx, EXPLAIN a subtree query, and stop gunicorn.
See docs/bench.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/dangjian_bench"
HOST = "127.0.0.1"
TARGET_P95_MS = 150.0
TARGET_IMPORT_S = 30.0
# fixed, bench-only secrets: the bench database is throwaway and lives on loopback
BENCH_SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"
BENCH_FIELD_KEY = base64.urlsafe_b64encode(b"dangjian-bench-field-key-32bytes").decode()


def log(msg: str) -> None:
    print(msg, flush=True)


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in {"test", "test_test", "postgres"}:
        raise SystemExit(f"拒绝使用数据库 {name!r}：基准测试须使用单独的数据库")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"创建数据库 {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def analyze(url: str) -> None:
    """Planner statistics as a running system has them (stale right after a bulk load)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute("ANALYZE")


def bench_env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=BENCH_SECRET,
        DANGJIAN_FIELD_KEY=BENCH_FIELD_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DANGJIAN_SHOW_DEMO_LOGINS="0",
    )
    env.pop("DANGJIAN_TESTING", None)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def helper(env: dict[str, str], *args: str) -> str:
    out = subprocess.run(
        [PYTHON, "bench/djhelper.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"djhelper {' '.join(args)} 失败：\n{out.stderr[-3000:]}")
    return out.stdout


# ---- HTTP ------------------------------------------------------------------------------------
class Session:
    """Cookies by hand (the session cookie is Secure with DEBUG off; this is plain loopback)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            h = {"Host": f"{HOST}:{self.port}", **(headers or {})}
            if self.cookies:
                h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            for key, value in resp.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def get_status(self, path: str) -> int:
        """One GET with the session's cookies, not updating them (safe from many threads)."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request("GET", path, headers={"Host": f"{HOST}:{self.port}", "Cookie": cookie})
            resp = conn.getresponse()
            resp.read()
            return resp.status
        finally:
            conn.close()

    def login(self, username: str, password: str) -> None:
        status, _, body = self.request("GET", "/accounts/login/")
        if status != 200:
            raise RuntimeError(f"登录页返回 HTTP {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not match:
            raise RuntimeError("登录页没有 CSRF 令牌")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, _, _ = self.request(
            "POST",
            "/accounts/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}/accounts/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"以 {username} 登录失败（HTTP {status}）")


def wait_for_server(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn 退出（返回码 {proc.returncode}）")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/accounts/login/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn 未在 60 秒内就绪")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


@dataclass
class Measured:
    n: int
    p50: float
    p95: float
    rps: float
    statuses: dict[int, int]


def measure(session: Session, path: str, clients: int, requests: int) -> Measured:
    """`requests` GETs spread over `clients` threads; latency of each, statuses counted."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            t0 = time.perf_counter()
            try:
                status = session.get_status(path)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return Measured(
        n=len(latencies),
        p50=percentile(latencies, 0.50),
        p95=percentile(latencies, 0.95),
        rps=len(latencies) / wall if wall else 0.0,
        statuses=statuses,
    )


# ---- the run ---------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="city", choices=["tiny", "county", "city", "province"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--requests", type=int, default=200, help="每个地址、每个并发级别的请求数")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    db_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_DB
    if urlsplit(db_url).path.lstrip("/") == "test":
        db_url = DEFAULT_DB  # the test suite's database is never used for the bench
    clients = [int(c) for c in args.clients.split(",") if c.strip()]

    ensure_database(db_url)
    env = bench_env(db_url)
    log(f"数据库：{db_url}")
    t0 = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v", "0")
    log(f"migrate：{time.perf_counter() - t0:.1f}秒")
    t0 = time.perf_counter()
    out = manage(env, "demo", "--scale", args.scale, "--seed", str(args.seed))
    log(out.strip())
    log(f"演示数据：{time.perf_counter() - t0:.1f}秒")
    analyze(db_url)
    targets = json.loads(helper(env, "targets"))
    log(
        f"规模：单位{targets['units']}个，人员{targets['people']}人；"
        f"学区「{targets['district_name']}」{targets['district_people']}人；"
        f"第{40}页用「{targets['deep_name']}」{targets['deep_people']}人"
    )
    district, deep, q = targets["district"], targets["deep_unit"], targets["q"]
    urls = [
        ("单位树", "/orgs/tree/"),
        ("人员列表 筛选 第1页", f"/people/?{urlencode({'unit': district, 'q': q})}"),
        (
            "人员列表 第40页",
            f"/people/?{urlencode({'unit': deep, 'status': 'active', 'page': 40})}",
        ),
        ("人员详情", f"/people/{targets['person']}/"),
        ("API 人员列表", f"/api/v1/people?{urlencode({'unit': district})}"),
    ]

    proc = subprocess.Popen(
        [
            GUNICORN,
            "dangjian.wsgi",
            "-b",
            f"{HOST}:{args.port}",
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
    results: list[tuple[str, str, int, Measured | None, str]] = []
    try:
        wait_for_server(args.port, proc)
        session = Session(args.port)
        session.login("demo_bureau_admin", os.environ.get("DEMO_PASSWORD", "Demo#2024dj"))
        log(f"gunicorn -w {args.workers} -k sync 已启动，已登录 demo_bureau_admin")
        for label, path in urls:
            first = session.get_status(path)
            if first != 200:
                log(f"!! {label} {path} 返回 HTTP {first}，跳过测量")
                results.extend((label, path, c, None, f"HTTP {first}") for c in clients)
                continue
            for _ in range(5):  # warm the workers' caches and connections
                session.get_status(path)
            for c in clients:
                m = measure(session, path, c, args.requests)
                bad = {k: v for k, v in m.statuses.items() if k != 200}
                note = "" if not bad else "非200：" + "，".join(f"{k}×{v}" for k, v in bad.items())
                results.append((label, path, c, m, note))
                log(f"   {label} ×{c}：p50 {m.p50:.0f} ms，p95 {m.p95:.0f} ms {note}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log("gunicorn 已停止")

    print()
    print(
        "| 页面 | 并发 | 请求数 | p50 (ms) | p95 (ms) | 请求/秒 | "
        f"p95 ≤ {TARGET_P95_MS:.0f} ms | 备注 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    failed = False
    for label, _path, c, r, note in results:
        if r is None:
            print(f"| {label} | {c} | – | – | – | – | – | {note} |")
            failed = True
            continue
        ok = r.p95 <= TARGET_P95_MS
        failed |= not ok and c == max(clients)
        print(
            f"| {label} | {c} | {r.n} | {r.p50:.0f} | {r.p95:.0f} | {r.rps:.0f} | "
            f"{'是' if ok else '否'} | {note} |"
        )
    print()
    for label, path in urls:
        print(f"  {label}: {path}")

    if not args.skip_import:
        print()
        log(f"导入 {args.import_rows} 人的 xlsx（事务内执行后回滚）…")
        imported = json.loads(helper(env, "import", str(args.import_rows)))
        if "skipped" in imported:
            log(f"跳过导入计时：{imported['skipped']}")
        else:
            total = imported["total_s"]
            log(
                f"导入 {imported['rows']} 行（{imported['bytes'] // 1024} KB）："
                f"读取 {imported['read_s']} 秒，校验并写入 {imported['validate_write_s']} 秒，"
                f"合计 {total} 秒（目标 ≤ {TARGET_IMPORT_S:.0f} 秒："
                f"{'达到' if total <= TARGET_IMPORT_S else '未达到'}）；"
                f"新增 {imported['created']} 人；同一文件再次导入 {imported['reimport_s']} 秒，"
                f"未变 {imported['unchanged']} 人"
            )
            if imported["errors"]:
                log(f"!! 导入报错：{imported['errors']}")
                failed = True

    print()
    log("EXPLAIN 子树查询：")
    print(helper(env, "explain"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
