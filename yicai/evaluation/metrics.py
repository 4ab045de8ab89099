"""The automatic indicators: named metrics computed from the records of 育, 引 and 留.

A metric takes the subjects of a scheme and its cycle and answers a figure per subject, in one
query for them all, never one per subject. A count is 0 for a subject with no such records in
the cycle; a subject the metric cannot read (no person bound to it) is absent: "no data".
An indicator names its metric by key; adding one is a function here, the records it counts."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yicai.evaluation.models import Scheme, Subject
from yicai.training.models import CaseLog, Visit

Figures = dict[int, Decimal]  # subject id -> the figure
Source = Callable[[set[int], datetime.date, datetime.date], QuerySet]


@dataclass(frozen=True)
class Metric:
    """A count (or a sum of `amount`) of the records `source` finds for a set of people in a
    cycle, per person by `person_field`. The same queryset gives the figure and the list of
    records behind it (the score sheet's link), so the two cannot disagree."""

    key: str
    label: str | Promise
    unit: str | Promise
    subject_types: frozenset[str]
    source: Source
    person_field: str
    amount: str | None = None  # a field to add up; None: count the records

    def compute(self, subjects: list[Subject], start: datetime.date, end: datetime.date) -> Figures:
        """Every subject's figure in one query: 0 for a subject whose person has no such
        records; a subject without a person is absent (no data)."""
        people = {subject.person_id for subject in subjects if subject.person_id}
        total = Sum(self.amount) if self.amount else Count("id")
        rows = (
            self.source(people, start, end)
            .order_by()
            .values(self.person_field)
            .annotate(n=total)
            .values_list(self.person_field, "n")
        )
        per_person = {person: Decimal(n or 0) for person, n in rows}
        return {
            subject.pk: per_person.get(subject.person_id, Decimal(0))
            for subject in subjects
            if subject.person_id
        }

    def records(self, subject: Subject, start: datetime.date, end: datetime.date) -> QuerySet:
        """The records a subject's figure counts (none for a subject without a person)."""
        return self.source({subject.person_id} if subject.person_id else set(), start, end)


METRICS: dict[str, Metric] = {}


def metric(
    key: str,
    label: str | Promise,
    unit: str | Promise,
    subject_types: Iterable[str],
    *,
    person_field: str,
    amount: str | None = None,
) -> Callable[[Source], Source]:
    def register(source: Source) -> Source:
        METRICS[key] = Metric(
            key, label, unit, frozenset(subject_types), source, person_field, amount
        )
        return source

    return register


EXPERTS = {Scheme.SubjectType.EXPERT}
APPRENTICES = {Scheme.SubjectType.APPRENTICE}


def _visits(people: set[int], start: datetime.date, end: datetime.date) -> QuerySet:
    # A visit dated after today is planned, not made (as the overview counts them).
    held = (start, min(end, timezone.localdate()))
    return Visit.objects.filter(expert_id__in=people, held_on__range=held)


@metric("visits_made", _("来院次数"), _("次"), EXPERTS, person_field="expert_id")
def visits_made(people: set[int], start: datetime.date, end: datetime.date) -> QuerySet:
    return _visits(people, start, end)


@metric("lectures", _("授课次数"), _("次"), EXPERTS, person_field="expert_id")
def lectures(people: set[int], start: datetime.date, end: datetime.date) -> QuerySet:
    lecturing = [Visit.Kind.LECTURE, Visit.Kind.ONLINE_TEACHING]
    return _visits(people, start, end).filter(kind__in=lecturing)


@metric(
    "guided_operations",
    _("手术指导台次"),
    _("台"),
    EXPERTS,
    person_field="expert_id",
    amount="operations",
)
def guided_operations(people: set[int], start: datetime.date, end: datetime.date) -> QuerySet:
    return _visits(people, start, end).filter(kind=Visit.Kind.SURGERY_GUIDANCE)


@metric(
    "verified_independent_cases",
    _("经审核的独立完成病例"),
    _("例"),
    APPRENTICES,
    person_field="apprentice_id",
)
def verified_independent_cases(
    people: set[int], start: datetime.date, end: datetime.date
) -> QuerySet:
    return CaseLog.objects.filter(
        Q(verified_at__isnull=False) | Q(verified_on_paper=True),
        apprentice_id__in=people,
        role=CaseLog.Role.INDEPENDENT,
        performed_on__range=(start, end),
    )
