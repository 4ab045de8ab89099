"""A person's record as one timeline. Apps add their events by registering a provider:

    from yicai.people.timeline import Event, register

    @register("training")
    def visits(person): yield Event(date=..., kind=..., title=...)

`people` never needs editing when a new kind of event appears.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from yicai.registry import hook_register


@dataclass(frozen=True)
class Event:
    date: datetime.date
    kind: str  # a short label shown as a badge
    title: str
    detail: str = ""
    section: str = "people"  # which part of 引育留用 it belongs to, for colour and filter


Provider = Callable[[object], Iterable[Event]]
_providers: dict[str, Provider] = {}

register = hook_register(_providers)


def events_for(person) -> list[Event]:
    events = [event for provider in _providers.values() for event in provider(person)]
    return sorted(events, key=lambda event: event.date, reverse=True)


def _records(person, name: str, *related: str):
    """A person's records of one kind: those read with the person already
    (`people.queries.person_with_records`, the person page and its PDF), or read now."""
    if name in getattr(person, "_prefetched_objects_cache", {}):
        return getattr(person, name).all()
    return getattr(person, name).select_related(*related)


def register_people_events() -> None:
    @register("people.appointments")
    def appointments(person):
        for item in _records(person, "appointments", "institution", "department"):
            where = f"{item.institution} {item.department or ''}".strip()
            if item.start_on:
                yield Event(item.start_on, _("任职"), _("入职 %s") % where, item.position)
            if item.end_on:
                yield Event(item.end_on, _("任职"), _("离任 %s") % where, item.position)

    @register("people.titles")
    def titles(person):
        for item in _records(person, "titles", "title"):
            if item.obtained_on:  # an undated title is on the profile, not on the timeline
                yield Event(item.obtained_on, _("职称"), _("取得 %s") % item.title)

    @register("people.educations")
    def educations(person):
        for item in _records(person, "educations", "level", "degree"):
            if not item.graduated_on:
                continue
            detail = " ".join(str(part) for part in (item.major, item.degree or "") if part)
            title = " ".join(str(part) for part in (item.school, item.level) if part)
            yield Event(item.graduated_on, _("学历"), title, detail)

    @register("people.licences")
    def licences(person):
        for item in person.licences.all():
            if item.issued_on:
                yield Event(
                    item.issued_on, _("执业"), _("取得执业证书 %s") % item.number, item.scope
                )

    @register("people.tags")
    def tags(person):
        for item in _records(person, "tags", "tag"):
            yield Event(item.valid_from, _("人才标签"), _("认定为 %s") % item.tag, item.note)
