"""Flexibly introduced teams and how many are working in a year."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import containing, narrowed, period_meets
from yicai.org.models import Institution
from yicai.training.models import FlexibleTeam, FlexibleTeamMember


def teams_for(user: RequestUser, permission: str = "training.view") -> QuerySet[FlexibleTeam]:
    return scoped(
        user,
        FlexibleTeam.objects.select_related("lead", "source", "institution", "department"),
        permission,
    )


def team_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> FlexibleTeam:
    return get_for(user, teams_for(user, permission), pk, permission)


def working_on(day: datetime.date) -> Q:
    return period_meets("introduced_on", "ended_on", day, day)


def team_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    current: str = "",
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[FlexibleTeam]:
    """Teams by name, lead or source hospital and institution; `current`: those working on
    `as_of` (today by default)."""
    teams = narrowed(
        teams_for(user, permission or "training.view"),
        containing(q, "name", "lead__name", "source__name"),
        institution=institution,
    )
    if current:
        teams = teams.filter(working_on(as_of or timezone.localdate()))
    return teams.annotate(member_count=Count("members", distinct=True)).order_by(
        "institution__name", "name"
    )


def team_member_for(
    user: RequestUser, team_pk: int | str, pk: int | str, permission: str = "training.edit"
) -> FlexibleTeamMember:
    """A member of a team the user may reach with `permission`; 404 otherwise."""
    return get_object_or_404(team_members_of(team_for(user, team_pk, permission)), pk=pk)


def team_members_of(team: FlexibleTeam) -> QuerySet[FlexibleTeamMember]:
    return team.members.select_related("person__institution").order_by("person__name_initials")
