"""The kinds of record a person's profile is made of, for the add/remove pages.

Each kind names its model, the form fields, the service that adds one, and a label.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from yicai import versions
from yicai.access.forms import DateInput, bootstrap, preselect_only_choice
from yicai.access.models import RequestUser
from yicai.codes.queries import codes_of
from yicai.org.queries import departments_for, institutions_for
from yicai.people import services
from yicai.people.forms import CodeChoiceField, DepartmentChoiceField, DepartmentsChoiceField
from yicai.people.models import Appointment, Education, Licence, Record, TalentTag, TitleRecord
from yicai.web.forms import field_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class RecordKind:
    model: type[Record]
    fields: tuple[str, ...]
    add: Callable[..., Record]
    label: "StrOrPromise"


KINDS = {
    "education": RecordKind(
        Education,
        ("level", "degree", "school", "major", "graduated_on", "full_time"),
        services.education_add,
        _("学历学位"),
    ),
    "title": RecordKind(
        TitleRecord, ("title", "obtained_on", "appointed_on"), services.title_add, _("专业技术职务")
    ),
    "licence": RecordKind(
        Licence,
        ("number", "category", "scope", "registered_institution", "issued_on", "expires_on"),
        services.licence_add,
        _("执业证书"),
    ),
    "appointment": RecordKind(
        Appointment,
        ("institution", "department", "position", "start_on", "end_on", "departments_in_charge"),
        services.appointment_add,
        _("任职经历"),
    ),
    "tag": RecordKind(
        TalentTag, ("tag", "valid_from", "valid_to", "note"), services.tag_add, _("人才标签")
    ),
}

# The coded fields of the records: their code table, and whether only the most specific codes
# may be chosen.
CODE_TABLES = {
    "level": ("education", True),
    "degree": ("degree", True),
    "title": ("title", True),
    "tag": ("talent_tag", False),
}


class RecordForm(forms.ModelForm):
    instance: Record

    def _post_clean(self) -> None:
        """The record's own checks, then the service's rules across fields, so one
        submission shows every problem."""
        super()._post_clean()  # type: ignore[misc]  # Django's hook; the stubs leave it out
        in_charge = self.cleaned_data.get("departments_in_charge")
        for field, message in services.record_problems(self.instance, in_charge).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)


def form_for(
    kind: RecordKind,
    user: RequestUser,
    data: QueryDict | None = None,
    instance: Record | None = None,
) -> forms.ModelForm:
    form_class = forms.modelform_factory(
        kind.model,
        form=RecordForm,
        fields=kind.fields,
        # Codes by their name, departments with their institution.
        field_classes={
            **dict.fromkeys(CODE_TABLES, CodeChoiceField),
            "department": DepartmentChoiceField,
            "departments_in_charge": DepartmentsChoiceField,
        },
        widgets={
            name: DateInput()
            for name in kind.fields
            if name.endswith("_on") or name.startswith("valid_")
        },
    )
    form = form_class(data, instance=instance)
    for name, (table, leaves) in CODE_TABLES.items():
        if name in form.fields:
            codes = codes_of(table, leaves_only=leaves)
            field_of(form, name, forms.ModelChoiceField).queryset = codes
    if "institution" in form.fields:
        institution = field_of(form, "institution", forms.ModelChoiceField)
        institution.queryset = institutions_for(user, "person.edit")
        preselect_only_choice(form)
    if "registered_institution" in form.fields:
        registered = field_of(form, "registered_institution", forms.ModelChoiceField)
        registered.queryset = institutions_for(user)
    for name in ("department", "departments_in_charge"):
        if name in form.fields:
            departments = departments_for(user, "person.edit").select_related("institution")
            field_of(form, name, forms.ModelChoiceField).queryset = departments
    if "departments_in_charge" in form.fields:
        form.fields["departments_in_charge"].help_text = _(
            "院领导、科主任分管的科室（专业），可多选；挂钩领导按此确定。"
        )
    versions.add_field(form, instance)  # an edit is saved from the version it loaded
    bootstrap(form)
    return form
