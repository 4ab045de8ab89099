"""Skill competitions: set up (rounds and their weights, entrants), scored by judges round by
round, and finished: ranks (ties share one) and honours frozen on the entrants."""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.org.models import Institution, Region
from yicai.people.models import Person
from yicai.retention.models import Competition, CompetitionRound, Entrant, Score
from yicai.retention.queries.competitions import standings
from yicai.validation import full_clean_or_raise

HUNDRED = Decimal("100")


@transaction.atomic
def competition_create(
    *,
    by: RequestUser | None,
    region: Region,
    name: str,
    specialty: str,
    level: str,
    held_on: datetime.date,
    institution: Institution | None = None,
    teams: bool = False,
    trim_extremes: bool = False,
    note: str = "",
) -> Competition:
    if institution is not None and institution.commission_region_id != region.pk:
        raise ValidationError({"institution": _("该机构不属于本辖区。")})
    competition = Competition(
        region=region,
        institution=institution,
        name=name.strip(),
        specialty=specialty.strip(),
        level=level,
        held_on=held_on,
        teams=teams,
        trim_extremes=trim_extremes,
        note=note.strip(),
    )
    full_clean_or_raise(competition)
    competition.save()
    return competition


def _open(competition: Competition) -> Competition:
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if competition.status != Competition.Status.OPEN:
        raise ValidationError({"status": _("竞赛已结束，成绩不能再修改。")})
    return competition


@transaction.atomic
def round_add(
    *,
    competition: Competition,
    by: RequestUser | None,
    name: str,
    weight: Decimal,
    full_marks: Decimal = HUNDRED,
    order: int | None = None,
) -> CompetitionRound:
    competition = _open(competition)
    taken = sum((r.weight for r in competition.rounds.all()), Decimal(0))
    if taken + weight > HUNDRED:
        raise ValidationError(
            {"weight": _("各环节权重之和不能超过 100%%（已有 %s%%）。") % f"{taken.normalize():f}"}
        )
    round_ = CompetitionRound(
        competition=competition,
        name=name.strip(),
        weight=weight,
        full_marks=full_marks,
        order=order or competition.rounds.count() + 1,
    )
    full_clean_or_raise(round_)
    round_.save()
    return round_


@transaction.atomic
def entrant_add(
    *,
    competition: Competition,
    by: RequestUser | None,
    institution: Institution | None = None,
    person: Person | None = None,
    team_name: str = "",
    members: Iterable[Person] = (),
) -> Entrant:
    """A person, or a team with its members, entered for an institution (the person's own
    when not given)."""
    competition = _open(competition)
    members = list(members)
    team_name = team_name.strip()
    errors: dict[str, str] = {}
    if competition.teams:
        if not team_name:
            errors["team_name"] = _("团体赛须填写队名。")
        if len(members) < 2:
            errors["members"] = _("团体赛每队至少两名队员。")
        person = None
    else:
        if person is None:
            errors["person"] = _("请选择参赛人员。")
        team_name, members = "", []
    institution = institution or (person.institution if person else None)
    if institution is None:
        errors["institution"] = _("请选择代表机构。")
    if errors:
        raise ValidationError(errors)
    entrant = Entrant(
        competition=competition, person=person, team_name=team_name, institution=institution
    )
    full_clean_or_raise(entrant)
    entrant.save()
    entrant.members.set(members)
    return entrant


def _decimal(value: object) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"score": _("分数须是数字。")}) from None
    if not number.is_finite() or number != number.quantize(Decimal("0.01")):
        raise ValidationError({"score": _("分数最多保留两位小数。")})
    return number


@transaction.atomic
def score_record(
    *, round: CompetitionRound, entrant: Entrant, by: RequestUser | None, judge: str, score: object
) -> Score:
    """A judge's score of an entrant in a round (a judge's second score for it replaces the
    first while the competition is open)."""
    _open(round.competition)
    value = _decimal(score)
    judge = (judge or "").strip()
    errors: dict[str, str] = {}
    if entrant.competition_id != round.competition_id:
        errors["entrant"] = _("该参赛者不属于本次竞赛。")
    if not judge:
        errors["judge"] = _("请填写评委。")
    if not Decimal(0) <= value <= round.full_marks:
        errors["score"] = _("分数须在 0 到 %s 之间。") % f"{round.full_marks.normalize():f}"
    if errors:
        raise ValidationError(errors)
    found, _created = Score.objects.update_or_create(
        round=round, entrant=entrant, judge=judge, defaults={"score": value}
    )
    return found


@transaction.atomic
def competition_finish(
    *, competition: Competition, by: RequestUser | None, honours: list[tuple[str, int]]
) -> Competition:
    """Freeze the ranks and give the honours by rank: [("一等奖", 1), ("二等奖", 2), ...] gives
    the first the first honour, the next two the second, and so on; entrants tied at an
    honour's last place all receive it."""
    competition = _open(competition)
    rounds = list(competition.rounds.all())
    if sum((r.weight for r in rounds), Decimal(0)) != HUNDRED:
        raise ValidationError({"status": _("各环节权重之和须为 100%。")})
    table = standings(competition)
    missing = [str(s.entrant) for s in table if s.final is None]
    if missing:
        raise ValidationError(
            {"status": _("以下参赛者还有环节未评分：%s") % "、".join(missing[:10])}
        )
    limits, given = [], 0
    for label, count in honours:
        given += count
        limits.append((label.strip(), given))
    for standing in table:
        honour = next((label for label, last in limits if (standing.rank or 0) <= last), "")
        Entrant.objects.filter(pk=standing.entrant.pk).update(
            rank=standing.rank, final_score=standing.final, honour=honour
        )
    competition.status = Competition.Status.FINISHED
    competition.save(update_fields=["status"])
    return competition
