"""`yicai demo` adds a year of cultivation an HR officer believes: techniques in the departments
that perform them, taught by mentors of their specialty; trainees' cases in their own specialty
on the days they were done; studios with members; this month's calendar with visits held and to
come; secondment batches named after their hosts, with reports and comments dated in their
months; a cohort whose members entered on its first day with both mentors. The demo region is
loaded once for the whole module (as of a fixed day in the middle of a month)."""

import datetime

import pytest
from django.db.models import Count, F

from tests.builders import rolled_back_at_module_end
from yicai.access.models import User
from yicai.demo import secondments as demo_secondments
from yicai.demo import users
from yicai.demo.district import load_district
from yicai.demo.education import load_education
from yicai.demo.moments import latest
from yicai.demo.programmes import load_programmes
from yicai.demo.secondments import load_secondments
from yicai.demo.training import load_training
from yicai.people.models import Person
from yicai.training.models import (
    Attendance,
    CareerPlan,
    CaseLog,
    CohortMember,
    Consultation,
    EducationEvent,
    ExpertStudio,
    FlexibleTeam,
    Mentorship,
    MonthlyReport,
    Nomination,
    Programme,
    Secondment,
    StudioMember,
    Technique,
    TrainingQuota,
    Visit,
)
from yicai.training.queries import education as queries_education
from yicai.training.queries.activity import visit_counts, visit_month
from yicai.training.queries.mentoring import case_logs_for, gaps_filled, supervisors_for
from yicai.training.queries.programmes import member_mentorships, nominations_of, with_mentors
from yicai.training.queries.studios import studio_figures
from yicai.training.services.secondments import in_charge_of

TODAY = datetime.date(2026, 6, 17)  # mid-month: the calendar has days behind and ahead
END_OF_TODAY = latest(TODAY)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with rolled_back_at_module_end(django_db_blocker):
        load_district(people=600, today=TODAY)
        users.ensure_accounts("Demo-Pass-2026!")
        yield {
            "cases": load_training(today=TODAY),
            "secondments": load_secondments(today=TODAY),
            "events": load_education(today=TODAY),
            "members": load_programmes(today=TODAY),
        }


@pytest.fixture
def demo(loaded, db):
    return loaded


def under(department):
    """The department and those under it: its specialty."""
    return {department.pk, *department.children.values_list("pk", flat=True)}


def persona(username) -> Person:
    return User.objects.get(username=username).person


# -- what the services derive from the year -----------------------------------------------------


def test_the_demo_year_of_cultivation_is_derived_through_the_services(demo):
    commission = User.objects.get(username="commission")
    assert demo["cases"] == CaseLog.objects.count() > 50
    assert Technique.objects.count() >= 6
    assert set(ExpertStudio.objects.values_list("tier", flat=True)) == {
        "national",
        "provincial",
        "district",
    }
    assert visit_counts(commission, until=TODAY)["total"] == 68
    gaps = gaps_filled(commission)
    assert gaps.exists()
    for technique in gaps:  # every filled gap rests on a confirmed independent case
        assert technique.case_logs.filter(role="independent", verified_at__isnull=False).exists()
    figures = studio_figures(commission, TODAY.year - 1)
    assert figures["subsidy_due"] == figures["funding_recorded"] > 0


def test_the_demo_mentor_and_trainee_see_their_own_pair_and_a_second_load_adds_nothing(demo):
    mentor, trainee = User.objects.get(username="mentor"), User.objects.get(username="trainee")
    pair = Mentorship.objects.get(mentor=mentor.person, techniques__isnull=False)
    assert pair.apprenticeships.filter(apprentice=trainee.person).exists()
    assert case_logs_for(trainee).exists()
    assert set(case_logs_for(mentor)) >= set(case_logs_for(trainee))
    before = (CaseLog.objects.count(), Secondment.objects.count(), CohortMember.objects.count())
    assert load_training(today=TODAY) == 0
    assert load_secondments(today=TODAY) == 0
    assert load_education(today=TODAY) == 0
    assert load_programmes(today=TODAY) == 0
    assert (CaseLog.objects.count(), Secondment.objects.count(), CohortMember.objects.count()) == (
        before
    )


def test_the_demo_adds_a_year_of_continuing_education(demo):
    assert demo["events"] == EducationEvent.objects.count() == 24
    assert Attendance.objects.count() >= 24 * 15
    commission = User.objects.get(username="commission")
    assert TrainingQuota.objects.filter(year=TODAY.year).exists()
    totals = queries_education.quota_totals(
        queries_education.quota_list(commission, year=TODAY.year)
    )
    assert totals["short_course"]["done"] == 8
    assert totals["degree"]["done"] == 2
    # A topic is taught by its department, and nobody away on a secondment attends at home.
    lecture = EducationEvent.objects.filter(title="急性胸痛的早期识别").select_related("speaker")
    assert {event.speaker.department.name for event in lecture} == {"心血管内科"}
    for secondment in Secondment.objects.all():
        assert not Attendance.objects.filter(
            person=secondment.person, event__held_on__gte=secondment.start_on
        ).exists()


def test_the_demo_adds_programmes_and_teams(demo):
    assert demo["members"] == CohortMember.objects.count() > 0
    assert Programme.objects.count() == 3
    assert FlexibleTeam.objects.exists()


# -- 1 and 2: techniques in their departments, cases in the trainee's specialty -----------------


def test_techniques_are_in_the_departments_that_perform_them_taught_by_their_specialty(demo):
    surgery = Technique.objects.get(name="单孔腹腔镜胆囊切除术")
    assert surgery.department.name == "普外科"
    assert Technique.objects.get(name="经皮冠状动脉介入治疗").department.name == "心血管内科"
    for technique in Technique.objects.select_related(
        "department", "mentorship__mentor__department", "mentorship__mentor__personnel_category"
    ):
        mentorship, mentor = technique.mentorship, technique.mentorship.mentor
        assert technique.department == mentorship.department, technique.name
        if technique.category == Technique.Category.NURSING:  # taught by a nurse
            assert mentor.personnel_category.code == "21", technique.name
        elif mentorship.kind == Mentorship.Kind.EXTERNAL:  # the partner's same department
            assert mentor.department.name == technique.department.name, technique.name
        else:
            assert mentor.department_id in under(technique.department), technique.name
        # Its cases are by people of its department (or a ward of it), of the kind who do it.
        logs = technique.case_logs.select_related("apprentice__personnel_category")
        assert logs.exists(), technique.name
        for log in logs:
            assert log.apprentice.department_id in under(technique.department), technique.name
            assert log.apprentice.personnel_category.code == (
                "21" if technique.category == Technique.Category.NURSING else "11"
            )


def test_cases_are_supervised_by_mentors_or_colleagues_on_days_they_were_there(demo):
    trainee = persona("trainee")
    logs = CaseLog.objects.select_related("apprentice", "supervisor", "mentorship", "technique")
    for log in logs:
        assert supervisors_for(log.apprentice).filter(pk=log.supervisor_id).exists(), log
        assert log.mentorship.apprenticeships.filter(apprentice=log.apprentice).exists()
        if log.supervisor_id == log.mentorship.mentor_id and log.mentorship.kind == "external":
            # A visiting mentor supervises on the days of their visits.
            assert Visit.objects.filter(
                expert=log.supervisor, held_on=log.performed_on, mentorship=log.mentorship
            ).exists(), log
        # Logged that day, confirmed a few days later, nothing after the demo's day.
        assert log.performed_on < TODAY
        assert log.created_at.date() == log.performed_on
        if log.verified_at is not None:
            assert log.performed_on < log.verified_at.date()
            assert log.verified_at <= END_OF_TODAY
    assert logs.exclude(
        supervisor=F("mentorship__mentor")
    ).exists()  # seniors of the department confirm some cases
    # A consultation is asked by an apprentice of the expert, at home that day.
    for consultation in Consultation.objects.all():
        assert Mentorship.objects.filter(
            mentor=consultation.expert_id, apprenticeships__apprentice=consultation.requester_id
        ).exists()
        assert not Secondment.objects.filter(
            person=consultation.requester_id, start_on__lte=consultation.held_on
        ).exists()
    # The demo trainee's cases: percutaneous coronary intervention, in cardiology, all before
    # they left on their secondment; the latest awaits review.
    mine = logs.filter(apprentice=trainee)
    assert {log.technique.name for log in mine} == {"经皮冠状动脉介入治疗"}
    left = Secondment.objects.get(person=trainee).start_on
    assert all(log.performed_on < left for log in mine)
    assert mine.order_by("-performed_on").first().verified_at is None
    assert mine.filter(verified_at__isnull=False).count() == mine.count() - 1


# -- 3: a cohort entered on its first day, with both mentors ----------------------------------


def test_cohort_members_entered_on_the_cohorts_first_day_with_their_mentors(demo):
    member = CohortMember.objects.select_related("cohort__programme").first()
    cohort = member.cohort
    assert cohort.programme.requires_internal_mentor and cohort.programme.requires_external_mentor
    assert cohort.start_on < TODAY
    members = with_mentors(CohortMember.objects.filter(cohort=cohort)).select_related(
        "person__department__parent"
    )
    assert {m.entered_on for m in members} == {cohort.start_on}
    assert all(m.has_internal_mentor and m.has_external_mentor for m in members)
    for m in members:
        for mentorship in member_mentorships(m.person):
            if mentorship.kind == Mentorship.Kind.INTERNAL:
                assert mentorship.mentor.institution_id == m.person.institution_id
            else:
                specialty = (m.person.department.parent or m.person.department).name
                assert mentorship.mentor.department.name == specialty
            assert mentorship.start_on <= cohort.start_on
    # The round came before: nominated within its period, decided, approved, then entered;
    # the best scored were chosen.
    selection = cohort.rounds.get()
    nominations = list(nominations_of(User.objects.get(username="commission"), selection))
    assert all(selection.opens_on <= n.nominated_on <= selection.closes_on for n in nominations)
    assert all(n.decided_on <= selection.approved_on < cohort.start_on for n in nominations)
    chosen = [n.status == Nomination.Status.APPROVED for n in nominations]  # best average first
    assert chosen == sorted(chosen, reverse=True) and not all(chosen)
    assert members.filter(person=persona("trainee")).exists()
    for plan in CareerPlan.objects.filter(person__cohort_memberships__cohort=cohort):
        assert cohort.start_on < plan.updated_at.date() <= TODAY  # drawn up on entering
        assert plan.cohort_member.cohort == cohort
        assert plan.mentorship.kind == Mentorship.Kind.INTERNAL


# -- 4: studios with members ------------------------------------------------------------------


def test_studios_have_members_of_their_department_who_joined_after_they_opened(demo):
    for studio in ExpertStudio.objects.select_related("lead__department", "department"):
        assert studio.department.name == studio.lead.department.name
        members = StudioMember.objects.filter(studio=studio).select_related("person")
        assert members.count() >= 3, studio.name
        for member in members:
            assert studio.founded_on <= member.joined_on <= TODAY
            assert member.person.institution_id == studio.institution_id
            assert member.person.department_id in under(studio.department)
        assert len({member.joined_on for member in members}) > 1  # not all on one day


# -- 5: this month's calendar -----------------------------------------------------------------


def test_this_months_calendar_has_visits_held_and_to_come(demo):
    first = TODAY.replace(day=1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    for username in ("commission", "hospital", "mentor"):
        days = visit_month(User.objects.get(username=username), first, last)["by_day"]
        assert any(day <= TODAY for day in days), username
        assert any(day > TODAY for day in days), username
    planned = Visit.objects.filter(held_on__gt=TODAY)
    assert not planned.exclude(patients=0, attendees=0, operations=0).exists()  # not yet held


# -- 6 and 7: secondment batches after their hosts, reports and comments in their months ------


def test_batches_are_named_after_the_hosts_their_people_go_to(demo):
    secondments = Secondment.objects.select_related(
        "batch", "host", "person__department", "person__personnel_category"
    )
    assert secondments.count() == demo["secondments"] > 1
    for secondment in secondments:
        assert secondment.host.short_name in secondment.batch.name
        assert secondment.person.department.clinical
        assert secondment.person.personnel_category.code in ("11", "21")
    for batch in secondments.values("batch__name").annotate(n=Count("pk")):
        assert f"（{batch['n']}人）" in batch["batch__name"]


def test_reports_and_comments_are_dated_in_the_months_they_belong_to(demo):
    months, month = [], demo_secondments.batch_start(TODAY)
    while month < TODAY.replace(day=1):  # the months that have ended
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    reports = MonthlyReport.objects.select_related("secondment")
    for secondment in Secondment.objects.all():
        assert (
            list(
                reports.filter(secondment=secondment)
                .order_by("month")
                .values_list("month", flat=True)
            )
            == months
        )
    for report in reports:
        following = (report.month + datetime.timedelta(days=32)).replace(day=1)
        submitted = report.submitted_at.date()
        assert (
            following - datetime.timedelta(days=4)
            <= submitted
            <= following + (datetime.timedelta(days=5))
        )
        assert report.submitted_at <= END_OF_TODAY
        if report.commented_at is not None:
            assert report.submitted_at < report.commented_at <= END_OF_TODAY
    assert reports.filter(commented_at__isnull=False).exists()
    assert reports.filter(commented_at__isnull=True).exists()  # the latest awaits the leader
    assert reports.values("submitted_at__date").distinct().count() > len(months)
    assert not reports.filter(submitted_at__date=TODAY).exists()
    # The demo's vice-president is in charge of cardiology (分管科室 on their post), so the
    # linked leader of the cardiology trainee (院领导挂钩), and comments; every secondee's leader
    # is a vice-president in charge of their department.
    leader, trainee = persona("leader"), persona("trainee")
    assert leader.position == "副院长"
    assert Secondment.objects.get(person=trainee).linked_leader == leader
    assert reports.filter(secondment__linked_leader=leader, commented_by=leader).exists()
    for secondment in Secondment.objects.select_related("person", "linked_leader"):
        assert secondment.linked_leader.position == "副院长"
        assert in_charge_of(secondment.linked_leader, secondment.person)


# -- the pages, as the demo's people see them -------------------------------------------------


def test_the_demo_people_find_their_year_on_their_pages(demo, as_user):
    client = as_user(User.objects.get(username="trainee"))
    assert "经皮冠状动脉介入治疗" in client.get("/training/cases/").content.decode()
    client = as_user(User.objects.get(username="mentor"))
    month = client.get(f"/training/visits/calendar/?month={TODAY:%Y-%m}").content.decode()
    assert persona("mentor").name in month and "计划" in month
    client = as_user(User.objects.get(username="dept"))
    assert persona("trainee").name in client.get("/training/secondments/").content.decode()
    client = as_user(User.objects.get(username="leader"))  # the reports awaiting their comment
    assert "的进修月报待批注" in client.get("/").content.decode()
