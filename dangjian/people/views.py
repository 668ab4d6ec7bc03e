"""People pages: roster, record, create/edit/leave, the audited full-number reveal, my record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from dangjian.audit.queries import trail
from dangjian.core.errors import ActionError
from dangjian.core.exports import exportable
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.listing import Column, Filter, ListSpec, build
from dangjian.core.scope import get_scoped, has_capability, require
from dangjian.orgs.models import Unit

from . import actions, queries
from .forms import LeaveForm, PersonForm, PersonUpdateForm
from .models import Person

YES_NO = [("1", "是"), ("0", "否")]


def is_htmx(request: AuthedHttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))  # django_htmx's middleware sets request.htmx


PERSON_LIST = ListSpec(
    columns=[
        Column("name", "姓名", lambda p: p.name, sort="name", link=True),
        Column("sex", "性别", lambda p: p.get_sex_display()),
        Column("birth_date", "出生日期", lambda p: p.birth_date, sort="birth_date"),
        Column("id_number", "身份证号", lambda p: p.id_number_masked),
        Column("phone", "手机号码", lambda p: p.phone_masked),
        Column("education", "学历", lambda p: p.get_education_display()),
        Column("job_title", "职务/岗位", lambda p: p.job_title),
        Column("unit", "所在单位", lambda p: p.unit.name, sort="unit__path"),
        Column("is_key_teacher", "骨干教师", lambda p: p.is_key_teacher),
        Column("status", "状态", lambda p: p.get_status_display(), badge="status"),
    ],
    search=("name__contains",),
    filters=[
        Filter("unit", "单位", "unit__path__startswith", cast=queries.unit_path),
        Filter("status", "状态", "status", choices=list(Person.Status.choices)),
        Filter("sex", "性别", "sex", choices=list(Person.Sex.choices)),
        Filter("education", "学历", "education", choices=list(Person.Education.choices)),
        Filter("is_key_teacher", "骨干教师", "is_key_teacher", YES_NO, cast=lambda v: v == "1"),
    ],
    default_sort="unit",
)
exportable("people", "人员名册", PERSON_LIST, queries.people)


def _import_url() -> str:
    try:
        return reverse("imports:import-start", args=["people"])
    except NoReverseMatch:  # the import pages are not installed in this URLconf
        return ""


@login_required
def person_list(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "people.view")
    listing = build(request, PERSON_LIST, queries.people(request.user))
    context = {
        "listing": listing,
        "unit_choices": queries.unit_filter_choices(request.user),
        "can_create": has_capability(request.user, "people.person_create"),
        "import_url": _import_url() if has_capability(request.user, "core.import") else "",
        "can_export": has_capability(request.user, "core.export"),
        "query_string": request.GET.urlencode(),
        "page_title": "人员",
        "breadcrumbs": [("人员", None)],
    }
    if is_htmx(request):
        return render(request, "people/person_list.html#rows", context)
    return render(request, "people/person_list.html", context)


def _detail_context(request: AuthedHttpRequest, person: Person) -> dict[str, Any]:
    user = request.user
    editable = person.unit.is_active
    return {
        "person": person,
        "posts": list(queries.posts_of(user, person)),
        "exchanges": list(queries.exchanges_of(user, person)),
        "liaisons": list(queries.liaisons_of(user, person)),
        "trail": trail(person),
        "can_view_pii": has_capability(user, "people.person_view_pii", person.unit),
        "can_edit": editable and has_capability(user, "people.person_update", person.unit),
        "can_leave": editable
        and person.status == Person.Status.ACTIVE
        and has_capability(user, "people.person_leave", person.unit),
        "page_title": person.name,
        "breadcrumbs": [("人员", "/people/"), (person.name, None)],
    }


@login_required
def person_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    require(request.user, "people.view")
    person = get_scoped(Person, request.user, pk=pk)
    return render(request, "people/person_detail.html", _detail_context(request, person))


@login_required
@require_POST
def person_pii(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    person = get_scoped(Person, request.user, pk=pk)
    pii = actions.person_view_pii(actor=request.user, person=person)
    if is_htmx(request):
        return render(request, "people/_pii.html", {"person": person, "pii": pii})
    context = _detail_context(request, person) | {"pii": pii}
    return render(request, "people/person_detail.html", context)


def _unit_initial(request: AuthedHttpRequest) -> dict[str, Any]:
    pk = request.GET.get("unit", "")
    if not pk.isdigit():
        return {}
    unit = Unit.objects.for_user(request.user).filter(pk=pk, status=Unit.Status.ACTIVE).first()
    return {"unit": unit} if unit else {}


@login_required
def person_create(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "people.person_create")
    if request.method == "POST":
        form = PersonForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = actions.person_create(actor=request.user, **data)
            except ActionError as exc:
                form.add_action_error(exc)
            else:
                return redirect(person)
    else:
        form = PersonForm(user=request.user, initial=_unit_initial(request))
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "page_title": "新增人员",
            "breadcrumbs": [("人员", "/people/"), ("新增人员", None)],
        },
    )


@login_required
def person_update(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    person = get_scoped(Person, request.user, pk=pk)
    require(request.user, "people.person_update", person.unit)
    if request.method == "POST":
        form = PersonUpdateForm(request.POST, user=request.user)
        if form.is_valid():
            changes = form.changes(person)
            try:
                if changes:
                    actions.person_update(actor=request.user, person=person, **changes)
            except ActionError as exc:
                form.add_action_error(exc)
            else:
                return redirect(person)
    else:
        initial = {
            k: getattr(person, k)
            for k in (
                "name",
                "id_type",
                "sex",
                "birth_date",
                "education",
                "job_title",
                "is_teacher",
                "is_key_teacher",
            )
        }
        form = PersonUpdateForm(user=request.user, initial=initial)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "page_title": f"修改：{person.name}",
            "breadcrumbs": [
                ("人员", "/people/"),
                (person.name, person.get_absolute_url()),
                ("修改", None),
            ],
        },
    )


@login_required
def person_leave(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    person = get_scoped(Person, request.user, pk=pk)
    require(request.user, "people.person_leave", person.unit)
    if request.method == "POST":
        form = LeaveForm(request.POST)
        if form.is_valid():
            try:
                actions.person_leave(
                    actor=request.user, person=person, status=form.cleaned_data["status"]
                )
            except ActionError as exc:
                form.add_action_error(exc)
            else:
                return redirect(person)
    else:
        form = LeaveForm()
    return render(
        request,
        "people/person_leave.html",
        {
            "form": form,
            "person": person,
            "page_title": f"办理离开/退休：{person.name}",
            "breadcrumbs": [
                ("人员", "/people/"),
                (person.name, person.get_absolute_url()),
                ("办理离开/退休", None),
            ],
        },
    )


def _own_person(request: AuthedHttpRequest) -> Person | None:
    pk = request.user.person_id
    return Person.objects.select_related("unit").filter(pk=pk).first() if pk else None


@login_required
def me(request: AuthedHttpRequest) -> HttpResponse:
    return render(
        request,
        "people/person_me.html",
        {
            "person": _own_person(request),
            "page_title": "我的档案",
            "breadcrumbs": [("我的档案", None)],
        },
    )


@login_required
@require_POST
def me_pii(request: AuthedHttpRequest) -> HttpResponse:
    person = _own_person(request)
    if person is None:
        return redirect("people:me")
    # the member's own record: the action allows it without the PII capability (audited)
    pii = actions.person_view_pii(actor=request.user, person=person)
    if is_htmx(request):
        return render(request, "people/_pii.html", {"person": person, "pii": pii})
    return render(
        request,
        "people/person_me.html",
        {
            "person": person,
            "pii": pii,
            "page_title": "我的档案",
            "breadcrumbs": [("我的档案", None)],
        },
    )
