from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yicai import versions
from yicai.access.forms import FilterForm, bootstrap
from yicai.access.models import RequestUser
from yicai.org.models import Department, DisciplineDesignation, Institution, Region
from yicai.org.queries import institutions_for
from yicai.org.services import DEPARTMENT_FIELDS, DESIGNATION_FIELDS, INSTITUTION_FIELDS
from yicai.picker import PersonPickerField
from yicai.web.forms import field_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.full_name}"


def institution_filter(label: "StrOrPromise") -> "forms.ModelChoiceField[Institution]":
    """A filter's institution choice; `ScopedFilterForm` sets what it offers."""
    return forms.ModelChoiceField(label=label, queryset=None, required=False)


class ScopedFilterForm(FilterForm):
    """The filters of a list the user sees part of: its `institution` choice, where it has one,
    offers the institutions the user sees (with `institution_permission`)."""

    institution_permission = "org.view"

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        if "institution" in self.fields:
            field_of(self, "institution", forms.ModelChoiceField).queryset = self.institutions()

    def institutions(self) -> "QuerySet[Institution]":
        return institutions_for(self.user, self.institution_permission)


class InstitutionFilterForm(forms.Form):
    """The institution list's filters; the page draws its own controls, this reads them."""

    is_filter = True
    q = forms.CharField(label=_("机构名称"), required=False)
    relation = forms.ChoiceField(
        label=_("隶属关系"), required=False, choices=[("", ""), *Institution.Relation.choices]
    )
    kind = forms.ChoiceField(
        label=_("机构类别"), required=False, choices=[("", ""), *Institution.Kind.choices]
    )

    def values(self) -> dict[str, str]:
        """The filters the list applies: none when one of them is wrong (the page says which)."""
        if not self.is_valid():
            return {"relation": "", "kind": "", "q": ""}
        return {name: self.cleaned_data[name].strip() for name in ("relation", "kind", "q")}


class InstitutionForm(forms.ModelForm):
    # Which commission an institution answers to is the commission's to decide.
    COMMISSION_FIELDS = ("relation", "commission_region")

    class Meta:
        model = Institution
        fields = INSTITUTION_FIELDS
        field_classes = {"region": RegionChoiceField, "commission_region": RegionChoiceField}

    def __init__(self, *args: Any, may_reassign: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_reassign:
            for name in self.COMMISSION_FIELDS:
                del self.fields[name]
        regions = Region.objects.select_related("parent__parent")
        field_of(self, "region", forms.ModelChoiceField).queryset = regions
        if "commission_region" in self.fields:
            commission_region = field_of(self, "commission_region", forms.ModelChoiceField)
            commission_region.queryset = regions.filter(level="county")
        versions.add_field(self, self.instance)
        bootstrap(self)


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS

    def __init__(self, *args: Any, institution: Institution, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "parent", forms.ModelChoiceField).queryset = institution.departments.all()
        versions.add_field(self, self.instance)
        bootstrap(self)


class DesignationForm(forms.ModelForm):
    lead = PersonPickerField("org.leads", label=_("学科带头人"), required=False)

    class Meta:
        model = DisciplineDesignation
        fields = DESIGNATION_FIELDS

    def __init__(
        self, user: RequestUser, *args: Any, institution: Institution, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        department = field_of(self, "department", forms.ModelChoiceField)
        department.queryset = institution.departments.all()
        # The institution's people; an edit keeps the lead named before, who may have left.
        field_of(self, "lead", PersonPickerField).bind(
            user, {"institution": institution.pk}, keep=[self.instance.lead_id]
        )
        bootstrap(self)
