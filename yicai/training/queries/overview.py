"""The cultivation overview: the figures the commission reports ("29 mentor pairs, 21 studios,
68 expert visits, 8 technical gaps filled"), each counted from the records the user may see,
for a period (what happened) and on a day (what was under way)."""

import datetime
from decimal import Decimal
from typing import TypedDict

from django.utils import timezone

from yicai.access.models import RequestUser
from yicai.access.scope import scoped
from yicai.training.models import Apprenticeship, CaseLog, Mentorship
from yicai.training.queries.activity import consultations_for, visit_counts, visits_for
from yicai.training.queries.mentoring import first_in_region, gaps_filled, mentorships_on
from yicai.training.queries.secondments import secondment_figures
from yicai.training.queries.studios import studio_figures
from yicai.training.queries.teams import teams_for, working_on


class Periods(TypedDict):
    since: datetime.date
    until: datetime.date
    held_until: datetime.date
    as_of: datetime.date
    year: int


class Overview(Periods):
    mentorships: int
    pairs: int
    external_mentor_pairs: int
    studios: int
    studios_by_tier: dict[str, int]
    studio_subsidy_due: Decimal
    studio_funding_recorded: Decimal
    visits: int
    planned_visits: int
    consultations: int
    gaps_filled: int
    gaps_filled_first_in_region: int
    verified_independent_cases: int
    active_secondments: int
    reports_awaiting_comment: int
    open_needs: int
    flexible_teams: int


def periods(
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    as_of: datetime.date | None = None,
    year: int | None = None,
) -> Periods:
    """The overview's dates, defaults filled: activity from `since` (1 January of `until`'s
    year) to `until` (today, or a day in the past); what was under way on `as_of` (today);
    the studios' money of `year` (`as_of`'s year). Held visits and consultations end today
    whatever `until` says (later ones are only planned): `held_until`."""
    today = timezone.localdate()
    until = until or today
    as_of = as_of or today
    return {
        "since": since or until.replace(month=1, day=1),
        "until": until,
        "held_until": min(until, today),
        "as_of": as_of,
        "year": year or as_of.year,
    }


def overview(
    user: RequestUser,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    as_of: datetime.date | None = None,
    year: int | None = None,
) -> Overview:
    """Every figure of the overview page and its API, for the dates of `periods`."""
    dates = periods(since, until, as_of, year)
    since, until, held_until, as_of = (
        dates["since"],
        dates["until"],
        dates["held_until"],
        dates["as_of"],
    )
    today = timezone.localdate()
    mentorships = scoped(user, Mentorship.objects.all()).filter(mentorships_on(as_of))
    pairs = Apprenticeship.objects.filter(mentorship__in=mentorships)
    gaps = list(gaps_filled(user, since=since, until=until).select_related("institution"))
    cases = scoped(user, CaseLog.objects.all()).filter(
        role=CaseLog.Role.INDEPENDENT,
        verified_at__isnull=False,
        performed_on__gte=since,
        performed_on__lte=until,
    )
    consultations = consultations_for(user).filter(held_on__gte=since, held_on__lte=held_until)
    studios = studio_figures(user, dates["year"])
    secondments = secondment_figures(user, as_of)
    return {
        **dates,
        "mentorships": mentorships.count(),
        "pairs": pairs.count(),
        "external_mentor_pairs": pairs.filter(mentorship__kind=Mentorship.Kind.EXTERNAL).count(),
        "studios": studios["studios"],
        "studios_by_tier": studios["by_tier"],
        "studio_subsidy_due": studios["subsidy_due"],
        "studio_funding_recorded": studios["funding_recorded"],
        "visits": visit_counts(user, since=since, until=until)["total"],
        "planned_visits": visits_for(user).filter(held_on__gt=today).count(),
        "consultations": consultations.count(),
        "gaps_filled": len(gaps),
        "gaps_filled_first_in_region": len(first_in_region(gaps)),
        "verified_independent_cases": cases.count(),
        "active_secondments": secondments["active"],
        "reports_awaiting_comment": secondments["awaiting_comment"],
        "open_needs": secondments["open_needs"],
        "flexible_teams": teams_for(user).filter(working_on(as_of)).count(),
    }
