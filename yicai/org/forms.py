from django import forms
from django.utils.translation import gettext_lazy as _

from yicai import versions
from yicai.access.forms import bootstrap
from yicai.org.models import Department, DisciplineDesignation, Institution, Region
from yicai.org.services import DEPARTMENT_FIELDS, DESIGNATION_FIELDS, INSTITUTION_FIELDS
from yicai.picker import PersonPickerField


class InstitutionFilterForm(forms.Form):
    """The institution list's filters; the page draws its own controls, this reads them."""

    is_filter = True
    q = forms.CharField(label=_("机构名称"), required=False)
    relation = forms.ChoiceField(
        label=_("隶属关系"), required=False, choices=[("", "")] + Institution.Relation.choices
    )
    kind = forms.ChoiceField(
        label=_("机构类别"), required=False, choices=[("", "")] + Institution.Kind.choices
    )

    def values(self) -> dict:
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

    def __init__(self, *args, may_reassign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_reassign:
            for name in self.COMMISSION_FIELDS:
                del self.fields[name]
        regions = Region.objects.select_related("parent__parent")
        self.fields["region"].queryset = regions
        if "commission_region" in self.fields:
            self.fields["commission_region"].queryset = regions.filter(level="county")
        for name in {"region", "commission_region"} & set(self.fields):
            self.fields[name].label_from_instance = lambda r: f"{r.code} {r.full_name}"
        versions.add_field(self, self.instance)
        bootstrap(self)


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = institution.departments.all()
        versions.add_field(self, self.instance)
        bootstrap(self)


class DesignationForm(forms.ModelForm):
    lead = PersonPickerField("org.leads", label=_("学科带头人"), required=False)

    class Meta:
        model = DisciplineDesignation
        fields = DESIGNATION_FIELDS

    def __init__(self, user, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = institution.departments.all()
        # The institution's people; an edit keeps the lead named before, who may have left.
        self.fields["lead"].bind(
            user, {"institution": institution.pk}, keep=[self.instance.lead_id]
        )
        bootstrap(self)
