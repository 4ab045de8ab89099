"""Flexibly introduced team forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, bootstrap
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.picker import PeoplePickerField, PersonPickerField
from yicai.training.forms.mentoring import editable_departments, editable_institutions
from yicai.training.queries.secondments import host_choices
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


class TeamFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("团队 / 负责人 / 派出医院"), required=False)
    institution = institution_filter(_("引进机构"))
    current = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), ("yes", _("合作中"))]
    )
    as_of = forms.DateField(
        label=_("合作中截至"), required=False, widget=DateInput(), help_text=_("留空即今天。")
    )


class TeamForm(forms.Form):
    name = forms.CharField(label=_("团队名称"), max_length=100)
    source: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("派出医院"), queryset=None
    )
    lead = PersonPickerField("training.experts", label=_("团队负责人"))
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("引进机构"), queryset=None
    )
    department = DepartmentChoiceField(label=_("对口科室"), queryset=None, required=False)
    introduced_on = forms.DateField(label=_("引进日期"), widget=DateInput())
    ended_on = forms.DateField(label=_("结束日期"), required=False, widget=DateInput())
    members = PeoplePickerField("training.experts", label=_("团队成员"), required=False)
    agreement = forms.CharField(label=_("合作协议要点"), widget=forms.Textarea(), required=False)

    def __init__(self, user, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "source", forms.ModelChoiceField).queryset = host_choices(user).filter(
            relation="partner"
        )
        field_of(self, "lead", PersonPickerField).bind(user, keep=[team.lead_id if team else None])
        field_of(self, "institution", forms.ModelChoiceField).queryset = editable_institutions(user)
        field_of(self, "department", forms.ModelChoiceField).queryset = editable_departments(user)
        field_of(self, "members", PeoplePickerField).bind(user)
        if team is not None:  # members are kept on the team's page; the host stays
            del self.fields["members"], self.fields["institution"]
        self.fields["agreement"].widget.attrs.update(rows="3", cols="12")
        bootstrap(self)
        prompt_and_preselect(self)


class TeamMemberForm(forms.Form):
    person = PersonPickerField("training.experts", label=_("成员"))
    role = forms.CharField(label=_("团队职责"), max_length=50, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "person", PersonPickerField).bind(user)
        bootstrap(self)
        prompt_and_preselect(self)
