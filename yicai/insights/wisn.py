"""The WISN calculation (Workload Indicators of Staffing Need), after the WHO's user's manual
(2010; first issued as WHO/HRB/98.2, 1998): how many staff of one category a department needs
for its workload, against how many it has. Pure arithmetic on Decimals, no database.

The steps, as the manual lays them out:
1. Available working time (AWT): the days one full-time worker is at work in a year, the
   possible days (days worked a week × 52 weeks) less public holidays, annual leave, sick
   leave, other leave and training; in hours, those days × the working hours of a day.
2. For each health-service activity, its activity standard (the time one unit takes) and
   its standard workload, the units one worker does in a year: AWT in hours ÷ hours a unit.
3. The staff its annual workload needs: annual workload ÷ standard workload; summed.
4. Support activities all of the category do (category allowance standards, CAS), as a share
   of the working time: a percentage given, or hours a year ÷ AWT in hours. The category
   allowance factor CAF = 1 ÷ (1 − total CAS % ÷ 100).
5. Activities only some do (individual allowance standards, IAS): hours a year × the number
   of staff who do it, over AWT in hours, is the individual allowance factor IAF (in staff).
6. Required staff = health-service staff × CAF + IAF.
7. The WISN difference (current − required) and ratio (current ÷ required), read as a
   shortage below 1, balanced at 1 and an excess above it (the ratio at two decimals).

Nothing is rounded on the way: the figures are shown at two decimals (`shown`). Inputs that
make the arithmetic impossible (no available time, category allowances taking the whole
year, an activity without time) are refused, every problem at once, in Chinese, on the field.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEEKS_A_YEAR = Decimal(52)
MINUTES_AN_HOUR = Decimal(60)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def rounded(value: Decimal) -> Decimal:
    """A figure at two decimals (half up), as the pages, exports and the API give it."""
    return value.quantize(CENT, ROUND_HALF_UP)


def shown(value: Decimal | None) -> str:
    """A figure at two decimals as text ("" for none)."""
    return "" if value is None else f"{rounded(value):f}"


@dataclass(frozen=True)
class WorkingTime:
    """Step 1's inputs: a full-time worker's week and year, in days (hours for the day)."""

    days_a_week: Decimal
    hours_a_day: Decimal
    public_holidays: Decimal = Decimal(0)
    annual_leave: Decimal = Decimal(0)
    sick_leave: Decimal = Decimal(0)
    other_leave: Decimal = Decimal(0)
    training_days: Decimal = Decimal(0)

    @property
    def possible_days(self) -> Decimal:
        return self.days_a_week * WEEKS_A_YEAR

    @property
    def absent_days(self) -> Decimal:
        return (
            self.public_holidays
            + self.annual_leave
            + self.sick_leave
            + self.other_leave
            + self.training_days
        )

    @property
    def days(self) -> Decimal:
        """AWT in days."""
        return self.possible_days - self.absent_days

    @property
    def hours(self) -> Decimal:
        """AWT in hours."""
        return self.days * self.hours_a_day


@dataclass(frozen=True)
class Activity:
    """A health-service activity: its activity standard (minutes a unit) and the units done
    in the year (the annual workload)."""

    name: str
    minutes_per_unit: Decimal
    annual_workload: Decimal
    source: object = field(default=None, compare=False)  # the caller's own row, carried along


@dataclass(frozen=True)
class CategoryAllowance:
    """A support activity all of the category do: as a percentage of the working time, or as
    hours a year (one of the two)."""

    name: str
    percent: Decimal | None = None
    hours_per_year: Decimal | None = None
    source: object = field(default=None, compare=False)


@dataclass(frozen=True)
class IndividualAllowance:
    """An activity only some of the category do: hours a year each, and how many do it."""

    name: str
    hours_per_year: Decimal
    staff: Decimal
    source: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Study:
    working_time: WorkingTime
    activities: Sequence[Activity] = ()
    category_allowances: Sequence[CategoryAllowance] = ()
    individual_allowances: Sequence[IndividualAllowance] = ()
    current_staff: Decimal = Decimal(0)


@dataclass(frozen=True)
class ActivityLine:
    activity: Activity
    hours_per_unit: Decimal
    standard_workload: Decimal  # units one worker does in the AWT
    required_staff: Decimal


@dataclass(frozen=True)
class CategoryLine:
    allowance: CategoryAllowance
    percent: Decimal  # of the working time


@dataclass(frozen=True)
class IndividualLine:
    allowance: IndividualAllowance
    hours: Decimal  # hours a year × staff
    staff: Decimal  # those hours as staff: hours ÷ AWT


class Reading:
    """The WHO's reading of the WISN ratio."""

    SHORTAGE = "shortage"
    BALANCED = "balanced"
    EXCESS = "excess"


@dataclass(frozen=True)
class Result:
    working_time: WorkingTime
    activities: list[ActivityLine]
    health_service_staff: Decimal
    category_lines: list[CategoryLine]
    cas_percent: Decimal
    caf: Decimal
    individual_lines: list[IndividualLine]
    iaf: Decimal
    required_staff: Decimal
    current_staff: Decimal
    difference: Decimal
    ratio: Decimal | None  # None while nothing is required (no activity entered yet)
    warnings: list[str] = field(default_factory=list)

    @property
    def reading(self) -> str | None:
        if self.ratio is None:
            return None
        ratio = rounded(self.ratio)
        if ratio < 1:
            return Reading.SHORTAGE
        return Reading.BALANCED if ratio == 1 else Reading.EXCESS

    @property
    def reading_label(self) -> str:
        return {
            Reading.SHORTAGE: _("人员短缺（工作负荷压力大）"),
            Reading.BALANCED: _("人员配置与工作负荷平衡"),
            Reading.EXCESS: _("人员富余（相对工作负荷）"),
            None: _("尚无卫生服务活动，无法判断"),
        }[self.reading]


def _time_problems(time: WorkingTime) -> dict[str, str]:
    problems = {}
    if time.days_a_week <= 0 or time.days_a_week > 7:
        problems["days_a_week"] = _("每周工作天数须大于 0 且不超过 7。")
    if time.hours_a_day <= 0 or time.hours_a_day > 24:
        problems["hours_a_day"] = _("每日工作小时数须大于 0 且不超过 24。")
    for name in ("public_holidays", "annual_leave", "sick_leave", "other_leave", "training_days"):
        if getattr(time, name) < 0:
            problems[name] = _("天数不能为负数。")
    if not problems and time.days <= 0:
        problems["days_a_week"] = _(
            "可用工作时间须大于 0：全年可工作 %(possible)s 天，各项假日与缺勤合计 %(absent)s 天。"
        ) % {"possible": shown(time.possible_days), "absent": shown(time.absent_days)}
    return problems


def problems(study: Study) -> dict[str, str]:
    """Why the study cannot be calculated, by field ({} when it can): the working time's
    fields, `minutes_per_unit` / `annual_workload` of an activity, `percent` / `hours_per_year`
    / `staff` of an allowance (the message names the row), `current_staff`."""
    found = _time_problems(study.working_time)
    for activity in study.activities:
        if activity.minutes_per_unit <= 0:
            found.setdefault(
                "minutes_per_unit",
                _("活动“%s”的每单位耗时须大于 0 分钟。") % activity.name,
            )
        if activity.annual_workload < 0:
            found.setdefault("annual_workload", _("活动“%s”的年工作量不能为负数。") % activity.name)
    for allowance in study.category_allowances:
        given = [value for value in (allowance.percent, allowance.hours_per_year) if value]
        if len(given) != 1 or given[0] < 0:
            found.setdefault(
                "percent",
                _("类别补贴“%s”须填写占工作时间的百分比或每年小时数，二者之一，且为正数。")
                % allowance.name,
            )
    for individual in study.individual_allowances:
        if individual.hours_per_year <= 0:
            found.setdefault(
                "hours_per_year", _("个人补贴“%s”的每年小时数须大于 0。") % individual.name
            )
        if individual.staff <= 0:
            found.setdefault("staff", _("个人补贴“%s”的人数须大于 0。") % individual.name)
    if study.current_staff < 0:
        found["current_staff"] = _("现有人数不能为负数。")
    if found:
        return found
    cas = _cas_percent(study)[1]
    if cas >= HUNDRED:
        # On the field of the allowance entered last (the one being added or changed).
        last = study.category_allowances[-1]
        found["percent" if last.percent is not None else "hours_per_year"] = _(
            "类别补贴合计占可用工作时间的 %s%%，须小于 100%%：否则无人有时间从事卫生服务。"
        ) % shown(cas)
    return found


def _cas_percent(study: Study) -> tuple[list[CategoryLine], Decimal]:
    hours = study.working_time.hours
    lines = [
        CategoryLine(
            allowance,
            allowance.percent
            if allowance.percent is not None
            else (allowance.hours_per_year or Decimal(0)) / hours * HUNDRED,
        )
        for allowance in study.category_allowances
    ]
    return lines, sum((line.percent for line in lines), Decimal(0))


def calculate(study: Study) -> Result:
    """Every step of the calculation; a ValidationError naming the fields (`problems`) when
    the inputs make it impossible."""
    refused = problems(study)
    if refused:
        raise ValidationError(refused)
    time = study.working_time
    awt = time.hours
    activities = []
    for activity in study.activities:
        minutes = activity.minutes_per_unit
        # In minutes, so that a third of an hour (20 minutes) divides exactly.
        standard = awt * MINUTES_AN_HOUR / minutes
        required = activity.annual_workload * minutes / (awt * MINUTES_AN_HOUR)
        activities.append(ActivityLine(activity, minutes / MINUTES_AN_HOUR, standard, required))
    health = sum((line.required_staff for line in activities), Decimal(0))
    category_lines, cas = _cas_percent(study)
    caf = 1 / (1 - cas / HUNDRED)
    individual_lines = [
        IndividualLine(a, a.hours_per_year * a.staff, a.hours_per_year * a.staff / awt)
        for a in study.individual_allowances
    ]
    iaf = sum((line.staff for line in individual_lines), Decimal(0))
    required = health * caf + iaf
    warnings = []
    if not activities:
        warnings.append(_("尚未录入卫生服务活动：所需人数只含个人补贴。"))
    return Result(
        working_time=time,
        activities=activities,
        health_service_staff=health,
        category_lines=category_lines,
        cas_percent=cas,
        caf=caf,
        individual_lines=individual_lines,
        iaf=iaf,
        required_staff=required,
        current_staff=study.current_staff,
        difference=study.current_staff - required,
        ratio=study.current_staff / required if required > 0 else None,
        warnings=warnings,
    )
