"""The WISN studies' filter form (the list page and the API) and edit forms: a study, an
activity, an allowance; workforce planning's filters and forms: parameters, population, the
retirement projection, the staff behind a figure, the figures per 1,000 population; the annual
report's period, and the same with a file format for the report made in the background."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.forms import DateInput, StyledForm, bootstrap
from yicai.access.models import RequestUser
from yicai.evaluation.models import Measure
from yicai.insights import queries
from yicai.insights.models import PlanningParameter, ReportJob, WisnAllowance
from yicai.org.forms import RegionChoiceField, ScopedFilterForm, institution_filter
from yicai.org.models import Institution, Region
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, departments_for
from yicai.params import is_id
from yicai.people.forms import CodeChoiceField
from yicai.web.forms import DepartmentChoiceField, field_of, prompt_and_preselect


def _number(
    label: Any, places: int, digits: int, *, required: bool = True, **kwargs: Any
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=digits,
        decimal_places=places,
        required=required,
        min_value=Decimal(0),
        **kwargs,
    )


def _days(label: Any) -> forms.DecimalField:
    return _number(label, 1, 5, initial=Decimal(0))


class StudyFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("科室 / 说明"), required=False)
    institution = institution_filter(_("机构"))
    staff_category = CodeChoiceField(label=_("人员类别"), queryset=None, required=False)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False)

    def prepare(self) -> None:
        super().prepare()
        categories = field_of(self, "staff_category", forms.ModelChoiceField)
        categories.queryset = queries.staff_categories()

    def institutions(self) -> "QuerySet[Institution]":
        return queries.study_institutions(self.user)


class StudyForm(forms.Form):
    department = DepartmentChoiceField(
        label=_("科室"),
        queryset=None,
        error_messages={"invalid_choice": DEPARTMENT_OUT_OF_SCOPE},
    )
    staff_category = CodeChoiceField(
        label=_("人员类别"),
        queryset=None,
        help_text=_("从事专业类别：执业医师、注册护士、检验技师等。"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    days_a_week = _number(
        _("每周工作天数"),
        1,
        3,
        initial=Decimal(5),
        help_text=_("一名全职人员每周从事本类工作的天数，可为 4.5 等。"),
    )
    hours_a_day = _number(_("每日工作小时数"), 2, 4, initial=Decimal(8))
    public_holidays = _days(_("法定节假日（天）"))
    annual_leave = _days(_("年休假（天）"))
    sick_leave = _days(_("病假（天）"))
    other_leave = _days(_("其他假（天）"))
    training_days = _days(_("培训及其他缺勤（天）"))
    current_staff = _number(
        _("现有人数"), 2, 7, help_text=_("本科室本类在岗人员，按全职折算（兼职可填 0.5）。")
    )
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(), required=False)

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = field_of(self, "department", forms.ModelChoiceField)
        departments.queryset = queries.plannable_departments(user).select_related("institution")
        categories = field_of(self, "staff_category", forms.ModelChoiceField)
        categories.queryset = queries.staff_categories()
        self.fields["note"].widget.attrs.update(rows="3")
        bootstrap(self)
        prompt_and_preselect(self, "department")


class ActivityForm(forms.Form):
    name = forms.CharField(
        label=_("卫生服务活动"), max_length=100, help_text=_("如：门诊诊疗、住院患者查房、手术。")
    )
    minutes_per_unit = _number(
        _("每单位耗时（分钟）"), 2, 8, help_text=_("活动标准：训练有素的人员完成一次所需时间。")
    )
    annual_workload = _number(
        _("年工作量"),
        2,
        12,
        required=False,
        help_text=_("全年完成的次数（人次、例数）；选择下方学科年度数据的指标时不填。"),
    )
    workload_measure = forms.ChoiceField(
        label=_("年工作量取自学科年度数据"),
        required=False,
        choices=[("", _("不取，手工填写")), *Measure.choices],
        help_text=_(
            "选择后，年工作量取本科室测算年度登记的该项学科年度数据，数据更正后测算随之更新。"
        ),
    )
    volume_measure = forms.CharField(
        label=_("工作量指标"),
        max_length=100,
        required=False,
        help_text=_("工作量所取自的学科统计指标名称（可不填）。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class AllowanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("补贴类型"), choices=WisnAllowance.Kind.choices)
    name = forms.CharField(label=_("活动名称"), max_length=100)
    percent = _number(
        _("占工作时间（%）"),
        2,
        5,
        required=False,
        help_text=_("类别补贴：按百分比填写，或改填每人每年小时数。"),
    )
    hours_per_year = _number(_("每人每年小时数"), 2, 8, required=False)
    staff = _number(
        _("承担人数"), 2, 6, required=False, help_text=_("个人补贴：承担此项活动的人数。")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReportForm(forms.Form):
    """The annual report's period: a year (this year by default), or two days."""

    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100, required=False)
    since = forms.DateField(label=_("起始日"), required=False, widget=DateInput())
    until = forms.DateField(label=_("截止日"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if bool(since) != bool(until):
            self.add_error("since" if since is None else "until", _("起始日和截止日须同时填写。"))
            return data
        if since and until:
            if until < since:
                self.add_error("until", _("截止日不能早于起始日。"))
            return data
        year = data.get("year") or timezone.localdate().year
        return {**data, "since": datetime.date(year, 1, 1), "until": datetime.date(year, 12, 31)}


class ReportJobForm(ReportForm):
    """The annual report asked for as a file, made in the background: its period, and PDF or
    workbook (the page's buttons and the API's body)."""

    format = forms.ChoiceField(label=_("文件格式"), choices=ReportJob.Format.choices)


# --- Workforce planning (docs/planning.md) -------------------------------------------------


class RegionField(RegionChoiceField):
    """A region among the few a user plans or reads: its name, with its code."""


class ParameterFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("来源"), required=False)
    key = forms.ChoiceField(
        label=_("参数"), required=False, choices=[("", _("全部")), *PlanningParameter.Key.choices]
    )
    region: "forms.ModelChoiceField[Region]" = RegionField(
        label=_("适用地区"), queryset=None, required=False
    )

    def prepare(self) -> None:
        super().prepare()
        regions = field_of(self, "region", forms.ModelChoiceField)
        shown = queries.parameters_for(self.user).values("region")
        regions.queryset = Region.objects.filter(pk__in=shown).order_by("code")


class ParameterForm(forms.Form):
    key = forms.ChoiceField(label=_("参数"), choices=PlanningParameter.Key.choices)
    value = forms.DecimalField(
        label=_("数值"),
        max_digits=8,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=_(
            "每千人口数；医护比填每名医师对应的护士数（如 1.2）；床医比、床护比填每张床位"
            "配备的人数（如 0.4）；退休年龄填整岁数。"
        ),
    )
    valid_from = forms.DateField(
        label=_("起始日期"),
        widget=DateInput(),
        help_text=_("自这一天起生效，直到同一参数的下一条。"),
    )
    region: "forms.ModelChoiceField[Region]" = RegionField(
        label=_("适用地区"),
        queryset=None,
        required=False,
        help_text=_("留空即全国通用；本地区的数值优先于全国通用的数值。法定退休年龄只能全国通用。"),
    )
    source = forms.CharField(
        label=_("来源"),
        widget=forms.Textarea(),
        help_text=_(
            "文件名称、文号、条款或统计公报，如《“十四五”国民健康规划》（国办发〔2022〕11号）。"
        ),
    )

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = field_of(self, "region", forms.ModelChoiceField)
        regions.queryset = queries.planning_regions(user)
        self.fields["source"].widget.attrs.update(rows="3")
        bootstrap(self)
        regions.empty_label = _("全国通用")
        if not self.is_bound and "region" not in self.initial:
            planner = queries.planner(user)
            if not planner.everywhere and planner.regions:
                self.initial["region"] = planner.regions[0]


class PopulationFilterForm(ScopedFilterForm):
    region: "forms.ModelChoiceField[Region]" = RegionField(
        label=_("地区"), queryset=None, required=False
    )
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100, required=False)

    def prepare(self) -> None:
        super().prepare()
        field_of(self, "region", forms.ModelChoiceField).queryset = queries.population_regions(
            self.user
        )


class PopulationForm(forms.Form):
    region: "forms.ModelChoiceField[Region]" = RegionField(label=_("地区"), queryset=None)
    year = forms.IntegerField(label=_("年度"), min_value=1949, max_value=2100)
    population = forms.IntegerField(
        label=_("常住人口（人）"),
        min_value=1,
        max_value=2_000_000_000,
        help_text=_("年末常住人口，以统计公报为准。"),
    )
    source = forms.CharField(
        label=_("来源"),
        max_length=200,
        required=False,
        help_text=_("如：宝山区 2023 年国民经济和社会发展统计公报。"),
    )

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "region", forms.ModelChoiceField).queryset = queries.planning_regions(user)
        bootstrap(self)
        prompt_and_preselect(self, "region")


def _as_of_field() -> forms.DateField:
    return forms.DateField(
        label=_("现状截至"),
        required=False,
        widget=DateInput(),
        help_text=_("留空即今天。"),
    )


def _checked_day(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day is not None and not 1949 <= day.year <= 2100:
        form.add_error(name, _("请填写 1949 至 2100 年之间的日期。"))


class RetirementForm(ScopedFilterForm):
    """The projection's as-of day and institution (the page and the API)."""

    as_of = _as_of_field()
    institution = institution_filter(_("机构"))

    def institutions(self) -> "QuerySet[Institution]":
        return queries.study_institutions(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _checked_day(self, "as_of")
        return data


def _as_of_given(data: Any) -> datetime.date:
    """The as-of day a bound form was given (today when none, or none readable)."""
    text = str(data.get("as_of") or "") if data is not None else ""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return timezone.localdate()


class PlanningPeopleFilterForm(ScopedFilterForm):
    """The staff behind a planning figure (each count of the projection and of the density
    page links here with its filters)."""

    as_of = _as_of_field()
    period = forms.ChoiceField(label=_("到龄时间"), required=False)
    unknown = forms.BooleanField(label=_("仅看无法计算退休年龄的人员"), required=False)
    institution = institution_filter(_("机构"))
    department = DepartmentChoiceField(label=_("科室"), queryset=None, required=False)
    without_department = forms.BooleanField(label=_("仅看未填科室的人员"), required=False)
    personnel_category = CodeChoiceField(label=_("从事专业类别"), queryset=None, required=False)
    without_category = forms.BooleanField(label=_("仅看未填从事专业类别的人员"), required=False)
    group = forms.ChoiceField(
        label=_("人员"),
        required=False,
        choices=[("", _("全部")), *queries.GROUP_LABELS.items()],
    )
    region: "forms.ModelChoiceField[Region]" = RegionField(
        label=_("地区"), queryset=None, required=False
    )

    def prepare(self) -> None:
        super().prepare()
        as_of = _as_of_given(self.data if self.is_bound else None)
        periods = queries.retirement_periods(as_of)
        self.fields["period"] = forms.ChoiceField(
            label=_("到龄时间"),
            required=False,
            choices=[("", _("全部")), *((p.key, p.label) for p in periods)],
            error_messages={"invalid_choice": _("请选择“已到龄”或现状截至日起五年中的一年。")},
        )
        # The departments of the institution chosen (a long list otherwise, at a province's
        # scale): the projection's links name both.
        departments = field_of(self, "department", forms.ModelChoiceField)
        institution = self.data.get("institution") if self.is_bound else None
        departments.queryset = (
            departments_for(self.user)
            .filter(institution_id=institution)
            .select_related("institution")
            if institution and is_id(institution)
            else departments_for(self.user).none()
        )
        categories = field_of(self, "personnel_category", forms.ModelChoiceField)
        categories.queryset = queries.staff_categories()
        field_of(self, "region", forms.ModelChoiceField).queryset = queries.density_regions(
            self.user
        )

    def institutions(self) -> "QuerySet[Institution]":
        return queries.study_institutions(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _checked_day(self, "as_of")
        return data


class DensityForm(StyledForm):
    """The region, year and as-of day of the planning figures (the page and the API)."""

    region: "forms.ModelChoiceField[Region]" = RegionField(
        label=_("地区"), queryset=None, required=False
    )
    year = forms.IntegerField(
        label=_("人口年度"),
        min_value=1949,
        max_value=2100,
        required=False,
        help_text=_("留空即现状截至日所在年度。"),
    )
    as_of = forms.DateField(
        label=_("目标截至"),
        required=False,
        widget=DateInput(),
        help_text=_("按这一天有效的规划参数比较；留空即今天。"),
    )

    def __init__(self, user: RequestUser, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def prepare(self) -> None:
        regions = field_of(self, "region", forms.ModelChoiceField)
        regions.queryset = queries.density_regions(self.user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _checked_day(self, "as_of")
        return data
