"""Scoped reads of award runs, their lines and clawbacks."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.org.models import Institution
from yicai.params import is_id
from yicai.retention.models import AwardClawback, AwardLine, AwardRun, Policy
from yicai.retention.queries.funds import MONEY, ZERO

# The lines that pay (or paid): not excluded, cancelled or reversed.
LIVE = (AwardLine.Status.PROPOSED, AwardLine.Status.APPROVED)


def runs_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[AwardRun]":
    """The runs the user reads: the commission's of its region, and, for an institution,
    those holding a line of its people (as `lines_for` scopes the lines): a run with none of
    theirs is not theirs to see."""
    reached = scoped(user, AwardRun.objects.all(), permission).values("pk")
    through_lines = lines_for(user, permission).values("run")
    return AwardRun.objects.filter(Q(pk__in=reached) | Q(pk__in=through_lines)).select_related(
        "policy", "policy__fund", "prepared_by", "approved_by"
    )


def run_for(user: RequestUser, pk: object, permission: str = MONEY) -> AwardRun:
    """One run the user reads (404 otherwise; `runs_for` is scoped already, not through
    `get_for`, whose scope of runs alone would leave out an institution's)."""
    run = runs_for(user, permission).filter(pk=int(str(pk)) if is_id(pk) else 0).first()
    if run is None:
        raise Http404
    return run


def run_list(
    user: RequestUser,
    *,
    policy: Policy | None = None,
    status: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[AwardRun]":
    """Runs by policy and status, and whose period meets since / until, each with the people
    and money of the lines the user sees (an institution: its own people's only)."""
    permission = permission or MONEY
    found = narrowed(runs_for(user, permission), policy=policy, status=status)
    if since is not None:
        found = found.filter(period_end__gte=since)
    if until is not None:
        found = found.filter(period_start__lte=until)
    seen = lines_for(user, permission).filter(run=OuterRef("pk"), status__in=LIVE).order_by()
    return found.annotate(
        line_count=Coalesce(
            Subquery(seen.values("run").annotate(n=Count("person", distinct=True)).values("n")),
            0,
        ),
        total=Subquery(seen.values("run").annotate(s=Sum("amount")).values("s")),
    ).order_by("-period_end", "-id")


def visible_counts(user: RequestUser, runs: list[int]) -> dict[int, dict[str, Any]]:
    """Of each run, the lines the user sees (not excluded, cancelled or reversed): how many
    people, how much; one query. An institution sees its own people's lines only."""
    found = (
        lines_for(user)
        .filter(run__in=runs, status__in=LIVE)
        .values("run")
        .annotate(count=Count("person", distinct=True), total=Sum("amount"))
        .order_by()
    )
    return {row["run"]: dict(row) for row in found}


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
    total = run.lines.filter(status__in=LIVE).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


def clawbacks_for(user: RequestUser, permission: str = MONEY) -> "QuerySet[AwardClawback]":
    return scoped(
        user, AwardClawback.objects.select_related("rule__policy", "person", "entry"), permission
    )


def clawback_for(user: RequestUser, pk: object, permission: str = MONEY) -> AwardClawback:
    return get_for(user, clawbacks_for(user, permission), pk, permission)
