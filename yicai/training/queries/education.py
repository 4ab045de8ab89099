"""Continuing education and training quotas, read through the scope module.

A person's credits in a year are summed from their attendance (the event's credits unless
they were given their own) and the credits they reported from outside, by class; whether
they meet the year's requirement is derived here. A quota's fulfilment is counted from the
secondments and enrolments of the institution's people that start in the year and were not
withdrawn. Neither is ever stored.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_stubs_ext import StrOrPromise

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.training.models import (
    Attendance,
    CreditClass,
    CreditRequirement,
    EducationEvent,
    Enrolment,
    ExternalCredit,
    Secondment,
    TrainingKind,
    TrainingQuota,
)


class Credits(TypedDict):
    """A person's credits of a year, as `with_credits` annotates them."""

    class_i: Decimal
    class_ii: Decimal
    total: Decimal


if TYPE_CHECKING:  # WithAnnotations takes its TypedDict only for the type checker
    from django_stubs_ext import WithAnnotations

    PersonWithCredits = WithAnnotations[Person, Credits]

CREDIT_FIELD = DecimalField(max_digits=8, decimal_places=1)
ZERO = Value(Decimal("0"), output_field=CREDIT_FIELD)
# Credits are kept to one decimal place; half of that absorbs the rounding of a database
# that sums decimals as floating point (SQLite) when comparing with the requirement.
HALF_STEP = Decimal("0.05")
# The national rules (继续医学教育规定（试行）), when no requirement is on file.
NATIONAL = {"total": Decimal("25"), "class_i": Decimal("5"), "class_ii": Decimal("15")}


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def this_year() -> int:
    return timezone.localdate().year


# Events and attendance


def events_for(user: RequestUser, permission: str = "training.view") -> QuerySet[EducationEvent]:
    return scoped(
        user,
        EducationEvent.objects.select_related("institution", "department", "speaker"),
        permission,
    )


def event_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> EducationEvent:
    return get_for(
        user,
        EducationEvent.objects.select_related("institution", "department", "speaker"),
        pk,
        permission,
    )


def event_list(
    user: RequestUser,
    *,
    q: str = "",
    kind: str = "",
    institution: Institution | None = None,
    credit_class: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[EducationEvent]:
    events = narrowed(
        events_for(user, permission or "training.view"),
        containing(q, "title", "speaker__name", "speaker_name"),
        between("held_on", since, until),
        kind=kind,
        institution=institution,
        credit_class=credit_class,
    )
    return events.annotate(attendee_count=Count("attendances")).order_by("-held_on", "-id")


def attendances_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Attendance]:
    return scoped(
        user,
        Attendance.objects.select_related(
            "event", "person__institution", "person__department"
        ).annotate(awarded_credits=Coalesce("credits", "event__credits")),
        permission,
    )


def attendances_of(
    user: RequestUser, event: EducationEvent, permission: str = "training.view"
) -> QuerySet[Attendance]:
    """The attendees of an event the user may see (another institution's staff at a
    regional event stay hidden from a hospital)."""
    return attendances_for(user, permission).filter(event=event).order_by("person__name_initials")


def attendance_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> Attendance:
    return get_for(user, Attendance.objects.select_related("event", "person"), pk, permission)


def people_for_training(user: RequestUser, permission: str = "training.view") -> QuerySet[Person]:
    """The staff a user may record training for (or see the credits of)."""
    return scoped(
        user,
        Person.objects.filter(category=Person.Category.STAFF).select_related(
            "institution", "department"
        ),
        permission,
    ).order_by("institution__name", "name_initials", "id")


# Credits against the requirement


@dataclass(frozen=True)
class Requirement:
    year: int
    total: Decimal
    class_i: Decimal
    class_ii: Decimal
    since: int | None  # the year the rule on file applies from; None: the national default


def requirement_for(year: int) -> Requirement:
    """The requirement in force in a year: the latest one set from that year or before."""
    row = CreditRequirement.objects.filter(year__lte=year).order_by("-year").first()
    if row is None:
        return Requirement(year, since=None, **NATIONAL)
    return Requirement(year, row.total, row.class_i, row.class_ii, since=row.year)


def requirements() -> QuerySet[CreditRequirement]:
    return CreditRequirement.objects.order_by("-year")


def _earned(year: int, credit_class: str) -> CombinedExpression:
    start, end = _year_range(year)
    attended = (
        Attendance.objects.filter(
            person=OuterRef("pk"),
            event__held_on__range=(start, end),
            event__credit_class=credit_class,
        )
        .order_by()
        .values("person")
        .annotate(total=Sum(Coalesce("credits", "event__credits")))
        .values("total")
    )
    reported = (
        ExternalCredit.objects.filter(
            person=OuterRef("pk"), earned_on__range=(start, end), credit_class=credit_class
        )
        .order_by()
        .values("person")
        .annotate(total=Sum("credits"))
        .values("total")
    )
    return Coalesce(Subquery(attended, output_field=CREDIT_FIELD), ZERO) + Coalesce(
        Subquery(reported, output_field=CREDIT_FIELD), ZERO
    )


def with_credits(people: QuerySet[Person], year: int) -> QuerySet["PersonWithCredits"]:
    return people.annotate(
        class_i=_earned(year, CreditClass.CLASS_I),
        class_ii=_earned(year, CreditClass.CLASS_II),
    ).annotate(total=F("class_i") + F("class_ii"))


def below(requirement: Requirement) -> Q:
    """Short of the total, or of either class (the two classes do not replace each other)."""
    return (
        Q(total__lt=requirement.total - HALF_STEP)
        | Q(class_i__lt=requirement.class_i - HALF_STEP)
        | Q(class_ii__lt=requirement.class_ii - HALF_STEP)
    )


def credit_list(
    user: RequestUser,
    *,
    year: int | None = None,
    q: str = "",
    institution: Institution | None = None,
    standing: str = "",
    permission: str | None = None,
) -> QuerySet["PersonWithCredits"]:
    """The people in scope with their credits of the year; `standing` "below" keeps those
    short of the requirement, "met" those who meet it."""
    year = year or this_year()
    people = narrowed(
        people_for_training(user, permission or "training.view"),
        name__icontains=q,
        institution=institution,
    )
    people = with_credits(people, year)
    if standing:
        shortfall = below(requirement_for(year))
        people = people.filter(shortfall) if standing == "below" else people.exclude(shortfall)
    return people


def meets(person: "PersonWithCredits", requirement: Requirement) -> bool:
    return not (
        person.total < requirement.total - HALF_STEP
        or person.class_i < requirement.class_i - HALF_STEP
        or person.class_ii < requirement.class_ii - HALF_STEP
    )


def credits_of(person: Person, year: int) -> dict[str, Decimal]:
    """One person's credits in a year, by class and in all (for a record or a test)."""
    row = with_credits(Person.objects.filter(pk=person.pk), year).get()
    return {
        "class_i": round_credits(row.class_i),
        "class_ii": round_credits(row.class_ii),
        "total": round_credits(row.total),
    }


def round_credits(value: Decimal | int | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.1"))


# Quotas and what fills them


def _fulfilled(year: int) -> Case:
    start, end = _year_range(year)
    secondments = (
        Secondment.objects.filter(
            person__institution=OuterRef("institution"), start_on__range=(start, end)
        )
        .exclude(status=Secondment.Status.WITHDRAWN)
        .order_by()
        .values("person__institution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    enrolments = (
        Enrolment.objects.filter(
            person__institution=OuterRef("institution"),
            kind=OuterRef("kind"),
            start_on__range=(start, end),
        )
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .order_by()
        .values("person__institution")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(
            kind=TrainingKind.SECONDMENT,
            then=Coalesce(Subquery(secondments, output_field=IntegerField()), 0),
        ),
        default=Coalesce(Subquery(enrolments, output_field=IntegerField()), 0),
        output_field=IntegerField(),
    )


def quotas_for(user: RequestUser, permission: str = "training.view") -> QuerySet[TrainingQuota]:
    return scoped(user, TrainingQuota.objects.select_related("institution"), permission)


def quota_list(
    user: RequestUser,
    *,
    year: int | None = None,
    institution: Institution | None = None,
    kind: str = "",
    unmet: str = "",
    permission: str | None = None,
) -> QuerySet[TrainingQuota]:
    """A year's quotas in scope, each with what fills it (`fulfilled`)."""
    year = year or this_year()
    quotas = narrowed(
        quotas_for(user, permission or "training.view").filter(year=year),
        institution=institution,
        kind=kind,
    )
    quotas = quotas.annotate(fulfilled=_fulfilled(year))
    if unmet == "yes":
        quotas = quotas.filter(fulfilled__lt=F("number"))
    elif unmet == "no":
        quotas = quotas.filter(fulfilled__gte=F("number"))
    return quotas.order_by("institution__name", "kind")


def quota_totals(quotas: QuerySet[TrainingQuota]) -> dict[str, dict[str, int | StrOrPromise]]:
    """The quotas and their fulfilment summed by kind, in one query."""
    rows = quotas.order_by().values("kind").annotate(quota=Sum("number"), done=Sum("fulfilled"))
    totals = {row["kind"]: {"quota": row["quota"], "done": row["done"]} for row in rows}
    return {
        kind: totals.get(kind, {"quota": 0, "done": 0}) | {"label": label}
        for kind, label in TrainingKind.choices
    }


# Enrolments


def enrolments_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Enrolment]:
    return scoped(
        user,
        Enrolment.objects.select_related("person__institution", "person__department"),
        permission,
    )


def enrolment_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> Enrolment:
    return get_for(user, Enrolment.objects.select_related("person"), pk, permission)


def enrolment_list(
    user: RequestUser,
    *,
    q: str = "",
    kind: str = "",
    status: str = "",
    year: int | None = None,
    institution: Institution | None = None,
    permission: str | None = None,
) -> QuerySet[Enrolment]:
    enrolments = narrowed(
        enrolments_for(user, permission or "training.view"),
        containing(q, "person__name", "programme", "provider"),
        kind=kind,
        status=status,
        person__institution=institution,
    )
    if year:
        enrolments = enrolments.filter(start_on__range=_year_range(year))
    return enrolments.order_by("-start_on", "-id")


def own_credits(user: RequestUser, year: int) -> "PersonWithCredits | None":
    """The user's own person with their credits of the year (`class_i`, `class_ii`, `total`),
    as the credit list counts them; None when they are not staff to train."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return credit_list(user, year=year).filter(pk=person_id).first()
