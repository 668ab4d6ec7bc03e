"""Every audited change made through a request records the client address, not only logins."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.audit.log import record, verify
from dangjian.audit.models import AuditEntry
from dangjian.core.tests.api_helpers import bearer

pytestmark = pytest.mark.django_db


def test_a_change_through_a_page_records_the_address(client, county, make_user):
    admin = make_user("bureau_admin", county["bureau"])
    client.force_login(admin)
    r = client.post(
        f"/orgs/units/{county['a'].pk}/edit/",
        {"name": "青山县第一中学（新校区）", "code": county["a"].code, "kind": "senior"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert r.status_code in {200, 302}
    entry = AuditEntry.objects.filter(action="orgs.unit_update").latest("id")
    assert entry.ip == "10.1.2.3"
    assert verify()[1] is None  # the address is inside the hashed payload


def test_a_change_through_the_api_records_the_address(county, make_user):
    admin = make_user("bureau_admin", county["bureau"])
    api = bearer(admin)
    r = api.patch(
        f"/api/v1/units/{county['a'].pk}",
        {"name": "青山一中"},
        content_type="application/json",
        REMOTE_ADDR="10.9.8.7",
    )
    assert r.status_code == 200, r.content
    assert AuditEntry.objects.filter(action="orgs.unit_update").latest("id").ip == "10.9.8.7"


def test_outside_a_request_there_is_no_address(county: Any, system: Any) -> None:
    entry = record(system, "audit.verify")
    assert entry.ip is None


def test_the_trail_names_people_not_usernames(county: Any, make_user: Any, system: Any) -> None:
    from dangjian.audit.queries import trail
    from dangjian.orgs.actions import unit_update

    admin = make_user("bureau_admin", county["bureau"], username="zhang3", display_name="张三")
    unit_update(actor=admin, unit=county["a"], name="青山一中")
    unit_update(actor=system, unit=county["a"], name="青山县第一中学")
    names = [e.who for e, _ in trail(county["a"])]
    assert names[:2] == ["系统", "张三"]
