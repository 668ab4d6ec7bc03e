"""The background task that writes an issued bulletin's Word document (issue 5 §4)."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from .models import Bulletin

log = logging.getLogger(__name__)


def write_document(bulletin_id: int) -> Bulletin:
    """Write and store the document of a bulletin being issued; a failure is recorded on the
    bulletin (the issuer sees it and can issue again) instead of leaving it 生成中 forever."""
    from dangjian.accounts.actions import system_user

    from . import actions, document

    system = system_user()
    bulletin = Bulletin.objects.select_related("unit").get(pk=bulletin_id)
    if bulletin.status != Bulletin.Status.GENERATING:
        return bulletin  # already written (a task run twice)
    try:
        data = document.write(bulletin, list(bulletin.examples.select_related("unit")))
    except Exception:
        log.exception("bulletin %s: the document could not be written", bulletin_id)
        return actions.bulletin_document_failed(
            actor=system, bulletin=bulletin, reason="生成通报文件时发生意外错误，请重新签发生成"
        )
    return actions.bulletin_document_store(actor=system, bulletin=bulletin, data=data)


@task()
def generate_document(bulletin_id: int) -> None:
    write_document(bulletin_id)


def enqueue_document(bulletin: Bulletin) -> None:
    pk = bulletin.pk
    transaction.on_commit(lambda: generate_document.enqueue(pk))
