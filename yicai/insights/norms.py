"""Staffing gaps against the stored norms (配置标准缺口, docs/planning.md): how many doctors and
nurses the norms in force ask for, against the staff on file, with the gap (需要 / 现有 / 缺口).

- By beds: a department's open beds (its latest discipline figure of 实际开放床位数 up to the
  year asked, `evaluation.DisciplineFigure`) × the norm per bed in force on the as-of day for
  its institution's region (床医比 `doctors_per_bed`, 床护比 `nurses_per_bed`), against the
  department's staff of that group on file; an institution's row sums its departments' beds
  and counts all of its staff of the group (the hospital's 床护比, as it is reported).
- By population: for a region the user's commission oversees, the targets per 1,000 of the
  year's recorded population (yicai.insights.queries.density), × population ÷ 1,000.

Staff on file are today's (the records keep no headcount of a past day), counted as the
planning figures count them (`queries.planning_staff`). The gap is needed − current: above
zero a shortfall. Every figure is exact; the pages show two decimals."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.models import RequestUser
from yicai.evaluation.models import Measure
from yicai.evaluation.queries.disciplines import figures_for
from yicai.insights import queries
from yicai.insights.models import PlanningParameter
from yicai.lookups import narrowed
from yicai.org.models import Institution, Region

Key = PlanningParameter.Key
ZERO = Decimal(0)
THOUSAND = Decimal(1000)

# The groups a norm per bed is applied to, with its key.
BED_NORMS = (("doctors", Key.DOCTORS_PER_BED), ("nurses", Key.NURSES_PER_BED))
# The targets per 1,000 population, by group.
POPULATION_NORMS = (
    ("doctors", Key.DOCTOR_DENSITY),
    ("nurses", Key.NURSE_DENSITY),
    ("health_workers", Key.HEALTH_WORKER_DENSITY),
)


@dataclass
class NormLine:
    """One group of staff against one norm: needed (None without a norm in force or a
    basis), current on file, and the gap needed − current."""

    group: str
    key: str
    norm: PlanningParameter | None
    needed: Decimal | None
    current: int

    @property
    def label(self) -> str:
        return str(queries.GROUP_LABELS[self.group])

    @property
    def norm_label(self) -> str:
        return str(Key(self.key).label)

    @property
    def gap(self) -> Decimal | None:
        return None if self.needed is None else self.needed - self.current

    @property
    def shortfall(self) -> Decimal:
        """The gap where staff are short, else 0."""
        gap = self.gap
        return gap if gap is not None and gap > 0 else ZERO


@dataclass
class BedRow:
    """A department's (or, `total`, its institution's) beds and its lines."""

    institution_id: int
    institution: str
    department_id: int | None
    department: str
    beds: int
    year: int | None  # the year of the beds figure (an institution's: None when they differ)
    figure_id: int | None  # a department's beds figure
    lines: list[NormLine]
    total: bool = False

    @property
    def shortfall(self) -> Decimal:
        return sum((line.shortfall for line in self.lines), ZERO)


@dataclass
class PopulationRows:
    region: Region | None
    year: int
    population: int | None
    lines: list[NormLine]


@dataclass
class NormGaps:
    as_of: datetime.date
    year: int
    rows: list[BedRow]  # by department, each institution's total after its departments
    population: PopulationRows
    missing: list[str] = field(default_factory=list)  # bed norms in force nowhere asked

    def department_shortfalls(self) -> dict[int, Decimal]:
        """Each department's shortfall by beds (the priorities' "where to recruit")."""
        return {
            row.department_id: row.shortfall
            for row in self.rows
            if not row.total and row.department_id is not None
        }


def _chains(region_ids: Iterable[int | None]) -> dict[int | None, list[int | None]]:
    """Each region's chain up to the national (None), a query a level whatever the rows."""
    starts = {pk for pk in region_ids if pk is not None}
    parents: dict[int, int | None] = {}
    frontier = set(starts)
    while frontier:
        found = dict(Region.objects.filter(pk__in=frontier).values_list("pk", "parent_id"))
        parents.update(found)
        frontier = {pk for pk in found.values() if pk is not None and pk not in parents}
    chains: dict[int | None, list[int | None]] = {None: [None]}
    for start in starts:
        chain: list[int | None] = []
        node: int | None = start
        while node is not None and node not in chain:
            chain.append(node)
            node = parents.get(node)
        chains[start] = [*chain, None]
    return chains


def _counts(staff: Any, by: str, ids: Iterable[int]) -> dict[int, dict[str, int]]:
    groups = queries.planning_codes().groups
    rows = (
        staff.filter(**{f"{by}__in": list(ids)})
        .order_by()
        .values(by)
        .annotate(
            **{
                name: Count("pk", filter=Q(personnel_category_id__in=groups[name]))
                for name, _key in BED_NORMS
            }
        )
    )
    return {row[by]: row for row in rows}


def norm_gaps(
    user: RequestUser,
    *,
    as_of: datetime.date | None = None,
    year: int | None = None,
    institution: Institution | None = None,
    region: Region | None = None,
) -> NormGaps:
    """The gaps by beds of the departments the user sees figures of (managed institutions,
    `institution` alone if given) and by population of `region` (default the user's first),
    the norms in force on `as_of` (default today), the beds of `year` (default the as-of
    year) or the latest year before it recorded. A fixed number of queries."""
    as_of = as_of or timezone.localdate()
    year = year or as_of.year
    norms = queries.Parameters(queries.parameters_for(user))
    beds = narrowed(
        figures_for(user).filter(
            measure=Measure.OPEN_BEDS,
            year__lte=year,
            department__institution__relation=Institution.Relation.MANAGED,
        ),
        department__institution=institution,
    ).values(
        "pk",
        "year",
        "value",
        "department_id",
        "department__name",
        "department__institution_id",
        "department__institution__name",
        "department__institution__short_name",
        "department__institution__commission_region_id",
    )
    latest: dict[int, dict[str, Any]] = {}
    for values in beds.order_by():
        kept = latest.get(values["department_id"])
        if kept is None or values["year"] > kept["year"]:
            latest[values["department_id"]] = dict(values)
    chains = _chains(f["department__institution__commission_region_id"] for f in latest.values())
    staff = queries.planning_staff(user)
    by_department = _counts(staff, "department_id", latest)
    by_institution = _counts(
        staff, "institution_id", {f["department__institution_id"] for f in latest.values()}
    )

    def lines(beds: int, chain: list[int | None], counts: dict[str, int] | None) -> list[NormLine]:
        made = []
        for group, key in BED_NORMS:
            norm = norms.in_force(key, chain, as_of)
            made.append(
                NormLine(
                    group=group,
                    key=key,
                    norm=norm,
                    needed=None if norm is None else norm.value * beds,
                    current=(counts or {}).get(group, 0),
                )
            )
        return made

    rows: list[BedRow] = []
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for found in latest.values():
        grouped[found["department__institution_id"]].append(found)
    institutions = sorted(
        grouped.items(),
        key=lambda item: (item[1][0]["department__institution__name"], item[0]),
    )
    for institution_id, departments in institutions:
        first = departments[0]
        name = (
            first["department__institution__short_name"] or first["department__institution__name"]
        )
        chain = chains[first["department__institution__commission_region_id"]]
        departments.sort(key=lambda f: (f["department__name"], f["department_id"]))
        for found in departments:
            rows.append(
                BedRow(
                    institution_id=institution_id,
                    institution=name,
                    department_id=found["department_id"],
                    department=found["department__name"],
                    beds=found["value"],
                    year=found["year"],
                    figure_id=found["pk"],
                    lines=lines(found["value"], chain, by_department.get(found["department_id"])),
                )
            )
        total_beds = sum(found["value"] for found in departments)
        years = {found["year"] for found in departments}
        rows.append(
            BedRow(
                institution_id=institution_id,
                institution=name,
                department_id=None,
                department=_("合计"),
                beds=total_beds,
                year=years.pop() if len(years) == 1 else None,
                figure_id=None,
                lines=lines(total_beds, chain, by_institution.get(institution_id)),
                total=True,
            )
        )
    missing = [
        str(Key(key).label)
        for _group, key in BED_NORMS
        if rows and all(line.norm is None for row in rows for line in row.lines if line.key == key)
    ]
    return NormGaps(as_of, year, rows, _by_population(user, region, year, as_of), missing)


def _by_population(
    user: RequestUser, region: Region | None, year: int, as_of: datetime.date
) -> PopulationRows:
    figures = queries.density(user, region=region, year=year, as_of=as_of)
    residents = figures.population.population if figures.population is not None else None
    targets = {indicator.key: indicator.target for indicator in figures.indicators}
    lines = []
    if figures.region is not None:
        for group, key in POPULATION_NORMS:
            target = targets.get(key)
            needed = (
                None if target is None or residents is None else target.value * residents / THOUSAND
            )
            lines.append(NormLine(group, key, target, needed, figures.counts.get(group, 0)))
    return PopulationRows(figures.region, figures.year, residents, lines)


RULE = gettext_lazy(
    "按床位：科室需要人数 = 实际开放床位数 × 床医比（床护比），机构合计按各科室床位之和"
    "与全院在档人数；按人口：需要人数 = 每千人口目标 × 常住人口 ÷ 1000；"
    "缺口 = 需要 − 现有，大于 0 为短缺。"
)
