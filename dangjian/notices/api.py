"""The user's own notices over /api/v1/: list (newest first) and mark read."""

import datetime as dt

from django.db.models import QuerySet
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from dangjian.core.http import AuthedHttpRequest
from dangjian.core.schemas import ERRORS, Page, Ref
from dangjian.core.scope import get_scoped

from . import actions, queries
from .models import Notice

router = Router(tags=["提醒"])


class NoticeOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    url: str
    unit: Ref
    created_at: dt.datetime
    read_at: dt.datetime | None
    read: bool

    @staticmethod
    def resolve_kind_label(obj: Notice) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_read(obj: Notice) -> bool:
        return obj.read_at is not None


class NoticeFilter(FilterSchema):
    unread: bool | None = Field(None, title="只看未读", description="true：只列未读的提醒")
    kind: Notice.Kind | None = Field(None, title="类型")

    def filter_unread(self, value: bool | None) -> object:
        from django.db.models import Q

        return Q(read_at__isnull=True) if value else Q()


class ReadAllOut(Schema):
    marked: int = Field(..., title="标为已读的条数")


@router.get(
    "/notices",
    response={200: list[NoticeOut], **ERRORS},
    url_name="notice-list",
    summary="我的提醒",
)
@paginate(Page)
def notice_list(request: AuthedHttpRequest, filters: Query[NoticeFilter]) -> QuerySet[Notice]:
    """本人的提醒（整改到期、逾期和督办），新的在前。只能看到发给自己的提醒。"""
    return filters.filter(queries.notices_for(request.user)).order_by("-created_at", "-id")


@router.post(
    "/notices/{pk}/read",
    response={200: NoticeOut, **ERRORS},
    url_name="notice-read",
    summary="标为已读",
)
def notice_read(request: AuthedHttpRequest, pk: int) -> Notice:
    notice = get_scoped(Notice, request.user, pk=pk)
    return actions.notice_read(actor=request.user, notice=notice)


@router.post(
    "/notices/read-all",
    response={200: ReadAllOut, **ERRORS},
    url_name="notice-read-all",
    summary="全部标为已读",
)
def notice_read_all(request: AuthedHttpRequest) -> dict[str, int]:
    return {"marked": actions.notices_read_all(actor=request.user)}
