"""The recorded facts a rule's condition reads: each kind of fact is one finder, which gives
the facts of a rule that happened within a span of days, with who, when, what in words, where
the record is, and when the person left (lines due after that are not proposed).

A finder reads one query per rule (no N+1); another app adds a kind with `register`."""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from yicai.people.models import TalentTag, TitleRecord
from yicai.recruitment.models import Introduction
from yicai.retention.models import AwardLine, Rule
from yicai.training.models import CohortMember, ExpertStudio


@dataclass(frozen=True)
class Fact:
    id: int
    person_id: int
    institution_id: int | None
    on: datetime.date
    label: str
    url: str
    # The person left (or the studio closed) that day: nothing falls due after it.
    ends_on: datetime.date | None = None


Finder = Callable[[Rule, datetime.date, datetime.date], Iterable[Fact]]
FINDERS: dict[str, Finder] = {}


def register(kind: str) -> Callable[[Finder], Finder]:
    def decorator(finder: Finder) -> Finder:
        FINDERS[kind] = finder
        return finder

    return decorator


def facts_of(rule: Rule, first: datetime.date, last: datetime.date) -> Iterable[Fact]:
    """The rule's facts dated from `first` to `last`, both inclusive."""
    return FINDERS[rule.fact](rule, first, last)


def _person_url(person_id: int) -> str:
    return reverse("people:detail", args=[person_id])


@register(Rule.Fact.TITLE)
def _titles(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    """A title obtained at the rule's grade (in its series) is a promotion to it."""
    found = TitleRecord.objects.filter(obtained_on__range=(first, last))
    if rule.title_grade:
        found = found.filter(grade=rule.title_grade)
    if rule.title_series_id:
        found = found.filter(title__parent_id=rule.title_series_id)
    for record in found.select_related("title", "person").order_by("obtained_on", "id"):
        yield Fact(
            record.pk,
            record.person_id,
            record.person.institution_id,
            record.obtained_on,  # type: ignore[arg-type]  # filtered on a range
            _("%(day)s 取得%(title)s") % {"day": record.obtained_on, "title": record.title.name},
            _person_url(record.person_id),
        )


@register(Rule.Fact.INTRODUCTION)
def _introductions(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    found = Introduction.objects.filter(introduced_on__range=(first, last))
    if rule.tier:
        found = found.filter(tier=rule.tier)
    for introduction in found.order_by("introduced_on", "id"):
        yield Fact(
            introduction.pk,
            introduction.person_id,
            introduction.institution_id,
            introduction.introduced_on,
            _("%(day)s 引进（%(mode)s%(tier)s）")
            % {
                "day": introduction.introduced_on,
                "mode": introduction.get_mode_display(),
                "tier": f"，{introduction.tier}" if introduction.tier else "",
            },
            reverse("recruitment:introduction", args=[introduction.pk]),
            introduction.left_on,
        )


@register(Rule.Fact.TAG)
def _tags(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    found = TalentTag.objects.filter(valid_from__range=(first, last))
    if rule.tag_id:
        found = found.filter(tag_id=rule.tag_id)
    for tag in found.select_related("tag", "person").order_by("valid_from", "id"):
        yield Fact(
            tag.pk,
            tag.person_id,
            tag.person.institution_id,
            tag.valid_from,
            _("%(day)s 认定为%(tag)s") % {"day": tag.valid_from, "tag": tag.tag.name},
            _person_url(tag.person_id),
            tag.valid_to,
        )


@register(Rule.Fact.PROGRAMME)
def _programmes(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    found = CohortMember.objects.filter(entered_on__range=(first, last))
    if rule.programme_id:
        found = found.filter(cohort__programme_id=rule.programme_id)
    for member in found.select_related("cohort__programme", "person").order_by("entered_on", "id"):
        yield Fact(
            member.pk,
            member.person_id,
            member.person.institution_id,
            member.entered_on,
            _("%(day)s 入选%(cohort)s")
            % {"day": member.entered_on, "cohort": f"{member.cohort.programme} {member.cohort}"},
            _person_url(member.person_id),
            member.exited_on,
        )


@register(Rule.Fact.STUDIO)
def _studios(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    """A studio founded in the span; its lead receives its subsidy while it runs."""
    found = ExpertStudio.objects.filter(founded_on__range=(first, last))
    if rule.tier:
        found = found.filter(tier=rule.tier)
    for studio in found.order_by("founded_on", "id"):
        yield Fact(
            studio.pk,
            studio.lead_id,
            studio.institution_id,
            studio.founded_on,
            _("%(day)s 成立%(tier)s%(name)s")
            % {"day": studio.founded_on, "tier": studio.get_tier_display(), "name": studio.name},
            reverse("training:studio", args=[studio.pk]),
            studio.closed_on,
        )


def fact_url(line: AwardLine) -> str:
    """Where the record that qualified a line is: the person's page for a title, a tag or a
    programme, the introduction's or the studio's own page ("" for a kind without one)."""
    kind = line.rule.fact
    if kind in (Rule.Fact.TITLE, Rule.Fact.TAG, Rule.Fact.PROGRAMME):
        return _person_url(line.person_id)
    if kind == Rule.Fact.INTRODUCTION:
        return reverse("recruitment:introduction", args=[line.fact_id])
    if kind == Rule.Fact.STUDIO:
        return reverse("training:studio", args=[line.fact_id])
    return ""
