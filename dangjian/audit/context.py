"""Who is asking, for the audit trail: the client address of the request being served, so every
audited change records where it came from (等保: 审计记录应包括来源地址) without each action
having to be handed the request."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("audit_ip", default=None)


def client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR: behind a reverse proxy, the proxy must set it (gunicorn's forwarded_allow_ips)
    — a client-supplied X-Forwarded-For is not trusted."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
