"""Career plans (职业生涯规划): one per person, goals by year; a title, technique or training
goal is met when the records say so (never typed), research and other goals when the mentor
or HR marks them; and the rules that keep a plan about its own person."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.training.careers import TODAY, YEAR, goal, plan
from tests.training.helpers import case, technique
from tests.training.programmes import admitted
from yicai.codes.queries import code_for
from yicai.people import services as people_services
from yicai.training.models import CareerGoal, CareerPlan, CaseLog, Enrolment, GoalKind, Secondment
from yicai.training.queries.careers import plan_progress, progress_of
from yicai.training.services.careers import (
    career_goal_mark_done,
    career_goal_reopen,
    career_plan_create,
)
from yicai.training.services.education import enrolment_create
from yicai.training.services.mentoring import case_log_unverify, case_log_verify, mentorship_create
from yicai.training.services.secondments import secondment_create, secondment_withdraw

pytestmark = pytest.mark.django_db


def progress(made_goal):
    made_goal = CareerGoal.objects.select_related("plan", "target_title").get(pk=made_goal.pk)
    return progress_of([made_goal])[made_goal.pk]


# Title goals ----------------------------------------------------------------------------


def test_a_title_goal_is_met_once_the_title_is_recorded(world):
    made = goal(plan(world.b_doctor), GoalKind.TITLE, target_title=code_for("title", "233"))
    assert not progress(made).met
    people_services.title_add(
        person=world.b_doctor, title=code_for("title", "233"), obtained_on=TODAY
    )
    result = progress(made)
    assert result.met and result.derived
    assert result.met_on == TODAY
    assert "主治医师" in result.evidence


def test_a_higher_title_of_the_same_series_meets_a_title_goal_but_another_series_does_not(world):
    made_plan = plan(world.a_surgeon)  # 副主任医师
    lower = goal(made_plan, GoalKind.TITLE, target_title=code_for("title", "233"))
    nursing = goal(made_plan, GoalKind.TITLE, target_title=code_for("title", "253"))
    higher = goal(made_plan, GoalKind.TITLE, target_title=code_for("title", "231"))
    assert progress(lower).met
    assert not progress(nursing).met
    assert not progress(higher).met


def test_a_title_goal_needs_a_specific_title(world):
    made_plan = plan(world.b_doctor)
    with pytest.raises(ValidationError) as error:
        goal(made_plan, GoalKind.TITLE)
    assert error.value.message_dict["target_title"] == ["职称目标须选择目标职称。"]
    with pytest.raises(ValidationError) as error:
        goal(made_plan, GoalKind.TITLE, target_title=code_for("title", "230"))  # a series
    assert error.value.message_dict["target_title"] == ["请选择具体职称，而不是职称系列。"]
    with pytest.raises(ValidationError):
        goal(made_plan, GoalKind.TITLE, target_title=code_for("sex", "1"))
    assert not CareerGoal.objects.exists()


# Technique goals ------------------------------------------------------------------------


def test_a_technique_goal_follows_the_verified_independent_cases(world):
    item = technique(world)
    made = goal(plan(world.a_doctor), GoalKind.TECHNIQUE, target_technique=item)
    assisted = case(world, item, role=CaseLog.Role.ASSISTED)
    case_log_verify(case_log=assisted, user=world.hospital_a)
    assert not progress(made).met  # assisting is not doing it alone
    alone = case(world, item, on=TODAY - datetime.timedelta(days=3))
    assert not progress(made).met  # not verified yet
    case_log_verify(case_log=alone, user=world.hospital_a)
    result = progress(made)
    assert result.met and result.met_on == alone.performed_on
    case_log_unverify(case_log=alone, user=world.hospital_a)
    assert not progress(made).met


def test_another_person_s_case_does_not_meet_a_technique_goal(world):
    item = technique(world)
    made = goal(plan(world.a_doctor), GoalKind.TECHNIQUE, target_technique=item)
    other = case(world, item, apprentice=world.a_surgeon)
    case_log_verify(case_log=other, user=world.hospital_a)
    assert not progress(made).met


def test_a_technique_goal_names_a_technique_of_the_person_s_institution(world):
    elsewhere = technique(world, "胃镜下息肉切除术", institution=world.b)
    with pytest.raises(ValidationError) as error:
        goal(plan(world.a_doctor), GoalKind.TECHNIQUE, target_technique=elsewhere)
    assert "target_technique" in error.value.message_dict


# Training goals -------------------------------------------------------------------------


def _secondment(world, person, start_on, **extra):
    return secondment_create(
        person=person, host=world.partner, host_department="心内科", start_on=start_on, **extra
    )


def test_a_training_goal_is_met_by_a_secondment_under_way_in_its_year(world):
    made_plan = plan(world.a_doctor)
    this_year = goal(made_plan, GoalKind.TRAINING, target_training_kind="secondment")
    next_year = goal(made_plan, GoalKind.TRAINING, year=YEAR + 1)
    assert not progress(this_year).met
    went = _secondment(world, world.a_doctor, TODAY - datetime.timedelta(days=20))
    result = progress(this_year)
    assert result.met and result.met_on == went.start_on
    assert world.partner.name in result.evidence
    assert progress(next_year).met  # a year's secondment reaches into next year
    secondment_withdraw(secondment=went, on=TODAY)
    assert not progress(this_year).met


def test_a_training_goal_asks_for_its_kind_of_training(world):
    made_plan = plan(world.a_doctor)
    degree = goal(made_plan, GoalKind.TRAINING, target_training_kind="degree")
    short = goal(made_plan, GoalKind.TRAINING, target_training_kind="short_course")
    enrolment_create(
        person=world.a_doctor,
        kind=Enrolment.Kind.SHORT_COURSE,
        provider="复旦大学上海医学院",
        programme="超声介入短训班",
        start_on=TODAY.replace(month=1, day=2),
    )
    assert progress(short).met
    assert not progress(degree).met


def test_training_not_yet_begun_does_not_count(world):
    made = goal(plan(world.a_doctor), GoalKind.TRAINING, year=YEAR + 1)
    _secondment(world, world.a_doctor, datetime.date(YEAR + 1, 3, 1))
    assert Secondment.objects.count() == 1
    assert not progress(made).met


# Goals marked by hand -------------------------------------------------------------------


def test_research_goals_are_marked_done_by_hand_and_derived_ones_never(world):
    made_plan = plan(world.a_doctor)
    research = goal(made_plan, GoalKind.RESEARCH, text="发表核心期刊论文", target_papers=2)
    assert progress(research).overdue is False and not progress(research).met
    career_goal_mark_done(goal=research, done_on=TODAY, by=world.mentor, note="已录用")
    result = progress(research)
    assert result.met and not result.derived and result.evidence == "已录用"
    title = goal(made_plan, GoalKind.TITLE, target_title=code_for("title", "232"))
    with pytest.raises(ValidationError) as error:
        career_goal_mark_done(goal=title, done_on=TODAY, by=world.mentor)
    assert "由记录自动得出" in error.value.message_dict["done_on"][0]
    title.refresh_from_db()
    assert title.done_on is None


def test_a_goal_cannot_be_marked_done_in_the_future(world):
    other = goal(plan(world.a_doctor), GoalKind.OTHER, text="担任科室教学秘书")
    with pytest.raises(ValidationError) as error:
        career_goal_mark_done(
            goal=other, done_on=TODAY + datetime.timedelta(days=1), by=world.hospital_a
        )
    assert error.value.message_dict["done_on"] == ["完成日期不能晚于今天。"]
    career_goal_mark_done(goal=other, done_on=TODAY, by=world.hospital_a)
    career_goal_reopen(goal=other)
    assert not progress(other).met


def test_an_unmet_goal_of_a_past_year_is_overdue(world):
    made = goal(plan(world.a_doctor), GoalKind.OTHER, year=YEAR - 1)
    assert progress(made).overdue


def test_only_the_target_of_the_goal_s_kind_is_kept(world):
    made = goal(
        plan(world.a_doctor),
        GoalKind.RESEARCH,
        target_papers=3,
        target_title=code_for("title", "232"),
        target_training_kind="degree",
    )
    made.refresh_from_db()
    assert (made.target_papers, made.target_title, made.target_training_kind) == (3, None, "")


# The plan -------------------------------------------------------------------------------


def test_a_person_has_one_plan(world):
    plan(world.a_doctor)
    with pytest.raises(ValidationError) as error:
        plan(world.a_doctor)
    assert error.value.message_dict["person"] == ["该人员已有职业生涯规划。"]
    assert CareerPlan.objects.count() == 1


def test_a_plan_links_only_the_person_s_own_membership_and_mentorship(world):
    member = admitted(world, world.a_surgeon)[0]
    pair = mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_surgeon],
        institution=world.a,
        start_on=TODAY - datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as error:
        plan(world.a_doctor, cohort_member=member, mentorship=pair)
    assert set(error.value.message_dict) == {"cohort_member", "mentorship"}
    assert not CareerPlan.objects.exists()
    made = plan(world.a_surgeon, cohort_member=member, mentorship=pair)
    assert made.cohort_member == member


def test_plan_text_holds_no_patient_data(world):
    with pytest.raises(ValidationError) as error:
        career_plan_create(person=world.a_doctor, direction="随访 310101199001011234")
    assert "direction" in error.value.message_dict
    made = plan(world.a_doctor)
    with pytest.raises(ValidationError):
        goal(made, GoalKind.OTHER, text="联系患者 13800138000")
    assert not CareerGoal.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_goal_year_out_of_range_is_refused(world, year):
    with pytest.raises(ValidationError) as error:
        goal(plan(world.a_doctor), GoalKind.OTHER, year=year)
    assert "year" in error.value.message_dict


def test_plan_progress_counts_met_goals_per_plan(world):
    first = plan(world.a_surgeon)
    goal(first, GoalKind.TITLE, target_title=code_for("title", "233"))  # met
    goal(first, GoalKind.OTHER)
    second = plan(world.b_doctor)
    assert plan_progress([first, second]) == {first.pk: (1, 2), second.pk: (0, 0)}
