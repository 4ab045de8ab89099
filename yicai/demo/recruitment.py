"""Recruitment plans in the demo district, made through the recruitment services, as Sixian's:
posts by the simplified procedure (clinical medicine, stomatology, imaging) run by the hospital
and by open recruitment run by the district human-resources bureau (clinical medicine, nursing,
laboratory, preventive medicine). Each hospital's plan of last year went through every step on
its real dates; this year the central hospital's is published, the next one's waits for the
commission, another's was returned with a reason, the rest are drafts. The people whose files
say they came by introduction, as returnees or as 三支一扶 volunteers in the last four years
have their introduction recorded, dated from their post. Deterministic; loaded once."""

import datetime

from django.db import transaction

from yicai.access.models import User
from yicai.org.models import Department, Institution
from yicai.people.models import Appointment
from yicai.recruitment import services
from yicai.recruitment.models import Introduction, Post, RecruitmentPlan

SIMPLIFIED, OPEN = Post.Procedure.SIMPLIFIED, Post.Procedure.OPEN
# (post, specialty, department, procedure, places at a large hospital)
POSTS = [
    ("临床医师（简易程序）", "临床医学", "急诊医学科", SIMPLIFIED, 12),
    ("口腔医师", "口腔医学", "口腔科", SIMPLIFIED, 2),
    ("影像医师", "医学影像学", "医学影像科", SIMPLIFIED, 3),
    ("临床医师", "临床医学", "", OPEN, 6),
    ("护士", "护理学", "护理部", OPEN, 8),
    ("检验技师", "医学检验技术", "检验科", OPEN, 2),
    ("公共卫生医师", "预防医学", "", OPEN, 1),
]
RETURNED_BECAUSE = "护理岗位人数超出核定编制，请核减后重新报送。"
# How a person's file says they came (person_source), as an introduction's mode.
MODES = {
    "introduction": Introduction.Mode.FULL_TIME,
    "returnee": Introduction.Mode.RETURNEE,
    "three_supports": Introduction.Mode.THREE_SUPPORTS,
}
CATEGORIES = {
    "high_level": Introduction.Category.HIGH_LEVEL,
    "shortage": Introduction.Category.SHORTAGE,
}
EMPLOYERS = ("外省某三级甲等医院", "市级综合医院", "某医学院附属医院", "民营专科医院", "")


def is_loaded() -> bool:
    return RecruitmentPlan.objects.exists()


def _plan(hospital: Institution, year: int, scale: float) -> RecruitmentPlan:
    plan = services.plan_create(
        by=None,
        institution=hospital,
        year=year,
        title=f"{year}年度卫生专业技术人员招聘计划",
        note="公开招聘由区人力资源和社会保障局统一组织实施。",
    )
    departments = {d.name: d for d in Department.objects.filter(institution=hospital)}
    for name, specialty, department, procedure, places in POSTS:
        services.post_add(
            plan=plan,
            name=name,
            specialty=specialty,
            places=max(1, round(places * scale)),
            procedure=procedure,
            organiser=Post.Organiser.HR_BUREAU if procedure == OPEN else Post.Organiser.INSTITUTION,
            department=departments.get(department),
            max_age=35,
        )
    return plan


def load_recruitment(*, today: datetime.date) -> int:
    """The plans; how many were made (none when they were there already)."""
    if is_loaded():
        return 0
    commission = User.objects.filter(username="commission").first()
    hospitals = list(
        Institution.objects.filter(
            relation=Institution.Relation.MANAGED,
            kind__in=[Institution.Kind.GENERAL, Institution.Kind.TCM, Institution.Kind.SPECIALIST],
        ).order_by("-grade", "id")
    )
    last = datetime.date(today.year - 1, 1, 1)
    made = 0
    with transaction.atomic():
        for rank, hospital in enumerate(hospitals):
            scale = 1.0 if rank == 0 else 0.5
            done = _plan(hospital, last.year, scale)
            services.plan_submit(plan=done, on=last.replace(month=2, day=20))
            services.plan_approve(plan=done, by=commission, on=last.replace(month=3, day=3))
            services.plan_publish(plan=done, on=last.replace(month=3, day=15))
            services.plan_close(plan=done, on=last.replace(month=11, day=30))
            plan = _plan(hospital, today.year, scale)
            if rank == 0:
                sent = max(today - datetime.timedelta(days=40), today.replace(month=1, day=1))
                services.plan_submit(plan=plan, on=sent)
                services.plan_approve(plan=plan, by=commission, on=sent)
                services.plan_publish(plan=plan, on=today)
            elif rank == 1:
                services.plan_submit(plan=plan, on=today)
            elif rank == 2:
                services.plan_submit(plan=plan, on=today)
                services.plan_return(plan=plan, by=commission, reason=RETURNED_BECAUSE, on=today)
            made += 2
        made += _introductions(today)
    return made


def _introductions(today: datetime.date) -> int:
    """An introduction for each person who came so in the last four years, from their post."""
    since = today.replace(year=today.year - 4)
    posts = (
        Appointment.objects.filter(
            end_on__isnull=True,
            start_on__gte=since,
            person__source__code__in=MODES,
            institution__relation=Institution.Relation.MANAGED,
        )
        .select_related("person__source", "institution", "department")
        .order_by("person_id", "id")
    )
    made, seen = 0, set()
    for post in posts:
        person, source = post.person, post.person.source
        if person.pk in seen or source is None or post.start_on is None:
            continue
        seen.add(person.pk)
        mode = MODES[source.code]
        tags = set(person.tags.values_list("tag__code", flat=True))
        category = next(
            (CATEGORIES[tag] for tag in ("high_level", "shortage") if tag in tags),
            Introduction.Category.OTHER,
        )
        services.introduction_create(
            by=None,
            person=person,
            institution=post.institution,
            department=post.department,
            introduced_on=post.start_on,
            mode=mode,
            category=category,
            previous_employer=EMPLOYERS[person.pk % len(EMPLOYERS)],
            service_years=5 if mode == Introduction.Mode.FULL_TIME else None,
        )
        made += 1
    return made
