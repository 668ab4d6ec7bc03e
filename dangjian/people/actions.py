"""Every change to people, and the audited read of full ID numbers and phones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from dangjian.audit.log import record
from dangjian.core.actions_util import assign
from dangjian.core.errors import ActionError
from dangjian.core.scope import require
from dangjian.core.transitions import move

from . import crypto
from .models import Person
from .rules import check_id_number, mask_id_number, mask_phone, normalize_id_number

PERSON_FIELDS = {
    "name",
    "id_type",
    "id_number",
    "birth_date",
    "sex",
    "phone",
    "education",
    "job_title",
    "is_teacher",
    "is_key_teacher",
    "unit",
}


def _err(field: str, label: str, message: str) -> ActionError:
    return ActionError(f"「{label}」：{message}", field=field, label=label)


def clean_identity(
    *,
    id_type: str,
    id_number: str,
    birth_date: dt.date | None,
    sex: str,
    today: dt.date,
) -> tuple[str, dt.date | None, str]:
    """Validate the ID number and reconcile derived birth date and sex (RULES.md §8.2)."""
    number = normalize_id_number(id_number)
    if not number:
        raise _err("id_number", "身份证号", "不能为空")
    if id_type != Person.IdType.RESIDENT:
        return number, birth_date, sex
    check = check_id_number(number, today)
    if not check.valid:
        raise _err("id_number", "身份证号", check.error)
    if birth_date is not None and birth_date != check.birth_date:
        raise _err("birth_date", "出生日期", "与身份证号中的出生日期不一致")
    if sex and sex != check.sex:
        raise _err("sex", "性别", "与身份证号中的性别不一致")
    return number, check.birth_date, check.sex


def id_number_taken(number: str, exclude_pk: int | None = None) -> bool:
    return (
        Person.objects.filter(id_number_index=crypto.blind_index(number))
        .exclude(pk=exclude_pk)
        .exists()
    )


def _set_identity(person: Person, number: str) -> None:
    person.id_number_enc = crypto.encrypt(number)
    person.id_number_index = crypto.blind_index(number)
    person.id_number_masked = mask_id_number(number)


def _set_phone(person: Person, phone: str) -> None:
    phone = phone.strip()
    if phone and (not phone.isdigit() or len(phone) not in (11, 12)):
        raise _err("phone", "手机号码", "应为11位手机号码或12位固定电话")
    person.phone_enc = crypto.encrypt(phone)
    person.phone_masked = mask_phone(phone) if phone else ""


@transaction.atomic
def person_create(
    *,
    actor: Any,
    unit: Any,
    name: str,
    id_number: str,
    id_type: str = Person.IdType.RESIDENT,
    birth_date: dt.date | None = None,
    sex: str = "",
    phone: str = "",
    education: str = "",
    job_title: str = "",
    is_teacher: bool = True,
    is_key_teacher: bool = False,
    today: dt.date | None = None,
) -> Person:
    require(actor, "people.person_create", unit)
    if not unit.is_active:
        raise _err("unit", "所在单位", f"{unit.name}已撤并，不能新增人员")
    if not name.strip():
        raise _err("name", "姓名", "不能为空")
    number, birth_date, sex = clean_identity(
        id_type=id_type,
        id_number=id_number,
        birth_date=birth_date,
        sex=sex,
        today=today or timezone.localdate(),
    )
    if id_number_taken(number):
        raise _err("id_number", "身份证号", "该身份证号已在本平台登记，同一人只能有一条记录")
    person = Person(
        unit=unit,
        name=name.strip(),
        id_type=id_type,
        birth_date=birth_date,
        sex=sex,
        education=education,
        job_title=job_title,
        is_teacher=is_teacher,
        is_key_teacher=is_key_teacher,
    )
    _set_identity(person, number)
    _set_phone(person, phone)
    person.save()
    record(actor, "people.person_create", person)
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, today: dt.date | None = None, **changes: Any
) -> Person:
    require(actor, "people.person_update", person.unit)
    unknown = set(changes) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"unknown person fields {unknown}")
    if "unit" in changes and changes["unit"].pk != person.unit_id:
        raise _err("unit", "所在单位", "调动请使用“交流轮岗”办理")
    changes.pop("unit", None)
    if not person.unit.is_active:
        raise ActionError(f"{person.unit.name}已撤并，其记录只读")
    if "name" in changes and not str(changes["name"]).strip():
        raise _err("name", "姓名", "不能为空")
    before = assign(person, {})
    identity_keys = {"id_type", "id_number", "birth_date", "sex"}
    if identity_keys & set(changes):
        number = changes.pop("id_number", None) or person._id_number_plain()
        number, birth, sex = clean_identity(
            id_type=changes.pop("id_type", person.id_type),
            id_number=number,
            birth_date=changes.pop("birth_date", None),
            sex=changes.pop("sex", ""),
            today=today or timezone.localdate(),
        )
        if id_number_taken(number, exclude_pk=person.pk):
            raise _err("id_number", "身份证号", "该身份证号已在本平台登记，同一人只能有一条记录")
        _set_identity(person, number)
        person.birth_date, person.sex = birth, sex
    if "phone" in changes:
        _set_phone(person, changes.pop("phone") or "")
    for key, value in changes.items():
        setattr(person, key, value)
    person.save()
    record(actor, "people.person_update", person, before=before)
    return person


@transaction.atomic
def person_leave(*, actor: Any, person: Person, status: str) -> Person:
    require(actor, "people.person_leave", person.unit)
    before = assign(person, {})
    move(person, status)
    person.save(update_fields=["status"])
    record(actor, "people.person_leave", person, before=before)
    return person


@transaction.atomic
def person_view_pii(*, actor: Any, person: Person) -> dict[str, str]:
    """Full ID number and phone; needs the PII capability (or it is the member's own record)."""
    # a member may always read their own record; anyone else needs the capability
    if getattr(actor, "person_id", None) != person.pk:
        require(actor, "people.person_view_pii", person.unit)
    record(actor, "people.person_view_pii", person, take_after=False)
    return {"id_number": person._id_number_plain(), "phone": person._phone_plain()}
