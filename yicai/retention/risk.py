"""The attrition-risk flag (流失风险): for each person, the reasons in words that they may be
about to leave, by rules anyone can check against the records, never a score.

- an introduction's service commitment, or a directed student's years owed, ending within six
  months (服务期将于 2023-08-31 到期（6个月内）);
- a tranche of their entitlements cancelled while they stay, or unpaid long after it fell due,
  within the last year (安家补贴第2期已取消);
- no promotion for N years (`settings.YICAI_RISK_NO_PROMOTION_YEARS`, 8 by default) below the
  senior grade (连续9年未晋升职称);
- service check-ins unanswered: a served talent of the 八个一 package whose monthly greetings
  have gone past their deadline undone twice or more in the last three months (the team could
  not reach them: 近三个月2次月度问候未完成).

Each rule reads the people given as a subquery, in one query: `risks_for` costs a fixed number
of queries however many people it is asked about."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.people.models import Person, TitleGrade, TitleRecord
from yicai.recruitment.models import DirectedContract, Introduction, Tranche
from yicai.recruitment.services import commitment_last_day, service_last_day
from yicai.retention.models import ServiceItem, ServiceTask

if TYPE_CHECKING:
    from django.db.models import QuerySet

OBLIGATION_DAYS = 183  # six months
RECENT_DAYS = 365  # a tranche cancelled or overdue within the last year
OVERDUE_DAYS = 30  # a tranche unpaid this long after it fell due


@dataclass(frozen=True)
class Reason:
    kind: str
    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def kind_label(self) -> str:
        entry = RULES.get(self.kind)
        return str(entry.label) if entry else self.kind


Rule = Callable[["QuerySet[Person]", datetime.date], Iterable[tuple[int, str]]]


@dataclass(frozen=True)
class RuleEntry:
    label: "str | Promise"
    rule: Rule


RULES: dict[str, RuleEntry] = {}


def register(kind: str, label: "str | Promise") -> Callable[[Rule], Rule]:
    """Add a rule: `rule(people, today)` gives (person id, reason in words) pairs."""

    def add(rule: Rule) -> Rule:
        RULES[kind] = RuleEntry(label, rule)
        return rule

    return add


def kind_choices() -> list[tuple[str, "str | Promise"]]:
    return [(kind, entry.label) for kind, entry in RULES.items()]


def reasons_for(people: "QuerySet[Person]", today: datetime.date) -> dict[int, list[Reason]]:
    """Each person with at least one reason, and their reasons, rule by rule."""
    found: dict[int, list[Reason]] = defaultdict(list)
    ids = people.order_by().values("pk")
    for kind, entry in RULES.items():
        for person_id, text in entry.rule(Person.objects.filter(pk__in=ids), today):
            found[person_id].append(Reason(kind, text))
    return dict(found)


def risks_for(people: "QuerySet[Person]", today: datetime.date) -> dict[int, list[str]]:
    """The reasons in words, by person (only those with one)."""
    return {
        person: [reason.text for reason in reasons]
        for person, reasons in reasons_for(people, today).items()
    }


# --- The rules -----------------------------------------------------------------------------


def _ending(last: datetime.date | None, today: datetime.date) -> bool:
    return last is not None and today <= last <= today + datetime.timedelta(days=OBLIGATION_DAYS)


def _obligation_text(last: datetime.date) -> str:
    return _("服务期将于%(day)s到期（6个月内）") % {"day": f"{last:%Y-%m-%d}"}


@register("obligation", gettext_lazy("服务期将满"))
def obligations(people: "QuerySet[Person]", today: datetime.date) -> Iterable[tuple[int, str]]:
    introductions = Introduction.objects.filter(
        person__in=people, left_on__isnull=True, service_years__isnull=False
    ).only("pk", "person_id", "introduced_on", "service_years")
    for introduction in introductions:
        last = commitment_last_day(introduction)
        if last is not None and _ending(last, today):
            yield introduction.person_id, _obligation_text(last)
    contracts = DirectedContract.objects.filter(
        person__in=people,
        status=DirectedContract.Status.IN_SERVICE,
        service_starts_on__isnull=False,
    ).only("pk", "person_id", "service_starts_on", "service_years")
    for contract in contracts:
        last = service_last_day(contract)
        if contract.person_id is not None and last is not None and _ending(last, today):
            yield contract.person_id, _obligation_text(last)


@register("tranche", gettext_lazy("待遇暂停或取消"))
def tranches(people: "QuerySet[Person]", today: datetime.date) -> Iterable[tuple[int, str]]:
    """A tranche cancelled while the person stays, or unpaid a month after it fell due, in
    the last year."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    overdue = today - datetime.timedelta(days=OVERDUE_DAYS)
    rows = (
        Tranche.objects.filter(
            entitlement__introduction__person__in=people,
            entitlement__introduction__left_on__isnull=True,
            paid_on__isnull=True,
        )
        .filter(
            Q(cancelled_on__range=(since, today))
            | Q(cancelled_on__isnull=True, due_on__range=(since, overdue))
        )
        .select_related("entitlement__introduction")
        .order_by("due_on", "id")
    )
    for tranche in rows:
        entitlement = tranche.entitlement
        person = entitlement.introduction.person_id
        values: dict[str, Any] = {"kind": entitlement.get_kind_display(), "n": tranche.number}
        if tranche.cancelled_on is not None:
            yield person, _("%(kind)s第%(n)d期已取消") % values
        else:
            values["day"] = f"{tranche.due_on:%Y-%m-%d}"
            yield person, _("%(kind)s第%(n)d期逾期未发放（应发于%(day)s）") % values


@register("promotion", gettext_lazy("长期未晋升"))
def no_promotion(people: "QuerySet[Person]", today: datetime.date) -> Iterable[tuple[int, str]]:
    """Below the senior grade, the last title obtained N years ago or more."""
    years = settings.YICAI_RISK_NO_PROMOTION_YEARS
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    rows = (
        TitleRecord.objects.filter(person__in=people.exclude(title_grade=TitleGrade.SENIOR))
        .order_by()
        .values("person")
        .annotate(last=Max("obtained_on"))
        .filter(last__lte=cutoff)
    )
    for row in rows:
        last: datetime.date = row["last"]
        held = today.year - last.year - ((today.month, today.day) < (last.month, last.day))
        yield (
            row["person"],
            _("连续%(years)d年未晋升职称（现职称取得于%(day)s）")
            % {"years": held, "day": f"{last:%Y-%m-%d}"},
        )


CHECK_IN_DAYS = 92  # about three months of monthly greetings
CHECK_INS_MISSED = 2


@register("service", gettext_lazy("服务回访未应答"))
def check_ins(people: "QuerySet[Person]", today: datetime.date) -> Iterable[tuple[int, str]]:
    missed = (
        ServiceTask.objects.filter(
            enrolment__person__in=people,
            enrolment__ended_on__isnull=True,
            item__recurrence=ServiceItem.Recurrence.MONTHLY,
            done_on__isnull=True,
            deadline__lt=today,
            deadline__gte=today - datetime.timedelta(days=CHECK_IN_DAYS),
        )
        .values("enrolment__person")
        .annotate(n=Count("id"))
        .filter(n__gte=CHECK_INS_MISSED)
        .order_by()
    )
    for row in missed:
        yield row["enrolment__person"], _("近三个月%(n)d次月度问候未完成") % {"n": row["n"]}
