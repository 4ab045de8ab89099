"""Pieces the cultivation forms share."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.picker import PeoplePickerField, PersonPickerField
from yicai.training.models import Mentorship

VERIFIED_CHOICES = [("", _("全部")), ("yes", _("已审核")), ("no", _("待审核"))]


GAP_CHOICES = [("", _("全部")), ("yes", _("已填补空白")), ("no", _("尚未填补"))]

# A form's `fields` hold plain `Field`s for the checker; its `__init__` sets a choice field's
# queryset or binds a person picker, so these give the field back as the class it was declared.


def choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    """The form's model choice field `name`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field


def picker(form: forms.BaseForm, name: str) -> PersonPickerField | PeoplePickerField:
    """The form's person picker `name`."""
    field = form.fields[name]
    if not isinstance(field, PersonPickerField | PeoplePickerField):
        raise TypeError(f"{type(form).__name__}.{name} is not a person picker")
    return field


class MentorshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mentorship) -> str:
        return f"{obj.mentor.name} · {obj.institution.short_name}（{obj.start_on:%Y-%m-%d}）"
