"""The filter and edit forms of award runs, their lines and clawbacks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.access.models import RequestUser
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.retention.forms.common import all_choices, period_in_order
from yicai.retention.models import AwardLine, AwardRun, Policy
from yicai.retention.queries.policies import policies_for
from yicai.web.forms import field_of


class RunFilterForm(FilterForm):
    policy: forms.ModelChoiceField[Policy] = forms.ModelChoiceField(
        label=_("激励政策"), queryset=Policy.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=all_choices(AwardRun.Status.choices)
    )
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    field_order = ("policy", "status", "since", "until")

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "policy", forms.ModelChoiceField).queryset = policies_for(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_in_order(self, data, "since", "until")
        return data


class RunForm(StyledForm):
    """A run for a published policy over a period (what fell due from its start to its end)."""

    policy: forms.ModelChoiceField[Policy] = forms.ModelChoiceField(
        label=_("激励政策"), queryset=Policy.objects.none()
    )
    period_start = forms.DateField(label=_("起始日期"), widget=DateInput())
    period_end = forms.DateField(label=_("截止日期"), widget=DateInput())

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "policy", forms.ModelChoiceField).queryset = policies_for(
            self.user, "retention.policy"
        ).exclude(status=Policy.Status.DRAFT)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_in_order(self, data, "period_start", "period_end")
        return data


class LineFilterForm(ScopedFilterForm):
    institution_permission = "retention.money"
    q = forms.CharField(label=_("姓名 / 条款 / 事项"), required=False)
    institution = institution_filter(_("机构"))
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=all_choices(AwardLine.Status.choices)
    )
    field_order = ("q", "institution", "status")


class ExcludeForm(StyledForm):
    reason = forms.CharField(label=_("剔除理由"), max_length=200)


class ApproveForm(StyledForm):
    on = forms.DateField(
        label=_("审批日期"), required=False, widget=DateInput(), help_text=_("不填为今天。")
    )
    override_reason = forms.CharField(
        label=_("超支批准理由"),
        max_length=200,
        required=False,
        help_text=_("资金余额不足时填写，仍予核发（记入审计）。"),
    )


class DecideForm(StyledForm):
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准追回")), ("0", _("免除"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("意见"), max_length=200, required=False)
    on = forms.DateField(
        label=_("审批日期"), required=False, widget=DateInput(), help_text=_("不填为今天。")
    )
