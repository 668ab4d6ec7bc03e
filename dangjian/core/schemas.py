"""Shared pieces of the REST API: error schema, pagination, model-derived fields, references."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import ConfigDict

from dangjian import api_errors
from dangjian.core.errors import ActionError

M = TypeVar("M", bound=models.Model)

PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


class ErrorOut(Schema):
    field: str | None = Field(None, title="字段")
    label: str | None = Field(None, title="字段名称")
    message: str = Field(..., title="说明")


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class Page(PageNumberPagination):
    """?page=N&page_size=K (default 25, at most 100); the answer carries `count`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


class In(Schema):
    """Base of request bodies: enum members arrive as their plain values, unknown keys refused."""

    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class Ref(Schema):
    id: int
    name: str


def label(model: type[models.Model], name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def mf(model: type[models.Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """A schema field titled with the model field's Chinese name, with its max_length."""
    field = model._meta.get_field(name)
    kwargs.setdefault("title", str(getattr(field, "verbose_name", name)))
    max_length = getattr(field, "max_length", None)
    if max_length and isinstance(field, models.CharField | models.TextField):
        kwargs.setdefault("max_length", max_length)
    return Field(default, **kwargs)


def register_labels(resource: str, *schemas: type[Schema]) -> None:
    """Field titles of `schemas` become the Chinese labels of 400s under `resource`."""
    labels = api_errors.RESOURCE_LABELS.setdefault(resource, {})
    for schema in schemas:
        for name, info in schema.model_fields.items():
            if info.title:
                labels.setdefault(name, info.title)


def ref(queryset: models.QuerySet[M], pk: int, field: str, field_label: str) -> M:
    """An object named by id in a request body; missing and out of scope read the same (400)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ActionError(f"「{field_label}」：未找到该记录", field=field, label=field_label)
    return obj


def ref_or_none(
    queryset: models.QuerySet[M], pk: int | None, field: str, field_label: str
) -> M | None:
    return None if pk is None else ref(queryset, pk, field, field_label)


def changes_of(
    payload: Schema, model: type[models.Model], blank: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The fields a PATCH body sets; null only where the model field allows it.

    `blank` names optional choice fields stored as "" (e.g. sex): null clears them.
    """
    changes = payload.model_dump(exclude_unset=True)
    titles = type(payload).model_fields
    for name, value in changes.items():
        if value is not None:
            continue
        if name in blank:
            changes[name] = ""
            continue
        try:
            nullable = bool(getattr(model._meta.get_field(name), "null", False))
        except FieldDoesNotExist:  # a body field that is not a model column (e.g. id_number)
            nullable = False
        if not nullable:
            title = titles[name].title or name
            raise ActionError(f"「{title}」：不能为空", field=name, label=title)
    return changes
