"""Partner agreements and recruitment plans made through the services, for the recruitment
tests."""

import datetime

from yicai.recruitment import services
from yicai.recruitment.models import PartnerAgreement, RecruitmentPlan

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
