"""Secondment batches in the demo district, made through the training services: a dozen
young doctors and nurses of the central hospital left a few months ago for a year at partner
hospitals, one batch per host (named after it), each with a linked leader in charge of their
specialty (the demo department head for cardiology); a monthly report for each month so far,
submitted at its end, most commented a few days later; a few needs. Deterministic; loaded
once."""

import datetime
import random
from collections import defaultdict

from django.db import transaction

from yicai.access.models import User
from yicai.demo.moments import on, restamp
from yicai.demo.users import VICE_PRESIDENT
from yicai.org.models import Department, Institution
from yicai.people import services as people_services
from yicai.people.models import Appointment, Person
from yicai.training.models import Apprenticeship, SecondmentBatch
from yicai.training.services.secondments import (
    monthly_report_comment,
    monthly_report_submit,
    secondment_batch_create,
    secondment_create,
    secondment_need_raise,
    secondment_need_resolve,
)

LEARNING = [
    "跟随带教老师完成门诊及查房，参与疑难病例讨论 {n} 次",
    "学习本专业新技术操作规范，跟台 {n} 台，在指导下完成部分步骤",
    "参加进修医院业务学习和技能培训，完成操作考核 {n} 项",
]
COMMENTS = ["学习扎实，注意总结带回科室推广", "多争取上手机会，按月报告进度", "进展良好，继续保持"]
NEEDS = [
    ("需协调住宿", "已由医院租房解决"),
    ("希望增加手术跟台机会", ""),
    ("需购买专业书籍", "已报销"),
]
SECONDEES = 12


def is_loaded() -> bool:
    return SecondmentBatch.objects.exists()


def batch_start(today: datetime.date) -> datetime.date:
    """The batch left on the first of a month three or four months before `today`."""
    return (today - datetime.timedelta(days=100)).replace(day=1)


def _months(start: datetime.date, today: datetime.date):
    """The months of the secondment that have ended by `today`."""
    month = start.replace(day=1)
    while month < today.replace(day=1):
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def _secondees(home: Institution, trainee: Person | None) -> list[Person]:
    """Young doctors and nurses of clinical departments without a post, at most two of a
    department (the demo trainee first), who are not apprentices at home this year."""
    apprentices = Apprenticeship.objects.values("apprentice")
    people = (
        Person.objects.filter(
            institution=home,
            category=Person.Category.STAFF,
            department__clinical=True,
            personnel_category__code__in=("11", "21"),
            position__in=("医师", "护士"),
        )
        .exclude(pk__in=apprentices)
        .select_related("department")
        .order_by("-birth_date", "pk")
    )
    chosen = [trainee] if trainee is not None else []
    per_department = defaultdict(int, {trainee.department_id: 1} if trainee else {})
    for person in people:
        if len(chosen) == SECONDEES:
            break
        if person in chosen or per_department[person.department_id] == 2:
            continue
        per_department[person.department_id] += 1
        chosen.append(person)
    return chosen


def _department(person: Person) -> Department:
    """A secondee's department: _secondees chooses only people of a department."""
    if person.department is None:
        raise ValueError(f"secondee {person.pk} has no department")
    return person.department


def _host(
    person: Person, hosts: list[Institution], departments: dict[int, set[str]]
) -> Institution:
    """A partner hospital with a department of the person's specialty, else the first."""
    name = _department(person).name
    return next((host for host in hosts if name in departments[host.pk]), hosts[0])


@transaction.atomic
def load_secondments(*, today: datetime.date, seed: int = 11) -> int:
    """Returns the number of secondments made (0 when already loaded)."""
    if is_loaded():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    home = Institution.objects.filter(relation="managed").order_by("pk").first()
    hosts = list(Institution.objects.filter(relation="partner").order_by("pk")[:3])
    if home is None or not hosts or home.commission_region is None:
        return 0
    trainee_user = User.objects.filter(username="trainee").select_related("person").first()
    trainee = trainee_user.person if trainee_user and trainee_user.person_id else None
    if trainee is not None and trainee.institution_id != home.pk:
        trainee = None
    demo_leader = User.objects.filter(username="leader").select_related("person").first()
    leaders = _hospital_leaders(home, demo_leader.person if demo_leader else None)
    departments = {host.pk: set(host.departments.values_list("name", flat=True)) for host in hosts}
    start = batch_start(today)
    going = defaultdict(list)
    for person in _secondees(home, trainee):
        going[_host(person, hosts, departments)].append(person)
    made = 0
    for host, people in going.items():
        batch = secondment_batch_create(
            name=f"{start.year}年赴{host.short_name or host.name}进修（{len(people)}人）",
            year=start.year,
            region=home.commission_region,
            institution=home,
            note="为期一年，院领导挂钩制度",
        )
        for person in people:
            leader = _leader_for(person, leaders)
            secondment = secondment_create(
                person=person,
                host=host,
                host_department=_department(person).name,
                start_on=start,
                objectives="学习掌握本专业新技术，回院后开展至少一项新技术新项目",
                linked_leader=leader,
                batch=batch,
            )
            _reports(secondment, person, leader, today, rng)
            if made < len(NEEDS):
                content, resolution = NEEDS[made]
                need = secondment_need_raise(
                    secondment=secondment,
                    content=content,
                    raised_on=start + datetime.timedelta(20),
                )
                if resolution:
                    secondment_need_resolve(
                        need=need, resolution=resolution, resolved_on=start + datetime.timedelta(35)
                    )
            made += 1
    return made


def _reports(secondment, person, leader, today: datetime.date, rng: random.Random) -> None:
    """A report for each month that has ended, submitted in its last days or the first days
    of the next; the leader comments a few days later, the latest not yet."""
    months = list(_months(secondment.start_on, today))
    for index, month in enumerate(months):
        report = monthly_report_submit(
            secondment=secondment,
            person=person,
            month=month,
            content=rng.choice(LEARNING).format(n=rng.randint(3, 12)),
        )
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        submitted = min(next_month + datetime.timedelta(days=rng.randint(-3, 4)), today)
        restamp(report, submitted_at=on(submitted, today, rng.randint(17, 22), rng.randint(0, 59)))
        commented = submitted + datetime.timedelta(days=rng.randint(1, 8))
        if leader is None or index == len(months) - 1 or commented > today:
            continue
        monthly_report_comment(report=report, person=leader, comment=rng.choice(COMMENTS))
        restamp(report, commented_at=on(commented, today, rng.randint(8, 18), rng.randint(0, 59)))


def _hospital_leaders(home: Institution, demo_leader: Person | None) -> list[Appointment]:
    """The hospital's vice-presidents, each by their current post (the demo's leader first, so
    that login follows the demo trainee's secondment)."""
    posts = list(
        Appointment.objects.filter(institution=home, position=VICE_PRESIDENT, end_on__isnull=True)
        .select_related("person")
        .prefetch_related("departments_in_charge")
        .order_by("pk")
    )
    return sorted(posts, key=lambda post: post.person != demo_leader)


def _leader_for(person: Person, leaders: list[Appointment]) -> Person | None:
    """The vice-president in charge of the person's department (分管科室 on their post), as the
    院领导挂钩 system has it; a department nobody is in charge of yet goes to the one in charge of
    the fewest. Without vice-presidents (a small district), the department's head, in charge
    of their own department."""
    department = _department(person)
    post = next((p for p in leaders if department in p.departments_in_charge.all()), None)
    if post is None and leaders:
        post = min(leaders, key=lambda p: len(p.departments_in_charge.all()))
    if post is None:
        colleagues = Person.objects.filter(
            department_id=department.pk, category=Person.Category.STAFF
        ).exclude(pk=person.pk)
        head = (
            colleagues.filter(position="科主任").order_by("pk").first()
            or colleagues.order_by("birth_date", "pk").first()
        )
        post = head.appointments.filter(end_on__isnull=True).first() if head else None
        if post is None:
            return None
    in_charge = list(post.departments_in_charge.all())
    if department not in in_charge:
        people_services.record_update(record=post, departments_in_charge=[*in_charge, department])
        getattr(post, "_prefetched_objects_cache", {}).pop("departments_in_charge", None)
    return post.person
