"""Recruitment's events on a person's timeline (yicai.people.timeline): an introduction and,
once recorded, the leaving (离开); a hire; a directed student's graduation (毕业), start of
service (到岗履约) and its end, a breach (违约) or the years owed served (履约期满). Each
provider reads its records in one query whatever their number. What an introduced person is
paid (their entitlements) is the institution's finance, not the person's record: not here."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from yicai.people.timeline import Event, register
from yicai.recruitment import services
from yicai.recruitment.models import Application, DirectedContract


def register_events() -> None:
    @register("recruitment.introductions")
    def introductions(person):
        for item in person.introductions.select_related("institution"):
            place = item.institution.name
            title = _("%(mode)s至%(place)s") % {"mode": item.get_mode_display(), "place": place}
            detail = " · ".join(
                part
                for part in (item.get_category_display(), item.tier, item.previous_employer)
                if part
            )
            yield Event(item.introduced_on, _("人才引进"), title, detail, section="recruitment")
            if item.left_on is not None:
                last_day = services.commitment_last_day(item)
                early = (
                    _("服务期未满（至 %s）") % last_day
                    if last_day is not None and item.left_on < last_day
                    else ""
                )
                yield Event(
                    item.left_on,
                    _("离开"),
                    _("离开%s") % place,
                    " · ".join(part for part in (item.left_reason, early) if part),
                    section="recruitment",
                )

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

    @register("recruitment.directed")
    def directed(person):
        # One query whatever the number of contracts: the kind, the sponsor, the place.
        contracts = person.directed_contracts.select_related("kind", "sponsor", "service_place")
        for item in contracts:
            yield from _directed_events(item)


def _directed_events(item: DirectedContract) -> Iterator[Event]:
    kind = item.kind.name
    if item.graduated_on is not None:
        title = _("%(school)s %(major)s毕业") % {"school": item.school, "major": item.major}
        detail = _("%(kind)s · 委托培养单位：%(sponsor)s") % {
            "kind": kind,
            "sponsor": item.sponsor.name,
        }
        yield Event(item.graduated_on, _("毕业"), title, detail, section="recruitment")
    place = item.service_place.name if item.service_place is not None else ""
    if item.service_starts_on is not None:
        title = _("到%(place)s履约服务") % {"place": place}
        detail = _("%(kind)s · 服务 %(years)d 年") % {"kind": kind, "years": item.service_years}
        yield Event(item.service_starts_on, _("到岗履约"), title, detail, section="recruitment")
    if item.status == DirectedContract.Status.BREACHED and item.left_on is not None:
        title = _("未满服务年限离开%(place)s") % {"place": place}
        detail = " · ".join(part for part in (kind, item.left_reason) if part)
        yield Event(item.left_on, _("违约"), title, detail, section="recruitment")
    elif item.status == DirectedContract.Status.FULFILLED:
        # The last day owed; a graduate who left on or after it left having served.
        day = services.service_last_day(item) or item.left_on
        if day is not None:
            title = _("在%(place)s服务满 %(years)d 年") % {
                "place": place,
                "years": item.service_years,
            }
            yield Event(day, _("履约期满"), title, kind, section="recruitment")
