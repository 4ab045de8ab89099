"""Figures for the home page, each counted from scoped records; the WISN studies' reads.

A scope of up to LIVE_LIMIT people (a hospital, a department) is counted on every visit, so
its figures are exact. A larger one (a commission's district at a province's scale, where
counting a million people takes seconds) is counted in the background and kept: the page
shows the kept figures with the time they were counted ("as_of"), and a visit to figures
older than FRESH, or from another day, asks for a recount. Only the very first visit of such
a scope waits for the count.
"""

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from yicai.access.models import RequestUser, User
from yicai.access.scope import get_for, has_perm, scoped
from yicai.codes.models import Code
from yicai.codes.queries import codes_of
from yicai.insights import wisn
from yicai.insights.models import FigureSnapshot, WisnActivity, WisnAllowance, WisnStudy
from yicai.lookups import containing, narrowed
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.people.models import Person
from yicai.people.queries import AGE_BAND_LABELS, AGE_BANDS, birth_range, people_for

LIVE_LIMIT = 20_000
FRESH = datetime.timedelta(minutes=10)


def home_figures(user: RequestUser) -> dict[str, Any]:
    people = people_for(user)
    if people.order_by().values("pk")[: LIVE_LIMIT + 1].count() <= LIVE_LIMIT:
        return {**_count(user), "as_of": None}
    snapshot = FigureSnapshot.objects.filter(key=scope_key(user)).first()
    if snapshot is None:
        snapshot = recount(user)
    now = timezone.now()
    stale = now - snapshot.computed_at > FRESH or timezone.localdate(
        snapshot.computed_at
    ) != timezone.localdate(now)
    # Only an account reaches here: an anonymous visitor's scope is empty, counted live.
    recount_due = snapshot.requested_at is None or now - snapshot.requested_at > FRESH
    if stale and recount_due and isinstance(user, User):
        from yicai.insights.tasks import recount_home_figures

        FigureSnapshot.objects.filter(pk=snapshot.pk).update(requested_at=now)
        recount_home_figures.enqueue(user.pk)
        snapshot.refresh_from_db()
    return {**snapshot.figures, "as_of": snapshot.computed_at}


def recount(user: RequestUser) -> FigureSnapshot:
    """Count the user's scope now and keep the figures for everyone with that scope."""
    started = timezone.now()
    snapshot, _created = FigureSnapshot.objects.update_or_create(
        key=scope_key(user),
        defaults={"figures": _count(user), "computed_at": started, "requested_at": None},
    )
    return snapshot


def scope_key(user: RequestUser) -> str:
    scope = f"{people_for(user).query}|{institutions_for(user).query}"
    return hashlib.sha256(scope.encode()).hexdigest()


def _count(user: RequestUser) -> dict[str, Any]:
    people = people_for(user)
    today = timezone.localdate()
    totals = people.aggregate(
        total=Count("pk"),
        senior=Count("pk", filter=Q(title_grade__in=["senior", "associate_senior"])),
        postgraduate=Count(
            "pk", filter=Q(highest_education__parent__code="10") | Q(highest_education__code="10")
        ),
    )
    tagged = (
        people.filter(tags__valid_from__lte=today)
        .filter(Q(tags__valid_to__isnull=True) | Q(tags__valid_to__gte=today))
        .values("tags__tag_id", "tags__tag__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")
    )
    institutions = institutions_for(user).aggregate(
        managed=Count("pk", filter=Q(relation="managed")),
        partner=Count("pk", filter=Q(relation="partner")),
    )
    grades = people.exclude(title_grade="").values("title_grade").annotate(n=Count("pk"))
    by_institution = (
        people.exclude(institution=None)
        .values("institution_id", "institution__short_name", "institution__name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:15]
    )
    ages = people.aggregate(
        **{band: Count("pk", filter=Q(birth_date__range=birth_range(band))) for band in AGE_BANDS}
    )
    return {
        **totals,
        **institutions,
        "tags": list(tagged),
        "grades": {row["title_grade"]: row["n"] for row in grades},
        "chart": {
            "institutions": [
                row["institution__short_name"] or row["institution__name"] for row in by_institution
            ],
            "institution_counts": [row["n"] for row in by_institution],
            "institution_ids": [row["institution_id"] for row in by_institution],
            "age_bands": [str(AGE_BAND_LABELS[band]) for band in AGE_BANDS],
            "age_counts": [ages[band] for band in AGE_BANDS],
            "age_band_keys": list(AGE_BANDS),
        },
    }


# --- WISN studies --------------------------------------------------------------------------

VIEW, EDIT, EXPORT = "insights.view", "insights.edit", "insights.export"


def studies_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[WisnStudy]":
    return scoped(
        user,
        WisnStudy.objects.select_related("institution", "department", "staff_category"),
        permission,
    )


def study_for(user: RequestUser, pk: object, permission: str = VIEW) -> WisnStudy:
    return get_for(user, studies_for(user, permission), pk, permission)


def study_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    staff_category: Code | None = None,
    year: int | None = None,
    permission: str | None = None,
) -> "QuerySet[WisnStudy]":
    """Studies by department name, institution, staff category and year, each with its
    activities and allowances (two queries for a page, whatever it holds) for its result."""
    studies = narrowed(
        studies_for(user, permission or VIEW),
        containing(q, "department__name", "note"),
        institution=institution,
        staff_category=staff_category,
        year=year,
    )
    return studies.prefetch_related("activities", "allowances").order_by(
        "-year", "institution__name", "department__name", "id"
    )


def plannable_departments(user: RequestUser) -> "QuerySet[Department]":
    """The departments of managed institutions the user may plan the staffing of."""
    return (
        departments_for(user, EDIT)
        .filter(institution__relation=Institution.Relation.MANAGED)
        .order_by("institution__name", "name")
    )


def study_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The institutions a list of studies may be filtered by: the managed ones the user sees."""
    return institutions_for(user).filter(relation=Institution.Relation.MANAGED)


def staff_categories() -> "QuerySet[Code]":
    """The personnel categories (从事专业类别: 执业医师, 注册护士, 检验技师 ...)."""
    return codes_of("personnel_category")


def study_inputs(
    study: WisnStudy,
    activities: "Iterable[WisnActivity] | None" = None,
    allowances: "Iterable[WisnAllowance] | None" = None,
) -> wisn.Study:
    """The study as the calculation reads it: with its own activities and allowances (as
    prefetched, else two queries), or with the rows given (a change the services check).
    A row missing a figure is left out: the model's check names the field."""
    rows = list(study.allowances.all() if allowances is None else allowances)
    category = [a for a in rows if a.kind == WisnAllowance.Kind.CATEGORY]
    individual = [a for a in rows if a.kind == WisnAllowance.Kind.INDIVIDUAL]
    return wisn.Study(
        working_time=wisn.WorkingTime(
            days_a_week=study.days_a_week,
            hours_a_day=study.hours_a_day,
            public_holidays=study.public_holidays,
            annual_leave=study.annual_leave,
            sick_leave=study.sick_leave,
            other_leave=study.other_leave,
            training_days=study.training_days,
        ),
        activities=[
            wisn.Activity(a.name, a.minutes_per_unit, a.annual_workload, a)
            for a in (study.activities.all() if activities is None else activities)
            if a.minutes_per_unit is not None and a.annual_workload is not None
        ],
        category_allowances=[
            wisn.CategoryAllowance(a.name, a.percent, a.hours_per_year, a) for a in category
        ],
        individual_allowances=[
            wisn.IndividualAllowance(a.name, a.hours_per_year, a.staff, a)
            for a in individual
            if a.hours_per_year is not None and a.staff is not None
        ],
        current_staff=study.current_staff,
    )


def study_result(study: WisnStudy) -> wisn.Result | None:
    """The study's calculation; None for inputs it cannot be made with (the services refuse
    them, so only rows written around them)."""
    try:
        return wisn.calculate(study_inputs(study))
    except ValidationError:
        return None


def staff_on_file(user: RequestUser, study: WisnStudy) -> int | None:
    """The people of the study's department and category on file now, as the user sees them
    (None for a user who sees no people): beside the staff entered, for comparison. The
    records hold no headcount as of a past day, so this is today's."""
    if not has_perm(user, "person.view"):
        return None
    return (
        people_for(user)
        .filter(
            department=study.department,
            personnel_category=study.staff_category,
            category=Person.Category.STAFF,
        )
        .count()
    )
