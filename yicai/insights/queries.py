"""Figures for the home page, each counted from scoped records; the WISN studies' reads.

A scope of up to LIVE_LIMIT people (a hospital, a department) is counted on every visit, so
its figures are exact. A larger one (a commission's district at a province's scale, where
counting a million people takes seconds) is counted in the background and kept: the page
shows the kept figures with the time they were counted ("as_of"), and a visit to figures
older than FRESH, or from another day, asks for a recount. Only the very first visit of such
a scope waits for the count.
"""

import datetime
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, F, Max, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.models import RequestUser, Scope, User
from yicai.access.scope import (
    assignments,
    commission_regions,
    get_for,
    has_perm,
    role_may,
    scoped,
)
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.insights import retirement, wisn, workloads
from yicai.insights.models import (
    FigureSnapshot,
    PlanningParameter,
    RegionPopulation,
    WisnActivity,
    WisnAllowance,
    WisnStudy,
)
from yicai.insights.retirement import Kind
from yicai.lookups import between, containing, narrowed
from yicai.org.models import Department, Institution, Region
from yicai.org.queries import departments_for, institutions_for
from yicai.people.models import Person
from yicai.people.queries import AGE_BAND_LABELS, AGE_BANDS, birth_range, people_for

LIVE_LIMIT = 20_000
FRESH = datetime.timedelta(minutes=10)


def home_figures(user: RequestUser) -> dict[str, Any]:
    people = people_for(user)
    if people.order_by().values("pk")[: LIVE_LIMIT + 1].count() <= LIVE_LIMIT:
        return {**_count(user), "as_of": None}
    snapshot = FigureSnapshot.objects.filter(key=scope_key(user)).first()
    if snapshot is None:
        snapshot = recount(user)
    now = timezone.now()
    stale = now - snapshot.computed_at > FRESH or timezone.localdate(
        snapshot.computed_at
    ) != timezone.localdate(now)
    # Only an account reaches here: an anonymous visitor's scope is empty, counted live.
    recount_due = snapshot.requested_at is None or now - snapshot.requested_at > FRESH
    if stale and recount_due and isinstance(user, User):
        from yicai.insights.tasks import recount_home_figures

        FigureSnapshot.objects.filter(pk=snapshot.pk).update(requested_at=now)
        recount_home_figures.enqueue(user.pk)
        snapshot.refresh_from_db()
    return {**snapshot.figures, "as_of": snapshot.computed_at}


def recount(user: RequestUser) -> FigureSnapshot:
    """Count the user's scope now and keep the figures for everyone with that scope."""
    started = timezone.now()
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        key=scope_key(user),
        defaults={"figures": _count(user), "computed_at": started, "requested_at": None},
    )
    return snapshot


def scope_key(user: RequestUser) -> str:
    scope = f"{people_for(user).query}|{institutions_for(user).query}"
    return hashlib.sha256(scope.encode()).hexdigest()


def _count(user: RequestUser) -> dict[str, Any]:
    people = people_for(user)
    today = timezone.localdate()
    totals = people.aggregate(
        total=Count("pk"),
        senior=Count("pk", filter=Q(title_grade__in=["senior", "associate_senior"])),
        postgraduate=Count(
            "pk", filter=Q(highest_education__parent__code="10") | Q(highest_education__code="10")
        ),
    )
    tagged = (
        people.filter(tags__valid_from__lte=today)
        .filter(Q(tags__valid_to__isnull=True) | Q(tags__valid_to__gte=today))
        .values("tags__tag_id", "tags__tag__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
    )
    institutions = institutions_for(user).aggregate(
        managed=Count("pk", filter=Q(relation="managed")),
        partner=Count("pk", filter=Q(relation="partner")),
    )
    grades = people.exclude(title_grade="").values("title_grade").annotate(n=Count("pk"))
    by_institution = (
        people.exclude(institution=None)
        .values("institution_id", "institution__short_name", "institution__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:15]
    )
    ages = people.aggregate(
        **{band: Count("pk", filter=Q(birth_date__range=birth_range(band))) for band in AGE_BANDS}
    )
    return {
        **totals,
        **institutions,
        "tags": list(tagged),
        "grades": {row["title_grade"]: row["n"] for row in grades},
        "chart": {
            "institutions": [
                row["institution__short_name"] or row["institution__name"] for row in by_institution
            ],
            "institution_counts": [row["n"] for row in by_institution],
            "institution_ids": [row["institution_id"] for row in by_institution],
            "age_bands": [str(AGE_BAND_LABELS[band]) for band in AGE_BANDS],
            "age_counts": [ages[band] for band in AGE_BANDS],
            "age_band_keys": list(AGE_BANDS),
        },
    }


# --- WISN studies --------------------------------------------------------------------------

VIEW, EDIT, EXPORT = "insights.view", "insights.edit", "insights.export"


def studies_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[WisnStudy]":
    return scoped(
        user,
        WisnStudy.objects.select_related("institution", "department", "staff_category"),
        permission,
    )


def study_for(user: RequestUser, pk: object, permission: str = VIEW) -> WisnStudy:
    return get_for(user, studies_for(user, permission), pk, permission)


def study_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    staff_category: Code | None = None,
    year: int | None = None,
    permission: str | None = None,
) -> "QuerySet[WisnStudy]":
    """Studies by department name, institution, staff category and year, each with its
    activities and allowances (two queries for a page, whatever it holds) for its result."""
    studies = narrowed(
        studies_for(user, permission or VIEW),
        containing(q, "department__name", "note"),
        institution=institution,
        staff_category=staff_category,
        year=year,
    )
    return studies.prefetch_related("activities", "allowances").order_by(
        "-year", "institution__name", "department__name", "id"
    )


def plannable_departments(user: RequestUser) -> "QuerySet[Department]":
    """The departments of managed institutions the user may plan the staffing of."""
    return (
        departments_for(user, EDIT)
        .filter(institution__relation=Institution.Relation.MANAGED)
        .order_by("institution__name", "name")
    )


def study_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The institutions a list of studies may be filtered by: the managed ones the user sees."""
    return institutions_for(user).filter(relation=Institution.Relation.MANAGED)


def staff_categories() -> "QuerySet[Code]":
    """The personnel categories (从事专业类别: 执业医师, 注册护士, 检验技师 ...)."""
    return codes_of("personnel_category")


def study_inputs(
    study: WisnStudy,
    activities: "Iterable[WisnActivity] | None" = None,
    allowances: "Iterable[WisnAllowance] | None" = None,
) -> wisn.Study:
    """The study as the calculation reads it: with its own activities and allowances (as
    prefetched, else two queries), or with the rows given (a change the services check).
    A row missing a figure is left out: the model's check names the field; so is one whose
    discipline figure is not recorded (yicai.insights.workloads)."""
    tasks = list(study.activities.all() if activities is None else activities)
    feeds = workloads.feeds_of(study, tasks, fresh=activities is not None)
    rows = list(study.allowances.all() if allowances is None else allowances)
    category = [a for a in rows if a.kind == WisnAllowance.Kind.CATEGORY]
    individual = [a for a in rows if a.kind == WisnAllowance.Kind.INDIVIDUAL]
    return wisn.Study(
        working_time=wisn.WorkingTime(
            days_a_week=study.days_a_week,
            hours_a_day=study.hours_a_day,
            public_holidays=study.public_holidays,
            annual_leave=study.annual_leave,
            sick_leave=study.sick_leave,
            other_leave=study.other_leave,
            training_days=study.training_days,
        ),
        activities=[
            wisn.Activity(a.name, a.minutes_per_unit, units, a)
            for a in tasks
            if a.minutes_per_unit is not None
            and (units := workloads.workload(a, feeds)) is not None
        ],
        category_allowances=[
            wisn.CategoryAllowance(a.name, a.percent, a.hours_per_year, a) for a in category
        ],
        individual_allowances=[
            wisn.IndividualAllowance(a.name, a.hours_per_year, a.staff, a)
            for a in individual
            if a.hours_per_year is not None and a.staff is not None
        ],
        current_staff=study.current_staff,
    )


def study_result(study: WisnStudy) -> wisn.Result | None:
    """The study's calculation; None for inputs it cannot be made with (the services refuse
    them, so only rows written around them)."""
    try:
        return wisn.calculate(study_inputs(study))
    except ValidationError:
        return None


def staff_on_file(user: RequestUser, study: WisnStudy) -> int | None:
    """The people of the study's department and category on file now, as the user sees them
    (None for a user who sees no people): beside the staff entered, for comparison. The
    records hold no headcount as of a past day, so this is today's."""
    if not has_perm(user, "person.view"):
        return None
    return (
        people_for(user)
        .filter(
            department=study.department,
            personnel_category=study.staff_category,
            category=Person.Category.STAFF,
        )
        .count()
    )


# --- Workforce planning: dated parameters, population, retirement, density ---------------
# (docs/planning.md)

Key = PlanningParameter.Key
# Personnel categories (从事专业类别, codes/health_personnel_category): 执业（助理）医师,
# 注册护士, 助产士; a woman of 工勤技能人员 had the workers' age (50), every other one the
# cadres' (55).
DOCTOR_CODES = ("11", "12")
NURSE_CODES = ("21",)
MIDWIFE_CODES = ("22",)
WORKER_CODE = "90"
MALE_CODE, FEMALE_CODE = "1", "2"
GROUPS: dict[str, tuple[str, ...]] = {
    "doctors": DOCTOR_CODES,
    "nurses": NURSE_CODES,
    "midwives": MIDWIFE_CODES,
    "health_workers": DOCTOR_CODES + NURSE_CODES + MIDWIFE_CODES,
}
GROUP_LABELS = {
    "doctors": gettext_lazy("执业（助理）医师"),
    "nurses": gettext_lazy("注册护士"),
    "midwives": gettext_lazy("助产士"),
    "health_workers": gettext_lazy("医师、护士和助产士"),
}
RETIREMENT_KEYS: dict[Kind, tuple[str, str]] = {
    Kind.MALE: (Key.RETIREMENT_AGE_MALE, Key.RETIREMENT_STEP_MALE),
    Kind.FEMALE_CADRE: (Key.RETIREMENT_AGE_FEMALE_CADRE, Key.RETIREMENT_STEP_FEMALE_CADRE),
    Kind.FEMALE_WORKER: (Key.RETIREMENT_AGE_FEMALE_WORKER, Key.RETIREMENT_STEP_FEMALE_WORKER),
}
RETIREMENT_AGES = frozenset(age for age, _step in RETIREMENT_KEYS.values())
RETIREMENT_STEPS = frozenset(step for _age, step in RETIREMENT_KEYS.values())
YEARS_AHEAD = 5


def region_tree(region_ids: Iterable[int]) -> list[int]:
    """The regions and every region under them (a level a query)."""
    ids, frontier = list(region_ids), list(region_ids)
    while frontier:
        frontier = list(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def region_chain(region: Region | None) -> list[int | None]:
    """A region, the regions above it, then None (national): whose figure goes first."""
    chain: list[int | None] = []
    node = region
    while node is not None:
        chain.append(node.pk)
        node = node.parent
    return [*chain, None]


@dataclass(frozen=True)
class Planner:
    """Where a user sets planning parameters and population: everywhere (a commission of the
    whole installation), or the regions of the commissions they work for with their
    sub-regions. Institutions and departments plan nothing here."""

    everywhere: bool
    regions: tuple[int, ...]

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.regions)

    def covers(self, region: Region | None) -> bool:
        if self.everywhere:
            return True
        return region is not None and region.pk in self.regions


def planner(user: RequestUser) -> Planner:
    if not has_perm(user, EDIT):
        return Planner(False, ())
    everywhere = any(
        a.scope == Scope.ALL and a.region_id is None and role_may(a.role, EDIT)
        for a in assignments(user)
    )
    return Planner(everywhere, tuple(region_tree(commission_regions(user, EDIT))))


def planning_regions(user: RequestUser) -> "QuerySet[Region]":
    """The regions the user may set figures for (a form's choices)."""
    found = planner(user)
    regions = Region.objects.select_related("parent").order_by("code")
    if found.everywhere:
        return regions
    return regions.filter(pk__in=found.regions)


def parameters_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[PlanningParameter]":
    """The national parameters, which everyone who plans reads, and their regions' own."""
    rows = PlanningParameter.objects.select_related("region")
    if not has_perm(user, permission):
        return rows.none()
    regional = scoped(user, PlanningParameter.objects.all(), permission)
    return rows.filter(Q(region__isnull=True) | Q(pk__in=regional.values("pk")))


def editable_parameters(user: RequestUser) -> "QuerySet[PlanningParameter]":
    """The parameters the user may change: a commission's own region's (and its sub-regions'),
    all of them for the installation's commission; none for anyone else."""
    found = planner(user)
    rows = scoped(user, PlanningParameter.objects.select_related("region"), EDIT)
    if not found:
        return rows.none()
    return rows if found.everywhere else rows.filter(region_id__in=found.regions)


def parameter_for(user: RequestUser, pk: object, permission: str = VIEW) -> PlanningParameter:
    rows = editable_parameters(user) if permission == EDIT else parameters_for(user, permission)
    return _one(rows, pk)


_Row = TypeVar("_Row", bound=Model)


def _one(rows: "QuerySet[_Row]", pk: object) -> _Row:
    """A row of an already scoped query; 404 otherwise (another region's ids unconfirmed)."""
    try:
        return rows.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def parameter_list(
    user: RequestUser,
    *,
    key: str = "",
    region: Region | None = None,
    q: str = "",
    permission: str | None = None,
) -> "QuerySet[PlanningParameter]":
    """Parameters by key, region and the words of their source, by key, region (national
    first) and newest first."""
    return narrowed(
        parameters_for(user, permission or VIEW), containing(q, "source"), key=key, region=region
    ).order_by("key", F("region__code").asc(nulls_first=True), "-valid_from", "id")


def current_parameter_ids(rows: "QuerySet[PlanningParameter]", day: datetime.date) -> set[int]:
    """Of `rows`, those in force on `day` for their own key and region (one query)."""
    latest = (
        rows.order_by()
        .filter(valid_from__lte=day)
        .values("key", "region")
        .annotate(latest=Max("valid_from"))
    )
    wanted = Q(pk__in=[])
    for row in latest:
        wanted |= Q(key=row["key"], region=row["region"], valid_from=row["latest"])
    return set(rows.filter(wanted).values_list("pk", flat=True))


class Parameters:
    """Parameters read once, and the value of a key in force for a region on a day: the
    latest from that day or before of the region's own, else of the region above it, ...,
    else the national one."""

    def __init__(self, rows: Iterable[PlanningParameter]) -> None:
        self._rows: dict[tuple[str, int | None], list[PlanningParameter]] = defaultdict(list)
        for row in sorted(rows, key=lambda row: row.valid_from, reverse=True):
            self._rows[(row.key, row.region_id)].append(row)

    def in_force(
        self, key: str, chain: Sequence[int | None], day: datetime.date
    ) -> PlanningParameter | None:
        for region_id in chain:
            for row in self._rows[(key, region_id)]:
                if row.valid_from <= day:
                    return row
        return None

    def schedule(self, kind: Kind) -> retirement.Schedule | None:
        """The national statutory age of `kind` and its changes (each age row after the first
        a change from the one before, at its step in force that day); None without an age."""
        age_key, step_key = RETIREMENT_KEYS[kind]
        ages = list(reversed(self._rows[(age_key, None)]))  # oldest first
        if not ages:
            return None
        changes = []
        for before, after in itertools.pairwise(ages):
            step = self.in_force(step_key, [None], after.valid_from)
            changes.append(
                retirement.Change(
                    since=after.valid_from,
                    original=int(before.value),
                    final=int(after.value),
                    step=int(step.value) if step is not None and step.value >= 1 else None,
                )
            )
        return retirement.Schedule(int(ages[0].value), tuple(changes))


def retirement_schedules() -> dict[Kind, retirement.Schedule]:
    """The statutory ages by kind, from the national parameters (one query)."""
    keys = [key for pair in RETIREMENT_KEYS.values() for key in pair]
    found = Parameters(PlanningParameter.objects.filter(key__in=keys, region__isnull=True))
    schedules = {kind: found.schedule(kind) for kind in Kind}
    return {kind: schedule for kind, schedule in schedules.items() if schedule is not None}


# --- Population ----------------------------------------------------------------------------


def populations_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[RegionPopulation]":
    return scoped(user, RegionPopulation.objects.select_related("region"), permission)


def editable_populations(user: RequestUser) -> "QuerySet[RegionPopulation]":
    found = planner(user)
    rows = populations_for(user, EDIT)
    if not found:
        return rows.none()
    return rows if found.everywhere else rows.filter(region_id__in=found.regions)


def population_for(user: RequestUser, pk: object, permission: str = VIEW) -> RegionPopulation:
    rows = editable_populations(user) if permission == EDIT else populations_for(user, permission)
    return _one(rows, pk)


def population_list(
    user: RequestUser,
    *,
    region: Region | None = None,
    year: int | None = None,
    permission: str | None = None,
) -> "QuerySet[RegionPopulation]":
    return narrowed(populations_for(user, permission or VIEW), region=region, year=year).order_by(
        "region__code", "-year", "id"
    )


def population_regions(user: RequestUser) -> "QuerySet[Region]":
    """The regions of the population figures the user sees (a filter's choices)."""
    return Region.objects.filter(pk__in=populations_for(user).values("region")).order_by("code")


# --- Codes the planning figures count by ------------------------------------------------


@dataclass(frozen=True)
class PlanningCodes:
    """The ids of the codes the figures read (one query): sex, the worker category and the
    personnel categories of each group."""

    male: int | None
    female: int | None
    worker: int | None
    groups: dict[str, tuple[int, ...]]


def planning_codes() -> PlanningCodes:
    rows = Code.objects.filter(
        Q(table__key="sex", code__in=[MALE_CODE, FEMALE_CODE])
        | Q(table__key="personnel_category", code__in=[WORKER_CODE, *GROUPS["health_workers"]])
    ).values_list("table__key", "code", "pk")
    ids = {(table, code): pk for table, code, pk in rows}

    def category(*codes: str) -> tuple[int, ...]:
        return tuple(ids[key] for key in (("personnel_category", c) for c in codes) if key in ids)

    return PlanningCodes(
        male=ids.get(("sex", MALE_CODE)),
        female=ids.get(("sex", FEMALE_CODE)),
        worker=ids.get(("personnel_category", WORKER_CODE)),
        groups={name: category(*codes) for name, codes in GROUPS.items()},
    )


def kind_condition(kind: Kind, codes: PlanningCodes) -> Q | None:
    """The people of a kind (None when the codes to tell it are missing)."""
    if kind == Kind.MALE:
        return None if codes.male is None else Q(sex_id=codes.male)
    if codes.female is None:
        return None
    women = Q(sex_id=codes.female, personnel_category_id__isnull=False)
    if kind == Kind.FEMALE_WORKER:
        return None if codes.worker is None else women & Q(personnel_category_id=codes.worker)
    return women if codes.worker is None else women & ~Q(personnel_category_id=codes.worker)


def kind_of(person: Person, codes: PlanningCodes) -> Kind | None:
    """A person's kind, as `kind_condition` tells it (None: it cannot be told)."""
    if person.sex_id is not None and person.sex_id == codes.male:
        return Kind.MALE
    if person.sex_id is None or person.sex_id != codes.female:
        return None
    if person.personnel_category_id is None:
        return None
    if person.personnel_category_id == codes.worker:
        return Kind.FEMALE_WORKER
    return Kind.FEMALE_CADRE


def retiring_between(
    schedules: dict[Kind, retirement.Schedule],
    codes: PlanningCodes,
    first: datetime.date | None,
    last: datetime.date,
) -> Q:
    """The people who reach the statutory age from `first` to `last` (None: any day up to
    it): of each kind, those born in the range that retires then."""
    found = Q(pk__in=[])
    for kind, schedule in schedules.items():
        condition = kind_condition(kind, codes)
        born = retirement.born_between(schedule, first, last)
        if condition is None or born is None:
            continue
        earliest, latest = born
        found |= condition & between("birth_date", earliest, latest)
    return found


def retirement_unknown(schedules: dict[Kind, retirement.Schedule], codes: PlanningCodes) -> Q:
    """The people whose statutory age cannot be told: no birth date, a sex other than male or
    female (未知、未说明), a woman without a personnel category (cadre or worker?), or a
    kind whose age is not on file."""
    told = Q(pk__in=[])
    for kind in schedules:
        condition = kind_condition(kind, codes)
        if condition is not None:
            told |= condition
    return Q(birth_date__isnull=True) | ~told


@dataclass(frozen=True)
class Period:
    """A column of the projection: those at the age already (`first` None), or a year's."""

    key: str
    label: str
    first: datetime.date | None
    last: datetime.date
    year: int | None


def retirement_periods(as_of: datetime.date) -> list[Period]:
    """Already at the age on `as_of`, then the as-of year (from the next day) and the four
    years after it."""
    periods = [Period("due", _("已到龄"), None, as_of, None)]
    next_day = as_of + datetime.timedelta(days=1)
    for year in range(as_of.year, as_of.year + YEARS_AHEAD):
        first = max(datetime.date(year, 1, 1), next_day)
        periods.append(Period(str(year), f"{year}", first, datetime.date(year, 12, 31), year))
    return periods


def period_of(as_of: datetime.date, key: str) -> Period | None:
    return next((p for p in retirement_periods(as_of) if p.key == key), None)


def planning_staff(user: RequestUser, permission: str = "person.view") -> "QuerySet[Person]":
    """The staff the planning figures count: people on file as staff of a managed
    institution, as the user sees them."""
    return people_for(user, permission).filter(
        category=Person.Category.STAFF,
        institution__isnull=False,
        institution__relation=Institution.Relation.MANAGED,
    )


@dataclass
class ProjectionRow:
    institution_id: int | None
    institution: str
    department_id: int | None
    department: str
    counts: list[int]  # by period: already at the age, then each year
    unknown: int
    staff: int
    total: bool = False  # an institution's total, after its departments

    @property
    def ahead(self) -> int:
        """Those reaching the age in the years ahead (not those already at it)."""
        return sum(self.counts[1:])


@dataclass
class Projection:
    as_of: datetime.date
    periods: list[Period]
    rows: list[ProjectionRow]  # by department, each institution's followed by its total
    categories: list[ProjectionRow]  # by personnel category (`department` its name)
    total: ProjectionRow
    schedules: dict[Kind, retirement.Schedule]
    missing: list[Kind] = field(default_factory=list)  # kinds without a statutory age


def _counts(periods: list[Period], schedules: dict[Kind, retirement.Schedule]) -> dict[str, Any]:
    codes = planning_codes()
    counts: dict[str, Any] = {
        f"p{i}": Count("pk", filter=retiring_between(schedules, codes, p.first, p.last))
        for i, p in enumerate(periods)
    }
    counts["unknown"] = Count("pk", filter=retirement_unknown(schedules, codes))
    counts["staff"] = Count("pk")
    return counts


def _row(values: Mapping[str, Any], periods: list[Period], **names: Any) -> ProjectionRow:
    return ProjectionRow(
        counts=[values[f"p{i}"] for i in range(len(periods))],
        unknown=values["unknown"],
        staff=values["staff"],
        **names,
    )


def _summed(rows: list[ProjectionRow], **names: Any) -> ProjectionRow:
    width = len(rows[0].counts) if rows else 0
    return ProjectionRow(
        counts=[sum(row.counts[i] for row in rows) for i in range(width)],
        unknown=sum(row.unknown for row in rows),
        staff=sum(row.staff for row in rows),
        **names,
    )


def retirement_projection(
    user: RequestUser,
    *,
    as_of: datetime.date | None = None,
    institution: Institution | None = None,
    permission: str = "person.view",
) -> Projection:
    """Who reaches the statutory retirement age: already on `as_of` (default today), and in
    each of the next five years, by institution and department and by personnel category,
    with the totals; counted in two aggregate queries whatever the number of people (each
    period is, for each kind, a range of birth dates: retirement.born_between)."""
    as_of = as_of or timezone.localdate()
    schedules = retirement_schedules()
    periods = retirement_periods(as_of)
    counts = _counts(periods, schedules)
    staff = narrowed(planning_staff(user, permission), institution=institution)
    # Sorted here, not by the database: PostgreSQL and SQLite order names (and an empty
    # department) each their own way, and the rows are a few per department.
    by_department = sorted(
        staff.values(
            "institution_id",
            "institution__name",
            "institution__short_name",
            "department_id",
            "department__name",
        )
        .annotate(**counts)
        .order_by(),
        key=lambda values: (
            values["institution__name"],
            values["institution_id"],
            values["department_id"] is None,
            values["department__name"] or "",
            values["department_id"] or 0,
        ),
    )
    rows: list[ProjectionRow] = []
    totals: list[ProjectionRow] = []
    for institution_id, group in itertools.groupby(
        by_department, key=lambda values: values["institution_id"]
    ):
        departments = list(group)
        name = departments[0]["institution__short_name"] or departments[0]["institution__name"]
        shown = [
            _row(
                values,
                periods,
                institution_id=institution_id,
                institution=name,
                department_id=values["department_id"],
                department=values["department__name"] or _("（未填科室）"),
            )
            for values in departments
        ]
        total = _summed(
            shown,
            institution_id=institution_id,
            institution=name,
            department_id=None,
            department=_("合计"),
            total=True,
        )
        rows.extend([*shown, total])
        totals.append(total)
    by_category = sorted(
        staff.values(
            "personnel_category_id",
            "personnel_category__name",
            "personnel_category__sort",
            "personnel_category__code",
        )
        .annotate(**counts)
        .order_by(),
        key=lambda values: (
            values["personnel_category_id"] is None,
            values["personnel_category__sort"] or 0,
            values["personnel_category__code"] or "",
        ),
    )
    categories = [
        _row(
            values,
            periods,
            institution_id=None,
            institution="",
            department_id=values["personnel_category_id"],
            department=values["personnel_category__name"] or _("（未填从事专业类别）"),
        )
        for values in by_category
    ]
    return Projection(
        as_of=as_of,
        periods=periods,
        rows=rows,
        categories=categories,
        total=_summed(
            totals, institution_id=None, institution="", department_id=None, department=""
        ),
        schedules=schedules,
        missing=[kind for kind in Kind if kind not in schedules],
    )


@dataclass(frozen=True)
class PersonRetirement:
    kind: Kind | None
    months: int | None  # the statutory age in months
    on: datetime.date | None  # the day it is reached

    @property
    def age(self) -> str:
        return retirement.age_in_words(self.months) if self.months is not None else ""


def retirement_of(
    person: Person, schedules: dict[Kind, retirement.Schedule], codes: PlanningCodes
) -> PersonRetirement:
    """A person's statutory age and the day they reach it (both None when it cannot be told)."""
    kind = kind_of(person, codes)
    schedule = schedules.get(kind) if kind is not None else None
    if schedule is None or person.birth_date is None:
        return PersonRetirement(kind, None, None)
    months = retirement.age_months(person.birth_date, schedule)
    return PersonRetirement(kind, months, retirement.add_months(person.birth_date, months))


def density_regions(user: RequestUser) -> "QuerySet[Region]":
    """The regions whose figures per 1,000 population the user reads: those of the
    commissions they work for (with their sub-regions); every region with a population on
    file for the installation's commission. Nobody else sees a region as a whole."""
    regions = Region.objects.select_related("parent").order_by("code")
    if not has_perm(user, VIEW):
        return regions.none()
    everywhere = any(
        a.scope == Scope.ALL and a.region_id is None and role_may(a.role, VIEW)
        for a in assignments(user)
    )
    if everywhere:
        return regions.filter(
            Q(pk__in=RegionPopulation.objects.values("region"))
            | Q(pk__in=Institution.objects.values("commission_region"))
        )
    return regions.filter(pk__in=region_tree(commission_regions(user, VIEW)))


def planning_people(
    user: RequestUser,
    *,
    as_of: datetime.date | None = None,
    period: str = "",
    unknown: bool = False,
    institution: Institution | None = None,
    department: Department | None = None,
    without_department: bool = False,
    personnel_category: Code | None = None,
    without_category: bool = False,
    group: str = "",
    region: Region | None = None,
    permission: str | None = None,
) -> "QuerySet[Person]":
    """The staff behind a planning figure: those reaching the statutory age in a period of
    the projection (`period`: "due" or a year), or whose age cannot be told (`unknown`), of
    an institution, a department (or none), a personnel category (or none) or a group of
    them (医师, 护士 ...), a region; an export reads them with the people's export
    permission."""
    people = planning_staff(user, "person.export" if permission else "person.view")
    conditions: list[Q] = []
    if period or unknown:
        schedules = retirement_schedules()
        codes = planning_codes()
        chosen = period_of(as_of or timezone.localdate(), period) if period else None
        if period and chosen is None:
            conditions.append(Q(pk__in=[]))
        if chosen is not None:
            conditions.append(retiring_between(schedules, codes, chosen.first, chosen.last))
        if unknown:
            conditions.append(retirement_unknown(schedules, codes))
    if group:
        conditions.append(Q(personnel_category_id__in=planning_codes().groups.get(group, ())))
    if region is not None:
        tree = region_tree([region.pk])
        conditions.append(Q(institution__commission_region_id__in=tree))
    if without_department:
        conditions.append(Q(department__isnull=True))
    if without_category:
        conditions.append(Q(personnel_category__isnull=True))
    return (
        narrowed(
            people,
            *conditions,
            institution=institution,
            department=department,
            personnel_category=personnel_category,
        )
        .select_related("sex", "institution", "department", "personnel_category", "current_title")
        .order_by("birth_date", "id")
    )


# --- Density and ratio against the targets -------------------------------------------------

HUNDREDTH = Decimal("0.01")


def _hundredths(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(HUNDREDTH, ROUND_HALF_UP)


@dataclass
class Indicator:
    """A figure against its target in force: `value` exact (None where it cannot be
    computed); `actual` and `gap` (value − target) at two decimals, rounded half up;
    `group` the people it counts."""

    key: str
    label: str
    value: Decimal | None
    target: PlanningParameter | None
    group: str

    @property
    def actual(self) -> Decimal | None:
        return _hundredths(self.value)

    @property
    def gap(self) -> Decimal | None:
        if self.value is None or self.target is None:
            return None
        return _hundredths(self.value - self.target.value)

    @property
    def ratio(self) -> bool:
        return self.key == Key.NURSES_PER_DOCTOR


@dataclass
class Density:
    region: Region | None
    year: int
    as_of: datetime.date
    population: RegionPopulation | None
    counts: dict[str, int]  # by group
    indicators: list[Indicator]


DENSITY_INDICATORS = (
    (Key.DOCTOR_DENSITY, "doctors"),
    (Key.NURSE_DENSITY, "nurses"),
    (Key.NURSES_PER_DOCTOR, "nurses"),
    (Key.HEALTH_WORKER_DENSITY, "health_workers"),
)


def density(
    user: RequestUser,
    *,
    region: Region | None,
    year: int | None = None,
    as_of: datetime.date | None = None,
) -> Density:
    """For `region` (one of `density_regions(user)`; None: the first) and `year` (default the
    as-of year): the doctors, nurses and midwives on file now (the records keep no headcount
    of a past day) per 1,000 of the year's recorded population, and nurses per doctor,
    against the targets in force on `as_of` (default today) for that region."""
    as_of = as_of or timezone.localdate()
    year = year or as_of.year
    if region is None:
        region = density_regions(user).first()
    targets = Parameters(parameters_for(user))
    chain = region_chain(region)
    if region is None:
        counts = dict.fromkeys(GROUPS, 0)
        population = None
    else:
        groups = planning_codes().groups
        tree = region_tree([region.pk])
        counts = (
            planning_staff(user)
            .filter(institution__commission_region_id__in=tree)
            .aggregate(
                **{
                    name: Count("pk", filter=Q(personnel_category_id__in=ids))
                    for name, ids in groups.items()
                }
            )
        )
        population = populations_for(user).filter(region=region, year=year).first()
    residents = population.population if population is not None else 0

    def value(key: str, group: str) -> Decimal | None:
        if key == Key.NURSES_PER_DOCTOR:
            doctors = counts["doctors"]
            return Decimal(counts["nurses"]) / doctors if doctors else None
        if not residents:
            return None
        return Decimal(counts[group]) * 1000 / residents

    indicators = [
        Indicator(
            key=key,
            label=str(Key(key).label),
            value=value(key, group),
            target=targets.in_force(key, chain, as_of),
            group=group,
        )
        for key, group in DENSITY_INDICATORS
    ]
    return Density(region, year, as_of, population, counts, indicators)
