"""Scoped reads of award runs, their lines and clawbacks."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.org.models import Institution
from yicai.retention.models import AwardClawback, AwardLine, AwardRun, Policy
from yicai.retention.queries.funds import MONEY, ZERO


def runs_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[AwardRun]":
    return scoped(user, AwardRun.objects.select_related("policy", "policy__fund"), permission)


def run_for(user: RequestUser, pk: object, permission: str = MONEY) -> AwardRun:
    return get_for(user, runs_for(user, permission), pk, permission)


def run_list(
    user: RequestUser,
    *,
    policy: Policy | None = None,
    status: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[AwardRun]":
    """Runs by policy and status, and whose period meets since / until."""
    found = narrowed(runs_for(user, permission or MONEY), policy=policy, status=status)
    if since is not None:
        found = found.filter(period_end__gte=since)
    if until is not None:
        found = found.filter(period_start__lte=until)
    counted = Q(lines__status__in=[AwardLine.Status.PROPOSED, AwardLine.Status.APPROVED])
    return found.annotate(
        line_count=Count("lines", filter=counted), total=Sum("lines__amount", filter=counted)
    )


def lines_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[AwardLine]":
    return scoped(
        user,
        AwardLine.objects.select_related("run__policy", "rule", "person", "institution"),
        permission,
    )


def line_for(user: RequestUser, pk: object, permission: str = MONEY) -> AwardLine:
    return get_for(user, lines_for(user, permission), pk, permission)


def line_list(
    user: RequestUser,
    *,
    run: AwardRun | None = None,
    institution: Institution | None = None,
    status: str = "",
    q: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[AwardLine]":
    """Lines of a run (or all), by institution, status, the person's name and due day."""
    return narrowed(
        lines_for(user, permission or MONEY),
        containing(q, "person__name", "rule__name", "fact_label"),
        between("due_on", since, until),
        run=run,
        institution=institution,
        status=status,
    ).order_by("run", "person__name_pinyin", "due_on", "id")


def run_total(run: AwardRun) -> Decimal:
    """What the run pays (or paid): its lines not excluded, cancelled or reversed."""
    live = [AwardLine.Status.PROPOSED, AwardLine.Status.APPROVED]
    total = run.lines.filter(status__in=live).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def clawbacks_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[AwardClawback]":
    return scoped(
        user, AwardClawback.objects.select_related("rule__policy", "person", "entry"), permission
    )


def clawback_for(user: RequestUser, pk: object, permission: str = MONEY) -> AwardClawback:
    return get_for(user, clawbacks_for(user, permission), pk, permission)
