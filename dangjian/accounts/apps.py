from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangjian.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import auth_audit  # noqa: F401  login/failed-login audit receivers
