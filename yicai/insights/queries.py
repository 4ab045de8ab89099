"""Figures for the home page, each counted from scoped records.

A scope of up to LIVE_LIMIT people (a hospital, a department) is counted on every visit, so
its figures are exact. A larger one (a commission's district at a province's scale, where
counting a million people takes seconds) is counted in the background and kept: the page
shows the kept figures with the time they were counted ("as_of"), and a visit to figures
older than FRESH, or from another day, asks for a recount. Only the very first visit of such
a scope waits for the count.
"""

import datetime
import hashlib
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from yicai.access.models import RequestUser, User
from yicai.insights.models import FigureSnapshot
from yicai.org.queries import institutions_for
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
