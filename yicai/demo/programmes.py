"""Programmes and teams in the demo district, made through the training services: the three
default programmes (头雁 / 英才 / 育才), a 育才 cohort whose members came through a selection
round with review scores, yearly goals and career plans; and flexibly introduced teams from the
partner hospitals. Deterministic; loaded once."""

import datetime

from django.db import transaction

from yicai.org.models import Institution
from yicai.people.models import Person
from yicai.training import services
from yicai.training.models import Nomination, Programme
from yicai.training.services.programmes import rule_errors


def is_loaded() -> bool:
    return Programme.objects.exists()


@transaction.atomic
def load_programmes(*, today: datetime.date) -> int:
    """Returns the number of cohort members admitted (0 when already loaded)."""
    if is_loaded():
        return 0
    home = Institution.objects.filter(relation="managed").order_by("pk").first()
    if home is None or home.commission_region is None:
        return 0
    region = home.commission_region
    programmes = services.programme_defaults_create(region=region)
    rising = next(p for p in programmes if p.kind == Programme.Kind.RISING)
    start = today.replace(month=1, day=1)
    cohort = services.cohort_create(
        programme=rising, year=start.year, name=f"{start.year}年第一期", start_on=start
    )
    selection = services.selection_round_open(
        cohort=cohort,
        name="首轮遴选",
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    candidates = _candidates(home, cohort)
    nominations = [
        services.nomination_create(
            selection_round=selection,
            person=person,
            institution=home,
            reason="临床骨干，科研潜力突出",
            nominated_on=today,
        )
        for person in candidates
    ]
    services.selection_round_review(selection_round=selection)
    for number, nomination in enumerate(nominations):
        for reviewer, score in (("评审专家甲", 80 + number % 15), ("评审专家乙", 78 + number % 17)):
            services.review_score_record(nomination=nomination, reviewer_name=reviewer, score=score)
        services.nomination_decide(nomination=nomination, status=Nomination.Status.APPROVED)
    selection.refresh_from_db()
    members = services.selection_round_approve(selection_round=selection)
    for member in members:
        services.member_goal_add(
            member=member, year=today.year, text="独立开展一项新技术；发表论文一篇"
        )
        plan = services.career_plan_create(person=member.person, direction="临床专科骨干")
        services.career_goal_add(
            plan=plan, year=today.year + 1, kind="research", text="主持院级课题"
        )
    _teams(home, today)
    return len(members)


def _candidates(home, cohort) -> list[Person]:
    """Young doctors of the central hospital whom the programme's rules admit."""
    people = Person.objects.filter(
        institution=home, category=Person.Category.STAFF, personnel_category__code="11"
    ).order_by("-birth_date", "pk")[:40]
    chosen = []
    for person in people:
        if not rule_errors(cohort.programme, cohort, person):
            chosen.append(person)
        if len(chosen) == 8:
            break
    return chosen


def _teams(home, today) -> None:
    for number, partner in enumerate(Institution.objects.filter(relation="partner")[:2]):
        staff = list(Person.objects.filter(institution=partner).order_by("pk")[:3])
        if not staff:
            continue
        services.team_create(
            name=f"{partner.short_name or partner.name}医疗团队",
            lead=staff[0],
            source=partner,
            institution=home,
            introduced_on=today - datetime.timedelta(days=200 - number * 60),
            agreement="每月派驻专家坐诊两次，带教本院骨干",
            members=staff[1:],
        )
