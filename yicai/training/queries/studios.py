"""Expert studios and their yearly figures."""

import datetime
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import containing, narrowed, period_meets
from yicai.org.models import Institution
from yicai.training.models import (
    ExpertStudio,
    StudioFunding,
    StudioMember,
    StudioSubsidy,
    StudioTier,
)


class StudioFigures(TypedDict):
    year: int
    studios: int
    by_tier: dict[str, int]
    subsidy_due: Decimal
    funding_recorded: Decimal


class SubsidyRow(TypedDict):
    tier: str
    label: StrOrPromise
    amount: Decimal | None


STUDIO_OUT_OF_SCOPE = gettext_lazy("所选工作室不存在或不在您的管辖范围内。")


def studios_for(user: RequestUser, permission: str = "training.view") -> QuerySet[ExpertStudio]:
    return scoped(
        user,
        ExpertStudio.objects.select_related("lead", "institution", "department"),
        permission,
    )


def running_in(year: int) -> Q:
    """Studios running at some time in a year: founded by its end, not closed before it."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return period_meets("founded_on", "closed_on", start, end)


def studio_list(
    user: RequestUser,
    *,
    q: str = "",
    tier: str = "",
    institution: Institution | None = None,
    year: int | None = None,
    permission: str | None = None,
) -> QuerySet[ExpertStudio]:
    """Studios by name or lead, tier and institution, and those running in a year."""
    studios = narrowed(
        studios_for(user, permission or "training.view"),
        containing(q, "name", "lead__name"),
        tier=tier,
        institution=institution,
    )
    if year is not None:
        studios = studios.filter(running_in(year))
    return studios.annotate(member_count=Count("members", distinct=True)).order_by(
        "institution__name", "name"
    )


def studio_figures(user: RequestUser, year: int, institution: int | None = None) -> StudioFigures:
    """The studios running in a year (of one institution, if given), by tier, with the
    subsidy their tiers are due and the money recorded for that year: the figures the sources
    quote ("21 studios, national 200,000 a year ...")."""
    running = narrowed(studios_for(user).filter(running_in(year)), institution_id=institution)
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


def studios_with_members(
    user: RequestUser, permission: str = "training.view"
) -> QuerySet[ExpertStudio]:
    """The studio list's rows, each with its members (one query for a page)."""
    members = StudioMember.objects.select_related("person").order_by("joined_on", "id")
    return studio_list(user, permission=permission).prefetch_related(
        Prefetch("members", queryset=members)
    )


# --- One studio: its members and yearly money; the subsidy table -----------------------------


def studio_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> ExpertStudio:
    return get_for(user, studios_for(user, permission), pk, permission)


def studio_members(studio: ExpertStudio) -> QuerySet[StudioMember]:
    return (
        StudioMember.objects.filter(studio=studio)
        .select_related("person__institution")
        .order_by("joined_on", "id")
    )


def studio_fundings(studio: ExpertStudio) -> QuerySet[StudioFunding]:
    return StudioFunding.objects.filter(studio=studio).order_by("-year")


def studio_member_for(
    user: RequestUser, studio_pk: int | str, pk: int | str, permission: str = "training.edit"
) -> StudioMember:
    """A member of a studio the user may reach with `permission`; 404 otherwise."""
    return get_object_or_404(studio_members(studio_for(user, studio_pk, permission)), pk=pk)


def studio_funding_for(
    user: RequestUser, studio_pk: int | str, pk: int | str, permission: str = "training.edit"
) -> StudioFunding:
    """A year's funding of a studio the user may reach with `permission`; 404 otherwise."""
    studio = studio_for(user, studio_pk, permission)
    return get_object_or_404(studio_fundings(studio).select_related("studio"), pk=pk)


def subsidy_table() -> list[SubsidyRow]:
    """Every tier with its yearly subsidy (None where the commission has set none)."""
    amounts = dict(StudioSubsidy.objects.values_list("tier", "yearly_amount"))
    return [
        {"tier": tier, "label": label, "amount": amounts.get(tier)}
        for tier, label in StudioTier.choices
    ]
