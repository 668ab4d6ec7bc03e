"""People over /api/v1/: ID numbers and phones masked; full values only via the audited /pii."""

import datetime as dt

from django.db.models import Q, QuerySet
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, In, Page, Ref, changes_of, label, mf, ref, register_labels
from dangjian.core.scope import get_scoped
from dangjian.orgs.models import Unit

from . import actions, crypto
from .models import Person
from .rules import normalize_id_number

router = Router(tags=["人员"])


class PersonOut(Schema):
    id: int
    name: str
    unit: Ref
    id_type: str
    id_number_masked: str = Field(..., title="身份证号（脱敏）")
    phone_masked: str = Field(..., title="手机号码（脱敏）")
    birth_date: dt.date | None
    sex: str
    education: str
    job_title: str
    is_teacher: bool
    is_key_teacher: bool
    status: str
    status_label: str
    url: str

    @staticmethod
    def resolve_status_label(obj: Person) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: Person) -> str:
        return obj.get_absolute_url()


class PiiOut(Schema):
    id: int
    id_number: str = Field(..., title="身份证号")
    phone: str = Field(..., title="手机号码")


class PersonFilter(FilterSchema):
    status: Person.Status | None = Field(None, title=label(Person, "status"))
    q: str | None = Field(None, title="搜索", description="姓名包含，或完整身份证号")

    def filter_q(self, value: str | None) -> Q:
        value = (value or "").strip()
        if not value:
            return Q()
        by_number = Q(id_number_index=crypto.blind_index(normalize_id_number(value)))
        return Q(name__contains=value) | by_number


class PersonCreate(In):
    unit: int = mf(Person, "unit")
    name: str = mf(Person, "name")
    id_number: str = Field(..., title="身份证号", max_length=32)
    id_type: Person.IdType = mf(Person, "id_type", Person.IdType.RESIDENT)
    birth_date: dt.date | None = mf(Person, "birth_date", None)
    sex: Person.Sex | None = mf(Person, "sex", None, description="居民身份证可省略，由号码推出")
    phone: str = Field("", title="手机号码", max_length=20)
    education: Person.Education | None = mf(Person, "education", None)
    job_title: str = mf(Person, "job_title", "")
    is_teacher: bool = mf(Person, "is_teacher", True)
    is_key_teacher: bool = mf(Person, "is_key_teacher", False)


class PersonPatch(In):
    name: str | None = mf(Person, "name", None)
    id_number: str | None = Field(None, title="身份证号", max_length=32)
    id_type: Person.IdType | None = mf(Person, "id_type", None)
    birth_date: dt.date | None = mf(Person, "birth_date", None)
    sex: Person.Sex | None = mf(Person, "sex", None)
    phone: str | None = Field(None, title="手机号码", max_length=20)
    education: Person.Education | None = mf(Person, "education", None)
    job_title: str | None = mf(Person, "job_title", None)
    is_teacher: bool | None = mf(Person, "is_teacher", None)
    is_key_teacher: bool | None = mf(Person, "is_key_teacher", None)


register_labels("people", PersonFilter, PersonCreate, PersonPatch)


def _person(request: AuthedHttpRequest, pk: int) -> Person:
    """A person in scope; a member may always read their own record."""
    if request.user.person_id == pk:
        own = Person.objects.select_related("unit").filter(pk=pk).first()
        if own is not None:
            return own
    return get_scoped(Person, request.user, pk=pk)


@router.get(
    "/people", response={200: list[PersonOut], **ERRORS}, url_name="person-list", summary="人员列表"
)
@paginate(Page)
def person_list(
    request: AuthedHttpRequest,
    filters: Query[PersonFilter],
    unit: int | None = Query(
        None, title=label(Person, "unit"), description="该单位及其下级单位（须在本人可见范围内）"
    ),
) -> QuerySet[Person]:
    """人员列表；`unit` 取该单位及其下级单位的人员。身份证号、手机号码均为脱敏值。"""
    qs = Person.objects.for_user(request.user).select_related("unit")
    if unit is not None:
        qs = qs.in_subtree(get_scoped(Unit, request.user, pk=unit))
    return filters.filter(qs)


@router.get(
    "/people/{pk}",
    response={200: PersonOut, **ERRORS},
    url_name="person-detail",
    summary="人员详情",
)
def person_detail(request: AuthedHttpRequest, pk: int) -> Person:
    return _person(request, pk)


@router.get(
    "/people/{pk}/pii",
    response={200: PiiOut, **ERRORS},
    url_name="person-pii",
    summary="查看完整身份证号和手机号（留痕）",
)
def person_pii(request: AuthedHttpRequest, pk: int) -> dict[str, object]:
    """完整身份证号和手机号码：需要相应权限，每次查看都记入审计日志。"""
    person = _person(request, pk)
    values = actions.person_view_pii(actor=request.user, person=person)
    return {"id": person.pk, **values}


@router.post(
    "/people", response={201: PersonOut, **ERRORS}, url_name="person-create", summary="新增人员"
)
def person_create(request: AuthedHttpRequest, payload: PersonCreate) -> Status:
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(request.user), data.pop("unit"), "unit", label(Person, "unit"))
    data["sex"] = data["sex"] or ""
    data["education"] = data["education"] or ""
    return Status(201, actions.person_create(actor=request.user, unit=unit, **data))


@router.patch(
    "/people/{pk}",
    response={200: PersonOut, **ERRORS},
    url_name="person-update",
    summary="修改人员",
)
def person_update(request: AuthedHttpRequest, pk: int, payload: PersonPatch) -> Person:
    person = get_scoped(Person, request.user, pk=pk)
    changes = changes_of(payload, Person, blank=("sex", "education"))
    return actions.person_update(actor=request.user, person=person, **changes)
