"""Logins and failed logins go into the audit chain (等保 requires both)."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from dangjian.audit.context import client_ip
from dangjian.audit.log import record


# Audit plumbing, not business logic: the auth framework only reports logins through signals.
@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(user, "accounts.login", user, unit=user.unit, ip=client_ip(request), take_after=False)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    from .models import User

    username = str(credentials.get("username", ""))[:150]
    # the account's unit scopes the entry, so its unit's audit admin sees the failure
    account = User.objects.select_related("unit").filter(username=username).first()
    record(
        f"未登录:{username}",
        "accounts.login_failed",
        None,
        ip=client_ip(request),
        after={"username": username},
        unit=account.unit if account is not None else None,
    )
