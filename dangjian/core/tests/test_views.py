"""Search, figure pages and jobs: scoped, Chinese, every number a link."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import make_id_number
from dangjian.core import figures
from dangjian.core.models import Job
from dangjian.people.actions import person_create

TODAY = dt.date(2026, 11, 23)


def test_search_finds_units_and_people_in_scope_only(
    client: Client, system: Any, county: Any, secretary_a: Any
) -> None:
    wang = person_create(
        actor=system, unit=county["a"], name="王青山", id_number=make_id_number(1), today=TODAY
    )
    person_create(
        actor=system, unit=county["b"], name="李青山", id_number=make_id_number(3), today=TODAY
    )
    client.force_login(secretary_a)
    response = client.get(reverse("core:search") + "?q=青山")
    text = response.content.decode()
    assert "青山县第一中学" in text
    assert "王青山" in text
    assert "李青山" not in text
    assert "城关镇中心小学" not in text
    assert wang.id_number_masked in text
    assert make_id_number(1) not in text
    by_code = client.get(reverse("core:search") + "?q=qsx-cg-01").content.decode()
    assert "青山县第一中学" in by_code


def test_search_empty_and_no_results(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    assert "输入单位名称" in client.get(reverse("core:search")).content.decode()
    none = client.get(reverse("core:search") + "?q=不存在的学校").content.decode()
    assert "没有名称包含“不存在的学校”" in none


def test_figure_list_shows_values_as_links(
    client: Client, system: Any, county: Any, bureau_admin: Any
) -> None:
    person_create(
        actor=system, unit=county["a"], name="王老师", id_number=make_id_number(5), today=TODAY
    )
    client.force_login(bureau_admin)
    response = client.get(reverse("core:figure-list") + "?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 200
    text = response.content.decode()
    period = response.context["period"]
    url = figures.url("people", county["bureau"], period)
    assert f'<a href="{url.replace("&", "&amp;")}">1</a>' in text
    assert "在岗人员" in text
    assert "2026年" in text
    # breakdown rows link to the same drill-down, narrowed by the breakdown key
    assert "&amp;by=" in text


def test_figure_list_refused_without_capability(
    client: Client, county: Any, make_user: Callable[..., Any]
) -> None:
    client.force_login(make_user("member", county["a"]))
    assert client.get(reverse("core:figure-list")).status_code == 403


def test_figure_rows_lists_the_records_with_links(
    client: Client, system: Any, county: Any, secretary_a: Any
) -> None:
    person = person_create(
        actor=system, unit=county["a"], name="王老师", id_number=make_id_number(7), today=TODAY
    )
    client.force_login(secretary_a)
    url = reverse("core:figure-rows", args=["people"]) + f"?unit={county['a'].pk}"
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert f'href="{person.get_absolute_url()}"' in text
    assert "王老师" in text
    assert "指标值 <strong>1</strong> 人" in text and "以下 1 条记录" in text


def test_figure_rows_of_sibling_school_is_404(
    client: Client, county: Any, secretary_a: Any
) -> None:
    client.force_login(secretary_a)
    url = reverse("core:figure-rows", args=["people"]) + f"?unit={county['b'].pk}"
    assert client.get(url).status_code == 404


def test_job_pages_show_only_own_jobs(
    client: Client, county: Any, secretary_a: Any, secretary_b: Any
) -> None:
    mine = Job.objects.create(
        kind="export", title="导出人员列表", requested_by=secretary_a, total=10, done=4
    )
    theirs = Job.objects.create(kind="export", title="导出单位列表", requested_by=secretary_b)
    client.force_login(secretary_a)
    listing = client.get(reverse("core:job-list")).content.decode()
    assert "导出人员列表" in listing and "导出单位列表" not in listing
    detail = client.get(reverse("core:job-detail", args=[mine.pk])).content.decode()
    assert "40%" in detail
    assert 'hx-trigger="every 2s"' in detail
    assert client.get(reverse("core:job-detail", args=[theirs.pk])).status_code == 404


def test_job_list_empty_says_what_happens(client: Client, secretary_a: Any) -> None:
    client.force_login(secretary_a)
    assert "还没有后台任务" in client.get(reverse("core:job-list")).content.decode()
