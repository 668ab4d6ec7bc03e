from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangjian.accounts.actions import token_create
from dangjian.accounts.models import User
from dangjian.core.errors import ActionError


class Command(BaseCommand):
    help = "为用户创建 API 令牌并打印（令牌只显示这一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="命令行创建", help="令牌名称（用途说明）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户 {options['username']} 不存在")
        if not user.is_active:
            raise CommandError(f"用户 {user.username} 已停用")
        try:
            _, raw = token_create(actor=user, name=options["name"])
        except ActionError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(raw)
