"""Recruitment's events on a person's timeline (yicai.people.timeline)."""

from django.utils.translation import gettext as _

from yicai.people.timeline import Event, register
from yicai.recruitment.models import Application


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

    @register("recruitment.hires")
    def hires(person):
        # One query whatever the number of hires: the post, its plan, institution, department.
        hired = person.applications.filter(status=Application.Status.HIRED, hired_on__isnull=False)
        for item in hired.select_related("post__plan__institution", "post__department"):
            post = item.post
            title = _("通过%(procedure)s聘用至%(place)s") % {
                "procedure": post.get_procedure_display(),
                "place": post.plan.institution.name,
            }
            detail = " · ".join(
                str(part) for part in (post.plan, post.name, post.department) if part
            )
            yield Event(item.hired_on, _("聘用"), title, detail, section="recruitment")
