"""The filter and edit forms of incentive policies, their rules and dated amounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.people.forms import CodeChoiceField
from yicai.people.models import TitleGrade
from yicai.retention.forms.common import MONEY_HELP, all_choices, period_in_order
from yicai.retention.models import Fund, Policy, Rule
from yicai.retention.queries.policies import funds_to_pay_from
from yicai.web.forms import field_of


class PolicyFilterForm(FilterForm):
    q = forms.CharField(label=_("政策名称 / 发文单位 / 文号"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=all_choices(Policy.Status.choices)
    )
    as_of = forms.DateField(label=_("在该日施行"), required=False, widget=DateInput())
    field_order = ("q", "status", "as_of")


class PolicyForm(StyledForm):
    title = forms.CharField(label=_("政策名称"), max_length=200)
    issuer = forms.CharField(label=_("发文单位"), max_length=100)
    document_number = forms.CharField(label=_("文号"), max_length=60, required=False)
    effective_from = forms.DateField(label=_("施行日期"), widget=DateInput())
    effective_to = forms.DateField(
        label=_("失效日期"), required=False, widget=DateInput(), help_text=_("长期有效的留空。")
    )
    fund: forms.ModelChoiceField[Fund] = forms.ModelChoiceField(
        label=_("支出资金"), queryset=Fund.objects.none()
    )
    document = forms.FileField(
        label=_("政策文件"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB；再次上传将替换。"),
    )
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        field_of(self, "fund", forms.ModelChoiceField).queryset = funds_to_pay_from(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_in_order(self, data, "effective_from", "effective_to")
        return data


class RuleForm(StyledForm):
    """A rule: its condition on recorded facts, its schedule, its first amount, and (paid in
    tranches) its shares as "40/30/30" with the months after the fact as "0/12/24"."""

    name = forms.CharField(label=_("条款名称"), max_length=100)
    fact = forms.ChoiceField(label=_("触发事项"), choices=Rule.Fact.choices)
    title_series = CodeChoiceField(
        label=_("职称系列"), queryset=Code.objects.none(), required=False
    )
    title_grade = forms.ChoiceField(
        label=_("职称级别"), required=False, choices=[("", _("（不限）")), *TitleGrade.choices]
    )
    tier = forms.CharField(
        label=_("层次或级别"),
        max_length=40,
        required=False,
        help_text=_(
            "人才引进、引进待遇填层次（如 A类）；工作室、学科、竞赛填级别："
            "national 国家级、provincial 省级、district 区级。"
        ),
    )
    tag = CodeChoiceField(label=_("人才标签"), queryset=Code.objects.none(), required=False)
    rank_at_most = forms.IntegerField(label=_("名次不低于"), required=False, min_value=1)
    schedule = forms.ChoiceField(label=_("发放方式"), choices=Rule.Schedule.choices)
    years = forms.IntegerField(label=_("发放年数"), required=False, min_value=1, max_value=20)
    paid_as = forms.ChoiceField(label=_("支出类别"), choices=Rule.PAID_AS)
    commitment_months = forms.IntegerField(
        label=_("服务承诺（月）"), required=False, min_value=1, max_value=600
    )
    clawback = forms.ChoiceField(label=_("未满服务期"), choices=Rule.Clawback.choices)
    valid_from = forms.DateField(label=_("标准起始日期"), widget=DateInput(), required=False)
    amount = forms.CharField(
        label=_("金额（元）"), max_length=20, required=False, help_text=MONEY_HELP
    )
    shares = forms.CharField(
        label=_("分期比例（%）"), required=False, help_text=_("用 / 分隔，合计 100，如 40/30/30。")
    )
    months = forms.CharField(
        label=_("各期发放月份"), required=False, help_text=_("事项后第几个月，如 0/12/24。")
    )

    def prepare(self) -> None:
        self.fields["title_series"].queryset = Code.objects.filter(  # type: ignore[attr-defined]
            table__key="title", parent__isnull=True
        )
        self.fields["tag"].queryset = Code.objects.filter(  # type: ignore[attr-defined]
            table__key="talent_tag"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares = [s.strip() for s in (data.get("shares") or "").split("/") if s.strip()]
        months = [m.strip() for m in (data.get("months") or "").split("/") if m.strip()]
        if len(shares) != len(months):
            self.add_error("months", _("各期发放月份须与分期比例一一对应。"))
        elif not all(m.isdigit() for m in months):
            self.add_error("months", _("发放月份须是整数。"))
        else:
            data["tranches"] = list(zip(shares, [int(m) for m in months], strict=True))
        if bool(data.get("valid_from")) != bool(data.get("amount")):
            self.add_error("amount", _("标准起始日期和金额须同时填写。"))
        return data


class AmountForm(StyledForm):
    valid_from = forms.DateField(label=_("起始日期"), widget=DateInput())
    amount = forms.CharField(label=_("金额（元）"), max_length=20, help_text=MONEY_HELP)


class RepealForm(StyledForm):
    on = forms.DateField(label=_("废止日期"), widget=DateInput())
