"""Continuing education for tests: events, attendance, external credits, enrolments, quotas
and the secondments quotas count, made through the services."""

import datetime

from yicai.training.models import CreditClass, EducationEvent, Secondment, TrainingKind
from yicai.training.services.education import (
    attendance_record,
    enrolment_create,
    event_create,
    external_credit_record,
    quota_set,
)

YEAR = 2025
DAY = datetime.date(YEAR, 3, 12)
CLASS_I, CLASS_II = CreditClass.CLASS_I, CreditClass.CLASS_II


def event(world, on=DAY, credit_class=CLASS_II, credits="2", **extra):
    values = {
        "kind": EducationEvent.Kind.LECTURE,
        "title": "心衰的规范化治疗",
        "institution": world.a,
        "held_on": on,
        "hours": "1.5",
        "credit_class": credit_class,
        "credits": credits,
        "speaker_name": "王教授",
    } | extra
    return event_create(**values)


def attend(event, *people, credits=None):
    return attendance_record(event=event, people=people, credits=credits)


def external(world, person=None, on=DAY, credit_class=CLASS_I, credits="5", **extra):
    return external_credit_record(
        person=person or world.a_doctor,
        earned_on=on,
        title=extra.pop("title", "省级心血管介入培训班"),
        provider=extra.pop("provider", "省医学会"),
        credit_class=credit_class,
        credits=credits,
        **extra,
    )


SECONDMENT, SHORT, DEGREE = TrainingKind.SECONDMENT, TrainingKind.SHORT_COURSE, TrainingKind.DEGREE


def secondment(world, person, start_on, **extra):
    """Straight through the ORM (the secondment services are the lead's), with the model's
    own checks."""
    record = Secondment(
        person=person,
        host=world.partner,
        host_department="心内科",
        start_on=start_on,
        end_on=start_on + datetime.timedelta(days=180),
        **extra,
    )
    record.full_clean()
    record.save()
    return record


def enrolment(person, kind=SHORT, start_on=datetime.date(YEAR, 4, 1), **extra):
    return enrolment_create(
        person=person,
        kind=kind,
        provider=extra.pop("provider", "复旦大学上海医学院"),
        programme=extra.pop("programme", "超声介入短训班"),
        start_on=start_on,
        **extra,
    )


def quota(world, institution, kind, number, year=YEAR):
    return quota_set(institution=institution, year=year, kind=kind, number=number)
