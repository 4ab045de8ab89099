"""WISN studies: a department's study of one staff category for a year, its health-service
activities and its allowances, recorded and changed; every change is checked against the
whole calculation (yicai.insights.wisn), so no study is kept that cannot be calculated.
Workforce planning: the dated parameters and the regions' population, set by the commission
of the region (docs/planning.md)."""

import datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.evaluation.models import Measure
from yicai.insights import queries, wisn
from yicai.insights.models import (
    FIRST_DAY,
    PlanningParameter,
    RegionPopulation,
    WisnActivity,
    WisnAllowance,
    WisnStudy,
)
from yicai.org.models import Department, Region
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE
from yicai.validation import full_clean_or_raise

STUDY_FIELDS = (
    "department",
    "staff_category",
    "year",
    "days_a_week",
    "hours_a_day",
    "public_holidays",
    "annual_leave",
    "sick_leave",
    "other_leave",
    "training_days",
    "current_staff",
    "note",
)
ACTIVITY_FIELDS = (
    "name",
    "minutes_per_unit",
    "annual_workload",
    "volume_measure",
    "workload_measure",
)
ALLOWANCE_FIELDS = ("kind", "name", "percent", "hours_per_year", "staff")
Kind = WisnAllowance.Kind
_Row = TypeVar("_Row", WisnActivity, WisnAllowance)


def _changed(record: models.Model, names: tuple[str, ...], fields: dict[str, Any]) -> None:
    """Set `fields` (of `names`, trimmed); another name is a caller's mistake."""
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"not {type(record).__name__} fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(record, name, value.strip() if isinstance(value, str) else value)


def _locked(study: WisnStudy) -> WisnStudy:
    """The study as it stands, held until the transaction ends: two changes of its rows
    are checked against the calculation one after the other."""
    found = WisnStudy.objects.select_for_update().filter(pk=study.pk).first()
    if found is None:
        raise ValidationError({"study": _("该测算已被删除。")})
    return found


def _calculable(
    study: WisnStudy,
    activities: list[WisnActivity],
    allowances: list[WisnAllowance],
    errors: dict[str, str],
) -> None:
    """Add to `errors` why the study would not calculate with these rows (the working time
    as entered, the rows as they would be)."""
    if any(getattr(study, name) is None for name in STUDY_FIELDS[3:11]):
        return  # a field missing is named by the model's own check
    for name, message in wisn.problems(queries.study_inputs(study, activities, allowances)).items():
        errors.setdefault(name, message)


# --- Studies -------------------------------------------------------------------------------


def _saved_study(study: WisnStudy, by: RequestUser | None) -> WisnStudy:
    errors: dict[str, str] = {}
    department = study.department
    if by is not None and not queries.plannable_departments(by).filter(pk=department.pk).exists():
        errors["department"] = str(DEPARTMENT_OUT_OF_SCOPE)
    study.institution = department.institution
    category = study.staff_category
    if category is not None and category.table.key != "personnel_category":
        errors["staff_category"] = _("请选择从事专业类别（如执业医师、注册护士）。")
    if study.pk is None:
        _calculable(study, [], [], errors)
    else:
        _calculable(study, list(study.activities.all()), list(study.allowances.all()), errors)
    full_clean_or_raise(study, errors, exclude=sorted(errors))
    study.save()
    return study


@transaction.atomic
def study_create(
    *,
    by: RequestUser | None,
    department: Department,
    staff_category: Code,
    year: int,
    current_staff: Decimal,
    days_a_week: Decimal = Decimal(5),
    hours_a_day: Decimal = Decimal(8),
    public_holidays: Decimal = Decimal(0),
    annual_leave: Decimal = Decimal(0),
    sick_leave: Decimal = Decimal(0),
    other_leave: Decimal = Decimal(0),
    training_days: Decimal = Decimal(0),
    note: str = "",
) -> WisnStudy:
    """A study of `department`'s staff of `staff_category` in `year` (`by` a user: one who
    plans that department's staffing), with the working time of one full-time worker."""
    study = WisnStudy(
        department=department,
        staff_category=staff_category,
        year=year,
        current_staff=current_staff,
        days_a_week=days_a_week,
        hours_a_day=hours_a_day,
        public_holidays=public_holidays,
        annual_leave=annual_leave,
        sick_leave=sick_leave,
        other_leave=other_leave,
        training_days=training_days,
        note=(note or "").strip(),
    )
    return _saved_study(study, by)


@transaction.atomic
def study_update(*, study: WisnStudy, by: RequestUser | None, **fields: Any) -> WisnStudy:
    """Change a study's fields (STUDY_FIELDS): refused where its allowances would no longer
    leave any time (a shorter year with the same hours of support work)."""
    study = _locked(study)
    _changed(study, STUDY_FIELDS, fields)
    return _saved_study(study, by)


@transaction.atomic
def study_delete(*, study: WisnStudy) -> None:
    """Delete a study with its activities and allowances."""
    _locked(study).delete()


# --- Activities and allowances -------------------------------------------------------------


def _saved_row(row: _Row) -> _Row:
    """A row checked against its study's whole calculation, with the study's other rows."""
    errors: dict[str, str] = {}
    study = row.study
    activities = list(study.activities.exclude(pk=row.pk) if row.pk else study.activities.all())
    allowances = list(study.allowances.exclude(pk=row.pk) if row.pk else study.allowances.all())
    if isinstance(row, WisnActivity):
        activities.append(row)
    else:
        allowances.append(row)
    if isinstance(row, WisnActivity):
        errors.update(_workload_errors(row))
    _calculable(study, activities, allowances, errors)
    full_clean_or_raise(row, errors, exclude=sorted(errors))
    row.save()
    return row


def _fed(row: WisnActivity) -> None:
    """An activity reading a discipline figure keeps no typed workload (the figure is read
    when the study is calculated: yicai.insights.workloads)."""
    row.workload_measure = (row.workload_measure or "").strip()
    if row.workload_measure:
        row.annual_workload = None


def _workload_errors(row: WisnActivity) -> dict[str, str]:
    if row.workload_measure and row.workload_measure not in Measure.values:
        return {"workload_measure": _("请选择学科年度数据的指标。")}
    if not row.workload_measure and row.annual_workload is None:
        return {"annual_workload": _("请填写年工作量，或选择取自学科年度数据的指标。")}
    return {}


@transaction.atomic
def activity_add(
    *,
    study: WisnStudy,
    name: str,
    minutes_per_unit: Decimal,
    annual_workload: Decimal | None = None,
    volume_measure: str | None = None,
    workload_measure: str = "",
) -> WisnActivity:
    """A health-service activity of the study: its activity standard (minutes a unit) and
    the units done in the year, typed in or read from the department's discipline figure
    of `workload_measure` (evaluation.Measure) for the study's year."""
    activity = WisnActivity(
        study=_locked(study),
        name=(name or "").strip(),
        minutes_per_unit=minutes_per_unit,
        annual_workload=annual_workload,
        volume_measure=(volume_measure or "").strip() or None,
        workload_measure=workload_measure or "",
    )
    _fed(activity)
    return _saved_row(activity)


def _locked_row(row: _Row) -> _Row:
    """The row as it stands, its study held: an edit in another tab does not bring back a
    row deleted meanwhile."""
    study = _locked(row.study)
    found = type(row).objects.filter(pk=row.pk, study=study).first()
    if found is None:
        raise ValidationError({"name": _("该条目已被删除。")})
    found.study = study
    return found


@transaction.atomic
def activity_update(*, activity: WisnActivity, **fields: Any) -> WisnActivity:
    """Change an activity (ACTIVITY_FIELDS)."""
    activity = _locked_row(activity)
    _changed(activity, ACTIVITY_FIELDS, fields)
    activity.volume_measure = activity.volume_measure or None
    _fed(activity)
    return _saved_row(activity)


@transaction.atomic
def activity_delete(*, activity: WisnActivity) -> None:
    _locked_row(activity).delete()


def _shape(allowance: WisnAllowance) -> dict[str, str]:
    """What an allowance of its kind must hold (the model's constraint, in the form's words)."""
    errors: dict[str, str] = {}
    if allowance.kind == Kind.CATEGORY:
        if (allowance.percent is None) == (allowance.hours_per_year is None):
            errors["percent"] = _("类别补贴请填写占工作时间的百分比或每人每年小时数，二者填一项。")
        if allowance.staff is not None:
            errors["staff"] = _("类别补贴由全员承担，不填承担人数。")
    elif allowance.kind == Kind.INDIVIDUAL:
        if allowance.hours_per_year is None:
            errors["hours_per_year"] = _("个人补贴请填写每人每年小时数。")
        if allowance.staff is None:
            errors["staff"] = _("个人补贴请填写承担人数。")
        if allowance.percent is not None:
            errors["percent"] = _("个人补贴按小时数计算，不填百分比。")
    return errors


def _saved_allowance(allowance: WisnAllowance) -> WisnAllowance:
    shape = _shape(allowance)
    if shape:  # the calculation cannot read a row of the wrong shape
        full_clean_or_raise(allowance, shape, exclude=[*shape, "staff", "percent"])
    return _saved_row(allowance)


@transaction.atomic
def allowance_add(
    *,
    study: WisnStudy,
    kind: str,
    name: str,
    percent: Decimal | None = None,
    hours_per_year: Decimal | None = None,
    staff: Decimal | None = None,
) -> WisnAllowance:
    """A category allowance (a support activity all of the category do: a percentage of
    the working time or hours a year) or an individual one (hours a year, by how many)."""
    allowance = WisnAllowance(
        study=_locked(study),
        kind=kind,
        name=(name or "").strip(),
        percent=percent,
        hours_per_year=hours_per_year,
        staff=staff,
    )
    return _saved_allowance(allowance)


@transaction.atomic
def allowance_update(*, allowance: WisnAllowance, **fields: Any) -> WisnAllowance:
    """Change an allowance (ALLOWANCE_FIELDS)."""
    allowance = _locked_row(allowance)
    _changed(allowance, ALLOWANCE_FIELDS, fields)
    return _saved_allowance(allowance)


@transaction.atomic
def allowance_delete(*, allowance: WisnAllowance) -> None:
    _locked_row(allowance).delete()


# --- Workforce planning: dated parameters, population (docs/planning.md) -------------------

PARAMETER_FIELDS = ("key", "value", "valid_from", "region", "source")
POPULATION_FIELDS = ("region", "year", "population", "source")
Key = PlanningParameter.Key
DENSITY_LIMIT = Decimal(100)  # per 1,000 population, or nurses per doctor
AGE_RANGE = (40, 75)
STEP_RANGE = (1, 24)
SOURCE_LIMIT = 500
LAST_DAY = datetime.date(2100, 12, 31)


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _ages_around(parameter: PlanningParameter) -> tuple[Decimal | None, Decimal | None]:
    """The national age of the same key in force just before the parameter's day, and the
    next one after it (the parameter itself left out)."""
    others = PlanningParameter.objects.filter(key=parameter.key, region__isnull=True)
    if parameter.pk is not None:
        others = others.exclude(pk=parameter.pk)
    before = others.filter(valid_from__lt=parameter.valid_from).order_by("-valid_from").first()
    after = others.filter(valid_from__gt=parameter.valid_from).order_by("valid_from").first()
    return (
        before.value if before is not None else None,
        after.value if after is not None else None,
    )


def _value_errors(parameter: PlanningParameter) -> dict[str, str]:
    """What the value must be for its key: a whole age in years that only rises over time, a
    whole number of months for a pace, a positive target below any plausible one."""
    value, key = parameter.value, parameter.key
    if value is None:
        return {"value": _("请填写数值。")}
    if key in queries.RETIREMENT_AGES:
        low, high = AGE_RANGE
        if not _whole(value) or not low <= value <= high:
            return {
                "value": _("法定退休年龄须为 %(low)d 至 %(high)d 之间的整岁数。")
                % {"low": low, "high": high}
            }
        if parameter.valid_from is None:
            return {}
        before, after = _ages_around(parameter)
        # An age only rises: the retirement day then never comes earlier for a later birth,
        # which the projection's ranges of birth dates rely on (retirement.born_between).
        if before is not None and value < before:
            return {"value": _("法定退休年龄只能逐步提高：不能低于此前的 %d 岁。") % before}
        if after is not None and value > after:
            return {"value": _("法定退休年龄只能逐步提高：不能高于此后的 %d 岁。") % after}
        return {}
    if key in queries.RETIREMENT_STEPS:
        low, high = STEP_RANGE
        if not _whole(value) or not low <= value <= high:
            return {
                "value": _("延迟节奏须为 %(low)d 至 %(high)d 之间的整月数。")
                % {"low": low, "high": high}
            }
        return {}
    if value <= 0:
        return {"value": _("目标值须大于 0。")}
    if value > DENSITY_LIMIT:
        return {"value": _("目标值不能超过 %d。") % DENSITY_LIMIT}
    return {}


def _saved_parameter(parameter: PlanningParameter, by: RequestUser | None) -> PlanningParameter:
    errors: dict[str, str] = {}
    if parameter.key not in Key.values:
        errors["key"] = _("请选择参数。")
    retirement_key = parameter.key in queries.RETIREMENT_AGES | queries.RETIREMENT_STEPS
    region = parameter.region
    if retirement_key and region is not None:
        errors["region"] = _("法定退休年龄由国家统一规定，不能按地区设置：请留空“适用地区”。")
    elif by is not None and not queries.planner(by).covers(region):
        errors["region"] = (
            _("只有全域管理员可以设置全国通用的参数：请选择本辖区。")
            if region is None
            else _("只能为本卫健委辖区及其下级地区设置参数。")
        )
    day = parameter.valid_from
    if day is None:
        errors["valid_from"] = _("请填写起始日期。")
    elif not FIRST_DAY <= day <= LAST_DAY:
        errors["valid_from"] = _("起始日期须在 1900-01-01 至 2100-12-31 之间。")
    errors.update({k: v for k, v in _value_errors(parameter).items() if k not in errors})
    if not parameter.source:
        errors["source"] = _("请注明数值的出处：文件名称、文号或统计公报。")
    elif len(parameter.source) > SOURCE_LIMIT:
        errors["source"] = _("来源不能超过 %d 个字。") % SOURCE_LIMIT
    full_clean_or_raise(parameter, errors, exclude=sorted(errors))
    try:
        with transaction.atomic():  # a savepoint: recorded meanwhile by someone else
            parameter.save()
    except IntegrityError:
        raise ValidationError({"valid_from": _("该地区的这一参数在此起始日期已有数值。")}) from None
    return parameter


@transaction.atomic
def parameter_create(
    *,
    by: RequestUser | None,
    key: str,
    value: Decimal,
    valid_from: datetime.date,
    source: str,
    region: Region | None = None,
) -> PlanningParameter:
    """A planning parameter in force from `valid_from` (`region` None: everywhere), `by` a
    commission that plans that region (None: the command line, anywhere)."""
    parameter = PlanningParameter(
        key=(key or "").strip(),
        value=value,
        valid_from=valid_from,
        region=region,
        source=(source or "").strip(),
    )
    return _saved_parameter(parameter, by)


def _locked_parameter(parameter: PlanningParameter) -> PlanningParameter:
    # Without the model's order by region code: it would lock (or, for a national row, outer
    # join, which PostgreSQL cannot lock) the region as well.
    found = PlanningParameter.objects.select_for_update().filter(pk=parameter.pk).order_by().first()
    if found is None:
        raise ValidationError({"value": _("该参数已被删除。")})
    return found


@transaction.atomic
def parameter_update(
    *, parameter: PlanningParameter, by: RequestUser | None, **fields: Any
) -> PlanningParameter:
    """Change a parameter's fields (PARAMETER_FIELDS); `by` must plan its region before and
    after."""
    parameter = _locked_parameter(parameter)
    if by is not None and not queries.planner(by).covers(parameter.region):
        raise ValidationError({"region": _("只能修改本卫健委辖区的参数。")})
    _changed(parameter, PARAMETER_FIELDS, fields)
    return _saved_parameter(parameter, by)


@transaction.atomic
def parameter_delete(*, parameter: PlanningParameter, by: RequestUser | None) -> None:
    """Delete a parameter: the one before it is in force again. The last statutory age of a
    kind stays (the projection cannot go without it)."""
    parameter = _locked_parameter(parameter)
    if by is not None and not queries.planner(by).covers(parameter.region):
        raise ValidationError({"region": _("只能删除本卫健委辖区的参数。")})
    if parameter.key in queries.RETIREMENT_AGES:
        others = PlanningParameter.objects.filter(key=parameter.key, region__isnull=True)
        if not others.exclude(pk=parameter.pk).exists():
            raise ValidationError({"value": _("这是该类人员唯一的法定退休年龄，不能删除。")})
    parameter.delete()


# --- Population ----------------------------------------------------------------------------


def _saved_population(population: RegionPopulation, by: RequestUser | None) -> RegionPopulation:
    errors: dict[str, str] = {}
    region = population.region if population.region_id else None
    if region is None:
        errors["region"] = _("请选择地区。")
    elif by is not None and not queries.planner(by).covers(region):
        errors["region"] = _("只能登记本卫健委辖区及其下级地区的常住人口。")
    if population.year is None:
        errors["year"] = _("请填写年度。")
    if population.population is None:
        errors["population"] = _("请填写常住人口。")
    elif population.population < 1:
        errors["population"] = _("常住人口须大于 0。")
    full_clean_or_raise(population, errors, exclude=sorted(errors))
    try:
        with transaction.atomic():  # a savepoint: recorded meanwhile by someone else
            population.save()
    except IntegrityError:
        raise ValidationError({"year": _("该地区这一年度的常住人口已登记。")}) from None
    return population


@transaction.atomic
def population_create(
    *,
    by: RequestUser | None,
    region: Region | None,
    year: int,
    population: int,
    source: str = "",
) -> RegionPopulation:
    """A region's resident population in a year, `by` a commission that plans the region."""
    row = RegionPopulation(
        region=region, year=year, population=population, source=(source or "").strip()
    )
    return _saved_population(row, by)


def _locked_population(population: RegionPopulation) -> RegionPopulation:
    found = RegionPopulation.objects.select_for_update().filter(pk=population.pk).order_by().first()
    if found is None:
        raise ValidationError({"population": _("该条常住人口已被删除。")})
    return found


@transaction.atomic
def population_update(
    *, population: RegionPopulation, by: RequestUser | None, **fields: Any
) -> RegionPopulation:
    """Change a population figure (POPULATION_FIELDS)."""
    population = _locked_population(population)
    if by is not None and not queries.planner(by).covers(population.region):
        raise ValidationError({"region": _("只能修改本卫健委辖区的常住人口。")})
    _changed(population, POPULATION_FIELDS, fields)
    return _saved_population(population, by)


@transaction.atomic
def population_delete(*, population: RegionPopulation, by: RequestUser | None) -> None:
    population = _locked_population(population)
    if by is not None and not queries.planner(by).covers(population.region):
        raise ValidationError({"region": _("只能删除本卫健委辖区的常住人口。")})
    population.delete()
