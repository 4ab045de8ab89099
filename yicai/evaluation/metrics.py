"""The automatic indicators: named metrics computed from the records of 育, 引 and 留.

A metric is a queryset of records, the same one for the figure and for the list behind it (the
score sheet's link), so the two cannot disagree. It is registered with `@metric` on the
function that finds the records of a cycle, and says, for each type of subject it fits, which
field of the records names what that subject is bound to (`BOUND_TO`: a subject's person,
mentorship, department or institution); the indicator form offers a metric only to schemes of
those types. It answers every subject's figure in one query for them all, never one per
subject (CME credits read the year's requirement first: one query more, whatever the number of
subjects).

The rules, each in one place:
- A count (or a sum of `amount`) is 0 for a subject with no such records in the cycle; a
  subject not bound to anything the metric reads is absent: "no data". A figure that is not a
  count (a discipline's volume, its growth) is absent when nothing is recorded: a department
  that entered no figure has no data, not 0.
- A yearly measure (a discipline's volume, CME credits against the year's requirement) is that
  of the cycle's last year; a cycle is usually a calendar year.
- "On time" counts the records done by their due date: a monthly secondment report submitted
  by the 5th of the next month (the day `yicai remind` chases it), a service task done by its
  deadline. A report entered on the trainee's behalf afterwards is late by its record: Yicai
  keeps no day of a paper report.
- CME credits "met" counts the staff who met the year's requirement (total and both classes,
  training.queries.education): 1 or 0 for a person, so a basic task of target 1 scores 100 or
  0; for a department or an institution the number of its staff who met it.
- A discipline's growth is the change of the cycle's year on the year before, in per cent to
  the cent (25.00 for +25 %), of a department's figure or an institution's sum over its
  departments; without a figure of either year, or with 0 the year before, there is none.
- A gap filled (填补技术空白) is a technique whose first verified independent case falls in the
  cycle, as the technique registry dates it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yicai.evaluation.models import BOUND_TO, UNITS, DisciplineFigure, Measure, Scheme, Subject
from yicai.evaluation.queries.disciplines import growth
from yicai.people.models import Person
from yicai.recruitment.models import Application, Introduction
from yicai.recruitment.queries import COUNTED
from yicai.retention.models import Competition, Entrant, ServiceTask
from yicai.retention.reminders import REPORT_DAY
from yicai.training.models import CaseLog, MonthlyReport, Technique, Visit
from yicai.training.queries.education import below, requirement_for, with_credits

Figures = dict[int, Decimal]  # subject id -> the figure
# The records of a cycle (its first and last day), of every subject.
Source = Callable[[datetime.date, datetime.date], QuerySet[Any]]
# The field of the records (or an expression over them) naming what a subject is bound to.
Key = str | Expression
# Figures by that key from the records of the subjects asked, for a figure that is neither a
# count nor a sum: (records, the key's field, first day, last day) -> {key: figure}.
Tally = Callable[[QuerySet[Any], str, datetime.date, datetime.date], dict[int, Decimal]]

ZERO = Decimal(0)
KEY = "subject_key"  # the annotation an expression key is read through


@dataclass(frozen=True)
class Metric:
    """A count (or a sum of `amount`, or a `tally`) of the records `source` finds in a cycle,
    per subject by the key `by` names for the scheme's type of subject."""

    key: str
    label: str | Promise
    unit: str | Promise
    source: Source
    by: Mapping[str, Key]  # subject type -> the records' key for a subject of that type
    amount: str | None = None  # a field to add up; None: count the records
    tally: Tally | None = None  # figures other than a count or a sum
    empty: Decimal | None = ZERO  # a subject's figure without records; None: no data

    @property
    def subject_types(self) -> frozenset[str]:
        return frozenset(self.by)

    def compute(self, subjects: list[Subject], start: datetime.date, end: datetime.date) -> Figures:
        """Every subject's figure in one query (subjects of one scheme, loaded with it);
        subjects the metric cannot read are absent (no data)."""
        wanted: dict[str, dict[int, int]] = defaultdict(dict)  # type -> subject id -> its key
        for subject in subjects:
            bound = self._bound(subject)
            if bound is not None:
                wanted[subject.scheme.subject_type][subject.pk] = bound
        figures: Figures = {}
        for subject_type, keys in wanted.items():
            records, field = self._of(subject_type, set(keys.values()), start, end)
            found = self._tally(records, field, start, end)
            for subject_id, bound in keys.items():
                figure = found.get(bound, self.empty)
                if figure is not None:
                    figures[subject_id] = figure
        return figures

    def records(self, subject: Subject, start: datetime.date, end: datetime.date) -> QuerySet[Any]:
        """The records the subject's figure is computed from (none when it has no data)."""
        bound = self._bound(subject)
        if bound is None:
            return self.source(start, end).none()
        return self._of(subject.scheme.subject_type, {bound}, start, end)[0]

    def _bound(self, subject: Subject) -> int | None:
        """The id of what the subject is bound to, if the metric fits its type."""
        subject_type = subject.scheme.subject_type
        if subject_type not in self.by:
            return None
        bound: int | None = getattr(subject, f"{BOUND_TO[Scheme.SubjectType(subject_type)]}_id")
        return bound

    def _of(
        self, subject_type: str, keys: set[int], start: datetime.date, end: datetime.date
    ) -> tuple[QuerySet[Any], str]:
        """The cycle's records of the subjects bound to `keys`, and the field naming them."""
        key = self.by[subject_type]
        records = self.source(start, end)
        if isinstance(key, str):
            return records.filter(**{f"{key}__in": keys}), key
        return records.annotate(**{KEY: key}).filter(**{f"{KEY}__in": keys}), KEY

    def _tally(
        self, records: QuerySet[Any], field: str, start: datetime.date, end: datetime.date
    ) -> dict[int, Decimal]:
        if self.tally is not None:
            return self.tally(records, field, start, end)
        total = Sum(self.amount) if self.amount else Count("pk")
        rows = records.order_by().values(field).annotate(n=total).values_list(field, "n")
        return {key: Decimal(n or 0) for key, n in rows}


METRICS: dict[str, Metric] = {}


def metric(
    key: str,
    label: str | Promise,
    unit: str | Promise,
    by: Mapping[str, Key],
    *,
    amount: str | None = None,
    tally: Tally | None = None,
    empty: Decimal | None = ZERO,
) -> Callable[[Source], Source]:
    """Register the function as the metric `key`, for the subject types `by` names."""

    def register(source: Source) -> Source:
        unknown = set(by) - set(Scheme.SubjectType.values)
        if unknown or key in METRICS:
            raise ValueError(f"metric {key}: unknown subject types {unknown} or registered twice")
        METRICS[key] = Metric(key, label, unit, source, dict(by), amount, tally, empty)
        return source

    return register


EXPERT = Scheme.SubjectType.EXPERT
APPRENTICE = Scheme.SubjectType.APPRENTICE
MENTORSHIP = Scheme.SubjectType.MENTORSHIP
DEPARTMENT = Scheme.SubjectType.DEPARTMENT
LEADER = Scheme.SubjectType.LEADER
INSTITUTION = Scheme.SubjectType.INSTITUTION

# --- 育: experts' visits and apprentices' cases ----------------------------------------------

VISITS_BY: dict[str, Key] = {EXPERT: "expert_id", MENTORSHIP: "mentorship_id"}


def _visits(start: datetime.date, end: datetime.date) -> QuerySet[Visit]:
    # A visit dated after today is planned, not made (as the overview counts them).
    return Visit.objects.filter(held_on__range=(start, min(end, timezone.localdate())))


@metric("visits_made", _("来院次数"), _("次"), VISITS_BY)
def visits_made(start: datetime.date, end: datetime.date) -> QuerySet[Visit]:
    return _visits(start, end)


@metric("lectures", _("授课次数"), _("次"), VISITS_BY)
def lectures(start: datetime.date, end: datetime.date) -> QuerySet[Visit]:
    lecturing = [Visit.Kind.LECTURE, Visit.Kind.ONLINE_TEACHING]
    return _visits(start, end).filter(kind__in=lecturing)


@metric("guided_operations", _("手术指导台次"), _("台"), VISITS_BY, amount="operations")
def guided_operations(start: datetime.date, end: datetime.date) -> QuerySet[Visit]:
    return _visits(start, end).filter(kind=Visit.Kind.SURGERY_GUIDANCE)


@metric(
    "verified_independent_cases",
    _("经审核的独立完成病例"),
    _("例"),
    {APPRENTICE: "apprentice_id", MENTORSHIP: "mentorship_id"},
)
def verified_independent_cases(start: datetime.date, end: datetime.date) -> QuerySet[CaseLog]:
    return CaseLog.objects.filter(
        Q(verified_at__isnull=False) | Q(verified_on_paper=True),
        role=CaseLog.Role.INDEPENDENT,
        performed_on__range=(start, end),
    )


@metric(
    "gaps_filled",
    _("填补技术空白"),
    _("项"),
    {
        EXPERT: "mentorship__mentor_id",  # through the mentorship that brought the technique
        MENTORSHIP: "mentorship_id",
        DEPARTMENT: "department_id",
        INSTITUTION: "institution_id",
    },
)
def gaps_filled(start: datetime.date, end: datetime.date) -> QuerySet[Technique]:
    # The first verified independent case in the cycle: one in it and none before, the
    # registry's date (training.queries.mentoring.with_gap_dates) without its aggregate, so
    # the subjects' filter applies first.
    cases = CaseLog.objects.filter(
        technique=OuterRef("pk"), verified_at__isnull=False, role=CaseLog.Role.INDEPENDENT
    )
    return Technique.objects.filter(
        Exists(cases.filter(performed_on__range=(start, end))),
        ~Exists(cases.filter(performed_on__lt=start)),
    )


@metric(
    "reports_on_time",
    _("按时提交的进修月报"),
    _("份"),
    {APPRENTICE: "secondment__person_id", LEADER: "secondment__linked_leader_id"},
)
def reports_on_time(start: datetime.date, end: datetime.date) -> QuerySet[MonthlyReport]:
    # Months counted as year × 12 + month (in local time), so the due day reads the same on
    # every database: before the month after the report's, or in it by REPORT_DAY.
    return (
        MonthlyReport.objects.filter(month__range=(start, end))
        .alias(
            sent=ExtractYear("submitted_at") * 12 + ExtractMonth("submitted_at"),
            sent_day=ExtractDay("submitted_at"),
            due=ExtractYear("month") * 12 + ExtractMonth("month") + 1,
        )
        .filter(Q(sent__lt=F("due")) | Q(sent=F("due"), sent_day__lte=REPORT_DAY))
    )


@metric(
    "cme_credits_met",
    _("继续医学教育学分达标"),
    _("人"),
    {APPRENTICE: "pk", DEPARTMENT: "department_id", INSTITUTION: "institution_id"},
)
def cme_credits_met(start: datetime.date, end: datetime.date) -> QuerySet[Person]:
    year = end.year
    staff = Person.objects.filter(category=Person.Category.STAFF)
    return with_credits(staff, year).exclude(below(requirement_for(year)))


# --- 引: introductions and posts filled --------------------------------------------------


@metric(
    "introductions_made",
    _("人才引进人数"),
    _("人"),
    {DEPARTMENT: "department_id", INSTITUTION: "institution_id"},
)
def introductions_made(start: datetime.date, end: datetime.date) -> QuerySet[Introduction]:
    return Introduction.objects.filter(introduced_on__range=(start, end))


@metric(
    "posts_filled",
    _("招聘岗位聘用人数"),
    _("人"),
    {DEPARTMENT: "post__department_id", INSTITUTION: "post__plan__institution_id"},
)
def posts_filled(start: datetime.date, end: datetime.date) -> QuerySet[Application]:
    # Each hire fills one place of a post of an approved plan (recruitment's "filled").
    return Application.objects.filter(
        status=Application.Status.HIRED,
        hired_on__range=(start, end),
        post__plan__status__in=COUNTED,
    )


# --- 留: service tasks and competitions ---------------------------------------------------


@metric(
    "service_tasks_on_time",
    _("按时完成的服务任务"),
    _("项"),
    {INSTITUTION: "institution_id"},
)
def service_tasks_on_time(start: datetime.date, end: datetime.date) -> QuerySet[ServiceTask]:
    # Falling due in the cycle and done by the deadline (retention.queries.care.figures).
    return ServiceTask.objects.filter(
        due_on__range=(start, end), done_on__isnull=False, done_on__lte=F("deadline")
    )


TOP_RANK = 3


@metric(
    "competition_top_three",
    _("技能竞赛前三名"),
    _("次"),
    {
        # Each member of a team has the team's place (as incentive rules read it).
        APPRENTICE: Coalesce("person", "members", output_field=BigIntegerField()),
        INSTITUTION: "institution_id",
    },
)
def competition_top_three(start: datetime.date, end: datetime.date) -> QuerySet[Entrant]:
    return Entrant.objects.filter(
        competition__status=Competition.Status.FINISHED,
        competition__held_on__range=(start, end),
        rank__lte=TOP_RANK,
    )


# --- 用: disciplines' yearly figures ------------------------------------------------------

DISCIPLINES: dict[str, Key] = {
    DEPARTMENT: "department_id",
    INSTITUTION: "department__institution_id",
}


def _growth(
    records: QuerySet[Any], field: str, start: datetime.date, end: datetime.date
) -> dict[int, Decimal]:
    """The change of the cycle's year on the year before, per key (see the module's rules)."""
    years: dict[int, dict[int, int]] = defaultdict(dict)
    rows = records.order_by().values(field, "year").annotate(total=Sum("value"))
    for key, year, total in rows.values_list(field, "year", "total"):
        years[key][year] = total
    changes = {
        key: growth(by_year.get(end.year - 1), by_year.get(end.year))
        for key, by_year in years.items()
    }
    return {key: change for key, change in changes.items() if change is not None}


def _discipline_metrics(measure: Measure) -> None:
    """A measure's volume in the cycle's year and its growth on the year before."""

    @metric(
        f"volume_{measure.value}",
        format_lazy(_("年度{measure}"), measure=measure.label),
        UNITS[measure],
        DISCIPLINES,
        amount="value",
        empty=None,
    )
    def volume(start: datetime.date, end: datetime.date) -> QuerySet[DisciplineFigure]:
        return DisciplineFigure.objects.filter(measure=measure, year=end.year)

    @metric(
        f"growth_{measure.value}",
        format_lazy(_("{measure}较上年增长"), measure=measure.label),
        "%",
        DISCIPLINES,
        tally=_growth,
        empty=None,
    )
    def growth_on_year(start: datetime.date, end: datetime.date) -> QuerySet[DisciplineFigure]:
        return DisciplineFigure.objects.filter(measure=measure, year__in=[end.year - 1, end.year])


for _measure in Measure:
    _discipline_metrics(_measure)
