"""留's events on a person's timeline (yicai.people.timeline): a title-promotion application
and its result, and a skill competition's rank and honour (for a team, each member's). Each
provider reads its records in one query whatever their number. What a person is paid
(awards, allowances) is the commission's finance, not the person's record: not here."""

from django.utils.translation import gettext as _

from yicai.people.timeline import Event, register
from yicai.retention.models import Competition, Entrant, PromotionApplication


def register_events() -> None:
    @register("retention.promotions")
    def promotions(person):
        applied = person.promotion_applications.select_related("round", "title")
        for item in applied.exclude(result=PromotionApplication.Result.WITHDRAWN):
            title = _("申报%(title)s（%(round)s）") % {
                "title": item.title.name,
                "round": item.round,
            }
            yield Event(item.applied_on, _("职称申报"), title, section="retention")
            if item.result_on is not None and item.result != PromotionApplication.Result.PENDING:
                yield Event(
                    item.result_on,
                    _("职称评审"),
                    _("%(title)s评审%(result)s")
                    % {"title": item.title.name, "result": item.get_result_display()},
                    section="retention",
                )

    @register("retention.competitions")
    def competitions(person):
        finished = Entrant.objects.filter(
            competition__status=Competition.Status.FINISHED, rank__isnull=False
        ).select_related("competition")
        for entrant in finished.filter(person=person) | finished.filter(members=person):
            contest = entrant.competition
            title = _("%(name)s第%(rank)d名") % {"name": contest.name, "rank": entrant.rank}
            detail = " · ".join(
                part
                for part in (entrant.honour, contest.get_level_display(), entrant.team_name)
                if part
            )
            yield Event(contest.held_on, _("技能竞赛"), title, detail, section="retention")
