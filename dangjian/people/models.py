"""People: staff, teachers and cadres of every unit; one person, one record per deployment."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from dangjian.core.models import scoped_queryset

from .crypto import decrypt


class Person(models.Model):
    class IdType(models.TextChoices):
        RESIDENT = "resident", "居民身份证"
        OTHER = "other", "其他证件"

    class Sex(models.TextChoices):
        MALE = "M", "男"
        FEMALE = "F", "女"

    class Education(models.TextChoices):
        DOCTORATE = "doctorate", "博士研究生"
        MASTER = "master", "硕士研究生"
        BACHELOR = "bachelor", "大学本科"
        COLLEGE = "college", "大学专科"
        SECONDARY = "secondary", "中专/高中"
        BELOW = "below", "初中及以下"

    class Status(models.TextChoices):
        ACTIVE = "active", "在岗"
        LEFT = "left", "已离开"
        RETIRED = "retired", "已退休"

    TRANSITIONS = {
        Status.ACTIVE: {Status.LEFT, Status.RETIRED},
        Status.LEFT: {Status.ACTIVE},
        Status.RETIRED: set(),
    }

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="people", verbose_name="所在单位"
    )
    name = models.CharField("姓名", max_length=50, db_index=True)
    id_type = models.CharField(
        "证件类型", max_length=10, choices=IdType.choices, default=IdType.RESIDENT
    )
    id_number_enc = models.TextField(editable=False)
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField("身份证号", max_length=32, editable=False)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    phone_enc = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField("手机号码", max_length=20, blank=True, editable=False)
    education = models.CharField("学历", max_length=12, choices=Education.choices, blank=True)
    job_title = models.CharField("职务/岗位", max_length=50, blank=True)
    is_teacher = models.BooleanField("专任教师", default=True)
    is_key_teacher = models.BooleanField("骨干教师", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = scoped_queryset("unit__path").as_manager()

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = "人员"
        indexes = [
            models.Index(fields=["unit", "name"]),
            # in-post counts per unit (tree, figures) become index-only scans: rows are wide
            models.Index(fields=["status", "unit"], name="person_status_unit"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.pk])

    # decrypting is a privileged read: callers go through people.actions.person_view_pii
    def _id_number_plain(self) -> str:
        return decrypt(self.id_number_enc)

    def _phone_plain(self) -> str:
        return decrypt(self.phone_enc)
