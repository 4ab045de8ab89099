"""The automatic indicators: named metrics computed from the records of 育, 引 and 留.

A metric takes the subjects of a scheme and its cycle and answers a figure per subject, in one
query for them all, never one per subject. A count is 0 for a subject with no such records in
the cycle; a subject the metric cannot read (no person bound to it) is absent: "no data".
An indicator names its metric by key; adding one is a function here."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yicai.evaluation.models import Scheme, Subject
from yicai.training.models import CaseLog, Visit

Figures = dict[int, Decimal]  # subject id -> the figure
Compute = Callable[[list[Subject], datetime.date, datetime.date], Figures]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    unit: str | Promise
    subject_types: frozenset[str]
    compute: Compute


METRICS: dict[str, Metric] = {}


def metric(
    key: str, label: str | Promise, unit: str | Promise, subject_types: Iterable[str]
) -> Callable[[Compute], Compute]:
    def register(compute: Compute) -> Compute:
        METRICS[key] = Metric(key, label, unit, frozenset(subject_types), compute)
        return compute

    return register


def _by_person(subjects: list[Subject], rows: QuerySet, person_field: str) -> Figures:
    """Figures counted per person, handed to the subjects that are those people."""
    per_person = {row[person_field]: Decimal(row["n"] or 0) for row in rows}
    return {
        subject.pk: per_person.get(subject.person_id, Decimal(0))
        for subject in subjects
        if subject.person_id
    }


def _people(subjects: list[Subject]) -> set[int]:
    return {subject.person_id for subject in subjects if subject.person_id}


EXPERTS = {Scheme.SubjectType.EXPERT}
APPRENTICES = {Scheme.SubjectType.APPRENTICE}


def _visits(subjects: list[Subject], start: datetime.date, end: datetime.date) -> QuerySet:
    return Visit.objects.filter(expert_id__in=_people(subjects), held_on__range=(start, end))


@metric("visits_made", _("来院次数"), _("次"), EXPERTS)
def visits_made(subjects: list[Subject], start: datetime.date, end: datetime.date) -> Figures:
    rows = _visits(subjects, start, end).values("expert_id").annotate(n=Count("id"))
    return _by_person(subjects, rows, "expert_id")


@metric("lectures", _("授课次数"), _("次"), EXPERTS)
def lectures(subjects: list[Subject], start: datetime.date, end: datetime.date) -> Figures:
    rows = (
        _visits(subjects, start, end)
        .filter(kind__in=[Visit.Kind.LECTURE, Visit.Kind.ONLINE_TEACHING])
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return _by_person(subjects, rows, "expert_id")


@metric("guided_operations", _("手术指导台次"), _("台"), EXPERTS)
def guided_operations(subjects: list[Subject], start: datetime.date, end: datetime.date) -> Figures:
    rows = (
        _visits(subjects, start, end)
        .filter(kind=Visit.Kind.SURGERY_GUIDANCE)
        .values("expert_id")
        .annotate(n=Sum("operations"))
    )
    return _by_person(subjects, rows, "expert_id")


@metric("verified_independent_cases", _("经审核的独立完成病例"), _("例"), APPRENTICES)
def verified_independent_cases(
    subjects: list[Subject], start: datetime.date, end: datetime.date
) -> Figures:
    rows = (
        CaseLog.objects.filter(
            Q(verified_at__isnull=False) | Q(verified_on_paper=True),
            apprentice_id__in=_people(subjects),
            role=CaseLog.Role.INDEPENDENT,
            performed_on__range=(start, end),
        )
        .values("apprentice_id")
        .annotate(n=Count("id"))
    )
    return _by_person(subjects, rows, "apprentice_id")
