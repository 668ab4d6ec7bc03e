"""The audit page's filter bar."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django import forms
from django.apps import apps

from dangjian.core.forms import BaseForm

from .log import ACTION_LABELS


@cache
def object_types() -> dict[str, str]:
    """label_lower → Chinese model name, for every model of the project's apps."""
    return {
        m._meta.label_lower: str(m._meta.verbose_name)
        for m in apps.get_models()
        if m.__module__.startswith("dangjian.")
    }


class EntryFilterForm(BaseForm):
    user = forms.CharField(label="操作人（用户名）", required=False, max_length=150)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    action = forms.ChoiceField(label="操作", required=False)
    date_from = forms.DateField(
        label="开始日期", required=False, error_messages={"invalid": "请输入有效日期"}
    )
    date_to = forms.DateField(
        label="结束日期", required=False, error_messages={"invalid": "请输入有效日期"}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = sorted(object_types().items(), key=lambda kv: kv[0])
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", "全部对象"), *types]
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", "全部操作"),
            *[(k, f"{v}（{k}）") for k, v in sorted(ACTION_LABELS.items())],
        ]
        for name in ("object_type", "action"):
            self.fields[name].widget.attrs["data-search"] = "1"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "不能早于开始日期")
        return data
