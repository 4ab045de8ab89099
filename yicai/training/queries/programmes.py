"""Programmes, cohorts, selection rounds and the talent pool (英才库), read through the scope
module. Places taken in a cohort are counted over all its members whoever asks (only the
number is shown); the members themselves are listed as the user may see them. Whether a
member has the mentors the programme asks for is derived from the mentorships."""

from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yicai.access.models import RequestUser
from yicai.access.scope import assignments, get_for, role_may, scoped
from yicai.lookups import containing, narrowed
from yicai.org.models import Institution, Region
from yicai.org.queries import institutions_for
from yicai.people.models import Person
from yicai.training.models import (
    AnnualReview,
    Apprenticeship,
    Cohort,
    CohortMember,
    MemberGoal,
    Mentorship,
    Nomination,
    Programme,
    ReviewScore,
    SelectionRound,
)


class ProgrammeFigures(TypedDict):
    cohorts: int
    latest: Cohort | None
    members: int
    completed: int


def programmes_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Programme]:
    return scoped(user, Programme.objects.select_related("region"), permission)


def programme_list(
    user: RequestUser,
    *,
    q: str = "",
    kind: str = "",
    active: str = "",
    permission: str | None = None,
) -> QuerySet[Programme]:
    programmes = narrowed(
        programmes_for(user, permission or "training.view"), name__icontains=q, kind=kind
    )
    if active:
        programmes = programmes.filter(active=active == "yes")
    return programmes.order_by("region__code", "id")


def programme_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> Programme:
    return get_for(user, programmes_for(user, permission), pk, permission)


def programme_figures(programmes: Iterable[Programme]) -> dict[int, ProgrammeFigures]:
    """Per programme: its cohorts, members in all (those who withdrew apart), completed, and
    the places taken in its latest cohort against the quota. Two queries, whatever the rows."""
    ids = [programme.pk for programme in programmes]
    figures: dict[int, ProgrammeFigures] = {
        pk: {"cohorts": 0, "latest": None, "members": 0, "completed": 0} for pk in ids
    }
    for cohort in with_places(Cohort.objects.filter(programme__in=ids)).order_by(
        "programme", "year", "start_on", "id"
    ):
        figure = figures[cohort.programme_id]
        figure["cohorts"] += 1
        figure["latest"] = cohort  # the last in order is the latest
    members = (
        CohortMember.objects.filter(cohort__programme__in=ids)
        .values("cohort__programme")
        .annotate(
            members=Count("pk", filter=~Q(status=CohortMember.Status.WITHDRAWN)),
            completed=Count("pk", filter=Q(status=CohortMember.Status.COMPLETED)),
        )
        .order_by()
    )
    for row in members:
        figure = figures[row["cohort__programme"]]
        figure["members"], figure["completed"] = row["members"], row["completed"]
    return figures


def with_places(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Cohorts with `places_taken`: their members, less those who withdrew."""
    return cohorts.annotate(
        places_taken=Count(
            "members", filter=~Q(members__status=CohortMember.Status.WITHDRAWN), distinct=True
        )
    )


def places_taken(cohort: Cohort) -> int:
    return cohort.members.exclude(status=CohortMember.Status.WITHDRAWN).count()


def may_finish(cohort: Cohort) -> bool:
    """A cohort can be closed once running and every member has completed or withdrawn."""
    return (
        cohort.status != Cohort.Status.FINISHED
        and not cohort.members.filter(status=CohortMember.Status.ACTIVE).exists()
    )


def cohorts_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Cohort]:
    return scoped(user, Cohort.objects.select_related("programme__region"), permission)


def cohort_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> Cohort:
    return get_for(user, cohorts_for(user, permission), pk, permission)


def cohorts_of(programme: Programme) -> list[Cohort]:
    """A programme's cohorts, latest first, each with its places taken and its rounds."""
    rounds = SelectionRound.objects.annotate(nominated=Count("nominations")).order_by("-opens_on")
    return list(
        with_places(Cohort.objects.filter(programme=programme))
        .prefetch_related(Prefetch("rounds", queryset=rounds))
        .order_by("-year", "-start_on", "-id")
    )


def rounds_for(user: RequestUser, permission: str = "training.view") -> QuerySet[SelectionRound]:
    return scoped(
        user, SelectionRound.objects.select_related("cohort__programme__region"), permission
    )


def round_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> SelectionRound:
    return get_for(user, rounds_for(user, permission), pk, permission)


def rounds_of(cohort: Cohort) -> QuerySet[SelectionRound]:
    return SelectionRound.objects.filter(cohort=cohort).order_by("-opens_on", "-id")


def nominations_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Nomination]:
    return scoped(
        user,
        Nomination.objects.select_related(
            "person__institution", "person__department", "institution", "round__cohort__programme"
        ),
        permission,
    )


def nomination_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> Nomination:
    return get_for(user, nominations_for(user, permission), pk, permission)


def nominations_of(user: RequestUser, selection_round: SelectionRound) -> QuerySet[Nomination]:
    """The round's nominations the user may see, best average score first (unscored last on
    every database: PostgreSQL would put NULL first), each with its scores."""
    scores = ReviewScore.objects.order_by("id")
    return (
        nominations_for(user)
        .filter(round=selection_round)
        .annotate(average=Avg("scores__score"), score_count=Count("scores"))
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by(F("average").desc(nulls_last=True), "institution__name", "id")
    )


def round_counts(selection_round: SelectionRound) -> dict[str, int]:
    """How many were nominated, chosen, not chosen and are still undecided, in all."""
    counts = {status: 0 for status in Nomination.Status.values}
    rows = selection_round.nominations.values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


def _mentor_exists(kind: str) -> Exists:
    return Exists(
        Apprenticeship.objects.filter(
            apprentice=OuterRef("person"),
            mentorship__kind=kind,
            mentorship__status=Mentorship.Status.ACTIVE,
        )
    )


def members_for(user: RequestUser, permission: str = "training.view") -> QuerySet[CohortMember]:
    return scoped(
        user,
        CohortMember.objects.select_related(
            "person__institution", "person__department", "cohort__programme__region"
        ),
        permission,
    )


def member_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> CohortMember:
    return get_for(user, members_for(user, permission), pk, permission)


def with_mentors(members: QuerySet[CohortMember]) -> QuerySet[CohortMember]:
    """Members with `has_internal_mentor` and `has_external_mentor`: an active mentorship of
    that kind in which they are an apprentice."""
    return members.annotate(
        has_internal_mentor=_mentor_exists(Mentorship.Kind.INTERNAL),
        has_external_mentor=_mentor_exists(Mentorship.Kind.EXTERNAL),
    )


def missing_mentor_q(programme: Programme) -> Q:
    """Members lacking a mentor their programme asks for (on `with_mentors` rows)."""
    q = Q(pk__in=[])
    if programme.requires_internal_mentor:
        q |= Q(has_internal_mentor=False)
    if programme.requires_external_mentor:
        q |= Q(has_external_mentor=False)
    return q


def members_of(
    user: RequestUser,
    cohort: Cohort,
    *,
    status: str = "",
    missing_mentor: bool = False,
    permission: str = "training.view",
) -> QuerySet[CohortMember]:
    """The cohort's members the user may see, with their mentors, goals and reviews."""
    members = narrowed(
        with_mentors(members_for(user, permission).filter(cohort=cohort)), status=status
    )
    if missing_mentor:
        members = members.filter(missing_mentor_q(cohort.programme))
    return (
        members.annotate(goal_count=Count("goals", distinct=True))
        .prefetch_related(Prefetch("reviews", queryset=AnnualReview.objects.order_by("year")))
        .order_by("person__institution__name", "person__name_initials", "id")
    )


def member_goals_of(member: CohortMember) -> QuerySet[MemberGoal]:
    return MemberGoal.objects.filter(member=member).order_by("year", "id")


def member_reviews_of(member: CohortMember) -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(member=member).order_by("year")


def member_mentorships(person: Person) -> QuerySet[Mentorship]:
    """The person's active mentorships as an apprentice, internal first."""
    return (
        Mentorship.objects.filter(
            apprenticeships__apprentice=person, status=Mentorship.Status.ACTIVE
        )
        .select_related("mentor__institution", "institution")
        .order_by("-kind", "start_on")
    )


def talent_pool_list(
    user: RequestUser,
    *,
    q: str = "",
    programme: Programme | None = None,
    status: str = "",
    institution: Institution | None = None,
    permission: str | None = None,
) -> QuerySet[CohortMember]:
    """The talent pool (英才库): everyone who is or was a member of a cohort, one row per
    membership."""
    members = narrowed(
        members_for(user, permission or "training.view"),
        containing(q, "person__name") | containing(q.lower(), "person__name_initials"),
        cohort__programme=programme,
        status=status,
        person__institution=institution,
    )
    return members.order_by("-entered_on", "person__name_initials", "id")


def talent_pool_counts(user: RequestUser) -> dict[str, int]:
    """The pool's members the user may see: in cultivation, completed, withdrawn."""
    rows = members_for(user).values("status").annotate(n=Count("pk")).order_by()
    counts = {status: 0 for status in CohortMember.Status.values}
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


PERSON_TO_NOMINATE_OUT_OF_SCOPE = gettext_lazy("所选被提名人不存在或不在您的管辖范围内。")
ROUND_OUT_OF_SCOPE = gettext_lazy("所选遴选不存在或不在您的管辖范围内。")


def people_to_nominate(user: RequestUser) -> QuerySet[Person]:
    """Staff the user may put forward: people of the managed institutions whose training
    records are theirs to edit."""
    return scoped(
        user,
        Person.objects.filter(institution__relation="managed")
        .select_related("institution")
        .order_by("institution__name", "name_initials", "pk"),
        "training.edit",
    )


def nominating_institutions(user: RequestUser) -> QuerySet[Institution]:
    return institutions_for(user, "training.edit").filter(relation="managed")


def configurable_regions(user: RequestUser) -> QuerySet[Region]:
    """The commission regions whose programmes the user defines (an all-scope role tied to a
    region that carries training.configure)."""
    ids = [
        a.region_id
        for a in assignments(user)
        if a.region_id is not None and role_may(a.role, "training.configure")
    ]
    return Region.objects.filter(pk__in=ids).order_by("code")


def member_goal_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> MemberGoal:
    goals = scoped(user, MemberGoal.objects.select_related("member__cohort"), permission)
    return get_for(user, goals, pk, permission)


# --- What waits for a hospital or the commission (the home page's to-do) --------------------


def _counted(rows: QuerySet[Any], link: str) -> Coalesce:
    """`rows` counted per outer row they are linked to by `link`, as a subquery (0 for none)."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def rounds_to_nominate(user: RequestUser) -> QuerySet[SelectionRound]:
    """Rounds open for nominations today in which the user nominates, soonest closing first,
    each with `nominated`: how many the user's institutions have put forward."""
    today = timezone.localdate()
    ours = Nomination.objects.filter(institution__in=nominating_institutions(user).values("pk"))
    return (
        rounds_for(user, "training.edit")
        .filter(status=SelectionRound.Status.OPEN, opens_on__lte=today, closes_on__gte=today)
        .annotate(nominated=_counted(ours, "round"))
        .order_by("closes_on", "id")
    )


def rounds_waiting(user: RequestUser) -> QuerySet[SelectionRound]:
    """Rounds that wait for the commission that defines them: nominations closed with some
    made, to start the review; under review, to decide and approve. Each with `undecided`
    nominations."""
    today = timezone.localdate()
    undecided = Nomination.objects.filter(status=Nomination.Status.NOMINATED)
    return (
        rounds_for(user, "training.configure")
        .annotate(
            nominated=_counted(Nomination.objects.all(), "round"),
            undecided=_counted(undecided, "round"),
        )
        .filter(
            Q(status=SelectionRound.Status.OPEN, closes_on__lt=today, nominated__gt=0)
            | Q(status=SelectionRound.Status.REVIEWING)
        )
        .order_by("closes_on", "id")
    )


def cohorts_to_complete(user: RequestUser) -> QuerySet[Cohort]:
    """Cohorts past their end date whose members are still in cultivation (to complete or
    withdraw), each with `active`, for the commission that defines them."""
    active = CohortMember.objects.filter(status=CohortMember.Status.ACTIVE)
    return (
        cohorts_for(user, "training.configure")
        .filter(end_on__lt=timezone.localdate())
        .annotate(active=_counted(active, "cohort"))
        .filter(active__gt=0)
        .order_by("end_on", "id")
    )
