"""WISN studies (/api/v1/insights/wisn/): a department's study of one staff category for a
year, with its activities and allowances, declared on the shared record viewset (the list
reads the page's filter form, writes go through the services); and a study's result
(/wisn/<id>/result/), every step of the calculation as the study's page shows it.

Workforce planning, read only (the commission sets the figures on its pages): the dated
parameters (/parameters/), the regions' population (/population/), the retirement
projection (/retirement/) and the figures per 1,000 population (/density/), each from the
same query as its page."""

from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ApiView, ModelInput, ModelOutput, form_filters
from yicai.api.fields import CodeRef, Ref, api_names, choice, code_field, pk_field
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, ROW_ID, as_of_parameter, errors
from yicai.insights import annual, queries, services, wisn, workloads
from yicai.insights.forms import (
    DensityForm,
    ParameterFilterForm,
    PopulationFilterForm,
    ReportForm,
    RetirementForm,
    StudyFilterForm,
)
from yicai.insights.models import (
    PlanningParameter,
    RegionPopulation,
    WisnActivity,
    WisnAllowance,
    WisnStudy,
)
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE


class ActivityOut(ModelOutput):
    # Text, not an enum: the measures' enum is the discipline figures' (MeasureEnum) already.
    workload_measure = serializers.CharField(
        read_only=True,
        help_text=_("年工作量取自的学科年度数据指标（evaluation 的 measure）；空：手工填写"),
    )

    class Meta:
        model = WisnActivity
        fields = ("id", *services.ACTIVITY_FIELDS)


class AllowanceOut(ModelOutput):
    # Named after its record, so that its enum is not another model's "kind" in the schema.
    allowance_kind = choice("kind", WisnAllowance.Kind.choices, _("补贴类型"), read_only=True)

    class Meta:
        model = WisnAllowance
        fields = ("id", *api_names(services.ALLOWANCE_FIELDS, kind="allowance_kind"))


_STUDY_OUT: tuple[str, ...] = ("id", "institution", *services.STUDY_FIELDS)


class StudyOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True)
    staff_category = CodeRef(read_only=True)

    class Meta:
        model = WisnStudy
        fields = _STUDY_OUT


class StudyDetailOut(StudyOut):
    activities = ActivityOut(many=True, read_only=True)
    allowances = AllowanceOut(many=True, read_only=True)

    class Meta(StudyOut.Meta):
        fields = (*_STUDY_OUT, "activities", "allowances")


class StudyIn(ModelInput):
    """A study: the department (one whose staffing the user plans), the staff category
    (从事专业类别 code id), the year and the working time of one full-time worker."""

    class Meta:
        model = WisnStudy
        fields = services.STUDY_FIELDS

    def scope_fields(self, user: Any) -> None:
        self.fields["department"] = pk_field(
            queries.plannable_departments(user), DEPARTMENT_OUT_OF_SCOPE
        )
        self.fields["staff_category"] = code_field(queries.staff_categories(), _("人员类别"))


def _figure(help_text: Any) -> serializers.CharField:
    return serializers.CharField(read_only=True, allow_null=True, help_text=help_text)


class ActivityLineOut(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    minutes_per_unit = _figure(_("活动标准：每单位耗时（分钟）"))
    annual_workload = _figure(_("年工作量"))
    standard_workload = _figure(_("标准工作量：一人一年可完成的单位数"))
    required_staff = _figure(_("所需人数：年工作量 ÷ 标准工作量"))
    workload_source = serializers.CharField(
        read_only=True, help_text=_("年工作量的来源：取自的学科年度数据（空：手工填写）")
    )
    figure = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("年工作量取自的学科年度数据 id")
    )


class CategoryLineOut(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    hours_per_year = _figure(_("每人每年小时数（按百分比填写的为空）"))
    percent = _figure(_("占可用工作时间的百分比"))


class IndividualLineOut(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    hours_per_year = _figure(_("每人每年小时数"))
    staff = _figure(_("承担人数"))
    hours = _figure(_("合计小时数"))
    staff_equivalent = _figure(_("折合人数：合计小时数 ÷ 可用工作时间"))


class ResultOut(serializers.Serializer):
    """Every step of the calculation, each figure at two decimals (as text, exact)."""

    study = serializers.IntegerField(read_only=True)
    possible_days = _figure(_("全年可工作天数：每周天数 × 52"))
    absent_days = _figure(_("各项假日与缺勤合计（天）"))
    awt_days = _figure(_("可用工作时间（天）"))
    awt_hours = _figure(_("可用工作时间（小时）"))
    activities = ActivityLineOut(many=True, read_only=True)
    health_service_staff = _figure(_("卫生服务活动所需人数合计"))
    category_allowances = CategoryLineOut(many=True, read_only=True)
    cas_percent = _figure(_("类别补贴合计（%）"))
    caf = _figure(_("类别补贴系数 CAF"))
    individual_allowances = IndividualLineOut(many=True, read_only=True)
    iaf = _figure(_("个人补贴系数 IAF（人）"))
    required_staff = _figure(_("所需人数 = 卫生服务所需 × CAF + IAF"))
    current_staff = _figure(_("现有人数"))
    staff_on_file = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("档案中本科室本类在岗人员（当前）")
    )
    difference = _figure(_("WISN 差值：现有 − 所需"))
    ratio = _figure(_("WISN 比值：现有 ÷ 所需（尚无所需人数时为空）"))
    reading = serializers.CharField(
        read_only=True, allow_null=True, help_text="shortage / balanced / excess"
    )
    reading_label = serializers.CharField(read_only=True)
    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)
    missing_figures = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("取自学科年度数据而该年度未登记、因而未计入的活动"),
    )


def result_data(study: WisnStudy, result: wisn.Result, on_file: int | None) -> dict[str, Any]:
    """The result as the API answers it (the page's figures, at two decimals)."""
    s = wisn.shown
    time = result.working_time
    feeds = workloads.feeds_of(study, list(study.activities.all()))
    by_row = {id(feed.activity): feed for feed in feeds.values()}
    return {
        "study": study.pk,
        "possible_days": s(time.possible_days),
        "absent_days": s(time.absent_days),
        "awt_days": s(time.days),
        "awt_hours": s(time.hours),
        "activities": [
            {
                "name": line.activity.name,
                "minutes_per_unit": s(line.activity.minutes_per_unit),
                "annual_workload": s(line.activity.annual_workload),
                "standard_workload": s(line.standard_workload),
                "required_staff": s(line.required_staff),
                "workload_source": by_row[id(line.activity.source)].text
                if id(line.activity.source) in by_row
                else "",
                "figure": by_row[id(line.activity.source)].figure_id
                if id(line.activity.source) in by_row
                else None,
            }
            for line in result.activities
        ],
        "health_service_staff": s(result.health_service_staff),
        "category_allowances": [
            {
                "name": line.allowance.name,
                "hours_per_year": s(line.allowance.hours_per_year) or None,
                "percent": s(line.percent),
            }
            for line in result.category_lines
        ],
        "cas_percent": s(result.cas_percent),
        "caf": s(result.caf),
        "individual_allowances": [
            {
                "name": line.allowance.name,
                "hours_per_year": s(line.allowance.hours_per_year),
                "staff": s(line.allowance.staff),
                "hours": s(line.hours),
                "staff_equivalent": s(line.staff),
            }
            for line in result.individual_lines
        ],
        "iaf": s(result.iaf),
        "required_staff": s(result.required_staff),
        "current_staff": s(result.current_staff),
        "staff_on_file": on_file,
        "difference": s(result.difference),
        "ratio": s(result.ratio) or None,
        "reading": result.reading,
        "reading_label": result.reading_label,
        "warnings": result.warnings,
        "missing_figures": [
            f"{feed.activity.name}：{feed.text}" for feed in workloads.missing(feeds.values())
        ],
    }


@extend_schema(tags=["insights"])
class StudyViewSet(RecordViewSet):
    """WISN studies the user may see (an institution its own, a department head their
    department's, the commission its region's); recording or changing one needs
    insights.edit on its department. Activities and allowances are added on the study's
    page; the result endpoint gives the calculation."""

    permissions = record_permissions(
        "insights", "create", "partial_update", "destroy", result=queries.VIEW
    )
    pagination_class = cursor_pagination("-year", "id")
    filter_form = StudyFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("科室名称或说明中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("staff_category", int, description=_("人员类别（从事专业类别代码 id）")),
        OpenApiParameter("year", int),
    ]
    output = StudyOut
    detail_output = StudyDetailOut
    create_input = StudyIn
    create_service = services.study_create
    update_service = services.study_update
    delete_service = services.study_delete
    row_keyword = "study"

    def list_rows(self, **filters: Any) -> "QuerySet[WisnStudy]":
        return queries.study_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[WisnStudy]":
        return queries.studies_for(self.request.user).prefetch_related("activities", "allowances")

    def edit_rows(self) -> "QuerySet[WisnStudy]":
        return queries.studies_for(self.request.user, queries.EDIT)

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the department is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    @extend_schema(parameters=[ROW_ID], responses={200: ResultOut, **errors(400, 404)})
    def result(self, request: Any, pk: str) -> Response:
        """The study's calculation, step by step, at two decimals; a 400 names the fields of
        a study that cannot be calculated."""
        study = queries.study_for(request.user, pk)
        prefetch_related_objects([study], "activities", "allowances")
        result = wisn.calculate(queries.study_inputs(study))
        on_file = queries.staff_on_file(request.user, study)
        return Response(ResultOut(result_data(study, result, on_file)).data)


# --- The annual report (/api/v1/insights/report/) ------------------------------------------


class AnnualReportTableOut(serializers.Serializer):
    title = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text=_("每行的各列，数字为文本"),
    )


class AnnualReportChartOut(serializers.Serializer):
    title = serializers.CharField()
    labels = serializers.ListField(child=serializers.CharField())
    values = serializers.ListField(child=serializers.IntegerField())


class AnnualReportSectionOut(serializers.Serializer):
    title = serializers.CharField()
    sentences = serializers.ListField(child=serializers.CharField())
    tables = AnnualReportTableOut(many=True)
    charts = AnnualReportChartOut(many=True)


class AnnualReportOut(serializers.Serializer):
    title = serializers.CharField()
    scope = serializers.CharField(help_text=_("报告所述的辖区或机构"))
    since = serializers.DateField()
    until = serializers.DateField()
    sections = AnnualReportSectionOut(many=True)
    text = serializers.CharField(help_text=_("报告的全部文字，按顺序"))


def _as_text(report: annual.Report) -> annual.Report:
    for section in report.sections:
        for table in section.tables:
            table.rows = [[None if v is None else str(v) for v in row] for row in table.rows]
    return report


@extend_schema(tags=["insights"])
class ReportViewSet(ApiView):
    """The annual talent-work report, as the page 人才工作年度报告 shows it."""

    permissions = {"report": queries.EXPORT}

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description=_("年度，默认今年")),
            OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日（与截止日同填）")),
            OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日（与起始日同填）")),
        ],
        responses={200: AnnualReportOut, **errors(400)},
    )
    def report(self, request: Any) -> Response:
        values = form_filters(ReportForm(request.query_params))
        made = annual.annual_report(request.user, values["since"], values["until"])
        return Response(AnnualReportOut(_as_text(made)).data)


# --- Workforce planning (docs/planning.md): parameters, population, retirement, density ----


class RegionRef(Ref):
    code = serializers.CharField(read_only=True)


class PlanningParameterOut(ModelOutput):
    # Named after its record, so that its enum is not another model's "key" in the schema.
    parameter_key = choice("key", PlanningParameter.Key.choices, _("参数"), read_only=True)
    region = RegionRef(read_only=True, allow_null=True, help_text=_("适用地区；空即全国通用"))

    class Meta:
        model = PlanningParameter
        fields = ("id", "parameter_key", "key_display", "value", "valid_from", "region", "source")


@extend_schema(tags=["insights"])
class PlanningParameterViewSet(RecordViewSet):
    """The planning parameters the user reads: the national ones and their regions' own, each
    in force from its day until the next of the same key and region. Set on the parameters
    page by the commission."""

    permissions = record_permissions("insights")
    pagination_class = cursor_pagination("key", "id")
    filter_form = ParameterFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("来源中的文字")),
        OpenApiParameter("key", str, enum=PlanningParameter.Key.values, description=_("参数")),
        OpenApiParameter("region", int, description=_("适用地区 id")),
    ]
    output = PlanningParameterOut

    def list_rows(self, **filters: Any) -> "QuerySet[PlanningParameter]":
        return queries.parameter_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[PlanningParameter]":
        return queries.parameters_for(self.request.user)


class RegionPopulationOut(ModelOutput):
    region = RegionRef(read_only=True)

    class Meta:
        model = RegionPopulation
        fields = ("id", "region", "year", "population", "source")


@extend_schema(tags=["insights"])
class RegionPopulationViewSet(RecordViewSet):
    """The regions' resident population by year, as the commission records it (the
    denominator of the figures per 1,000 population)."""

    permissions = record_permissions("insights")
    pagination_class = cursor_pagination("-year", "id")
    filter_form = PopulationFilterForm
    list_parameters = [
        OpenApiParameter("region", int, description=_("地区 id")),
        OpenApiParameter("year", int),
    ]
    output = RegionPopulationOut

    def list_rows(self, **filters: Any) -> "QuerySet[RegionPopulation]":
        return queries.population_list(self.request.user, **filters)


class RetirementPeriodOut(serializers.Serializer):
    key = serializers.CharField(read_only=True, help_text=_("due（已到龄）或年度"))
    name = serializers.CharField(read_only=True)
    first = serializers.DateField(read_only=True, allow_null=True, help_text=_("起（含）"))
    last = serializers.DateField(read_only=True, help_text=_("止（含）"))


class RetirementRowOut(serializers.Serializer):
    institution = Ref(read_only=True, allow_null=True)
    department = Ref(
        read_only=True,
        allow_null=True,
        help_text=_("科室（按从事专业类别时为类别；机构合计、未填时为空）"),
    )
    is_total = serializers.BooleanField(read_only=True, help_text=_("机构合计"))
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("各时段达到法定退休年龄的人数：due 为截至日已到龄，其余按年度"),
    )
    ahead = serializers.IntegerField(read_only=True, help_text=_("五年合计"))
    unknown = serializers.IntegerField(read_only=True, help_text=_("无法计算法定退休年龄的人数"))
    staff = serializers.IntegerField(read_only=True, help_text=_("在档人数"))


class RetirementProjectionOut(serializers.Serializer):
    as_of = serializers.DateField(read_only=True)
    periods = RetirementPeriodOut(many=True, read_only=True)
    departments = RetirementRowOut(many=True, read_only=True)
    personnel_categories = RetirementRowOut(many=True, read_only=True)
    total = RetirementRowOut(read_only=True)
    missing_ages = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("未设定法定退休年龄的人员类型（male、female_cadre、female_worker）"),
    )


def _ref(pk: int | None, name: str) -> dict[str, Any] | None:
    return None if pk is None else {"id": pk, "name": name}


def _projection_row(row: queries.ProjectionRow, periods: list[queries.Period]) -> dict[str, Any]:
    return {
        "institution": _ref(row.institution_id, row.institution),
        "department": _ref(row.department_id, row.department),
        "is_total": row.total,
        "counts": {period.key: n for period, n in zip(periods, row.counts, strict=True)},
        "ahead": row.ahead,
        "unknown": row.unknown,
        "staff": row.staff,
    }


def projection_data(projection: queries.Projection) -> dict[str, Any]:
    periods = projection.periods
    return {
        "as_of": projection.as_of,
        "periods": [
            {"key": p.key, "name": p.label, "first": p.first, "last": p.last} for p in periods
        ],
        "departments": [_projection_row(row, periods) for row in projection.rows],
        "personnel_categories": [_projection_row(row, periods) for row in projection.categories],
        "total": _projection_row(projection.total, periods),
        "missing_ages": [str(kind) for kind in projection.missing],
    }


@extend_schema(tags=["insights"])
class RetirementViewSet(ApiView):
    """Who reaches the statutory retirement age (the 2024 decision's gradual raise) among the
    staff on file the user sees: already on the as-of day, and in each of the next five
    years, by institution and department and by personnel category, as on the page."""

    permissions = {"retrieve": queries.VIEW}
    pagination_class = None

    @extend_schema(
        parameters=[
            as_of_parameter(_("现状截至，默认今天；如 2025-06-30")),
            INSTITUTION_PARAMETER,
        ],
        responses={200: RetirementProjectionOut, **errors(400)},
    )
    def retrieve(self, request: Any) -> Response:
        values = form_filters(RetirementForm(request.user, request.query_params))
        projection = queries.retirement_projection(
            request.user, as_of=values.get("as_of"), institution=values.get("institution")
        )
        return Response(RetirementProjectionOut(projection_data(projection)).data)


def _decimal(help_text: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, allow_null=True, help_text=help_text
    )


class DensityIndicatorOut(serializers.Serializer):
    indicator = serializers.CharField(
        read_only=True, help_text=", ".join(key for key, _group in queries.DENSITY_INDICATORS)
    )
    name = serializers.CharField(read_only=True)
    actual = _decimal(_("现状（两位小数）；无人口数据或无医师时为空"))
    target = _decimal(_("有效的目标值；未设定时为空"))
    gap = _decimal(_("差距：现状 − 目标"))
    target_source = serializers.CharField(read_only=True, allow_null=True)
    target_valid_from = serializers.DateField(read_only=True, allow_null=True)
    target_region = RegionRef(read_only=True, allow_null=True)


class DensityOut(serializers.Serializer):
    region = RegionRef(read_only=True, allow_null=True, help_text=_("统计地区；无可统计辖区时为空"))
    year = serializers.IntegerField(read_only=True, help_text=_("人口年度"))
    as_of = serializers.DateField(read_only=True, help_text=_("按这一天有效的规划参数比较"))
    population = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("该年度常住人口；未登记时为空")
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("在档在编在岗人数：doctors、nurses、midwives、health_workers"),
    )
    indicators = DensityIndicatorOut(many=True, read_only=True)


def _region(region: Any) -> dict[str, Any] | None:
    return None if region is None else {"id": region.pk, "name": region.name, "code": region.code}


def density_data(figures: queries.Density) -> dict[str, Any]:
    return {
        "region": _region(figures.region),
        "year": figures.year,
        "as_of": figures.as_of,
        "population": figures.population.population if figures.population else None,
        "counts": figures.counts if figures.region is not None else {},
        "indicators": [
            {
                "indicator": i.key,
                "name": i.label,
                "actual": i.actual,
                "target": i.target.value if i.target else None,
                "gap": i.gap,
                "target_source": i.target.source if i.target else None,
                "target_valid_from": i.target.valid_from if i.target else None,
                "target_region": _region(i.target.region) if i.target else None,
            }
            for i in figures.indicators
        ],
    }


@extend_schema(tags=["insights"])
class DensityViewSet(ApiView):
    """规划指标: for a region the user's commission oversees and a year, doctors, nurses and
    midwives per 1,000 of the recorded population and nurses per doctor, against the targets
    in force on the as-of day, with the gap, as on the page."""

    permissions = {"retrieve": queries.VIEW}
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("region", int, description=_("地区 id，默认本辖区")),
            OpenApiParameter("year", int, description=_("人口年度，默认目标截至日所在年度")),
            as_of_parameter(_("按这一天有效的规划参数比较，默认今天")),
        ],
        responses={200: DensityOut, **errors(400)},
    )
    def retrieve(self, request: Any) -> Response:
        values = form_filters(DensityForm(request.user, request.query_params))
        figures = queries.density(
            request.user,
            region=values.get("region"),
            year=values.get("year"),
            as_of=values.get("as_of"),
        )
        return Response(DensityOut(density_data(figures)).data)
