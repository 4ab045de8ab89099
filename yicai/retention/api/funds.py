"""Funds and their ledger (/api/v1/retention/funds/, /entries/): each fund with its income,
expense, balance brought forward and closing balance for a year and as of a day; its balance
on any day; money in and out through the service the ledger page uses (an expense beyond the
balance refused naming `amount`, let through by an approver who says why), reversals."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from yicai.api.base import ModelInput, ModelOutput, calling_service_as, form_filters, get_one
from yicai.api.fields import Ref, choice, pk_field, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination
from yicai.api.schema import ROW_ID, errors, row_action
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE, institutions_for
from yicai.retention.api.common import (
    LEDGER,
    MONEY,
    TAG,
    day_in,
    money_in,
    money_out,
    override_in,
    reason_in,
)
from yicai.retention.forms.funds import EntryFilterForm, FundFilterForm
from yicai.retention.models import Entry, Fund
from yicai.retention.queries.funds import (
    balance,
    entries_for,
    entry_list,
    fund_balances,
    fund_list,
    funds_for,
)
from yicai.retention.services import funds as services

FUND_KIND = "fund_kind"
ENTRY_DIRECTION, ENTRY_KIND = "entry_direction", "entry_kind"
FUND_OUT_OF_SCOPE = _("所选资金不存在或不在您的管辖范围内。")
# The year and the day a fund's figures are for, as the funds page reads them.
PERIOD = (
    OpenApiParameter(
        "year", int, description=_("收支统计的年度（上年结转为此前各年）；不填为全部年度")
    ),
    OpenApiParameter(
        "as_of", OpenApiTypes.DATE, description=_("截至日期（含）：只计此前入账的记录；不填为全部")
    ),
)


def _fund_kind(**kwargs: Any) -> serializers.ChoiceField:
    return choice("kind", Fund.Kind.choices, _("资金类型"), **kwargs)


def _direction(**kwargs: Any) -> serializers.ChoiceField:
    return choice("direction", Entry.Direction.choices, _("收支"), **kwargs)


def _entry_kind(**kwargs: Any) -> serializers.ChoiceField:
    return choice("kind", Entry.Kind.choices, _("类别"), **kwargs)


class FundOut(ModelOutput):
    region = Ref(read_only=True)
    institution = Ref(read_only=True, allow_null=True, help_text=_("管理机构；卫健委自管的为空"))
    fund_kind = _fund_kind(read_only=True)
    income = money_out(help_text=_("收入（元）：所选年度（及截至日期）内"))
    expense = money_out(help_text=_("支出（元）：所选年度（及截至日期）内"))
    brought = money_out(help_text=_("上年结转（元）：所选年度以前的余额；未选年度时为 0"))
    closing = money_out(help_text=_("期末余额（元）：上年结转 + 收入 − 支出"))

    class Meta:
        model = Fund
        fields = (
            "id",
            "name",
            *with_labels([FUND_KIND], FUND_KIND),
            "region",
            "institution",
            "note",
            "created_at",
            "income",
            "expense",
            "brought",
            "closing",
        )


class FundIn(ModelInput):
    """A fund: the commission's own (no institution: the commission only) or one institution
    keeps (one whose ledger the user keeps)."""

    fund_kind = _fund_kind()

    class Meta:
        model = Fund
        fields: tuple[str, ...] = ("name", FUND_KIND, "institution", "note")
        validators: list[Any] = []  # the service names a fund's name used twice

    def scope_fields(self, user: Any) -> None:
        self.fields["institution"] = pk_field(
            institutions_for(user, LEDGER).filter(relation="managed"),
            INSTITUTION_OUT_OF_SCOPE,
            optional=True,
            help_text=_("管理机构 id；卫健委自管的资金不填。"),
        )


class FundChangeIn(FundIn):
    """A fund's name, kind and note (its keeper does not change)."""

    class Meta(FundIn.Meta):
        fields = ("name", FUND_KIND, "note")

    def scope_fields(self, user: Any) -> None:
        pass


class BalanceOut(serializers.Serializer):
    fund = Ref()
    as_of = serializers.DateField(allow_null=True, help_text=_("截至日期；为空时为全部记录"))
    balance = money_out(help_text=_("该日日终的余额（元）"))


@extend_schema(tags=[TAG])
class FundViewSet(RecordViewSet):
    """Funds the user may see with retention.money (the commission its region's, an
    institution its own), each with its figures for `year` and `as_of`; recorded and changed
    by retention.ledger."""

    permissions = {
        "list": MONEY,
        "retrieve": MONEY,
        "balance": MONEY,
        "create": LEDGER,
        "partial_update": LEDGER,
    }
    pagination_class = cursor_pagination("name", "id")
    filter_form = staticmethod(lambda user, query: FundFilterForm(query))
    list_parameters = [
        OpenApiParameter("q", str, description=_("资金名称中的文字")),
        OpenApiParameter("kind", str, enum=Fund.Kind.values),
        *PERIOD,
    ]
    detail_parameters = PERIOD
    output = FundOut
    create_input = FundIn
    change_input = FundChangeIn
    update_service = services.fund_update
    row_keyword = "fund"
    error_names = {"kind": FUND_KIND}

    def _period(self) -> dict[str, Any]:
        values = form_filters(FundFilterForm(self.request.query_params))
        return {"year": values.get("year"), "as_of": values.get("as_of")}

    def list_rows(self, **filters: Any) -> "QuerySet[Fund]":
        year, as_of = filters.pop("year", None), filters.pop("as_of", None)
        return fund_balances(fund_list(self.request.user, **filters), year=year, as_of=as_of)

    def detail_rows(self) -> "QuerySet[Fund]":
        return fund_balances(funds_for(self.request.user), **self._period())

    def edit_rows(self) -> "QuerySet[Fund]":
        return funds_for(self.request.user, LEDGER)

    def create_record(self, values: dict[str, Any]) -> Fund:
        return services.fund_create(by=self.request.user, **values)

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    @extend_schema(parameters=[ROW_ID, PERIOD[1]], responses={200: BalanceOut, **errors(400, 404)})
    def balance(self, request: Any, pk: str) -> Response:
        """The fund's balance at the end of `as_of` (of everything recorded, without it)."""
        fund = get_one(funds_for(request.user), pk)
        as_of = form_filters(FundFilterForm(request.query_params)).get("as_of")
        shown = {"fund": fund, "as_of": as_of, "balance": balance(fund, as_of)}
        return Response(BalanceOut(shown).data)


# --- The ledger (/entries/) ---------------------------------------------------------------


class EntryOut(ModelOutput):
    fund = Ref(read_only=True)
    entry_direction = _direction(read_only=True)
    entry_kind = _entry_kind(read_only=True)
    award = serializers.IntegerField(
        source="award_id",
        read_only=True,
        allow_null=True,
        help_text=_("所付（或冲回）的奖励明细 id"),
    )
    reverses = serializers.IntegerField(
        source="reverses_id", read_only=True, allow_null=True, help_text=_("冲正的原记录 id")
    )
    reversed_by = serializers.IntegerField(
        source="reversed_by.pk",
        read_only=True,
        allow_null=True,
        help_text=_("冲正本记录的记录 id；未冲正时为空"),
    )

    class Meta:
        model = Entry
        fields = (
            "id",
            "fund",
            "on",
            *with_labels([ENTRY_DIRECTION, ENTRY_KIND], ENTRY_DIRECTION, ENTRY_KIND),
            "amount",
            "summary",
            "donor",
            "voucher",
            "award",
            "reverses",
            "reversed_by",
            "override_reason",
            "recorded_at",
        )


class EntryIn(ModelInput):
    """Money into or out of a fund whose ledger the user keeps, with its real date. An
    expense that would take the fund below zero then or later is refused naming `amount`,
    unless an approver (retention.approve) gives `override_reason` (audited)."""

    entry_direction = _direction()
    # A reversal is made by /reverse/: the service refuses it here, as any kind of the other
    # direction, in its own words.
    entry_kind = _entry_kind()
    amount = money_in(_("金额（元）"))

    class Meta:
        model = Entry
        fields = (
            "fund",
            "on",
            ENTRY_DIRECTION,
            ENTRY_KIND,
            "amount",
            "summary",
            "donor",
            "voucher",
            "override_reason",
        )
        validators: list[Any] = []

    def scope_fields(self, user: Any) -> None:
        self.fields["fund"] = pk_field(funds_for(user, LEDGER), FUND_OUT_OF_SCOPE)


class ReverseIn(serializers.Serializer):
    reason = reason_in(_("冲正原因"))
    on = day_in(_("冲正日期"))
    override_reason = override_in(
        _("冲回收入使余额不足时，由审批人填写理由后仍可冲正（记入审计）。")
    )


@extend_schema(tags=[TAG])
class EntryViewSet(RecordViewSet):
    """The ledgers of the funds the user may see (retention.money), by fund, direction, kind,
    text and day; money in and out, and reversals, by retention.ledger on the fund. An entry
    is never changed or deleted: a mistake is reversed."""

    permissions = {
        "list": MONEY,
        "retrieve": MONEY,
        "create": LEDGER,
        "reverse": LEDGER,
    }
    pagination_class = cursor_pagination("on", "id")
    filter_form = EntryFilterForm
    list_parameters = [
        OpenApiParameter("fund", int, description=_("资金 id")),
        OpenApiParameter("direction", str, enum=Entry.Direction.values),
        OpenApiParameter("kind", str, enum=Entry.Kind.values),
        OpenApiParameter("q", str, description=_("摘要、捐赠方或凭证号中的文字")),
        OpenApiParameter("since", OpenApiTypes.DATE, description=_("入账日期起（含）")),
        OpenApiParameter("until", OpenApiTypes.DATE, description=_("入账日期止（含）")),
    ]
    output = EntryOut
    create_input = EntryIn
    create_service = services.entry_record
    error_names = {"kind": ENTRY_KIND, "direction": ENTRY_DIRECTION}

    def list_rows(self, **filters: Any) -> "QuerySet[Entry]":
        return entry_list(self.request.user, **filters).select_related("reversed_by")

    def detail_rows(self) -> "QuerySet[Entry]":
        return entries_for(self.request.user).select_related("reversed_by")

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}

    @row_action(ReverseIn, EntryOut, 201)
    def reverse(self, request: Any, pk: str) -> Response:
        """Take an entry back with one of the opposite direction (冲正), once; an award it
        paid is reversed too. Answers with the reversing entry."""
        entry = get_one(entries_for(request.user, LEDGER), pk)
        values = self.checked(ReverseIn)
        with calling_service_as():
            reversal = services.entry_reverse(entry=entry, by=request.user, **values)
        return Response(EntryOut(self.get_detail(reversal.pk)).data, status=status.HTTP_201_CREATED)
