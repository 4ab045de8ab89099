"""The dashboard's figures, each read through the scoped query of its domain, with the URL
of the list that shows the records it counts.

Staff are counted as of a day by the people list's own rule (`yicai.people.queries.in_post_on`
and the `*_on` reads: the post, title, education, tag and age on that day), so a figure and
the list behind it (`/people/?on=<day>&...`) cannot disagree. Flows (introductions, shortage
talent, studios, title rounds, discipline volumes) are the domains' own figures for the
period, as the annual report reads them; each links to its domain's list, filtered alike.

Fast by construction, never by sampling:
- Staff are read in three passes whatever the number of figures: one aggregate over the
  scope's people (`_profile`), each read with their grade and education on the day by joining
  their titles and educations (the set-based form of people.queries.grade_on and
  education_on), counted every way the cards and six panels need; the posts covering the day,
  by place; the tags held. Indexes of people's records serve the as-of reads (people
  migration 0003: appointments by person and dates, titles by person and day obtained,
  educations by person and day graduated, tags by tag and validity).
- A scope of more than LIVE_LIMIT people (the home page's limit: a commission's district at a
  province's scale, a large hospital) is counted once and kept (`insights.FigureSnapshot`,
  one per scope, parameters and language), shown with the time it was counted; a visit to
  figures older than FRESH, counted on another day, or counted before a change was recorded
  (the audit log has moved on) asks for a recount in the background
  (`dashboard.tasks.recount_dashboard`). Only the first visit of such a scope waits for the
  count. A smaller scope is counted on every visit, exactly.
"""

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yicai.access.models import AuditEntry, RequestUser, User
from yicai.access.scope import has_perm
from yicai.codes.queries import code_for, codes_of
from yicai.evaluation.models import Measure
from yicai.evaluation.queries.disciplines import GRADES, education_levels, figures_for, multiple
from yicai.insights import queries as insights
from yicai.insights.models import FigureSnapshot
from yicai.lookups import narrowed
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.people.models import GRADE_RANK, Appointment, Person
from yicai.people.queries import (
    AGE_BAND_LABELS,
    AGE_BANDS,
    birth_range,
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
    # When kept figures were counted (None: counted for this visit).
    counted_at: datetime.datetime | None = None

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
    see: the form offers only those): staff as of `as_of`, flows from `since` to `until`;
    counted now for a scope of up to LIVE_LIMIT people, else the kept figures."""
    if department is not None:
        institution = department.institution
    asked = Asked(as_of, since, until, institution, department)
    if not _large(user, institution, department):
        return count(user, asked)
    return _kept(user, asked)


def count(user: RequestUser, asked: "Asked") -> Dashboard:
    """The dashboard counted from the records now, whatever the scope's size."""
    as_of, since, until = asked.as_of, asked.since, asked.until
    department = asked.department
    institution = department.institution if department is not None else asked.institution
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


# --- Kept figures of a large scope ----------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """The parameters of a dashboard."""

    as_of: datetime.date
    since: datetime.date
    until: datetime.date
    institution: Institution | None = None
    department: Department | None = None

    def params(self) -> dict[str, Any]:
        """As the background task gets them (JSON), with the language to count in."""
        return {
            "as_of": self.as_of.isoformat(),
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "institution": self.institution.pk if self.institution else None,
            "department": self.department.pk if self.department else None,
            "language": translation.get_language(),
        }

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> "Asked":
        department = (
            Department.objects.select_related("institution").filter(pk=params["department"]).first()
            if params.get("department")
            else None
        )
        institution = (
            Institution.objects.filter(pk=params["institution"]).first()
            if params.get("institution")
            else None
        )
        return cls(
            datetime.date.fromisoformat(params["as_of"]),
            datetime.date.fromisoformat(params["since"]),
            datetime.date.fromisoformat(params["until"]),
            institution,
            department,
        )


def _large(
    user: RequestUser, institution: Institution | None, department: Department | None
) -> bool:
    """More than LIVE_LIMIT people in the scope asked (read at most LIVE_LIMIT + 1 ids)."""
    people = narrowed(people_for(user), institution=institution, department=department)
    limit = insights.LIVE_LIMIT
    return people.order_by().values("pk")[: limit + 1].count() > limit


def snapshot_key(user: RequestUser, asked: Asked) -> str:
    """Users who see the same rows and flows share kept figures: the home page's scope key,
    the flows the user may see, the parameters and the language."""
    flows = [has_perm(user, p) for p in (recruitment.VIEW, "training.view", "retention.view")]
    flows += [has_perm(user, "evaluation.view"), has_perm(user, insights.VIEW)]
    parts = ["dashboard", insights.scope_key(user), json.dumps(flows), json.dumps(asked.params())]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _last_change() -> int:
    """The audit log's last entry: every change of a record is one (access.audit)."""
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def recount(user: RequestUser, asked: Asked) -> FigureSnapshot:
    """Count the dashboard now and keep it for everyone with the same key."""
    started, changes = timezone.now(), _last_change()
    board = count(user, asked)
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        key=snapshot_key(user, asked),
        defaults={
            "figures": {"changes": changes, **_frozen(board)},
            "computed_at": started,
            "requested_at": None,
        },
    )
    return snapshot


def _kept(user: RequestUser, asked: Asked) -> Dashboard:
    key = snapshot_key(user, asked)
    snapshot = FigureSnapshot.objects.filter(key=key).first()
    if snapshot is None:
        snapshot = recount(user, asked)
    now = timezone.now()
    stale = (
        now - snapshot.computed_at > insights.FRESH
        or timezone.localdate(snapshot.computed_at) != timezone.localdate(now)
        or _last_change() > snapshot.figures["changes"]
    )
    recount_due = snapshot.requested_at is None or now - snapshot.requested_at > insights.FRESH
    if stale and recount_due and isinstance(user, User):
        from yicai.insights.dashboard.tasks import recount_dashboard

        FigureSnapshot.objects.filter(pk=snapshot.pk).update(requested_at=now)
        recount_dashboard.enqueue(user.pk, asked.params())
        snapshot.refresh_from_db()
    board = _thawed(snapshot.figures, asked)
    board.counted_at = snapshot.computed_at
    return board


def _frozen(board: Dashboard) -> dict[str, Any]:
    def cells(row: list[Cell]) -> list[list[Any]]:
        return [[cell.text, cell.url, cell.value] for cell in row]

    return {
        "crumbs": cells(board.crumbs),
        "cards": [[c.key, c.label, c.value, c.url, c.detail] for c in board.cards],
        "panels": [
            {
                "key": p.key,
                "title": p.title,
                "headers": p.headers,
                "rows": [cells(row) for row in p.rows],
                "note": p.note,
                "chart": p.chart,
            }
            for p in board.panels
        ],
    }


def _thawed(figures: Mapping[str, Any], asked: Asked) -> Dashboard:
    def cells(row: list[list[Any]]) -> list[Cell]:
        return [Cell(*cell) for cell in row]

    institution = asked.department.institution if asked.department else asked.institution
    return Dashboard(
        asked.as_of,
        asked.since,
        asked.until,
        institution,
        asked.department,
        cells(figures["crumbs"]),
        [Card(*card) for card in figures["cards"]],
        [
            Panel(
                p["key"],
                p["title"],
                p["headers"],
                [cells(row) for row in p["rows"]],
                p["note"],
                p["chart"],
            )
            for p in figures["panels"]
        ],
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
    scope = people_for(user)
    staff = scope.filter(in_post_on(day, institution=institution, department=department))
    base = {"on": day, "institution": institution, "department": department}

    def people(**query: object) -> str:
        return _link("people:list", **{**base, **query})

    seen = _profile(user, staff, day, board.institution)
    doctors, nurses = seen["doctors"], seen["nurses"]
    graduate = code_for("education", "10")
    board.cards += [
        Card("staff", _("在岗人数"), _count(seen["total"]), people()),
        Card(
            "senior",
            _("副高级及以上职称"),
            _count(seen["grade:senior"] + seen["grade:associate_senior"]),
        ),
        Card(
            "postgraduate",
            _("研究生学历"),
            _count(seen["education:10"]),
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
        _places(scope, seen, board, people),
        _grades(seen, people),
        _educations(seen, people),
        _ages(seen, people),
        _sexes(seen, people),
        _categories(seen, people),
        _tags(staff, day, people),
    ]


@dataclass
class Profile:
    """The staff on a day counted every way the cards and panels need, in one query: in all;
    by grade, education and age band then; by sex and category; doctors and nurses; and,
    for those with no appointment on file, by the place their profile names
    (`unrecorded:<pk>`, 0 for none)."""

    counts: dict[str, int]
    sexes: list[tuple[int | None, str]]  # the sex codes, and None
    # The places the unrecorded are counted at: the institutions, or the departments of the
    # institution asked.
    places: list[tuple[int, str]]

    def __getitem__(self, key: str) -> int:
        return self.counts.get(key) or 0


def _profile(
    user: RequestUser, staff: QuerySet[Person], day: datetime.date, within: Institution | None
) -> Profile:
    """One aggregate over the scope's people, each first read with their grade and education
    on `day` by joining their records and grouping per person: the set-based form of
    people.queries.grade_on and education_on (the highest grade obtained by then, a title
    without its date counting as held; the highest top-level education graduated by then,
    likewise), which read them person by person, a subquery each. Over a province's million
    people the join is one pass over each table instead of a million index probes."""
    place = "department" if within is not None else "institution"
    bands = Case(
        *(When(birth_date__range=birth_range(band, day), then=Value(band)) for band in AGE_BANDS),
        default=Value(""),
        output_field=CharField(),
    )
    rank = Case(
        *(When(titles__grade=grade, then=Value(n)) for grade, n in GRADE_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    held = Q(titles__obtained_on__isnull=True) | Q(titles__obtained_on__lte=day)
    graduated = Q(educations__graduated_on__isnull=True) | Q(educations__graduated_on__lte=day)
    unrecorded = ~Exists(Appointment.objects.filter(person=OuterRef("pk")))
    people = staff.annotate(
        rank_then=Max(rank, filter=held),
        education_then=Min(
            Coalesce("educations__level__parent__code", "educations__level__code"),
            filter=graduated,
        ),
        band=bands,
        sex_then=F("sex_id"),
        category_then=F("category"),
        personnel=F("personnel_category_id"),
        unrecorded_at=Case(
            When(unrecorded, then=Coalesce(F(f"{place}_id"), Value(0))),
            default=None,
            output_field=IntegerField(),
        ),
    )
    groups = insights.planning_codes().groups
    sexes: list[tuple[int | None, str]] = [*codes_of("sex").values_list("pk", "name"), (None, "")]
    scoped_places = (
        departments_for(user).filter(institution=within)
        if within is not None
        else institutions_for(user)
    )
    places = list(scoped_places.values_list("pk", "name"))
    conditions: dict[str, Q | None] = {
        "total": None,
        "grade:": Q(rank_then__isnull=True) | Q(rank_then=0),
        **{f"grade:{grade}": Q(rank_then=n) for grade, n in GRADE_RANK.items()},
        **{
            f"education:{code}": Q(education_then=code) if code else Q(education_then__isnull=True)
            for code, _label in education_levels()
        },
        **{f"band:{band}": Q(band=band) for band in AGE_BANDS},
        **{
            f"sex:{pk or ''}": Q(sex_then=pk) if pk else Q(sex_then__isnull=True)
            for pk, _name in sexes
        },
        **{f"category:{value}": Q(category_then=value) for value in Person.Category.values},
        **{f"unrecorded:{pk}": Q(unrecorded_at=pk) for pk in [0, *(pk for pk, _n in places)]},
    }
    for group in ("doctors", "nurses"):
        if groups[group]:
            conditions[group] = Q(personnel__in=groups[group])
    counts = people.aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )
    return Profile(counts, sexes, places)


def _placed(
    scope: QuerySet[Person],
    seen: Profile,
    day: datetime.date,
    place: str,
    within: Institution | None = None,
) -> list[tuple[int | None, str, int]]:
    """Staff by `place` ("institution" or "department") on `day`: the place of their posts
    then, or of their profile for those with no appointment on file (in_post_on's rule, read
    from the profile); most first. A person with posts in two places counts in each. The
    posts are those covering the day of the people in `scope` (whoever has one is in post)."""
    counts: dict[int | None, list[Any]] = {}
    posted = (
        narrowed(posts_on(day), institution=within)
        .filter(person__in=scope.values("pk"))
        .values_list(f"{place}_id", f"{place}__name")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    unrecorded = [
        (pk or None, name, seen[f"unrecorded:{pk}"])
        for pk, name in [(0, ""), *seen.places]
        if seen[f"unrecorded:{pk}"]
    ]
    for pk, name, n in [*posted, *unrecorded]:
        counts.setdefault(pk, [name, 0])[1] += n
    return sorted(
        ((pk, name or "", n) for pk, (name, n) in counts.items()), key=lambda row: (-row[2], row[1])
    )


def _places(
    scope: QuerySet[Person],
    seen: Profile,
    board: Dashboard,
    people: Callable[..., str],
) -> Panel:
    """Staff by institution, or by department within one: each row drills down a level."""
    dates = {"as_of": board.as_of, "since": board.since, "until": board.until}
    if board.department is not None:
        return Panel(
            "places",
            _("人员"),
            [_("科室"), _("人数")],
            [[Cell(board.department.name), Cell(_count(total := seen["total"]), people(), total)]],
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
                for pk, name, n in _placed(
                    scope, seen, board.as_of, "department", board.institution
                )
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
            for pk, name, n in _placed(scope, seen, board.as_of, "institution")
            if pk is not None
        ],
        _("点击机构名称查看该机构的统计，点击人数查看人员名单。"),
    )


def _counted(rows: Iterable[tuple[Any, str, int, str]]) -> list[list[Cell]]:
    return [[Cell(label), Cell(_count(n), url, n)] for _key, label, n, url in rows]


def _grades(seen: Profile, people: Callable[..., str]) -> Panel:
    return Panel(
        "grades",
        _("职称结构"),
        [_("职称级别"), _("人数")],
        _counted(
            (grade, str(label), seen[f"grade:{grade}"], people(title_grade=grade) if grade else "")
            for grade, label in GRADES
        ),
        _("当日已取得的最高职称；未登记取得时间的职称按已取得计。"),
    )


def _educations(seen: Profile, people: Callable[..., str]) -> Panel:
    ids = dict(codes_of("education").filter(parent__isnull=True).values_list("code", "pk"))
    return Panel(
        "educations",
        _("学历结构"),
        [_("学历"), _("人数")],
        _counted(
            (
                code,
                label,
                seen[f"education:{code}"],
                people(education=ids[code]) if code in ids else "",
            )
            for code, label in education_levels()
        ),
        _("当日已毕业的最高学历；未登记毕业时间的学历按已取得计。"),
    )


def _ages(seen: Profile, people: Callable[..., str]) -> Panel:
    return Panel(
        "ages",
        _("年龄结构"),
        [_("年龄段"), _("人数")],
        _counted(
            (band, str(AGE_BAND_LABELS[band]), seen[f"band:{band}"], people(age_band=band))
            for band in AGE_BANDS
        ),
        _("按当日年龄。"),
    )


def _sexes(seen: Profile, people: Callable[..., str]) -> Panel:
    present = [(pk, name, seen[f"sex:{pk or ''}"]) for pk, name in seen.sexes]
    ordered = sorted((row for row in present if row[2]), key=lambda row: (-row[2], row[1]))
    return Panel(
        "sex",
        _("性别结构"),
        [_("性别"), _("人数")],
        _counted(
            (pk, name or _("未登记"), n, people(sex=pk) if pk else "") for pk, name, n in ordered
        ),
    )


def _categories(seen: Profile, people: Callable[..., str]) -> Panel:
    return Panel(
        "categories",
        _("人员类别"),
        [_("人员类别"), _("人数")],
        _counted(
            (value, str(label), seen[f"category:{value}"], people(category=value))
            for value, label in Person.Category.choices
            if seen[f"category:{value}"]
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
    # The two figures of recruitment's overview the dashboard shows, read alone (the overview
    # also counts plans, payments, contracts and the expert network).
    figures = recruitment.introduction_figures(
        user, since=board.since, until=board.until, institution=institution
    )
    shortage_tag = recruitment.talent_tags().filter(code="shortage").first()
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
    if shortage_tag is not None:
        growth = recruitment.talent_growth(
            user, tag=shortage_tag, since=board.since, until=board.until, institution=institution
        )
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
