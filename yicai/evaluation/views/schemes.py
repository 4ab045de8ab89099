"""Assessment schemes' pages: the list, a draft's editor (indicators, subjects, links),
publication and copying, the ranking with its export, a subject's sheet where every number
opens the records behind it, reviewers' scores, and appeals with the score's history."""

from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.documents import download
from yicai.evaluation.forms.schemes import (
    AppealFilterForm,
    AppealForm,
    CopyForm,
    IndicatorForm,
    LinkForm,
    ManualScoreForm,
    ResolveForm,
    SchemeFilterForm,
    SchemeForm,
    SubjectForm,
)
from yicai.evaluation.metrics import METRICS
from yicai.evaluation.models import Indicator, Scheme, Subject, SubjectLink
from yicai.evaluation.queries import schemes as queries
from yicai.evaluation.queries.schemes import EDIT, EXPORT, PUBLISH, VIEW
from yicai.evaluation.scoring import Sheet
from yicai.evaluation.services import results as result_services
from yicai.evaluation.services import schemes as services
from yicai.retention.queries.regions import commission_region
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, ListPermissions, editable_ids, exported, list_page
from yicai.web.views import acted, form_page, page_with_forms

SCHEMES = ListPermissions(view=VIEW, export=EXPORT, edit=EDIT)

SCHEME_HEADERS = [
    gettext_lazy("方案名称"),
    gettext_lazy("考核对象"),
    gettext_lazy("考核期开始"),
    gettext_lazy("考核期结束"),
    gettext_lazy("状态"),
    gettext_lazy("考核对象数"),
]


def scheme_rows(schemes: Any) -> Iterator[list[object]]:
    for scheme in schemes:
        yield [
            scheme.name,
            scheme.get_subject_type_display(),
            scheme.cycle_start,
            scheme.cycle_end,
            scheme.get_status_display(),
            scheme.subject_count,
        ]


@login_required
def scheme_list(request: HttpRequest) -> HttpResponseBase:
    def extra(listing: Listing, _filters: Any) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, EDIT),
            "editable": editable_ids(request.user, EDIT, queries.schemes_for, listing),
        }

    return list_page(
        request,
        SCHEMES,
        "evaluation/scheme_list.html",
        SchemeFilterForm(request.GET or None),
        queries.scheme_list,
        Export(_("考核方案"), SCHEME_HEADERS, scheme_rows, _("导出考核方案")),
        extra,
    )


@login_required
def scheme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, EDIT)
    scheme = queries.scheme_for(request.user, pk, EDIT) if pk else None
    initial = initial_from(scheme, services.SCHEME_FIELDS) if scheme else None
    form = SchemeForm(request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> Scheme:
        if scheme is not None:
            return services.scheme_update(scheme=scheme, by=request.user, **values)
        region = commission_region(request.user, EDIT)
        if region is None:
            raise ValidationError({"name": _("只有卫健委可以制定考核方案。")})
        return services.scheme_create(by=request.user, region=region, **values)

    return form_page(
        request,
        form,
        "evaluation/scheme_form.html",
        {"scheme": scheme},
        save=save,
        message=lambda saved: _("已保存考核方案：%s") % saved.name,
        then=lambda saved: redirect("evaluation:scheme", saved.pk),
        reread=scheme,
    )


def _linkable(user: Any, scheme: Scheme) -> Any:
    """The subjects a draft's subject may take a score from: those of the same cycle's
    schemes the user drafts, its own scheme's included."""
    return (
        queries.subjects_for(user, EDIT)
        .filter(scheme__cycle_start=scheme.cycle_start, scheme__cycle_end=scheme.cycle_end)
        .select_related("scheme")
        .order_by("scheme__name", "label")
    )


def _scheme_context(request: HttpRequest, scheme: Scheme, **bound: Any) -> dict[str, Any]:
    user = request.user
    can_edit = has_perm(user, EDIT) and scheme.status == Scheme.Status.DRAFT
    can_copy = has_perm(user, EDIT) and scheme.status == Scheme.Status.PUBLISHED
    subjects = list(queries.subjects_for(user).filter(scheme=scheme).order_by("label", "id"))
    return {
        "scheme": scheme,
        "tree": queries.indicator_tree(scheme),
        "metrics": {key: metric.label for key, metric in METRICS.items()},
        "subjects": subjects,
        "links": SubjectLink.objects.filter(subject__scheme=scheme).select_related(
            "subject", "indicator", "linked__scheme"
        ),
        "can_edit": can_edit,
        "can_publish": has_perm(user, PUBLISH) and scheme.status == Scheme.Status.DRAFT,
        "can_copy": can_copy,
        "problems": services.scheme_problems(scheme) if can_edit else [],
        "results": scheme.results.select_related("by") if scheme.status != "draft" else [],
        "indicator_form": bound.get("indicator_form")
        or (IndicatorForm(scheme=scheme) if can_edit else None),
        "subject_form": bound.get("subject_form")
        or (SubjectForm(user, scheme=scheme) if can_edit else None),
        "link_form": bound.get("link_form")
        or (
            LinkForm(scheme=scheme, linkable=_linkable(user, scheme))
            if can_edit and scheme.indicators.filter(source=Indicator.Source.LINKED).exists()
            else None
        ),
        "copy_form": bound.get("copy_form") or (CopyForm() if can_copy else None),
    }


_scheme_page = page_with_forms("evaluation/scheme_detail.html", _scheme_context)


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, VIEW)
    scheme = queries.scheme_for(request.user, pk)
    return _scheme_page(request, scheme)


def _added(
    request: HttpRequest,
    scheme: Scheme,
    name: str,
    form: Any,
    add: Callable[..., Any],
    said: str,
) -> HttpResponseBase:
    """A row added to a draft from its page's form `name` (the page again, with the form's
    errors, when refused)."""
    return form_page(
        request,
        form,
        lambda: _scheme_page(request, scheme, status=400, **{name: form}),
        save=lambda values: add(**values),
        message=lambda saved: said % saved,
        then=lambda _saved: redirect("evaluation:scheme", scheme.pk),
    )


def _removed(
    request: HttpRequest, remove: Callable[..., None], said: str, scheme_id: int
) -> HttpResponseBase:
    """A draft's row removed (or the refusal said), back to its scheme."""
    acted(request, lambda: remove(by=request.user), said)
    return redirect("evaluation:scheme", scheme_id)


def _draft(request: HttpRequest, pk: int) -> Scheme:
    require(request.user, EDIT)
    return queries.scheme_for(request.user, pk, EDIT)


@login_required
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    scheme = _draft(request, pk)
    form = IndicatorForm(request.POST, scheme=scheme)
    added = partial(services.indicator_save, scheme=scheme, by=request.user)
    return _added(request, scheme, "indicator_form", form, added, _("已添加指标：%s"))


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EDIT)
    indicator = queries.indicator_for(request.user, pk)
    scheme = indicator.scheme
    initial = initial_from(indicator, services.INDICATOR_FIELDS)
    initial["reviewer"] = indicator.reviewer.username if indicator.reviewer else ""
    form = IndicatorForm(request.POST or None, scheme=scheme, indicator=indicator, initial=initial)
    return form_page(
        request,
        form,
        "evaluation/indicator_form.html",
        {"scheme": scheme, "indicator": indicator},
        save=lambda values: services.indicator_save(
            scheme=scheme, indicator=indicator, by=request.user, **values
        ),
        message=lambda saved: _("已保存指标：%s") % saved.name,
        then=lambda _saved: redirect("evaluation:scheme", scheme.pk),
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EDIT)
    indicator = queries.indicator_for(request.user, pk)
    remove = partial(services.indicator_delete, indicator=indicator)
    return _removed(request, remove, _("已删除指标：%s") % indicator.name, indicator.scheme_id)


@login_required
@require_POST
def subject_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    scheme = _draft(request, pk)
    form = SubjectForm(request.user, request.POST, scheme=scheme)
    added = partial(services.subject_add, scheme=scheme, by=request.user)
    return _added(request, scheme, "subject_form", form, added, _("已添加考核对象：%s"))


@login_required
@require_POST
def subject_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EDIT)
    subject = queries.subject_for(request.user, pk, EDIT)
    remove = partial(services.subject_delete, subject=subject)
    return _removed(request, remove, _("已删除考核对象：%s") % subject.label, subject.scheme_id)


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    scheme = _draft(request, pk)
    form = LinkForm(request.POST, scheme=scheme, linkable=_linkable(request.user, scheme))
    added = partial(services.link_add, by=request.user)
    return _added(request, scheme, "link_form", form, added, _("已关联：%s"))


@login_required
@require_POST
def link_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EDIT)
    link = queries.link_for(request.user, pk)
    remove = partial(services.link_delete, link=link)
    return _removed(request, remove, _("已取消关联：%s") % link, link.subject.scheme_id)


@login_required
@require_POST
def scheme_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, PUBLISH)
    scheme = queries.scheme_for(request.user, pk, PUBLISH)
    acted(
        request,
        lambda: services.scheme_publish(scheme=scheme, by=request.user),
        _("已发布考核结果：%s") % scheme.name,
    )
    return redirect("evaluation:scheme", scheme.pk)


@login_required
@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, EDIT)
    scheme = queries.scheme_for(request.user, pk, EDIT)
    form = CopyForm(request.POST)
    return form_page(
        request,
        form,
        lambda: _scheme_page(request, scheme, status=400, copy_form=form),
        save=lambda values: services.scheme_copy(scheme=scheme, by=request.user, **values),
        message=lambda copy: _("已复制为下一周期的方案：%s") % copy.name,
        then=lambda copy: redirect("evaluation:scheme", copy.pk),
    )


# --- Ranking, a subject's sheet, the records behind a number --------------------------------


def _score(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _ranking_export(scheme: Scheme, tops: list[Indicator]) -> Export:
    def rows(sheets: list[Sheet]) -> Iterator[list[object]]:
        for sheet in sheets:
            cells = [sheet.cells.get(top.pk) for top in tops]
            yield [
                sheet.rank or "",
                sheet.subject.label,
                *(_score(cell.score) if cell else "" for cell in cells),
                _score(sheet.total),
            ]

    headers = [
        _("名次"),
        _("考核对象"),
        *(f"{t.name}（{t.weight.normalize():f}）" for t in tops),
        _("总分"),
    ]
    return Export(_("考核结果-%s") % scheme.name, headers, rows, _("导出考核结果"))


@login_required
def scheme_sheets(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, VIEW)
    scheme = queries.scheme_for(request.user, pk)
    tops = [indicator for indicator, depth in queries.indicator_tree(scheme) if depth == 0]
    export = _ranking_export(scheme, tops)
    download = exported(
        request, SCHEMES, export, lambda permission: queries.visible_sheets(request.user, scheme)
    )
    if download is not None:
        return download
    sheets = queries.visible_sheets(request.user, scheme)
    return render(
        request,
        "evaluation/scheme_sheets.html",
        {
            "scheme": scheme,
            "tops": tops,
            "rows": [(sheet, [sheet.cells.get(top.pk) for top in tops]) for sheet in sheets],
            "can_export": has_perm(request.user, EXPORT),
            "result": queries.latest_result(scheme),
        },
    )


def _subject_context(request: HttpRequest, subject: Subject, **bound: Any) -> dict[str, Any]:
    scheme = subject.scheme
    sheet = queries.subject_sheet(subject)
    published = scheme.status == Scheme.Status.PUBLISHED
    return {
        "subject": subject,
        "scheme": scheme,
        "sheet": sheet,
        "tree": [
            (indicator, depth, sheet.cells.get(indicator.pk))
            for indicator, depth in queries.indicator_tree(scheme)
        ],
        "history": queries.score_history(subject) if published else [],
        "appeals": subject.appeals.select_related("indicator", "filed_by", "resolved_by"),
        "appeal_form": bound.get("appeal_form")
        or (AppealForm(scheme=scheme) if published else None),
        "can_resolve": has_perm(request.user, PUBLISH),
        "resolve_form": bound.get("resolve_form") or ResolveForm(),
    }


_subject_page = page_with_forms("evaluation/subject_detail.html", _subject_context)


@login_required
def subject_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, VIEW)
    return _subject_page(request, queries.subject_for(request.user, pk))


@login_required
def cell_detail(request: HttpRequest, pk: int, indicator: int) -> HttpResponseBase:
    """One number of a sheet and the records it counts (those the user's scope shows)."""
    require(request.user, VIEW)
    subject = queries.subject_for(request.user, pk)
    found = subject.scheme.indicators.filter(pk=indicator).first()
    if found is None:
        raise Http404
    cell = queries.subject_sheet(subject).cells.get(found.pk)
    return render(
        request,
        "evaluation/cell_detail.html",
        {
            "subject": subject,
            "scheme": subject.scheme,
            "indicator": found,
            "cell": cell,
            "metric": METRICS.get(found.metric),
            "source": queries.cell_source(request.user, subject, found),
        },
    )


@login_required
def evidence(request: HttpRequest, pk: int, indicator: int) -> HttpResponseBase:
    """The evidence of a manual score, for whoever sees the subject's sheet and the reviewer
    named on the indicator."""
    if not has_perm(request.user, VIEW) and not queries.to_review(request.user).exists():
        raise PermissionDenied
    score = queries.evidence_of(request.user, pk, indicator)
    return download(score.evidence, f"evidence-{score.subject_id}-{score.indicator_id}")


# --- Reviewers' scores ---------------------------------------------------------------------


def _reviews_page(request: HttpRequest, status: int = 200, **bound: Any) -> HttpResponse:
    indicators = list(queries.to_review(request.user)[:50])
    with_evidence = queries.evidence_kept(indicators)
    items = []
    for indicator in indicators:
        cells = {
            sheet.subject.pk: sheet.cells.get(indicator.pk)
            for sheet in queries.sheets_of(indicator.scheme)
        }
        subjects = indicator.scheme.subjects.order_by("label", "id")
        rows = [
            (subject, cells.get(subject.pk), (subject.pk, indicator.pk) in with_evidence)
            for subject in subjects
        ]
        items.append((indicator, rows))
    return render(
        request,
        "evaluation/reviews.html",
        {"items": items, "form": bound.get("form") or ManualScoreForm(), **bound},
        status=status,
    )


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """The manual indicators the user is named to score, each with its subjects."""
    return _reviews_page(request)


@login_required
@require_POST
def manual_score(request: HttpRequest, pk: int, indicator: int) -> HttpResponseBase:
    """Only the indicator's named reviewer reaches the subjects of its scheme here."""
    found = queries.to_review(request.user).filter(pk=indicator).first()
    subject = found.scheme.subjects.filter(pk=pk).first() if found else None
    if found is None or subject is None:
        raise Http404
    form = ManualScoreForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        lambda: _reviews_page(request, status=400, form=form, failed=(found.pk, subject.pk)),
        save=lambda values: services.manual_score_set(
            subject=subject, indicator=found, by=request.user, **values
        ),
        message=_("已评分：%(subject)s · %(indicator)s")
        % {"subject": subject.label, "indicator": found.name},
        then=lambda _score: redirect("evaluation:reviews"),
    )


# --- Appeals -------------------------------------------------------------------------------

APPEALS = ListPermissions(view=VIEW, export=EXPORT)
APPEAL_HEADERS = [
    gettext_lazy("考核方案"),
    gettext_lazy("考核对象"),
    gettext_lazy("申诉指标"),
    gettext_lazy("申诉理由"),
    gettext_lazy("申诉时间"),
    gettext_lazy("状态"),
    gettext_lazy("处理意见"),
]


def appeal_rows(appeals: Any) -> Iterator[list[object]]:
    for appeal in appeals:
        yield [
            appeal.subject.scheme.name,
            appeal.subject.label,
            appeal.indicator.name if appeal.indicator else _("总分"),
            appeal.reason,
            appeal.filed_at,
            appeal.get_status_display(),
            appeal.resolution,
        ]


@login_required
def appeal_list(request: HttpRequest) -> HttpResponseBase:
    return list_page(
        request,
        APPEALS,
        "evaluation/appeal_list.html",
        AppealFilterForm(request.GET or None),
        queries.appeal_list,
        Export(_("考核申诉"), APPEAL_HEADERS, appeal_rows, _("导出考核申诉")),
    )


@login_required
@require_POST
def appeal_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, VIEW)
    subject = queries.subject_for(request.user, pk)
    form = AppealForm(request.POST, scheme=subject.scheme)
    return form_page(
        request,
        form,
        lambda: _subject_page(request, subject, status=400, appeal_form=form),
        save=lambda values: result_services.appeal_file(subject=subject, by=request.user, **values),
        message=_("已提交申诉，等待处理。"),
        then=lambda _appeal: redirect("evaluation:subject", subject.pk),
    )


@login_required
@require_POST
def appeal_resolve(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, PUBLISH)
    appeal = queries.appeal_for(request.user, pk, PUBLISH)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _subject_page(request, appeal.subject, status=400, resolve_form=form)
    acted(
        request,
        lambda: result_services.appeal_resolve(appeal=appeal, by=request.user, **form.cleaned_data),
        _("已处理申诉：%s") % appeal,
    )
    return redirect("evaluation:subject", appeal.subject_id)
