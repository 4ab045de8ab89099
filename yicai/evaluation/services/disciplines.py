"""A discipline's yearly figures: set (recorded, or changed when the department already has
that measure of that year) and removed; the page's form, the API and the import all set a
figure here, so each is refused for the same reasons in the same words."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.evaluation.models import FIRST_YEAR, MAX_VALUE, DisciplineFigure, Measure
from yicai.evaluation.queries import disciplines as queries
from yicai.org.models import Department
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE
from yicai.validation import full_clean_or_raise

FIGURE_FIELDS = ("department", "year", "measure", "value", "note")
NOTE_LIMIT = 200


@dataclass(frozen=True)
class FigureSet:
    """A figure as set: whether it was new, and the value it replaced (None when new)."""

    figure: DisciplineFigure
    created: bool
    replaced: int | None


def _errors(figure: DisciplineFigure, by: RequestUser | None) -> dict[str, str]:
    """Every problem of the figure at once; `by` None is the command line (anywhere)."""
    errors: dict[str, str] = {}
    department = figure.department if figure.department_id else None
    if department is None:
        errors["department"] = _("请选择科室。")
    elif by is not None and not queries.editable_departments(by).filter(pk=department.pk).exists():
        errors["department"] = str(DEPARTMENT_OUT_OF_SCOPE)
    this_year = timezone.localdate().year
    if figure.year is None:
        errors["year"] = _("请填写年度。")
    elif figure.year < FIRST_YEAR:
        errors["year"] = _("年度不能早于 %d 年。") % FIRST_YEAR
    elif figure.year > this_year:
        errors["year"] = _("年度不能晚于今年（%d 年）：只能登记已经发生的年度。") % this_year
    if figure.measure not in Measure.values:
        errors["measure"] = _("请选择指标：%s。") % "、".join(str(m) for m in Measure.labels)
    if figure.value is None:
        errors["value"] = _("请填写数值。")
    elif figure.value < 0:
        errors["value"] = _("数值不能为负数。")
    elif figure.value > MAX_VALUE:
        errors["value"] = _("数值不能超过 %d。") % MAX_VALUE
    if len(figure.note) > NOTE_LIMIT:
        errors["note"] = _("备注不能超过 %d 个字。") % NOTE_LIMIT
    return errors


def _taken(figure: DisciplineFigure) -> str:
    return _("该科室 %(year)s 年度已登记“%(measure)s”。") % {
        "year": figure.year,
        "measure": Measure(figure.measure).label,
    }


def _same_key(figure: DisciplineFigure) -> DisciplineFigure | None:
    """The other figure on file of the same department, year and measure, held until the end
    of the transaction (two people changing it at once: the second waits, then changes it)."""
    others = DisciplineFigure.objects.select_for_update().filter(
        department_id=figure.department_id, year=figure.year, measure=figure.measure
    )
    if figure.pk is not None:
        others = others.exclude(pk=figure.pk)
    return others.first()


@transaction.atomic
def figure_set(
    *,
    by: RequestUser | None,
    department: Department | None,
    year: int | None,
    measure: str,
    value: int | None,
    note: str = "",
    figure: DisciplineFigure | None = None,
) -> FigureSet:
    """Set a department's figure of a measure and year, `by` a user who keeps that
    department's figures. Without `figure` the department's figure of that measure and year
    is recorded, or changed when there is one (a sheet imported again, a corrected number);
    with `figure`, that figure is changed, and may not take the year and measure of another."""
    target = figure or DisciplineFigure()
    replaced = figure.value if figure is not None else None
    given = {
        "department": department,
        "year": year,
        "measure": (measure or "").strip(),
        "value": value,
        "note": (note or "").strip(),
    }
    for name, given_value in given.items():
        setattr(target, name, given_value)
    errors = _errors(target, by)
    if not errors:
        same = _same_key(target)
        if same is not None and figure is not None:
            errors["year"] = _taken(target)
        elif same is not None:  # setting it again changes the one on file
            replaced = same.value
            same.value, same.note = target.value, target.note
            target = same
    full_clean_or_raise(target, errors, exclude=sorted(errors), validate_constraints=False)
    created = target.pk is None
    try:
        with transaction.atomic():  # a savepoint: the outer transaction goes on
            target.save()
    except IntegrityError:  # recorded by someone else since it was looked for: set it again
        raise ValidationError({"year": _taken(target)}) from None
    return FigureSet(target, created, None if created else replaced)


@transaction.atomic
def figure_update(
    *, figure: DisciplineFigure, by: RequestUser | None, **fields: Any
) -> DisciplineFigure:
    """Change a figure's fields (FIGURE_FIELDS; those not given stay as they are)."""
    unknown = set(fields) - set(FIGURE_FIELDS)
    if unknown:
        raise TypeError(f"not figure fields: {', '.join(sorted(unknown))}")
    values = {name: getattr(figure, name) for name in FIGURE_FIELDS}
    return figure_set(by=by, figure=figure, **{**values, **fields}).figure


@transaction.atomic
def figure_delete(*, figure: DisciplineFigure, by: RequestUser | None = None) -> None:
    """Remove a figure (its series then reads the other years); `by`, where given, keeps
    its department's figures."""
    if by is not None and not queries.figures_for(by, queries.EDIT).filter(pk=figure.pk).exists():
        raise ValidationError({"department": str(DEPARTMENT_OUT_OF_SCOPE)})
    figure.delete()
