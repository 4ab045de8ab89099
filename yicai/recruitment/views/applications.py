"""Applicants (报名) through to a hire: the list with its export, a post's page (its ranking
and its applicants under review, the medical-check shortlist), an application's page with a
form for each step, the public notice (公示) with its .xlsx and PDF of masked identity
numbers. Every step is a service's; the pages only show its answer."""

from collections.abc import Iterator, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai import exports
from yicai.access import audit
from yicai.access.scope import require
from yicai.recruitment import notices, queries, services
from yicai.recruitment.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    CheckForm,
    EligibilityForm,
    NoticeForm,
    ObjectionForm,
    OutForm,
    PlanStepForm,
    ReasonForm,
    ResolveForm,
    ScoresForm,
)
from yicai.recruitment.models import Application, Post, PublicNotice, RecruitmentPlan
from yicai.recruitment.views import RECRUITMENT, _with_edits
from yicai.web.forms import initial_from
from yicai.web.listing import Export, list_page, may
from yicai.web.views import acted, form_page, page_with_forms, step_view
from yicai.xlsx import attachment

EXPORT = "recruitment.export"
APPLICATION_HEADERS = [
    gettext_lazy("招聘单位"),
    gettext_lazy("年度"),
    gettext_lazy("招聘计划"),
    gettext_lazy("岗位"),
    gettext_lazy("准考证号"),
    gettext_lazy("姓名"),
    gettext_lazy("性别"),
    gettext_lazy("身份证号码"),
    gettext_lazy("手机号码"),
    gettext_lazy("学历"),
    gettext_lazy("学位"),
    gettext_lazy("毕业院校"),
    gettext_lazy("所学专业"),
    gettext_lazy("职称"),
    gettext_lazy("报名日期"),
    gettext_lazy("状态"),
    gettext_lazy("资格审查意见"),
    gettext_lazy("笔试成绩"),
    gettext_lazy("面试成绩"),
    gettext_lazy("综合成绩"),
    gettext_lazy("止步环节"),
    gettext_lazy("原因"),
]


def _name(code: Any) -> str:
    return code.name if code is not None else ""


def application_rows(applications: "QuerySet[Application]") -> Iterator[list[object]]:
    """The list's rows as the page shows them: identity and phone numbers masked."""
    for item in applications.select_related("sex").iterator(chunk_size=2000):
        plan = item.post.plan
        combined = queries.combined_score(item, plan)
        yield [
            plan.institution.name,
            plan.year,
            plan.title,
            item.post.name,
            item.exam_number,
            item.name,
            _name(item.sex),
            item.id_number_masked,
            item.phone_masked,
            _name(item.education),
            _name(item.degree),
            item.school,
            item.major,
            _name(item.title),
            item.applied_on,
            item.get_status_display(),
            item.eligibility_reason or item.eligibility_findings,
            item.written_score if item.written_score is not None else "",
            item.interview_score if item.interview_score is not None else "",
            combined if combined is not None else "",
            item.get_stage_display(),
            item.outcome_reason,
        ]


@login_required
def application_list(request: HttpRequest) -> HttpResponseBase:
    extra = _with_edits(request, queries.applications_for)
    export = Export(_("报名人员"), APPLICATION_HEADERS, application_rows, _("导出报名人员"))
    form = ApplicationFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        RECRUITMENT,
        "recruitment/application_list.html",
        form,
        queries.application_list,
        export,
        extra,
    )


# --- A post's page: its ranking, its applicants under review, the shortlist ----------------


def _post_context(request: HttpRequest, post: Post) -> dict[str, Any]:
    plan = post.plan
    can_edit = may(request.user, queries.EDIT, queries.plans_for, plan.pk)
    return {
        "post": post,
        "plan": plan,
        "figures": queries.post_figures(post),
        "ranking": queries.post_ranking(post),
        "under_review": queries.under_review(post),
        "can_edit": can_edit,
        "recruiting": can_edit and plan.status == RecruitmentPlan.Status.PUBLISHED,
    }


_post_page = page_with_forms("recruitment/post_detail.html", _post_context)


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _post_page(request, queries.post_for(request.user, pk))


def _names(applications: list[Application]) -> str:
    return "、".join(application.name for application in applications)


@login_required
@require_POST
def post_shortlist(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    post = queries.post_for(request.user, pk, queries.EDIT)

    def said(shortlist: services.Shortlist) -> str:
        if shortlist.tied:
            messages.warning(
                request,
                _("%(names)s 成绩并列，剩余名额不足：请加试或人工确定后，在考生页面逐个确定。")
                % {"names": _names(shortlist.tied)},
            )
        if shortlist.chosen:
            return _("已确定体检人选：%s") % _names(shortlist.chosen)
        return _("本次没有确定体检人选。")

    acted(request, lambda: services.post_shortlist(post=post), said)
    return redirect("recruitment:post", post.pk)


# --- An application: its form, its page, a form for each step ------------------------------


@login_required
def application_edit(
    request: HttpRequest, pk: int | None = None, post: int | None = None
) -> HttpResponseBase:
    """A new application to a post (`post`), or corrections to one (`pk`)."""
    require(request.user, queries.EDIT)
    application = queries.application_for(request.user, pk, queries.EDIT) if pk else None
    target = application.post if application else queries.post_for(request.user, post, queries.EDIT)
    fields = [name for name in services.APPLICATION_FIELDS if name not in ("id_number", "phone")]
    initial = initial_from(application, tuple(fields)) if application else None
    form = ApplicationForm(request.POST or None, initial=initial, editing=application is not None)

    def save(values: dict[str, Any]) -> Application:
        if application is None:
            return services.application_create(by=request.user, post=target, **values)
        for name in ("id_number", "phone"):
            if not values[name]:
                values[name] = None  # blank keeps the number on file
        return services.application_update(application=application, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/application_form.html",
        {"application": application, "post": target},
        save=save,
        message=lambda saved: (
            _("已保存报名：%(name)s（%(status)s）")
            % {"name": saved.name, "status": saved.get_status_display()}
        ),
        then=lambda saved: redirect("recruitment:application", saved.pk),
        reread=application,
    )


def _application_context(
    request: HttpRequest, application: Application, **bound: Any
) -> dict[str, Any]:
    can_edit = may(request.user, queries.EDIT, queries.applications_for, application.pk)
    status = Application.Status
    waiting = application.status
    ranking = queries.post_ranking(application.post)
    ranked = next((line for line in ranking if line.application.pk == application.pk), None)

    def form(name: str, cls: type[forms.Form], when: bool) -> forms.Form | None:
        return bound.get(name) or (cls() if can_edit and when else None)

    reviewable = waiting in (status.APPLIED, status.ELIGIBLE, status.INELIGIBLE)
    unscored = application.written_score is None and application.interview_score is None
    return {
        "application": application,
        "post": application.post,
        "plan": application.post.plan,
        "ranked": ranked,
        "objections": application.objections.select_related("resolved_by"),
        "can_edit": can_edit,
        "reviewable": can_edit and reviewable,
        "eligibility_form": form("eligibility_form", EligibilityForm, reviewable and unscored),
        "scores_form": bound.get("scores_form")
        or (
            ScoresForm(
                initial={
                    "written_score": application.written_score,
                    "interview_score": application.interview_score,
                    "exam_number": application.exam_number,
                }
            )
            if can_edit and waiting == status.ELIGIBLE
            else None
        ),
        "shortlist_form": form("shortlist_form", ReasonForm, waiting == status.ELIGIBLE),
        "check_form": form("check_form", CheckForm, waiting in (status.MEDICAL, status.BACKGROUND)),
        "objection_form": form("objection_form", ObjectionForm, waiting == status.NOTICE),
        "resolve_form": form("resolve_form", ResolveForm, waiting == status.NOTICE),
        "hire_form": form("hire_form", PlanStepForm, waiting == status.NOTICE),
        "out_form": form(
            "out_form",
            OutForm,
            waiting in (status.APPLIED, status.ELIGIBLE, *queries.HOLDING_PLACE)
            and waiting != status.HIRED,
        ),
    }


_application_page = page_with_forms("recruitment/application_detail.html", _application_context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _application_page(request, queries.application_for(request.user, pk))


_step = step_view(
    permission=queries.EDIT,
    find=queries.application_for,
    page=_application_page,
    then="recruitment:application",
)


application_decide = _step(
    "eligibility_form",
    EligibilityForm,
    lambda request, application, values: services.eligibility_decide(
        application=application, by=request.user, **values
    ),
    lambda done: _("资格审查结论：%s") % done.get_status_display(),
)
application_score = _step(
    "scores_form",
    ScoresForm,
    lambda _request, application, values: services.application_scores(
        application=application, **values
    ),
    lambda done: _("已登记成绩：%s") % done.name,
)
application_shortlist = _step(
    "shortlist_form",
    ReasonForm,
    lambda _request, application, values: services.application_shortlist(
        application=application, **values
    ),
    lambda done: _("已确定为体检人选：%s") % done.name,
)
application_check = _step(
    "check_form",
    CheckForm,
    lambda _request, application, values: services.application_check(
        application=application, **values
    ),
    lambda done: _("已登记结论，当前：%s") % done.get_status_display(),
)
application_out = _step(
    "out_form",
    OutForm,
    lambda _request, application, values: services.application_out(
        application=application, **values
    ),
    lambda done: _("已登记：%s") % done.get_status_display(),
)
objection_add = _step(
    "objection_form",
    ObjectionForm,
    lambda _request, application, values: services.objection_record(
        application=application, **values
    ),
    lambda _done: _("已登记公示异议。"),
)
application_hire = _step(
    "hire_form",
    PlanStepForm,
    lambda _request, application, values: services.application_hire(
        application=application, on=values["on"]
    ),
    lambda done: _("已聘用：%(name)s（%(day)s）") % {"name": done.name, "day": done.hired_on},
)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    objection = queries.objection_for(request.user, pk, queries.EDIT)
    application = objection.application
    form = ResolveForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _application_page(request, application, status=400, resolve_form=form),
        save=lambda values: services.objection_resolve(
            objection=objection, by=request.user, **values
        ),
        message=lambda done: (
            _("已处理异议：%s") % (_("反映属实") if done.upheld else _("反映不属实"))
        ),
        then=lambda _done: redirect("recruitment:application", application.pk),
    )


@login_required
@require_POST
def application_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    application = queries.application_for(request.user, pk, queries.EDIT)
    post = application.post_id
    if acted(
        request,
        lambda: services.application_delete(application=application),
        _("已删除报名：%s") % application.name,
    ):
        return redirect("recruitment:post", post)
    return redirect("recruitment:application", application.pk)


# --- The public notice (公示) -------------------------------------------------------------


@login_required
def notice_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The form publishing a plan's notice of the candidates who passed both checks."""
    require(request.user, queries.EDIT)
    plan = queries.plan_for(request.user, pk, queries.EDIT)
    form = NoticeForm(request.POST or None)
    return form_page(
        request,
        form,
        "recruitment/notice_form.html",
        {"plan": plan, "candidates": queries.cleared(plan)},
        save=lambda values: services.notice_publish(plan=plan, by=request.user, **values),
        message=lambda notice: _("已发布公示：%s") % notice.title,
        then=lambda notice: redirect("recruitment:notice", notice.pk),
        reread=plan,
    )


def _notice_context(request: HttpRequest, notice: PublicNotice) -> Mapping[str, Any]:
    return {
        "notice": notice,
        "lines": notices.lines(notice),
        "can_export": may(request.user, EXPORT, queries.plans_for, notice.plan_id),
    }


_notice_page = page_with_forms("recruitment/notice_detail.html", _notice_context)


@login_required
def notice_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _notice_page(request, queries.notice_for(request.user, pk))


@login_required
def notice_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The notice as published: .xlsx, or a PDF to post; identity numbers masked. Audited
    as every export is."""
    require(request.user, EXPORT)
    notice = queries.notice_for(request.user, pk, EXPORT)
    audit.record_export(
        _("导出拟聘用人员公示：%(title)s（%(format)s）")
        % {"title": notice.title, "format": "PDF" if fmt == "pdf" else "Excel"},
        {"notice": str(notice.pk)},
    )
    headers, rows = notices.table(notice)
    if fmt == "pdf":
        response = HttpResponse(notices.pdf(notice), content_type="application/pdf")
        response["Content-Disposition"] = attachment(f"{notice.title}.pdf")
        return response
    return exports.export_response("xlsx", notice.title, _("公示名单"), headers, rows)
