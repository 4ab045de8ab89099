"""The reports' recruitment stories, recorded through the services for the tests that read
their figures: Sixian's 2022 plan (105 places, 59 simplified and 46 open), Baoshan's 198
introductions of 2021–2023 (17 senior titles, 3 discipline leaders), shortage talent over two
years (100 → 121)."""

import datetime

from tests import factories
from yicai.codes.queries import code_for
from yicai.people import services as people_services
from yicai.people.models import TitleGrade
from yicai.recruitment import services
from yicai.recruitment.models import Introduction, Post

D = datetime.date

SIMPLIFIED, OPEN = Post.Procedure.SIMPLIFIED, Post.Procedure.OPEN
# Sixian, 2022: 105 places at the county hospital and the TCM hospital; 59 by the simplified
# procedure (clinical medicine, stomatology, imaging), 46 by open recruitment run by the county
# human-resources bureau (clinical medicine, nursing, laboratory, preventive medicine).
COUNTY_POSTS = [
    ("临床医师（简易）", "临床医学", 35, SIMPLIFIED),
    ("口腔医师", "口腔医学", 6, SIMPLIFIED),
    ("影像医师", "医学影像学", 8, SIMPLIFIED),
    ("临床医师", "临床医学", 12, OPEN),
    ("护士", "护理学", 10, OPEN),
    ("检验技师", "医学检验技术", 5, OPEN),
    ("公卫医师", "预防医学", 3, OPEN),
]
TCM_POSTS = [
    ("临床医师（简易）", "临床医学", 7, SIMPLIFIED),
    ("口腔医师", "口腔医学", 1, SIMPLIFIED),
    ("影像医师", "医学影像学", 2, SIMPLIFIED),
    ("临床医师", "临床医学", 8, OPEN),
    ("护士", "护理学", 8, OPEN),
]


def plan_of(world, institution, posts, *, by=None, title="2022年度卫生专业技术人员招聘计划"):
    plan = services.plan_create(by=by, institution=institution, year=2022, title=title)
    for name, specialty, places, procedure in posts:
        organiser = Post.Organiser.HR_BUREAU if procedure == OPEN else Post.Organiser.INSTITUTION
        services.post_add(
            plan=plan,
            name=name,
            specialty=specialty,
            places=places,
            procedure=procedure,
            organiser=organiser,
        )
    return plan


def approved(world, plan):
    """Through every step, on the real dates of 2022."""
    services.plan_submit(plan=plan, on=D(2022, 3, 1))
    services.plan_approve(plan=plan, by=world.commission, on=D(2022, 3, 10))
    return services.plan_publish(plan=plan, on=D(2022, 3, 20))


def sixian_2022(world):
    """The county hospital's plan (hospital A, by its HR office) and the TCM hospital's,
    both approved and published on their real dates."""
    tcm = factories.institution("县中医医院", kind="tcm")
    county = approved(world, plan_of(world, world.a, COUNTY_POSTS, by=world.hospital_a))
    tcm_plan = approved(world, plan_of(world, tcm, TCM_POSTS))
    return county, tcm_plan, tcm


Mode, Category = Introduction.Mode, Introduction.Category
# year: (full-time, flexible, returnees); Baoshan's 198 of 2021–2023.
YEARS = {2021: (40, 8, 4), 2022: (52, 10, 4), 2023: (64, 12, 4)}


def introduce(world, person, on, **fields):
    values = {
        "by": world.hospital_a,
        "person": person,
        "institution": world.a,
        "introduced_on": on,
        "mode": Mode.FULL_TIME,
        "category": Category.SHORTAGE,
        **fields,
    }
    return services.introduction_create(**values)


def baoshan_198(world):
    """198 introductions to hospital A: the first 12 of 2022 and 5 of 2023 with a senior or
    associate senior title, 3 of 2023 discipline leaders."""
    made = []
    for year, counts in YEARS.items():
        number = 0
        for mode, count in zip((Mode.FULL_TIME, Mode.FLEXIBLE, Mode.RETURNEE), counts, strict=True):
            for _ in range(count):
                number += 1
                person = factories.person(world.a, f"引进{year}{number:03d}")
                fields = {}
                if year == 2022 and number <= 12:
                    fields["title_grade"] = TitleGrade.ASSOCIATE_SENIOR
                if year == 2023 and number <= 5:
                    fields["title_grade"] = TitleGrade.SENIOR
                if year == 2023 and number <= 3:
                    fields["category"] = Category.DISCIPLINE_LEADER
                on = D(year, 1 + number % 12, 1 + number % 28)
                made.append(introduce(world, person, on, mode=mode, **fields))
    return made


SINCE, UNTIL = D(2021, 7, 1), D(2023, 7, 1)


def shortage_talent(world):
    """Hospital A: 80 shortage talents recognised by mid-2021, 20 more since, one whose
    recognition lapsed in 2022; hospital B: 20 by mid-2021 and 2 more since."""
    tag = code_for("talent_tag", "shortage")
    nurse = code_for("personnel_category", "21")

    def tagged(institution, count, granted, **tag_fields):
        for number in range(count):
            person = factories.person(
                institution,
                f"人才{institution.pk}{granted.year}{number}",
                personnel_category=nurse if number % 4 == 0 else None,
            )
            people_services.tag_add(person=person, tag=tag, valid_from=granted, **tag_fields)

    tagged(world.a, 79, D(2020, 3, 1))
    tagged(world.a, 1, D(2019, 5, 1), valid_to=D(2022, 4, 30))  # counted in 2021 only
    tagged(world.a, 20, D(2022, 9, 1))
    tagged(world.a, 1, D(2023, 7, 2))  # the day after: not yet
    tagged(world.b, 20, D(2021, 7, 1))  # recognised that very day: counted
    tagged(world.b, 2, D(2023, 1, 15))
    return tag
