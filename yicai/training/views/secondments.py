"""Secondment pages: the list with today's figures, one secondment with its monthly reports
(the trainee submits, the linked leader comments), needs and completion; the forms to plan a
secondment and a batch."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.training.declarations import BACKFILL
from yicai.training.exports.secondments import SECONDMENT_HEADERS, secondment_rows
from yicai.training.forms.secondments import (
    BatchForm,
    CommentForm,
    CompletionForm,
    NeedForm,
    ReportForm,
    ResolveForm,
    SecondmentFilterForm,
    SecondmentForm,
)
from yicai.training.models import Secondment, SecondmentBatch
from yicai.training.queries import secondments as secondments_queries
from yicai.training.queries.secondments import (
    author_of,
    batch_list,
    batch_region,
    need_for,
    needs_of,
    report_for,
    reports_of,
    secondment_figures,
    secondment_for,
    secondment_may_edit,
    secondments_for,
)
from yicai.training.services import secondments as secondments_services
from yicai.training.services.secondments import (
    SECONDMENT_FIELDS,
    monthly_report_comment,
    monthly_report_submit,
    secondment_batch_create,
    secondment_need_raise,
    secondment_need_resolve,
    secondment_update,
)
from yicai.training.views import TRAINING
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import acted, form_page, page_with_forms


@login_required
def secondment_list(request):
    def extra(_listing, filters):
        as_of = filters.get("as_of")
        return {
            "figures": secondment_figures(request.user, as_of),
            "batches": batch_list(request.user, as_of),
            "as_of": as_of,
            "can_edit": has_perm(request.user, "training.edit"),
        }

    export = Export(_("进修人员"), SECONDMENT_HEADERS, secondment_rows, _("导出进修人员"))
    form = SecondmentFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        TRAINING,
        "training/secondment_list.html",
        form,
        secondments_queries.secondment_list,
        export,
        extra,
    )


def _detail_context(request, secondment: Secondment, **forms) -> dict:
    user, person_id = request.user, request.user.person_id
    active = secondment.status == Secondment.Status.ACTIVE
    can_edit = may(user, "training.edit", secondments_for, secondment.pk)
    can_backfill = secondment_may_edit(user, secondment, BACKFILL)
    is_trainee = person_id is not None and person_id == secondment.person_id
    is_leader = person_id is not None and person_id == secondment.linked_leader_id
    return {
        "secondment": secondment,
        "reports": reports_of(secondment),
        "needs": needs_of(secondment),
        "techniques": secondment.techniques.all(),
        "can_edit": can_edit,
        "is_leader": is_leader,
        # An administrator enters past reports and the leader's comments on their behalf.
        "is_trainee": is_trainee,
        "can_backfill": can_backfill and not is_trainee,
        "can_report": (is_trainee and active) or (can_backfill and not is_trainee),
        "can_raise": (is_trainee or can_edit) and active,
        "can_resolve": can_edit or is_leader,
        "report_form": forms.get("report_form") or ReportForm(initial={"month": _this_month()}),
        "need_form": forms.get("need_form") or NeedForm(),
        "completion_form": forms.get("completion_form")
        or CompletionForm(initial={"completed_on": timezone.localdate()}),
        "comment_errors": forms.get("comment_errors", {}),
        "active": active,
    }


def _this_month():
    return timezone.localdate().replace(day=1)


_secondment_page = page_with_forms("training/secondment_detail.html", _detail_context)


@login_required
def secondment_detail(request, pk):
    require(request.user, "training.view")
    return _secondment_page(request, secondment_for(request.user, pk))


@login_required
def secondment_create(request):
    require(request.user, "training.edit")
    form = SecondmentForm(request.user, request.POST or None)
    return form_page(
        request,
        form,
        "training/secondment_form.html",
        save=lambda values: secondments_services.secondment_create(**values),
        message=lambda secondment: _("已登记进修：%s") % secondment,
        then=lambda secondment: redirect("training:secondment", secondment.pk),
    )


@login_required
def secondment_edit(request, pk):
    require(request.user, "training.edit")
    secondment = secondment_for(request.user, pk, "training.edit")
    initial = initial_from(secondment, SECONDMENT_FIELDS)
    form = SecondmentForm(request.user, request.POST or None, initial=initial, editing=True)
    return form_page(
        request,
        form,
        "training/secondment_form.html",
        {"secondment": secondment},
        save=lambda values: secondment_update(secondment=secondment, **values),
        message=_("已保存。"),
        then=lambda _saved: redirect("training:secondment", secondment.pk),
    )


@login_required
def batch_create(request):
    require(request.user, "training.edit")
    form = BatchForm(request.user, request.POST or None)

    def save(values: dict[str, Any]) -> SecondmentBatch:
        region = batch_region(request.user, values["institution"])
        if region is None:
            raise ValidationError({"institution": _("请选择组织机构。")})
        return secondment_batch_create(region=region, **values)

    return form_page(
        request,
        form,
        "training/batch_form.html",
        save=save,
        message=lambda batch: _("已创建进修批次：%s") % batch,
        then=lambda batch: redirect(f"{reverse('training:secondments')}?batch={batch.pk}"),
    )


def _author(request, secondment, own_id) -> dict:
    author = author_of(request.user, secondment, own_id)
    if author is None:
        raise PermissionDenied
    return author


@login_required
@require_POST
def report_submit(request, pk):
    secondment = secondment_for(request.user, pk)
    author = _author(request, secondment, secondment.person_id)
    form = ReportForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _secondment_page(request, secondment, status=400, report_form=form),
        save=lambda values: monthly_report_submit(secondment=secondment, **author, **values),
        message=_("月报已提交。"),
        then=lambda _report: redirect("training:secondment", pk),
    )


@login_required
@require_POST
def report_comment(request, pk):
    user = request.user
    report = report_for(user, pk)
    secondment = report.secondment
    # Anyone else who sees it is told by the service that only the leader comments.
    author = author_of(user, secondment, secondment.linked_leader_id) or {
        "person": user.person if user.person_id else None
    }
    form = CommentForm(request.POST, backfill="entered_by" in author)
    if form.is_valid():
        acted(
            request,
            lambda: monthly_report_comment(report=report, **author, **form.cleaned_data),
            lambda _comment: _("已批注 %s 的月报。") % report.month.strftime("%Y-%m"),
        )
    else:
        messages.error(request, _("请填写批注内容。"))
    return redirect("training:secondment", report.secondment_id)


@login_required
@require_POST
def need_raise(request, pk):
    secondment = secondment_for(request.user, pk)
    context = _detail_context(request, secondment)
    if not context["can_raise"]:
        raise PermissionDenied
    form = NeedForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _secondment_page(request, secondment, status=400, need_form=form),
        save=lambda values: secondment_need_raise(secondment=secondment, **values),
        message=_("需求已登记。"),
        then=lambda _need: redirect("training:secondment", pk),
    )


@login_required
@require_POST
def need_resolve(request, pk):
    need = need_for(request.user, pk)
    context = _detail_context(request, need.secondment)
    if not context["can_resolve"]:
        raise PermissionDenied
    form = ResolveForm(request.POST)
    if form.is_valid():
        secondment_need_resolve(need=need, resolution=form.cleaned_data["resolution"])
        messages.success(request, _("已记录解决情况。"))
    else:
        messages.error(request, _("请填写解决情况。"))
    return redirect("training:secondment", need.secondment_id)


@login_required
@require_POST
def secondment_complete(request, pk):
    require(request.user, "training.edit")
    secondment = secondment_for(request.user, pk, "training.edit")
    form = CompletionForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _secondment_page(request, secondment, status=400, completion_form=form),
        save=lambda values: secondments_services.secondment_complete(
            secondment=secondment, **values
        ),
        message=lambda planned: _("已结业，%d 项新技术列入计划引进。") % len(planned),
        then=lambda _planned: redirect("training:secondment", pk),
    )


@login_required
@require_POST
def secondment_withdraw(request, pk):
    require(request.user, "training.edit")
    secondment = secondment_for(request.user, pk, "training.edit")
    acted(
        request,
        lambda: secondments_services.secondment_withdraw(
            secondment=secondment, on=timezone.localdate()
        ),
        _("已中止进修。"),
    )
    return redirect("training:secondment", pk)
