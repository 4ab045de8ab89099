"""The 八个一 service package: its eight items as Baoshan's source lists them, enrolling a
served talent (a person of category "served talent", no institution), the service tasks
generated when due (set-based and idempotent), completing a task once, and the green
channel's requests answered within the SLA."""

import calendar
import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access import pii
from yicai.access.models import RequestUser
from yicai.org.models import Institution, Region
from yicai.people.identity import normalise
from yicai.people.models import Person
from yicai.people.services import person_create
from yicai.retention.models import (
    Enrolment,
    GreenChannelRequest,
    ServiceItem,
    ServicePackage,
    ServiceTask,
)
from yicai.validation import full_clean_or_raise

R = ServiceItem.Recurrence
# Tasks falling due this many days ahead are generated already (a birthday card is prepared
# before the birthday; the reminder says what is due within the week).
LEAD_DAYS = 7
BATCH = 5000
PACKAGE_NAME = "科创人才“八个一”服务"
# (name, recurrence, days to do): the order of Baoshan's source.
EIGHT = [
    ("结对一名健康守护医生", R.ONCE, 30),
    ("建立一份电子健康档案", R.ONCE, 30),
    ("开展每月一次问候", R.MONTHLY, 14),
    ("分享一份健康手册", R.ONCE, 30),
    ("赠送一张“生日健康卡”", R.YEARLY_BIRTHDAY, 7),
    ("畅通一个就医绿色通道", R.ON_REQUEST, 1),
    ("每半年组织一次健康沙龙或健康咨询活动", R.HALF_YEARLY, 60),
    ("开通一条人才心理咨询热线", R.ON_REQUEST, 1),
]
ENROL_FIELDS = (
    "employer",
    "talent_kind",
    "enrolled_on",
    "institution",
    "guardian",
    "team_name",
    "note",
)
SERVED_FIELDS = ("name", "sex", "birth_date", "id_number", "phone")


@transaction.atomic
def package_defaults_create(
    *, region: Region, by: RequestUser | None = None, name: str = PACKAGE_NAME
) -> ServicePackage:
    """The region's 八个一 package with its eight items (again: the one there already)."""
    package, _created = ServicePackage.objects.get_or_create(region=region, name=name)
    for order, (item, recurrence, days) in enumerate(EIGHT, start=1):
        ServiceItem.objects.get_or_create(
            package=package,
            name=item,
            defaults={"recurrence": recurrence, "order": order, "days_to_do": days},
        )
    return package


def _served_person(
    *,
    name: str,
    sex: Any,
    birth_date: datetime.date | None,
    id_number: str,
    phone: str,
) -> Person:
    """The served talent: the person on file with this identity number, or a new person of
    category served talent with no institution, only what the service needs."""
    number = normalise(id_number or "")
    if number:
        found = Person.objects.filter(id_number_index=pii.blind_index(number)).first()
        if found is not None:
            return found
    return person_create(
        name=name,
        sex=sex,
        birth_date=birth_date,
        id_number=number,
        phone=phone or "",
        category=Person.Category.SERVED_TALENT,
        institution=None,
    )


@transaction.atomic
def enrol(
    *,
    by: RequestUser | None,
    package: ServicePackage,
    institution: Institution,
    enrolled_on: datetime.date,
    person: Person | None = None,
    name: str = "",
    sex: Any = None,
    birth_date: datetime.date | None = None,
    id_number: str = "",
    phone: str = "",
    guardian: Person | None = None,
    employer: str = "",
    talent_kind: str = "",
    team_name: str = "",
    team: Iterable[Person] = (),
    note: str = "",
) -> Enrolment:
    errors: dict[str, str] = {}
    if institution.commission_region_id != package.region_id:
        errors["institution"] = _("该机构不属于服务包所在辖区。")
    if guardian is not None and guardian.institution_id != institution.pk:
        errors["guardian"] = _("健康守护医生须为服务机构的人员。")
    team = list(team)
    if any(member.institution_id != institution.pk for member in team):
        errors["team"] = _("团队成员须为服务机构的人员。")
    if person is None and not name.strip():
        errors["name"] = _("请填写服务对象姓名。")
    if errors:
        raise ValidationError(errors)
    if person is None:
        person = _served_person(
            name=name, sex=sex, birth_date=birth_date, id_number=id_number, phone=phone
        )
    if (
        Enrolment.objects.filter(package=package, person=person, ended_on__isnull=True)
        .filter(enrolled_on__lte=enrolled_on)
        .exists()
    ):
        raise ValidationError({"name": _("该服务对象已在此服务包中。")})
    enrolment = Enrolment(
        package=package,
        person=person,
        institution=institution,
        enrolled_on=enrolled_on,
        guardian=guardian,
        employer=employer.strip(),
        talent_kind=talent_kind.strip(),
        team_name=team_name.strip(),
        note=note,
    )
    full_clean_or_raise(enrolment)
    enrolment.save()
    if team:
        enrolment.team.set(team)
    return enrolment


@transaction.atomic
def enrolment_end(*, enrolment: Enrolment, by: RequestUser | None, on: datetime.date) -> Enrolment:
    if on < enrolment.enrolled_on:
        raise ValidationError({"ended_on": _("退出日期不能早于入组日期。")})
    enrolment.ended_on = on
    enrolment.save(update_fields=["ended_on"])
    return enrolment


# --- Generating the tasks due ------------------------------------------------------------------


def _birthday(born: datetime.date, year: int) -> datetime.date:
    """The birthday in `year` (29 February: the 28th in a common year)."""
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return datetime.date(year, 2, 28)
    return born.replace(year=year)


def _months(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start.replace(day=1)
    while day <= end:
        yield day
        day = (day + datetime.timedelta(days=32)).replace(day=1)


def due_periods(
    recurrence: str,
    *,
    enrolled_on: datetime.date,
    born: datetime.date | None,
    after: datetime.date | None,
    through: datetime.date,
) -> Iterator[tuple[str, datetime.date]]:
    """(period, due day) of an item for an enrolment, due after `after` (None: from the
    start) and on or before `through`; a period starting before the enrolment falls due on
    the day of enrolment."""
    start = enrolled_on if after is None else max(enrolled_on, after + datetime.timedelta(1))
    if start > through:
        return
    if recurrence == R.ONCE:
        if after is None or enrolled_on > after:
            yield "once", enrolled_on
    elif recurrence == R.MONTHLY:
        for first in _months(enrolled_on, through):
            due = max(first, enrolled_on)
            if start <= due <= through:
                yield f"{first:%Y-%m}", due
    elif recurrence == R.HALF_YEARLY:
        for year in range(enrolled_on.year, through.year + 1):
            for half, month in ((1, 1), (2, 7)):
                due = max(datetime.date(year, month, 1), enrolled_on)
                if due.year == year and (half == 2 or due.month < 7) and start <= due <= through:
                    yield f"{year}H{half}", due
    elif recurrence == R.YEARLY_BIRTHDAY and born is not None:
        for year in range(enrolled_on.year, through.year + 1):
            due = _birthday(born, year)
            if start <= due <= through and due >= enrolled_on:
                yield str(year), due


def tasks_generate(today: datetime.date, *, batch: int = BATCH) -> int:
    """Create the tasks of every active enrolment falling due up to `today` + LEAD_DAYS that
    are not there yet: the enrolments are read in one query (with the person's birth date),
    each looked at only after the day its tasks were last generated, and the tasks inserted
    in batches ignoring those already there (the unique constraint on enrolment, item and
    period), so running it again creates nothing. How many were new."""
    through = today + datetime.timedelta(days=LEAD_DAYS)
    items: dict[int, list[tuple[int, str, int]]] = {}
    for item in ServiceItem.objects.filter(package__active=True).exclude(recurrence=R.ON_REQUEST):
        items.setdefault(item.package_id, []).append((item.pk, item.recurrence, item.days_to_do))
    if not items:
        return 0
    enrolments = (
        Enrolment.objects.filter(package__in=list(items), enrolled_on__lte=through)
        .filter(Q(generated_through__isnull=True) | Q(generated_through__lt=through))
        .filter(
            Q(ended_on__isnull=True)
            | Q(generated_through__isnull=True)
            | Q(ended_on__gt=F("generated_through"))
        )
        .values_list(
            "pk",
            "package_id",
            "institution_id",
            "enrolled_on",
            "ended_on",
            "generated_through",
            "person__birth_date",
        )
        .order_by("pk")
    )
    created = 0  # candidates: some may be there already
    before: int | None = None
    pending: list[ServiceTask] = []
    done: list[int] = []

    def flush() -> int:
        nonlocal before
        if before is None and pending:
            before = ServiceTask.objects.count()
        candidates = len(pending)
        with transaction.atomic():
            ServiceTask.objects.bulk_create(pending, batch_size=batch, ignore_conflicts=True)
            for start in range(0, len(done), 900):
                Enrolment.objects.filter(pk__in=done[start : start + 900]).update(
                    generated_through=through
                )
        pending.clear()
        done.clear()
        return candidates

    # Read whole before writing (SQLite reads and writes the same table on one connection).
    for pk, package, institution, enrolled_on, ended_on, after, born in list(enrolments):
        last = min(through, ended_on) if ended_on else through
        for item_id, recurrence, days in items[package]:
            for period, due in due_periods(
                recurrence, enrolled_on=enrolled_on, born=born, after=after, through=last
            ):
                pending.append(
                    ServiceTask(
                        enrolment_id=pk,
                        item_id=item_id,
                        period=period,
                        institution_id=institution,
                        due_on=due,
                        deadline=due + datetime.timedelta(days=days),
                    )
                )
        done.append(pk)
        if len(pending) >= batch:
            created += flush()
    if pending or done:
        created += flush()
    # What was new: the rows now less those before (no count when nothing was a candidate).
    return 0 if before is None or not created else ServiceTask.objects.count() - before


# --- Doing them --------------------------------------------------------------------------------


@transaction.atomic
def task_complete(
    *,
    task: ServiceTask,
    by: RequestUser | None,
    done_on: datetime.date,
    channel: str,
    note: str = "",
    satisfaction: int | None = None,
) -> ServiceTask:
    """Record a task done (once): the day, how, what was done and the satisfaction score."""
    task = ServiceTask.objects.select_for_update().get(pk=task.pk)
    errors: dict[str, str] = {}
    if task.done_on is not None:
        errors["done_on"] = _("该服务任务已于%s完成。") % f"{task.done_on:%Y-%m-%d}"
    elif done_on < task.enrolment.enrolled_on:
        errors["done_on"] = _("完成日期不能早于入组日期。")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("完成日期不能晚于今天。")
    if not channel:
        errors["channel"] = _("请选择服务方式。")
    if errors:
        raise ValidationError(errors)
    task.done_on = done_on
    task.channel = channel
    task.note = note.strip()
    task.satisfaction = satisfaction
    task.done_by = by if by is not None and by.is_authenticated else None
    full_clean_or_raise(task)
    task.save()
    return task


@transaction.atomic
def green_channel_request(
    *,
    enrolment: Enrolment,
    by: RequestUser | None,
    need: str,
    requested_at: datetime.datetime | None = None,
) -> GreenChannelRequest:
    if enrolment.ended_on is not None:
        raise ValidationError({"need": _("该服务对象已退出服务。")})
    at = requested_at or timezone.now()
    request = GreenChannelRequest(
        enrolment=enrolment,
        requested_at=at,
        need=need.strip(),
        respond_by=at + datetime.timedelta(hours=settings.GREEN_CHANNEL_HOURS),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    full_clean_or_raise(request)
    request.save()
    return request


@transaction.atomic
def green_channel_respond(
    *,
    request: GreenChannelRequest,
    by: RequestUser | None,
    outcome: str,
    responded_at: datetime.datetime | None = None,
    satisfaction: int | None = None,
) -> GreenChannelRequest:
    request = GreenChannelRequest.objects.select_for_update().get(pk=request.pk)
    at = responded_at or timezone.now()
    errors: dict[str, str] = {}
    if request.responded_at is not None:
        errors["outcome"] = _("该申请已应答。")
    elif at < request.requested_at:
        errors["responded_at"] = _("应答时间不能早于申请时间。")
    if not outcome.strip():
        errors["outcome"] = errors.get("outcome") or _("请填写办理结果。")
    if errors:
        raise ValidationError(errors)
    request.responded_at = at
    request.outcome = outcome.strip()
    request.satisfaction = satisfaction
    full_clean_or_raise(request)
    request.save()
    return request
