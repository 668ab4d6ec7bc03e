import datetime as dt
from decimal import Decimal

import pytest

from dangjian.core.dates import add_months, cn_date
from dangjian.core.errors import InvalidTransition, NotAllowed, OutOfScope
from dangjian.core.periods import Period
from dangjian.core.scope import get_scoped, require, scope_paths
from dangjian.core.transitions import move


@pytest.mark.parametrize(
    ("anchor", "months", "expected"),
    [  # RULES.md §0.2
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 18, dt.date(2025, 8, 29)),
    ],
)
def test_add_months_clamps_from_the_original_anchor(anchor, months, expected):
    assert add_months(anchor, months) == expected


def test_cn_date():
    assert cn_date(dt.date(2024, 3, 16)) == "2024年3月16日"


def test_period_is_half_open():
    p = Period.year(2024)
    assert p.end == dt.date(2025, 1, 1) and p.last == dt.date(2024, 12, 31)
    assert Period.month(2024, 12).end == dt.date(2025, 1, 1)
    assert p.label() == "2024年"


def test_scope_paths_collapse_nested_roots(county, make_user):
    user = make_user("inspector", county["bureau"])
    from dangjian.accounts.actions import role_assign, system_user

    role_assign(actor=system_user(), user=user, role="district_staff", unit=county["district"])
    user = type(user).objects.get(pk=user.pk)
    assert scope_paths(user) == [county["bureau"].path]


def test_get_scoped_hides_sibling_as_404(county, secretary_a):
    from dangjian.orgs.models import Unit

    assert get_scoped(Unit, secretary_a, pk=county["a"].pk) == county["a"]
    with pytest.raises(OutOfScope):
        get_scoped(Unit, secretary_a, pk=county["b"].pk)
    with pytest.raises(OutOfScope):
        get_scoped(Unit, secretary_a, pk="not-a-number")


def test_require_distinguishes_out_of_scope_from_not_allowed(county, make_user):
    leader = make_user("bureau_leader", county["district"])
    with pytest.raises(NotAllowed):
        require(leader, "orgs.unit_close", county["a"])
    with pytest.raises(OutOfScope):
        require(leader, "orgs.unit_close", county["bureau"])


def test_system_admin_has_no_business_scope(county, make_user):
    from dangjian.orgs.models import Unit

    admin = make_user("system_admin", county["bureau"])
    assert Unit.objects.for_user(admin).count() == 0


def test_move_refuses_transition_outside_the_map(county):
    unit = county["a"]
    unit.status = "closed"
    with pytest.raises(InvalidTransition) as exc:
        move(unit, "active")
    assert "已撤销" in exc.value.message


def test_ratio_figure_is_a_percentage_of_two_counts(county, system):
    from dangjian.core import figures
    from dangjian.orgs.models import Unit

    @figures.figure("t_all_units", label="全部", unit_label="个")
    def all_units(unit, period):
        return Unit.objects.in_subtree(unit)

    @figures.figure("t_schools", label="学校", unit_label="所")
    def schools(unit, period):
        return Unit.objects.in_subtree(unit).filter(kind__in=Unit.SCHOOL_KINDS)

    try:
        figures.ratio_figure(
            "t_share", label="学校占比", numerator="t_schools", denominator="t_all_units"
        )
        period = Period.year(2026)
        # 4 units, 2 schools
        assert figures.value("t_share", county["bureau"], period) == Decimal("50.0")
        assert set(figures.rows("t_share", county["bureau"], period)) == {county["a"], county["b"]}
        # a single school: 1 of 1
        assert figures.value("t_share", county["a"], period) == Decimal("100.0")
    finally:
        for n in ("t_all_units", "t_schools", "t_share"):
            figures.REGISTRY.pop(n, None)
