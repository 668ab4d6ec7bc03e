"""People pages: scope, masking, the audited reveal, forms with Chinese errors, my record."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import make_id_number
from dangjian.audit.models import AuditEntry
from dangjian.people.models import Person

pytestmark = pytest.mark.django_db


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


def test_person_list_masks_numbers_and_hides_sibling_school(
    client: Any, secretary_a: Any, person_a: Any, person_b: Any
) -> None:
    login(client, secretary_a)
    response = client.get(reverse("people:person-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "李红梅" in html
    assert "张建国" not in html
    number = person_a._id_number_plain()
    assert number not in html
    assert person_a.id_number_masked in html
    assert person_a._phone_plain() not in html
    assert person_a.phone_masked in html


def test_person_list_filters_unit_subtree_and_search(
    client: Any, bureau_admin: Any, county: dict[str, Any], person_a: Any, person_b: Any
) -> None:
    login(client, bureau_admin)
    url = reverse("people:person-list")
    html = client.get(url, {"unit": county["a"].pk}).content.decode()
    assert "李红梅" in html and "张建国" not in html
    html = client.get(url, {"unit": county["district"].pk}).content.decode()
    assert "李红梅" in html and "张建国" in html
    html = client.get(url, {"q": "建国"}).content.decode()
    assert "李红梅" not in html and "张建国" in html
    html = client.get(url, {"education": "bachelor"}).content.decode()
    assert "李红梅" in html and "张建国" not in html


def test_person_list_htmx_renders_rows_partial(
    client: Any, secretary_a: Any, person_a: Any
) -> None:
    login(client, secretary_a)
    response = client.get(reverse("people:person-list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rows"')
    assert "李红梅" in html
    assert "<html" not in html


def test_person_list_constant_queries(
    client: Any,
    secretary_a: Any,
    county: dict[str, Any],
    make_person: Any,
    assert_constant_queries: Any,
) -> None:
    login(client, secretary_a)
    client.get(reverse("people:person-list"))  # the first request of a session saves it

    def add(n: int) -> None:
        for _ in range(n):
            make_person(county["a"])

    assert_constant_queries(client, reverse("people:person-list"), add)


def test_person_export_contains_masked_values_only(
    client: Any, bureau_admin: Any, person_a: Any
) -> None:
    import io

    from openpyxl import load_workbook

    login(client, bureau_admin)
    response = client.get(reverse("core:export", args=["people"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [str(c) for row in wb.worksheets[0].iter_rows(values_only=True) for c in row]
    assert person_a.id_number_masked in values
    assert person_a._id_number_plain() not in values
    assert person_a._phone_plain() not in values


def test_person_detail_sibling_school_is_404(client: Any, secretary_a: Any, person_b: Any) -> None:
    login(client, secretary_a)
    assert client.get(reverse("people:person-detail", args=[person_b.pk])).status_code == 404
    url = reverse("people:person-pii", args=[person_b.pk])
    count = AuditEntry.objects.count()
    assert client.post(url).status_code == 404
    assert AuditEntry.objects.count() == count


def test_person_detail_shows_record_posts_and_timeline(
    client: Any, secretary_a: Any, system: Any, county: dict[str, Any], person_a: Any
) -> None:
    import datetime as dt

    from dangjian.orgs.actions import partyorg_create, post_create

    org = partyorg_create(actor=system, unit=county["a"], name="第一中学党支部", kind="branch")
    post_create(
        actor=system, org=org, person=person_a, title="secretary", started_on=dt.date(2023, 1, 1)
    )
    login(client, secretary_a)
    html = client.get(reverse("people:person-detail", args=[person_a.pk])).content.decode()
    assert "第一中学党支部" in html and "书记" in html
    assert "新增人员" in html  # the audit timeline
    assert person_a.id_number_masked in html
    assert person_a._id_number_plain() not in html
    assert "显示完整号码" in html


def test_person_pii_reveal_is_audited_once(client: Any, secretary_a: Any, person_a: Any) -> None:
    login(client, secretary_a)
    count = AuditEntry.objects.filter(action="people.person_view_pii").count()
    response = client.post(reverse("people:person-pii", args=[person_a.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert person_a._id_number_plain() in html
    assert person_a._phone_plain() in html
    entries = AuditEntry.objects.filter(action="people.person_view_pii")
    assert entries.count() == count + 1
    entry = entries.order_by("-id").first()
    assert entry is not None
    assert entry.object_id == str(person_a.pk)
    assert entry.actor_id == secretary_a.pk


def test_person_pii_needs_capability(
    client: Any, clerk_a: Any, person_a: Any, assert_unchanged: Any
) -> None:
    login(client, clerk_a)
    html = client.get(reverse("people:person-detail", args=[person_a.pk])).content.decode()
    assert "显示完整号码" not in html
    with assert_unchanged(person_a):
        response = client.post(reverse("people:person-pii", args=[person_a.pk]))
        assert response.status_code == 403


def test_person_pii_anonymous_redirects_to_login(client: Any, person_a: Any) -> None:
    response = client.post(reverse("people:person-pii", args=[person_a.pk]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_person_create_keeps_input_and_names_field(
    client: Any, secretary_a: Any, county: dict[str, Any]
) -> None:
    login(client, secretary_a)
    url = reverse("people:person-create")
    bad = make_id_number(7)[:-1] + ("0" if make_id_number(7)[-1] != "0" else "1")
    response = client.post(
        url,
        {
            "name": "周晓燕",
            "id_type": "resident",
            "id_number": bad,
            "phone": "13900001111",
            "unit": county["a"].pk,
            "is_teacher": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    expected = make_id_number(7)[-1]
    assert f"「身份证号」：校验位错误，应为{expected}" in html
    assert 'value="周晓燕"' in html
    assert f'value="{bad}"' in html
    assert not Person.objects.filter(name="周晓燕").exists()


def test_person_create_writes_through_action(
    client: Any, secretary_a: Any, county: dict[str, Any]
) -> None:
    login(client, secretary_a)
    number = make_id_number(9)
    response = client.post(
        reverse("people:person-create"),
        {
            "name": "周晓燕",
            "id_type": "resident",
            "id_number": number,
            "phone": "13900001111",
            "education": "master",
            "unit": county["a"].pk,
        },
    )
    person = Person.objects.get(name="周晓燕")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.sex == "M" and person.education == "master"
    assert AuditEntry.objects.filter(
        action="people.person_create", object_id=str(person.pk)
    ).exists()


def test_person_create_unit_limited_to_scope(
    client: Any, secretary_a: Any, county: dict[str, Any]
) -> None:
    login(client, secretary_a)
    response = client.get(reverse("people:person-create"), {"unit": county["a"].pk})
    html = response.content.decode()
    assert "青山县第一中学" in html and "城关镇中心小学" not in html
    response = client.post(
        reverse("people:person-create"),
        {
            "name": "周晓燕",
            "id_type": "resident",
            "id_number": make_id_number(11),
            "unit": county["b"].pk,
        },
    )
    assert response.status_code == 200
    assert not Person.objects.filter(name="周晓燕").exists()


def test_person_update_changes_name_keeps_number(
    client: Any, secretary_a: Any, person_a: Any
) -> None:
    login(client, secretary_a)
    url = reverse("people:person-update", args=[person_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "李红",
            "id_type": "resident",
            "education": "bachelor",
            "job_title": "语文教师",
            "is_teacher": "on",
        },
    )
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.name == "李红"
    assert person_a._id_number_plain() == make_id_number(101)


def test_person_update_sibling_school_is_404(
    client: Any, secretary_a: Any, person_b: Any, assert_unchanged: Any
) -> None:
    login(client, secretary_a)
    with assert_unchanged(person_b):
        url = reverse("people:person-update", args=[person_b.pk])
        assert client.post(url, {"name": "改名"}).status_code == 404


def test_person_leave_sets_status(client: Any, secretary_a: Any, person_a: Any) -> None:
    login(client, secretary_a)
    url = reverse("people:person-leave", args=[person_a.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "retired"}).status_code == 302
    person_a.refresh_from_db()
    assert person_a.status == Person.Status.RETIRED
    # retired is final: a second request is refused with a message, nothing changes
    response = client.post(url, {"status": "left"})
    assert response.status_code == 200
    person_a.refresh_from_db()
    assert person_a.status == Person.Status.RETIRED


def test_me_shows_own_record_and_reveals_number(client: Any, member_a: Any, person_a: Any) -> None:
    login(client, member_a)
    html = client.get(reverse("people:me")).content.decode()
    assert "李红梅" in html and person_a.id_number_masked in html
    assert person_a._id_number_plain() not in html
    count = AuditEntry.objects.count()
    response = client.post(reverse("people:me-pii"), HTTP_HX_REQUEST="true")
    assert person_a._id_number_plain() in response.content.decode()
    assert AuditEntry.objects.count() == count + 1


def test_me_member_cannot_open_other_records(
    client: Any, member_a: Any, person_a: Any, person_b: Any
) -> None:
    login(client, member_a)
    assert client.get(reverse("people:person-detail", args=[person_a.pk])).status_code in (
        403,
        404,
    )
    assert client.post(reverse("people:person-pii", args=[person_b.pk])).status_code == 404


def test_me_without_linked_person(client: Any, secretary_a: Any) -> None:
    login(client, secretary_a)
    html = client.get(reverse("people:me")).content.decode()
    assert "尚未关联人员档案" in html
