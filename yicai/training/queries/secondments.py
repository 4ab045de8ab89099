"""Secondments, their reports and needs: what a hospital, a linked leader or the trainee sees,
and the figures the commission quotes ("12 doctors on secondment")."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yicai.access import scope
from yicai.access.models import RequestUser, User
from yicai.access.scope import (
    get_for,
    has_perm,
    scoped,
)
from yicai.lookups import containing, narrowed
from yicai.org.models import Institution, Region
from yicai.org.queries import institutions_for
from yicai.people.models import Person
from yicai.training.declarations import BACKFILL
from yicai.training.models import MonthlyReport, Secondment, SecondmentBatch, SecondmentNeed


class SecondmentFigures(TypedDict):
    active: int
    by_batch: list[dict[str, Any]]
    by_host: list[dict[str, Any]]
    completed: int
    awaiting_comment: int
    open_needs: int


class Reported(TypedDict):
    """Whether a month's report is in (`reports_due`)."""

    reported: bool


if TYPE_CHECKING:  # WithAnnotations takes its TypedDict only for the type checker
    from django_stubs_ext import WithAnnotations

    SecondmentWithReported = WithAnnotations[Secondment, Reported]


def running_on(day: datetime.date) -> Q:
    """Secondments not yet closed on a day: still active, or completed or withdrawn after it
    (a withdrawn one ends on its withdrawal day)."""
    return (
        Q(status=Secondment.Status.ACTIVE)
        | Q(status=Secondment.Status.COMPLETED, completed_on__gt=day)
        | Q(status=Secondment.Status.WITHDRAWN, end_on__gt=day)
    )


# What a secondment may name, said alike by the API's fields and the import.
PERSON_TO_SECOND_OUT_OF_SCOPE = gettext_lazy("所选进修人员不存在或不在您的管辖范围内。")
BATCH_OUT_OF_SCOPE = gettext_lazy("所选进修批次不存在或不在您的管辖范围内。")
HOST_OUT_OF_SCOPE = gettext_lazy("所选进修医院不存在或不在您的管辖范围内。")
LEADER_OUT_OF_SCOPE = gettext_lazy("所选挂钩领导不存在或不在您的管辖范围内。")


def active_on(day: datetime.date) -> Q:
    """Secondments under way on a day: the day within their period, and not closed by then.
    Today that is the active ones in their period; on a past day the 2023 batch, completed
    since, counts as it was."""
    return Q(start_on__lte=day, end_on__gte=day) & running_on(day)


def _day_after(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def secondments_for(user: RequestUser, permission: str = "training.view") -> QuerySet[Secondment]:
    return scoped(
        user,
        Secondment.objects.select_related(
            "person__institution", "person__department", "host", "linked_leader", "batch"
        ),
        permission,
    )


def secondment_list(
    user: RequestUser,
    *,
    q: str = "",
    status: str = "",
    batch: SecondmentBatch | None = None,
    institution: Institution | None = None,
    as_of: datetime.date | None = None,
    permission: str | None = None,
) -> QuerySet[Secondment]:
    """Filtered secondments, each with its report count, its reports awaiting the leader's
    comment and its open needs. "current": away on `as_of` (today by default)."""
    rows = narrowed(
        secondments_for(user, permission or "training.view"),
        containing(q, "person__name", "host__name", "host_department"),
        batch=batch,
        person__institution=institution,
    )
    if status == "current":
        rows = rows.filter(active_on(as_of or timezone.localdate()))
    elif status:
        rows = rows.filter(status=status)
    return rows.annotate(
        report_count=Count("reports", distinct=True),
        awaiting_comment=Count(
            "reports", filter=Q(reports__commented_at__isnull=True), distinct=True
        ),
        open_needs=Count("needs", filter=Q(needs__resolved_on__isnull=True), distinct=True),
    ).order_by("-start_on", "person__name_initials", "id")


def secondment_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> Secondment:
    return get_for(user, secondments_for(user, permission), pk, permission)


def batches_for(user: RequestUser, permission: str = "training.view") -> QuerySet[SecondmentBatch]:
    """Batches with a member the user may see, and those organised by institutions whose
    cultivation records the user keeps (a hospital sees its new batch before anyone joins)."""
    seen = scoped(user, SecondmentBatch.objects.all(), permission).values("pk")
    organised = institutions_for(user, "training.edit").values("pk")
    return SecondmentBatch.objects.filter(
        Q(pk__in=seen) | Q(institution__in=organised)
    ).select_related("institution")


def batch_list(user: RequestUser, as_of: datetime.date | None = None) -> list[SecondmentBatch]:
    """Batches the user may see, each with `members` and `active` (away on `as_of`, today by
    default) counted over the members the user may see (a hospital sees its own people in
    a district-wide batch)."""
    batches = list(batches_for(user).order_by("-year", "name"))
    counts = batch_counts(user, batches, as_of)
    for batch in batches:
        # Figures of this page, not fields: SecondmentBatch declares neither.
        batch.members = counts[batch.pk]["members"]  # type: ignore[attr-defined]
        batch.active = counts[batch.pk]["active"]  # type: ignore[attr-defined]
    return batches


def reports_of(secondment: Secondment) -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(secondment=secondment).select_related(
        "commented_by", "entered_by", "comment_entered_by"
    )


def needs_of(secondment: Secondment) -> QuerySet[SecondmentNeed]:
    return SecondmentNeed.objects.filter(secondment=secondment)


def report_for(
    user: RequestUser, pk: int | str, permission: str = "training.view"
) -> MonthlyReport:
    reports = scoped(
        user,
        MonthlyReport.objects.select_related("secondment__person", "secondment__linked_leader"),
        permission,
    )
    return get_for(user, reports, pk, permission)


def need_for(user: RequestUser, pk: int | str, permission: str = "training.view") -> SecondmentNeed:
    needs = scoped(user, SecondmentNeed.objects.select_related("secondment"), permission)
    return get_for(user, needs, pk, permission)


def secondment_figures(user: RequestUser, day: datetime.date | None = None) -> SecondmentFigures:
    """On a day (today by default): secondments under way, in all and per batch and host;
    those completed by then; reports of that day's running secondments (for months up to
    it) not yet commented by then; needs raised and not yet resolved by then."""
    day = day or timezone.localdate()
    seen = secondments_for(user)
    active = seen.filter(active_on(day))
    commented_by_then = Q(commented_at__isnull=False, commented_at__lt=_day_after(day))
    running = Secondment.objects.filter(running_on(day), start_on__lte=day)

    def per(*fields: str) -> list[dict[str, Any]]:
        return list(
            active.values(*fields)
            .annotate(secondments=Count("pk"))
            .order_by("-secondments", *fields)
        )

    return {
        "active": active.count(),
        "by_batch": per("batch_id", "batch__name"),
        "by_host": per("host_id", "host__name"),
        "completed": seen.filter(status=Secondment.Status.COMPLETED, completed_on__lte=day).count(),
        "awaiting_comment": scoped(user, MonthlyReport.objects.all())
        .filter(month__lte=day, secondment__in=running)
        .exclude(commented_by_then)
        .count(),
        "open_needs": scoped(user, SecondmentNeed.objects.all())
        .filter(raised_on__lte=day)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=day))
        .count(),
    }


def people_to_second(user: RequestUser) -> QuerySet[Person]:
    """The people the user may send on a secondment (their records are the user's to edit)."""
    return scoped(
        user,
        Person.objects.select_related("institution").order_by("name_initials"),
        "training.edit",
    )


def leader_choices(user: RequestUser) -> QuerySet[Person]:
    return scoped(user, Person.objects.select_related("institution").order_by("name_initials"))


def host_choices(user: RequestUser) -> QuerySet[Institution]:
    """Host hospitals: the partner hospitals (a directory every institution may pick from,
    names only) and the institutions the user sees."""
    return Institution.objects.filter(
        Q(relation=Institution.Relation.PARTNER, active=True)
        | Q(pk__in=institutions_for(user).values("pk"))
    ).order_by("relation", "name")


def batches_to_join(user: RequestUser) -> QuerySet[SecondmentBatch]:
    """Batches the user may add people to: those they see, and those their institutions
    organise (before any member joins)."""
    return SecondmentBatch.objects.filter(
        Q(pk__in=batches_for(user, "training.edit").values("pk"))
        | Q(region__in=commission_regions(user))
    ).order_by("-year", "name")


def commission_regions(user: RequestUser) -> list[int]:
    """The regions whose commission the user works for (an all-scope role tied to a region)."""
    return scope.commission_regions(user, "training.edit")


def batch_region(user: RequestUser, institution: Institution | None) -> Region | None:
    """The commission region a new batch belongs to: its organising institution's, or, for a
    district-wide batch, the region of the commission the user works for."""
    if institution is not None:
        return institution.commission_region
    regions = commission_regions(user)
    return Region.objects.filter(pk=regions[0]).first() if regions else None


def batch_counts(
    user: RequestUser, batches: Iterable[SecondmentBatch], as_of: datetime.date | None = None
) -> dict[int, dict[str, int]]:
    """`members` and `active` (on `as_of`, today by default) of each batch of a page, over
    the members the user may see, as `batch_list` counts them: one query, whatever the rows."""
    day = as_of or timezone.localdate()
    ids = [batch.pk for batch in batches]
    rows = (
        secondments_for(user)
        .filter(batch__in=ids)
        .values("batch")
        .annotate(members=Count("pk"), active=Count("pk", filter=active_on(day)))
        .order_by()
    )
    counts = {row["batch"]: {"members": row["members"], "active": row["active"]} for row in rows}
    return {pk: counts.get(pk, {"members": 0, "active": 0}) for pk in ids}


def author_of(
    user: RequestUser, secondment: Secondment, own_id: int | None
) -> dict[str, Person | User | None] | None:
    """Who writes a monthly report (own_id: the trainee) or its comment (the linked leader):
    that person themselves, or an administrator of the trainee's institution entering a
    past one on their behalf (the services' `person` or `entered_by`); None for anyone
    else (seeing a secondment is not writing in it)."""
    if not isinstance(user, User):  # anonymous: neither the trainee nor an administrator
        return None
    if user.person_id is not None and user.person_id == own_id:
        return {"person": user.person}
    if secondment_may_edit(user, secondment, BACKFILL):
        return {"entered_by": user}
    return None


def secondment_may_edit(
    user: RequestUser, secondment: Secondment, permission: str = "training.edit"
) -> bool:
    """The user records for the trainee's institution (the page's `can_edit`): they may
    change the plan, complete or withdraw it, raise and resolve needs; with
    "training.backfill", enter past reports and comments on the trainee's and the leader's
    behalf."""
    return (
        has_perm(user, permission)
        and secondments_for(user, permission).filter(pk=secondment.pk).exists()
    )


# --- What waits for a person (the home page's to-do) ----------------------------------------


def reports_to_comment(user: RequestUser) -> QuerySet[Secondment]:
    """The active secondments the user's person is linked leader of whose monthly reports
    await their comment, each with `awaiting`, the reports not yet commented."""
    uncommented = (
        MonthlyReport.objects.filter(secondment=OuterRef("pk"), commented_at__isnull=True)
        .order_by()
        .values("secondment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        secondments_for(user)
        .filter(linked_leader=getattr(user, "person_id", None), status=Secondment.Status.ACTIVE)
        .annotate(awaiting=Subquery(uncommented, output_field=IntegerField()))
        .filter(awaiting__gt=0)
        .order_by("person__name_initials", "id")
    )


def _reporting_in(month: datetime.date) -> Q:
    """Secondments that owe a month's report (the month's first day): active, and under way
    in some day of it."""
    last = (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
    return Q(status=Secondment.Status.ACTIVE, start_on__lte=last, end_on__gte=month)


def _reported(month: datetime.date) -> Exists:
    return Exists(MonthlyReport.objects.filter(secondment=OuterRef("pk"), month=month))


def reports_due(user: RequestUser, month: datetime.date) -> QuerySet["SecondmentWithReported"]:
    """The user's own secondments under way in a month (its first day), each with `reported`:
    whether that month's report is in."""
    return (
        secondments_for(user)
        .filter(person=getattr(user, "person_id", None))
        .filter(_reporting_in(month))
        .annotate(reported=_reported(month))
        .order_by("start_on", "id")
    )


def reports_missing(month: datetime.date) -> QuerySet[Secondment]:
    """Every secondment whose report of a month (its first day) is not in, the same rule as
    `reports_due`, unscoped: for the reminders (`yicai remind`), which tell each trainee."""
    return (
        Secondment.objects.filter(_reporting_in(month))
        .filter(~_reported(month))
        .select_related("person", "host")
        .order_by("id")
    )
