"""The disciplines' yearly figures (/api/v1/evaluation/figures/) and a discipline's series
with its growth and multiples (/api/v1/evaluation/disciplines/<department id>/series/)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yicai.api.base import ApiView, ModelInput, ModelOutput, form_filters
from yicai.api.fields import Ref, pk_field, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination
from yicai.api.schema import INSTITUTION_PARAMETER, errors
from yicai.evaluation.forms.disciplines import FigureFilterForm, SeriesForm
from yicai.evaluation.models import DisciplineFigure, Measure
from yicai.evaluation.queries import disciplines as queries
from yicai.evaluation.services import disciplines as services
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE

VIEW, EDIT = queries.VIEW, queries.EDIT
YEAR_FROM = OpenApiParameter("year_from", int, description=_("起始年度（含）"))
YEAR_TO = OpenApiParameter("year_to", int, description=_("截止年度（含）"))


class FigureOut(ModelOutput):
    department = Ref(read_only=True)
    institution = Ref(read_only=True, source="department.institution")
    unit = serializers.CharField(read_only=True)

    class Meta:
        model = DisciplineFigure
        fields = (
            "id",
            "institution",
            *with_labels(services.FIGURE_FIELDS, "measure", value="unit"),
            "created_at",
            "updated_at",
        )


class FigureIn(ModelInput):
    """A department's figure of a measure and year. Adding one for a department, measure and
    year on file changes that figure (answered 200 either way)."""

    # The service checks the range and the length, in the words of the form and the import.
    year = serializers.IntegerField()
    value = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = DisciplineFigure
        fields = services.FIGURE_FIELDS
        validators: list[object] = []  # the one on file is changed, not refused

    def scope_fields(self, user: Any) -> None:
        self.fields["department"] = pk_field(
            queries.editable_departments(user), DEPARTMENT_OUT_OF_SCOPE
        )


@extend_schema(tags=["evaluation"])
class FigureViewSet(RecordViewSet):
    """The yearly figures of the departments the user sees (an institution its own, a
    department head their department's, the commission its region's); setting one needs
    evaluation.figures on its department."""

    permissions = {
        "list": VIEW,
        "retrieve": VIEW,
        "create": EDIT,
        "partial_update": EDIT,
        "destroy": EDIT,
    }
    pagination_class = cursor_pagination("department_id", "measure", "year", "id")
    filter_form = FigureFilterForm
    list_parameters = [
        INSTITUTION_PARAMETER,
        OpenApiParameter("department", int, description=_("科室 id")),
        OpenApiParameter("measure", str, enum=Measure.values),
        YEAR_FROM,
        YEAR_TO,
    ]
    output = FigureOut
    create_input = FigureIn
    create_status = 200
    row_keyword = "figure"
    update_service = services.figure_update
    delete_service = services.figure_delete

    def list_rows(self, **filters: Any) -> "QuerySet[DisciplineFigure]":
        return queries.figure_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[DisciplineFigure]":
        return queries.figures_for(self.request.user, EDIT)

    def create_record(self, values: dict[str, Any]) -> DisciplineFigure:
        return services.figure_set(by=self.request.user, **values).figure

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}


class PointOut(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.IntegerField(allow_null=True, help_text=_("未登记为 null"))
    figure = serializers.IntegerField(
        source="figure_id", allow_null=True, help_text=_("该年数值所在的年度数据 id")
    )
    growth = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text=_("同比增长（%）")
    )


class SeriesOut(serializers.Serializer):
    measure = serializers.ChoiceField(Measure.choices)
    measure_display = serializers.CharField(source="label")
    unit = serializers.CharField()
    points = PointOut(many=True)
    first = PointOut(allow_null=True, help_text=_("区间内第一个有数据的年度"))
    last = PointOut(allow_null=True, help_text=_("区间内最后一个有数据的年度"))
    years = serializers.IntegerField(help_text=_("第一个与最后一个有数据年度之间的年数"))
    multiple = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=_("末年数值为首年的倍数")
    )
    average_growth = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text=_("年均增长（%，复合）")
    )
    highest = serializers.IntegerField(allow_null=True)


class YearRecordsOut(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField(help_text=_("人员的统计日：当年 12 月 31 日，本年为今天"))
    gaps_filled = serializers.IntegerField(help_text=_("新技术首例经审核独立完成的项数"))
    cases = serializers.IntegerField(help_text=_("新技术经审核的独立完成病例数"))
    staff = serializers.IntegerField(help_text=_("统计日在本科室任职的人数"))
    undated = serializers.IntegerField(help_text=_("其中任职起始日期未填的人数"))
    by_grade = serializers.DictField(child=serializers.IntegerField(), help_text=_("按职称级别"))
    by_education = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("按学历（GB/T 4658 大类代码）")
    )


class DisciplineOut(serializers.Serializer):
    department = Ref()
    institution = Ref()
    year_from = serializers.IntegerField()
    year_to = serializers.IntegerField()
    series = SeriesOut(many=True)
    records = YearRecordsOut(many=True)


@extend_schema(tags=["evaluation"])
class DisciplineViewSet(ApiView):
    """A discipline (a department the user sees): the series of each measure it has figures
    for, with the growth year on year, the multiple and the average yearly growth over the
    years asked (by default those it has figures for), and what its records say of each year."""

    permissions = {"series": VIEW}

    @extend_schema(
        parameters=[YEAR_FROM, YEAR_TO],
        responses={200: DisciplineOut, **errors(400, 404)},
    )
    def series(self, request: Request, pk: str) -> Response:
        department = queries.department_for(request.user, pk)
        values = form_filters(SeriesForm(request.query_params))
        year_from, year_to = queries.years_shown(
            request.user, department, values.get("year_from"), values.get("year_to")
        )
        answer = {
            "department": department,
            "institution": department.institution,
            "year_from": year_from,
            "year_to": year_to,
            "series": queries.department_series(request.user, department, year_from, year_to),
            "records": queries.year_records(request.user, department, year_from, year_to),
        }
        return Response(DisciplineOut(answer).data)
