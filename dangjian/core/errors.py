"""The three refusals every action can raise; views and the API map them to 404/403/400."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class OutOfScope(Http404):
    """The object lies outside the actor's subtree: reported as missing, never as forbidden."""


class NotAllowed(PermissionDenied):
    """The actor's roles do not carry the capability."""


class ActionError(Exception):
    """A business rule refused the change; `field` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None, label: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.label = label


class InvalidTransition(ActionError):
    pass
