"""Background work owned by core: large list exports."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from .exports import EXPORTABLE, write_xlsx
from .listing import apply
from .models import Job


@task()
def export_list(job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    # Job progress is bookkeeping, not domain data: written directly (STYLE.md §2)
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])
    source = EXPORTABLE[job.params["list"]]
    params = QueryDict(job.params.get("query", ""))
    qs, _ = apply(source.spec, source.queryset(job.requested_by), params)
    job.total = qs.count()
    job.save(update_fields=["total"])

    def progress(n: int) -> None:
        Job.objects.filter(pk=job.pk).update(done=n)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        n = write_xlsx(str(path), source.title, source.spec.columns, qs.iterator(2000), progress)
        with path.open("rb") as fh:
            job.result_file.save(f"{source.title}.xlsx", File(fh), save=False)
    job.done = n
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["done", "status", "finished_at", "result_file"])


def enqueue_export(job: Job) -> None:
    transaction.on_commit(lambda: export_list.enqueue(job.pk))
