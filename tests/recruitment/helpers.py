"""Partner agreements and recruitment plans made through the services, for the recruitment
tests."""

import datetime
from decimal import Decimal

from tests import factories
from yicai.codes.queries import code_for
from yicai.recruitment import services
from yicai.recruitment.models import Application, PartnerAgreement, Post, RecruitmentPlan

D = datetime.date
JINJIANG_SINCE = datetime.date(2021, 4, 1)
THIS_YEAR = datetime.date.today().year


def agreement(world, institution=None, *, by=None, **fields) -> PartnerAgreement:
    """A co-building agreement of hospital A with the partner hospital since April 2021."""
    values = {
        "institution": institution or world.a,
        "partner": world.partner,
        "kind": PartnerAgreement.Kind.CO_BUILDING,
        "title": "心血管专科共建协议",
        "signed_on": datetime.date(2021, 3, 20),
        "starts_on": JINJIANG_SINCE,
        **fields,
    }
    return services.agreement_create(by=by or world.commission, **values)


def plan(
    world, institution=None, *, places=(3,), year=THIS_YEAR, title="年度招聘计划"
) -> RecruitmentPlan:
    """A draft plan (of hospital A) with a post of each count in `places`, simplified and open
    in turn."""
    made = services.plan_create(by=None, institution=institution or world.a, year=year, title=title)
    for number, count in enumerate(places):
        services.post_add(
            plan=made,
            name=f"岗位{number}",
            specialty="临床医学" if number % 2 else "护理学",
            places=count,
            procedure="open" if number % 2 else "simplified",
        )
    return made


def published_plan(
    world,
    institution=None,
    *,
    on: datetime.date,
    title: str = "年度招聘计划",
    written_weight: int = 40,
    interview_weight: int = 60,
    places: int = 1,
    procedure: str = "simplified",
    specialty: str = "临床医学",
    **rules,
) -> RecruitmentPlan:
    """A plan of `on`'s year with one post (岗位0, of the rules given), submitted, approved
    and published on real dates ending `on`."""
    made = services.plan_create(
        by=None,
        institution=institution or world.a,
        year=on.year,
        title=title,
        written_weight=written_weight,
        interview_weight=interview_weight,
    )
    services.post_add(
        plan=made,
        name="岗位0",
        specialty=specialty,
        places=places,
        procedure=procedure,
        **rules,
    )
    services.plan_submit(plan=made, on=on - datetime.timedelta(days=20))
    services.plan_approve(plan=made, by=world.commission, on=on - datetime.timedelta(days=10))
    return services.plan_publish(plan=made, on=on)


def candidate_on_notice(
    post: Post,
    name: str = "甲",
    *,
    id_number: str | None = None,
    birth: datetime.date = datetime.date(1992, 5, 1),
) -> Application:
    """An eligible applicant to `post` (of a published plan, with no other applicant) carried
    through the services to the public notice (公示): applied 9 days after the plan was
    published, scored, shortlisted, both checks passed; the notice runs from day 61 to day 67
    after publication."""
    published = post.plan.published_on
    application = services.application_create(
        by=None,
        post=post,
        name=name,
        id_number=id_number or factories.id_number(birth),
        birth_date=birth,
        sex=code_for("sex", "1"),
        education=code_for("education", "21"),
        degree=code_for("degree", "410"),
        school="复旦大学",
        major=post.specialty,
        applied_on=published + datetime.timedelta(days=9),
    )
    services.application_scores(
        application=application, written_score=Decimal("80"), interview_score=Decimal("85")
    )
    services.post_shortlist(post=post)
    services.application_check(application=application, passed=True)  # 体检
    services.application_check(application=application, passed=True)  # 考察
    starts_on = published + datetime.timedelta(days=61)
    services.notice_publish(
        plan=post.plan,
        by=None,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=6),
    )
    application.refresh_from_db()
    assert application.status == Application.Status.NOTICE
    return application


def notice_of_2022(world):
    """A's plan of 2022 with its candidate on the public notice, 2022-06-01 to 2022-06-07."""
    plan = services.plan_create(by=None, institution=world.a, year=2022, title="2022年度招聘")
    post = services.post_add(
        plan=plan,
        name="心内科医师",
        specialty="临床医学",
        places=1,
        procedure="simplified",
        department=world.a_cardiology,
    )
    services.plan_submit(plan=plan, on=D(2022, 3, 1))
    services.plan_approve(plan=plan, by=None, on=D(2022, 3, 10))
    services.plan_publish(plan=plan, on=D(2022, 4, 1))
    application = services.application_create(
        by=None,
        post=post,
        name="应聘者",
        id_number=factories.id_number(D(1995, 1, 1)),
        major="临床医学",
        applied_on=D(2022, 4, 10),
    )
    services.application_scores(
        application=application, written_score=Decimal(80), interview_score=Decimal(85)
    )
    services.post_shortlist(post=post)
    services.application_check(application=application, passed=True)
    services.application_check(application=application, passed=True)
    return services.notice_publish(
        plan=plan, by=None, starts_on=D(2022, 6, 1), ends_on=D(2022, 6, 7)
    )
