"""Recruitment's events on a person's timeline (yicai.people.timeline)."""

from django.utils.translation import gettext as _

from yicai.people.timeline import Event, register


def register_events() -> None:
    @register("recruitment.introductions")
    def introductions(person):
        for item in person.introductions.select_related("institution"):
            title = _("%(mode)s至%(place)s") % {
                "mode": item.get_mode_display(),
                "place": item.institution.name,
            }
            detail = " · ".join(
                part
                for part in (item.get_category_display(), item.tier, item.previous_employer)
                if part
            )
            yield Event(item.introduced_on, _("人才引进"), title, detail, section="recruitment")
