"""A year of continuing education in the demo district, made through the training services:
the central hospital's lectures, case discussions, technique exchanges and skills training with
attendance and credits; the commission's training quotas for every managed institution; short
courses and degree study that count towards them. Deterministic; loaded once."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.training import services
from yicai.training.models import CreditClass, EducationEvent, Enrolment, TrainingKind

TOPICS = {
    EducationEvent.Kind.LECTURE: ["急性胸痛的早期识别", "抗菌药物合理使用", "院内感染防控要点"],
    EducationEvent.Kind.CASE_DISCUSSION: ["疑难肺部感染病例讨论", "不明原因发热病例讨论"],
    EducationEvent.Kind.TECHNIQUE_LECTURE: ["单孔腹腔镜技术交流", "超声引导下穿刺技术交流"],
    EducationEvent.Kind.SKILLS_TRAINING: ["心肺复苏技能培训", "气管插管技能培训"],
}


def is_loaded() -> bool:
    return EducationEvent.objects.exists()


@transaction.atomic
def load_education(*, today: datetime.date, seed: int = 13) -> int:
    """Returns the number of events made (0 when already loaded)."""
    if is_loaded():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    managed = list(Institution.objects.filter(relation="managed").order_by("pk"))
    if not managed:
        return 0
    home = managed[0]
    staff = list(
        Person.objects.filter(institution=home, category=Person.Category.STAFF)
        .exclude(department=None)
        .order_by("pk")[:120]
    )
    if len(staff) < 10:
        return 0
    start = today - datetime.timedelta(days=330)
    kinds = list(TOPICS)
    events = 0
    for number in range(24):
        kind = kinds[number % len(kinds)]
        speaker = staff[(number * 7) % len(staff)]
        event = services.event_create(
            kind=kind,
            title=rng.choice(TOPICS[kind]),
            institution=home,
            department=speaker.department,
            held_on=start + datetime.timedelta(days=number * 13),
            hours=Decimal(2),
            credit_class=CreditClass.CLASS_II,
            credits=Decimal("1.0") if kind == EducationEvent.Kind.LECTURE else Decimal("2.0"),
            speaker=speaker,
        )
        attendees = rng.sample([p for p in staff if p.pk != speaker.pk], rng.randint(15, 40))
        services.attendance_record(event=event, people=attendees)
        events += 1
    for institution in managed:
        for kind, number in (
            (TrainingKind.SECONDMENT, 4),
            (TrainingKind.SHORT_COURSE, 10),
            (TrainingKind.DEGREE, 2),
        ):
            services.quota_set(institution=institution, year=today.year, kind=kind, number=number)
    for number, person in enumerate(staff[5:15]):
        degree = number < 2
        services.enrolment_create(
            person=person,
            kind=Enrolment.Kind.DEGREE if degree else Enrolment.Kind.SHORT_COURSE,
            provider="复旦大学上海医学院" if degree else "上海市医学会",
            programme="临床医学硕士（在职）" if degree else "全科医学骨干短期培训",
            start_on=today.replace(month=1, day=1) + datetime.timedelta(days=number * 9),
        )
    return events
