"""RULES.md §7.3 forms and 四种形态 defaults; §7.4 vectors S1 and S4 through the pending query."""

import datetime as dt

import pytest

from dangjian.accountability import rules


@pytest.mark.parametrize(
    ("form", "sub_kind", "level"),
    [
        ("talk_reminder", "", 1),
        ("criticism", "", 1),
        ("self_exam", "", 1),
        ("bulletin_criticism", "", 1),
        ("admonishment", "", 1),
        ("org_handling", "", 2),
        ("party_sanction", "warning", 2),
        ("party_sanction", "serious_warning", 2),
        ("party_sanction", "removal_from_post", 3),
        ("party_sanction", "probation", 3),
        ("party_sanction", "expulsion", 3),
        ("gov_sanction", "demerit", 2),
        ("gov_sanction", "dismissal_from_post", 3),
        ("org_inspection", "", 1),
        ("org_reorganisation", "", 3),
    ],
)
def test_default_level(form, sub_kind, level):
    assert rules.default_level(form, sub_kind) == level


def test_party_sanctions_are_the_five_of_the_discipline_regulations():
    labels = [label for label, _ in rules.SUB_KINDS[rules.Form.PARTY_SANCTION].values()]
    assert labels == ["警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍"]


@pytest.mark.parametrize(
    ("form", "sub_kind", "problem"),
    [
        ("party_sanction", "", "党纪处分须选择具体种类"),
        ("party_sanction", "demerit", "党纪处分没有该种类"),
        ("gov_sanction", "demerit", None),
        ("talk_reminder", "warning", "该问责方式无需选择具体种类"),
        ("talk_reminder", "", None),
    ],
)
def test_sub_kind_error(form, sub_kind, problem):
    assert rules.sub_kind_error(form, sub_kind) == problem


def test_every_form_has_a_label_and_a_default():
    assert set(rules.FORM_LABELS) == set(rules.Form) == set(rules.DEFAULT_LEVEL)


# RULES.md §7.4 (verbatim):
# | S1 | general finding created 2024-05-06 | deadline 2024-05-21 |
# | S4 | as_of 2024-06-06 | escalated to bureau + 纪检; accountability proposal exists |
@pytest.mark.parametrize(
    ("label", "as_of", "pending"),
    [("S4", dt.date(2024, 6, 6), True), ("S4 day before", dt.date(2024, 6, 5), False)],
)
def test_vector_s4_accountability_proposal(
    label, as_of, pending, county, bureau_admin, make_finding
):
    from dangjian.accountability.queries import needing_decision

    finding = make_finding(county["a"], found_on=dt.date(2024, 5, 6), severity="general")
    assert finding.rectification.deadline == dt.date(2024, 5, 21)  # S1
    assert (finding in needing_decision(bureau_admin, as_of)) is pending, label
