"""Partner agreements (合作协议): the list with its export, and the form to record or change one.
Recruitment plans (招聘计划): the list, a plan's page with its posts and the steps from draft to
close, the forms, and the figures of a year's approved plans."""

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.documents import download
from yicai.recruitment import queries, services
from yicai.recruitment.forms import (
    AgreementFilterForm,
    AgreementForm,
    IntroductionFiguresForm,
    IntroductionFilterForm,
    IntroductionForm,
    OverviewForm,
    PlanFiguresForm,
    PlanFilterForm,
    PlanForm,
    PlanReturnForm,
    PlanStepForm,
    PostForm,
    TalentGrowthForm,
)
from yicai.recruitment.models import Introduction, PartnerAgreement, RecruitmentPlan
from yicai.web.forms import initial_from
from yicai.web.listing import (
    Export,
    Listing,
    ListPermissions,
    editable_ids,
    exported,
    list_page,
    may,
)
from yicai.web.views import acted, form_page, page_with_forms

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

RECRUITMENT = ListPermissions(
    view="recruitment.view", export="recruitment.export", edit="recruitment.edit"
)

AGREEMENT_HEADERS = [
    gettext_lazy("签约机构"),
    gettext_lazy("对口科室"),
    gettext_lazy("合作方"),
    gettext_lazy("协议类型"),
    gettext_lazy("协议名称"),
    gettext_lazy("签订日期"),
    gettext_lazy("起始日期"),
    gettext_lazy("截止日期"),
    gettext_lazy("说明"),
]


def agreement_rows(agreements: "QuerySet[PartnerAgreement]") -> Iterator[list[object]]:
    for agreement in agreements.iterator(chunk_size=2000):
        yield [
            agreement.institution.name,
            agreement.department.name if agreement.department else "",
            agreement.partner_label,
            agreement.get_kind_display(),
            agreement.title,
            agreement.signed_on,
            agreement.starts_on,
            agreement.ends_on or "",
            agreement.note,
        ]


def _with_edits(
    request: HttpRequest, rows_for: Callable[..., "QuerySet[Any]"]
) -> Callable[[Listing, Mapping[str, Any]], dict[str, Any]]:
    """A list's extra context: whether to offer a new record, and which rows may change."""

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, queries.EDIT),
            "editable": editable_ids(request.user, queries.EDIT, rows_for, listing),
        }

    return extra


@login_required
def agreement_list(request: HttpRequest) -> HttpResponseBase:
    extra = _with_edits(request, queries.agreements_for)
    export = Export(_("合作协议"), AGREEMENT_HEADERS, agreement_rows, _("导出合作协议"))
    form = AgreementFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        RECRUITMENT,
        "recruitment/agreement_list.html",
        form,
        queries.agreement_list,
        export,
        extra,
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, "recruitment.edit")
    agreement = queries.agreement_for(request.user, pk, "recruitment.edit") if pk else None
    initial = initial_from(agreement, services.AGREEMENT_FIELDS) if agreement else None
    form = AgreementForm(request.user, request.POST or None, request.FILES or None, initial=initial)

    def save(values: dict[str, Any]) -> PartnerAgreement:
        if agreement is None:
            return services.agreement_create(by=request.user, **values)
        return services.agreement_update(agreement=agreement, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/agreement_form.html",
        {"agreement": agreement},
        save=save,
        message=lambda saved: _("已保存合作协议：%s") % saved.title,
        then=lambda _saved: redirect("recruitment:agreements"),
        reread=agreement,
    )


# --- Recruitment plans -------------------------------------------------------------------

PLAN_HEADERS = [
    gettext_lazy("年度"),
    gettext_lazy("招聘单位"),
    gettext_lazy("计划名称"),
    gettext_lazy("状态"),
    gettext_lazy("岗位数"),
    gettext_lazy("招聘人数"),
    gettext_lazy("笔试占比（%）"),
    gettext_lazy("面试占比（%）"),
    gettext_lazy("报送日期"),
    gettext_lazy("审批日期"),
    gettext_lazy("发布日期"),
    gettext_lazy("结束日期"),
]
FIGURE_HEADERS = [
    gettext_lazy("分组"),
    gettext_lazy("名称"),
    gettext_lazy("简易程序"),
    gettext_lazy("公开招聘"),
    gettext_lazy("合计"),
    gettext_lazy("已聘用"),
]


def plan_rows(plans: "QuerySet[RecruitmentPlan]") -> Iterator[list[object]]:
    for plan in plans.iterator(chunk_size=2000):
        yield [
            plan.year,
            plan.institution.name,
            plan.title,
            plan.get_status_display(),
            plan.post_count,  # type: ignore[attr-defined]  # annotated by plan_list
            plan.places,  # type: ignore[attr-defined]
            plan.written_weight,
            plan.interview_weight,
            plan.submitted_on or "",
            plan.decided_on or "",
            plan.published_on or "",
            plan.closed_on or "",
        ]


GROWTH_HEADERS = [
    gettext_lazy("分组"),
    gettext_lazy("名称"),
    gettext_lazy("起始日人数"),
    gettext_lazy("截止日人数"),
    gettext_lazy("增减"),
]


def growth_rows(growth: queries.TalentGrowth) -> Iterator[list[object]]:
    groups = ((_("机构"), growth.by_institution), (_("从事专业类别"), growth.by_category))
    for group, lines in groups:
        for line in lines:
            label = line["label"] or _("未填写")
            yield [group, label, line["at_start"], line["at_end"], line["change"]]
    yield [_("合计"), "", growth.at_start, growth.at_end, growth.change]
    yield [_("年均增长率"), "", "", "", growth.yearly_percent]


def figure_rows(figures: queries.PlanFigures) -> Iterator[list[object]]:
    groups = ((_("招聘单位"), figures.by_institution), (_("专业"), figures.by_specialty))
    for group, lines in groups:
        for line in lines:
            yield [
                group,
                line["label"],
                line["simplified"],
                line["open"],
                line["total"],
                line["filled"],
            ]
    simplified, open_ = figures.by_procedure["simplified"], figures.by_procedure["open"]
    yield [_("合计"), "", simplified, open_, figures.places, figures.filled]


@login_required
def plan_list(request: HttpRequest) -> HttpResponseBase:
    def extra(_listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {"can_edit": has_perm(request.user, queries.EDIT)}

    export = Export(_("招聘计划"), PLAN_HEADERS, plan_rows, _("导出招聘计划"))
    form = PlanFilterForm(request.user, request.GET or None)
    return list_page(
        request, RECRUITMENT, "recruitment/plan_list.html", form, queries.plan_list, export, extra
    )


def _figures_page(
    request: HttpRequest,
    form: forms.Form,
    compute: Callable[[dict[str, Any]], Any],
    export: Callable[[dict[str, Any]], Export],
    template: str,
) -> HttpResponseBase:
    """A page of figures under its filter form (bound, so that its defaults apply), and their
    download, checked and audited as a list's: a wrong filter is a 400 naming the field."""
    require(request.user, queries.VIEW)
    if not form.is_valid():
        return render(request, template, {"form": form, "figures": None}, status=400)
    values = form.cleaned_data
    figures = compute(values)
    download = exported(request, RECRUITMENT, export(values), lambda _permission: figures, form)
    if download is not None:
        return download
    context: dict[str, Any] = {
        "form": form,
        "values": values,
        "figures": figures,
        "can_export": has_perm(request.user, RECRUITMENT.export or ""),
    }
    return render(request, template, context)


@login_required
def plan_figures(request: HttpRequest) -> HttpResponseBase:
    """Places of the approved plans of a year: by institution and by specialty, each split
    by procedure."""
    return _figures_page(
        request,
        PlanFiguresForm(request.user, request.GET),
        lambda values: queries.plan_figures(request.user, **values),
        lambda values: Export(
            _("招聘计划汇总 %s") % values["year"],
            FIGURE_HEADERS,
            figure_rows,
            _("导出招聘计划汇总"),
        ),
        "recruitment/plan_figures.html",
    )


@login_required
def talent_growth(request: HttpRequest) -> HttpResponseBase:
    """People holding a talent tag (shortage talent by default) on two days, the change and
    its average yearly rate, by institution and by personnel category."""
    return _figures_page(
        request,
        TalentGrowthForm(request.user, request.GET),
        lambda values: queries.talent_growth(request.user, **values),
        lambda values: Export(
            _("%(tag)s %(since)s 至 %(until)s") % {**values, "tag": values["tag"].name},
            GROWTH_HEADERS,
            growth_rows,
            _("导出人才增长"),
        ),
        "recruitment/talent_growth.html",
    )


def _plan_context(request: HttpRequest, plan: RecruitmentPlan, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_edit = may(user, queries.EDIT, queries.plans_for, plan.pk)
    can_approve = may(user, queries.APPROVE, queries.plans_for, plan.pk)
    editable = can_edit and plan.editable
    return {
        "plan": plan,
        "posts": queries.posts_of(plan),
        "notices": plan.notices.order_by("-starts_on", "-id"),
        "recruiting": can_edit and plan.status == RecruitmentPlan.Status.PUBLISHED,
        "can_edit": can_edit,
        "editable": editable,
        "can_approve": can_approve and plan.status == RecruitmentPlan.Status.SUBMITTED,
        "post_form": forms.get("post_form") or (PostForm(plan) if editable else None),
        "return_form": forms.get("return_form") or PlanReturnForm(),
    }


_plan_page = page_with_forms("recruitment/plan_detail.html", _plan_context)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    return _plan_page(request, queries.plan_for(request.user, pk))


@login_required
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    plan = queries.plan_for(request.user, pk, queries.EDIT) if pk else None
    if plan is not None and not plan.editable:
        messages.error(request, services.locked_message(plan))
        return redirect("recruitment:plan", plan.pk)
    initial = initial_from(plan, services.PLAN_FIELDS) if plan else None
    form = PlanForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> RecruitmentPlan:
        if plan is None:
            return services.plan_create(by=request.user, **values)
        return services.plan_update(plan=plan, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/plan_form.html",
        {"plan": plan},
        save=save,
        message=lambda saved: _("已保存招聘计划：%s") % saved.title,
        then=lambda saved: redirect("recruitment:plan", saved.pk),
        reread=plan,
    )


@login_required
@require_POST
def post_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    plan = queries.plan_for(request.user, pk, queries.EDIT)
    form = PostForm(plan, request.POST)
    return form_page(
        request,
        form,
        lambda: _plan_page(request, plan, status=400, post_form=form),
        save=lambda values: services.post_add(plan=plan, **values),
        message=lambda post: _("已添加岗位：%s") % post.name,
        then=lambda _post: redirect("recruitment:plan", plan.pk),
        reread=plan,
    )


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    post = queries.post_for(request.user, pk, queries.EDIT)
    if not post.plan.editable:
        messages.error(request, services.locked_message(post.plan))
        return redirect("recruitment:plan", post.plan_id)
    initial = initial_from(post, services.POST_FIELDS)
    form = PostForm(post.plan, request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        "recruitment/post_form.html",
        {"post": post, "plan": post.plan},
        save=lambda values: services.post_update(post=post, **values),
        message=lambda saved: _("已保存岗位：%s") % saved.name,
        then=lambda saved: redirect("recruitment:plan", saved.plan_id),
        reread=post,
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    post = queries.post_for(request.user, pk, queries.EDIT)
    acted(request, lambda: services.post_delete(post=post), _("已删除岗位：%s") % post.name)
    return redirect("recruitment:plan", post.plan_id)


def _named_errors(form: PlanStepForm) -> str:
    """A refused step's form in one line, each problem after its field's label."""
    return "；".join(
        f"{form.fields[name].label}：{' '.join(str(message) for message in errors)}"
        for name, errors in form.errors.items()
    )


def _step(
    permission: str,
    step: Callable[..., Any],
    message: "StrOrPromise",
    form_class: type[PlanStepForm] = PlanStepForm,
) -> Callable[[HttpRequest, int], HttpResponseBase]:
    """A step of a plan's workflow, posted from its page (with the day it was taken); the
    service says when the plan is not at that step."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponseBase:
        require(request.user, permission)
        plan = queries.plan_for(request.user, pk, permission)
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _named_errors(form))
            return redirect("recruitment:plan", plan.pk)
        values = {key: value for key, value in form.cleaned_data.items() if value is not None}
        if permission == queries.APPROVE:
            values["by"] = request.user
        acted(request, lambda: step(plan=plan, **values), message)
        return redirect("recruitment:plan", plan.pk)

    return view


plan_submit = _step(queries.EDIT, services.plan_submit, gettext_lazy("已报送卫健委审批。"))
plan_approve = _step(queries.APPROVE, services.plan_approve, gettext_lazy("已批准。"))
plan_return = _step(queries.APPROVE, services.plan_return, gettext_lazy("已退回。"), PlanReturnForm)
plan_publish = _step(queries.EDIT, services.plan_publish, gettext_lazy("已发布。"))
plan_close = _step(queries.EDIT, services.plan_close, gettext_lazy("已结束。"))


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    plan = queries.plan_for(request.user, pk, queries.EDIT)
    if acted(request, lambda: services.plan_delete(plan=plan), _("已删除：%s") % plan.title):
        return redirect("recruitment:plans")
    return redirect("recruitment:plan", plan.pk)


# --- Introductions -----------------------------------------------------------------------

INTRODUCTION_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("引进单位"),
    gettext_lazy("引进科室"),
    gettext_lazy("引进日期"),
    gettext_lazy("引进方式"),
    gettext_lazy("人才类别"),
    gettext_lazy("层次"),
    gettext_lazy("引进时职称级别"),
    gettext_lazy("原工作单位"),
    gettext_lazy("岗位"),
    gettext_lazy("服务期（年）"),
    gettext_lazy("说明"),
]
INTRODUCTION_FIGURE_HEADERS = [
    gettext_lazy("年度"),
    *(label for _value, label in Introduction.Mode.choices),
    gettext_lazy("合计"),
    gettext_lazy("比上年增减"),
]


def introduction_rows(introductions: "QuerySet[Introduction]") -> Iterator[list[object]]:
    for item in introductions.iterator(chunk_size=2000):
        yield [
            item.person.name,
            item.institution.name,
            item.department.name if item.department else "",
            item.introduced_on,
            item.get_mode_display(),
            item.get_category_display(),
            item.tier,
            item.get_title_grade_display(),
            item.previous_employer,
            item.post,
            item.service_years if item.service_years is not None else "",
            item.note,
        ]


def introduction_figure_rows(figures: queries.IntroductionFigures) -> Iterator[list[object]]:
    for line in figures.year_lines:
        growth = "" if line["growth"] is None else line["growth"]
        yield [line["year"], *line["modes"], line["total"], growth]
    yield [_("合计"), *figures.by_mode.values(), figures.total, ""]
    yield [_("其中高级职称"), *[""] * len(figures.by_mode), figures.senior, ""]
    yield [_("其中学科带头人"), *[""] * len(figures.by_mode), figures.discipline_leaders, ""]


@login_required
def introduction_list(request: HttpRequest) -> HttpResponseBase:
    extra = _with_edits(request, queries.introductions_for)
    export = Export(_("人才引进"), INTRODUCTION_HEADERS, introduction_rows, _("导出人才引进"))
    form = IntroductionFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        RECRUITMENT,
        "recruitment/introduction_list.html",
        form,
        queries.introduction_list,
        export,
        extra,
    )


@login_required
def introduction_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    introduction = queries.introduction_for(request.user, pk, queries.EDIT) if pk else None
    initial = initial_from(introduction, services.INTRODUCTION_FIELDS) if introduction else None
    form = IntroductionForm(
        request.user,
        request.POST or None,
        request.FILES or None,
        initial=initial,
        introduction=introduction,
    )

    def save(values: dict[str, Any]) -> Introduction:
        if introduction is None:
            return services.introduction_create(by=request.user, **values)
        return services.introduction_update(introduction=introduction, by=request.user, **values)

    return form_page(
        request,
        form,
        "recruitment/introduction_form.html",
        {"introduction": introduction},
        save=save,
        message=lambda saved: _("已保存人才引进：%s") % saved.person.name,
        then=lambda saved: redirect("recruitment:introduction", saved.pk),
        reread=introduction,
    )


@login_required
def introduction_figures(request: HttpRequest) -> HttpResponseBase:
    """Introductions by year and mode with the growth on the year before; senior-title ones
    and discipline leaders, over a period."""
    return _figures_page(
        request,
        IntroductionFiguresForm(request.user, request.GET),
        lambda values: queries.introduction_figures(request.user, **values),
        lambda _values: Export(
            _("人才引进汇总"),
            INTRODUCTION_FIGURE_HEADERS,
            introduction_figure_rows,
            _("导出人才引进汇总"),
        ),
        "recruitment/introduction_figures.html",
    )


@login_required
def agreement_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed agreement, for those who may see the agreement."""
    require(request.user, queries.VIEW)
    agreement = queries.agreement_for(request.user, pk)
    return download(agreement.document, _("合作协议-%s") % agreement.pk)


@login_required
def introduction_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed introduction agreement, for those who may see the introduction."""
    require(request.user, queries.VIEW)
    introduction = queries.introduction_for(request.user, pk)
    return download(introduction.document, _("引进协议-%s") % introduction.pk)


OVERVIEW_HEADERS = [gettext_lazy("指标"), gettext_lazy("数值")]


def overview_rows(figures: queries.Overview) -> Iterator[list[object]]:
    plans, introductions = figures.plans, figures.introductions
    yield [_("%d 年计划招聘人数") % figures.year, plans.places]
    yield [_("其中简易程序"), plans.by_procedure["simplified"]]
    yield [_("其中公开招聘"), plans.by_procedure["open"]]
    yield [_("已聘用"), plans.filled]
    yield [_("引进人才（人次）"), introductions.total]
    yield [_("其中高级职称"), introductions.senior]
    yield [_("其中学科带头人"), introductions.discipline_leaders]
    if figures.shortage is not None:
        yield [_("紧缺专业人才（起始日）"), figures.shortage.at_start]
        yield [_("紧缺专业人才（截止日）"), figures.shortage.at_end]
        yield [_("紧缺专业人才增减"), figures.shortage.change]
        yield [_("年均增长率"), figures.shortage.yearly_percent]
    yield [_("定向培养学生"), figures.directed.total]
    yield [_("到期待发放待遇（期）"), figures.payments_due]
    yield [_("到期待发放金额（元）"), figures.payments_due_amount]
    yield [_("待审批的待遇退还"), figures.clawbacks_proposed]
    yield [_("待审批的定向违约"), figures.breaches_proposed]
    yield [_("有效合作协议"), figures.agreements_in_force]
    yield [_("专家网络人数"), figures.experts]


@login_required
def overview(request: HttpRequest) -> HttpResponseBase:
    """引 at a glance: the year's plans, the period's introductions and shortage talent,
    directed students, what is due; each figure links to its list."""
    return _figures_page(
        request,
        OverviewForm(request.user, request.GET),
        lambda values: queries.overview(request.user, **values),
        lambda values: Export(
            _("招才引智概览 %(since)s 至 %(until)s") % values,
            OVERVIEW_HEADERS,
            overview_rows,
            _("导出招才引智概览"),
        ),
        "recruitment/overview.html",
    )
