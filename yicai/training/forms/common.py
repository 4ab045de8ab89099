"""Pieces the cultivation forms share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import preselect_only_choice

VERIFIED_CHOICES = [("", _("全部")), ("yes", _("已审核")), ("no", _("待审核"))]


GAP_CHOICES = [("", _("全部")), ("yes", _("已填补空白")), ("no", _("尚未填补"))]


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.institution.short_name} · {obj.name}"


class MentorshipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.mentor.name} · {obj.institution.short_name}（{obj.start_on:%Y-%m-%d}）"


def initial_from(record, fields) -> dict:
    """An edit form's initial values: the record's fields (objects, not ids, for choices)."""
    return {name: getattr(record, name) for name in fields}


def prompt_and_preselect(form, institution_field: str = "institution") -> None:
    """Required choices open on "请选择" rather than dashes; a user who edits for one
    institution only finds it chosen."""
    for field in form.fields.values():
        single = not isinstance(field, forms.ModelMultipleChoiceField)
        if isinstance(field, forms.ModelChoiceField) and single and field.required:
            field.empty_label = _("请选择")
    preselect_only_choice(form, institution_field)
