from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dangjian.audit.log import verify


class Command(BaseCommand):
    help = "校验审计日志哈希链，指出第一条断裂的记录"

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify()
        if broken is not None:
            raise CommandError(
                f"审计链在第 {broken.entry_id} 号记录处断裂：{broken.reason}"
                f"（此前 {checked} 条完好）"
            )
        self.stdout.write(self.style.SUCCESS(f"审计链完好：共校验 {checked} 条记录"))
