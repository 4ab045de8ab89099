from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai import todo
from yicai.access.models import Role
from yicai.access.scope import get_for, has_perm, require, roles
from yicai.codes.queries import code_for
from yicai.insights import queries, services, workloads
from yicai.insights.annual import annual_report
from yicai.insights.forms import (
    ActivityForm,
    AllowanceForm,
    DensityForm,
    ParameterFilterForm,
    ParameterForm,
    PlanningPeopleFilterForm,
    PopulationFilterForm,
    PopulationForm,
    ReportForm,
    RetirementForm,
    StudyFilterForm,
    StudyForm,
)
from yicai.insights.models import (
    PlanningParameter,
    RegionPopulation,
    WisnActivity,
    WisnAllowance,
    WisnStudy,
)
from yicai.insights.queries import home_figures
from yicai.insights.report_jobs import recent_report_jobs
from yicai.insights.wisn import rounded
from yicai.menu import CHAIN, lacks_person, menu_for, oversees
from yicai.params import filter_status, is_id
from yicai.people.models import Person
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
    feeds = workloads.feeds_of(study, list(study.activities.all()))
    for feed in feeds.values():
        feed.activity.feed = feed  # type: ignore[attr-defined]
    return {
        "study": study,
        "result": queries.study_result(study),
        "missing_feeds": workloads.missing(feeds.values()),
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


@login_required
def report(request: HttpRequest) -> HttpResponseBase:
    """The annual talent-work report of what the user oversees, on the page; its PDF and
    workbook are made in the background, with their progress shown (report_views)."""
    require(request.user, queries.EXPORT)
    form = ReportForm(request.GET)  # nothing given: this year
    if not form.is_valid():
        return render(request, "insights/report.html", {"form": form}, status=400)
    made = annual_report(request.user, form.cleaned_data["since"], form.cleaned_data["until"])
    context = {"form": form, "report": made, "jobs": recent_report_jobs(request.user)}
    return render(request, "insights/report.html", context)


# --- Workforce planning: parameters, population, retirement, density (docs/planning.md) ----

PLANNING = ListPermissions(view=queries.VIEW, export=queries.EXPORT, edit=queries.EDIT)


def _require_planner(user: Any) -> None:
    """Setting planning figures is the commission's: others get a 403, even with
    insights.edit (an institution's WISN studies)."""
    require(user, queries.EDIT)
    if not queries.planner(user):
        raise PermissionDenied


def _national(region: Any) -> str:
    return region.name if region is not None else _("全国通用")


PARAMETER_HEADERS = [
    gettext_lazy("参数"),
    gettext_lazy("数值"),
    gettext_lazy("起始日期"),
    gettext_lazy("适用地区"),
    gettext_lazy("来源"),
]


def parameter_rows(rows: "QuerySet[PlanningParameter]") -> Iterator[list[object]]:
    for row in rows.iterator(chunk_size=2000):
        yield [row.get_key_display(), row.value, row.valid_from, _national(row.region), row.source]


@login_required
def parameter_list(request: HttpRequest) -> HttpResponseBase:
    user = request.user

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        shown = [row.pk for row in listing["page_obj"]]
        visible = queries.parameters_for(user)
        return {
            "can_edit": bool(queries.planner(user)),
            "editable": set(
                queries.editable_parameters(user).filter(pk__in=shown).values_list("pk", flat=True)
            ),
            "current": queries.current_parameter_ids(visible, timezone.localdate()),
        }

    export = Export(_("规划参数"), PARAMETER_HEADERS, parameter_rows, _("导出规划参数"))
    form = ParameterFilterForm(user, request.GET or None)
    return list_page(
        request,
        PLANNING,
        "insights/parameter_list.html",
        form,
        queries.parameter_list,
        export,
        extra,
    )


@login_required
def parameter_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    _require_planner(request.user)
    parameter = queries.parameter_for(request.user, pk, queries.EDIT) if pk else None
    initial = initial_from(parameter, services.PARAMETER_FIELDS) if parameter else None
    form = ParameterForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> PlanningParameter:
        if parameter is None:
            return services.parameter_create(by=request.user, **values)
        return services.parameter_update(parameter=parameter, by=request.user, **values)

    return form_page(
        request,
        form,
        "insights/parameter_form.html",
        {"parameter": parameter},
        save=save,
        message=lambda saved: _("已保存规划参数：%s") % saved,
        then=lambda _saved: redirect("insights:parameters"),
        reread=parameter,
    )


@login_required
@require_POST
def parameter_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require_planner(request.user)
    parameter = queries.parameter_for(request.user, pk, queries.EDIT)
    acted(
        request,
        lambda: services.parameter_delete(parameter=parameter, by=request.user),
        _("已删除规划参数：%s") % parameter,
    )
    return redirect("insights:parameters")


POPULATION_HEADERS = [
    gettext_lazy("地区"),
    gettext_lazy("年度"),
    gettext_lazy("常住人口（人）"),
    gettext_lazy("来源"),
]


def population_rows(rows: "QuerySet[RegionPopulation]") -> Iterator[list[object]]:
    for row in rows.iterator(chunk_size=2000):
        yield [row.region.name, row.year, row.population, row.source]


@login_required
def population_list(request: HttpRequest) -> HttpResponseBase:
    user = request.user

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "can_edit": bool(queries.planner(user)),
            "editable": editable_ids(
                user, queries.EDIT, lambda u, _p: queries.editable_populations(u), listing
            ),
        }

    export = Export(_("常住人口"), POPULATION_HEADERS, population_rows, _("导出常住人口"))
    form = PopulationFilterForm(user, request.GET or None)
    return list_page(
        request,
        PLANNING,
        "insights/population_list.html",
        form,
        queries.population_list,
        export,
        extra,
    )


@login_required
def population_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    _require_planner(request.user)
    population = queries.population_for(request.user, pk, queries.EDIT) if pk else None
    if population is not None:
        initial = initial_from(population, services.POPULATION_FIELDS)
    else:  # the planning page's link names the region and the year missing
        asked = {name: request.GET.get(name, "") for name in ("region", "year")}
        initial = {name: value for name, value in asked.items() if is_id(value)}
    form = PopulationForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> RegionPopulation:
        if population is None:
            return services.population_create(by=request.user, **values)
        return services.population_update(population=population, by=request.user, **values)

    return form_page(
        request,
        form,
        "insights/population_form.html",
        {"population": population},
        save=save,
        message=lambda saved: (
            _("已保存常住人口：%(region)s %(year)s 年 %(n)s 人")
            % {"region": saved.region.name, "year": saved.year, "n": saved.population}
        ),
        then=lambda _saved: redirect("insights:populations"),
        reread=population,
    )


@login_required
@require_POST
def population_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require_planner(request.user)
    population = queries.population_for(request.user, pk, queries.EDIT)
    acted(
        request,
        lambda: services.population_delete(population=population, by=request.user),
        _("已删除常住人口：%s") % population,
    )
    return redirect("insights:populations")


def _planning_people(**query: Any) -> str:
    """The staff behind a planning figure (insights:planning_people), filtered as given."""
    given = {name: value for name, value in query.items() if value not in (None, "", False)}
    return f"{reverse('insights:planning_people')}?{urlencode(given)}"


def _cells(
    row: queries.ProjectionRow, periods: list[queries.Period], **where: Any
) -> list[tuple[int, str]]:
    """A row's counts by period, each with the link to the people it counts."""
    return [
        (n, _planning_people(period=period.key, **where))
        for n, period in zip(row.counts, periods, strict=True)
    ]


def _projection_rows(projection: queries.Projection) -> dict[str, Any]:
    """The projection's rows with a link for every count: by department (each institution's
    total after its departments), by personnel category, and the total."""
    periods = projection.periods
    as_of = projection.as_of.isoformat()

    def shown(row: queries.ProjectionRow, **where: Any) -> dict[str, Any]:
        where = {"as_of": as_of, **where}
        return {
            "row": row,
            "cells": _cells(row, periods, **where),
            "unknown_url": _planning_people(unknown=1, **where),
            "staff_url": _planning_people(**where),
        }

    departments = []
    for row in projection.rows:
        where: dict[str, Any] = {"institution": row.institution_id}
        if not row.total:
            if row.department_id is None:
                where["without_department"] = 1
            else:
                where["department"] = row.department_id
        departments.append(shown(row, **where))
    return {
        "departments": departments,
        "categories": [
            shown(row, personnel_category=row.department_id)
            if row.department_id is not None
            else shown(row, without_category=1)
            for row in projection.categories
        ],
        "total": shown(projection.total),
    }


def retirement_headers(periods: list[queries.Period]) -> list[object]:
    return [
        gettext_lazy("机构"),
        gettext_lazy("科室"),
        *(period.label for period in periods),
        gettext_lazy("五年合计"),
        gettext_lazy("无法计算"),
        gettext_lazy("在档人数"),
    ]


def retirement_table(projection: queries.Projection) -> Iterator[list[object]]:
    """The export: every department, each institution's total, then the total."""
    for row in [*projection.rows, projection.total]:
        name = row.institution or _("总计")
        yield [name, row.department, *row.counts, row.ahead, row.unknown, row.staff]


@login_required
def retirement_projection(request: HttpRequest) -> HttpResponseBase:
    """Who reaches the statutory retirement age in the next five years, by institution and
    department and by personnel category, each count a link to the people; the table as an
    export."""
    user = request.user
    require(user, queries.VIEW)
    form = RetirementForm(user, request.GET or None)
    status = filter_status(form)
    values = form.cleaned_data if status == 200 and form.is_bound else {}
    projection = queries.retirement_projection(
        user, as_of=values.get("as_of"), institution=values.get("institution")
    )
    if status == 200:
        export = Export(
            _("退休预测"),
            retirement_headers(projection.periods),
            retirement_table,
            _("导出退休预测"),
        )
        download = exported(request, PLANNING, export, lambda _permission: projection, form)
        if download is not None:
            return download
    context = {
        "form": form,
        "projection": projection,
        **_projection_rows(projection),
        "can_export": status == 200 and has_perm(user, queries.EXPORT),
        "export_query": urlencode({k: v for k, v in request.GET.items() if k in form.fields and v}),
        "missing": [
            PlanningParameter.Key(queries.RETIREMENT_KEYS[kind][0]).label
            for kind in projection.missing
        ],
    }
    return render(request, "insights/retirement.html", context, status=status)


PEOPLE_HEADERS = [
    gettext_lazy("姓名"),
    gettext_lazy("性别"),
    gettext_lazy("出生日期"),
    gettext_lazy("机构"),
    gettext_lazy("科室"),
    gettext_lazy("从事专业类别"),
    gettext_lazy("现职称"),
    gettext_lazy("法定退休年龄"),
    gettext_lazy("到龄日期"),
]


def planning_people_rows(people: "QuerySet[Person]") -> Iterator[list[object]]:
    schedules, codes = queries.retirement_schedules(), queries.planning_codes()
    for person in people.iterator(chunk_size=2000):
        found = queries.retirement_of(person, schedules, codes)
        yield [
            person.name,
            person.sex.name if person.sex_id else "",
            person.birth_date,
            person.institution.name if person.institution else "",
            person.department.name if person.department else "",
            person.personnel_category.name if person.personnel_category else "",
            person.current_title.name if person.current_title else "",
            found.age or _("无法计算"),
            found.on or "",
        ]


@login_required
def planning_people(request: HttpRequest) -> HttpResponseBase:
    """The staff behind a planning figure, with each one's statutory age and the day they
    reach it."""
    user = request.user

    def extra(listing: Listing, _filters: Mapping[str, Any]) -> dict[str, Any]:
        schedules, codes = queries.retirement_schedules(), queries.planning_codes()
        for person in listing["page_obj"]:
            person.retirement = queries.retirement_of(person, schedules, codes)
        return {}

    export = Export(_("规划人员名单"), PEOPLE_HEADERS, planning_people_rows, _("导出规划人员名单"))
    form = PlanningPeopleFilterForm(user, request.GET or None)
    return list_page(
        request,
        PLANNING,
        "insights/planning_people.html",
        form,
        queries.planning_people,
        export,
        extra,
    )


@login_required
def planning(request: HttpRequest) -> HttpResponseBase:
    """规划指标: for a region and a year, doctors and nurses per 1,000 population and nurses
    per doctor, against the targets in force on the as-of day, with the gap; each count a
    link to the people it counts."""
    user = request.user
    require(user, queries.VIEW)
    form = DensityForm(user, request.GET or None)
    status = filter_status(form)
    values = form.cleaned_data if status == 200 and form.is_bound else {}
    figures = queries.density(
        user, region=values.get("region"), year=values.get("year"), as_of=values.get("as_of")
    )
    region = figures.region
    groups = (
        [
            {
                "key": group,
                "label": label,
                "count": figures.counts[group],
                "url": _planning_people(group=group, region=region.pk),
            }
            for group, label in queries.GROUP_LABELS.items()
        ]
        if region is not None
        else []
    )
    context = {
        "form": form,
        "figures": figures,
        "groups": groups,
        "can_plan": region is not None and queries.planner(user).covers(region),
    }
    return render(request, "insights/planning.html", context, status=status)
