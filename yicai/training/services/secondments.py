"""Secondments (进修): batches, members, monthly reports with the linked leader's comments,
needs, and the completion report whose techniques enter the registry as planned."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import User
from yicai.org.models import Institution, Region
from yicai.people.models import Appointment, Person
from yicai.training.models import (
    MonthlyReport,
    Secondment,
    SecondmentBatch,
    SecondmentNeed,
    Technique,
)
from yicai.training.services.rules import (
    assign,
    end_after_years,
    no_patient_data,
    raise_errors,
    saved,
)


def default_end(start_on: datetime.date) -> datetime.date:
    """A secondment lasts a year unless said otherwise."""
    return end_after_years(start_on, 1)


@transaction.atomic
def secondment_batch_create(
    *, name: str, year: int, region: Region, institution: Institution | None = None, note: str = ""
) -> SecondmentBatch:
    errors: dict[str, str] = {}
    if institution is not None and institution.commission_region_id != region.pk:
        errors["institution"] = _("组织机构不属于该卫健委辖区。")
    batch = SecondmentBatch(
        name=(name or "").strip(),
        year=year,
        region=region,
        institution=institution,
        note=(note or "").strip(),
    )
    return saved(batch, errors)


def in_charge_of(leader: Person, person: Person) -> bool:
    """Whether a leader is in charge of a person's specialty (院领导挂钩): one of the leader's
    current posts lists the person's department, or a department above it, among the
    departments in charge. A person without a department is in the charge of whoever is in
    charge of a department of their institution."""
    posts = Appointment.objects.filter(person=leader, end_on__isnull=True)
    if person.department_id is None:
        if person.institution_id is None:  # a None lookup would match posts in charge of none
            return False
        return posts.filter(departments_in_charge__institution_id=person.institution_id).exists()
    above: list[int] = []
    department = person.department
    while department is not None:  # a few levels at most
        above.append(department.pk)
        department = department.parent
    return posts.filter(departments_in_charge__in=above).exists()


def _check_secondment(record: Secondment, errors: dict[str, str]) -> None:
    person, leader, batch = record.person, record.linked_leader, record.batch
    if record.host_id == person.institution_id:
        errors["host"] = _("进修医院不能是本人所在机构。")
    if leader is not None:
        if leader.pk == person.pk:
            errors["linked_leader"] = _("挂钩领导不能是进修人员本人。")
        elif not in_charge_of(leader, person):
            errors["linked_leader"] = _(
                "挂钩领导须分管进修人员所在的科室（专业）：请在该领导的任职经历中登记分管科室。"
            )
    if batch is not None:
        if person.institution is None or person.institution.commission_region_id != batch.region_id:
            errors["person"] = _("该人员不属于此批次的卫健委辖区。")
        elif batch.institution_id and batch.institution_id != person.institution_id:
            errors["person"] = _("该人员不是此批次组织机构的人员。")
    _overlap_errors(record, errors)


def _overlap_errors(record: Secondment, errors: dict[str, str]) -> None:
    """One person is on one secondment at a time: a planned or running one may not overlap
    another running one, nor the time a completed one actually took (to its completion, a
    past secondment recorded afterwards included). A withdrawn one ended on its day."""
    if record.status != Secondment.Status.ACTIVE:
        return
    overlapping = (
        Secondment.objects.filter(
            person=record.person, start_on__lte=record.end_on, end_on__gte=record.start_on
        )
        .filter(
            Q(status=Secondment.Status.ACTIVE)
            | Q(status=Secondment.Status.COMPLETED, completed_on__gte=record.start_on)
        )
        .exclude(pk=record.pk)
    )
    if overlapping.exists():
        errors["start_on"] = _("该人员在这段时间已有进修安排。")


@transaction.atomic
def secondment_create(
    *,
    person: Person,
    host: Institution,
    host_department: str,
    start_on: datetime.date,
    end_on: datetime.date | None = None,
    objectives: str = "",
    linked_leader: Person | None = None,
    batch: SecondmentBatch | None = None,
) -> Secondment:
    """A person goes to a host hospital, a year by default, with a linked leader of the same
    specialty (挂钩本专科的领导) who follows them throughout."""
    secondment = Secondment(
        person=person,
        host=host,
        host_department=(host_department or "").strip(),
        start_on=start_on,
        end_on=end_on or default_end(start_on),
        objectives=(objectives or "").strip(),
        linked_leader=linked_leader,
        batch=batch,
    )
    errors: dict[str, str] = {}
    if start_on and secondment.end_on:
        _check_secondment(secondment, errors)
    no_patient_data(errors, objectives=objectives)
    return saved(secondment, errors)


SECONDMENT_FIELDS = ("host", "host_department", "start_on", "end_on", "objectives", "linked_leader")


@transaction.atomic
def secondment_update(*, secondment: Secondment, **values: object) -> Secondment:
    """Change the plan (host, period, objectives, leader); the person and batch stay."""
    assign(secondment, values, SECONDMENT_FIELDS)
    errors: dict[str, str] = {}
    if secondment.start_on and secondment.end_on:
        _check_secondment(secondment, errors)
    no_patient_data(errors, objectives=secondment.objectives)
    return saved(secondment, errors)


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


@transaction.atomic
def monthly_report_submit(
    *,
    secondment: Secondment,
    month: datetime.date,
    content: str,
    techniques: str = "",
    person: Person | None = None,
    entered_by: User | None = None,
) -> MonthlyReport:
    """The trainee's (`person`) report for a month of their secondment, one per month. A
    past report is entered on their behalf by an administrator who may back-fill
    (`entered_by`, checked by the caller), marked as such; then a secondment that has ended
    still takes the reports of its months."""
    errors: dict[str, str] = {}
    if entered_by is None and (person is None or person.pk != secondment.person_id):
        raise ValidationError(_("只有进修人员本人可以提交月报。"))
    if entered_by is None and secondment.status != Secondment.Status.ACTIVE:
        errors["month"] = _("该进修已结束，不能再提交月报。")
    month = _month_start(month) if month else month
    if month:
        if month > timezone.localdate():
            errors["month"] = _("不能提交未来月份的月报。")
        elif month < _month_start(secondment.start_on) or month > secondment.end_on:
            errors["month"] = _("该月份不在进修期内。")
    no_patient_data(errors, content=content, techniques=techniques)
    raise_errors(errors)
    report = MonthlyReport(
        secondment=secondment,
        month=month,
        content=(content or "").strip(),
        techniques=(techniques or "").strip(),
        entered_by=entered_by,
    )
    return saved(report)


@transaction.atomic
def monthly_report_comment(
    *,
    report: MonthlyReport,
    comment: str,
    person: Person | None = None,
    entered_by: User | None = None,
    commented_on: datetime.date | None = None,
) -> MonthlyReport:
    """The linked leader (`person`) comments on a report (and may revise the comment
    later). A past comment, written on paper, is entered in the leader's name by an
    administrator who may back-fill (`entered_by`, checked by the caller), on the day it
    was made: not before the report's month, not after today."""
    leader = report.secondment.linked_leader
    if entered_by is None and (person is None or leader is None or person.pk != leader.pk):
        raise ValidationError(_("只有该进修人员的挂钩领导可以批注月报。"))
    comment = (comment or "").strip()
    errors: dict[str, str] = {}
    if not comment:
        errors["comment"] = _("请填写批注内容。")
    if entered_by is not None:
        if leader is None:
            errors["comment"] = _("该进修没有挂钩领导，不能代录批注。")
        if commented_on is None:
            errors["commented_on"] = _("请填写批注日期。")
        elif commented_on > timezone.localdate():
            errors["commented_on"] = _("批注日期不能晚于今天。")
        elif commented_on < report.month:
            errors["commented_on"] = _("批注日期不能早于月报所属月份。")
    no_patient_data(errors, comment=comment)
    raise_errors(errors)
    report.comment = comment
    report.commented_by = leader
    report.comment_entered_by = entered_by
    report.commented_at = (
        timezone.now()
        if entered_by is None or commented_on is None  # the latter is refused above
        else timezone.make_aware(datetime.datetime.combine(commented_on, datetime.time(12)))
    )
    return saved(report)


@transaction.atomic
def secondment_need_raise(
    *, secondment: Secondment, content: str, raised_on: datetime.date | None = None
) -> SecondmentNeed:
    errors: dict[str, str] = {}
    no_patient_data(errors, content=content)
    raise_errors(errors)
    need = SecondmentNeed(
        secondment=secondment,
        content=(content or "").strip(),
        raised_on=raised_on or timezone.localdate(),
    )
    return saved(need)


@transaction.atomic
def secondment_need_resolve(
    *, need: SecondmentNeed, resolution: str, resolved_on: datetime.date | None = None
) -> SecondmentNeed:
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写解决情况。")})
    errors: dict[str, str] = {}
    no_patient_data(errors, resolution=resolution)
    raise_errors(errors)
    need.resolution = resolution
    need.resolved_on = resolved_on or timezone.localdate()
    return saved(need)


@transaction.atomic
def secondment_complete(
    *,
    secondment: Secondment,
    completed_on: datetime.date,
    report: str,
    techniques: Sequence[tuple[str, str]] = (),
) -> list[Technique]:
    """Close a secondment with its completion report. The techniques to introduce on return
    (name, category) enter the home institution's registry as planned, from this secondment."""
    errors: dict[str, str] = {}
    if secondment.status != Secondment.Status.ACTIVE:
        errors["completed_on"] = _("该进修已结束。")
    elif not completed_on:
        errors["completed_on"] = _("请填写结业日期。")
    elif completed_on < secondment.start_on:
        errors["completed_on"] = _("结业日期不能早于开始日期。")
    elif completed_on > timezone.localdate():
        errors["completed_on"] = _("结业日期不能晚于今天。")
    if not (report or "").strip():
        errors["report"] = _("请填写结业报告。")
    no_patient_data(errors, report=report)
    person = secondment.person
    names = [(name or "").strip() for name, _category in techniques]
    existing = set(
        # A person of no institution (None) has no registry: nothing found, and full_clean
        # refuses the techniques below.
        Technique.objects.filter(
            institution_id=person.institution_id,  # type: ignore[misc]
            name__in=names,
        ).values_list("name", flat=True)
    )
    if "" in names:
        errors["techniques"] = _("技术名称不能为空。")
    elif len(set(names)) != len(names):
        errors["techniques"] = _("技术名称重复。")
    elif existing:
        errors["techniques"] = _("本机构已登记：%s") % "、".join(sorted(existing))
    planned = [
        Technique(
            institution_id=person.institution_id,  # type: ignore[misc]
            department_id=person.department_id,
            name=name,
            category=category,
            origin=Technique.Origin.SECONDMENT,
            secondment=secondment,
            status=Technique.Status.PLANNED,
        )
        for name, (_given, category) in zip(names, techniques, strict=True)
    ]
    if "techniques" not in errors:
        # The registry's own rules (a name's length, a known category), before anything is
        # written or the secondment is changed.
        for technique in planned:
            try:
                technique.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as error:
                problem = "；".join(error.messages)
                errors["techniques"] = f"{technique.name[:20]}：{problem}"
                break
    raise_errors(errors)
    secondment.status = Secondment.Status.COMPLETED
    secondment.completed_on = completed_on
    secondment.completion_report = report.strip()
    saved(secondment)
    return [saved(technique) for technique in planned]


@transaction.atomic
def secondment_withdraw(*, secondment: Secondment, on: datetime.date) -> Secondment:
    """Stop a secondment early (illness, recall): it ends that day and no longer counts. One
    called off before it begins ends on its first day (its period stays in order)."""
    if secondment.status != Secondment.Status.ACTIVE:
        raise ValidationError({"on": _("该进修已结束。")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("中止日期不能晚于今天。")})
    secondment.status = Secondment.Status.WITHDRAWN
    secondment.end_on = max(secondment.start_on, min(on, secondment.end_on))
    return saved(secondment)
