"""Bulletins over /api/v1/bulletins: the issued history with the figures frozen at issue, drafts,
examples, issuing and the Word document."""

import datetime as dt
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import FileResponse
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from dangjian.core.documents import DOCX
from dangjian.core.errors import ActionError, OutOfScope
from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import (
    ERRORS,
    In,
    Page,
    Ref,
    label,
    mf,
    ref,
    ref_or_none,
    register_labels,
)
from dangjian.core.scope import get_scoped, require
from dangjian.orgs.models import Unit
from dangjian.rectification.models import Finding

from . import actions, queries
from .models import Bulletin, Example

router = Router(tags=["督导通报"])


class ExampleOut(Schema):
    id: int
    kind: str
    kind_label: str
    unit: Ref
    finding: int | None = Field(None, alias="finding_id")
    text: str

    @staticmethod
    def resolve_kind_label(obj: Example) -> str:
        return obj.get_kind_display()


class BulletinOut(Schema):
    id: int
    unit: Ref
    month: str
    title: str
    status: str
    status_label: str
    number: int | None
    number_label: str
    issued_on: dt.date | None
    url: str
    document_url: str | None

    @staticmethod
    def resolve_month(obj: Bulletin) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_status_label(obj: Bulletin) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: Bulletin) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_document_url(obj: Bulletin) -> str | None:
        if obj.status != Bulletin.Status.ISSUED:
            return None
        return f"/api/v1/bulletins/{obj.pk}/document"


class BulletinDetailOut(BulletinOut):
    summary: str
    requirements: str
    content: dict[str, Any] = Field(
        ..., description="签发时固定的数据：figures（指标、数值、分项）、schools（各校情况）、as_of"
    )
    examples: list[ExampleOut]

    @staticmethod
    def resolve_examples(obj: Bulletin) -> list[Example]:
        return list(obj.examples.select_related("unit"))


class BulletinFilter(FilterSchema):
    status: Annotated[Bulletin.Status | None, FilterLookup("status")] = Field(None, title="状态")
    unit: int | None = Field(None, title="单位", description="该单位及下级单位")
    year: Annotated[int | None, FilterLookup("month__year")] = Field(None, title="年度")

    def filter_unit(self, value: int | None) -> Q:
        return Q(unit__path__contains=f"/{value}/") if value else Q()


class BulletinCreate(In):
    unit: int = mf(Bulletin, "unit")
    month: str = Field(..., title="通报月份", pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    title: str = mf(Bulletin, "title", "")
    summary: str = mf(Bulletin, "summary", "")
    requirements: str = mf(Bulletin, "requirements", "")


class ExampleCreate(In):
    kind: Example.Kind = mf(Example, "kind")
    unit: int = mf(Example, "unit")
    finding: int | None = Field(None, title="关联问题")
    text: str = mf(Example, "text")


register_labels("bulletins", BulletinFilter, BulletinCreate, ExampleCreate)


def _bulletin(request: AuthedHttpRequest, pk: int) -> Bulletin:
    try:
        bulletin = Bulletin.objects.for_user(request.user).select_related("unit").get(pk=pk)
    except Bulletin.DoesNotExist as exc:
        raise OutOfScope("未找到该记录") from exc
    # the queryset decided what the reader sees (their subtree, or issued from above)
    require(request.user, "bulletins.view")
    return bulletin


@router.get(
    "/bulletins",
    response={200: list[BulletinOut], **ERRORS},
    url_name="bulletin-list",
    summary="督导通报列表",
)
@paginate(Page)
def bulletin_list(request: AuthedHttpRequest, filters: Query[BulletinFilter]) -> QuerySet[Bulletin]:
    """本人可见范围内的督导通报（含草稿），月份新的在前。"""
    require(request.user, "bulletins.view")
    return filters.filter(queries.bulletins_for(request.user)).order_by("-month", "-id")


@router.get(
    "/bulletins/{pk}",
    response={200: BulletinDetailOut, **ERRORS},
    url_name="bulletin-detail",
    summary="督导通报详情",
)
def bulletin_detail(request: AuthedHttpRequest, pk: int) -> Bulletin:
    """已印发的通报带签发时固定的数据；草稿的 content 为空（页面上显示实时统计）。"""
    return _bulletin(request, pk)


@router.post(
    "/bulletins",
    response={201: BulletinDetailOut, **ERRORS},
    url_name="bulletin-create",
    summary="起草督导通报",
)
def bulletin_create(request: AuthedHttpRequest, payload: BulletinCreate) -> Status:
    """一个单位每月一期；月份不能晚于本月。"""
    user = request.user
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(user), data.pop("unit"), "unit", label(Bulletin, "unit"))
    year, month = (int(p) for p in data.pop("month").split("-"))
    if not 1 <= month <= 12:
        raise ActionError("「通报月份」：请填写有效的月份", "month", "通报月份")
    bulletin = actions.bulletin_create(
        actor=user, unit=unit, month=dt.date(year, month, 1), today=timezone.localdate(), **data
    )
    return Status(201, bulletin)


@router.post(
    "/bulletins/{pk}/examples",
    response={201: ExampleOut, **ERRORS},
    url_name="bulletin-example-create",
    summary="添加通报典型",
)
def example_create(request: AuthedHttpRequest, pk: int, payload: ExampleCreate) -> Status:
    user = request.user
    bulletin = _bulletin(request, pk)
    data = payload.model_dump()
    unit = ref(Unit.objects.for_user(user), data.pop("unit"), "unit", label(Example, "unit"))
    finding_id = data.pop("finding")
    finding = ref_or_none(
        Finding.objects.for_user(user), finding_id, "finding", label(Example, "finding")
    )
    example = actions.example_add(actor=user, bulletin=bulletin, unit=unit, finding=finding, **data)
    return Status(201, example)


@router.post(
    "/bulletins/examples/{pk}/remove",
    response={204: None, **ERRORS},
    url_name="bulletin-example-remove",
    summary="删除通报典型",
)
def example_remove(request: AuthedHttpRequest, pk: int) -> Status:
    example = get_scoped(Example, request.user, pk=pk)
    actions.example_remove(actor=request.user, example=example)
    return Status(204, None)


@router.post(
    "/bulletins/{pk}/issue",
    response={200: BulletinDetailOut, **ERRORS},
    url_name="bulletin-issue",
    summary="签发督导通报",
)
def bulletin_issue(request: AuthedHttpRequest, pk: int) -> Bulletin:
    """按今天固定通报数据并排队生成 Word 文件；状态变为“生成中”，生成后为“已印发”。"""
    bulletin = actions.bulletin_issue(actor=request.user, bulletin=_bulletin(request, pk))
    return queries.bulletins_for(request.user).get(pk=bulletin.pk)


@router.get(
    "/bulletins/{pk}/document",
    response={200: None, **ERRORS},
    url_name="bulletin-document",
    summary="下载通报（Word）",
)
def bulletin_document(request: AuthedHttpRequest, pk: int) -> FileResponse:
    bulletin = _bulletin(request, pk)
    if bulletin.status != Bulletin.Status.ISSUED or not bulletin.file:
        raise OutOfScope("通报文件尚未生成")
    return FileResponse(
        bulletin.file.open("rb"),
        as_attachment=True,
        filename=f"{bulletin.title}.docx",
        content_type=DOCX,
    )
