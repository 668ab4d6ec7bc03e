"""Django-side helpers for bench/run.py, run as a subprocess with the bench environment.

    python bench/djhelper.py targets   → JSON: the units and person the measured URLs use
    python bench/djhelper.py explain   → the PostgreSQL plan of a subtree query, index used or not
    python bench/djhelper.py import N  → JSON: seconds to import a generated N-person xlsx

The import is measured inside a transaction that is rolled back at the end, so the benchmark
database keeps exactly the demo data and the run can be repeated.
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from dangjian.accounts.models import User  # noqa: E402
from dangjian.orgs.models import Unit  # noqa: E402
from dangjian.people.models import Person  # noqa: E402

PER_PAGE = 25
DEEP_PAGE = 40


def targets() -> dict[str, object]:
    """A district with the most people, a unit with at least 40 pages, a person, a name to find."""
    user = User.objects.get(username="demo_bureau_admin")
    districts = (
        Unit.objects.filter(kind=Unit.Kind.DISTRICT_OFFICE)
        .order_by("path")
        .values_list("pk", "path", "name")
    )
    counts = []
    for pk, path, name in districts[:60]:
        n = Person.objects.filter(unit__path__startswith=path, status="active").count()
        counts.append((n, pk, path, name))
    counts.sort(key=lambda c: (-c[0], c[2]))
    n, district, district_path, district_name = counts[0]
    deep_unit, deep_name, deep_count = district, district_name, n
    if n < PER_PAGE * DEEP_PAGE:
        # a district that small has no page 40: use the smallest bureau that has one
        for unit in Unit.objects.filter(kind__in=Unit.BUREAU_KINDS).order_by("-depth", "path"):
            c = Person.objects.filter(unit__path__startswith=unit.path, status="active").count()
            if c >= PER_PAGE * DEEP_PAGE:
                deep_unit, deep_name, deep_count = unit.pk, unit.name, c
                break
    surname = (
        Person.objects.filter(unit__path__startswith=district_path)
        .values("name")
        .annotate(c=Count("pk"))
        .order_by("-c")
        .values_list("name", flat=True)
        .first()
        or "王"
    )[:1]
    person = (
        Person.objects.filter(unit__path__startswith=district_path, posts__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "user_unit": user.unit_id,
        "district": district,
        "district_name": district_name,
        "district_people": n,
        "deep_unit": deep_unit,
        "deep_name": deep_name,
        "deep_people": deep_count,
        "q": surname,
        "person": person,
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
    }


def explain() -> None:
    """EXPLAIN ANALYZE the subtree count the people list runs, and say whether the index is used."""
    # the last district in path order: an index scan that only orders by path would have to
    # walk past every earlier unit to reach it, so a filter-only plan shows up as slow
    district = Unit.objects.filter(kind=Unit.Kind.DISTRICT_OFFICE).order_by("-path").first()
    if district is None:
        print("没有学区：先加载演示数据")
        return
    queries = {
        "单位子树": Unit.objects.in_subtree(district),
        "人员子树（按单位路径）": Person.objects.filter(unit__path__startswith=district.path)
        .select_related("unit")
        .order_by("unit__path", "name", "id")[:PER_PAGE],
    }
    for label, qs in queries.items():
        plan = qs.explain(analyze=True)
        sql = str(qs.query)
        # the LIKE prefix must be an index condition, not a filter applied while scanning
        cond = [line for line in plan.splitlines() if "Index Cond" in line and "path" in line]
        print(f"--- {label}: {sql[:160]}…")
        print(plan)
        verdict = "已用于子树条件（Index Cond）" if cond else "未用于子树条件"
        print(f"=> path 索引{verdict}（{connection.vendor}）")


def make_xlsx(n: int, codes: list[str]) -> bytes:
    from openpyxl import Workbook

    from dangjian.core.demo.people import PeopleFactory
    from dangjian.people.imports import PersonImporter

    rng = random.Random(f"bench-import:{n}")
    factory = PeopleFactory()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    columns = PersonImporter.columns
    ws.append([c.header for c in columns])
    edu_labels = dict(Person.Education.choices)
    for _ in range(n):
        # area 339901: never used by the demo, so every row is a new person
        fake = factory.make(rng, "339901", education="primary")
        row = {
            "name": fake.name,
            "id_number": fake.id_number,
            "sex": "",
            "birth_date": "",
            "phone": fake.phone,
            "education": str(edu_labels[fake.education]),
            "job_title": rng.choice(["教师", "班主任", "教导主任"]),
            "unit_code": rng.choice(codes),
            "is_teacher": "是",
            "is_key_teacher": "否",
        }
        ws.append([row[c.field] for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def import_people(n: int) -> dict[str, object]:
    try:
        from dangjian.core import imports
        from dangjian.people.imports import PersonImporter
    except ImportError as exc:
        return {"skipped": f"人员导入模块不可用：{exc}"}
    user = User.objects.get(username="demo_bureau_admin")
    codes = list(
        Unit.objects.for_user(user)
        .filter(kind__in=Unit.SCHOOL_KINDS, status=Unit.Status.ACTIVE)
        .order_by("path")
        .values_list("code", flat=True)[:400]
    )
    started = time.perf_counter()
    content = make_xlsx(n, codes)
    built = time.perf_counter() - started
    result: dict[str, object] = {"rows": n, "bytes": len(content), "build_s": round(built, 2)}
    with transaction.atomic():
        t0 = time.perf_counter()
        rows = imports.read_rows(content, PersonImporter.columns)
        t1 = time.perf_counter()
        outcome = imports.run(PersonImporter(user), rows)
        t2 = time.perf_counter()
        result.update(
            read_s=round(t1 - t0, 2),
            validate_write_s=round(t2 - t1, 2),
            total_s=round(t2 - t0, 2),
            created=outcome.created,
            errors=[str(e) for e in outcome.errors[:5]],
        )
        # the same file again: every row is found and unchanged
        rows = imports.read_rows(content, PersonImporter.columns)
        t3 = time.perf_counter()
        again = imports.run(PersonImporter(user), rows)
        result.update(reimport_s=round(time.perf_counter() - t3, 2), unchanged=again.unchanged)
        transaction.set_rollback(True)
    return result


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "targets"
    if command == "targets":
        print(json.dumps(targets(), ensure_ascii=False))
    elif command == "explain":
        explain()
    elif command == "import":
        print(json.dumps(import_people(int(sys.argv[2])), ensure_ascii=False))
    else:
        raise SystemExit(f"unknown command {command}")
