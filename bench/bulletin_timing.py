"""Django side of the bulletin benchmark (issue 5 §5: county bulletin ≤ 5 s): run in the bench
environment, prints JSON rows {label, seconds, note}.

For the last finished month, as the demo's bureau admin, it drafts the bulletin of a county
bureau and of the city bureau, issues it (the figures are computed and frozen) and writes the
Word document the task would write — all inside a transaction rolled back at the end, so the
benchmark database keeps exactly the demo data and the run can be repeated.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.accounts.actions import system_user  # noqa: E402
from dangjian.bulletins import actions, document, rules  # noqa: E402
from dangjian.bulletins.models import Bulletin  # noqa: E402
from dangjian.orgs.models import Unit  # noqa: E402

REPEAT = 3


class Rollback(Exception):
    pass


def time_one(unit: Unit, month: dt.date, today: dt.date) -> tuple[float, float, int]:
    """Seconds to issue (compose and freeze the figures) and to write the document; schools."""
    actor = system_user()
    try:
        with transaction.atomic():
            Bulletin.objects.filter(unit=unit, month=month).delete()  # rolled back below
            draft = actions.bulletin_create(actor=actor, unit=unit, month=month, today=today)
            t0 = time.perf_counter()
            issued = actions.bulletin_issue(actor=actor, bulletin=draft, today=today)
            t1 = time.perf_counter()
            document.write(issued, list(issued.examples.select_related("unit")))
            t2 = time.perf_counter()
            schools = len(issued.content["schools"])
            raise Rollback
    except Rollback:
        pass
    return t1 - t0, t2 - t1, schools


def main() -> None:
    today = timezone.localdate()
    month = rules.due_month(today)
    county = Unit.objects.filter(kind=Unit.Kind.BUREAU).order_by("path").first()
    city = Unit.objects.filter(kind=Unit.Kind.CITY_BUREAU).order_by("path").first()
    rows = []
    for label, unit in (("县级月度通报", county), ("市级月度通报", city)):
        if unit is None:
            continue
        runs = [time_one(unit, month, today) for _ in range(REPEAT)]
        issue, write, schools = min(runs, key=lambda r: r[0] + r[1])
        rows.append(
            {
                "label": f"{label}（{unit.name}，{month.year}年{month.month}月）",
                "seconds": issue + write,
                "note": f"统计并固定 {issue:.2f} 秒 + 写 Word {write:.2f} 秒；"
                f"附表 {schools} 所学校；{REPEAT} 次取最快",
            }
        )
    print(json.dumps(rows, ensure_ascii=False))


if __name__ == "__main__":
    main()
