"""The filter forms (the list pages and the API) and edit forms of funds and their ledger,
incentive policies with their rules and dated amounts, and award runs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, FilterForm, StyledForm
from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.org.forms import ScopedFilterForm, institution_filter
from yicai.org.models import Institution
from yicai.people.forms import CodeChoiceField
from yicai.people.models import TitleGrade
from yicai.retention.models import AwardLine, AwardRun, Entry, Fund, Policy, Rule
from yicai.retention.queries.funds import funds_for
from yicai.retention.queries.policies import funds_to_pay_from, policies_for
from yicai.web.forms import field_of

MONEY_HELP = _("元，最多两位小数。")


def _period_in_order(form: forms.Form, data: dict[str, Any], first: str, last: str) -> None:
    if data.get(first) and data.get(last) and data[last] < data[first]:
        form.add_error(last, _("截止日期不能早于起始日期。"))


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *choices]


# --- Funds and their ledger --------------------------------------------------------------


class FundFilterForm(FilterForm):
    q = forms.CharField(label=_("资金名称"), required=False)
    kind = forms.ChoiceField(label=_("资金类型"), required=False, choices=_all(Fund.Kind.choices))
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
        label=_("收支"), required=False, choices=_all(Entry.Direction.choices)
    )
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=_all(Entry.Kind.choices))
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
        _period_in_order(self, data, "since", "until")
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


# --- Policies ----------------------------------------------------------------------------


class PolicyFilterForm(FilterForm):
    q = forms.CharField(label=_("政策名称 / 发文单位 / 文号"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_all(Policy.Status.choices))
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
        _period_in_order(self, data, "effective_from", "effective_to")
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
        help_text=_("人才引进填层次（如 A类）；工作室填 national / provincial / district。"),
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


# --- Award runs --------------------------------------------------------------------------


class RunFilterForm(FilterForm):
    policy: forms.ModelChoiceField[Policy] = forms.ModelChoiceField(
        label=_("激励政策"), queryset=Policy.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_all(AwardRun.Status.choices)
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
        _period_in_order(self, data, "since", "until")
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
        _period_in_order(self, data, "period_start", "period_end")
        return data


class LineFilterForm(ScopedFilterForm):
    institution_permission = "retention.money"
    q = forms.CharField(label=_("姓名 / 条款 / 事项"), required=False)
    institution = institution_filter(_("机构"))
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=_all(AwardLine.Status.choices)
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
