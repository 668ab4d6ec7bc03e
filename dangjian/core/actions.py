"""Changes owned by core: creating background jobs (audited like every other change)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dangjian.audit.log import record

from .exports import EXPORTABLE
from .models import Job
from .scope import require
from .tasks import enqueue_export


@transaction.atomic
def export_record(*, actor: Any, name: str, query: str) -> None:
    """A streamed export leaves a trace: who took which rows out (等保)."""
    require(actor, EXPORTABLE[name].capability)
    record(
        actor,
        "core.export",
        None,
        unit=getattr(actor, "unit", None),
        after={"list": name, "query": query},
    )


@transaction.atomic
def export_job_create(*, actor: Any, name: str, query: str) -> Job:
    source = EXPORTABLE[name]
    require(actor, source.capability)
    job = Job.objects.create(
        kind="export",
        title=f"导出{source.title}",
        requested_by=actor,
        unit=getattr(actor, "unit", None),
        params={"list": name, "query": query},
    )
    record(actor, "core.export", job, unit=job.unit)
    enqueue_export(job)
    return job
