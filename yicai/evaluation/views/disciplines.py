"""The disciplines' yearly figures (学科年度数据): the list with its export, a figure's page,
the form to set or change one, and a discipline's page: its department's series of each
measure with the growth year on year, the multiple and the average yearly growth over the
years shown, and what its other records say of each year."""

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yicai.access.scope import has_perm, require
from yicai.evaluation.forms.disciplines import FigureFilterForm, FigureForm, SeriesForm
from yicai.evaluation.models import DisciplineFigure, Measure
from yicai.evaluation.queries import disciplines as queries
from yicai.evaluation.services import disciplines as services
from yicai.org.queries import departments_for
from yicai.params import filter_status
from yicai.web.forms import initial_from
from yicai.web.listing import Export, Listing, ListPermissions, editable_ids, list_page, may
from yicai.web.views import acted, form_page

FIGURES = ListPermissions(view=queries.VIEW, export=queries.EXPORT, edit=queries.EDIT)

FIGURE_HEADERS = [
    gettext_lazy("机构"),
    gettext_lazy("科室"),
    gettext_lazy("年度"),
    gettext_lazy("指标"),
    gettext_lazy("数值"),
    gettext_lazy("单位"),
    gettext_lazy("备注"),
]


def figure_rows(figures: "QuerySet[DisciplineFigure]") -> Iterator[list[object]]:
    for figure in figures.iterator(chunk_size=2000):
        yield [
            figure.department.institution.name,
            figure.department.name,
            figure.year,
            figure.get_measure_display(),
            figure.value,
            figure.unit,
            figure.note,
        ]


@login_required
def figure_list(request: HttpRequest) -> HttpResponseBase:
    def extra(listing: Listing, _filters: Any) -> dict[str, Any]:
        return {
            "can_edit": has_perm(request.user, queries.EDIT),
            "editable": editable_ids(request.user, queries.EDIT, queries.figures_for, listing),
        }

    export = Export(_("学科年度数据"), FIGURE_HEADERS, figure_rows, _("导出学科年度数据"))
    form = FigureFilterForm(request.user, request.GET or None)
    return list_page(
        request,
        FIGURES,
        "evaluation/figure_list.html",
        form,
        queries.figure_list,
        export,
        extra,
    )


@login_required
def figure(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    found = queries.figure_for(request.user, pk)
    context = {
        "figure": found,
        "can_edit": may(request.user, queries.EDIT, queries.figures_for, found.pk),
    }
    return render(request, "evaluation/figure_detail.html", context)


@login_required
def figure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    editing = queries.figure_for(request.user, pk, queries.EDIT) if pk else None
    if editing is not None:
        initial = initial_from(editing, services.FIGURE_FIELDS)
    else:  # a discipline page's link names the department, measure and year to add
        asked = {name: request.GET.get(name, "") for name in ("department", "measure", "year")}
        initial = {
            name: value
            for name, value in asked.items()
            if (value.isascii() and value.isdigit())
            or (name == "measure" and value in Measure.values)
        }
    form = FigureForm(request.user, request.POST or None, initial=initial)

    def save(values: dict[str, Any]) -> services.FigureSet:
        return services.figure_set(by=request.user, figure=editing, **values)

    def said(done: services.FigureSet) -> str:
        figure = done.figure
        named = f"{figure.department.name} {figure.year} {figure.get_measure_display()}"
        if done.created or done.replaced == figure.value:
            return _("已保存学科年度数据：%(figure)s %(value)s") % {
                "figure": named,
                "value": figure.value,
            }
        return _("已更新学科年度数据：%(figure)s 由 %(before)s 改为 %(value)s") % {
            "figure": named,
            "before": done.replaced,
            "value": figure.value,
        }

    return form_page(
        request,
        form,
        "evaluation/figure_form.html",
        {"figure": editing},
        save=save,
        message=said,
        then=lambda done: redirect("evaluation:discipline", done.figure.department_id),
        reread=editing,
    )


@login_required
@require_POST
def figure_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.EDIT)
    found = queries.figure_for(request.user, pk, queries.EDIT)
    department = found.department_id
    acted(
        request,
        lambda: services.figure_delete(figure=found, by=request.user),
        _("已删除学科年度数据：%s") % found,
    )
    return redirect("evaluation:discipline", department)


@login_required
def discipline(request: HttpRequest, pk: int) -> HttpResponseBase:
    require(request.user, queries.VIEW)
    department = queries.department_for(request.user, pk)
    form = SeriesForm(request.GET or None)
    status = filter_status(form)
    values = form.cleaned_data if status == 200 and form.is_bound else {}
    year_from, year_to = queries.years_shown(
        request.user, department, values.get("year_from"), values.get("year_to")
    )
    educations = queries.education_levels()
    records = [
        {
            "year": record,
            "grades": [record.by_grade.get(grade, 0) for grade, _label in queries.GRADES],
            "educations": [record.by_education.get(level, 0) for level, _label in educations],
        }
        for record in queries.year_records(request.user, department, year_from, year_to)
    ]
    context = {
        "department": department,
        "form": form,
        "year_from": year_from,
        "year_to": year_to,
        "series": queries.department_series(request.user, department, year_from, year_to),
        "records": records,
        "grades": [label for _grade, label in queries.GRADES],
        "educations": [label for _level, label in educations],
        "can_edit": may(request.user, queries.EDIT, departments_for, department.pk),
    }
    return render(request, "evaluation/discipline.html", context, status=status)
