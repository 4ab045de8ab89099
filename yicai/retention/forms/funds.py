"""The filter and edit forms of funds and their ledger (the list pages and the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.access.models import RequestUser
from yicai.org.models import Institution
from yicai.retention.forms.common import MONEY_HELP, all_choices, period_in_order
from yicai.retention.models import Entry, Fund
from yicai.retention.queries.funds import funds_for
from yicai.web.forms import field_of


class FundFilterForm(FilterForm):
    q = forms.CharField(label=_("资金名称"), required=False)
    kind = forms.ChoiceField(
        label=_("资金类型"), required=False, choices=all_choices(Fund.Kind.choices)
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1900, max_value=9999)
    as_of = forms.DateField(label=_("截至日期"), required=False, widget=DateInput())
    field_order = ("q", "kind", "year", "as_of")


class FundForm(StyledForm):
    name = forms.CharField(label=_("资金名称"), max_length=100)
    kind = forms.ChoiceField(label=_("资金类型"), choices=Fund.Kind.choices)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("管理机构"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("卫健委自管的资金留空。"),
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        from yicai.org.queries import institutions_for

        field_of(self, "institution", forms.ModelChoiceField).queryset = institutions_for(
            self.user, "retention.ledger"
        ).filter(relation="managed")


class EntryFilterForm(FilterForm):
    fund: forms.ModelChoiceField[Fund] = forms.ModelChoiceField(
        label=_("资金"), queryset=Fund.objects.none(), required=False
    )
    direction = forms.ChoiceField(
        label=_("收支"), required=False, choices=all_choices(Entry.Direction.choices)
    )
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=all_choices(Entry.Kind.choices)
    )
    q = forms.CharField(label=_("摘要 / 捐赠方 / 凭证号"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    field_order = ("fund", "direction", "kind", "q", "since", "until")

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "fund", forms.ModelChoiceField).queryset = funds_for(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_in_order(self, data, "since", "until")
        return data


class EntryForm(StyledForm):
    """Money into or out of a fund; an expense beyond the balance needs an approver's reason."""

    on = forms.DateField(label=_("入账日期"), widget=DateInput())
    direction = forms.ChoiceField(label=_("收支"), choices=Entry.Direction.choices)
    kind = forms.ChoiceField(
        label=_("类别"), choices=[c for c in Entry.Kind.choices if c[0] != Entry.Kind.REVERSAL]
    )
    # Text, not a float: the service reads it to the fen and refuses more decimals.
    amount = forms.CharField(label=_("金额（元）"), max_length=20, help_text=MONEY_HELP)
    summary = forms.CharField(label=_("摘要"), max_length=200)
    donor = forms.CharField(label=_("捐赠方"), max_length=100, required=False)
    voucher = forms.CharField(label=_("凭证号"), max_length=60, required=False)
    override_reason = forms.CharField(
        label=_("超支批准理由"),
        max_length=200,
        required=False,
        help_text=_("余额不足时，由有审批权限的人员填写理由后仍可支出（记入审计）。"),
    )


class ReverseForm(StyledForm):
    reason = forms.CharField(label=_("冲正原因"), max_length=200)
    on = forms.DateField(
        label=_("冲正日期"), required=False, widget=DateInput(), help_text=_("不填为今天。")
    )
    override_reason = forms.CharField(label=_("超支批准理由"), max_length=200, required=False)
