"""The notification inbox (提醒): one row per recipient and notice, read or not.

Generic: a notice names the unit it concerns (the recipient must still see that unit to see the
notice), a kind, a title, a body and the page it leads to. `key` makes sending idempotent: one
notice per recipient and key, however often the sender runs.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dangjian.core.scope import scope_paths


class NoticeQuerySet(models.QuerySet["Notice"]):
    def for_user(self, user: Any) -> Self:
        """The user's own notices about units they still see (a role moved away takes its
        notices along); nobody reads another person's inbox, not even an administrator."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        paths = scope_paths(user)
        if not paths or getattr(user, "is_system", False):
            return self.none()
        within = Q(pk__in=[])
        for p in paths:
            within |= Q(unit__path__startswith=p)
        return self.filter(within, recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "整改即将到期"
        DUE_TODAY = "due_today", "整改今天到期"
        OVERDUE = "overdue", "整改已逾期"
        DISTRICT = "escalated_district", "督办至学区/挂联干部"
        BUREAU = "escalated_bureau", "督办至教育局和纪检"
        DECISION_TO_REVIEW = "decision_to_review", "三重一大议题待审核"
        DECISION_REVIEWED = "decision_reviewed", "三重一大议题审核结果"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="接收人",
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="单位"
    )
    kind = models.CharField("类型", max_length=30, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=120)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "提醒"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="uniq_notice_recipient_key")
        ]
        indexes = [
            # the inbox page, newest first
            models.Index(fields=["recipient", "-created_at"], name="notice_inbox"),
            # the sender's look-up of what it has already sent
            models.Index(fields=["key"], name="notice_key"),
            # the bell's unread count on every page
            models.Index(
                fields=["recipient"], name="notice_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Opening a notice marks it read, then goes to the page it is about."""
        return reverse("notices:notice-open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def audit_unit(self) -> object:
        return self.unit
