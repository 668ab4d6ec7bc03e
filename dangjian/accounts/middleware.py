"""Session idle timeout (30 minutes) and the forced password change on first login."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

EXEMPT_PREFIXES = (
    "/accounts/login",
    "/accounts/logout",
    "/accounts/password",
    "/static/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
)


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            now = int(time.time())
            last = request.session.get("last_seen")
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return redirect(f"{settings.LOGIN_URL and '/accounts/login/'}?timeout=1")
            # write at most once a minute: no session save on every request
            if last is None or now - int(last) > 60:
                request.session["last_seen"] = now
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                # the session may not bypass the forced change through the API
                return JsonResponse(
                    {"field": None, "label": None, "message": "请先修改初始密码后再使用"},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect("accounts:password-change")
        return self.get_response(request)
