from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _reset_lockouts(db: Any) -> None:
    from axes.utils import reset

    reset()


@pytest.fixture
def system_admin(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("system_admin", county["bureau"], username="sysadmin")


@pytest.fixture
def security_admin(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("security_admin", county["bureau"], username="secadmin")


@pytest.fixture
def audit_admin(county: dict[str, Any], make_user: Callable[..., Any]) -> Any:
    return make_user("audit_admin", county["bureau"], username="auditadmin")
