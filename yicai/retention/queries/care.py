"""Scoped reads of the 八个一 service: packages, enrolments, service tasks (due, done, overdue;
per institution and team) and green-channel requests, and the figures (enrolled, tasks due /
done on time / overdue, satisfaction) in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from yicai.access.models import RequestUser
from yicai.access.scope import get_for, scoped
from yicai.lookups import between, containing, narrowed
from yicai.retention.models import (
    Enrolment,
    GreenChannelRequest,
    ServiceItem,
    ServicePackage,
    ServiceTask,
)

VIEW, EDIT, EXPORT = "retention.view", "retention.edit", "retention.export"
DUE_AHEAD = datetime.timedelta(days=7)


def packages_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[ServicePackage]":
    return scoped(user, ServicePackage.objects.select_related("region"), permission)


def package_for(user: RequestUser, pk: object, permission: str = VIEW) -> ServicePackage:
    return get_for(user, packages_for(user, permission), pk, permission)


def items_of(package: ServicePackage) -> "QuerySet[ServiceItem]":
    return package.items.order_by("order", "id")


def enrolments_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[Enrolment]":
    return scoped(
        user,
        Enrolment.objects.select_related("package", "person", "institution", "guardian"),
        permission,
    )


def enrolment_for(user: RequestUser, pk: object, permission: str = VIEW) -> Enrolment:
    return get_for(user, enrolments_for(user, permission), pk, permission)


def active_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}enrolled_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": day})
    )


def enrolment_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: object = None,
    guardian: object = None,
    active: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[Enrolment]":
    rows = narrowed(
        enrolments_for(user, permission or VIEW),
        containing(q, "person__name", "employer", "team_name", "guardian__name"),
        institution=institution,
        guardian=guardian,
    )
    if active is not None:
        rows = rows.filter(active_on(active))
    return rows.order_by("institution__name", "person__name_pinyin", "id")


def tasks_for(user: RequestUser, permission: str = VIEW) -> "QuerySet[ServiceTask]":
    return scoped(
        user,
        ServiceTask.objects.select_related(
            "item", "institution", "enrolment", "enrolment__person", "enrolment__guardian"
        ),
        permission,
    )


def task_for(user: RequestUser, pk: object, permission: str = VIEW) -> ServiceTask:
    return get_for(user, tasks_for(user, permission), pk, permission)


class Status:
    OPEN = "open"  # due within the week or overdue, not done
    OVERDUE = "overdue"
    DONE = "done"
    CHOICES = (OPEN, OVERDUE, DONE)


def status_filter(status: str, today: datetime.date) -> Q:
    if status == Status.OPEN:
        return Q(done_on__isnull=True, due_on__lte=today + DUE_AHEAD)
    if status == Status.OVERDUE:
        return Q(done_on__isnull=True, deadline__lt=today)
    if status == Status.DONE:
        return Q(done_on__isnull=False)
    return Q()


def task_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: object = None,
    team: str = "",
    status: str = "",
    item: object = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    today: datetime.date | None = None,
    permission: str | None = None,
) -> "QuerySet[ServiceTask]":
    """Tasks by serving institution, team, status (open / overdue / done), item and due day;
    open ones first, the most overdue first."""
    day = today or timezone.localdate()
    rows = narrowed(
        tasks_for(user, permission or VIEW),
        containing(q, "enrolment__person__name", "enrolment__employer"),
        status_filter(status, day),
        between("due_on", since, until),
        institution=institution,
        enrolment__team_name=team,
        item=item,
    )
    return rows.order_by(F("done_on").asc(nulls_first=True), "deadline", "id")


def overdue_by(
    tasks: "QuerySet[ServiceTask]", field: str, today: datetime.date
) -> list[dict[str, object]]:
    """Overdue tasks counted by `field` ("institution__name", "enrolment__team_name"): one
    query."""
    return list(
        tasks.filter(status_filter(Status.OVERDUE, today))
        .order_by()
        .values(field)
        .annotate(n=Count("id"))
        .order_by("-n", field)
    )


@dataclass(frozen=True)
class CareFigures:
    enrolled: int
    due: int
    done_on_time: int
    done_late: int
    overdue: int
    satisfaction: float | None


def figures(
    user: RequestUser,
    *,
    since: datetime.date,
    until: datetime.date,
    today: datetime.date | None = None,
    institution: object = None,
) -> CareFigures:
    """Enrolled on `until`; the tasks falling due from `since` to `until`: due, done by their
    deadline, done late, overdue (not done, past the deadline as of `today`), and the mean
    satisfaction of those done. Two queries."""
    day = today or timezone.localdate()
    enrolled = narrowed(enrolments_for(user), active_on(until), institution=institution).count()
    tasks = narrowed(tasks_for(user), between("due_on", since, until), institution=institution)
    row = tasks.order_by().aggregate(
        due=Count("id"),
        on_time=Count("id", filter=Q(done_on__isnull=False, done_on__lte=F("deadline"))),
        late=Count("id", filter=Q(done_on__gt=F("deadline"))),
        overdue=Count("id", filter=Q(done_on__isnull=True, deadline__lt=day)),
        satisfaction=Avg("satisfaction"),
    )
    mean = row["satisfaction"]
    return CareFigures(
        enrolled=enrolled,
        due=row["due"],
        done_on_time=row["on_time"],
        done_late=row["late"],
        overdue=row["overdue"],
        satisfaction=round(float(mean), 2) if mean is not None else None,
    )


def green_requests_for(
    user: RequestUser, permission: str = VIEW
) -> "QuerySet[GreenChannelRequest]":
    return scoped(
        user,
        GreenChannelRequest.objects.select_related(
            "enrolment", "enrolment__person", "enrolment__institution"
        ),
        permission,
    )


def green_request_for(user: RequestUser, pk: object, permission: str = VIEW) -> GreenChannelRequest:
    return get_for(user, green_requests_for(user, permission), pk, permission)


def green_request_list(
    user: RequestUser,
    *,
    q: str = "",
    institution: object = None,
    permission: str | None = None,
) -> "QuerySet[GreenChannelRequest]":
    return narrowed(
        green_requests_for(user, permission or VIEW),
        containing(q, "enrolment__person__name", "need"),
        enrolment__institution=institution,
    ).order_by(F("responded_at").asc(nulls_first=True), "-requested_at", "-id")
