"""Form helpers any app's forms use: an edit form's initial values, required choices that
ask to be chosen, a department labelled with its institution, a field as its own class."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import preselect_only_choice

_F = TypeVar("_F", bound=forms.Field)


class DepartmentChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A department among several institutions' ones: "甲区医院 · 心内科"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.institution.short_name} · {obj.name}"


def initial_from(record: object, fields: Iterable[str]) -> dict[str, Any]:
    """An edit form's initial values: the record's fields (objects, not ids, for choices)."""
    return {name: getattr(record, name) for name in fields}


def prompt_and_preselect(form: forms.BaseForm, institution_field: str = "institution") -> None:
    """Required choices open on "请选择" rather than dashes; a user who edits for one
    institution only finds it chosen."""
    for field in form.fields.values():
        single = not isinstance(field, forms.ModelMultipleChoiceField)
        if isinstance(field, forms.ModelChoiceField) and single and field.required:
            field.empty_label = _("请选择")
    preselect_only_choice(form, institution_field)


def field_of(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The form's field `name` as the class it was declared or generated as: `fields` holds
    plain `Field`s for the checker, and a form's `__init__` sets a choice's queryset."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is not a {kind.__name__}")
    return field
