"""Directed students (定向培养): the contracts' list with its export and figures by year of
enrolment and kind, the form, and a contract's page with its steps (graduation, assignment,
the start at the service place, leaving or fulfilment) and the breach for the commission to
decide."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import require
from yicai.recruitment import queries, services
from yicai.recruitment.forms import (
    AssignForm,
    ClawbackForm,
    ContractFilterForm,
    ContractForm,
    DirectedLeaveForm,
    PlanStepForm,
    StartForm,
)
from yicai.recruitment.models import DirectedContract
from yicai.recruitment.views import RECRUITMENT, _with_edits
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import form_page, page_with_forms, step_view

CONTRACT_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("身份证号码"),
    gettext_lazy("类型"),
    gettext_lazy("培养院校"),
    gettext_lazy("专业"),
    gettext_lazy("入学年份"),
    gettext_lazy("预计毕业年份"),
    gettext_lazy("委托培养单位"),
    gettext_lazy("服务单位"),
    gettext_lazy("服务年限（年）"),
    gettext_lazy("到岗日期"),
    gettext_lazy("服务期满日期"),
    gettext_lazy("状态"),
    gettext_lazy("培养费用（元）"),
]


def contract_rows(contracts: "QuerySet[DirectedContract]") -> Iterator[list[object]]:
    for contract in contracts.iterator(chunk_size=2000):
        yield [
            contract.name,
            contract.id_number_masked,
            contract.kind.name,
            contract.school,
            contract.major,
            contract.enrolled_year,
            contract.graduation_year,
            contract.sponsor.name,
            contract.service_place.name if contract.service_place else "",
            contract.service_years,
            contract.service_starts_on or "",
            services.service_last_day(contract) or "",
            contract.get_status_display(),
            contract.fees_covered,
        ]


@login_required
def contract_list(request: HttpRequest) -> HttpResponseBase:
    """The contracts, and above them the counts by year of enrolment and kind."""
    form = ContractFilterForm(request.user, request.GET or None)
    edits = _with_edits(request, queries.contracts_for)

    def extra(listing: Any, filters: Any) -> dict[str, Any]:
        institution = filters.get("institution")
        today = timezone.localdate()
        for contract in listing["page_obj"]:  # the rows the page renders
            contract.last_day = services.service_last_day(contract)
            contract.years_left = None
            if contract.last_day and contract.status == DirectedContract.Status.IN_SERVICE:
                contract.years_left = round(max((contract.last_day - today).days, 0) / 365.25, 1)
        return {
            **edits(listing, filters),
            "figures": queries.directed_figures(request.user, institution=institution),
        }

    return list_page(
        request,
        RECRUITMENT,
        "recruitment/contract_list.html",
        form,
        queries.contract_list,
        Export(_("定向培养协议"), CONTRACT_HEADERS, contract_rows, _("导出定向培养协议")),
        extra,
    )


@login_required
def contract_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    contract = queries.contract_for(request.user, pk, queries.EDIT) if pk else None
    fields = tuple(name for name in services.DIRECTED_FIELDS if name not in ("id_number", "phone"))
    initial = initial_from(contract, fields) if contract else None
    form = ContractForm(
        request.user, request.POST or None, initial=initial, editing=contract is not None
    )

    def save(values: dict[str, Any]) -> DirectedContract:
        values = {key: value for key, value in values.items() if value is not None}
        if contract is None:
            return services.directed_contract_create(by=request.user, **values)
        for name in ("id_number", "phone"):
            if not values.get(name):
                values.pop(name, None)  # blank keeps the number on file
        return services.directed_contract_update(contract=contract, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/contract_form.html",
        {"contract": contract},
        save=save,
        message=lambda saved: _("已保存定向培养协议：%s") % saved.name,
        then=lambda saved: redirect("recruitment:contract", saved.pk),
        reread=contract,
    )


def _contract_context(
    request: HttpRequest, contract: DirectedContract, **bound: Any
) -> dict[str, Any]:
    can_edit = may(request.user, queries.EDIT, queries.contracts_for, contract.pk)
    can_approve = may(request.user, queries.APPROVE, queries.contracts_for, contract.pk)
    status = DirectedContract.Status

    def form(name: str, cls: type[forms.Form], *statuses: str) -> forms.Form | None:
        return bound.get(name) or (cls() if can_edit and contract.status in statuses else None)

    breach = getattr(contract, "breach", None)
    return {
        "contract": contract,
        "last_day": services.service_last_day(contract),
        "breach": breach,
        "can_edit": can_edit,
        "editable": can_edit
        and contract.status in (status.STUDYING, status.GRADUATED, status.PLACED),
        "graduate_form": form("graduate_form", PlanStepForm, status.STUDYING),
        "assign_form": form("assign_form", AssignForm, status.GRADUATED, status.PLACED),
        "start_form": form("start_form", StartForm, status.GRADUATED, status.PLACED),
        "leave_form": form("leave_form", DirectedLeaveForm, status.IN_SERVICE),
        "fulfil_form": form("fulfil_form", PlanStepForm, status.IN_SERVICE),
        "breach_form": bound.get("breach_form")
        or (
            ClawbackForm()
            if can_approve and breach is not None and breach.status == breach.Status.PROPOSED
            else None
        ),
    }


_contract_page = page_with_forms("recruitment/contract_detail.html", _contract_context)


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _contract_page(request, queries.contract_for(request.user, pk))


_step = step_view(
    permission=queries.EDIT,
    find=queries.contract_for,
    page=_contract_page,
    then="recruitment:contract",
)


def _said(done: DirectedContract) -> str:
    return _("协议状态：%s") % done.get_status_display()


contract_graduate = _step(
    "graduate_form",
    PlanStepForm,
    lambda _r, contract, values: services.directed_graduate(contract=contract, on=values["on"]),
    _said,
)
contract_assign = _step(
    "assign_form",
    AssignForm,
    lambda _r, contract, values: services.directed_assign(contract=contract, **values),
    _said,
)
contract_start = _step(
    "start_form",
    StartForm,
    lambda _r, contract, values: services.directed_start(contract=contract, on=values["on"]),
    _said,
)
contract_leave = _step(
    "leave_form",
    DirectedLeaveForm,
    lambda _r, contract, values: services.directed_leave(contract=contract, **values),
    _said,
)
contract_fulfil = _step(
    "fulfil_form",
    PlanStepForm,
    lambda _r, contract, values: services.directed_fulfil(contract=contract, on=values["on"]),
    _said,
)


@login_required
@require_POST
def breach_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.APPROVE)
    breach = queries.breach_for(request.user, pk, queries.APPROVE)
    contract = breach.contract
    form = ClawbackForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _contract_page(request, contract, status=400, breach_form=form),
        save=lambda values: services.breach_decide(breach=breach, by=request.user, **values),
        message=lambda done: _("违约退还：%s") % done.get_status_display(),
        then=lambda _done: redirect("recruitment:contract", contract.pk),
    )
