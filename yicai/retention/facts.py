"""The recorded facts a rule's condition reads: each kind of fact is one finder, which gives
the facts of a rule that happened within a span of days, with who, when, what in words, where
the record is, and when the person left (lines due after that are not proposed).

Money some records already carry goes through the same path: an introduction's entitlement
tranche (引) is a fact whose amount is its own, and paying its line records the tranche paid;
a studio's yearly subsidy paid this way is recorded as that year's studio money (育), and a year
recorded there by hand is not proposed again. A finder reads one query per rule (no N+1);
another app adds a kind with `register` (and, when paying settles a record, `on_paid`)."""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from yicai.access.models import RequestUser
from yicai.org.models import DisciplineDesignation
from yicai.people.models import TalentTag, TitleRecord
from yicai.recruitment.models import Introduction, Tranche
from yicai.recruitment.services import add_months, tranche_pay
from yicai.retention.models import Competition, Entrant, Rule
from yicai.training.models import CohortMember, ExpertStudio
from yicai.training.services.studios import studio_funding_record

if TYPE_CHECKING:
    from yicai.retention.models import AwardLine


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
    # The amount the record itself states (an entitlement's tranche), instead of the rule's.
    amount: Decimal | None = None
    # Tranches settled outside the ledger (a studio's year recorded by hand): not proposed.
    settled: frozenset[int] = field(default_factory=frozenset)


Finder = Callable[[Rule, datetime.date, datetime.date], Iterable[Fact]]
Paid = Callable[["AwardLine", datetime.date, RequestUser | None], None]
FINDERS: dict[str, Finder] = {}
PAID: dict[str, Paid] = {}


def register(kind: str) -> Callable[[Finder], Finder]:
    def decorator(finder: Finder) -> Finder:
        FINDERS[kind] = finder
        return finder

    return decorator


def on_paid(kind: str) -> Callable[[Paid], Paid]:
    """What paying a line of this kind settles in the record behind it (in the same
    transaction as the payment: if the record refuses, nothing is paid)."""

    def decorator(hook: Paid) -> Paid:
        PAID[kind] = hook
        return hook

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


@register(Rule.Fact.ENTITLEMENT)
def _tranches(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    """An introduction's entitlement tranche falling due in the span, not yet paid or
    cancelled, at the amount its agreement states (`tier`: of introductions of that tier)."""
    found = Tranche.objects.filter(
        due_on__range=(first, last), paid_on__isnull=True, cancelled_on__isnull=True
    )
    if rule.tier:
        found = found.filter(entitlement__introduction__tier=rule.tier)
    for tranche in found.select_related("entitlement__introduction").order_by("due_on", "id"):
        introduction = tranche.entitlement.introduction
        yield Fact(
            tranche.pk,
            introduction.person_id,
            introduction.institution_id,
            tranche.due_on,
            _("%(kind)s第%(number)d期（%(condition)s）")
            % {
                "kind": tranche.entitlement.get_kind_display(),
                "number": tranche.number,
                "condition": tranche.condition or _("无附加条件"),
            },
            reverse("recruitment:introduction", args=[introduction.pk]),
            introduction.left_on,
            amount=tranche.amount,
        )


@on_paid(Rule.Fact.ENTITLEMENT)
def _tranche_paid(line: "AwardLine", day: datetime.date, by: RequestUser | None) -> None:
    tranche_pay(
        tranche=Tranche(pk=line.fact_id),
        by=by,
        paid_on=day,
        voucher=_("奖励核发第%d批") % line.run_id,
    )


@register(Rule.Fact.STUDIO)
def _studios(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    """A studio founded in the span; its lead receives its subsidy while it runs. Years whose
    money the studio's page already records are settled."""
    found = ExpertStudio.objects.filter(founded_on__range=(first, last))
    if rule.tier:
        found = found.filter(tier=rule.tier)
    for studio in found.prefetch_related("fundings").order_by("founded_on", "id"):
        years = {funding.year for funding in studio.fundings.all()}
        settled = frozenset(
            n
            for n in range(1, (rule.years or 1) + 1)
            if add_months(studio.founded_on, 12 * (n - 1)).year in years
        )
        yield Fact(
            studio.pk,
            studio.lead_id,
            studio.institution_id,
            studio.founded_on,
            _("%(day)s 成立%(tier)s%(name)s")
            % {"day": studio.founded_on, "tier": studio.get_tier_display(), "name": studio.name},
            reverse("training:studio", args=[studio.pk]),
            studio.closed_on,
            settled=settled,
        )


@on_paid(Rule.Fact.STUDIO)
def _studio_paid(line: "AwardLine", day: datetime.date, by: RequestUser | None) -> None:
    studio = ExpertStudio.objects.get(pk=line.fact_id)
    studio_funding_record(
        studio=studio,
        year=line.due_on.year,
        amount=line.amount,
        note=_("奖励核发第%d批") % line.run_id,
    )


@register(Rule.Fact.COMPETITION)
def _ranks(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    """A finished competition's rank at or above the rule's (`tier`: of that level); each
    member of a team has the team's."""
    found = Entrant.objects.filter(
        competition__status=Competition.Status.FINISHED,
        competition__held_on__range=(first, last),
        rank__lte=rule.rank_at_most or 0,
    )
    if rule.tier:
        found = found.filter(competition__level=rule.tier)
    for entrant in found.select_related("competition").prefetch_related("members"):
        competition = entrant.competition
        label = _("%(day)s %(name)s第%(rank)d名%(honour)s") % {
            "day": competition.held_on,
            "name": competition.name,
            "rank": entrant.rank,
            "honour": f"（{entrant.honour}）" if entrant.honour else "",
        }
        url = reverse("retention:competition", args=[competition.pk])
        people = [entrant.person] if entrant.person_id else list(entrant.members.all())
        for person in people:
            if person is None:
                continue
            yield Fact(
                entrant.pk, person.pk, entrant.institution_id, competition.held_on, label, url
            )


@register(Rule.Fact.DISCIPLINE)
def _disciplines(rule: Rule, first: datetime.date, last: datetime.date) -> Iterator[Fact]:
    """A discipline designated from a year in the span (`tier`: of that level), for its lead
    (学科带头人), from the first day of that year to the last of its final year; one without
    a lead on file pays no one."""
    found = DisciplineDesignation.objects.filter(
        year_from__range=(first.year, last.year), lead__isnull=False
    )
    if rule.tier:
        found = found.filter(level=rule.tier)
    for item in found.select_related("department__institution").order_by("year_from", "id"):
        day = datetime.date(item.year_from, 1, 1)
        if not first <= day <= last:
            continue
        institution = item.department.institution
        yield Fact(
            item.pk,
            item.lead_id,  # type: ignore[arg-type]  # filtered on a lead
            institution.pk,
            day,
            _("%(year)d年起%(level)s%(kind)s：%(name)s（%(place)s %(department)s）")
            % {
                "year": item.year_from,
                "level": item.get_level_display(),
                "kind": item.get_kind_display(),
                "name": item.name,
                "place": institution.name,
                "department": item.department.name,
            },
            reverse("org:detail", args=[institution.pk]),
            datetime.date(item.year_to, 12, 31) if item.year_to else None,
        )
