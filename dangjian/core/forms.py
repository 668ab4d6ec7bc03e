"""BaseForm: Tabler widget classes, date pickers, searchable selects, action errors by field."""

from __future__ import annotations

from typing import Any

from django import forms

from .errors import ActionError


class BaseForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def add_action_error(self, exc: ActionError) -> None:
        """Show a refused action beside its field (or on top when it names none)."""
        if exc.field and exc.field in self.fields:
            message = (
                exc.message.split("：", 1)[-1] if exc.message.startswith("「") else exc.message
            )
            self.add_error(exc.field, message)
        else:
            self.add_error(None, exc.message)


class BaseModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def add_action_error(self, exc: ActionError) -> None:
        add_action_error(self, exc)


def add_action_error(form: forms.BaseForm, exc: ActionError) -> None:
    """Show a refused action beside its field (or on top when it names none)."""
    if exc.field and exc.field in form.fields:
        message = exc.message.split("：", 1)[-1] if exc.message.startswith("「") else exc.message
        form.add_error(exc.field, message)
    else:
        form.add_error(None, exc.message)


def style(form: forms.BaseForm) -> None:
    for bound in form.fields.values():
        w = bound.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select | forms.SelectMultiple):
            w.attrs.setdefault("class", "form-select")
            if len(list(getattr(bound, "choices", []))) > 15:
                w.attrs.setdefault("data-search", "1")
        else:
            w.attrs.setdefault("class", "form-control")
        if isinstance(bound, forms.DateField) and not isinstance(w, forms.HiddenInput):
            w.input_type = "date"
            w.format = "%Y-%m-%d"
