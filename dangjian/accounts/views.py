"""Login, passwords, the profile with API tokens, and the account pages of the 三员 admins."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dangjian.core.errors import ActionError
from dangjian.core.exports import exportable
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, build
from dangjian.core.scope import get_scoped, has_capability, require

from . import actions
from .forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    RoleAssignForm,
    TokenCreateForm,
    UserForm,
)
from .models import ApiToken, RoleAssignment, User
from .queries import (
    admin_units,
    demo_logins,
    failed_attempts,
    locked_attempts,
    locked_usernames,
    users_for_admin,
)
from .roles import Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["page_title"] = "登录"
        ctx["timeout"] = self.request.GET.get("timeout") == "1"
        if settings.SHOW_DEMO_LOGINS:
            ctx["demo_logins"] = demo_logins()
            ctx["demo_password"] = getattr(settings, "DEMO_PASSWORD", "")
        return ctx


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def password_change(request: AuthedHttpRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.password_change(
                actor=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["password"],
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改")
            return redirect("core:home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": user.must_change_password,
            "page_title": "修改密码",
            "breadcrumbs": [("个人设置", "/accounts/profile/"), ("修改密码", None)],
        },
    )


def _profile_context(request: AuthedHttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {
        "assignments": user.role_assignments.select_related("unit").order_by("unit__path"),
        "tokens": user.api_tokens.filter(revoked=False),
        "token_form": extra.pop("token_form", None) or TokenCreateForm(),
        "page_title": "个人设置",
        "breadcrumbs": [("个人设置", None)],
        **extra,
    }


@login_required
def profile(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@require_POST
def token_create(request: AuthedHttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = actions.token_create(actor=request.user, name=form.cleaned_data["name"])
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            # rendered, not redirected: the raw value must not travel through the session
            return render(
                request,
                "accounts/profile.html",
                _profile_context(request, new_token=token, raw_token=raw),
            )
    return render(
        request, "accounts/profile.html", _profile_context(request, token_form=form), status=400
    )


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=request.user, revoked=False).first()
    if token is None:
        raise Http404("未找到该令牌")
    actions.token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌“{token.name}”已撤销")
    return redirect("accounts:profile")


# ---- account administration (system admin: accounts; security admin: roles) ----


USER_LIST = ListSpec(
    columns=[
        Column("username", "用户名", lambda u: u.username, sort="username", link=True),
        Column("display_name", "姓名", lambda u: u.display_name, sort="display_name"),
        Column("unit", "所属单位", lambda u: u.unit.name if u.unit else "", sort="unit__path"),
        Column(
            "roles",
            "角色",
            lambda u: "、".join(
                f"{a.get_role_display()}（{a.unit.name}）" for a in u.role_assignments.all()
            ),
        ),
        Column("is_active", "状态", lambda u: "启用" if u.is_active else "停用", sort="is_active"),
    ],
    search=("username__icontains", "display_name__contains"),
    filters=[
        Filter("role", "角色", "role_assignments__role", choices=list(Role.choices)),
        Filter("active", "状态", "is_active", [("1", "启用"), ("0", "停用")], lambda v: v == "1"),
        Filter("locked", "锁定", "username__in", [("1", "已锁定")], lambda _: locked_attempts()),
        Filter(
            "failed",
            "登录失败",
            "username__in",
            [("1", "近期登录失败")],
            lambda _: failed_attempts(),
        ),
        Filter("norole", "未分配角色", "role_assignments__isnull", [("1", "未分配角色")], bool),
        Filter("unit", "单位", "unit", cast=int),
    ],
    default_sort="username",
)


def _users_for_export(user: Any) -> Any:
    return (
        users_for_admin(user)
        .select_related("unit")
        .prefetch_related("role_assignments__unit")
        .distinct()
        .order_by("username")
    )


exportable("users", "账号列表", USER_LIST, _users_for_export, capability="accounts.view")


@login_required
def user_list(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "accounts.view")
    qs = (
        users_for_admin(request.user)
        .select_related("unit")
        .prefetch_related("role_assignments__unit")
        .distinct()
    )
    listing = build(request, USER_LIST, qs)
    locked = locked_usernames(u.username for u in listing.rows)
    template = (
        "accounts/user_list.html#rows"
        if getattr(request, "htmx", False)
        else "accounts/user_list.html"
    )
    return render(
        request,
        template,
        {
            "listing": listing,
            "locked": locked,
            "roles": Role.choices,
            "can_create": has_capability(request.user, "accounts.user_create"),
            "export_url": reverse("core:export", args=["users"]) + "?" + request.GET.urlencode(),
            "page_title": "账号管理",
            "breadcrumbs": [("账号管理", None)],
        },
    )


def _admin_user(request: AuthedHttpRequest, pk: int) -> User:
    require(request.user, "accounts.view")
    user = get_scoped(User, request.user, pk=pk)
    if user.username == "system":
        raise Http404("未找到该记录")
    return user


def _user_detail_context(request: AuthedHttpRequest, target: User, **extra: Any) -> dict[str, Any]:
    actor = request.user
    can_roles = has_capability(actor, "accounts.role_assign")
    ctx: dict[str, Any] = {
        "target": target,
        "assignments": target.role_assignments.select_related("unit").order_by("unit__path"),
        "locked": target.username in locked_usernames([target.username]),
        "can_roles": can_roles,
        "can_edit": has_capability(actor, "accounts.user_update", target.unit),
        "can_reset": has_capability(actor, "accounts.password_reset", target.unit),
        "can_unlock": has_capability(actor, "accounts.user_unlock", target.unit),
        "page_title": f"账号：{target.username}",
        "breadcrumbs": [("账号管理", "/accounts/users/"), (target.username, None)],
    }
    if can_roles:
        ctx["role_form"] = extra.pop("role_form", None) or RoleAssignForm(units=admin_units(actor))
    ctx.update(extra)
    return ctx


@login_required
def user_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _admin_user(request, pk)
    return render(request, "accounts/user_detail.html", _user_detail_context(request, target))


@login_required
def user_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "accounts.user_create")
    form = UserForm(
        request.POST if request.method == "POST" else None, units=admin_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.user_create(
                actor=request.user,
                username=data["username"],
                unit=data["unit"],
                password=data["password"],
                display_name=data["display_name"],
                email=data["email"],
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, f"账号 {user.username} 已创建，首次登录须修改密码")
            return redirect("accounts:user-detail", user.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "page_title": "新建账号",
            "breadcrumbs": [("账号管理", "/accounts/users/"), ("新建账号", None)],
        },
    )


@login_required
def user_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _admin_user(request, pk)
    require(request.user, "accounts.user_update", target.unit)
    initial = {
        "display_name": target.display_name,
        "email": target.email,
        "unit": target.unit_id,
        "is_active": target.is_active,
    }
    form = UserForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=admin_units(request.user),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_update(actor=request.user, user=target, **form.cleaned_data)
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, "账号信息已保存")
            return redirect("accounts:user-detail", target.pk)
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "page_title": f"编辑账号：{target.username}",
            "breadcrumbs": [
                ("账号管理", "/accounts/users/"),
                (target.username, f"/accounts/users/{target.pk}/"),
                ("编辑", None),
            ],
        },
    )


@login_required
def user_password_reset(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _admin_user(request, pk)
    require(request.user, "accounts.password_reset", target.unit)
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.password_reset(
                actor=request.user, user=target, new_password=form.cleaned_data["password"]
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, f"已为 {target.username} 设置临时密码，下次登录时须修改")
            return redirect("accounts:user-detail", target.pk)
    return render(
        request,
        "accounts/password_reset.html",
        {
            "form": form,
            "target": target,
            "page_title": f"重置密码：{target.username}",
            "breadcrumbs": [
                ("账号管理", "/accounts/users/"),
                (target.username, f"/accounts/users/{target.pk}/"),
                ("重置密码", None),
            ],
        },
    )


@login_required
@require_POST
def user_unlock(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _admin_user(request, pk)
    actions.user_unlock(actor=request.user, user=target)
    messages.success(request, f"账号 {target.username} 已解除锁定")
    return redirect("accounts:user-detail", target.pk)


@login_required
@require_POST
def role_assign(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    target = _admin_user(request, pk)
    require(request.user, "accounts.role_assign")
    form = RoleAssignForm(request.POST, units=admin_units(request.user))
    if form.is_valid():
        try:
            actions.role_assign(
                actor=request.user,
                user=target,
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
            )
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, "角色已分配")
            return redirect("accounts:user-detail", target.pk)
    return render(
        request,
        "accounts/user_detail.html",
        _user_detail_context(request, target, role_form=form),
        status=400,
    )


@login_required
@require_POST
def role_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "accounts.role_revoke")
    assignment = (
        RoleAssignment.objects.select_related("unit", "user")
        .filter(pk=pk, user__in=users_for_admin(request.user))
        .first()
    )
    if assignment is None:
        raise Http404("未找到该记录")
    target = assignment.user
    actions.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, f"已撤销角色：{assignment.get_role_display()}（{assignment.unit}）")
    return redirect("accounts:user-detail", target.pk)
