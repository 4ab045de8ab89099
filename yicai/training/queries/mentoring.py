"""Techniques, case logs and the gaps they fill (derived from verified independent cases)."""

import datetime

from django.db.models import Count, Min, Q, QuerySet

from yicai.access.scope import get_for, scoped
from yicai.training.models import (
    CaseLog,
    Technique,
)

VERIFIED = Q(case_logs__verified_at__isnull=False)
INDEPENDENT = Q(case_logs__role=CaseLog.Role.INDEPENDENT)


def techniques_for(user, permission: str = "training.view") -> QuerySet:
    """The techniques the user may see, each with `gap_filled_on`: the date of its first
    verified independent case, or None while it has none."""
    return with_gap_dates(
        scoped(user, Technique.objects.select_related("institution", "department"), permission)
    )


def with_gap_dates(techniques: QuerySet) -> QuerySet:
    return techniques.annotate(
        gap_filled_on=Min("case_logs__performed_on", filter=VERIFIED & INDEPENDENT)
    )


def gaps_filled(user, since: datetime.date | None = None) -> QuerySet:
    """Techniques an institution performed independently for the first time (填补技术空白),
    optionally since a date."""
    techniques = techniques_for(user).filter(gap_filled_on__isnull=False)
    if since is not None:
        techniques = techniques.filter(gap_filled_on__gte=since)
    return techniques


def first_in_region(techniques) -> set[int]:
    """Of the given techniques, the gaps that were also the region's: no institution of the
    same commission region had filled a technique of that name before (the same day counts
    for both). Compared across the whole region, whoever asks; only the answer is shown."""
    filled = [t for t in techniques if t.gap_filled_on is not None]
    keys = {(t.institution.commission_region_id, t.name.casefold()) for t in filled}
    regions = {region for region, _name in keys}
    earliest: dict[tuple, datetime.date] = {}
    rows = (
        with_gap_dates(Technique.objects.filter(institution__commission_region__in=regions))
        .filter(gap_filled_on__isnull=False)
        .values_list("institution__commission_region", "name", "gap_filled_on")
    )
    for region, name, filled_on in rows:
        key = (region, name.casefold())
        if key in keys and (key not in earliest or filled_on < earliest[key]):
            earliest[key] = filled_on
    return {
        t.pk
        for t in filled
        if t.gap_filled_on <= earliest[(t.institution.commission_region_id, t.name.casefold())]
    }


def case_progress(person) -> list[dict]:
    """Per technique, the person's verified cases by entrustment level ("10 verified
    independent cases"), unverified ones counted apart."""
    rows = (
        CaseLog.objects.filter(apprentice=person)
        .values("technique_id", "technique__name")
        .annotate(
            observed=_count(CaseLog.Role.OBSERVED),
            assisted=_count(CaseLog.Role.ASSISTED),
            supervised=_count(CaseLog.Role.SUPERVISED),
            independent=_count(CaseLog.Role.INDEPENDENT),
            unverified=Count("pk", filter=Q(verified_at__isnull=True)),
        )
        .order_by("technique__name")
    )
    return list(rows)


def _count(role: str) -> Count:
    return Count("pk", filter=Q(role=role, verified_at__isnull=False))


def case_logs_for(user, permission: str = "training.view") -> QuerySet:
    return scoped(
        user,
        CaseLog.objects.select_related(
            "apprentice", "technique__institution", "supervisor", "mentorship__mentor"
        ),
        permission,
    )


def case_list(user, *, q: str = "", role: str = "", verified: str = "", permission=None):
    cases = case_logs_for(user, permission or "training.view")
    if q:
        cases = cases.filter(Q(apprentice__name__icontains=q) | Q(technique__name__icontains=q))
    if role:
        cases = cases.filter(role=role)
    if verified:
        cases = cases.filter(verified_at__isnull=verified != "yes")
    return cases.order_by("-performed_on", "-id")


def case_log_for(user, pk, permission: str = "training.view") -> CaseLog:
    return get_for(user, case_logs_for(user, permission), pk, permission)


def technique_list(
    user, *, q: str = "", institution=None, status: str = "", gap: str = "", permission=None
):
    techniques = techniques_for(user, permission or "training.view")
    if q:
        techniques = techniques.filter(name__icontains=q)
    if institution is not None:
        techniques = techniques.filter(institution=institution)
    if status:
        techniques = techniques.filter(status=status)
    if gap:
        techniques = techniques.filter(gap_filled_on__isnull=gap != "yes")
    return techniques.annotate(
        verified_independent=Count("case_logs", filter=VERIFIED & INDEPENDENT)
    ).order_by("institution__name", "name")
