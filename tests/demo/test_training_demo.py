"""`yicai demo` adds a year of cultivation: pairs, studios of each tier with their funding,
68 expert visits, consultations and case logs whose confirmed independent cases fill gaps;
the demo mentor and trainee see their own pair. Loaded once."""

import datetime

import pytest

from yicai.access.models import User
from yicai.demo import users
from yicai.demo.district import load_district
from yicai.demo.education import load_education
from yicai.demo.programmes import load_programmes
from yicai.demo.secondments import load_secondments
from yicai.demo.training import load_training
from yicai.training import queries
from yicai.training.models import (
    Attendance,
    CaseLog,
    CohortMember,
    EducationEvent,
    ExpertStudio,
    FlexibleTeam,
    Mentorship,
    MonthlyReport,
    Programme,
    Secondment,
    TrainingQuota,
)
from yicai.training.queries import education as queries_education

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def demo(db):
    load_district(people=600, today=TODAY)
    users.ensure_accounts("Demo-Pass-2026!")
    return load_training(today=TODAY)


def test_the_demo_year_of_cultivation_is_derived_through_the_services(demo):
    commission = User.objects.get(username="commission")
    assert demo == CaseLog.objects.count() > 50
    assert Mentorship.objects.count() == 8
    assert set(ExpertStudio.objects.values_list("tier", flat=True)) == {
        "national",
        "provincial",
        "district",
    }
    assert queries.visit_counts(commission)["total"] == 68
    gaps = queries.gaps_filled(commission)
    assert gaps.exists()
    # Every filled gap rests on a confirmed independent case.
    for technique in gaps:
        assert technique.case_logs.filter(role="independent", verified_at__isnull=False).exists()
    figures = queries.studio_figures(commission, TODAY.year - 1)
    assert figures["subsidy_due"] == figures["funding_recorded"] > 0


def test_the_demo_mentor_and_trainee_see_their_own_pair_and_a_second_load_adds_nothing(demo):
    mentor, trainee = User.objects.get(username="mentor"), User.objects.get(username="trainee")
    pair = Mentorship.objects.get(mentor=mentor.person)
    assert pair.apprenticeships.filter(apprentice=trainee.person).exists()
    assert queries.case_logs_for(trainee).exists()
    assert set(queries.case_logs_for(mentor)) >= set(queries.case_logs_for(trainee))
    assert load_training(today=TODAY) == 0
    assert CaseLog.objects.count() == demo


def test_the_demo_adds_a_secondment_batch_whose_leader_comments_reports(demo):
    made = load_secondments(today=TODAY)
    assert made == Secondment.objects.count() == 12
    dept, trainee = User.objects.get(username="dept"), User.objects.get(username="trainee")
    mine = Secondment.objects.get(person=trainee.person)
    assert mine.linked_leader == dept.person
    assert queries.secondment_figures(dept, TODAY)["active"] >= 1
    led = MonthlyReport.objects.filter(secondment__linked_leader=dept.person)
    assert led.filter(commented_by=dept.person).exists()
    assert led.filter(commented_at__isnull=True).exists()  # the latest awaits the leader
    assert load_secondments(today=TODAY) == 0


def test_the_demo_adds_a_year_of_continuing_education(demo):
    made = load_education(today=TODAY)
    assert made == EducationEvent.objects.count() == 24
    assert Attendance.objects.count() >= 24 * 15
    commission = User.objects.get(username="commission")
    assert TrainingQuota.objects.filter(year=TODAY.year).exists()
    totals = queries_education.quota_totals(
        queries_education.quota_list(commission, year=TODAY.year)
    )
    assert totals["short_course"]["done"] == 8
    assert totals["degree"]["done"] == 2
    assert load_education(today=TODAY) == 0


def test_the_demo_adds_programmes_a_cohort_chosen_by_a_round_and_teams(demo):
    admitted = load_programmes(today=TODAY)
    assert admitted == CohortMember.objects.count() > 0
    assert Programme.objects.count() == 3
    assert FlexibleTeam.objects.exists()
    assert load_programmes(today=TODAY) == 0
