"""A secondment batch in the demo district, made through the training services: twelve doctors
and nurses of the central hospital spend a year at partner hospitals in Shanghai, each with a
linked leader in charge of their specialty (the demo department head for cardiology); monthly
reports, most commented, a few needs. Deterministic; loaded once."""

import datetime
import random

from django.db import transaction

from yicai.access.models import User
from yicai.org.models import Institution
from yicai.people import services as people_services
from yicai.people.models import Person
from yicai.training import services
from yicai.training.models import SecondmentBatch

LEARNING = [
    "跟随带教老师完成门诊及查房，参与疑难病例讨论 {n} 次",
    "学习介入操作规范，跟台 {n} 台，在指导下完成部分步骤",
    "参加科室业务学习和技能培训，完成操作考核 {n} 项",
]
COMMENTS = ["学习扎实，注意总结带回科室推广", "多争取上手机会，按月报告进度", "进展良好，继续保持"]
NEEDS = [
    ("需协调住宿", "已由医院租房解决"),
    ("希望增加介入手术跟台机会", ""),
    ("需购买专业书籍", "已报销"),
]


def is_loaded() -> bool:
    return SecondmentBatch.objects.exists()


def _months(start: datetime.date, today: datetime.date):
    month = start.replace(day=1)
    while month <= today.replace(day=1) - datetime.timedelta(days=1):
        yield month
        month = (month + datetime.timedelta(days=32)).replace(day=1)


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
    trainee = User.objects.filter(username="trainee").select_related("person").first()
    dept_head = User.objects.filter(username="dept").select_related("person").first()
    people = list(
        Person.objects.filter(institution=home, category=Person.Category.STAFF)
        .exclude(department=None)
        .exclude(position="科主任")
        .order_by("-birth_date", "pk")[:40:3]
    )
    if trainee and trainee.person_id and trainee.person.institution_id == home.pk:
        people = [trainee.person, *[p for p in people if p.pk != trainee.person_id]]
    start = today.replace(day=1) - datetime.timedelta(days=300)
    start = start.replace(day=1)
    batch = services.secondment_batch_create(
        name=f"{start.year}年赴上海合作医院进修（{len(people[:12])}人）",
        year=start.year,
        region=home.commission_region,
        institution=home,
        note="为期一年，院领导挂钩制度",
    )
    made = 0
    for number, person in enumerate(people[:12]):
        leader = _leader_for(person, dept_head.person if dept_head else None)
        secondment = services.secondment_create(
            person=person,
            host=hosts[number % len(hosts)],
            host_department=person.department.name,
            start_on=start,
            objectives="学习掌握本专业新技术，回院后开展至少一项新技术新项目",
            linked_leader=leader,
            batch=batch,
        )
        made += 1
        months = list(_months(start, today))
        for index, month in enumerate(months):
            report = services.monthly_report_submit(
                secondment=secondment,
                person=person,
                month=month,
                content=rng.choice(LEARNING).format(n=rng.randint(3, 12)),
            )
            if leader is not None and index < len(months) - 1:  # the latest awaits comment
                services.monthly_report_comment(
                    report=report, person=leader, comment=rng.choice(COMMENTS)
                )
        if number < len(NEEDS):
            content, resolution = NEEDS[number]
            need = services.secondment_need_raise(
                secondment=secondment, content=content, raised_on=start + datetime.timedelta(30)
            )
            if resolution:
                services.secondment_need_resolve(
                    need=need, resolution=resolution, resolved_on=start + datetime.timedelta(45)
                )
    return made


def _leader_for(person: Person, demo_head: Person | None) -> Person | None:
    """The head of the person's department (the demo department head for cardiology, so that
    login sees and comments its trainees' reports), else its most senior colleague; their post
    lists the department among those they are in charge of (分管科室), as the rule asks."""
    if demo_head is not None and demo_head.department_id == person.department_id:
        leader = demo_head
    else:
        colleagues = Person.objects.filter(
            department_id=person.department_id, category=Person.Category.STAFF
        ).exclude(pk=person.pk)
        leader = (
            colleagues.filter(position="科主任").order_by("pk").first()
            or colleagues.order_by("birth_date", "pk").first()
        )
    if leader is None:
        return None
    post = leader.appointments.filter(end_on__isnull=True).first()
    if post is None:
        return None
    in_charge = list(post.departments_in_charge.all())
    if person.department not in in_charge:
        people_services.record_update(
            record=post, departments_in_charge=[*in_charge, person.department]
        )
    return leader
