"""Chinese forms for login, passwords, accounts, roles and API tokens."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from dangjian.core.forms import BaseForm, style
from dangjian.orgs.models import Unit

from .roles import Role

PASSWORD_HELP = "；".join(
    [
        "至少10个字符",
        "至少包含大写字母、小写字母、数字、特殊字符中的3类",
        "不能与最近5次使用过的密码相同",
    ]
)


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意：连续输错5次，账号将锁定15分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名"
        self.fields["password"].error_messages["required"] = "请输入密码"
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        style(self)


def _password_field(label: str, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": "不能为空"},
    )


class PasswordChangeForm(BaseForm):
    old_password = _password_field("原密码", "current-password")
    password = _password_field("新密码")
    password2 = _password_field("确认新密码")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = PASSWORD_HELP

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        return data


class PasswordResetForm(BaseForm):
    password = _password_field("临时密码")
    password2 = _password_field("确认临时密码")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = PASSWORD_HELP + "。用户下次登录时须修改。"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        return data


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'　' * obj.depth}{obj.name}"


class UserForm(BaseForm):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        error_messages={"required": "不能为空"},
        help_text="字母、数字或 @ . + - _，登录时使用",
    )
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "请输入有效的电子邮箱地址"}
    )
    unit = UnitChoiceField(
        label="所属单位",
        queryset=Unit.objects.none(),
        error_messages={"required": "请选择所属单位", "invalid_choice": "请选择范围内的单位"},
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    password = _password_field("初始密码")
    password2 = _password_field("确认初始密码")

    def __init__(self, *args: Any, units: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = units.order_by("path")
        if editing:
            # the username stays; passwords are reset on their own page
            del self.fields["username"], self.fields["password"], self.fields["password2"]
        else:
            del self.fields["is_active"]
            self.fields["password"].help_text = PASSWORD_HELP + "。用户首次登录时须修改。"
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致")
        return data


class RoleAssignForm(BaseForm):
    role = forms.ChoiceField(
        label="角色",
        choices=[("", "请选择角色"), *Role.choices],
        error_messages={"required": "请选择角色", "invalid_choice": "无效的角色"},
    )
    unit = UnitChoiceField(
        label="单位",
        queryset=Unit.objects.none(),
        help_text="角色在该单位及其下级单位范围内有效",
        error_messages={"required": "请选择单位", "invalid_choice": "请选择范围内的单位"},
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["unit"])
        field.queryset = units.order_by("path")
        style(self)


class TokenCreateForm(BaseForm):
    name = forms.CharField(
        label="令牌名称",
        max_length=100,
        help_text="用途说明，例如“数据对接”",
        error_messages={"required": "不能为空"},
    )
