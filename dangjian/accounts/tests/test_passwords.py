"""Password policy (等保): length, character classes, no reuse of the last five."""

from typing import Any

import pytest

from conftest import PASSWORD
from dangjian.accounts.actions import password_change, password_reset
from dangjian.core.errors import ActionError

NEW = ["Qingshan#2025a", "Qingshan#2025b", "Qingshan#2025c", "Qingshan#2025d", "Qingshan#2025e"]


def change(user: Any, old: str, new: str) -> Any:
    return password_change(actor=user, old_password=old, new_password=new)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab#12345", "至少"),  # 8 characters: too short
        ("abcdefgh1234", "3类"),  # two classes only
        ("ABCDEFGH####", "3类"),
        ("qingshanxian", "3类"),
    ],
)
def test_password_change_refuses_weak(secretary_a: Any, password: str, fragment: str) -> None:
    with pytest.raises(ActionError) as exc:
        change(secretary_a, PASSWORD, password)
    assert exc.value.field == "password"
    assert exc.value.message.startswith("「密码」：")
    assert fragment in exc.value.message
    secretary_a.refresh_from_db()
    assert secretary_a.check_password(PASSWORD)


def test_password_change_accepts_ten_chars_three_classes(secretary_a: Any) -> None:
    change(secretary_a, PASSWORD, "qingshan1#")
    secretary_a.refresh_from_db()
    assert secretary_a.check_password("qingshan1#")
    assert not secretary_a.must_change_password


def test_password_change_wrong_old_password(secretary_a: Any) -> None:
    with pytest.raises(ActionError) as exc:
        change(secretary_a, "Wrong#123456", NEW[0])
    assert exc.value.field == "old_password"


def test_password_reuse_of_each_of_last_five_refused_sixth_allowed(secretary_a: Any) -> None:
    old = PASSWORD
    for new in NEW:
        change(secretary_a, old, new)
        old = new
    # the last five are NEW[0..4] (NEW[4] is current); each is refused
    for reused in NEW:
        with pytest.raises(ActionError) as exc:
            change(secretary_a, old, reused)
        assert "最近5次" in exc.value.message
    # the sixth most recent (the first password) may be used again
    change(secretary_a, old, PASSWORD)
    secretary_a.refresh_from_db()
    assert secretary_a.check_password(PASSWORD)


def test_password_reset_by_admin_forces_change(secretary_a: Any, system: Any) -> None:
    password_reset(actor=system, user=secretary_a, new_password="Temporary#2026")
    secretary_a.refresh_from_db()
    assert secretary_a.must_change_password
    assert secretary_a.check_password("Temporary#2026")
