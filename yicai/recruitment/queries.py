"""Scoped reads of partner agreements and recruitment plans, shared by the pages, their
exports and the API; the plans' figures."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.lookups import between, containing, narrowed, period_meets
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.people.models import Person, TitleGrade
from yicai.people.queries import people_for, tags_held_on
from yicai.recruitment.models import (
    Application,
    Breach,
    Clawback,
    DirectedContract,
    DirectedKind,
    Entitlement,
    Introduction,
    InvitationEvent,
    Invitee,
    Objection,
    OwedBack,
    PartnerAgreement,
    Post,
    PublicNotice,
    RecruitmentPlan,
    Referral,
    Tranche,
)
from yicai.training.queries.activity import visits_for
from yicai.training.queries.mentoring import experts_for, mentorships_for
from yicai.training.queries.studios import studios_for

VIEW, EDIT = "recruitment.view", "recruitment.edit"
NOT_A_PARTNER = _("所选机构不是登记在册的合作机构。")


def agreements_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[PartnerAgreement]":
    return scoped(
        user,
        PartnerAgreement.objects.select_related("institution", "department", "partner"),
        permission,
    )


def agreement_for(user: RequestUser, pk: object, permission: str = VIEW) -> PartnerAgreement:
    return get_for(user, agreements_for(user, permission), pk, permission)


def in_force_on(day: datetime.date) -> Q:
    return period_meets("starts_on", "ends_on", day, day)


def agreement_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    kind: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[PartnerAgreement]":
    """Agreements by title or partner, institution and kind; `since`/`until`: those whose
    period meets that range (both inclusive, either open); `as_of`: those in force that day."""
    agreements = narrowed(
        agreements_for(user, permission or VIEW),
        containing(q, "title", "partner__name", "partner_name"),
        period_meets("starts_on", "ends_on", since, until),
        institution=institution,
        kind=kind,
    )
    if as_of is not None:
        agreements = agreements.filter(in_force_on(as_of))
    return agreements.order_by("institution__name", "-starts_on", "id")


def managed_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The institutions whose recruitment records the user keeps (agreements, plans,
    introductions): the managed ones they edit; partners recruit nothing here."""
    return institutions_for(user, EDIT).filter(relation=Institution.Relation.MANAGED)


def editable_departments(user: RequestUser) -> "QuerySet[Department]":
    return departments_for(user, EDIT).order_by("institution__name", "name")


def partner_choices() -> "QuerySet[Institution]":
    """The partner institutions on file: a directory every institution may pick from."""
    return Institution.objects.filter(relation=Institution.Relation.PARTNER, active=True).order_by(
        "name"
    )


def agreement_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The institutions a list may be filtered by: the managed ones the user sees."""
    return institutions_for(user).filter(relation=Institution.Relation.MANAGED)


# --- Recruitment plans -------------------------------------------------------------------

APPROVE = "recruitment.approve"
# The plans whose places count as planned: those the commission approved.
COUNTED = (
    RecruitmentPlan.Status.APPROVED,
    RecruitmentPlan.Status.PUBLISHED,
    RecruitmentPlan.Status.CLOSED,
)


def plans_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[RecruitmentPlan]":
    return scoped(user, RecruitmentPlan.objects.select_related("institution"), permission)


def plan_for(user: RequestUser, pk: object, permission: str = VIEW) -> RecruitmentPlan:
    return get_for(user, plans_for(user, permission), pk, permission)


def post_for(user: RequestUser, pk: object, permission: str = VIEW) -> Post:
    posts = Post.objects.select_related("plan__institution").filter(
        plan__in=plans_for(user, permission)
    )
    return get_for(user, posts, pk, permission)


def posts_of(plan: RecruitmentPlan) -> "QuerySet[Post]":
    """The plan's posts, each with how many applied and how many were hired (filled against
    planned)."""
    return (
        plan.posts.select_related(
            "department", "min_education", "min_degree", "title_required", "staffing"
        )
        .annotate(
            applied=Count("applications"),
            hired=Count("applications", filter=Q(applications__status="hired")),
        )
        .order_by("id")
    )


def plan_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    year: int | None = None,
    status: str = "",
    permission: str | None = None,
) -> "QuerySet[RecruitmentPlan]":
    """Plans by title, institution, year and status, each with its posts and places."""
    plans = narrowed(
        plans_for(user, permission or VIEW),
        containing(q, "title", "institution__name"),
        institution=institution,
        year=year,
        status=status,
    )
    return plans.annotate(
        post_count=Count("posts"), places=Coalesce(Sum("posts__places"), 0)
    ).order_by("-year", "institution__name", "id")


def post_code_choices() -> "dict[str, QuerySet[Code]]":
    """The codes a post's conditions are chosen among, on the page and in the API alike."""
    return {
        "min_education": codes_of("education").filter(parent__isnull=True),
        "min_degree": codes_of("degree"),
        "title_required": codes_of("title", leaves_only=True),
        "staffing": codes_of("staffing"),
    }


def to_approve(user: RequestUser) -> "QuerySet[RecruitmentPlan]":
    """Submitted plans waiting for the user's decision (the commission's)."""
    return plans_for(user, APPROVE).filter(status=RecruitmentPlan.Status.SUBMITTED)


@dataclass(frozen=True)
class PlanFigures:
    """Places planned in approved plans: in all, by procedure, and by institution and by
    specialty, each split by procedure (Sixian 2022: 105 = 59 simplified + 46 open); and
    how many are filled (applicants hired), against them."""

    places: int
    by_procedure: dict[str, int]
    by_institution: list[dict[str, Any]]
    by_specialty: list[dict[str, Any]]
    plans: int
    filled: int


def _split(posts: "QuerySet[Post]", key: str, label: str) -> list[dict[str, Any]]:
    """One line per `key`, with its places by procedure and in all, and how many of them
    are filled (hired), largest first."""
    lines: dict[Any, dict[str, Any]] = {}
    for row in posts.values(key, label, "procedure").annotate(n=Sum("places")):
        line = lines.setdefault(
            row[key],
            {"key": row[key], "label": row[label], "total": 0, "simplified": 0, "open": 0},
        )
        line[row["procedure"]] += row["n"]
        line["total"] += row["n"]
    filled = _hired(posts).values(f"post__{key}").annotate(n=Count("id"))
    hired = {row[f"post__{key}"]: row["n"] for row in filled}
    for line in lines.values():
        line["filled"] = hired.get(line["key"], 0)
    return sorted(lines.values(), key=lambda line: (-line["total"], str(line["label"])))


def _hired(posts: "QuerySet[Post]") -> "QuerySet[Application]":
    return Application.objects.filter(post__in=posts, status=Application.Status.HIRED)


def plan_figures(
    user: RequestUser, *, year: int | None = None, institution: Institution | None = None
) -> PlanFigures:
    """The figures of the approved plans the user sees (of a year, of an institution)."""
    plans = narrowed(plans_for(user).filter(status__in=COUNTED), year=year, institution=institution)
    posts = Post.objects.filter(plan__in=plans)
    by_procedure = dict.fromkeys(Post.Procedure.values, 0)
    for row in posts.values("procedure").annotate(n=Sum("places")):
        by_procedure[row["procedure"]] = row["n"]
    return PlanFigures(
        places=sum(by_procedure.values()),
        by_procedure=by_procedure,
        by_institution=_split(posts, "plan__institution", "plan__institution__name"),
        by_specialty=_split(posts, "specialty", "specialty"),
        plans=plans.count(),
        filled=_hired(posts).count(),
    )


# --- Shortage and high-level talent over time --------------------------------------------


@dataclass(frozen=True)
class TalentGrowth:
    """The people holding a talent tag on two days: how many, the change and its average
    yearly rate (compound, over the days between; None from none), in all, by institution and
    by personnel category."""

    since: datetime.date
    until: datetime.date
    at_start: int
    at_end: int
    yearly_rate: float | None
    by_institution: list[dict[str, Any]]
    by_category: list[dict[str, Any]]

    @property
    def change(self) -> int:
        return self.at_end - self.at_start

    @property
    def yearly_percent(self) -> str:
        """The yearly rate as the page and the export show it ("10.0%"), "" for none."""
        return "" if self.yearly_rate is None else f"{self.yearly_rate * 100:.1f}%"


def yearly_rate(start: int, end: int, since: datetime.date, until: datetime.date) -> float | None:
    """The average yearly growth from `start` to `end` (0.1 for 10 %), compounded over the
    years between the two days (365.25 days each); None when there was none to grow from."""
    years = (until - since).days / 365.25
    if start <= 0 or years <= 0:
        return None
    return float((end / start) ** (1 / years) - 1)


def talent_growth(
    user: RequestUser,
    *,
    tag: Code,
    since: datetime.date,
    until: datetime.date,
    institution: Institution | None = None,
) -> TalentGrowth:
    """People the user sees who hold `tag` on `since` and on `until` (each where they work
    now): Baoshan's shortage talent "+181 in two years, about 10 % a year"."""
    people = narrowed(people_for(user), institution=institution)

    def held(day: datetime.date, key: str, label: str) -> dict[Any, tuple[Any, int]]:
        holders = tags_held_on(day).filter(tag=tag, person__in=people)
        rows = holders.values(f"person__{key}", f"person__{label}").annotate(
            n=Count("person", distinct=True)
        )
        return {row[f"person__{key}"]: (row[f"person__{label}"], row["n"]) for row in rows}

    def split(key: str, label: str) -> list[dict[str, Any]]:
        start, end = held(since, key, label), held(until, key, label)
        lines = [
            {
                "key": key_,
                "label": (end.get(key_) or start[key_])[0] or "",
                "at_start": start.get(key_, (None, 0))[1],
                "at_end": end.get(key_, (None, 0))[1],
            }
            for key_ in {*start, *end}
        ]
        for line in lines:
            line["change"] = line["at_end"] - line["at_start"]
        return sorted(lines, key=lambda line: (-line["at_end"], str(line["label"])))

    def total(day: datetime.date) -> int:
        holders = tags_held_on(day).filter(tag=tag, person__in=people)
        return holders.values("person").distinct().count()

    at_start, at_end = total(since), total(until)
    return TalentGrowth(
        since=since,
        until=until,
        at_start=at_start,
        at_end=at_end,
        yearly_rate=yearly_rate(at_start, at_end, since, until),
        by_institution=split("institution", "institution__name"),
        by_category=split("personnel_category", "personnel_category__name"),
    )


def tier_names() -> list[str]:
    """The tiers of the commission's talent policy (codes talent_tier: A类 ...), in order;
    an introduction's tier is one of them (any text while the table is empty)."""
    return list(codes_of("talent_tier").values_list("name", flat=True))


def talent_tags() -> "QuerySet[Code]":
    return codes_of("talent_tag")


# --- Introductions -----------------------------------------------------------------------


def introductions_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Introduction]":
    return scoped(
        user,
        Introduction.objects.select_related("person", "institution", "department"),
        permission,
    )


def introduction_for(user: RequestUser, pk: object, permission: str = VIEW) -> Introduction:
    return get_for(user, introductions_for(user, permission), pk, permission)


def introduction_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    mode: str = "",
    category: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    owing: bool = False,
    permission: str | None = None,
) -> "QuerySet[Introduction]":
    """Introductions by the person's name, the previous employer or the tier, institution,
    mode and category, introduced from `since` to `until` (both inclusive, either open);
    `owing`: those with a clawback waiting for the commission's decision."""
    introductions = narrowed(
        introductions_for(user, permission or VIEW),
        containing(q, "person__name", "previous_employer", "tier"),
        between("introduced_on", since, until),
        institution=institution,
        mode=mode,
        category=category,
    )
    if owing:
        proposed = Clawback.objects.filter(status=Clawback.Status.PROPOSED)
        introductions = introductions.filter(pk__in=proposed.values("entitlement__introduction"))
    return introductions.order_by("-introduced_on", "id")


def people_to_introduce(user: RequestUser) -> "QuerySet[Person]":
    """The people an introduction may name: those whose records the user keeps."""
    return people_for(user, "person.edit")


@dataclass(frozen=True)
class IntroductionFigures:
    """Introductions from `since` to `until`: in all, each year's with its growth on the year
    before, by mode, by category and by title grade; those with a senior or associate senior
    title; discipline leaders (Baoshan 2021–2023: 198, of whom 17 senior, 3 leaders)."""

    since: datetime.date | None
    until: datetime.date | None
    total: int
    senior: int
    discipline_leaders: int
    by_year: list[dict[str, Any]]
    by_mode: dict[str, int]
    by_category: dict[str, int]
    by_title_grade: dict[str, int]

    @property
    def year_lines(self) -> list[dict[str, Any]]:
        """Each year with its counts by mode in the order of `mode_labels`."""
        modes = Introduction.Mode.values
        return [{**line, "modes": [line[mode] for mode in modes]} for line in self.by_year]

    @property
    def mode_labels(self) -> list[str]:
        return [str(label) for label in Introduction.Mode.labels]


def introduction_figures(
    user: RequestUser,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    institution: Institution | None = None,
) -> IntroductionFigures:
    rows = introduction_list(user, since=since, until=until, institution=institution)

    def tally(field: str, choices: list[str]) -> dict[str, int]:
        counted = dict.fromkeys(choices, 0)
        for row in rows.order_by().values(field).annotate(n=Count("id")):
            counted[row[field]] = row["n"]
        return counted

    years: dict[int, dict[str, Any]] = {}
    for row in rows.order_by().values("introduced_on__year", "mode").annotate(n=Count("id")):
        year = years.setdefault(
            row["introduced_on__year"],
            {
                "year": row["introduced_on__year"],
                "total": 0,
                **dict.fromkeys(Introduction.Mode.values, 0),
            },
        )
        year[row["mode"]] += row["n"]
        year["total"] += row["n"]
    by_year = [years[year] for year in sorted(years)]
    for before, line in zip([None, *by_year], by_year, strict=False):
        line["growth"] = None if before is None else line["total"] - before["total"]
    grades = tally("title_grade", ["", *TitleGrade.values])
    return IntroductionFigures(
        since=since,
        until=until,
        total=sum(line["total"] for line in by_year),
        senior=grades[TitleGrade.ASSOCIATE_SENIOR] + grades[TitleGrade.SENIOR],
        discipline_leaders=tally("category", Introduction.Category.values)[
            Introduction.Category.DISCIPLINE_LEADER
        ],
        by_year=by_year,
        by_mode=tally("mode", Introduction.Mode.values),
        by_category=tally("category", Introduction.Category.values),
        by_title_grade=grades,
    )


# --- Applications ------------------------------------------------------------------------

REVIEWED_OUT = (Application.Status.APPLIED, Application.Status.INELIGIBLE)
# On their way to a hire, or hired: they hold one of the post's places.
HOLDING_PLACE = (
    Application.Status.MEDICAL,
    Application.Status.BACKGROUND,
    Application.Status.CLEARED,
    Application.Status.NOTICE,
    Application.Status.HIRED,
)
_CENT = Decimal("0.01")


def applications_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Application]":
    """The applications the user may see: the recruiting institution's and the commission's
    (a plan is an institution's, not a department's: a department head sees none)."""
    return scoped(
        user,
        Application.objects.select_related(
            "post__plan__institution", "post__department", "education", "degree", "title"
        ),
        permission,
    )


def application_for(user: RequestUser, pk: object, permission: str = VIEW) -> Application:
    return get_for(user, applications_for(user, permission), pk, permission)


def notice_for(user: RequestUser, pk: object, permission: str = VIEW) -> PublicNotice:
    notices = scoped(user, PublicNotice.objects.select_related("plan__institution"), permission)
    return get_for(user, notices, pk, permission)


def objection_for(user: RequestUser, pk: object, permission: str = VIEW) -> Objection:
    objections = scoped(
        user, Objection.objects.select_related("application__post__plan"), permission
    )
    return get_for(user, objections, pk, permission)


def combined_score(application: Application, plan: RecruitmentPlan) -> Decimal | None:
    """笔试 × the written weight + 面试 × the interview weight, to the cent (half up, as the
    published lists round); None while a score the weights ask for is missing. A plan that
    weighs one exam at 0 % needs no score of it (a simplified procedure's interview only)."""
    total = Decimal(0)
    for score, weight in (
        (application.written_score, plan.written_weight),
        (application.interview_score, plan.interview_weight),
    ):
        if weight:
            if score is None:
                return None
            total += score * weight / 100
    return total.quantize(_CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    application: Application
    combined: Decimal
    rank: int


def tie_break(application: Application, plan: RecruitmentPlan) -> Decimal:
    """Equal combined scores are ordered by the interview score (总成绩相同，面试成绩高者
    在前), by the written one where the plan has no interview; equal on both, a shared rank."""
    score = application.interview_score if plan.interview_weight else application.written_score
    return score if score is not None else Decimal(0)


def post_ranking(post: Post) -> list[Ranked]:
    """The post's applicants who passed the review and have every score the plan weighs, best
    first, ranked as the published list is (1, 2, 2, 4: a tie shares a rank and takes the
    places after it). Those who withdrew or failed later keep their rank on the list."""
    plan = post.plan
    scored = []
    for application in post.applications.exclude(status__in=REVIEWED_OUT).select_related("notice"):
        combined = combined_score(application, plan)
        if combined is not None:
            scored.append((combined, tie_break(application, plan), application))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2].pk))
    ranked: list[Ranked] = []
    for place, (combined, tie, application) in enumerate(scored, start=1):
        if ranked and (combined, tie) == (ranked[-1].combined, scored[place - 2][1]):
            rank = ranked[-1].rank
        else:
            rank = place
        ranked.append(Ranked(application, combined, rank))
    return ranked


def status_counts(plan: RecruitmentPlan) -> dict[str, int]:
    """How many of the plan's applications stand at each status."""
    return status_counts_of(Application.objects.filter(post__plan=plan))


def status_counts_of(rows: "QuerySet[Any]") -> dict[str, int]:
    """How many rows stand at each status."""
    counted = rows.values_list("status").annotate(count=Count("id")).order_by("status")
    return dict(counted)


def application_code_choices() -> "dict[str, QuerySet[Code]]":
    """The codes an applicant's details are chosen among, on the page and in the API alike."""
    return {
        "education": codes_of("education", leaves_only=True),
        "degree": codes_of("degree"),
        "title": codes_of("title", leaves_only=True),
    }


def application_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    year: int | None = None,
    status: str = "",
    post: int | None = None,
    permission: str | None = None,
) -> "QuerySet[Application]":
    """Applications by name, exam number or post, institution, the plan's year, status and
    post, by plan, post and entry."""
    applications = narrowed(
        applications_for(user, permission or VIEW),
        containing(q, "name", "exam_number", "post__name"),
        post__plan__institution=institution,
        post__plan__year=year,
        status=status,
        post=post,
    )
    return applications.order_by("-post__plan__year", "post__plan__institution__name", "post", "id")


def under_review(post: Post) -> "QuerySet[Application]":
    """The post's applicants whose review is not settled by the exams yet, or who were
    refused: an officer's list, findings first."""
    return post.applications.filter(status__in=REVIEWED_OUT).select_related(
        "education", "degree", "title"
    )


def post_figures(post: Post) -> dict[str, int]:
    """Applied, eligible (now or once), holding a place, hired, against the places."""
    counts = status_counts_of(post.applications.all())
    statuses = Application.Status
    return {
        "applied": sum(counts.values()),
        "reviewed_in": sum(count for status, count in counts.items() if status not in REVIEWED_OUT),
        "holding": sum(counts.get(status, 0) for status in HOLDING_PLACE),
        "hired": counts.get(statuses.HIRED, 0),
        "places": post.places,
    }


def cleared(plan: RecruitmentPlan) -> "QuerySet[Application]":
    """The plan's candidates who passed both checks: the next notice's."""
    return (
        Application.objects.filter(post__plan=plan, status=Application.Status.CLEARED)
        .select_related("post__department", "education")
        .order_by("post", "id")
    )


def applications_due_for_purge(today: datetime.date, days: int) -> "QuerySet[Application]":
    """The applications whose personal data is due for erasure on `today`: not hired, not yet
    erased, of a plan closed more than `days` days before. One query for the purge and for
    what a dry run counts."""
    return Application.objects.filter(
        purged_on__isnull=True,
        post__plan__status=RecruitmentPlan.Status.CLOSED,
        post__plan__closed_on__lt=today - datetime.timedelta(days=days),
    ).exclude(status=Application.Status.HIRED)


# --- Introductions' entitlements ---------------------------------------------------------


def tranches_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Tranche]":
    return scoped(
        user,
        Tranche.objects.select_related(
            "entitlement__introduction__person", "entitlement__introduction__institution"
        ),
        permission,
    )


def payments_due(
    user: RequestUser,
    *,
    as_of: datetime.date | None = None,
    institution: Institution | None = None,
    permission: str | None = None,
) -> "QuerySet[Tranche]":
    """Tranches fallen due by `as_of` (today by default) and neither paid nor cancelled,
    the oldest first."""
    day = as_of or timezone.localdate()
    due = tranches_for(user, permission or VIEW).filter(
        due_on__lte=day, paid_on__isnull=True, cancelled_on__isnull=True
    )
    return narrowed(due, entitlement__introduction__institution=institution).order_by(
        "due_on", "id"
    )


def clawbacks_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Clawback]":
    return scoped(
        user,
        Clawback.objects.select_related(
            "entitlement__introduction__person", "entitlement__introduction__institution"
        ),
        permission,
    )


def tranche_for(user: RequestUser, pk: object, permission: str = VIEW) -> Tranche:
    return get_for(user, tranches_for(user, permission), pk, permission)


def clawback_for(user: RequestUser, pk: object, permission: str = VIEW) -> Clawback:
    return get_for(user, clawbacks_for(user, permission), pk, permission)


def entitlements_of(introduction: Introduction) -> "QuerySet[Entitlement]":
    return introduction.entitlements.prefetch_related("tranches").order_by("id")


def clawbacks_of(introduction: Introduction) -> "QuerySet[Clawback]":
    return Clawback.objects.filter(entitlement__introduction=introduction).select_related(
        "entitlement", "decided_by"
    )


# --- Directed students -------------------------------------------------------------------


def contracts_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[DirectedContract]":
    return scoped(
        user,
        DirectedContract.objects.select_related("kind", "sponsor", "service_place", "person"),
        permission,
    )


def contract_for(user: RequestUser, pk: object, permission: str = VIEW) -> DirectedContract:
    return get_for(user, contracts_for(user, permission), pk, permission)


def breach_for(user: RequestUser, pk: object, permission: str = VIEW) -> Breach:
    breaches = scoped(user, Breach.objects.select_related("contract"), permission)
    return get_for(user, breaches, pk, permission)


def contract_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    kind: DirectedKind | None = None,
    enrolled_year: int | None = None,
    status: str = "",
    graduating: int | None = None,
    permission: str | None = None,
) -> "QuerySet[DirectedContract]":
    """Contracts by the student's name, school or service place, sponsor, kind, year of
    enrolment and status; `graduating`: those still studying who graduate that year."""
    contracts = narrowed(
        contracts_for(user, permission or VIEW),
        containing(q, "name", "school", "service_place__name"),
        sponsor=institution,
        kind=kind,
        enrolled_year=enrolled_year,
        status=status,
    )
    if graduating is not None:
        contracts = contracts.filter(
            graduation_year=graduating, status=DirectedContract.Status.STUDYING
        )
    return contracts.order_by("-enrolled_year", "kind", "name", "id")


def directed_kinds() -> "QuerySet[DirectedKind]":
    return DirectedKind.objects.order_by("id")


@dataclass(frozen=True)
class DirectedFigures:
    """Contracts by year of enrolment and kind (Sixian: 10 order-directed and 14 rural-doctor
    students in 2021, 4 in 2022), and by status."""

    kinds: list[DirectedKind]
    by_year: list[dict[str, Any]]
    by_status: dict[str, int]
    total: int


def directed_figures(
    user: RequestUser, *, institution: Institution | None = None
) -> DirectedFigures:
    contracts = narrowed(contracts_for(user), sponsor=institution)
    kinds = list(directed_kinds())
    years: dict[int, dict[int, int]] = {}
    for row in contracts.values("enrolled_year", "kind").annotate(n=Count("id")):
        years.setdefault(row["enrolled_year"], {})[row["kind"]] = row["n"]
    by_year: list[dict[str, Any]] = [
        {
            "year": year,
            "kinds": [counts.get(kind.pk, 0) for kind in kinds],
            "total": sum(counts.values()),
        }
        for year, counts in sorted(years.items())
    ]
    by_status = dict.fromkeys(DirectedContract.Status.values, 0)
    by_status.update(status_counts_of(contracts))
    return DirectedFigures(kinds, by_year, by_status, sum(by_status.values()))


def service_places() -> "QuerySet[Institution]":
    """Where directed graduates serve: the district's managed institutions, townships first."""
    managed = Institution.objects.filter(relation=Institution.Relation.MANAGED, active=True)
    township = Case(When(kind=Institution.Kind.TOWNSHIP, then=0), default=1)
    return managed.order_by(township, "name")


# --- The expert network ------------------------------------------------------------------


def experts(user: RequestUser) -> "QuerySet[Person]":
    """Whom an invitation or a referral may name: as a mentorship or a visit may (the people
    the user sees, and the partner hospitals' people of their commission's region)."""
    return experts_for(user, EDIT)


def referrals_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Referral]":
    return scoped(
        user,
        Referral.objects.select_related("institution", "referrer", "referred"),
        permission,
    )


def events_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[InvitationEvent]":
    return scoped(user, InvitationEvent.objects.select_related("institution"), permission)


def event_for(user: RequestUser, pk: object, permission: str = VIEW) -> InvitationEvent:
    return get_for(user, events_for(user, permission), pk, permission)


def invitee_for(user: RequestUser, pk: object, permission: str = VIEW) -> Invitee:
    invitees = scoped(user, Invitee.objects.select_related("event", "person"), permission)
    return get_for(user, invitees, pk, permission)


def referral_for(user: RequestUser, pk: object, permission: str = VIEW) -> Referral:
    return get_for(user, referrals_for(user, permission), pk, permission)


def event_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[InvitationEvent]":
    """Invitation events by title, institution and day (from `since` to `until`), each with
    how many were invited and how many came."""
    events = narrowed(
        events_for(user, permission or VIEW),
        containing(q, "title"),
        between("held_on", since, until),
        institution=institution,
    )
    return events.annotate(
        invited=Count("invitees"), came=Count("invitees", filter=Q(invitees__attended=True))
    ).order_by("-held_on", "id")


def network_people(user: RequestUser) -> "QuerySet[Person]":
    """The experts in the user's network: introduced, brought by someone or bringing
    someone, or invited, in the records the user sees."""
    referrals = referrals_for(user)
    ids = (
        set(introductions_for(user).values_list("person", flat=True))
        | set(referrals.values_list("referrer", flat=True))
        | set(referrals.values_list("referred", flat=True))
        | set(Invitee.objects.filter(event__in=events_for(user)).values_list("person", flat=True))
    )
    return Person.objects.filter(pk__in=ids).select_related("institution")


def network_list(
    user: RequestUser,
    *,
    q: str = "",
    permission: str | None = None,
) -> "QuerySet[Person]":
    return narrowed(network_people(user), containing(q, "name")).order_by("name_pinyin", "id")


@dataclass(frozen=True)
class ExpertNetwork:
    """How an expert came (introductions, who brought them, the invitations they came to),
    whom they brought, and what they have done since in 育 (the records the user sees)."""

    person: Person
    introductions: list[Introduction]
    brought_by: list[Referral]
    brought: list[Referral]
    invitations: list[Invitee]
    mentorships: list[Any]
    studios: list[Any]
    visits: int
    recent_visits: list[Any]


def expert_network(user: RequestUser, person: Person) -> ExpertNetwork:
    referrals = referrals_for(user)
    visits = visits_for(user).filter(expert=person)
    return ExpertNetwork(
        person=person,
        introductions=list(introductions_for(user).filter(person=person)),
        brought_by=list(referrals.filter(referred=person)),
        brought=list(referrals.filter(referrer=person)),
        invitations=list(
            Invitee.objects.filter(event__in=events_for(user), person=person)
            .select_related("event__institution")
            .order_by("-event__held_on")
        ),
        mentorships=list(mentorships_for(user).filter(mentor=person)),
        studios=list(studios_for(user).filter(lead=person)),
        visits=visits.count(),
        recent_visits=list(visits.order_by("-id")[:10]),
    )


def network_counts(user: RequestUser, people: list[Person]) -> dict[int, dict[str, int]]:
    """For a page of experts: the mentorships and studios they lead and the visits they made,
    as the user sees them; one query each, whatever the page holds."""
    ids = [person.pk for person in people]
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for key, rows, field in (
        ("mentorships", mentorships_for(user), "mentor"),
        ("studios", studios_for(user), "lead"),
        ("visits", visits_for(user), "expert"),
    ):
        found = (
            rows.filter(**{f"{field}__in": ids}).values(field).annotate(n=Count("id")).order_by()
        )
        for row in found:
            counts[row[field]][key] = row["n"]
    return counts


# --- The overview ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """引 at a glance, every figure derived here from the records the user sees: the year's
    plans (places by procedure, filled), the period's introductions (senior titles,
    discipline leaders), shortage talent on two days, directed students, what is owed."""

    year: int
    since: datetime.date
    until: datetime.date
    plans: PlanFigures
    introductions: IntroductionFigures
    shortage: TalentGrowth | None
    directed: DirectedFigures
    payments_due: int
    payments_due_amount: Decimal
    clawbacks_proposed: int
    breaches_proposed: int
    agreements_in_force: int
    experts: int


def overview(
    user: RequestUser,
    *,
    year: int,
    since: datetime.date,
    until: datetime.date,
    institution: Institution | None = None,
) -> Overview:
    """The figures of the overview page and its API (introductions and shortage talent over
    `since`..`until`, plans of `year`, what is due as of `until`)."""
    shortage = talent_tags().filter(code="shortage").first()
    due = payments_due(user, as_of=until, institution=institution)
    owed = OwedBack.Status.PROPOSED
    return Overview(
        year=year,
        since=since,
        until=until,
        plans=plan_figures(user, year=year, institution=institution),
        introductions=introduction_figures(user, since=since, until=until, institution=institution),
        shortage=(
            talent_growth(user, tag=shortage, since=since, until=until, institution=institution)
            if shortage is not None
            else None
        ),
        directed=directed_figures(user, institution=institution),
        payments_due=due.count(),
        payments_due_amount=due.aggregate(total=Coalesce(Sum("amount"), Decimal(0)))["total"],
        clawbacks_proposed=narrowed(
            clawbacks_for(user).filter(status=owed),
            entitlement__introduction__institution=institution,
        ).count(),
        breaches_proposed=narrowed(
            scoped(user, Breach.objects.filter(status=owed), VIEW), contract__sponsor=institution
        ).count(),
        agreements_in_force=agreement_list(user, institution=institution, as_of=until).count(),
        experts=network_people(user).count(),
    )
