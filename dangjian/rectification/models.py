"""Findings (问题) from inspections and self-checks; their rectification follows in this app."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset


class Finding(models.Model):
    class Source(models.TextChoices):
        SELF_CHECK = "self_check", "学校自查"
        INSPECTION = "inspection", "督查发现"

    class Severity(models.TextChoices):  # RULES.md §7.2
        MINOR = "minor", "轻微"
        GENERAL = "general", "一般"
        SERIOUS = "serious", "严重"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="findings", verbose_name="学校"
    )
    inspection = models.ForeignKey(
        "supervision.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name="来源督查",
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    area = models.CharField("问题领域", max_length=50)
    description = models.TextField("问题描述")
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    found_on = models.DateField("发现日期")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = "问题"
        indexes = [models.Index(fields=["source", "found_on"])]

    def __str__(self) -> str:
        return f"{self.unit}：{self.description[:30]}"

    def get_absolute_url(self) -> str:
        return reverse("rectification:finding-detail", args=[self.pk])
