"""The dashboard's figures, each read through the scoped query of its domain, with the URL
of the list that shows the records it counts.

Staff are counted as of a day by the people list's own rule (`yicai.people.queries.in_post_on`
and the `*_on` reads: the post, title, education, tag and age on that day), so a figure and
the list behind it (`/people/?on=<day>&...`) cannot disagree. Flows (introductions, shortage
talent, studios, title rounds, discipline volumes) are the domains' own figures for the
period, as the annual report reads them; each links to its domain's list, filtered alike.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.codes.queries import code_for, codes_of
from yicai.evaluation.models import Measure
from yicai.evaluation.queries.disciplines import GRADES, education_levels, figures_for, multiple
from yicai.insights import queries as insights
from yicai.lookups import narrowed
from yicai.org.models import Department, Institution
from yicai.people.models import Person
from yicai.people.queries import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    birth_range,
    education_on,
    grade_on,
    in_post_on,
    people_for,
    posts_on,
    tags_held_on,
)
from yicai.recruitment import queries as recruitment
from yicai.retention.queries.promotions import applications_for, round_figures, rounds_for
from yicai.retention.queries.regions import commission_region
from yicai.training.models import StudioSubsidy, StudioTier
from yicai.training.queries.studios import studio_figures

TREND_YEARS = 5


@dataclass
class Cell:
    """A figure as shown, the list behind it, and the number an export writes (None: the
    text)."""

    text: str
    url: str = ""
    value: int | None = None

    @property
    def exported(self) -> object:
        return self.text if self.value is None else self.value


@dataclass
class Panel:
    """A table of figures; `chart` draws its first column against its second as bars (each
    bar the link of its label's row). `note` says what it counts, in one sentence."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""
    chart: bool = True

    def chart_data(self) -> dict[str, Any]:
        return {
            "labels": [row[0].text for row in self.rows],
            "values": [row[1].value or 0 for row in self.rows],
            # A place's bar drills down to it, as its name does; other bars open the list.
            "urls": [row[0].url or row[1].url for row in self.rows],
        }


@dataclass
class Card:
    key: str
    label: str
    value: str
    url: str = ""
    detail: str = ""


@dataclass
class Dashboard:
    as_of: datetime.date
    since: datetime.date
    until: datetime.date
    institution: Institution | None
    department: Department | None
    crumbs: list[Cell]
    cards: list[Card] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)

    def panel(self, key: str) -> Panel | None:
        return next((panel for panel in self.panels if panel.key == key), None)


def _link(name: str, **query: object) -> str:
    given = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(given)}" if given else reverse(name)


def _count(n: int) -> str:
    return f"{n:,}"


def dashboard(
    user: RequestUser,
    *,
    as_of: datetime.date,
    since: datetime.date,
    until: datetime.date,
    institution: Institution | None = None,
    department: Department | None = None,
) -> Dashboard:
    """What the user oversees, narrowed to an institution or a department (one the user may
    see: the form offers only those): staff as of `as_of`, flows from `since` to `until`."""
    if department is not None:
        institution = department.institution
    board = Dashboard(
        as_of,
        since,
        until,
        institution,
        department,
        _crumbs(institution, department, as_of, since, until),
    )
    _staff(user, board)
    if department is None:
        _flows(user, board)
    return board


def dashboard_of(user: RequestUser, values: Mapping[str, Any]) -> Dashboard:
    """The dashboard of a valid DashboardForm's values (the page's and the API's)."""
    return dashboard(
        user,
        as_of=values["as_of"],
        since=values["since"],
        until=values["until"],
        institution=values.get("institution"),
        department=values.get("department"),
    )


def _crumbs(
    institution: Institution | None,
    department: Department | None,
    as_of: datetime.date,
    since: datetime.date,
    until: datetime.date,
) -> list[Cell]:
    dates = {"as_of": as_of, "since": since, "until": until}
    crumbs = [Cell(_("全部"), _link("insights:dashboard", **dates))]
    if institution is not None:
        crumbs.append(
            Cell(institution.name, _link("insights:dashboard", institution=institution.pk, **dates))
        )
    if department is not None:
        crumbs.append(Cell(department.name, ""))
    return crumbs


# --- Staff as of a day -------------------------------------------------------------------


def _staff(user: RequestUser, board: Dashboard) -> None:
    day = board.as_of
    institution = board.institution.pk if board.institution else None
    department = board.department.pk if board.department else None
    staff = people_for(user).filter(in_post_on(day, institution=institution, department=department))
    base = {"on": day, "institution": institution, "department": department}

    def people(**query: object) -> str:
        return _link("people:list", **{**base, **query})

    totals = staff.alias(grade_then=grade_on(day), education_then=education_on(day)).aggregate(
        total=Count("pk"),
        senior=Count("pk", filter=Q(grade_then__in=["senior", "associate_senior"])),
        postgraduate=Count("pk", filter=Q(education_then="10")),
    )
    graduate = code_for("education", "10")
    groups = insights.planning_codes().groups
    doctors = staff.filter(personnel_category_id__in=groups["doctors"]).count()
    nurses = staff.filter(personnel_category_id__in=groups["nurses"]).count()
    board.cards += [
        Card("staff", _("在岗人数"), _count(totals["total"]), people()),
        Card("senior", _("副高级及以上职称"), _count(totals["senior"])),
        Card(
            "postgraduate",
            _("研究生学历"),
            _count(totals["postgraduate"]),
            people(education=graduate.pk) if graduate else "",
        ),
        Card(
            "doctor_nurse",
            _("医护比"),
            f"1 : {Decimal(nurses) / doctors:.2f}" if doctors else "—",
            _link("insights:planning"),
            _("医师%(doctors)s人，护士%(nurses)s人")
            % {"doctors": _count(doctors), "nurses": _count(nurses)},
        ),
    ]
    board.panels += [
        _places(staff, board, people),
        _grades(staff, day, people),
        _educations(staff, day, people),
        _ages(staff, day, people),
        _by_code(staff, "sex", _("性别结构"), _("性别"), lambda pk: people(sex=pk)),
        _categories(staff, people),
        _tags(staff, day, people),
    ]


def _placed(
    staff: QuerySet[Person], day: datetime.date, place: str, within: Institution | None = None
) -> list[tuple[int | None, str, int]]:
    """Staff by `place` ("institution" or "department") on `day`: the place of their posts
    then, or of their profile for those with no appointment on file (in_post_on's rule); most
    first. A person with posts in two places counts in each."""
    counts: dict[int | None, list[Any]] = {}
    posted = (
        narrowed(posts_on(day), institution=within)
        .filter(person__in=staff.values("pk"))
        .values_list(f"{place}_id", f"{place}__name")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    unrecorded = (
        staff.filter(appointments__isnull=True)
        .values_list(f"{place}_id", f"{place}__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pk, name, n in [*posted, *unrecorded]:
        counts.setdefault(pk, [name, 0])[1] += n
    return sorted(
        ((pk, name or "", n) for pk, (name, n) in counts.items()), key=lambda row: (-row[2], row[1])
    )


def _places(staff: QuerySet[Person], board: Dashboard, people: Callable[..., str]) -> Panel:
    """Staff by institution, or by department within one: each row drills down a level."""
    dates = {"as_of": board.as_of, "since": board.since, "until": board.until}
    if board.department is not None:
        return Panel(
            "places",
            _("人员"),
            [_("科室"), _("人数")],
            [[Cell(board.department.name), Cell(_count(total := staff.count()), people(), total)]],
        )
    if board.institution is not None:
        return Panel(
            "places",
            _("各科室在岗人数"),
            [_("科室"), _("人数")],
            [
                [
                    Cell(
                        name or _("未分科室"),
                        _link("insights:dashboard", department=pk, **dates) if pk else "",
                    ),
                    Cell(_count(n), people(department=pk) if pk else "", n),
                ]
                for pk, name, n in _placed(staff, board.as_of, "department", board.institution)
            ],
            _("点击科室名称查看该科室的统计，点击人数查看人员名单。"),
        )
    return Panel(
        "places",
        _("各机构在岗人数"),
        [_("机构"), _("人数")],
        [
            [
                Cell(name, _link("insights:dashboard", institution=pk, **dates)),
                Cell(_count(n), people(institution=pk), n),
            ]
            for pk, name, n in _placed(staff, board.as_of, "institution")
            if pk is not None
        ],
        _("点击机构名称查看该机构的统计，点击人数查看人员名单。"),
    )


def _counted(rows: Iterable[tuple[Any, str, int, str]]) -> list[list[Cell]]:
    return [[Cell(label), Cell(_count(n), url, n)] for _key, label, n, url in rows]


def _grades(staff: QuerySet[Person], day: datetime.date, people: Callable[..., str]) -> Panel:
    counts = dict(
        staff.annotate(grade_then=grade_on(day))
        .values_list("grade_then")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Panel(
        "grades",
        _("职称结构"),
        [_("职称级别"), _("人数")],
        _counted(
            (grade, str(label), counts.get(grade, 0), people(title_grade=grade) if grade else "")
            for grade, label in GRADES
        ),
        _("当日已取得的最高职称；未登记取得时间的职称按已取得计。"),
    )


def _educations(staff: QuerySet[Person], day: datetime.date, people: Callable[..., str]) -> Panel:
    counts = dict(
        staff.annotate(education_then=education_on(day))
        .values_list("education_then")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ids = dict(codes_of("education").filter(parent__isnull=True).values_list("code", "pk"))
    return Panel(
        "educations",
        _("学历结构"),
        [_("学历"), _("人数")],
        _counted(
            (code, label, counts.get(code, 0), people(education=ids[code]) if code in ids else "")
            for code, label in education_levels()
        ),
        _("当日已毕业的最高学历；未登记毕业时间的学历按已取得计。"),
    )


def _ages(staff: QuerySet[Person], day: datetime.date, people: Callable[..., str]) -> Panel:
    counts = staff.aggregate(
        **{
            band: Count("pk", filter=Q(birth_date__range=birth_range(band, day)))
            for band in AGE_BANDS
        }
    )
    return Panel(
        "ages",
        _("年龄结构"),
        [_("年龄段"), _("人数")],
        _counted(
            (band, str(AGE_BAND_LABELS[band]), counts[band], people(age_band=band))
            for band in AGE_BANDS
        ),
        _("按当日年龄。"),
    )


def _by_code(
    staff: QuerySet[Person], name: str, title: str, column: str, url: Callable[[int], str]
) -> Panel:
    rows = (
        staff.values_list(f"{name}_id", f"{name}__name")
        .annotate(n=Count("pk"))
        .order_by("-n", f"{name}__name")
    )
    return Panel(
        name,
        title,
        [column, _("人数")],
        _counted((pk, label or _("未登记"), n, url(pk) if pk else "") for pk, label, n in rows),
    )


def _categories(staff: QuerySet[Person], people: Callable[..., str]) -> Panel:
    counts = dict(staff.values_list("category").annotate(n=Count("pk")).order_by())
    return Panel(
        "categories",
        _("人员类别"),
        [_("人员类别"), _("人数")],
        _counted(
            (value, str(label), counts.get(value, 0), people(category=value))
            for value, label in Person.Category.choices
            if counts.get(value)
        ),
    )


def _tags(staff: QuerySet[Person], day: datetime.date, people: Callable[..., str]) -> Panel:
    rows = (
        tags_held_on(day)
        .filter(person__in=staff.values("pk"))
        .values_list("tag_id", "tag__name")
        .annotate(n=Count("person", distinct=True))
        .order_by("-n", "tag__name")
    )
    return Panel(
        "tags",
        _("人才标签"),
        [_("人才标签"), _("人数")],
        _counted((pk, name, n, people(tag=pk)) for pk, name, n in rows),
        _("当日有效的人才标签。"),
    )


# --- Flows over the period ---------------------------------------------------------------


def _flows(user: RequestUser, board: Dashboard) -> None:
    if has_perm(user, recruitment.VIEW):
        _attract(user, board)
    if has_perm(user, "training.view"):
        _studios(user, board)
    if has_perm(user, "retention.view"):
        _rounds(user, board)
    if has_perm(user, "evaluation.view"):
        _disciplines(user, board)
    region = commission_region(user, insights.VIEW)
    if region is not None and board.institution is None:
        _density(user, board, region)


def _percent(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _attract(user: RequestUser, board: Dashboard) -> None:
    institution = board.institution
    pk = institution.pk if institution else None
    seen = recruitment.overview(
        user, year=board.until.year, since=board.since, until=board.until, institution=institution
    )
    figures = seen.introductions
    board.cards.append(
        Card(
            "introductions",
            _("期内引进人才"),
            _count(figures.total),
            _link(
                "recruitment:introductions", since=board.since, until=board.until, institution=pk
            ),
            _("副高级及以上%(senior)d人，学科带头人%(leaders)d人")
            % {"senior": figures.senior, "leaders": figures.discipline_leaders},
        )
    )
    if seen.shortage is not None:
        growth = seen.shortage
        board.cards.append(
            Card(
                "shortage",
                _("紧缺专业人才"),
                f"{growth.at_start:,} → {growth.at_end:,}",
                _link(
                    "recruitment:talent_growth",
                    since=board.since,
                    until=board.until,
                    institution=pk,
                ),
                _("%(change)s人，年均增长%(rate)s")
                % {"change": f"{growth.change:+,}", "rate": growth.yearly_percent or "—"},
            )
        )
    first = datetime.date(board.until.year - TREND_YEARS + 1, 1, 1)
    trend = recruitment.introduction_figures(
        user, since=first, until=board.until, institution=institution
    )
    totals = {line["year"]: line["total"] for line in trend.by_year}
    rows = []
    before: int | None = None
    for year in range(first.year, board.until.year + 1):
        n = totals.get(year, 0)
        change = None if not before else Decimal(n - before) * 100 / before
        rows.append(
            [
                Cell(str(year)),
                Cell(
                    _count(n),
                    _link(
                        "recruitment:introductions",
                        since=datetime.date(year, 1, 1),
                        until=datetime.date(year, 12, 31),
                        institution=pk,
                    ),
                ),
                Cell(_percent(change)),
            ]
        )
        before = n
    counted = [totals.get(year, 0) for year in range(first.year, board.until.year + 1)]
    start = next((i for i, n in enumerate(counted) if n), None)
    yearly = None
    if start is not None and start < len(counted) - 1 and counted[-1]:
        years = len(counted) - 1 - start
        yearly = ((counted[-1] / counted[start]) ** (1 / years) - 1) * 100
    board.panels.append(
        Panel(
            "introductions",
            _("历年引进人才"),
            [_("年份"), _("引进人数"), _("同比增长")],
            rows,
            _("年均增长%s（按首个有引进的年份至末年复合计算）。") % _percent(yearly),
        )
    )


def _studios(user: RequestUser, board: Dashboard) -> None:
    year = board.until.year
    pk = board.institution.pk if board.institution else None
    seen = studio_figures(user, year, institution=pk)
    amounts = dict(StudioSubsidy.objects.values_list("tier", "yearly_amount"))
    rows = [
        [
            Cell(str(label)),
            Cell(
                _count(seen["by_tier"].get(tier, 0)),
                _link("training:studios", tier=tier, year=year, institution=pk),
            ),
            Cell(f"{amounts.get(tier, Decimal(0)):,.2f}"),
            Cell(f"{amounts.get(tier, Decimal(0)) * seen['by_tier'].get(tier, 0):,.2f}"),
        ]
        for tier, label in StudioTier.choices
    ]
    board.panels.append(
        Panel(
            "studios",
            _("名医工作室（%d年）") % year,
            [_("级别"), _("工作室数"), _("每个年补助（元）"), _("应拨补助（元）")],
            rows,
            _("名医工作室%(studios)d个，%(year)d年应拨补助%(due)s元。")
            % {"studios": seen["studios"], "year": year, "due": f"{seen['subsidy_due']:,.2f}"},
        )
    )


def _rounds(user: RequestUser, board: Dashboard) -> None:
    applications = applications_for(user)
    rounds = rounds_for(user).filter(year__gte=board.since.year, year__lte=board.until.year)
    if board.institution is not None:
        applications = applications.filter(institution=board.institution)
        rounds = rounds.filter(pk__in=applications.values("round"))
    rows = []
    labels = dict(GRADES)
    for promotion_round in rounds.order_by("year", "name"):
        seen = round_figures(applications.filter(round=promotion_round))
        url = reverse("retention:round", args=[promotion_round.pk])
        rows.append(
            [
                Cell(f"{promotion_round.year} {promotion_round.name}", url),
                Cell(_count(seen.applied), url, seen.applied),
                Cell(_count(seen.passed), url, seen.passed),
                Cell(
                    "，".join(
                        _("%(grade)s%(n)d人") % {"grade": labels.get(grade, grade), "n": n}
                        for grade, n in seen.by_grade.items()
                    )
                ),
                Cell(seen.sentence),
            ]
        )
    board.panels.append(
        Panel(
            "rounds",
            _("职称评审"),
            [_("评审"), _("申报人数"), _("通过人数"), _("通过（按级别）"), _("情况")],
            rows,
            chart=False,
        )
    )


def _disciplines(user: RequestUser, board: Dashboard) -> None:
    year = board.until.year
    first = year - TREND_YEARS + 1
    figures = (
        figures_for(user)
        .filter(year__gte=first, year__lte=year)
        .select_related("department__institution")
        .order_by("department__institution__name", "department__name", "measure", "year")
    )
    if board.institution is not None:
        figures = figures.filter(department__institution=board.institution)
    series: dict[tuple[Department, str], dict[int, int]] = {}
    for figure in figures:
        series.setdefault((figure.department, figure.measure), {})[figure.year] = figure.value
    labels = dict(Measure.choices)
    rows = []
    for (department, measure), values in series.items():
        start, end = min(values), max(values)
        times = multiple(values[start], values[end]) if end > start else None
        url = _link(
            "evaluation:figures",
            institution=department.institution_id,
            department=department.pk,
            measure=measure,
            year_from=first,
            year_to=year,
        )
        rows.append(
            [
                Cell(f"{department.institution.name} {department.name}", url),
                Cell(str(labels.get(measure, measure))),
                Cell(f"{start}: {values[start]:,}", url),
                Cell(f"{end}: {values[end]:,}", url),
                Cell("—" if times is None else _("%s倍") % times),
            ]
        )
    board.panels.append(
        Panel(
            "disciplines",
            _("学科年度数据（近五年）"),
            [_("科室"), _("指标"), _("起始年"), _("末年"), _("倍数")],
            rows,
            chart=False,
        )
    )


def _density(user: RequestUser, board: Dashboard, region: Any) -> None:
    seen = insights.density(user, region=region, as_of=board.as_of)
    url = _link("insights:planning", region=region.pk)
    rows = [
        [
            Cell(indicator.label, url),
            Cell("—" if indicator.actual is None else str(indicator.actual), url),
            Cell("—" if indicator.target is None else str(indicator.target.value)),
            Cell("—" if indicator.gap is None else f"{indicator.gap:+}"),
        ]
        for indicator in seen.indicators
    ]
    board.panels.append(
        Panel(
            "density",
            _("每千人口卫生人员与医护比（%s）") % region.name,
            [_("指标"), _("现值"), _("目标"), _("差距")],
            rows,
            _("按登记的常住人口与规划参数；详见规划指标。"),
            chart=False,
        )
    )
