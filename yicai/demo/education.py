"""A year of continuing education in the demo district, made through the training services:
the central hospital's lectures, case discussions, technique exchanges and skills training with
attendance and credits; the commission's training quotas for every managed institution; short
courses and degree study that count towards them. Deterministic; loaded once."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from yicai.access.models import User
from yicai.org.models import Institution
from yicai.people.models import GRADE_RANK, Person
from yicai.training.models import (
    CreditClass,
    EducationEvent,
    Enrolment,
    Secondment,
    TrainingKind,
)
from yicai.training.services.education import (
    attendance_record,
    enrolment_create,
    event_create,
    quota_set,
)

K = EducationEvent.Kind
# What is taught and the department whose staff teach it.
TOPICS = (
    (K.LECTURE, "急性胸痛的早期识别", "心血管内科"),
    (K.CASE_DISCUSSION, "疑难肺部感染病例讨论", "呼吸与危重症医学科"),
    (K.TECHNIQUE_LECTURE, "单孔腹腔镜技术交流", "普外科"),
    (K.SKILLS_TRAINING, "心肺复苏技能培训", "急诊医学科"),
    (K.LECTURE, "抗菌药物合理使用", "药剂科"),
    (K.CASE_DISCUSSION, "不明原因发热病例讨论", "急诊医学科"),
    (K.TECHNIQUE_LECTURE, "超声引导下神经阻滞技术交流", "麻醉科"),
    (K.SKILLS_TRAINING, "气管插管技能培训", "麻醉科"),
    (K.LECTURE, "院内感染防控要点", "护理部"),
)
EVENTS = 24


def is_loaded() -> bool:
    return EducationEvent.objects.exists()


def _speaker(home, name: str, fallback: list[Person]) -> Person:
    """The most senior of the department that teaches the topic."""
    people = Person.objects.filter(
        institution=home, department__name=name, category=Person.Category.STAFF
    ).exclude(title_grade="")
    ranked = sorted(people, key=lambda p: (-GRADE_RANK.get(p.title_grade, 0), p.birth_date, p.pk))
    return ranked[0] if ranked else fallback[0]


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
        Person.objects.filter(
            institution=home, category=Person.Category.STAFF, department__clinical=True
        ).order_by("pk")
    )
    if len(staff) < 2:
        return 0
    user = User.objects.filter(username="trainee", person__institution=home).first()
    keen = user.person if user else None
    # Who is away on a secondment that day does not attend at home.
    away = list(
        Secondment.objects.filter(person__institution=home).values_list(
            "person", "start_on", "end_on"
        )
    )
    start = today - datetime.timedelta(days=330)
    events = 0
    for number in range(EVENTS):
        kind, title, department = TOPICS[number % len(TOPICS)]
        speaker = _speaker(home, department, staff)
        held_on = start + datetime.timedelta(days=number * 13)
        event = event_create(
            kind=kind,
            title=title,
            institution=home,
            department=speaker.department,
            held_on=held_on,
            hours=Decimal(2),
            credit_class=CreditClass.CLASS_II,
            credits=Decimal("1.0") if kind == EducationEvent.Kind.LECTURE else Decimal("2.0"),
            speaker=speaker,
        )
        gone = {person for person, left, back in away if left <= held_on <= back}
        gone.add(speaker.pk)
        present = [p for p in staff if p.pk not in gone]
        attendees = rng.sample(present, min(len(present), rng.randint(15, 40)))
        # The demo trainee goes to most (when at home): their credits show it.
        if keen and keen.pk not in gone and keen not in attendees and rng.random() < 0.6:
            attendees.append(keen)
        if attendees:
            attendance_record(event=event, people=attendees)
        events += 1
    for institution in managed:
        for quota_kind, number in (
            (TrainingKind.SECONDMENT, 4),
            (TrainingKind.SHORT_COURSE, 10),
            (TrainingKind.DEGREE, 2),
        ):
            quota_set(institution=institution, year=today.year, kind=quota_kind, number=number)
    for number, person in enumerate(staff[5:15]):
        degree = number < 2
        enrolment_create(
            person=person,
            kind=Enrolment.Kind.DEGREE if degree else Enrolment.Kind.SHORT_COURSE,
            provider="复旦大学上海医学院" if degree else "上海市医学会",
            programme="临床医学硕士（在职）" if degree else "全科医学骨干短期培训",
            start_on=min(
                today.replace(month=1, day=1) + datetime.timedelta(days=number * 9), today
            ),
        )
    return events
