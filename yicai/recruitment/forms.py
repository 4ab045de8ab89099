"""The partner agreements' filter form (the list page and the API) and edit form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, bootstrap
from yicai.access.models import RequestUser
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.recruitment import queries
from yicai.recruitment.models import PartnerAgreement
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


class AgreementFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("协议名称 / 合作方"), required=False)
    institution = institution_filter(_("签约机构"))
    kind = forms.ChoiceField(
        label=_("协议类型"),
        required=False,
        choices=[("", _("全部")), *PartnerAgreement.Kind.choices],
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    as_of = forms.DateField(label=_("在该日有效"), required=False, widget=DateInput())

    def institutions(self) -> QuerySet[Institution]:
        return queries.agreement_institutions(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data


class AgreementForm(forms.Form):
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("签约机构"),
        queryset=None,
        error_messages={"invalid_choice": INSTITUTION_OUT_OF_SCOPE},
    )
    department = DepartmentChoiceField(
        label=_("对口科室"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    partner: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("合作机构"),
        queryset=None,
        required=False,
        help_text=_("登记在册的合作机构；未登记的，在下方填写名称。"),
        error_messages={"invalid_choice": queries.NOT_A_PARTNER},
    )
    partner_name = forms.CharField(label=_("合作方名称"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("协议类型"), choices=PartnerAgreement.Kind.choices)
    title = forms.CharField(label=_("协议名称"), max_length=200)
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput())
    starts_on = forms.DateField(label=_("起始日期"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("截止日期"), required=False, widget=DateInput(), help_text=_("长期有效的留空。")
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "institution", forms.ModelChoiceField
        ).queryset = queries.signing_institutions(user)
        field_of(
            self, "department", forms.ModelChoiceField
        ).queryset = queries.editable_departments(user)
        field_of(self, "partner", forms.ModelChoiceField).queryset = queries.partner_choices()
        self.fields["note"].widget.attrs.update(rows="3")
        bootstrap(self)
        prompt_and_preselect(self)
