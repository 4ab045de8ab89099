"""An introduction's page: its entitlements with their tranches (paid, due, cancelled), the
forms to grant one, to record a payment and the person's leaving, and the clawbacks for the
commission to decide; the payments due as of a day, with their export."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import require
from yicai.recruitment import queries, services
from yicai.recruitment.forms import (
    ClawbackForm,
    EntitlementForm,
    LeaveForm,
    PayForm,
    PaymentsDueForm,
)
from yicai.recruitment.models import Introduction, Tranche
from yicai.recruitment.views import RECRUITMENT, _with_edits
from yicai.web.listing import Export, list_page, may
from yicai.web.views import form_page, next_url, page_with_forms


def _introduction_context(
    request: HttpRequest, introduction: Introduction, **bound: Any
) -> dict[str, Any]:
    user = request.user
    can_edit = may(user, queries.EDIT, queries.introductions_for, introduction.pk)
    can_approve = may(user, queries.APPROVE, queries.introductions_for, introduction.pk)
    staying = introduction.left_on is None
    return {
        "introduction": introduction,
        "last_day": services.commitment_last_day(introduction),
        "entitlements": queries.entitlements_of(introduction),
        "clawbacks": queries.clawbacks_of(introduction),
        "can_edit": can_edit,
        "can_approve": can_approve,
        "entitlement_form": bound.get("entitlement_form")
        or (EntitlementForm() if can_edit and staying else None),
        "leave_form": bound.get("leave_form") or (LeaveForm() if can_edit and staying else None),
        "pay_form": bound.get("pay_form") or (PayForm() if can_edit and staying else None),
        "paying": bound.get("paying"),
        "clawback_form": bound.get("clawback_form") or (ClawbackForm() if can_approve else None),
    }


_introduction_page = page_with_forms("recruitment/introduction_detail.html", _introduction_context)


@login_required
def introduction_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _introduction_page(request, queries.introduction_for(request.user, pk))


@login_required
@require_POST
def entitlement_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    introduction = queries.introduction_for(request.user, pk, queries.EDIT)
    form = EntitlementForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _introduction_page(request, introduction, status=400, entitlement_form=form),
        save=lambda values: services.entitlement_add(introduction=introduction, **values),
        message=lambda saved: _("已登记待遇：%s") % saved.get_kind_display(),
        then=lambda _saved: redirect("recruitment:introduction", introduction.pk),
    )


@login_required
@require_POST
def tranche_pay(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    tranche = queries.tranche_for(request.user, pk, queries.EDIT)
    introduction = tranche.entitlement.introduction
    form = PayForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _introduction_page(
            request, introduction, status=400, pay_form=form, paying=tranche.pk
        ),
        save=lambda values: services.tranche_pay(tranche=tranche, by=request.user, **values),
        message=lambda paid: (
            _("已登记发放：%(kind)s 第 %(n)d 期 %(amount)s 元")
            % {"kind": paid.entitlement.get_kind_display(), "n": paid.number, "amount": paid.amount}
        ),
        # From the payments due list, back to it.
        then=lambda _paid: redirect(
            next_url(request) or reverse("recruitment:introduction", args=[introduction.pk])
        ),
    )


@login_required
@require_POST
def introduction_leave(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    introduction = queries.introduction_for(request.user, pk, queries.EDIT)
    form = LeaveForm(request.POST)

    def said(clawbacks: list[Any]) -> str:
        if not clawbacks:
            return _("已登记离开，未发放的各期已取消；无需退还。")
        return _("已登记离开，未发放的各期已取消；%d 项待遇退还待卫健委审批。") % len(clawbacks)

    return form_page(
        request,
        form,
        lambda: _introduction_page(request, introduction, status=400, leave_form=form),
        save=lambda values: services.introduction_leave(introduction=introduction, **values),
        message=said,
        then=lambda _done: redirect("recruitment:introduction", introduction.pk),
        reread=introduction,
    )


@login_required
@require_POST
def clawback_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.APPROVE)
    clawback = queries.clawback_for(request.user, pk, queries.APPROVE)
    introduction = clawback.entitlement.introduction
    form = ClawbackForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _introduction_page(request, introduction, status=400, clawback_form=form),
        save=lambda values: services.clawback_decide(clawback=clawback, by=request.user, **values),
        message=lambda done: (
            _("退还 %(amount)s 元：%(status)s")
            % {"amount": done.amount, "status": done.get_status_display()}
        ),
        then=lambda _done: redirect("recruitment:introduction", introduction.pk),
    )


PAYMENT_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("引进单位"),
    gettext_lazy("待遇项目"),
    gettext_lazy("期次"),
    gettext_lazy("金额（元）"),
    gettext_lazy("应发日期"),
    gettext_lazy("发放条件"),
]


def payment_rows(tranches: "QuerySet[Tranche]") -> Iterator[list[object]]:
    for tranche in tranches.iterator(chunk_size=2000):
        introduction = tranche.entitlement.introduction
        yield [
            introduction.person.name,
            introduction.institution.name,
            tranche.entitlement.get_kind_display(),
            tranche.number,
            tranche.amount,
            tranche.due_on,
            tranche.condition,
        ]


@login_required
def payments_due(request: HttpRequest) -> HttpResponseBase:
    """Tranches fallen due and not paid (nor cancelled), as of a day."""
    form = PaymentsDueForm(request.user, request.GET or None)
    return list_page(
        request,
        RECRUITMENT,
        "recruitment/payments_due.html",
        form,
        queries.payments_due,
        Export(_("到期待发放的引进待遇"), PAYMENT_HEADERS, payment_rows, _("导出到期待遇")),
        _with_edits(request, queries.tranches_for),
    )
