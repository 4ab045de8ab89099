from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import bootstrap
from yicai.org.models import Department, DisciplineDesignation, Institution, Region
from yicai.org.services import DEPARTMENT_FIELDS, DESIGNATION_FIELDS, INSTITUTION_FIELDS


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = INSTITUTION_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.select_related("parent")
        self.fields["region"].queryset = regions
        self.fields["commission_region"].queryset = regions.filter(level="county")
        for name in ("region", "commission_region"):
            self.fields[name].label_from_instance = lambda r: f"{r.code} {r.full_name}"
        bootstrap(self)


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = DEPARTMENT_FIELDS

    def __init__(self, *args, institution: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = institution.departments.all()
        bootstrap(self)


class DesignationForm(forms.ModelForm):
    class Meta:
        model = DisciplineDesignation
        fields = DESIGNATION_FIELDS

    def __init__(self, *args, institution: Institution, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = institution.departments.all()
        self.fields["lead"].queryset = leads
        self.fields["lead"].label = _("学科带头人")
        bootstrap(self)
