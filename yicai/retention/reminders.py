"""What `yicai remind` notifies: a registry of providers, one a kind of due item.

A provider is a function `(today, to) -> Iterable[Due]`, registered with `@register(kind,
label)`: it reads the records that fall due around `today` in one query (never one a person)
and names who hears of each (`to`: the accounts of an institution's administrators, of the
commission over it, of a person). Each `Due` has a natural key, so a run repeated the same
hour, or every hour, notifies each item once (`yicai.notifications.services.notify_many`).

Another kind is one function away, in the app that owns its records (installed after this one
if it reads retention, or here). A kind with many rows a day (the 八个一 service tasks, a
district's 100,000 served talents) is told as one aggregate an institution and day, read
with one grouped query: "X 项服务任务待完成，其中 Y 项逾期".

Before the providers run, the 八个一 service tasks falling due are generated
(`services.care.tasks_generate`, idempotent), so a run finds what fell due since the last."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yicai.access.models import Role, RoleAssignment, Scope, User
from yicai.notifications import kinds
from yicai.notifications.services import Message, Outcome, notify_many
from yicai.org.models import Region
from yicai.people.models import Licence
from yicai.recruitment.models import DirectedContract, Introduction, PublicNotice, Tranche
from yicai.recruitment.services import commitment_last_day, service_last_day
from yicai.retention.models import ServiceItem, ServiceTask
from yicai.retention.services.care import tasks_generate
from yicai.training.queries.secondments import reports_missing

DAY = datetime.timedelta(days=1)
TRANCHE_DAYS = 30  # a tranche falling due within, or fallen due within and still unpaid
OBLIGATION_DAYS = 183  # six months
LICENCE_DAYS = 60
REPORT_DAY = 5  # a month's report is in by the 5th of the next
NOTICE_DAYS = 3  # a public notice ending
CARE_DAYS = 7  # a service task falling due within the week, or overdue


@dataclass(frozen=True)
class Due:
    """One due item: its natural key (the same every run), who hears of it, what it says,
    where it is done."""

    key: str
    users: frozenset[int]
    title: str
    url: str
    due_on: datetime.date | None
    kind: str
    body: str = ""


class Recipients:
    """Who hears of an institution's or a person's business, read once a run: an
    institution's administrators (by their own institution or the institutions assigned
    them), the commission's administrators over its region (the whole installation for one
    with no region), and a person's own account."""

    def __init__(self) -> None:
        self._institution: dict[int, set[int]] = defaultdict(set)
        self._everywhere: set[int] = set()
        self._region: dict[int, set[int]] = defaultdict(set)
        assignments = (
            RoleAssignment.objects.filter(
                role__in=(Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN), user__is_active=True
            )
            .exclude(scope=Scope.NONE)
            .prefetch_related("institutions")
        )
        regions: list[RoleAssignment] = []
        for assignment in assignments:
            if assignment.scope == Scope.ALL:
                if assignment.region_id is None:
                    self._everywhere.add(assignment.user_id)
                else:
                    regions.append(assignment)
            elif assignment.scope == Scope.INSTITUTIONS:
                for institution in assignment.institutions.all():
                    self._institution[institution.pk].add(assignment.user_id)
            elif assignment.institution_id is not None:
                self._institution[assignment.institution_id].add(assignment.user_id)
        if regions:
            children: dict[int, list[int]] = defaultdict(list)
            for pk, parent in Region.objects.filter(parent__isnull=False).values_list(
                "pk", "parent_id"
            ):
                children[parent].append(pk)
            for assignment in regions:
                frontier = [assignment.region_id] if assignment.region_id else []
                while frontier:
                    region = frontier.pop()
                    self._region[region].add(assignment.user_id)
                    frontier += children.get(region, [])
        self._accounts = dict(
            User.objects.filter(is_active=True, person__isnull=False).values_list("person_id", "pk")
        )

    def institution(self, institution_id: int | None) -> set[int]:
        """The institution's administrators."""
        return set(self._institution.get(institution_id, ())) if institution_id else set()

    def commission(self, region_id: int | None) -> set[int]:
        """The commission's administrators over a region."""
        return self._everywhere | (self._region.get(region_id, set()) if region_id else set())

    def keepers(self, institution_id: int | None, region_id: int | None) -> set[int]:
        """Both: who keeps an institution's records and who oversees it."""
        return self.institution(institution_id) | self.commission(region_id)

    def person(self, person_id: int | None) -> set[int]:
        """The person's own account, where they have one."""
        account = self._accounts.get(person_id) if person_id else None
        return {account} if account else set()


Provider = Callable[[datetime.date, Recipients], Iterable[Due]]


@dataclass(frozen=True)
class Kind:
    label: "str | Promise"
    provider: Provider


PROVIDERS: dict[str, Kind] = {}


def register(kind: str, label: "str | Promise") -> Callable[[Provider], Provider]:
    """Add a provider of a kind of due item (and name the kind in the notification centre)."""

    def add(provider: Provider) -> Provider:
        PROVIDERS[kind] = Kind(label, provider)
        kinds.register(kind, label)
        return provider

    return add


def remind(today: datetime.date, *, dry_run: bool = False) -> dict[str, Outcome]:
    """Each provider's due items notified (one transaction a provider): what was new and
    what was there already, by kind. The 八个一 service tasks due are generated first (not
    on a dry run). A dry run writes nothing."""
    if not dry_run:
        tasks_generate(today)
    to = Recipients()
    outcomes = {}
    for kind, entry in PROVIDERS.items():
        with transaction.atomic():
            messages = [
                Message(
                    user_id=user,
                    key=due.key,
                    kind=due.kind,
                    title=due.title,
                    url=due.url,
                    body=due.body,
                    due_on=due.due_on,
                )
                for due in entry.provider(today, to)
                for user in sorted(due.users)
            ]
            outcomes[kind] = notify_many(messages=messages, dry_run=dry_run)
    return outcomes


# --- The providers ---------------------------------------------------------------------------


def _region(introduction: Introduction) -> int:
    return introduction.institution.commission_region_id


def _date(day: datetime.date) -> str:
    return f"{day:%Y-%m-%d}"


@register("tranche", gettext_lazy("待遇到期发放"))
def tranches_due(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """Tranches of introductions' entitlements unpaid and not cancelled, falling due in the
    next 30 days or fallen due in the last 30: the institution that pays and the commission."""
    rows = Tranche.objects.filter(
        due_on__range=(today - TRANCHE_DAYS * DAY, today + TRANCHE_DAYS * DAY),
        paid_on__isnull=True,
        cancelled_on__isnull=True,
    ).select_related("entitlement__introduction__person", "entitlement__introduction__institution")
    for tranche in rows:
        introduction = tranche.entitlement.introduction
        values = {
            "person": introduction.person.name,
            "kind": tranche.entitlement.get_kind_display(),
            "number": tranche.number,
            "amount": tranche.amount,
            "day": _date(tranche.due_on),
        }
        title = (
            _("%(person)s的%(kind)s第%(number)d期（%(amount)s元）已于%(day)s到期，尚未发放")
            if tranche.due_on < today
            else _("%(person)s的%(kind)s第%(number)d期（%(amount)s元）将于%(day)s到期发放")
        ) % values
        yield Due(
            key=f"tranche:{tranche.pk}:{tranche.due_on:%Y%m%d}",
            users=frozenset(to.keepers(introduction.institution_id, _region(introduction))),
            title=title,
            url=reverse("recruitment:introduction", args=[introduction.pk]),
            due_on=tranche.due_on,
            kind="tranche",
            body=tranche.condition,
        )


@register("obligation", gettext_lazy("服务期将满"))
def obligations_ending(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """Introductions' service commitments and directed students' years owed ending within six
    months: the institution served and the commission."""
    until = today + OBLIGATION_DAYS * DAY
    introductions = Introduction.objects.filter(
        left_on__isnull=True, service_years__isnull=False, introduced_on__lte=today
    ).select_related("person", "institution")
    for introduction in introductions:
        last = commitment_last_day(introduction)
        if last is None or not today <= last <= until:
            continue
        yield Due(
            key=f"introduction:{introduction.pk}:ends:{last:%Y%m%d}",
            users=frozenset(to.keepers(introduction.institution_id, _region(introduction))),
            title=_("%(person)s的引进服务期将于%(day)s届满")
            % {"person": introduction.person.name, "day": _date(last)},
            url=reverse("recruitment:introduction", args=[introduction.pk]),
            due_on=last,
            kind="obligation",
        )
    contracts = DirectedContract.objects.filter(
        status=DirectedContract.Status.IN_SERVICE, service_starts_on__isnull=False
    ).select_related("service_place")
    for contract in contracts:
        last = service_last_day(contract)
        if last is None or not today <= last <= until:
            continue
        place = contract.service_place
        yield Due(
            key=f"directed:{contract.pk}:ends:{last:%Y%m%d}",
            users=frozenset(
                to.keepers(place.pk, place.commission_region_id)
                if place is not None
                else to.commission(None)
            ),
            title=_("定向医学生%(name)s的服务期将于%(day)s届满")
            % {"name": contract.name, "day": _date(last)},
            url=reverse("recruitment:contract", args=[contract.pk]),
            due_on=last,
            kind="obligation",
        )


@register("licence", gettext_lazy("执业证书到期"))
def licences_expiring(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """Licences expiring within 60 days: the holder and their institution's administrators."""
    rows = Licence.objects.filter(
        expires_on__range=(today, today + LICENCE_DAYS * DAY)
    ).select_related("person")
    for licence in rows:
        expires_on = licence.expires_on or today  # never None: the filter asks for a day
        person = licence.person
        yield Due(
            key=f"licence:{licence.pk}:{expires_on:%Y%m%d}",
            users=frozenset(to.institution(person.institution_id) | to.person(person.pk)),
            # The licence's number stays on the person's page: it is not sent by e-mail.
            title=_("%(person)s的%(category)s执业证书将于%(day)s到期")
            % {
                "person": person.name,
                "category": licence.get_category_display(),
                "day": _date(expires_on),
            },
            url=reverse("people:detail", args=[person.pk]),
            due_on=expires_on,
            kind="licence",
        )


@register("monthly_report", gettext_lazy("进修月报未交"))
def reports_not_in(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """After the 5th, the trainees whose last month's report is not in."""
    if today.day <= REPORT_DAY:
        return
    month = (today.replace(day=1) - DAY).replace(day=1)
    deadline = today.replace(day=REPORT_DAY)
    for secondment in reports_missing(month):
        yield Due(
            key=f"secondment:{secondment.pk}:report:{month:%Y%m}",
            users=frozenset(to.person(secondment.person_id)),
            title=_("%(year)d 年 %(month)d 月进修月报未按时提交（%(host)s）")
            % {"year": month.year, "month": month.month, "host": secondment.host.name},
            url=reverse("training:secondment", args=[secondment.pk]) + "#report-form",
            due_on=deadline,
            kind="monthly_report",
        )


@register("notice", gettext_lazy("招聘公示截止"))
def notices_ending(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """Public notices of recruitment plans ending within three days: the recruiting
    institution, which hires once the notice is over and its objections settled."""
    rows = PublicNotice.objects.filter(
        ends_on__range=(today, today + NOTICE_DAYS * DAY)
    ).select_related("plan__institution")
    for notice in rows:
        institution = notice.plan.institution
        yield Due(
            key=f"notice:{notice.pk}:ends:{notice.ends_on:%Y%m%d}",
            users=frozenset(to.institution(institution.pk)),
            title=_("公示“%(title)s”将于%(day)s结束")
            % {"title": notice.title, "day": _date(notice.ends_on)},
            url=reverse("recruitment:notice", args=[notice.pk]),
            due_on=notice.ends_on,
            kind="notice",
        )


def care_open(today: datetime.date) -> Iterable[Any]:
    """The 八个一 service tasks not done and due within the week or overdue, counted by serving
    institution (one grouped query over the open tasks' index): institution, n, overdue."""
    return (
        ServiceTask.objects.filter(done_on__isnull=True, due_on__lte=today + CARE_DAYS * DAY)
        .values("institution")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
        .order_by("institution")
    )


@register("service_task", gettext_lazy("八个一服务任务"))
def service_tasks_due(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """One notice an institution and day to its administrators: how many of its service tasks
    are due within the week or overdue, how many overdue, linking to its list."""
    url = reverse("retention:care_tasks")
    for row in care_open(today):
        institution = row["institution"]
        yield Due(
            key=f"care:{institution}:{today:%Y%m%d}",
            users=frozenset(to.institution(institution)),
            title=_("%(n)d 项服务任务待完成，其中 %(overdue)d 项逾期")
            % {"n": row["n"], "overdue": row["overdue"]},
            url=f"{url}?status={'overdue' if row['overdue'] else 'open'}",
            due_on=today,
            kind="service_task",
        )


@register("care_birthday", gettext_lazy("服务对象生日"))
def birthdays_coming(today: datetime.date, to: Recipients) -> Iterable[Due]:
    """The served talents whose birthday (the birthday health card's task) falls in the next
    seven days, counted by serving institution: one notice an institution and day."""
    rows = (
        ServiceTask.objects.filter(
            done_on__isnull=True,
            item__recurrence=ServiceItem.Recurrence.YEARLY_BIRTHDAY,
            due_on__range=(today, today + CARE_DAYS * DAY),
        )
        .values("institution")
        .annotate(n=Count("id"))
        .order_by("institution")
    )
    url = reverse("retention:care_tasks")
    until = today + CARE_DAYS * DAY
    for row in rows:
        institution = row["institution"]
        yield Due(
            key=f"care_birthday:{institution}:{today:%Y%m%d}",
            users=frozenset(to.institution(institution)),
            title=_("%(n)d 位服务对象将在 7 天内过生日，请送上生日健康卡") % {"n": row["n"]},
            url=f"{url}?status=open&since={today:%Y-%m-%d}&until={until:%Y-%m-%d}",
            due_on=until,
            kind="care_birthday",
        )
