"""/api/v1/people: scope, masking, audited PII, Chinese 400s, refusals, auth, N+1."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import make_id_number
from dangjian.accounts.actions import token_create, token_revoke
from dangjian.core.tests.api_helpers import NOT_FOUND, audit_actions, ids, last_audit_id, session
from dangjian.people.actions import person_create
from dangjian.people.models import Person


@pytest.fixture
def leader(county: dict[str, Any], make_user: Any) -> Any:
    return make_user("bureau_leader", county["bureau"], username="leader")


@pytest.fixture
def people(system: Any, county: dict[str, Any]) -> dict[str, Person]:
    return {
        "a": person_create(
            actor=system,
            unit=county["a"],
            name="张红",
            id_number=make_id_number(1),
            phone="13912345678",
        ),
        "b": person_create(
            actor=system, unit=county["b"], name="李明", id_number=make_id_number(2)
        ),
    }


# ---------------------------------------------------------------- reads


def test_person_list_is_scoped_and_masked(county, people, secretary_a):
    response = session(secretary_a).get("/api/v1/people")
    assert response.status_code == 200
    assert ids(response) == {people["a"].pk}
    row = response.json()["items"][0]
    number = make_id_number(1)
    assert row["id_number_masked"] == f"{number[:6]}********{number[-4:]}"
    assert row["phone_masked"] == "139****5678"
    assert row["unit"] == {"id": county["a"].pk, "name": "青山县第一中学"}
    # the full values appear nowhere in the answer
    assert number not in response.content.decode()
    assert "13912345678" not in response.content.decode()


def test_person_list_filters(county, people, bureau_admin):
    client = session(bureau_admin)
    assert ids(client.get("/api/v1/people")) == {people["a"].pk, people["b"].pk}
    assert ids(client.get(f"/api/v1/people?unit={county['b'].pk}")) == {people["b"].pk}
    assert ids(client.get(f"/api/v1/people?unit={county['district'].pk}")) == {
        people["a"].pk,
        people["b"].pk,
    }
    assert ids(client.get("/api/v1/people?q=张")) == {people["a"].pk}
    assert ids(client.get(f"/api/v1/people?q={make_id_number(2)}")) == {people["b"].pk}
    assert ids(client.get("/api/v1/people?status=left")) == set()
    response = client.get("/api/v1/people?status=dead")
    assert response.status_code == 400
    assert response.json()["message"] == "「状态」：不是有效的选项"


def test_person_of_sibling_school_is_404(county, people, secretary_a):
    client = session(secretary_a)
    for url in (
        f"/api/v1/people/{people['b'].pk}",
        f"/api/v1/people/{people['b'].pk}/pii",
        f"/api/v1/people?unit={county['b'].pk}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND


def test_person_detail_is_masked(people, secretary_a):
    body = session(secretary_a).get(f"/api/v1/people/{people['a'].pk}").json()
    assert "*" in body["id_number_masked"]
    assert set(body) >= {"birth_date", "sex", "status_label", "url"}
    assert body["birth_date"] == "1985-06-15"


def test_pii_is_full_and_audited(people, secretary_a):
    client = session(secretary_a)
    before = last_audit_id()
    response = client.get(f"/api/v1/people/{people['a'].pk}/pii")
    assert response.status_code == 200
    assert response.json() == {
        "id": people["a"].pk,
        "id_number": make_id_number(1),
        "phone": "13912345678",
    }
    assert audit_actions(before) == ["people.person_view_pii"]


def test_pii_without_capability_is_403_and_not_logged(people, leader):
    client = session(leader)
    before = last_audit_id()
    response = client.get(f"/api/v1/people/{people['a'].pk}/pii")
    assert response.status_code == 403
    assert make_id_number(1) not in response.content.decode()
    assert audit_actions(before) == []


def test_member_reads_own_record_only(county, people, make_user, system):
    member = make_user("member", county["a"], person=people["a"])
    client = session(member)
    assert client.get(f"/api/v1/people/{people['a'].pk}").status_code == 200
    assert client.get(f"/api/v1/people/{people['a'].pk}/pii").json()["phone"] == "13912345678"
    assert client.get("/api/v1/people").json()["count"] == 0
    other = person_create(
        actor=system,
        unit=county["a"],
        name="同事",
        id_number=make_id_number(3),
    )
    assert client.get(f"/api/v1/people/{other.pk}").status_code == 404


# ---------------------------------------------------------------- writes


def test_person_create_masks_and_audits_once(county, secretary_a):
    client = session(secretary_a)
    before = last_audit_id()
    number = make_id_number(5, birth="19900101")
    response = client.post(
        "/api/v1/people",
        {"unit": county["a"].pk, "name": "王芳", "id_number": number, "phone": "13800001111"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["birth_date"], body["sex"]) == ("1990-01-01", "M")
    assert number not in response.content.decode()
    assert body["phone_masked"] == "138****1111"
    assert audit_actions(before) == ["people.person_create"]


@pytest.mark.parametrize(
    ("body", "field", "label", "message"),
    [
        ({"name": "王芳"}, "id_number", "身份证号", "「身份证号」：不能为空"),
        ({"id_number": "ID"}, "name", "姓名", "「姓名」：不能为空"),
        (
            {"name": "王芳", "id_number": "123"},
            "id_number",
            "身份证号",
            "「身份证号」：应为18位，实为3位",
        ),
        (
            {"name": "王芳", "id_number": "ID", "sex": "X"},
            "sex",
            "性别",
            "「性别」：不是有效的选项",
        ),
        (
            {"name": "王芳", "id_number": "ID", "phone": "12ab"},
            "phone",
            "手机号码",
            "「手机号码」：应为11位手机号码或12位固定电话",
        ),
        (
            {"name": "王芳", "id_number": "ID", "birth_date": "1985-13-01"},
            "birth_date",
            "出生日期",
            "「出生日期」：请输入有效日期，格式为 YYYY-MM-DD",
        ),
        (
            {"name": "王芳", "id_number": "DUP"},
            "id_number",
            "身份证号",
            "「身份证号」：该身份证号已在本平台登记，同一人只能有一条记录",
        ),
    ],
)
def test_person_create_bad_input_is_400_naming_the_field(
    county, people, secretary_a, body, field, label, message
):
    body["unit"] = county["a"].pk
    if body.get("id_number") == "ID":
        body["id_number"] = make_id_number(7)
    if body.get("id_number") == "DUP":
        body["id_number"] = make_id_number(2)  # the sibling school's person: unique everywhere
    count = Person.objects.count()
    response = session(secretary_a).post("/api/v1/people", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json() == {"field": field, "label": label, "message": message}
    assert Person.objects.count() == count


def test_person_create_in_sibling_school_names_the_unit(county, secretary_a):
    response = session(secretary_a).post(
        "/api/v1/people",
        {"unit": county["b"].pk, "name": "王芳", "id_number": make_id_number(8)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "「所在单位」：未找到该记录"
    assert not Person.objects.exists()


def test_person_create_without_capability_is_403(county, leader, assert_unchanged):
    client = session(leader)
    with assert_unchanged(county["a"]):
        response = client.post(
            "/api/v1/people",
            {"unit": county["a"].pk, "name": "王芳", "id_number": make_id_number(9)},
            content_type="application/json",
        )
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_person_patch_audits_once(people, secretary_a):
    client = session(secretary_a)
    before = last_audit_id()
    response = client.patch(
        f"/api/v1/people/{people['a'].pk}",
        {"job_title": "教研组长", "phone": "", "education": "master"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=people["a"].pk)
    assert (person.job_title, person.phone_masked, person.education) == ("教研组长", "", "master")
    assert audit_actions(before) == ["people.person_update"]
    # null clears an optional choice
    response = client.patch(
        f"/api/v1/people/{people['a'].pk}", {"education": None}, content_type="application/json"
    )
    assert response.json()["education"] == ""


def test_person_patch_refusals(people, secretary_a, leader, assert_unchanged):
    client = session(secretary_a)
    with assert_unchanged(people["a"]):
        response = client.patch(
            f"/api/v1/people/{people['a'].pk}", {"name": None}, content_type="application/json"
        )
    assert response.json() == {"field": "name", "label": "姓名", "message": "「姓名」：不能为空"}
    with assert_unchanged(people["a"]):
        response = client.patch(
            f"/api/v1/people/{people['a'].pk}", {"unit": 1}, content_type="application/json"
        )
    assert response.status_code == 400
    assert response.json()["label"] == "所在单位"
    with assert_unchanged(people["b"]):
        response = client.patch(
            f"/api/v1/people/{people['b'].pk}", {"name": "改"}, content_type="application/json"
        )
    assert response.status_code == 404
    leader_client = session(leader)
    with assert_unchanged(people["a"]):
        response = leader_client.patch(
            f"/api/v1/people/{people['a'].pk}", {"name": "改"}, content_type="application/json"
        )
    assert response.status_code == 403


# ---------------------------------------------------------------- auth and N+1


def test_token_auth_and_revocation(people, secretary_a):
    token, raw = token_create(actor=secretary_a, name="脚本")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert ids(client.get("/api/v1/people")) == {people["a"].pk}
    response = client.patch(
        f"/api/v1/people/{people['a'].pk}", {"job_title": "班主任"}, content_type="application/json"
    )
    assert response.status_code == 200
    token_revoke(actor=secretary_a, token=token)
    assert client.get("/api/v1/people").status_code == 401


def test_session_patch_needs_csrf(people, secretary_a, assert_unchanged):
    client = session(secretary_a, enforce_csrf_checks=True)
    with assert_unchanged(people["a"]):
        response = client.patch(
            f"/api/v1/people/{people['a'].pk}", {"job_title": "X"}, content_type="application/json"
        )
    assert response.status_code == 403


def test_person_list_query_count_is_constant(county, bureau_admin, system, assert_constant_queries):
    made = {"n": 0}

    def add_rows(n: int) -> None:
        for _ in range(n):
            made["n"] += 1
            unit = county["a"] if made["n"] % 2 else county["b"]
            person_create(
                actor=system,
                unit=unit,
                name=f"教师{made['n']}",
                id_number=make_id_number(made["n"]),
            )

    assert_constant_queries(session(bureau_admin), "/api/v1/people?page_size=100", add_rows)
