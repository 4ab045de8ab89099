"""Scoped reads of partner agreements, shared by the list page, its export and the API."""

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import containing, narrowed, period_meets
from yicai.org.models import Department, Institution
from yicai.org.queries import departments_for, institutions_for
from yicai.recruitment.models import PartnerAgreement

VIEW, EDIT = "recruitment.view", "recruitment.edit"
NOT_A_PARTNER = _("所选机构不是登记在册的合作机构。")


def agreements_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[PartnerAgreement]":
    return scoped(
        user,
        PartnerAgreement.objects.select_related("institution", "department", "partner"),
        permission,
    )


def agreement_for(user: RequestUser, pk: object, permission: str = VIEW) -> PartnerAgreement:
    return get_for(user, agreements_for(user, permission), pk, permission)


def in_force_on(day: datetime.date) -> Q:
    return period_meets("starts_on", "ends_on", day, day)


def agreement_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: Institution | None = None,
    kind: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[PartnerAgreement]":
    """Agreements by title or partner, institution and kind; `since`/`until`: those whose
    period meets that range (both inclusive, either open); `as_of`: those in force that day."""
    agreements = narrowed(
        agreements_for(user, permission or VIEW),
        containing(q, "title", "partner__name", "partner_name"),
        period_meets("starts_on", "ends_on", since, until),
        institution=institution,
        kind=kind,
    )
    if as_of is not None:
        agreements = agreements.filter(in_force_on(as_of))
    return agreements.order_by("institution__name", "-starts_on", "id")


def signing_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The institutions the user may record agreements for: managed ones in their scope."""
    return institutions_for(user, EDIT).filter(relation=Institution.Relation.MANAGED)


def editable_departments(user: RequestUser) -> "QuerySet[Department]":
    return departments_for(user, EDIT).order_by("institution__name", "name")


def partner_choices() -> "QuerySet[Institution]":
    """The partner institutions on file: a directory every institution may pick from."""
    return Institution.objects.filter(relation=Institution.Relation.PARTNER, active=True).order_by(
        "name"
    )


def agreement_institutions(user: RequestUser) -> "QuerySet[Institution]":
    """The institutions a list may be filtered by: the managed ones the user sees."""
    return institutions_for(user).filter(relation=Institution.Relation.MANAGED)
