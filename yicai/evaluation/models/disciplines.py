"""A discipline's yearly figures (学科年度数据): a department's volume of one measure in one
year (interventional procedures, operations by grade, outpatients, discharges, open beds),
entered or imported, from which the growth and the multiple over years are derived (issue 15,
point 2). The institution's figure of a year is the sum over its departments, never stored."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yicai.modelkit import Link, unique

# The first year a figure may be of; the service refuses a year after the current one.
FIRST_YEAR = 1949
# Far above any department's yearly volume (a typo with extra digits is refused).
MAX_VALUE = 99_999_999


class Measure(models.TextChoices):
    INTERVENTIONS = "interventions", _("介入手术例数")
    OPERATIONS_GRADE_1 = "operations_grade_1", _("一级手术台次")
    OPERATIONS_GRADE_2 = "operations_grade_2", _("二级手术台次")
    OPERATIONS_GRADE_3 = "operations_grade_3", _("三级手术台次")
    OPERATIONS_GRADE_4 = "operations_grade_4", _("四级手术台次")
    OUTPATIENT_VISITS = "outpatient_visits", _("门急诊人次")
    DISCHARGES = "discharges", _("出院人次")
    OPEN_BEDS = "open_beds", _("实际开放床位数")


# What a measure counts in, as the pages say after a number.
UNITS: dict[str, Promise] = {
    Measure.INTERVENTIONS: _("例"),
    Measure.OPERATIONS_GRADE_1: _("台次"),
    Measure.OPERATIONS_GRADE_2: _("台次"),
    Measure.OPERATIONS_GRADE_3: _("台次"),
    Measure.OPERATIONS_GRADE_4: _("台次"),
    Measure.OUTPATIENT_VISITS: _("人次"),
    Measure.DISCHARGES: _("人次"),
    Measure.OPEN_BEDS: _("张"),
}


class DisciplineFigure(models.Model):
    department = Link("org.Department", _("科室"), related_name="discipline_figures")
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(2100)]
    )
    measure = models.CharField(_("指标"), max_length=24, choices=Measure.choices)
    value = models.PositiveIntegerField(_("数值"), validators=[MaxValueValidator(MAX_VALUE)])
    # Where the number comes from (病案首页统计, HIS 报表 ...), or what it leaves out.
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("学科年度数据")
        verbose_name_plural = _("学科年度数据")
        ordering = ["department", "measure", "year"]
        constraints = [
            unique(
                "discipline_figure_once",
                "department",
                "year",
                "measure",
                message=_("该科室本年度已登记此项指标。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR), name="discipline_figure_year_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year} {self.get_measure_display()}"

    @property
    def unit(self) -> str:
        return str(UNITS.get(self.measure, ""))
