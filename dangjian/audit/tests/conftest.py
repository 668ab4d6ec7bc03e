from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def audit_admin(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("audit_admin", county["bureau"], username="auditadmin")


@pytest.fixture
def audit_admin_a(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("audit_admin", county["a"], username="auditadmin_a")
