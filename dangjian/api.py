"""The REST API at /api/v1/: one NinjaAPI, a Router per app (STYLE.md §7)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dangjian.areas import AREA_APPS
from dangjian.core.errors import ActionError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from dangjian.accounts.models import ApiToken, token_digest

        row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=token_digest(token), revoked=False)
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        if row.last_used_at is None or (timezone.now() - row.last_used_at).total_seconds() > 300:
            # bookkeeping only (not domain data), throttled to one write per 5 minutes
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods still need the CSRF token.

    Without a logged-in session there is nothing to protect: the request is simply
    unauthenticated (401), not a CSRF failure.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request) is not None:
            raise HttpError(403, "CSRF 校验失败：请刷新页面后重试，或改用令牌认证")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


class CompactJSONRenderer(JSONRenderer):
    """UTF-8 Chinese instead of \\u escapes, no spaces: about half the bytes per row."""

    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


API_PREFIX = "/api/v1/"  # where dangjian/urls.py mounts `api`

api = NinjaAPI(
    title="党建督导平台 API",
    version="1.0.0",
    description="Dangjian REST API. 认证：会话 Cookie 或 `Authorization: Bearer <令牌>`。",
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    renderer=CompactJSONRenderer(),
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(
    request: HttpRequest,
    status: int,
    message: str,
    field: str | None = None,
    label: str | None = None,
) -> HttpResponse:
    return api.create_response(
        request, {"field": field, "label": label, "message": message}, status=status
    )


@api.exception_handler(ActionError)
def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    return _error(request, 400, exc.message, exc.field, exc.label)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "未找到该记录")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, str(exc) or "您没有执行此操作的权限")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "未登录或令牌无效")


@api.exception_handler(ValidationError)
def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """400 (not ninja's 422) naming the first bad field, in Chinese."""
    from .api_errors import describe, resource_of

    field, label, message = describe(exc.errors, resource_of(request.path, API_PREFIX))
    return _error(request, 400, message, field, label)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = "请求体不是有效的 JSON"
    elif exc.status_code == 429:
        message = "请求过于频繁，请稍后再试"
    elif not any("\u4e00" <= ch <= "\u9fff" for ch in message):
        message = {400: "请求无效", 403: "您没有执行此操作的权限", 404: "未找到该记录"}.get(
            exc.status_code, message
        )
    return _error(request, exc.status_code, message)


def _register_routers() -> None:
    from importlib import import_module

    for app in ("orgs", "people", "accounts", "core", "notices", *AREA_APPS):
        try:
            module = import_module(f"dangjian.{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"dangjian.{app}.api":
                raise
            continue
        api.add_router("/", module.router)


_register_routers()
