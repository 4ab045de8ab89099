"""The cultivation overview: the figures the commission reports ("29 mentor pairs, 21 studios,
68 expert visits, 8 technical gaps filled"), each counted from the records the user may see."""

import datetime

from django.utils import timezone

from yicai.access.scope import scoped
from yicai.training.models import Apprenticeship, CaseLog, Mentorship
from yicai.training.queries.activity import consultations_for, visit_counts, visits_for
from yicai.training.queries.mentoring import first_in_region, gaps_filled
from yicai.training.queries.secondments import secondment_figures
from yicai.training.queries.studios import studio_figures
from yicai.training.queries.teams import teams_for, working_on


def overview(user, since: datetime.date | None = None, year: int | None = None) -> dict:
    """Every figure of the overview page and its API. `since` (default: 1 January of this
    year) bounds the activity counts; `year` (default: this year) the studios' money."""
    today = timezone.localdate()
    since = since or today.replace(month=1, day=1)
    year = year or today.year
    mentorships = scoped(user, Mentorship.objects.all()).filter(status=Mentorship.Status.ACTIVE)
    pairs = Apprenticeship.objects.filter(mentorship__in=mentorships)
    gaps = list(gaps_filled(user, since=since).select_related("institution"))
    cases = scoped(user, CaseLog.objects.all()).filter(
        role=CaseLog.Role.INDEPENDENT, verified_at__isnull=False, performed_on__gte=since
    )
    consultations = consultations_for(user).filter(held_on__gte=since, held_on__lte=today)
    studios = studio_figures(user, year)
    secondments = secondment_figures(user, today)
    return {
        "since": since,
        "year": year,
        "mentorships": mentorships.count(),
        "pairs": pairs.count(),
        "external_mentor_pairs": pairs.filter(mentorship__kind=Mentorship.Kind.EXTERNAL).count(),
        "studios": studios["studios"],
        "studios_by_tier": studios["by_tier"],
        "studio_subsidy_due": studios["subsidy_due"],
        "studio_funding_recorded": studios["funding_recorded"],
        "visits": visit_counts(user, since=since)["total"],
        "planned_visits": visits_for(user).filter(held_on__gt=today).count(),
        "consultations": consultations.count(),
        "gaps_filled": len(gaps),
        "gaps_filled_first_in_region": len(first_in_region(gaps)),
        "verified_independent_cases": cases.count(),
        "active_secondments": secondments["active"],
        "reports_awaiting_comment": secondments["awaiting_comment"],
        "open_needs": secondments["open_needs"],
        "flexible_teams": teams_for(user).filter(working_on(today)).count(),
    }
