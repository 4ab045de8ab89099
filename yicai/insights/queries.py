"""Figures for the home page, each counted from scoped records."""

from django.db.models import Count, Q
from django.utils import timezone

from yicai.org.queries import institutions_for
from yicai.people.queries import AGE_BAND_LABELS, AGE_BANDS, birth_range, people_for


def home_figures(user) -> dict:
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
