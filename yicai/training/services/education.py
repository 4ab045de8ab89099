"""Continuing education: events and who attended them, credits reported from outside, the
yearly credit requirement; training quotas and the enrolments (short courses, degree study)
that, with secondments, fill them.

An event with attendance is not deleted: its attendance is removed first, so no one's
credits disappear with it unnoticed.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.org.models import Department, Institution
from yicai.people.models import Person
from yicai.training.models import (
    MAX_CREDITS,
    MAX_REQUIRED,
    Attendance,
    CreditRequirement,
    EducationEvent,
    Enrolment,
    ExternalCredit,
    TrainingQuota,
)
from yicai.training.services.rules import (
    assign,
    department_in,
    no_patient_data,
    raise_errors,
    saved,
)

EVENT_FIELDS = (
    "kind",
    "title",
    "institution",
    "department",
    "held_on",
    "speaker",
    "speaker_name",
    "hours",
    "credit_class",
    "credits",
    "note",
)
ENROLMENT_FIELDS = ("kind", "provider", "programme", "start_on", "end_on", "status")
# A credit figure as given: a Decimal from a form or the API, text from an import, None or ""
# when left empty.
CreditsInput = Decimal | str | None


def _credits(
    value: object,
    errors: dict[str, str],
    field: str,
    *,
    positive: bool = False,
    maximum: Decimal = MAX_CREDITS,
) -> Decimal | None:
    """A credit figure as a Decimal, or an error on its field (never a float, never below 0,
    never above what one activity may grant)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        errors[field] = _("学分须是数字。")
        return None
    if not number.is_finite():
        errors[field] = _("学分须是数字。")
    elif number < 0 or (positive and number == 0):
        errors[field] = _("学分须大于零。") if positive else _("学分不能为负数。")
    elif number > maximum:
        errors[field] = (
            _("单个项目授予的学分不能超过 %s 分。") % MAX_CREDITS
            if maximum == MAX_CREDITS
            else _("学分不能超过 %s 分。") % maximum
        )
    elif number != number.quantize(Decimal("0.1")):
        errors[field] = _("学分最多保留一位小数。")
    else:
        return number
    return None


def _check_year(value: int | str, errors: dict[str, str]) -> None:
    """A year as given (a number, or text from a hostile caller) between 2000 and 2100."""
    try:
        year: int | None = int(value)
    except (TypeError, ValueError):
        year = None
    if year is None or not 2000 <= year <= 2100:
        errors["year"] = _("请填写 2000 至 2100 之间的年度。")


def _check_event(event: EducationEvent, errors: dict[str, str]) -> None:
    if event.institution_id is not None:
        department_in(event.department, event.institution, errors)
    if event.speaker_id is None and not event.speaker_name:
        errors["speaker"] = _("请选择主讲人，或填写院外主讲人姓名。")
    elif event.speaker_id is not None and event.speaker_name:
        errors["speaker_name"] = _("已选择主讲人时不必再填写院外主讲人。")
    no_patient_data(errors, title=event.title, note=event.note)


@transaction.atomic
def event_create(
    *,
    kind: str,
    title: str,
    institution: Institution,
    held_on: datetime.date,
    hours: Decimal,
    credit_class: str,
    credits: CreditsInput,
    department: Department | None = None,
    speaker: Person | None = None,
    speaker_name: str = "",
    note: str = "",
) -> EducationEvent:
    """An activity, held or planned (a future date puts it on the calendar; attendance is
    recorded once the day has come)."""
    errors: dict[str, str] = {}
    event = EducationEvent(
        kind=kind,
        title=(title or "").strip(),
        institution=institution,
        department=department,
        held_on=held_on,
        speaker=speaker,
        speaker_name=(speaker_name or "").strip(),
        hours=hours,
        credit_class=credit_class,
        # None when refused or left empty, and errors["credits"] says so.
        credits=_credits(credits, errors, "credits"),  # type: ignore[misc]
        note=(note or "").strip(),
    )
    if credits in (None, ""):
        errors["credits"] = _("请填写每人学分。")
    _check_event(event, errors)
    return saved(event, errors)


@transaction.atomic
def event_update(*, event: EducationEvent, **values: object) -> EducationEvent:
    """Change an activity. Attendees who were given the event's credits follow a change of
    them; one with credits of their own keeps those. An activity with attendance cannot be
    moved to a future date."""
    errors: dict[str, str] = {}
    if "credits" in values:
        if values["credits"] in (None, ""):
            errors["credits"] = _("请填写每人学分。")
        values["credits"] = _credits(values["credits"], errors, "credits")
    assign(event, values, EVENT_FIELDS)
    _check_event(event, errors)
    if (
        isinstance(event.held_on, datetime.date)
        and event.held_on > timezone.localdate()
        and event.attendances.exists()
    ):
        errors["held_on"] = _("已登记参加人员的活动不能改到今天以后。")
    return saved(event, errors)


@transaction.atomic
def event_delete(*, event: EducationEvent) -> None:
    """Delete an activity that nobody attended; with attendance it is refused."""
    count = event.attendances.count()
    if count:
        raise ValidationError(
            {"event": _("该活动已有 %(n)d 人登记参加，请先移除参加人员再删除。") % {"n": count}}
        )
    event.delete()


@transaction.atomic
def attendance_record(
    *, event: EducationEvent, people: Iterable[Person], credits: CreditsInput = None
) -> list[Attendance]:
    """Several people attended an activity (all of them, or none when one is refused).
    `credits` left empty gives each the event's credits. Whether the user may see these
    people is the caller's check, through the scope module."""
    people = list(people)
    errors: dict[str, str] = {}
    awarded = _credits(credits, errors, "credits")
    if not people:
        errors["people"] = _("请至少选择一名参加人员。")
    elif len({person.pk for person in people}) != len(people):
        errors["people"] = _("同一人员不能重复选择。")
    else:
        already = list(
            Attendance.objects.filter(event=event, person__in=people)
            .select_related("person")
            .order_by("person__name_initials")
        )
        if already:
            names = "、".join(item.person.name for item in already)
            errors["people"] = _("以下人员已登记参加此活动：%s。") % names
    if event.held_on > timezone.localdate():
        errors["event"] = _("活动尚未举行，举行后才能登记参加人员。")
    raise_errors(errors)
    # One save each, so the audit log has every row.
    return [saved(Attendance(event=event, person=person, credits=awarded)) for person in people]


@transaction.atomic
def attendance_update(*, attendance: Attendance, credits: CreditsInput) -> Attendance:
    """Give one attendee credits of their own, or (empty) the event's again."""
    errors: dict[str, str] = {}
    attendance.credits = _credits(credits, errors, "credits")
    raise_errors(errors)
    return saved(attendance)


@transaction.atomic
def attendance_remove(*, attendance: Attendance) -> None:
    attendance.delete()


@transaction.atomic
def external_credit_record(
    *,
    person: Person,
    earned_on: datetime.date,
    title: str,
    provider: str,
    credit_class: str,
    credits: CreditsInput,
) -> ExternalCredit:
    """Credits a person earned elsewhere (a provincial course, distance learning)."""
    errors: dict[str, str] = {}
    record = ExternalCredit(
        person=person,
        earned_on=earned_on,
        title=(title or "").strip(),
        provider=(provider or "").strip(),
        credit_class=credit_class,
        # None when refused or left empty, and errors["credits"] says so.
        credits=_credits(credits, errors, "credits", positive=True),  # type: ignore[misc]
    )
    if credits in (None, ""):
        errors["credits"] = _("请填写学分。")
    no_patient_data(errors, title=record.title)
    raise_errors(errors)
    return saved(record)


@transaction.atomic
def external_credit_delete(*, record: ExternalCredit) -> None:
    record.delete()


@transaction.atomic
def credit_requirement_set(
    *, year: int | str, total: CreditsInput, class_i: CreditsInput, class_ii: CreditsInput
) -> CreditRequirement:
    """The commission's requirement from a year on (the years before keep theirs)."""
    errors: dict[str, str] = {}
    _check_year(year, errors)
    figures = {
        "total": _credits(total, errors, "total", maximum=MAX_REQUIRED),
        "class_i": _credits(class_i, errors, "class_i", maximum=MAX_REQUIRED),
        "class_ii": _credits(class_ii, errors, "class_ii", maximum=MAX_REQUIRED),
    }
    for field, value in figures.items():
        if value is None and field not in errors:
            errors[field] = _("请填写学分。")
    required, class_i_figure, class_ii_figure = figures.values()
    if (
        required is not None  # all three are when there is no error
        and class_i_figure is not None
        and class_ii_figure is not None
        and not errors
        and class_i_figure + class_ii_figure > required
    ):
        errors["total"] = _("年度总学分不能少于Ⅰ类与Ⅱ类学分要求之和。")
    raise_errors(errors)
    year = int(year)  # checked above
    requirement = CreditRequirement.objects.filter(year=year).first() or CreditRequirement(
        year=year
    )
    for field, value in figures.items():
        setattr(requirement, field, value)
    return saved(requirement)


@transaction.atomic
def quota_set(
    *, institution: Institution, year: int | str, kind: str, number: int
) -> TrainingQuota:
    """The commission sets (or changes) an institution's quota for a kind of training."""
    errors: dict[str, str] = {}
    _check_year(year, errors)
    if institution.relation != institution.Relation.MANAGED:
        errors["institution"] = _("只能为辖区管理的机构设定培训指标。")
    raise_errors(errors)
    year = int(year)  # checked above
    quota = TrainingQuota.objects.filter(
        institution=institution, year=year, kind=kind
    ).first() or TrainingQuota(institution=institution, year=year, kind=kind)
    quota.number = number
    return saved(quota)


def _check_enrolment(enrolment: Enrolment, errors: dict[str, str]) -> None:
    today = timezone.localdate()
    end_on = enrolment.end_on
    if enrolment.status == Enrolment.Status.COMPLETED and end_on is None:
        errors["end_on"] = _("已结业/毕业须填写结束日期。")
    if (
        enrolment.status == Enrolment.Status.COMPLETED
        and isinstance(end_on, datetime.date)
        and end_on > today
    ):
        errors["end_on"] = _("尚未到结束日期，不能登记为已结业/毕业。")
    start_on = enrolment.start_on
    if (
        isinstance(start_on, datetime.date)
        and start_on > today
        and enrolment.status != Enrolment.Status.ENROLLED
    ):
        errors["status"] = _("尚未开始的培训只能登记为在读/在训。")
    if enrolment.person_id is not None and enrolment.person.institution_id is None:
        errors["person"] = _("该人员没有所在机构，不能计入培训指标。")
    no_patient_data(errors, programme=enrolment.programme, provider=enrolment.provider)


@transaction.atomic
def enrolment_create(
    *,
    person: Person,
    kind: str,
    provider: str,
    programme: str,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    status: str = Enrolment.Status.ENROLLED,
) -> Enrolment:
    """A person starts a short course or degree study (admitted ahead of the start date,
    too); it counts towards their institution's quota of its start year unless withdrawn."""
    enrolment = Enrolment(
        person=person,
        kind=kind,
        provider=(provider or "").strip(),
        programme=(programme or "").strip(),
        start_on=start_on,
        end_on=end_on,
        status=status,
    )
    errors: dict[str, str] = {}
    _check_enrolment(enrolment, errors)
    raise_errors(errors)
    return saved(enrolment)


@transaction.atomic
def enrolment_update(*, enrolment: Enrolment, **values: object) -> Enrolment:
    """Change an enrolment (its dates, its status); the person stays."""
    assign(enrolment, values, ENROLMENT_FIELDS)
    errors: dict[str, str] = {}
    _check_enrolment(enrolment, errors)
    raise_errors(errors)
    return saved(enrolment)
