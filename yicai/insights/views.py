from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai import todo
from yicai.access import audit
from yicai.access.models import Role
from yicai.access.scope import get_for, has_perm, require, roles
from yicai.codes.queries import code_for
from yicai.insights import queries, services
from yicai.insights.annual import annual_report
from yicai.insights.annual_files import report_pdf, report_xlsx
from yicai.insights.forms import (
    ActivityForm,
    AllowanceForm,
    ReportForm,
    StudyFilterForm,
    StudyForm,
)
from yicai.insights.models import WisnActivity, WisnAllowance, WisnStudy
from yicai.insights.queries import home_figures
from yicai.insights.wisn import rounded
from yicai.menu import CHAIN, lacks_person, menu_for, oversees
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, ListPermissions, list_page, may
from yicai.web.views import acted, form_page, page_with_forms
from yicai.xlsx import XLSX_CONTENT_TYPE, attachment

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Roles whose work goes through the user's own person (their cases, their apprentices).
PERSONAL_ROLES = {Role.STAFF, Role.MENTOR}


@login_required
def home(request):
    """我的待办 first; the statistics, each figure a link to the list behind it, for the
    roles that oversee people; a page that says what is missing for an account without a
    role, or without the person its role works through."""
    user = request.user
    held = roles(user)
    if not held or lacks_person(user):
        context = {"no_role": not held, "sections": menu_for(user)}
        return render(request, "insights/account_incomplete.html", context)
    items = todo.items_for(user)
    context = {
        "pending": [item for item in items if not item.done],
        "done": [item for item in items if item.done],
        # A role that also works through the person (a mentor who heads a department, say).
        "unlinked": user.person_id is None and bool(held & PERSONAL_ROLES),
        "figures": None,
    }
    if oversees(user):
        figures = home_figures(user)
        context.update(figures=figures, **_dashboard_links(figures))
    return render(request, "insights/home.html", context)


def _people(**query) -> str:
    return f"{reverse('people:list')}?{urlencode(query)}"


def _dashboard_links(figures: dict) -> dict:
    """The person list behind each chart bar (for the charts' clicks and the tables beside
    them) and behind the postgraduate figure."""
    chart = figures["chart"]
    postgraduate = code_for("education", "10")
    return {
        "postgraduate_url": _people(education=postgraduate.pk) if postgraduate else "",
        "charts": {
            "institutions": [
                {"label": label, "count": n, "url": _people(institution=pk)}
                for label, n, pk in zip(
                    chart["institutions"],
                    chart["institution_counts"],
                    chart["institution_ids"],
                    strict=True,
                )
            ],
            "ages": [
                {"label": label, "count": n, "url": _people(age_band=band)}
                for label, n, band in zip(
                    chart["age_bands"], chart["age_counts"], chart["age_band_keys"], strict=True
                )
            ],
        },
    }


@login_required
def chain(request, key):
    if key not in CHAIN:
        raise Http404
    label, plans = CHAIN[key]
    return render(request, "insights/chain.html", {"label": label, "plans": plans})


# --- WISN studies --------------------------------------------------------------------------

WISN = ListPermissions(view=queries.VIEW, export=queries.EXPORT, edit=queries.EDIT)
STUDY_HEADERS = [
    gettext_lazy("年度"),
    gettext_lazy("机构"),
    gettext_lazy("科室"),
    gettext_lazy("人员类别"),
    gettext_lazy("可用工作时间（小时）"),
    gettext_lazy("卫生服务所需人数"),
    gettext_lazy("类别补贴系数 CAF"),
    gettext_lazy("个人补贴系数 IAF"),
    gettext_lazy("所需人数"),
    gettext_lazy("现有人数"),
    gettext_lazy("WISN 差值"),
    gettext_lazy("WISN 比值"),
    gettext_lazy("判读"),
]


def study_rows(studies: "QuerySet[WisnStudy]") -> Iterator[list[object]]:
    """A study a row, its figures as numbers at two decimals (blank where there is none)."""
    for study in studies.iterator(chunk_size=2000):
        result = queries.study_result(study)
        figures: list[object] = [""] * 9
        if result is not None:
            figures = [
                *(
                    "" if value is None else rounded(value)
                    for value in (
                        result.working_time.hours,
                        result.health_service_staff,
                        result.caf,
                        result.iaf,
                        result.required_staff,
                        result.current_staff,
                        result.difference,
                        result.ratio,
                    )
                ),
                result.reading_label,
            ]
        yield [
            study.year,
            study.institution.name,
            study.department.name,
            study.staff_category.name,
            *figures,
        ]


@login_required
def study_list(request: HttpRequest) -> HttpResponseBase:
    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        for study in listing["page_obj"]:
            study.result = queries.study_result(study)
        return {"can_edit": has_perm(request.user, queries.EDIT)}

    export = Export(_("WISN 人员需求测算"), STUDY_HEADERS, study_rows, _("导出 WISN 人员需求测算"))
    form = StudyFilterForm(request.user, request.GET or None)
    return list_page(
        request, WISN, "insights/study_list.html", form, queries.study_list, export, extra
    )


def _study_context(request: HttpRequest, study: WisnStudy, **forms: Any) -> dict[str, Any]:
    editable = may(request.user, queries.EDIT, queries.studies_for, study.pk)
    prefetch_related_objects([study], "activities", "allowances")
    return {
        "study": study,
        "result": queries.study_result(study),
        "on_file": queries.staff_on_file(request.user, study),
        "editable": editable,
        "activity_form": forms.get("activity_form") or (ActivityForm() if editable else None),
        "allowance_form": forms.get("allowance_form") or (AllowanceForm() if editable else None),
    }


_study_page = page_with_forms("insights/study_detail.html", _study_context)


@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The calculation step by step, as the WHO's manual lays it out, with the ratio's
    reading; the forms to add an activity or an allowance for those who plan."""
    require(request.user, queries.VIEW)
    return _study_page(request, queries.study_for(request.user, pk))


@login_required
def study_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    study = queries.study_for(request.user, pk, queries.EDIT) if pk else None
    initial = initial_from(study, services.STUDY_FIELDS) if study else None
    form = StudyForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> WisnStudy:
        if study is None:
            return services.study_create(by=request.user, **values)
        return services.study_update(study=study, by=request.user, **values)

    return form_page(
        request,
        form,
        "insights/study_form.html",
        {"study": study},
        save=save,
        message=lambda saved: _("已保存人员需求测算：%s") % saved,
        then=lambda saved: redirect("insights:study", saved.pk),
        reread=study,
    )


@login_required
@require_POST
def study_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    study = queries.study_for(request.user, pk, queries.EDIT)
    if acted(request, lambda: services.study_delete(study=study), _("已删除测算：%s") % study):
        return redirect("insights:studies")
    return redirect("insights:study", study.pk)


def _row_add(
    form_class: type[forms.Form],
    form_name: str,
    add: Callable[..., Any],
    message: Callable[[Any], "StrOrPromise"],
) -> Callable[[HttpRequest, int], HttpResponseBase]:
    """A row (an activity, an allowance) added from the study's page; refused, the page again
    with the form's errors (400)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponseBase:
        require(request.user, queries.EDIT)
        study = queries.study_for(request.user, pk, queries.EDIT)
        form = form_class(request.POST)
        return form_page(
            request,
            form,
            lambda: _study_page(request, study, status=400, **{form_name: form}),
            save=lambda values: add(study=study, **values),
            message=message,
            then=lambda _row: redirect("insights:study", study.pk),
        )

    return view


activity_add = _row_add(
    ActivityForm,
    "activity_form",
    services.activity_add,
    lambda row: _("已添加卫生服务活动：%s") % row.name,
)
allowance_add = _row_add(
    AllowanceForm,
    "allowance_form",
    services.allowance_add,
    lambda row: _("已添加补贴活动：%s") % row.name,
)


def _row_views(
    model: type[WisnActivity] | type[WisnAllowance],
    form_class: type[forms.Form],
    fields: tuple[str, ...],
    update: Callable[..., Any],
    delete: Callable[..., Any],
    template: str,
) -> tuple[Callable[..., HttpResponseBase], Callable[..., HttpResponseBase]]:
    """A study's row changed on a page of its own, and deleted from the study's page."""
    keyword = model.__name__.removeprefix("Wisn").lower()

    def row_for(request: HttpRequest, pk: int) -> Any:
        require(request.user, queries.EDIT)
        rows = model.objects.select_related("study").filter(
            study__in=queries.studies_for(request.user, queries.EDIT)
        )
        return get_for(request.user, rows, pk, queries.EDIT)

    @login_required
    def edit(request: HttpRequest, pk: int) -> HttpResponseBase:
        row = row_for(request, pk)
        form = form_class(request.POST or None, initial=initial_from(row, fields))
        return form_page(
            request,
            form,
            template,
            {"row": row, "study": row.study},
            save=lambda values: update(**{keyword: row}, **values),
            message=lambda saved: _("已保存：%s") % saved.name,
            then=lambda saved: redirect("insights:study", saved.study_id),
            reread=row,
        )

    @login_required
    @require_POST
    def remove(request: HttpRequest, pk: int) -> HttpResponseBase:
        row = row_for(request, pk)
        acted(request, lambda: delete(**{keyword: row}), _("已删除：%s") % row.name)
        return redirect("insights:study", row.study_id)

    return edit, remove


activity_edit, activity_delete = _row_views(
    WisnActivity,
    ActivityForm,
    services.ACTIVITY_FIELDS,
    services.activity_update,
    services.activity_delete,
    "insights/activity_form.html",
)
allowance_edit, allowance_delete = _row_views(
    WisnAllowance,
    AllowanceForm,
    services.ALLOWANCE_FIELDS,
    services.allowance_update,
    services.allowance_delete,
    "insights/allowance_form.html",
)


# --- The annual report -----------------------------------------------------------------------

REPORT_FILES = {"pdf": ("application/pdf", report_pdf), "xlsx": (XLSX_CONTENT_TYPE, report_xlsx)}


@login_required
def report(request: HttpRequest) -> HttpResponseBase:
    """The annual talent-work report of what the user oversees, on the page and, audited, as
    PDF or as a workbook (?format=pdf / xlsx)."""
    require(request.user, queries.EXPORT)
    form = ReportForm(request.GET)  # nothing given: this year
    if not form.is_valid():
        return render(request, "insights/report.html", {"form": form}, status=400)
    made = annual_report(request.user, form.cleaned_data["since"], form.cleaned_data["until"])
    wanted = request.GET.get("format", "")
    if wanted not in REPORT_FILES:
        query = urlencode({k: v for k, v in request.GET.items() if k != "format"})
        context = {"form": form, "report": made, "query": query}
        return render(request, "insights/report.html", context)
    content_type, draw = REPORT_FILES[wanted]
    audit.record_export(f"{made.title}（{wanted.upper()}）", request.GET.dict())
    response = HttpResponse(draw(made), content_type=content_type)
    response["Content-Disposition"] = attachment(f"{made.title}.{wanted}")
    return response
