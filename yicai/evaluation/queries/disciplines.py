"""Scoped reads of the disciplines' yearly figures, shared by the pages, the export and the API:
the list, a department's (or an institution's, summed over its departments) series of a
measure over a range of years with the growth year on year, the average yearly growth and the
multiple over the range; and what the records say of each year (new techniques from the
training registry, the staff by title grade and education as of the year's last day).

"Interventional procedures grew from 300 in 2019 to 1,200 in 2023": the multiple is
last / first = 4.00, the average yearly growth (compound) (last / first) ** (1 / years) - 1 =
41.42 %, where `years` is the number of years between the first and the last figure recorded."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.codes.queries import codes_of
from yicai.evaluation.models import UNITS, DisciplineFigure, Measure
from yicai.lookups import narrowed
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.people.models import TitleGrade
from yicai.people.queries import education_on, grade_on, in_post_on, people_for, posts_on
from yicai.training.models import CaseLog
from yicai.training.queries.mentoring import techniques_for

# Reading the disciplines' figures is an institution's and its departments' (never a person
# assessed, who reads only their own sheet with evaluation.view); entering them, .figures.
VIEW, EDIT, EXPORT = "evaluation.disciplines", "evaluation.figures", "evaluation.export"
# A series shows at most this many years (a page, an export of the structure, the API).
MAX_YEARS = 30
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
NO_TITLE, NO_EDUCATION = "", ""


def figures_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[DisciplineFigure]":
    return scoped(
        user,
        DisciplineFigure.objects.select_related("department__institution"),
        permission,
    )


def figure_for(user: RequestUser, pk: object, permission: str = VIEW) -> DisciplineFigure:
    return get_for(user, figures_for(user, permission), pk, permission)


def figure_list(
    user: RequestUser,
    *,
    institution: Institution | None = None,
    department: Department | None = None,
    measure: str = "",
    year_from: int | None = None,
    year_to: int | None = None,
    permission: str | None = None,
) -> "QuerySet[DisciplineFigure]":
    """Figures by institution, department, measure and years (both inclusive, either open)."""
    figures = narrowed(
        figures_for(user, permission or VIEW),
        department__institution=institution,
        department=department,
        measure=measure,
        year__gte=year_from,
        year__lte=year_to,
    )
    return figures.order_by("department__institution__name", "department__name", "measure", "year")


def editable_departments(user: RequestUser) -> "QuerySet[Department]":
    """The departments whose figures the user keeps (the form's, the API's, the import's)."""
    return departments_for(user, EDIT).order_by("institution__name", "name")


def editable_institutions(user: RequestUser) -> "QuerySet[Institution]":
    return institutions_for(user, EDIT).filter(relation=Institution.Relation.MANAGED)


def visible_departments(user: RequestUser) -> "QuerySet[Department]":
    return departments_for(user, VIEW).order_by("institution__name", "name")


def visible_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The managed institutions whose departments' figures the user sees (a list's filter)."""
    return institutions_for(user, VIEW).filter(relation=Institution.Relation.MANAGED)


def department_for(user: RequestUser, pk: object) -> Department:
    """A discipline's department the user sees; 404 otherwise."""
    return get_for(user, Department.objects.select_related("institution"), pk, VIEW)


# --- Growth and multiples ---------------------------------------------------------------


def growth(before: int | None, after: int | None) -> Decimal | None:
    """The change from `before` to `after` in per cent (two places); None without a base."""
    if before is None or after is None or before <= 0:
        return None
    return ((Decimal(after) - before) * HUNDRED / before).quantize(CENT)


def multiple(first: int | None, last: int | None) -> Decimal | None:
    """`last` as a multiple of `first` (300 -> 1,200: 4.00); None without a base."""
    if first is None or last is None or first <= 0:
        return None
    return (Decimal(last) / first).quantize(CENT)


def average_growth(first: int | None, last: int | None, years: int) -> Decimal | None:
    """The compound average yearly growth in per cent over `years` years (two places):
    ((last / first) ** (1 / years) - 1) * 100; None without a base or a year between."""
    if first is None or last is None or first <= 0 or years <= 0:
        return None
    if last == 0:
        return -HUNDRED.quantize(CENT)
    rate = (Decimal(last) / first) ** (Decimal(1) / years) - 1
    return (rate * HUNDRED).quantize(CENT)


@dataclass(frozen=True)
class Point:
    """One year of a series: its value (None: nothing recorded), the figure it is (a
    department's; an institution's sum is none) and the growth over the year before."""

    year: int
    value: int | None
    figure_id: int | None = None
    growth: Decimal | None = None
    departments: int = 0  # how many departments' figures the value adds up


@dataclass(frozen=True)
class Series:
    measure: str
    points: list[Point]

    @property
    def label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def unit(self) -> str:
        return str(UNITS[Measure(self.measure)])

    @property
    def recorded(self) -> list[Point]:
        return [point for point in self.points if point.value is not None]

    @property
    def first(self) -> Point | None:
        return self.recorded[0] if self.recorded else None

    @property
    def last(self) -> Point | None:
        return self.recorded[-1] if self.recorded else None

    @property
    def years(self) -> int:
        """The years between the first and the last figure recorded."""
        first, last = self.first, self.last
        return last.year - first.year if first and last else 0

    @property
    def multiple(self) -> Decimal | None:
        first, last = self.first, self.last
        if first is None or last is None or self.years == 0:
            return None
        return multiple(first.value, last.value)

    @property
    def average_growth(self) -> Decimal | None:
        first, last = self.first, self.last
        if first is None or last is None:
            return None
        return average_growth(first.value, last.value, self.years)

    @property
    def highest(self) -> int | None:
        values = [point.value for point in self.recorded if point.value is not None]
        return max(values) if values else None


def _series(
    figures: "QuerySet[DisciplineFigure]",
    year_from: int,
    year_to: int,
    measures: Iterable[str] | None = None,
) -> list[Series]:
    """The series of each measure that has a figure in the range (in the measures' order),
    from one query whatever the years and departments."""
    rows = (
        narrowed(figures, year__gte=year_from, year__lte=year_to)
        .order_by()
        .values("measure", "year")
        .annotate(total=Sum("value"), departments=Count("id"), figure=Min("id"))
    )
    if measures is not None:
        rows = rows.filter(measure__in=list(measures))
    by_measure: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for found in rows:
        by_measure[found["measure"]][found["year"]] = dict(found)
    result = []
    for measure in Measure.values:
        years = by_measure.get(measure)
        if not years:
            continue
        points, before = [], None
        for year in range(year_from, year_to + 1):
            row = years.get(year)
            value = row["total"] if row else None
            points.append(
                Point(
                    year=year,
                    value=value,
                    # A department's figure of a year is one row, whose page the number links.
                    figure_id=row["figure"] if row and row["departments"] == 1 else None,
                    growth=growth(before, value),
                    departments=row["departments"] if row else 0,
                )
            )
            before = value
        result.append(Series(measure, points))
    return result


def department_series(
    user: RequestUser,
    department: Department,
    year_from: int,
    year_to: int,
    measures: Iterable[str] | None = None,
) -> list[Series]:
    """A department's series, of the figures the user sees, from `year_from` to `year_to`."""
    return _series(figures_for(user).filter(department=department), year_from, year_to, measures)


def institution_series(
    user: RequestUser,
    institution: Institution,
    year_from: int,
    year_to: int,
    measures: Iterable[str] | None = None,
) -> list[Series]:
    """An institution's series: each year the sum over its departments whose figures the user
    sees (`Point.departments` says how many had one)."""
    figures = figures_for(user).filter(department__institution=institution)
    return _series(figures, year_from, year_to, measures)


def recorded_years(user: RequestUser, department: Department) -> tuple[int, int] | None:
    """The first and last year of the department's figures the user sees (None: none)."""
    years = figures_for(user).filter(department=department).values_list("year", flat=True)
    found = sorted(set(years))
    return (found[0], found[-1]) if found else None


def years_shown(
    user: RequestUser, department: Department, year_from: int | None, year_to: int | None
) -> tuple[int, int]:
    """The years a discipline's page (and the API) shows: those asked, else those it has
    figures for, else the last five; at most MAX_YEARS, the latest kept."""
    recorded = recorded_years(user, department)
    this_year = timezone.localdate().year
    first = year_from or (recorded[0] if recorded else this_year - 4)
    last = year_to or max(recorded[1] if recorded else this_year, first)
    first = min(first, last)
    return max(first, last - MAX_YEARS + 1), last


# --- What the records say of each year ----------------------------------------------------


def year_end(year: int) -> datetime.date:
    """The day a year's staff is counted on: 31 December, or today for the current year."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


@dataclass
class YearRecords:
    """A department's year as its other records tell it: techniques it performed
    independently for the first time that year (填补技术空白, from the training registry) and
    the verified independent cases of its techniques; its staff on the year's last day by
    title grade and by education (undated: counted while their post's start is unknown)."""

    year: int
    as_of: datetime.date
    gaps_filled: int = 0
    cases: int = 0
    staff: int = 0
    undated: int = 0
    by_grade: dict[str, int] = field(default_factory=dict)
    by_education: dict[str, int] = field(default_factory=dict)

    @property
    def senior(self) -> int:
        return self.by_grade.get(TitleGrade.SENIOR, 0) + self.by_grade.get(
            TitleGrade.ASSOCIATE_SENIOR, 0
        )


# Title grades shown most senior first; a person with none is "".
GRADES: list[tuple[str, str | Promise]] = [
    *reversed(TitleGrade.choices),
    (NO_TITLE, _("无职称")),
]


def education_levels() -> list[tuple[str, str]]:
    """The education levels staff are grouped by: the top levels of GB/T 4658 (研究生教育,
    大学本科教育 ...), highest first, and "" for none on file."""
    tops = codes_of("education").filter(parent__isnull=True).order_by("code")
    return [*tops.values_list("code", "name"), (NO_EDUCATION, str(_("未登记学历")))]


def year_records(
    user: RequestUser, department: Department, year_from: int, year_to: int
) -> list[YearRecords]:
    """Each year's records of a department: three queries, and two more a year, whatever
    the staff."""
    years = {year: YearRecords(year, year_end(year)) for year in range(year_from, year_to + 1)}
    _techniques(user, department, years)
    _staff(user, department.pk, years)
    return list(years.values())


def staff_on(user: RequestUser, department: int | None, day: datetime.date) -> YearRecords:
    """The staff the user sees on `day` (of a department, or all), by title grade and
    education held by then, in two queries."""
    years = {day.year: YearRecords(day.year, day)}
    _staff(user, department, years)
    return years[day.year]


def _techniques(user: RequestUser, department: Department, years: dict[int, YearRecords]) -> None:
    first, last = datetime.date(min(years), 1, 1), datetime.date(max(years), 12, 31)
    techniques = techniques_for(user).filter(department=department)
    filled_then = techniques.filter(gap_filled_on__gte=first, gap_filled_on__lte=last)
    for filled in filled_then.values_list("gap_filled_on", flat=True):
        if filled is not None:
            years[filled.year].gaps_filled += 1
    cases = (
        CaseLog.objects.filter(
            technique__in=techniques.values("pk"),
            role=CaseLog.Role.INDEPENDENT,
            verified_at__isnull=False,
            performed_on__range=(first, last),
        )
        .values("performed_on__year")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in cases:
        years[row["performed_on__year"]].cases = row["n"]


def _staff(user: RequestUser, department: int | None, years: dict[int, YearRecords]) -> None:
    """The people the user sees in post on each year's day, by the people list's rule
    (yicai.people.queries.in_post_on: a person who has since moved out of the user's scope is
    not counted), with the title and education they held then. `undated`: those whom only a
    post without its start date (or no appointment on file) puts there."""
    for record in years.values():
        day = record.as_of
        staff = people_for(user).filter(in_post_on(day, department=department))
        dated = narrowed(posts_on(day), department_id=department).filter(
            person=OuterRef("pk"), start_on__isnull=False
        )
        counts = staff.aggregate(n=Count("pk"), undated=Count("pk", filter=~Q(Exists(dated))))
        record.staff, record.undated = counts["n"], counts["undated"]
        held = (
            staff.annotate(grade=grade_on(day), level=education_on(day))
            .values_list("grade", "level")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for grade, level, n in held:
            grade = grade or NO_TITLE
            level = level or NO_EDUCATION
            record.by_grade[grade] = record.by_grade.get(grade, 0) + n
            record.by_education[level] = record.by_education.get(level, 0) + n
