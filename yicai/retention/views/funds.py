"""Funds and their ledger (经费台账): the funds with their balances for a year and as of a day,
the form to open or rename one, a fund's page (its entries with the running balance, the form
to record money in or out, reversals), and the finance office's export of the ledger with its
running balances."""

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.forms import preselect_only_choice
from yicai.access.models import RequestUser
from yicai.access.scope import has_perm, require
from yicai.retention.forms.funds import (
    EntryFilterForm,
    EntryForm,
    FundFilterForm,
    FundForm,
    ReverseForm,
)
from yicai.retention.models import CENT, Entry, Fund
from yicai.retention.queries import funds as queries
from yicai.retention.queries.regions import commission_region
from yicai.retention.services import funds as services
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, ListPermissions, editable_ids, list_page, may
from yicai.web.views import form_page

MONEY = "retention.money"
LEDGER = "retention.ledger"
APPROVE = "retention.approve"
RETENTION = ListPermissions(view=MONEY, export=MONEY, edit=LEDGER)

FUND_HEADERS = [
    gettext_lazy("资金"),
    gettext_lazy("类型"),
    gettext_lazy("管理机构"),
    gettext_lazy("上年结转"),
    gettext_lazy("本期收入"),
    gettext_lazy("本期支出"),
    gettext_lazy("余额"),
]
LEDGER_HEADERS = [
    gettext_lazy("资金"),
    gettext_lazy("入账日期"),
    gettext_lazy("收支"),
    gettext_lazy("类别"),
    gettext_lazy("摘要"),
    gettext_lazy("捐赠方"),
    gettext_lazy("凭证号"),
    gettext_lazy("收入"),
    gettext_lazy("支出"),
    gettext_lazy("余额"),
    gettext_lazy("冲正说明"),
]


def _keeper(fund: Fund) -> str:
    return fund.institution.name if fund.institution is not None else _("卫健委")


def fen(value: object) -> Decimal:
    """A sum to the fen (SQLite sums in floating point; PostgreSQL exactly)."""
    return Decimal(str(value or 0)).quantize(CENT)


def fund_rows(funds: "QuerySet[Fund]") -> Iterator[list[object]]:
    for fund in funds.iterator(chunk_size=2000):
        yield [
            fund.name,
            fund.get_kind_display(),
            _keeper(fund),
            # Annotated by fund_balances.
            fen(fund.brought),  # type: ignore[attr-defined]
            fen(fund.income),  # type: ignore[attr-defined]
            fen(fund.expense),  # type: ignore[attr-defined]
            fen(fund.closing),  # type: ignore[attr-defined]
        ]


def reversal_note(entry: Entry) -> str:
    """What the 冲正说明 column says: the entry it reverses, or the day it was reversed."""
    if entry.reverses_id is not None and entry.reverses is not None:
        return _("冲正 %(day)s 的记录") % {"day": entry.reverses.on}
    reversal = getattr(entry, "reversed_by", None)
    if reversal is not None:
        return _("已于 %(day)s 冲正") % {"day": reversal.on}
    return ""


def ledger_rows(entries: "QuerySet[Entry]") -> Iterator[list[object]]:
    """One line per entry with its fund's balance after it (the finance office's ledger)."""
    for entry, running in queries.with_running_balances(entries):
        income = entry.direction == Entry.Direction.INCOME
        yield [
            entry.fund.name,
            entry.on,
            entry.get_direction_display(),
            entry.get_kind_display(),
            entry.summary,
            entry.donor,
            entry.voucher,
            entry.amount if income else "",
            "" if income else entry.amount,
            running,
            reversal_note(entry),
        ]


def _ledger(user: RequestUser, **filters: Any) -> "QuerySet[Entry]":
    return queries.entry_list(user, **filters).select_related("reverses", "reversed_by")


def _fund_list(user: RequestUser, **filters: Any) -> "QuerySet[Fund]":
    year, as_of = filters.pop("year", None), filters.pop("as_of", None)
    funds = queries.fund_balances(queries.fund_list(user, **filters), year, as_of)
    return funds.order_by("name", "id")


@login_required
def fund_list(request: HttpRequest) -> HttpResponseBase:
    def extra(listing: Listing, filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, LEDGER),
            "editable": editable_ids(request.user, LEDGER, queries.funds_for, listing),
            "year": filters.get("year"),
            "as_of": filters.get("as_of"),
        }

    export = Export(_("经费台账"), FUND_HEADERS, fund_rows, _("导出经费台账"))
    form = FundFilterForm(request.GET or None)
    return list_page(
        request, RETENTION, "retention/fund_list.html", form, _fund_list, export, extra
    )


@login_required
def fund_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, LEDGER)
    fund = queries.fund_for(request.user, pk, LEDGER) if pk else None
    initial = initial_from(fund, services.FUND_FIELDS) if fund else None
    form = FundForm(request.user, request.POST or None, initial=initial)
    if fund is not None:
        del form.fields["institution"]  # who keeps a fund stays
    elif commission_region(request.user, LEDGER) is None:
        # An institution's administrator opens funds of their institution only.
        form.fields["institution"].help_text = ""
        preselect_only_choice(form)

    def save(values: dict[str, Any]) -> Fund:
        if fund is not None:
            return services.fund_update(fund=fund, by=request.user, **values)
        if values.get("institution") is None and commission_region(request.user, LEDGER) is None:
            offered = list(form.fields["institution"].queryset[:2])  # type: ignore[attr-defined]
            values["institution"] = offered[0] if len(offered) == 1 else None
        return services.fund_create(by=request.user, **values)

    return form_page(
        request,
        form,
        "retention/fund_form.html",
        {"fund": fund},
        save=save,
        message=lambda saved: _("已保存资金：%s") % saved.name,
        then=lambda saved: redirect("retention:fund", saved.pk),
        reread=fund,
    )


def _ledger_page(
    request: HttpRequest,
    fund: Fund | None,
    entry_form: EntryForm | None = None,
    reverse_form: ReverseForm | None = None,
    reversing: int | None = None,
) -> HttpResponseBase:
    """A fund's ledger (all the funds' one without a fund): the entries with their running
    balance under the filters, the export, and the forms of those who keep the fund."""
    user = request.user
    form = EntryFilterForm(user, request.GET or None)
    if fund is not None:
        del form.fields["fund"]
    keeps = fund is not None and may(user, LEDGER, queries.funds_for, fund.pk)
    approver = has_perm(user, APPROVE)
    if keeps and entry_form is None:
        entry_form = EntryForm(initial={"direction": Entry.Direction.INCOME})
    if entry_form is not None and not approver:
        entry_form.fields.pop("override_reason", None)

    def query(user: RequestUser, **filters: Any) -> "QuerySet[Entry]":
        if fund is not None:
            filters["fund"] = fund
        return _ledger(user, **filters)

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        shown = listing["page_obj"].object_list
        rows = list(queries.with_running_balances(shown)) if shown is not None else []
        context: dict[str, Any] = {
            "fund": fund,
            "rows": rows,
            "keeps": keeps,
            "entry_form": entry_form,
            "reverse_form": reverse_form or (ReverseForm() if keeps else None),
            "reversing": reversing,
            "approver": approver,
        }
        if fund is not None:
            context["balance"] = queries.balance(fund)
        return context

    name = _("%s 台账") % fund.name if fund is not None else _("经费台账明细")
    export = Export(name, LEDGER_HEADERS, ledger_rows, _("导出台账明细"))
    template = "retention/fund_detail.html" if fund is not None else "retention/entry_list.html"
    response = list_page(request, RETENTION, template, form, query, export, extra)
    bound = entry_form is not None and entry_form.is_bound
    if request.method == "POST" and (bound or reverse_form is not None):
        response.status_code = 400
    return response


@login_required
def fund_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, MONEY)
    return _ledger_page(request, queries.fund_for(request.user, pk))


@login_required
def entry_list(request: HttpRequest) -> HttpResponseBase:
    """Every fund's entries the user sees, with their funds' running balances."""
    require(request.user, MONEY)
    return _ledger_page(request, None)


@login_required
@require_POST
def entry_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, LEDGER)
    fund = queries.fund_for(request.user, pk, LEDGER)
    form = EntryForm(request.POST)
    if not has_perm(request.user, APPROVE):
        form.fields.pop("override_reason", None)
    return form_page(
        request,
        form,
        lambda: _ledger_page(request, fund, entry_form=form),
        save=lambda values: services.entry_record(fund=fund, by=request.user, **values),
        message=lambda entry: (
            _("已登记%(direction)s %(amount)s 元：%(summary)s")
            % {
                "direction": entry.get_direction_display(),
                "amount": entry.amount,
                "summary": entry.summary,
            }
        ),
        then=lambda _entry: redirect("retention:fund", fund.pk),
    )


@login_required
@require_POST
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, LEDGER)
    entry = queries.entry_for(request.user, pk, LEDGER)
    form = ReverseForm(request.POST)
    if not has_perm(request.user, APPROVE):
        form.fields.pop("override_reason", None)
    return form_page(
        request,
        form,
        lambda: _ledger_page(request, entry.fund, reverse_form=form, reversing=entry.pk),
        save=lambda values: services.entry_reverse(entry=entry, by=request.user, **values),
        message=lambda reversal: _("已冲正：%s") % reversal.summary,
        then=lambda _reversal: redirect("retention:fund", entry.fund_id),
    )
