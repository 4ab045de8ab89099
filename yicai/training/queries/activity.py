"""Expert visits (held and planned) and consultations."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from yicai.access.scope import scoped
from yicai.training.models import (
    Consultation,
    Visit,
)


def visits_for(user, permission: str = "training.view") -> QuerySet:
    return scoped(
        user,
        Visit.objects.select_related("expert", "institution", "department", "studio"),
        permission,
    )


def visit_list(user, *, q: str = "", kind: str = "", since=None, until=None, permission=None):
    visits = visits_for(user, permission or "training.view")
    if q:
        visits = visits.filter(Q(expert__name__icontains=q) | Q(institution__name__icontains=q))
    if kind:
        visits = visits.filter(kind=kind)
    if since is not None:
        visits = visits.filter(held_on__gte=since)
    if until is not None:
        visits = visits.filter(held_on__lte=until)
    return visits.order_by("-held_on", "-id")


def visit_counts(user, since: datetime.date | None = None) -> dict:
    """Visits held (not those still planned), since a date if given: in all, and per expert,
    studio, institution and month. "68 expert visits since October" comes from here."""
    held = visits_for(user).filter(held_on__lte=timezone.localdate())
    if since is not None:
        held = held.filter(held_on__gte=since)

    def per(*fields) -> list[dict]:
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


def consultations_for(user, permission: str = "training.view") -> QuerySet:
    return scoped(
        user,
        Consultation.objects.select_related("expert", "requester", "institution"),
        permission,
    )
