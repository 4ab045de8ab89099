"""Programmes and teams in the demo district, made through the training services: the three
default programmes (头雁 / 英才 / 育才); a 育才 cohort that started on 1 March, whose members
came through a selection round held in the weeks before (nominations, review scores,
decisions on their days) and entered on the cohort's first day, each with an internal mentor
of their department and an external one of their specialty, yearly goals, last year's review
and a career plan; and flexibly introduced teams from the partner hospitals. Deterministic;
loaded once."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from yicai.access.models import User
from yicai.demo.moments import on, restamp
from yicai.org.models import Institution
from yicai.people.models import GRADE_RANK, Person
from yicai.training.models import AnnualReview, Mentorship, Nomination, Programme
from yicai.training.queries.programmes import member_mentorships
from yicai.training.services.careers import career_goal_add, career_plan_create
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.programmes import (
    annual_review_record,
    cohort_create,
    member_goal_add,
    nomination_create,
    nomination_decide,
    programme_defaults_create,
    review_score_record,
    rule_errors,
    selection_round_approve,
    selection_round_open,
    selection_round_review,
)
from yicai.training.services.teams import team_create

MEMBERS = 8
SENIOR = ("senior", "associate_senior")


def is_loaded() -> bool:
    return Programme.objects.exists()


def cohort_start(today: datetime.date) -> datetime.date:
    """The 1 March at least two months before `today`: the round before it is over."""
    start = datetime.date(today.year, 3, 1)
    return (
        start
        if start <= today - datetime.timedelta(days=60)
        else start.replace(year=today.year - 1)
    )


@transaction.atomic
def load_programmes(*, today: datetime.date) -> int:
    """Returns the number of cohort members admitted (0 when already loaded)."""
    if is_loaded():
        return 0
    home = Institution.objects.filter(relation="managed").order_by("pk").first()
    if home is None or home.commission_region is None:
        return 0
    region = home.commission_region
    programmes = programme_defaults_create(region=region)
    rising = next(p for p in programmes if p.kind == Programme.Kind.RISING)
    start = cohort_start(today)
    cohort = cohort_create(
        programme=rising, year=start.year, name=f"{start.year}年第一期", start_on=start
    )
    opens, closes = start - datetime.timedelta(days=75), start - datetime.timedelta(days=45)
    selection = selection_round_open(
        cohort=cohort, name="首轮遴选", opens_on=opens, closes_on=closes
    )
    candidates = _candidates(home, cohort)
    members = _select(selection, home, candidates, closes, start) if candidates else []
    _mentors(members, home, start, programme=rising)
    for number, member in enumerate(members):
        member_goal_add(member=member, year=today.year, text="独立开展一项新技术；发表论文一篇")
        if start.year < today.year:
            annual_review_record(
                member=member,
                year=start.year,
                rating=AnnualReview.Rating.QUALIFIED,
                reviewer="区卫健委人才科",
                reviewed_on=datetime.date(start.year + 1, 1, 15),
            )
        plan = career_plan_create(
            person=member.person,
            direction="临床专科骨干",
            cohort_member=member,
            mentorship=member_mentorships(member.person).first(),  # internal first
        )
        career_goal_add(plan=plan, year=today.year + 1, kind="research", text="主持院级课题")
        written = on(start + datetime.timedelta(days=14 + number * 3), today, 16)
        restamp(plan, created_at=written, updated_at=written)  # drawn up on entering
    _teams(home, today)
    return len(members)


def _select(selection, home, candidates, closes, start):
    """Nominated in the round's weeks, scored, decided a week after it closed, approved the
    week after; the members enter on the cohort's first day."""
    nominations = [
        nomination_create(
            selection_round=selection,
            person=person,
            institution=home,
            reason="临床骨干，科研潜力突出",
            nominated_on=selection.opens_on + datetime.timedelta(days=number * 3 % 28),
        )
        for number, person in enumerate(candidates)
    ]
    selection_round_review(selection_round=selection)
    decided = closes + datetime.timedelta(days=7)
    for number, nomination in enumerate(nominations):
        # The candidates come best first: the scores rank them, the first are chosen.
        for reviewer, score in (
            ("评审专家甲", 93 - number),
            ("评审专家乙", 90 - number % 3 - number),
        ):
            review_score_record(nomination=nomination, reviewer_name=reviewer, score=score)
        status = Nomination.Status.APPROVED if number < MEMBERS else Nomination.Status.REJECTED
        nomination_decide(nomination=nomination, status=status, decided_on=decided)
    selection.refresh_from_db()
    return selection_round_approve(
        selection_round=selection,
        approved_on=decided + datetime.timedelta(days=7),
        entered_on=start,
    )


def _candidates(home, cohort) -> list[Person]:
    """Young doctors of the central hospital whom the programme's rules admit, the demo
    trainee first, who have the mentors it asks for at hand (a senior of their specialty at
    home, an expert of it at a partner hospital); two more than the places, as a round has."""
    programme = cohort.programme
    people = (
        Person.objects.filter(
            institution=home,
            category=Person.Category.STAFF,
            personnel_category__code="11",
            position="医师",
        )
        .select_related("department__parent")
        .order_by("-birth_date", "pk")[:80]
    )
    trainee = User.objects.filter(username="trainee", person__institution=home).first()
    first = [trainee.person] if trainee and trainee.person else []
    chosen = []
    for person in [*first, *(p for p in people if p not in first)]:
        if (
            person.department_id
            and not rule_errors(programme, cohort, person)
            and (not programme.requires_internal_mentor or _internal_mentor(person))
            and (not programme.requires_external_mentor or _external_mentor(person))
        ):
            chosen.append(person)
        if len(chosen) == MEMBERS + 2:
            break
    return chosen


def _specialty(person):
    """The person's department, or the one above it (a ward's specialty)."""
    return person.department.parent or person.department


def _senior(people) -> Person | None:
    ranked = sorted(people, key=lambda p: (-GRADE_RANK.get(p.title_grade, 0), p.birth_date, p.pk))
    return ranked[0] if ranked else None


def _internal_mentor(person) -> Person | None:
    """The most senior doctor of the person's specialty at their hospital."""
    specialty = _specialty(person)
    return _senior(
        Person.objects.filter(
            Q(department=specialty) | Q(department__parent=specialty),
            category=Person.Category.STAFF,
            personnel_category__code="11",
            title_grade__in=SENIOR,
        ).exclude(pk=person.pk)
    )


def _external_mentor(person) -> Person | None:
    """The most senior expert of a partner hospital's department of the person's specialty."""
    return _senior(
        Person.objects.filter(
            category=Person.Category.EXTERNAL_EXPERT,
            department__name=_specialty(person).name,
            personnel_category__code="11",
        )
    )


def _mentors(members, home, start, *, programme) -> None:
    """Each member's internal and external mentor, from the cohort's first day, where the
    programme asks for them and the member has none of that kind yet (an apprentice of a
    visiting expert keeps them)."""
    internal: defaultdict[Person, list[Person]] = defaultdict(list)
    external: defaultdict[Person, list[Person]] = defaultdict(list)
    for member in members:
        person = member.person
        has = set(
            Mentorship.objects.filter(
                apprenticeships__apprentice=person, status=Mentorship.Status.ACTIVE
            ).values_list("kind", flat=True)
        )
        # A member without a senior of their specialty at hand goes without that mentor.
        wants_internal = programme.requires_internal_mentor and Mentorship.Kind.INTERNAL not in has
        if wants_internal and (mentor := _internal_mentor(person)) is not None:
            internal[mentor].append(person)
        wants_external = programme.requires_external_mentor and Mentorship.Kind.EXTERNAL not in has
        if wants_external and (mentor := _external_mentor(person)) is not None:
            external[mentor].append(person)
    for mentors, goals in (
        (internal, "院内导师：临床带教，指导科研"),
        (external, "院外导师：每季度指导一次"),
    ):
        for mentor, apprentices in mentors.items():
            mentorship_create(
                mentor=mentor,
                apprentices=apprentices,
                institution=home,
                department=apprentices[0].department,
                start_on=start,
                goals=f"育才计划{goals}",
            )


def _teams(home, today) -> None:
    for number, partner in enumerate(Institution.objects.filter(relation="partner")[:2]):
        staff = list(Person.objects.filter(institution=partner).order_by("pk")[:3])
        if not staff:
            continue
        team_create(
            name=f"{partner.short_name or partner.name}医疗团队",
            lead=staff[0],
            source=partner,
            institution=home,
            introduced_on=today - datetime.timedelta(days=200 - number * 60),
            agreement="每月派驻专家坐诊两次，带教本院骨干",
            members=staff[1:],
        )
