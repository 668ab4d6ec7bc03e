"""Figures of bulletins (STYLE.md §5): bulletins issued (一月一通报)."""

from __future__ import annotations

from django.db.models import QuerySet

from dangjian.core.figures import figure
from dangjian.core.periods import Period
from dangjian.orgs.models import Unit

from .models import Bulletin
from .queries import ISSUED


@figure("bulletins_issued", label="印发督导通报", unit_label="期")
def bulletins_issued(unit: Unit, period: Period) -> QuerySet[Bulletin]:
    """期间内签发的督导通报（按签发日期），含本单位及下级单位印发的。"""
    return (
        Bulletin.objects.in_subtree(unit)
        .filter(status__in=ISSUED, issued_on__gte=period.start, issued_on__lt=period.end)
        .select_related("unit")
    )
