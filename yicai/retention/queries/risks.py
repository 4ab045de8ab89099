"""The people at risk of leaving whom the user keeps, each with their reasons
(`yicai.retention.risk`), for the 流失风险 page and its export."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from yicai.access.models import RequestUser
from yicai.access.scope import scoped
from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.retention.models import Enrolment
from yicai.retention.risk import Reason, reasons_for

RISK = "retention.risk"


@dataclass(frozen=True)
class AtRisk:
    person: Person
    reasons: list[Reason]

    @property
    def pk(self) -> int:
        return self.person.pk


def risk_list(
    user: RequestUser,
    *,
    institution: Institution | None = None,
    reason: str = "",
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> list[AtRisk]:
    """The people in the user's scope with at least one reason (of the kind asked), by name:
    the rules' fixed number of queries, and one for the people flagged."""
    permission = permission or RISK
    # The people the user keeps, and the served talents (of no institution) of the 八个一
    # enrolments their institutions serve.
    served = scoped(user, Enrolment.objects.all(), permission)
    if institution is not None:
        served = served.filter(institution=institution)
    kept = scoped(user, Person.objects.all(), permission)
    if institution is not None:
        kept = kept.filter(institution=institution)
    people = Person.objects.filter(Q(pk__in=kept.values("pk")) | Q(pk__in=served.values("person")))
    found = reasons_for(people, as_of or timezone.localdate())
    if reason:
        found = {
            pk: reasons for pk, reasons in found.items() if any(r.kind == reason for r in reasons)
        }
    flagged = (
        Person.objects.filter(pk__in=list(found))
        .select_related("institution", "department")
        .order_by("name_pinyin", "id")
    )
    return [AtRisk(person, found[person.pk]) for person in flagged]
