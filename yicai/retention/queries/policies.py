"""Scoped reads of incentive policies and their rules."""

import datetime

from django.db.models import Count, Prefetch, QuerySet

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import containing, narrowed, period_meets
from yicai.retention.models import Fund, Policy, Rule, RuleAmount
from yicai.retention.queries.funds import MONEY


def policies_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[Policy]":
    return scoped(user, Policy.objects.select_related("region", "fund"), permission)


def policy_for(user: RequestUser, pk: object, permission: str = MONEY) -> Policy:
    return get_for(user, policies_for(user, permission), pk, permission)


def policy_list(
    user: RequestUser,
    *,
    q: str = "",
    status: str = "",
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[Policy]":
    """Policies by title, issuer or document number and status; `as_of`: those in effect
    that day."""
    found = narrowed(
        policies_for(user, permission or MONEY),
        containing(q, "title", "issuer", "document_number"),
        status=status,
    )
    if as_of is not None:
        found = found.filter(period_meets("effective_from", "effective_to", as_of, as_of))
    return found.annotate(rule_count=Count("rules", distinct=True))


def rules_of(policy: Policy) -> "QuerySet[Rule]":
    """A policy's rules with their amounts (oldest first) and tranches, in three queries."""
    return policy.rules.select_related("title_series", "tag", "programme").prefetch_related(
        Prefetch("amounts", RuleAmount.objects.order_by("valid_from")), "tranches"
    )


def funds_to_pay_from(user: RequestUser, permission: str = "retention.policy") -> "QuerySet[Fund]":
    """The funds a policy may be paid from: the commission's own (not an institution's)."""
    return scoped(user, Fund.objects.filter(institution__isnull=True), permission)
