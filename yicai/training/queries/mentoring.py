"""Techniques, case logs and the gaps they fill (derived from verified independent cases)."""

import datetime
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import (
    Aggregate,
    Count,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.models import RequestUser
from yicai.access.scope import filter_for, get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.people.models import Person
from yicai.training.models import Apprenticeship, CaseLog, Mentorship, Technique, Visit


class GapDate(TypedDict):
    """The day of a technique's first verified independent case (`with_gap_dates`)."""

    gap_filled_on: datetime.date | None


class DoneFigures(TypedDict):
    """What a mentorship did against its agreement (`with_done`)."""

    visits_done: int
    lectures_done: int
    operations_done: int


if TYPE_CHECKING:  # WithAnnotations takes its TypedDict only for the type checker
    from django_stubs_ext import WithAnnotations

    TechniqueWithGap = WithAnnotations[Technique, GapDate]
    MentorshipWithDone = WithAnnotations[Mentorship, DoneFigures]


class AgreementRow(TypedDict):
    label: str
    target: int
    done: int
    percent: int | None
    met: bool


class ApprenticesLed(TypedDict):
    mentorships: int
    apprentices: int
    first: int | None


VERIFIED = Q(case_logs__verified_at__isnull=False)
INDEPENDENT = Q(case_logs__role=CaseLog.Role.INDEPENDENT)

# What a record may name, said alike by the services, the API's fields and the imports (which
# look the same rows up by name).
EXPERT_OUT_OF_SCOPE = gettext_lazy("所选专家不存在或不在您的管辖范围内。")
SUPERVISOR_NOT_ALLOWED = gettext_lazy("指导/审核人须是记录人的导师或同科室人员。")
TECHNIQUE_NOT_THERE = gettext_lazy("记录人所在机构没有登记这项技术，请先在新技术新项目中登记。")
APPRENTICE_NOT_YOURS = gettext_lazy("记录人不存在或不在您可以代录的人员中。")


def techniques_for(
    user: RequestUser, permission: str = "training.view"
) -> QuerySet["TechniqueWithGap"]:
    """The techniques the user may see, each with `gap_filled_on`: the date of its first
    verified independent case, or None while it has none."""
    return with_gap_dates(
        scoped(user, Technique.objects.select_related("institution", "department"), permission)
    )


def with_gap_dates(techniques: QuerySet[Technique]) -> QuerySet["TechniqueWithGap"]:
    return techniques.annotate(
        gap_filled_on=Min("case_logs__performed_on", filter=VERIFIED & INDEPENDENT)
    )


def gaps_filled(
    user: RequestUser, since: datetime.date | None = None, until: datetime.date | None = None
) -> QuerySet["TechniqueWithGap"]:
    """Techniques an institution performed independently for the first time (填补技术空白),
    optionally between two dates (inclusive)."""
    return narrowed(
        techniques_for(user).filter(gap_filled_on__isnull=False),
        between("gap_filled_on", since, until),
    )


def first_in_region(techniques: Iterable["TechniqueWithGap"]) -> set[int]:
    """Of the given techniques, the gaps that were also the region's: no institution of the
    same commission region had filled a technique of that name before (the same day counts
    for both). Compared across the whole region, whoever asks; only the answer is shown."""
    filled = [(t, t.gap_filled_on) for t in techniques if t.gap_filled_on is not None]
    keys = {(t.institution.commission_region_id, t.name.casefold()) for t, _on in filled}
    regions = {region for region, _name in keys}
    earliest: dict[tuple[int | None, str], datetime.date] = {}
    rows = (
        with_gap_dates(Technique.objects.filter(institution__commission_region__in=regions))
        .filter(gap_filled_on__isnull=False)
        .values_list("institution__commission_region", "name", "gap_filled_on")
    )
    for region, name, filled_on in rows:
        key = (region, name.casefold())
        if filled_on is None or key not in keys:  # never None: filtered above
            continue
        if key not in earliest or filled_on < earliest[key]:
            earliest[key] = filled_on
    return {
        t.pk
        for t, on in filled
        if on <= earliest[(t.institution.commission_region_id, t.name.casefold())]
    }


def case_progress(person: Person) -> list[Mapping[str, Any]]:
    """Per technique, the person's verified cases by entrustment level ("10 verified
    independent cases"), unverified ones counted apart."""
    rows = (
        CaseLog.objects.filter(apprentice=person)
        .values("technique_id", "technique__name")
        .annotate(**_by_level())
        .order_by("technique__name")
    )
    return list(rows)


def _by_level() -> dict[str, Count]:
    """Verified cases per entrustment level, and the unverified apart."""
    verified = {
        name: Count("pk", filter=Q(role=role, verified_at__isnull=False))
        for name, role in (
            ("observed", CaseLog.Role.OBSERVED),
            ("assisted", CaseLog.Role.ASSISTED),
            ("supervised", CaseLog.Role.SUPERVISED),
            ("independent", CaseLog.Role.INDEPENDENT),
        )
    }
    return {**verified, "unverified": Count("pk", filter=Q(verified_at__isnull=True))}


def case_logs_for(user: RequestUser, permission: str = "training.view") -> QuerySet[CaseLog]:
    return scoped(
        user,
        CaseLog.objects.select_related(
            "apprentice",
            "technique__institution",
            "supervisor",
            "mentorship__mentor",
            "entered_by",
        ),
        permission,
    )


def case_list(
    user: RequestUser,
    *,
    q: str = "",
    role: str = "",
    verified: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[CaseLog]:
    """Case logs by apprentice or technique, entrustment level, verification and the day
    they were performed (between `since` and `until`, inclusive)."""
    cases = narrowed(
        case_logs_for(user, permission or "training.view"),
        containing(q, "apprentice__name", "technique__name"),
        between("performed_on", since, until),
        role=role,
    )
    if verified:
        cases = cases.filter(verified_at__isnull=verified != "yes")
    return cases.order_by("-performed_on", "-id")


def case_log_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> CaseLog:
    return get_for(user, case_logs_for(user, permission), pk, permission)


def technique_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    status: str = "",
    gap: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet["TechniqueWithGap"]:
    """Techniques by name, institution, status, and whether (and between which dates) they
    filled a gap."""
    techniques = narrowed(
        techniques_for(user, permission or "training.view"),
        between("gap_filled_on", since, until),
        name__icontains=q,
        institution=institution,
        status=status,
    )
    if gap:
        techniques = techniques.filter(gap_filled_on__isnull=gap != "yes")
    return techniques.annotate(
        verified_independent=Count("case_logs", filter=VERIFIED & INDEPENDENT)
    ).order_by("institution__name", "name")


# --- Mentorships, and whom a form or API call may name (read by the API) --------------------


def mentorships_on(day: datetime.date) -> Q:
    """Mentorships in progress on a day. Today (or later): those under way, started by then.
    On a past day, also those closed since, up to the end date they recorded (one closed
    without an end date is not counted: when it ended is unknown)."""
    started = Q(start_on__lte=day)
    if day >= timezone.localdate():
        return started & Q(status=Mentorship.Status.ACTIVE)
    return started & (Q(status=Mentorship.Status.ACTIVE) | Q(end_on__gte=day))


def mentorships_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Mentorship]:
    """The mentorships the user may see, each with its apprentices (one query for a page)."""
    apprentices = Apprenticeship.objects.select_related("apprentice").order_by("id")
    return scoped(
        user,
        Mentorship.objects.select_related("mentor", "institution", "department").prefetch_related(
            Prefetch("apprenticeships", queryset=apprentices)
        ),
        permission,
    )


def mentorship_list(
    user: RequestUser,
    *,
    q: str = "",
    status: str = "",
    institution: Institution | None = None,
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[Mentorship]:
    """Mentorships by the mentor's or an apprentice's name, status and institution, and
    those in progress on a day (`as_of`)."""
    mentorships = mentorships_for(user, permission or "training.view")
    if q:
        named = Apprenticeship.objects.filter(apprentice__name__icontains=q)
        mentorships = mentorships.filter(
            Q(mentor__name__icontains=q) | Q(pk__in=named.values("mentorship"))
        )
    if as_of is not None:
        mentorships = mentorships.filter(mentorships_on(as_of))
    mentorships = narrowed(mentorships, status=status, institution=institution)
    return mentorships.order_by("-start_on", "-id")


def experts_for(user: RequestUser, permission: str = "training.edit") -> QuerySet[Person]:
    """Who may be named as a mentor, a visiting or consulting expert, a studio's lead or
    member: anyone the user may see, and the people of the partner hospitals that work with
    the commission regions of the institutions where the user has `permission`."""
    regions = institutions_for(user, permission).values("commission_region")
    partners = Q(
        institution__relation=Institution.Relation.PARTNER,
        institution__commission_region__in=regions,
    )
    # The scope's own filter rather than a subquery of everyone the user sees, so that checking
    # one chosen person (a picker, the API) reads that person, not the whole scope.
    return Person.objects.filter(filter_for(user, Person, "person.view") | partners)


def techniques_to_log(person: Person | None) -> QuerySet[Technique]:
    """The techniques a person may log a case of: their institution's (as the case form)."""
    if person is None or person.institution_id is None:  # every technique is an institution's
        return Technique.objects.none()
    return Technique.objects.filter(institution_id=person.institution_id)


def mentorships_of(person: Person | None) -> QuerySet[Mentorship]:
    """The mentorships a person is an apprentice in."""
    if person is None:
        return Mentorship.objects.none()
    return Mentorship.objects.filter(apprenticeships__apprentice=person)


def people_to_backfill(user: RequestUser) -> QuerySet[Person]:
    """Whom an administrator may enter past records for (case logs, a trainee's monthly
    reports): the people of the institutions where they may back-fill."""
    return scoped(
        user,
        Person.objects.select_related("institution").order_by("institution_id", "name_initials"),
        "training.backfill",
    )


def current_mentors(person: Person | None) -> QuerySet[Person]:
    """A person's mentors in the mentorships they are in now, by name."""
    if person is None:
        return Person.objects.none()
    current = mentorships_of(person).filter(status=Mentorship.Status.ACTIVE)
    return Person.objects.filter(pk__in=current.values("mentor")).order_by("name_initials", "pk")


def supervisors_for(person: Person | None) -> QuerySet[Person]:
    """Who may be named to confirm a person's case (as the case form): their mentors and the
    colleagues of their department (of their institution when they have none)."""
    if person is None:
        return Person.objects.none()
    colleagues = (
        Q(department_id=person.department_id)
        if person.department_id
        else Q(institution_id=person.institution_id)
    )
    mentors = mentorships_of(person).values("mentor")
    return Person.objects.filter(colleagues | Q(pk__in=mentors)).exclude(pk=person.pk)


# --- A mentorship's agreement against what was done; the pages' getters and choices ---------

# Visits that count as teaching against a mentorship's target_lectures.
LECTURE_KINDS = ("lecture", "online_teaching")


def with_done(
    mentorships: QuerySet[Mentorship], today: datetime.date | None = None
) -> QuerySet["MentorshipWithDone"]:
    """Each mentorship with what was done against its agreement, from the visits of it held by
    `today`: `visits_done` (all held), `lectures_done` (lectures and online teaching) and
    `operations_done` (the visits' operations). One subquery each, so a page of any length
    costs the same."""
    held = (
        Visit.objects.filter(mentorship=OuterRef("pk"), held_on__lte=today or timezone.localdate())
        .order_by()
        .values("mentorship")
    )

    def total(rows: QuerySet[Visit, Any], aggregate: Aggregate) -> Coalesce:
        value = Subquery(rows.annotate(n=aggregate).values("n"), output_field=IntegerField())
        return Coalesce(value, 0)

    return mentorships.annotate(
        visits_done=total(held, Count("pk")),
        lectures_done=total(held.filter(kind__in=LECTURE_KINDS), Count("pk")),
        operations_done=total(held, Sum("operations")),
    )


def mentorship_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> "MentorshipWithDone":
    """One mentorship the user may see (or edit, with "training.edit"), with its done figures;
    404 outside the scope."""
    return get_for(user, with_done(mentorships_for(user, permission)), pk, permission)


def mentorship_agreement(mentorship: "MentorshipWithDone") -> list[AgreementRow]:
    """The agreement's targets beside what was done (a mentorship from `mentorship_for`)."""
    rows = [
        (_("来院次数"), mentorship.target_visits, mentorship.visits_done),
        (_("授课次数"), mentorship.target_lectures, mentorship.lectures_done),
        (_("手术指导台次"), mentorship.target_operations, mentorship.operations_done),
    ]
    return [
        {
            "label": label,
            "target": target,
            "done": done,
            "percent": min(100, round(done * 100 / target)) if target else None,
            "met": done >= target,
        }
        for label, target, done in rows
    ]


def apprentice_progress(
    user: RequestUser, apprentices: Collection[Person]
) -> dict[int, list[Mapping[str, Any]]]:
    """Per apprentice, their cases by technique as `case_progress` counts them (verified by
    entrustment level, unverified apart), over the case logs the user may see: one query."""
    rows = (
        scoped(user, CaseLog.objects.all())
        .filter(apprentice__in=[person.pk for person in apprentices])
        .values("apprentice_id", "technique_id", "technique__name")
        .annotate(**_by_level())
        .order_by("apprentice_id", "technique__name")
    )
    progress: dict[int, list[Mapping[str, Any]]] = {person.pk: [] for person in apprentices}
    for row in rows:
        progress[row["apprentice_id"]].append(row)
    return progress


def technique_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> "TechniqueWithGap":
    return get_for(user, techniques_for(user, permission), pk, permission)


def staff_to_train(user: RequestUser) -> QuerySet[Person]:
    """People the user may name as an apprentice or a requesting doctor: those of the
    institutions where the user edits cultivation records."""
    return scoped(
        user,
        Person.objects.select_related("institution").order_by("institution_id", "name_initials"),
        "training.edit",
    )


def mentorship_page(
    user: RequestUser, *, permission: str | None = None, **filters: Any
) -> QuerySet["MentorshipWithDone"]:
    """The mentorship list's rows: `mentorship_list` with what each has done."""
    return with_done(mentorship_list(user, permission=permission, **filters))


# --- What waits for a person (the home page's to-do) ----------------------------------------


def cases_awaiting_verification(user: RequestUser) -> QuerySet[CaseLog]:
    """The user's own case logs that no one has verified yet."""
    return case_logs_for(user).filter(
        apprentice=getattr(user, "person_id", None), verified_at__isnull=True
    )


def cases_to_verify(user: RequestUser) -> QuerySet[CaseLog]:
    """Case logs awaiting verification that the user may verify, their own apart: those
    naming them as supervisor, their apprentices', their department's."""
    return (
        case_logs_for(user, "training.verify")
        .filter(verified_at__isnull=True)
        .exclude(apprentice=getattr(user, "person_id", None))
    )


def apprentices_led(user: RequestUser) -> ApprenticesLed:
    """The active mentorships the user's person leads: how many, their apprentices, and the
    first of them (the page to open when there is only one). One query."""
    led = (
        scoped(user, Mentorship.objects.all())
        .filter(mentor=getattr(user, "person_id", None), status=Mentorship.Status.ACTIVE)
        .aggregate(
            mentorships=Count("pk", distinct=True),
            apprentices=Count("apprenticeships__apprentice", distinct=True),
            first=Min("pk"),
        )
    )
    return {
        "mentorships": led["mentorships"],
        "apprentices": led["apprentices"],
        "first": led["first"],
    }
