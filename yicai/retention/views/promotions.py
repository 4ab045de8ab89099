"""Title-promotion pages: the rounds (年度, 系列, 状态) with their export; a round held and
changed by the commission; a round's page (its requirements, the figures' sentence, its
applications with their eligibility and result, exported); an application added by an
institution for its own people; results recorded one by one or for the ticked rows."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, has_perm, require
from yicai.retention.forms.promotions import (
    ApplicationFilterForm,
    ApplicationForm,
    RequirementForm,
    ResultForm,
    ResultsForm,
    RoundFilterForm,
    RoundForm,
)
from yicai.retention.models import PromotionApplication, PromotionRound
from yicai.retention.queries import promotions as queries
from yicai.retention.queries.promotions import EDIT, EXPORT, VIEW
from yicai.retention.services import promotions as services
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, ListPermissions, editable_ids, list_page
from yicai.web.views import form_page

PROMOTIONS = ListPermissions(view=VIEW, export=EXPORT, edit=EDIT)

ROUND_HEADERS = [
    gettext_lazy("年度"),
    gettext_lazy("系列"),
    gettext_lazy("名称"),
    gettext_lazy("申报开始"),
    gettext_lazy("申报截止"),
    gettext_lazy("状态"),
    gettext_lazy("申报人数"),
    gettext_lazy("通过人数"),
]
APPLICATION_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("申报单位"),
    gettext_lazy("申报级别"),
    gettext_lazy("申报职称"),
    gettext_lazy("申报日期"),
    gettext_lazy("现级别年限"),
    gettext_lazy("当年继续教育学分"),
    gettext_lazy("资格"),
    gettext_lazy("资格说明"),
    gettext_lazy("评审结果"),
    gettext_lazy("结果日期"),
]


def round_rows(rounds: "QuerySet[PromotionRound]") -> Iterator[list[object]]:
    for item in rounds.iterator(chunk_size=2000):
        yield [
            item.year,
            item.series.name,
            item.name,
            item.opens_on,
            item.closes_on,
            item.get_status_display(),
            item.applied,  # type: ignore[attr-defined]
            item.passed,  # type: ignore[attr-defined]
        ]


def application_rows(applications: "QuerySet[PromotionApplication]") -> Iterator[list[object]]:
    for item in applications.iterator(chunk_size=2000):
        yield [
            item.person.name,
            item.institution.name,
            item.get_grade_display(),
            item.title.name,
            item.applied_on,
            "" if item.years_in_grade is None else item.years_in_grade,
            "" if item.credits is None else item.credits,
            item.get_eligibility_display(),
            "；".join(item.reason_lines),
            item.get_result_display(),
            item.result_on or "",
        ]


@login_required
def round_list(request: HttpRequest) -> HttpResponseBase:
    user = request.user

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_create": has_perm(user, EDIT) and bool(queries.holds_rounds(user)),
            "editable": editable_ids(
                user, EDIT, lambda u, _p: queries.rounds_to_manage(u), listing
            ),
        }

    return list_page(
        request,
        PROMOTIONS,
        "retention/promotion_round_list.html",
        RoundFilterForm(user, request.GET or None),
        queries.round_list,
        Export(_("职称晋升评审"), ROUND_HEADERS, round_rows, _("导出职称晋升评审")),
        extra,
    )


def _commission(user: RequestUser) -> None:
    """Only the commission holds rounds and records results: anyone else is refused."""
    require(user, EDIT)
    if not queries.holds_rounds(user):
        raise PermissionDenied


def _managed_round(user: RequestUser, pk: int) -> PromotionRound:
    _commission(user)
    return get_for(user, queries.rounds_to_manage(user), pk)


@login_required
def round_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    user = request.user
    promotion_round = _managed_round(user, pk) if pk else None
    if promotion_round is None:
        _commission(user)
    initial = initial_from(promotion_round, services.ROUND_FIELDS) if promotion_round else None
    form = RoundForm(request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> PromotionRound:
        if promotion_round is None:
            return services.round_create(by=user, region=queries.round_region(user), **values)
        return services.round_update(promotion_round=promotion_round, by=user, **values)

    return form_page(
        request,
        form,
        "retention/promotion_round_form.html",
        {"promotion_round": promotion_round},
        save=save,
        message=lambda saved: _("已保存职称晋升评审：%s") % saved.name,
        then=lambda saved: redirect("retention:round", saved.pk),
        reread=promotion_round,
    )


def _round_page(
    request: HttpRequest, promotion_round: PromotionRound, status: int = 200, **bound: Any
) -> HttpResponseBase:
    user = request.user
    manage = has_perm(user, EDIT) and queries.may_manage(user, promotion_round)
    is_open = promotion_round.status == PromotionRound.Status.OPEN

    def rows(user: RequestUser, **filters: Any) -> "QuerySet[PromotionApplication]":
        return queries.application_list(user, round=promotion_round, **filters)

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "promotion_round": promotion_round,
            "requirements": queries.requirements_of(promotion_round),
            "figures": queries.figures_of(user, promotion_round),
            "can_manage": manage,
            "can_apply": has_perm(user, EDIT) and is_open,
            "editable": editable_ids(user, EDIT, queries.applications_for, listing),
            "requirement_form": bound.get("requirement_form")
            or (RequirementForm() if manage and is_open else None),
            "result_form": bound.get("result_form"),
            "results_form": bound.get("results_form"),
            "result_choices": ResultForm.base_fields["result"].choices,  # type: ignore[attr-defined]
        }

    response = list_page(
        request,
        PROMOTIONS,
        "retention/promotion_round.html",
        ApplicationFilterForm(user, request.GET or None),
        rows,
        Export(
            _("职称晋升申报-%s") % promotion_round.name,
            APPLICATION_HEADERS,
            application_rows,
            _("导出职称晋升申报"),
        ),
        extra,
    )
    if status != 200:
        response.status_code = status
    return response


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, VIEW)
    return _round_page(request, queries.round_for(request.user, pk))


@login_required
@require_POST
def requirement_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    promotion_round = _managed_round(request.user, pk)
    form = RequirementForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _round_page(request, promotion_round, status=400, requirement_form=form),
        save=lambda values: services.requirement_set(
            promotion_round=promotion_round, by=request.user, **values
        ),
        message=lambda saved: _("已设置%s的申报条件") % saved.get_grade_display(),
        then=lambda _saved: redirect("retention:round", promotion_round.pk),
    )


@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    require(user, EDIT)
    promotion_round = queries.round_for(user, pk, EDIT)
    form = ApplicationForm(user, request.POST or None)
    return form_page(
        request,
        form,
        "retention/promotion_application_form.html",
        {"promotion_round": promotion_round},
        save=lambda values: services.application_create(
            by=user, promotion_round=promotion_round, **values
        ),
        message=lambda saved: (
            _("已登记%(name)s的申报：%(eligibility)s")
            % {"name": saved.person.name, "eligibility": saved.get_eligibility_display()}
        ),
        then=lambda _saved: redirect("retention:round", promotion_round.pk),
    )


@login_required
@require_POST
def application_result(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    require(user, EDIT)
    application = queries.application_for(user, pk, EDIT)
    form = ResultForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _round_page(request, application.round, status=400, result_form=form),
        save=lambda values: services.result_record(application=application, by=user, **values),
        message=lambda saved: (
            _("%(name)s：%(result)s")
            % {"name": saved.person.name, "result": saved.get_result_display()}
        ),
        then=lambda _saved: redirect("retention:round", application.round_id),
    )


@login_required
@require_POST
def round_results(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = request.user
    promotion_round = _managed_round(user, pk)
    ids = list(promotion_round.applications.values_list("pk", flat=True))
    form = ResultsForm(request.POST, ids=ids)
    return form_page(
        request,
        form,
        lambda: _round_page(request, promotion_round, status=400, results_form=form),
        save=lambda values: services.results_record(
            promotion_round=promotion_round, by=user, **values
        ),
        message=lambda saved: _("已登记 %d 份申报的结果") % len(saved),
        then=lambda _saved: redirect("retention:round", promotion_round.pk),
    )
