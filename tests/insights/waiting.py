"""Something waiting for every persona of tests/conftest.py, made through the services, with
counts known in advance: the home page's to-do is checked against it, in the test client and
in the browser."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from tests import factories
from tests.exchange.importing import person_row, preview, xlsx
from tests.training import helpers
from yicai.access.models import Role
from yicai.codes.queries import code_for
from yicai.people import services as people_services
from yicai.training.models import CaseLog, GoalKind, Nomination, Programme, Visit
from yicai.training.services.activity import visit_record
from yicai.training.services.careers import (
    career_goal_add,
    career_goal_mark_done,
    career_plan_create,
)
from yicai.training.services.education import external_credit_record
from yicai.training.services.mentoring import case_log_verify
from yicai.training.services.programmes import (
    cohort_create,
    nomination_create,
    nomination_decide,
    programme_create,
    selection_round_approve,
    selection_round_open,
    selection_round_review,
)
from yicai.training.services.secondments import monthly_report_submit, secondment_create


@dataclass
class Waiting:
    today: datetime.date
    leader: object  # the account of a_surgeon, linked leader of a_doctor's secondment
    mentorship: object
    cases: list  # a_doctor's unverified cases, naming the mentor as supervisor
    planned_visits: list
    secondment: object
    reports: list  # a_doctor's reports of the last two months, not yet commented
    plan: object
    next_goal: object
    job: object  # hospital_a's import, checked and waiting
    expiring: object  # a_doctor's licence, expiring within 90 days
    open_round: object  # open for nominations; hospital_a has put forward one person
    closed_round: object  # nominations closed with one made, not yet under review
    reviewing_round: object  # under review, one nomination undecided
    ended_cohort: object  # past its end, a_doctor still in cultivation


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    for _ in range(back):
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return day.replace(day=1)


def build(world) -> Waiting:
    today = timezone.localdate()
    leader = factories.user(
        "leader",
        person=world.a_surgeon,
        roles=[(Role.DEPARTMENT_HEAD, {"department": world.a_surgery})],
    )

    # The trainee's cases: three awaiting the mentor, one verified already; a case of another
    # department naming someone else, which waits for neither.
    mentorship = helpers.mentorship(world)
    technique = helpers.technique(world)
    cases = [
        helpers.case(world, technique, on=today - datetime.timedelta(days=n)) for n in (1, 2, 3)
    ]
    verified = helpers.case(world, technique, on=today - datetime.timedelta(days=9))
    case_log_verify(case_log=verified, user=world.mentor)
    surgeon_colleague = factories.person(world.a, "吴外科", department=world.a_surgery)
    helpers.case(
        world,
        technique,
        role=CaseLog.Role.ASSISTED,
        apprentice=world.a_surgeon,
        supervisor=surgeon_colleague,
    )

    # The mentor's visits: two planned, one held.
    planned_visits = [
        visit_record(
            expert=world.partner_expert,
            kind=Visit.Kind.WARD_ROUND,
            institution=world.a,
            held_on=today + datetime.timedelta(days=days),
        )
        for days in (7, 30)
    ]
    visit_record(
        expert=world.partner_expert,
        kind=Visit.Kind.CLINIC,
        institution=world.a,
        held_on=today - datetime.timedelta(days=10),
    )

    # A secondment since two months ago: the reports of both past months are in, uncommented;
    # this month's is due.
    secondment = secondment_create(
        person=world.a_doctor,
        host=world.partner,
        host_department="超声科",
        start_on=month_start(today, back=2),
        linked_leader=world.a_surgeon,
    )
    reports = [
        monthly_report_submit(
            secondment=secondment,
            person=world.a_doctor,
            month=month_start(today, back=back),
            content=f"第 {3 - back} 个月：超声造影",
        )
        for back in (2, 1)
    ]

    # Credits this year: 5 of class I against the national 25 (5 of class I, 15 of class II).
    external_credit_record(
        person=world.a_doctor,
        earned_on=today,
        title="省级心血管介入培训班",
        provider="上海市医学会",
        credit_class="class_i",
        credits=Decimal("5"),
    )

    # The career plan: this year's goal is done, next year's is the next.
    plan = career_plan_create(person=world.a_doctor, direction="心血管介入")
    done = career_goal_add(
        plan=plan, year=today.year, kind=GoalKind.OTHER, text="完成住院医师规范化培训"
    )
    career_goal_mark_done(goal=done, done_on=today, by=world.hospital_a)
    next_goal = career_goal_add(
        plan=plan,
        year=today.year + 1,
        kind=GoalKind.RESEARCH,
        text="发表 SCI 论文 1 篇",
        target_papers=1,
    )

    # Hospital A's records: two people with incomplete records there (one in B apart), one
    # licence expiring within 90 days (one later, one expired, one in B apart).
    people_services.title_add(person=world.a_doctor, title=code_for("title", "234"))
    people_services.education_add(person=world.a_ward_nurse, level=code_for("education", "21"))
    people_services.education_add(person=world.b_doctor, level=code_for("education", "21"))
    expiring = licence(world.a_doctor, today + datetime.timedelta(days=30))
    licence(world.a_surgeon, today + datetime.timedelta(days=200))
    licence(world.a_ward_nurse, today - datetime.timedelta(days=1), category="9")
    licence(world.b_doctor, today + datetime.timedelta(days=10))
    job = preview(world.hospital_a, xlsx([person_row("新同事甲")]))

    # Programmes: a round open now (A nominated one), one whose nominations closed, one under
    # review with a nomination undecided, and a cohort past its end with a member still in it.
    region = world.a.commission_region
    rising = programme(region, "育才计划", Programme.Kind.RISING)
    current = cohort_create(
        programme=rising,
        year=today.year,
        name="本年度",
        start_on=today - datetime.timedelta(days=30),
    )
    open_round = round_of(
        current, today - datetime.timedelta(days=7), today + datetime.timedelta(days=14)
    )
    nominate(open_round, world.a_surgeon, today)
    ended = cohort_create(
        programme=rising,
        year=2021,
        name="2021 年度",
        start_on=datetime.date(2021, 3, 1),
        end_on=today - datetime.timedelta(days=30),
    )
    past = round_of(ended, datetime.date(2021, 1, 4), datetime.date(2021, 2, 1))
    chosen = nominate(past, world.a_doctor, datetime.date(2021, 1, 10))
    selection_round_review(selection_round=past)
    nomination_decide(
        nomination=chosen, status=Nomination.Status.APPROVED, decided_on=datetime.date(2021, 2, 10)
    )
    selection_round_approve(selection_round=past, approved_on=datetime.date(2021, 2, 20))

    elite = programme(region, "英才计划", Programme.Kind.ELITE)
    closed_round = round_of(
        cohort_create(programme=elite, year=today.year, name="本年度", start_on=today),
        today - datetime.timedelta(days=40),
        today - datetime.timedelta(days=10),
    )
    nominate(closed_round, world.a_surgeon, today - datetime.timedelta(days=20))
    lead_goose = programme(region, "头雁计划", Programme.Kind.LEAD_GOOSE)
    reviewing_round = round_of(
        cohort_create(programme=lead_goose, year=today.year, name="本年度", start_on=today),
        today - datetime.timedelta(days=20),
        today + datetime.timedelta(days=10),
    )
    first = nominate(reviewing_round, world.a_ward_nurse, today)
    nominate(reviewing_round, world.b_doctor, today)
    selection_round_review(selection_round=reviewing_round)
    nomination_decide(nomination=first, status=Nomination.Status.REJECTED)

    return Waiting(
        today=today,
        leader=leader,
        mentorship=mentorship,
        cases=cases,
        planned_visits=planned_visits,
        secondment=secondment,
        reports=reports,
        plan=plan,
        next_goal=next_goal,
        job=job,
        expiring=expiring,
        open_round=open_round,
        closed_round=closed_round,
        reviewing_round=reviewing_round,
        ended_cohort=ended,
    )


_licence_numbers = iter(range(31_000_000, 39_999_999))


def licence(person, expires_on, category="1"):
    return people_services.licence_add(
        person=person,
        number=f"1103{next(_licence_numbers)}",
        category=category,
        issued_on=datetime.date(2015, 1, 1),
        expires_on=expires_on,
    )


def programme(region, name, kind):
    return programme_create(region=region, name=name, kind=kind, duration_years=3, quota=25)


def round_of(cohort, opens_on, closes_on):
    return selection_round_open(
        cohort=cohort, name=f"{cohort.name}遴选", opens_on=opens_on, closes_on=closes_on
    )


def nominate(selection_round, person, on):
    return nomination_create(
        selection_round=selection_round,
        person=person,
        institution=person.institution,
        reason="临床骨干",
        nominated_on=on,
    )
