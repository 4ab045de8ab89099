"""Scoped reads of skill competitions; a competition's standings, computed from the judges'
scores (a round's score is its judges' mean, without the highest and lowest where the
competition says so; the final score the rounds' weighted sum; equal finals share a rank)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from yicai.access.models import RequestUser
from yicai.access.scope import commission_regions, get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.org.queries import institutions_for
from yicai.retention.models import Competition, CompetitionRound, Entrant, Score

VIEW, EDIT = "retention.view", "retention.edit"
CENT = Decimal("0.01")
TRIM_FROM = 5  # judges a round needs before its highest and lowest score are set aside


def competitions_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Competition]":
    return scoped(user, Competition.objects.select_related("institution"), permission)


def competition_for(user: RequestUser, pk: object, permission: str = VIEW) -> Competition:
    return get_for(user, competitions_for(user, permission), pk, permission)


def organised_by(user: RequestUser) -> "QuerySet[Competition]":
    """The competitions the user runs: their institution's, and their commission's own."""
    regions = commission_regions(user, EDIT)
    return competitions_for(user, EDIT).filter(
        Q(institution__in=institutions_for(user, EDIT))
        | Q(institution__isnull=True, region__in=regions)
    )


def competition_list(
    user: RequestUser,
    *,
    q: str = "",
    level: str = "",
    status: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[Competition]":
    # The model's ordering again: a query with an aggregate drops it (pages would shift).
    return (
        narrowed(
            competitions_for(user, permission or VIEW),
            containing(q, "name", "specialty"),
            between("held_on", since, until),
            level=level,
            status=status,
        )
        .annotate(entrant_count=Count("entrants"))
        .order_by("-held_on", "id")
    )


@dataclass
class Standing:
    entrant: Entrant
    rounds: dict[int, Decimal | None]  # round id -> its score (None: not scored)
    final: Decimal | None
    rank: int | None


def _mean(scores: list[Decimal], trim: bool) -> Decimal:
    if trim and len(scores) >= TRIM_FROM:
        scores = sorted(scores)[1:-1]
    return (sum(scores, Decimal(0)) / len(scores)).quantize(CENT, ROUND_HALF_UP)


def standings(competition: Competition) -> list[Standing]:
    """Every entrant with their round scores, final score and rank, best first, in three
    queries; an entrant missing a round's scores has no final score and no rank yet."""
    rounds = list(competition.rounds.all())
    entrants = list(
        competition.entrants.select_related("person", "institution").prefetch_related("members")
    )
    given: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for round_id, entrant_id, score in Score.objects.filter(
        round__competition=competition
    ).values_list("round_id", "entrant_id", "score"):
        given[(round_id, entrant_id)].append(score)
    table = []
    for entrant in entrants:
        by_round: dict[int, Decimal | None] = {
            r.pk: _mean(given[(r.pk, entrant.pk)], competition.trim_extremes)
            if given[(r.pk, entrant.pk)]
            else None
            for r in rounds
        }
        final = None
        if rounds and all(value is not None for value in by_round.values()):
            final = sum(
                (by_round[r.pk] * r.weight / 100 for r in rounds),  # type: ignore[operator]
                Decimal(0),
            ).quantize(CENT, ROUND_HALF_UP)
        table.append(Standing(entrant, by_round, final, None))
    ranked = sorted((s for s in table if s.final is not None), key=lambda s: -s.final)  # type: ignore[operator]
    for position, standing in enumerate(ranked, start=1):
        before = ranked[position - 2] if position > 1 else None
        standing.rank = before.rank if before and before.final == standing.final else position
    unranked = [s for s in table if s.final is None]
    return ranked + unranked


def rounds_of(competition: Competition) -> list[CompetitionRound]:
    return list(competition.rounds.all())
