"""Award runs (奖励核发): the list, the form to prepare a run of a published policy for a
period, a run's page (its lines with the fact that qualifies each, excluded and included
while the run waits, its total, the approval by someone other than its preparer), and the
clawbacks (奖励追回) of those who left early, for the commission to decide."""

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

from yicai.access.models import RequestUser
from yicai.access.scope import has_perm, require
from yicai.retention.forms.awards import (
    ApproveForm,
    DecideForm,
    ExcludeForm,
    LineFilterForm,
    RunFilterForm,
    RunForm,
)
from yicai.retention.models import AwardClawback, AwardLine, AwardRun
from yicai.retention.queries import awards as queries
from yicai.retention.services import awards as services
from yicai.retention.views.funds import APPROVE, MONEY, fen
from yicai.retention.views.policies import POLICY
from yicai.web.listing import Export, Listing, ListPermissions, list_page
from yicai.web.views import acted, form_page

AWARDS = ListPermissions(view=MONEY, export=MONEY, edit=POLICY)
ZERO = Decimal("0.00")

RUN_HEADERS = [
    gettext_lazy("政策"),
    gettext_lazy("起始日期"),
    gettext_lazy("截止日期"),
    gettext_lazy("状态"),
    gettext_lazy("人数"),
    gettext_lazy("金额"),
    gettext_lazy("经办人"),
    gettext_lazy("审批人"),
    gettext_lazy("审批日期"),
]
LINE_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("机构"),
    gettext_lazy("条款"),
    gettext_lazy("事项"),
    gettext_lazy("期次"),
    gettext_lazy("应发日期"),
    gettext_lazy("金额"),
    gettext_lazy("计算依据"),
    gettext_lazy("状态"),
    gettext_lazy("剔除或取消原因"),
]
CLAWBACK_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("政策条款"),
    gettext_lazy("离开日期"),
    gettext_lazy("已发放金额"),
    gettext_lazy("应追回金额"),
    gettext_lazy("计算依据"),
    gettext_lazy("状态"),
    gettext_lazy("审批日期"),
    gettext_lazy("审批意见"),
]


def _name(account: Any) -> str:
    return account.display_name if account is not None else ""


def run_rows_for(user: RequestUser) -> Any:
    def rows(runs: "QuerySet[AwardRun]") -> Iterator[list[object]]:
        chosen = list(runs)
        counts = queries.visible_counts(user, [run.pk for run in chosen])
        for run in chosen:
            seen = counts.get(run.pk, {})
            yield [
                str(run.policy),
                run.period_start,
                run.period_end,
                run.get_status_display(),
                seen.get("count", 0),
                fen(seen.get("total")),
                _name(run.prepared_by),
                _name(run.approved_by),
                run.approved_on or "",
            ]

    return rows


@login_required
def run_list(request: HttpRequest) -> HttpResponseBase:
    user = request.user

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        counts = queries.visible_counts(user, [run.pk for run in listing["page_obj"]])
        return {
            "can_prepare": has_perm(user, POLICY),
            "rows": [(run, counts.get(run.pk, {})) for run in listing["page_obj"]],
        }

    export = Export(_("奖励核发"), RUN_HEADERS, run_rows_for(user), _("导出奖励核发"))
    form = RunFilterForm(user, request.GET or None)
    return list_page(
        request, AWARDS, "retention/run_list.html", form, queries.run_list, export, extra
    )


@login_required
def run_create(request: HttpRequest) -> HttpResponseBase:
    require(request.user, POLICY)
    form = RunForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "retention/run_form.html",
        save=lambda values: services.award_run_prepare(by=request.user, **values),
        message=lambda run: _("已生成奖励核发：%s") % run,
        then=lambda run: redirect("retention:run", run.pk),
    )


def line_rows(lines: "QuerySet[AwardLine]") -> Iterator[list[object]]:
    for line in lines.iterator(chunk_size=2000):
        yield [
            line.person.name,
            line.institution.name if line.institution else "",
            line.rule.name,
            line.fact_label,
            line.tranche,
            line.due_on,
            line.amount,
            line.basis,
            line.get_status_display(),
            line.reason,
        ]


def approval_refusal(user: RequestUser, run: AwardRun) -> str:
    """Why the user may not approve the run (the service's words), "" when they may."""
    if run.status != AwardRun.Status.PROPOSED:
        return _("该批次已审批。")
    if not has_perm(user, APPROVE):
        return _("只有审批人可以审批奖励核发。")
    if run.prepared_by_id is not None and run.prepared_by_id == user.pk:
        return _("审批人不能是该批次的经办人。")
    return ""


def _run_page(
    request: HttpRequest,
    run: AwardRun,
    *,
    approve_form: ApproveForm | None = None,
    exclude_form: ExcludeForm | None = None,
    excluding: int | None = None,
) -> HttpResponseBase:
    user = request.user
    form = LineFilterForm(user, request.GET or None)
    proposed = run.status == AwardRun.Status.PROPOSED
    refusal = approval_refusal(user, run)

    def query(user: RequestUser, **filters: Any) -> "QuerySet[AwardLine]":
        return queries.line_list(user, run=run, **filters)

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        seen = queries.visible_counts(user, [run.pk]).get(run.pk, {})
        return {
            "run": run,
            "rows": [(line, line.fact_url) for line in listing["page_obj"]],
            "people": seen.get("count", 0),
            "total": seen.get("total") or ZERO,
            "reviewing": proposed and has_perm(user, POLICY),
            "refusal": refusal if proposed and has_perm(user, POLICY) else "",
            "approve_form": approve_form or (ApproveForm() if not refusal else None),
            "exclude_form": exclude_form,
            "excluding": excluding,
        }

    export = Export(_("奖励明细 %s") % run, LINE_HEADERS, line_rows, _("导出奖励明细"))
    response = list_page(request, AWARDS, "retention/run_detail.html", form, query, export, extra)
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, MONEY)
    return _run_page(request, queries.run_for(request.user, pk))


@login_required
@require_POST
def run_approve(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, APPROVE)
    run = queries.run_for(request.user, pk, APPROVE)
    form = ApproveForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _run_page(request, run, approve_form=form),
        save=lambda values: services.award_run_approve(run=run, by=request.user, **values),
        message=lambda approved: (
            _("已审批：%(run)s，%(total)s 元已从%(fund)s支出")
            % {
                "run": approved,
                "total": queries.run_total(approved),
                "fund": approved.policy.fund,
            }
        ),
        then=lambda _approved: redirect("retention:run", run.pk),
        reread=run,
    )


@login_required
@require_POST
def line_exclude(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    line = queries.line_for(request.user, pk, POLICY)
    form = ExcludeForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _run_page(request, line.run, exclude_form=form, excluding=line.pk),
        save=lambda values: services.line_exclude(line=line, by=request.user, **values),
        message=lambda done: _("已剔除：%s") % done.person.name,
        then=lambda _done: redirect("retention:run", line.run_id),
    )


@login_required
@require_POST
def line_include(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, POLICY)
    line = queries.line_for(request.user, pk, POLICY)
    acted(
        request,
        lambda: services.line_include(line=line, by=request.user),
        _("已恢复：%s") % line.person.name,
    )
    return redirect("retention:run", line.run_id)


def clawback_rows(clawbacks: "QuerySet[AwardClawback]") -> Iterator[list[object]]:
    for clawback in clawbacks.iterator(chunk_size=2000):
        yield [
            clawback.person.name,
            f"{clawback.rule.policy} · {clawback.rule}",
            clawback.left_on,
            clawback.paid,
            clawback.amount,
            clawback.basis,
            clawback.get_status_display(),
            clawback.decided_on or "",
            clawback.reason,
        ]


def _clawbacks(user: RequestUser, permission: str | None = None) -> "QuerySet[AwardClawback]":
    return queries.clawbacks_for(user, permission or MONEY)


def _clawback_page(
    request: HttpRequest, decide_form: DecideForm | None = None, deciding: int | None = None
) -> HttpResponseBase:
    user = request.user

    def extra(_listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_decide": has_perm(user, APPROVE),
            "decide_form": decide_form,
            "deciding": deciding,
        }

    export = Export(_("奖励追回"), CLAWBACK_HEADERS, clawback_rows, _("导出奖励追回"))
    response = list_page(
        request, AWARDS, "retention/clawback_list.html", None, _clawbacks, export, extra
    )
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def clawback_list(request: HttpRequest) -> HttpResponseBase:
    return _clawback_page(request)


@login_required
@require_POST
def clawback_decide(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, APPROVE)
    clawback = queries.clawback_for(request.user, pk, APPROVE)
    form = DecideForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _clawback_page(request, decide_form=form, deciding=clawback.pk),
        save=lambda values: services.award_clawback_decide(
            clawback=clawback, by=request.user, **values
        ),
        message=lambda done: (
            _("追回 %(amount)s 元：%(status)s")
            % {"amount": done.amount, "status": done.get_status_display()}
        ),
        then=lambda _done: redirect("retention:clawbacks"),
    )
