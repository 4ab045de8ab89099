"""WISN studies: a department's study of one staff category for a year, its health-service
activities and its allowances, recorded and changed; every change is checked against the
whole calculation (yicai.insights.wisn), so no study is kept that cannot be calculated."""

from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.codes.models import Code
from yicai.insights import queries, wisn
from yicai.insights.models import WisnActivity, WisnAllowance, WisnStudy
from yicai.org.models import Department
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
ACTIVITY_FIELDS = ("name", "minutes_per_unit", "annual_workload", "volume_measure")
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
    _calculable(study, activities, allowances, errors)
    full_clean_or_raise(row, errors, exclude=sorted(errors))
    row.save()
    return row


@transaction.atomic
def activity_add(
    *,
    study: WisnStudy,
    name: str,
    minutes_per_unit: Decimal,
    annual_workload: Decimal,
    volume_measure: str | None = None,
) -> WisnActivity:
    """A health-service activity of the study: its activity standard (minutes a unit) and
    the units done in the year."""
    activity = WisnActivity(
        study=_locked(study),
        name=(name or "").strip(),
        minutes_per_unit=minutes_per_unit,
        annual_workload=annual_workload,
        volume_measure=(volume_measure or "").strip() or None,
    )
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
