"""`manage.py demo --scale county|city|province --seed N`: load the fictional demo deployment."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from dangjian.accounts.actions import system_user
from dangjian.accounts.models import User
from dangjian.core.demo.generator import ANCHOR, ROOT_CODES, SCALES, Demo
from dangjian.core.demo.logins import PREFIX, create_logins
from dangjian.orgs.models import Unit


class Command(BaseCommand):
    help = "生成演示数据（虚构的县、市或省；同一种子每次生成相同的数据）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--schools", type=int, default=None, help="每个县最多生成的学校数（测试用）"
        )
        parser.add_argument(
            "--anchor",
            type=dt.date.fromisoformat,
            default=ANCHOR,
            help="演示数据的“今天”（YYYY-MM-DD），任期、挂联、交流日期据此推算",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        scale = opts["scale"]
        if Unit.objects.filter(code=ROOT_CODES[scale]).exists():
            # the logins are made last: without them an earlier run stopped half-way
            if not User.objects.filter(username__startswith=PREFIX).exists():
                raise CommandError(
                    "演示数据不完整（上次生成中途停止）：请清空数据库（删除 SQLite 文件或重建"
                    "PostgreSQL 数据库）后重新运行"
                )
            self.stdout.write("演示数据已存在")
            return
        started = time.perf_counter()
        actor = system_user()
        demo = Demo(
            actor,
            scale=scale,
            seed=opts["seed"],
            anchor=opts["anchor"],
            max_schools=opts["schools"],
            log=self.stdout.write,
        )
        self.stdout.write(f"生成演示数据：规模 {scale}，种子 {opts['seed']}")
        root = demo.run()
        login_started = time.perf_counter()
        with transaction.atomic():
            create_logins(actor, root, log=self.stdout.write)
        demo.stats.add_time("演示账号", time.perf_counter() - login_started)
        # reminders of the demo's pending rectifications, now that the demo accounts exist
        from dangjian.notices.actions import reminders_send

        with transaction.atomic():
            sent = reminders_send(actor=actor, as_of=timezone.localdate())
        self.stdout.write(f"整改提醒：{sent.total}条")
        # fresh planner statistics: right after a bulk load PostgreSQL still plans for empty
        # tables and picks nested loops over the whole subtree (0.5 s instead of 10 ms)
        analyze_started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        demo.stats.add_time("统计信息", time.perf_counter() - analyze_started)
        s = demo.stats
        self.stdout.write(
            f"完成：单位{s.units}个，人员{s.people}人，党组织{s.party_orgs}个，职务{s.posts}条，"
            f"挂联{s.liaisons}条，交流轮岗{s.exchanges}条，撤销{s.closed}所，合并{s.merged}所"
        )
        phases = "，".join(f"{k}{v:.1f}秒" for k, v in s.phases.items())
        self.stdout.write(f"用时{time.perf_counter() - started:.1f}秒（{phases}）")
        self.stdout.write("演示账号：python manage.py demo_logins")
