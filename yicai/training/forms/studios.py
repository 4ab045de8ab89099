"""Studio forms: the filters, a studio, a member, a year's money and the subsidy table."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.picker import PersonPickerField
from yicai.training.forms.mentoring import editable_departments, editable_institutions
from yicai.training.models import ExpertStudio, StudioTier
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


class StudioFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("工作室 / 领衔专家"), required=False)
    tier = forms.ChoiceField(
        label=_("级别"), required=False, choices=[("", _("全部")), *StudioTier.choices]
    )
    institution = institution_filter(_("依托机构"))
    year = forms.IntegerField(label=_("运行年度"), required=False, min_value=1900, max_value=2100)


class StudioForm(forms.Form):
    name = forms.CharField(label=_("工作室名称"), max_length=100)
    lead = PersonPickerField("training.experts", label=_("领衔专家"))
    tier = forms.ChoiceField(label=_("级别"), choices=StudioTier.choices)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("依托机构"), queryset=None
    )
    department = DepartmentChoiceField(label=_("依托科室"), queryset=None, required=False)
    founded_on = forms.DateField(label=_("成立日期"), widget=DateInput())
    closed_on = forms.DateField(label=_("撤销日期"), required=False, widget=DateInput())

    def __init__(self, user, *args, studio: ExpertStudio | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "lead", PersonPickerField).bind(
            user, keep=[studio.lead_id if studio else None]
        )
        field_of(self, "institution", forms.ModelChoiceField).queryset = editable_institutions(user)
        field_of(self, "department", forms.ModelChoiceField).queryset = editable_departments(user)
        if studio is None:
            del self.fields["closed_on"]  # a studio is founded open
        bootstrap(self)
        prompt_and_preselect(self)


class StudioMemberForm(forms.Form):
    person = PersonPickerField("training.experts", label=_("成员"))
    joined_on = forms.DateField(label=_("加入日期"), widget=DateInput())

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "person", PersonPickerField).bind(user)
        bootstrap(self)
        prompt_and_preselect(self)


class StudioFundingForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=1900, max_value=2100)
    amount = forms.DecimalField(
        label=_("金额（元）"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=_("不填则按该级别的年度经费补助标准登记。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, funding=None, **kwargs):
        super().__init__(*args, **kwargs)
        if funding is not None:  # a year's record: its amount and note change, not its year
            del self.fields["year"]
            self.fields["amount"].required = True
            self.fields["amount"].help_text = ""
        else:
            self.fields["year"].initial = timezone.localdate().year
        bootstrap(self)


class SubsidyForm(StyledForm):
    """The commission's table: one yearly amount per studio tier."""

    def prepare(self) -> None:
        for tier, label in StudioTier.choices:
            self.fields[f"amount_{tier}"] = forms.DecimalField(
                label=_("%s（元/年）") % label, min_value=0, max_digits=12, decimal_places=2
            )

    def amounts(self) -> dict:
        return {tier: self.cleaned_data[f"amount_{tier}"] for tier in StudioTier.values}
