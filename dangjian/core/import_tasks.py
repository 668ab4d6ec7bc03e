"""The background import task: one core.Job per large file (STYLE.md §8)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import Job


@task()
def import_file(job_id: int) -> None:
    from .imports import run_job

    job = Job.objects.select_related("requested_by").get(pk=job_id)
    try:
        run_job(job)
    except Exception:
        # the write transaction has rolled back; the page must not poll a dead job forever
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            message="导入时发生意外错误，未写入任何数据，请联系系统管理员",
            finished_at=timezone.now(),
        )
        raise


def enqueue_import(job: Job) -> None:
    transaction.on_commit(lambda: import_file.enqueue(job.pk))
