"""Cultivation on a person's timeline."""

from django.db.models import Min
from django.utils.translation import gettext as _

from yicai.people.timeline import Event, register
from yicai.training.models import Apprenticeship, CaseLog, Mentorship


def register_training_events() -> None:
    @register("training.mentorships")
    def mentorships(person):
        led = Mentorship.objects.filter(mentor=person).select_related("institution")
        for item in led:
            yield Event(
                item.start_on, _("带教"), _("在 %s 收徒") % item.institution, section="training"
            )
        joined = Apprenticeship.objects.filter(apprentice=person).select_related(
            "mentorship__mentor"
        )
        for item in joined:
            yield Event(
                item.mentorship.start_on,
                _("师带徒"),
                _("拜 %s 为师") % item.mentorship.mentor,
                section="training",
            )

    @register("training.case_logs")
    def first_independent_cases(person):
        firsts = (
            CaseLog.objects.filter(
                apprentice=person,
                role=CaseLog.Role.INDEPENDENT,
                verified_at__isnull=False,
            )
            .values("technique__name")
            .annotate(first=Min("performed_on"))
        )
        for row in firsts:
            yield Event(
                row["first"],
                _("独立完成"),
                _("首次独立完成 %s（已审核）") % row["technique__name"],
                section="training",
            )
