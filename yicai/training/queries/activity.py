"""Expert visits (held and planned) and consultations."""

import datetime
from typing import Any, TypedDict

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.training.models import Consultation, Mentorship, Visit


class MonthVisits(TypedDict):
    month: datetime.date
    visits: int


class VisitCounts(TypedDict):
    total: int
    by_expert: list[dict[str, Any]]
    by_studio: list[dict[str, Any]]
    by_institution: list[dict[str, Any]]
    by_month: list[MonthVisits]


class VisitMonth(TypedDict):
    by_day: dict[datetime.date, list[Visit]]
    editable: set[int]


class VisitFilterChoices(TypedDict):
    institutions: QuerySet[Institution]


class VisitsPlanned(TypedDict):
    count: int
    next_on: datetime.date | None


def visits_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Visit]:
    return scoped(
        user,
        Visit.objects.select_related("expert", "institution", "department", "studio"),
        permission,
    )


def visit_list(
    user: RequestUser,
    *,
    q: str = "",
    kind: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[Visit]:
    visits = narrowed(
        visits_for(user, permission or "training.view"),
        containing(q, "expert__name", "institution__name"),
        between("held_on", since, until),
        kind=kind,
    )
    return visits.order_by("-held_on", "-id")


def visit_counts(
    user: RequestUser, since: datetime.date | None = None, until: datetime.date | None = None
) -> VisitCounts:
    """Visits held (not those still planned), between two dates if given (inclusive): in
    all, and per expert, studio, institution and month. "68 expert visits since October"
    comes from here."""
    today = timezone.localdate()
    held = narrowed(
        visits_for(user).filter(held_on__lte=min(until, today) if until else today),
        held_on__gte=since,
    )

    def per(*fields: str) -> list[dict[str, Any]]:
        return list(held.values(*fields).annotate(visits=Count("pk")).order_by("-visits", *fields))

    return {
        "total": held.count(),
        "by_expert": per("expert_id", "expert__name"),
        "by_studio": per("studio_id", "studio__name"),
        "by_institution": per("institution_id", "institution__name"),
        "by_month": list(
            held.annotate(month=TruncMonth("held_on"))
            .values("month")
            .annotate(visits=Count("pk"))
            .order_by("month")
        ),
    }


def consultations_for(
    user: RequestUser, permission: str = "training.view"
) -> QuerySet[Consultation]:
    return scoped(
        user,
        Consultation.objects.select_related("expert", "requester", "institution"),
        permission,
    )


def consultation_list(
    user: RequestUser,
    *,
    q: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[Consultation]:
    """Consultations by expert, requesting doctor or institution, and by date."""
    consultations = narrowed(
        consultations_for(user, permission or "training.view"),
        containing(q, "expert__name", "requester__name", "institution__name"),
        between("held_on", since, until),
    )
    return consultations.order_by("-held_on", "-id")


# --- One visit or consultation; the month's calendar -----------------------------------------


def visit_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> Visit:
    return get_for(user, visits_for(user, permission), pk, permission)


def consultation_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> Consultation:
    return get_for(user, consultations_for(user, permission), pk, permission)


def consultation_page(
    user: RequestUser,
    *,
    institution: Institution | None = None,
    permission: str | None = None,
    **filters: Any,
) -> QuerySet[Consultation]:
    """The consultation list's rows: `consultation_list`, and by institution."""
    return narrowed(
        consultation_list(user, permission=permission, **filters), institution=institution
    )


def visit_month(
    user: RequestUser,
    first: datetime.date,
    last: datetime.date,
    *,
    institution: Institution | None = None,
    expert: Person | None = None,
) -> VisitMonth:
    """The visits between two days (a month on the calendar), held and planned, that the user
    may see, by day, and the ids of those the user may edit: two queries whatever the rows."""
    visits = narrowed(
        visits_for(user).filter(held_on__range=(first, last)),
        institution=institution,
        expert=expert,
    )
    by_day: dict[datetime.date, list[Visit]] = {}
    for visit in visits.order_by("held_on", "id"):
        by_day.setdefault(visit.held_on, []).append(visit)
    editable = set(
        visits_for(user, "training.edit")
        .filter(held_on__range=(first, last))
        .values_list("pk", flat=True)
    )
    return {"by_day": by_day, "editable": editable}


def visit_filter_choices(user: RequestUser) -> VisitFilterChoices:
    """The institutions of the visits the user may see, for the calendar's filter."""
    seen = visits_for(user)
    return {
        "institutions": Institution.objects.filter(pk__in=seen.values("institution")).order_by(
            "name"
        ),
    }


def visiting_experts(user: RequestUser) -> QuerySet[Person]:
    """The experts of the visits the user may see (the calendar's expert filter picks them)."""
    return Person.objects.filter(pk__in=visits_for(user).values("expert")).order_by(
        "name_initials", "pk"
    )


def visits_of_mentorship(user: RequestUser, mentorship: Mentorship) -> QuerySet[Visit]:
    """A mentorship's visits (held and planned) that the user may see, latest first."""
    return visits_for(user).filter(mentorship=mentorship).order_by("-held_on", "-id")


def visits_planned(user: RequestUser) -> VisitsPlanned:
    """The visits the user's person will make (from today on): how many, and the next day.
    One query."""
    planned = (
        visits_for(user)
        .filter(expert=getattr(user, "person_id", None), held_on__gte=timezone.localdate())
        .aggregate(count=Count("pk"), next_on=Min("held_on"))
    )
    return {"count": planned["count"], "next_on": planned["next_on"]}
