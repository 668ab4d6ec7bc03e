"""The party demo hook: members in every school with a party org, and every kind of transfer."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from dangjian.core.demo.generator import ANCHOR
from dangjian.orgs.models import PartyOrg
from dangjian.party.models import PartyMember, Transfer
from dangjian.people.models import Person


@pytest.fixture
def tiny(db: object) -> None:
    call_command("demo", scale="tiny", seed=7, stdout=StringIO())


def test_demo_members_and_transfers(tiny):
    members = PartyMember.objects.all()
    assert members.exists()
    with_orgs = set(
        PartyOrg.objects.filter(unit__status="active").values_list("unit_id", flat=True)
    )
    assert set(members.values_list("branch__unit_id", flat=True)) == with_orgs
    assert members.filter(status="probationary").exists()
    assert members.filter(is_mobile=True).exists() or members.count() < 40
    retired = members.filter(dues_category="retired")
    assert retired.exists()
    assert set(retired.values_list("person__status", flat=True)) == {Person.Status.RETIRED}
    for m in members.filter(status="full"):
        assert m.full_on is not None and m.full_on > m.joined_on
    transfers = Transfer.objects.all()
    assert transfers.filter(status="confirmed", kind="within").exists()
    assert transfers.filter(status="pending", valid_until__gte=ANCHOR).exists()
    assert transfers.filter(status="pending", valid_until__lt=ANCHOR).count() == 1
    assert members.filter(status="transferred_out").count() == 1
