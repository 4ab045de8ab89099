"""Expert studios and their yearly figures."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from yicai.access.scope import scoped
from yicai.training.models import (
    ExpertStudio,
    StudioFunding,
    StudioSubsidy,
    StudioTier,
)


def studios_for(user, permission: str = "training.view") -> QuerySet:
    return scoped(
        user,
        ExpertStudio.objects.select_related("lead", "institution", "department"),
        permission,
    )


def studio_list(user, *, q: str = "", tier: str = "", institution=None, permission=None):
    studios = studios_for(user, permission or "training.view")
    if q:
        studios = studios.filter(Q(name__icontains=q) | Q(lead__name__icontains=q))
    if tier:
        studios = studios.filter(tier=tier)
    if institution is not None:
        studios = studios.filter(institution=institution)
    return studios.annotate(member_count=Count("members", distinct=True)).order_by(
        "institution__name", "name"
    )


def studio_figures(user, year: int) -> dict:
    """The studios running in a year, by tier, with the subsidy their tiers are due and the
    money recorded for that year: the figures the sources quote ("21 studios, national 200,000
    a year ...")."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    running = (
        studios_for(user)
        .filter(founded_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    )
    by_tier = dict(running.values_list("tier").annotate(n=Count("pk")).order_by())
    amounts = dict(StudioSubsidy.objects.values_list("tier", "yearly_amount"))
    due = sum((amounts.get(tier, Decimal(0)) * n for tier, n in by_tier.items()), Decimal(0))
    recorded = StudioFunding.objects.filter(studio__in=running, year=year).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    return {
        "year": year,
        "studios": sum(by_tier.values()),
        "by_tier": {tier: by_tier.get(tier, 0) for tier in StudioTier.values},
        "subsidy_due": due,
        "funding_recorded": recorded,
    }
