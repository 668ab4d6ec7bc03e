"""Request type for views behind login_required (django-stubs' documented pattern)."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from dangjian.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    user: "User"  # type: ignore[assignment]
    htmx: HtmxDetails
