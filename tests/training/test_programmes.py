"""Programmes (培养计划): the 头雁 / 英才 / 育才 plans as data, cohorts, selection rounds where
institutions nominate their own staff and reviewers score, and the approval that admits the
chosen all or nothing, within the quota and the programme's rules; then members' goals,
annual reviews, completion and withdrawal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.training.programmes import (
    START,
    TODAY,
    admitted,
    cohort,
    nominate,
    programme,
    reviewing,
    selection,
)
from yicai.training.models import (
    AnnualReview,
    Cohort,
    CohortMember,
    MemberGoal,
    Nomination,
    Programme,
    ReviewScore,
    SelectionRound,
    TitleGrade,
)
from yicai.training.queries.programmes import members_of, nominations_of, places_taken
from yicai.training.services.mentoring import mentorship_create
from yicai.training.services.programmes import (
    age_on,
    annual_review_record,
    cohort_finish,
    member_complete,
    member_goal_add,
    member_withdraw,
    nomination_decide,
    programme_defaults_create,
    programme_update,
    review_score_record,
    selection_round_approve,
)

pytestmark = pytest.mark.django_db


def _fields(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


# Programmes as data ---------------------------------------------------------------------


def test_the_three_default_programmes_are_rows_the_commission_can_change(world):
    region = world.a.commission_region
    made = programme_defaults_create(region=region)
    assert [p.name for p in made] == ["头雁计划", "英才计划", "育才计划"]
    rising = Programme.objects.get(region=region, kind=Programme.Kind.RISING)
    assert (rising.duration_years, rising.quota) == (3, 25)
    assert rising.requires_internal_mentor and rising.requires_external_mentor
    programme_update(programme=rising, quota=30)
    assert programme_defaults_create(region=region) == []
    assert Programme.objects.filter(region=region).count() == 3


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"min_age": 45, "max_age": 35}, "__all__"),
        ({"quota": 0}, "quota"),
        ({"duration_years": 0}, "duration_years"),
        ({"max_age": 200}, "max_age"),
        ({"min_title_grade": "professor"}, "min_title_grade"),
        ({"kind": "secret"}, "kind"),
        ({"name": "   "}, "name"),
    ],
)
def test_a_programme_with_bad_rules_is_refused(world, extra, field):
    with pytest.raises(ValidationError) as error:
        programme(world, **extra)
    assert field in _fields(error)
    assert not Programme.objects.exists()


def test_two_programmes_of_a_region_cannot_share_a_name(world):
    programme(world)
    with pytest.raises(ValidationError) as error:
        programme(world)
    assert "本辖区已有同名的培养计划" in str(error.value)


def test_the_quota_cannot_fall_below_the_members_already_admitted(world):
    members = admitted(world, world.a_doctor, world.a_surgeon)
    with pytest.raises(ValidationError) as error:
        programme_update(programme=members[0].cohort.programme, quota=1)
    assert "名额不能少于已入选人数（2 人）" in error.value.message_dict["quota"][0]


# Cohorts ------------------------------------------------------------------------------


def test_a_cohort_lasts_the_programme_s_years_by_default(world):
    made = cohort(world, start_on=datetime.date(2023, 3, 1), year=2023)
    assert made.end_on == datetime.date(2026, 2, 28)
    assert made.status == Cohort.Status.SELECTING


def test_a_cohort_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError) as error:
        cohort(world, end_on=START - datetime.timedelta(days=1))
    assert "end_on" in _fields(error)


def test_a_stopped_programme_opens_no_cohort(world):
    stopped = programme(world, active=False)
    with pytest.raises(ValidationError) as error:
        cohort(world, of=stopped)
    assert "该培养计划已停用" in str(error.value)


# Nominations --------------------------------------------------------------------------


def test_an_institution_nominates_its_own_staff(world):
    selection_round = selection(cohort(world))
    made = nominate(selection_round, world.a_doctor)
    assert made.status == Nomination.Status.NOMINATED
    assert made.institution == world.a


def test_an_institution_cannot_nominate_another_institution_s_person(world):
    selection_round = selection(cohort(world))
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.b_doctor, institution=world.a)
    assert error.value.message_dict["person"] == ["只能提名本机构的人员。"]
    assert not Nomination.objects.exists()


def test_a_partner_hospital_or_another_district_cannot_nominate(world):
    selection_round = selection(cohort(world))
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.partner_expert)
    assert error.value.message_dict["institution"] == ["只能由辖区管理的机构提名。"]
    elsewhere = factories.institution("外区医院", commission="310104")
    stranger = factories.person(elsewhere, "外区医生", title="233")
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, stranger)
    assert "不属于此培养计划的卫健委辖区" in error.value.message_dict["institution"][0]


def test_nominations_outside_the_call_are_refused(world):
    closed = selection(
        cohort(world),
        opens_on=TODAY - datetime.timedelta(days=30),
        closes_on=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        nominate(closed, world.a_doctor)
    assert "不在提名期内" in error.value.message_dict["round"][0]


def test_no_nomination_once_the_review_has_begun(world):
    selection_round = selection(cohort(world))
    nominate(selection_round, world.a_doctor)
    reviewing(selection_round)
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.a_surgeon)
    assert error.value.message_dict["round"] == ["本次遴选已停止征集提名。"]


def test_a_person_over_the_age_limit_is_refused_with_the_rule_named(world):
    made_cohort = cohort(world, of=programme(world, max_age=35))
    age = age_on(world.a_doctor, made_cohort.start_on)
    with pytest.raises(ValidationError) as error:
        nominate(selection(made_cohort), world.a_doctor)
    assert error.value.message_dict["person"] == [
        f"超过该计划的年龄上限（35 周岁，本人 {age} 周岁）。"
    ]


def test_a_person_below_the_title_rule_is_refused_with_the_rule_named(world):
    made_cohort = cohort(world, of=programme(world, min_title_grade=TitleGrade.INTERMEDIATE))
    selection_round = selection(made_cohort)
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.b_doctor)  # 医师: junior
    assert error.value.message_dict["person"] == ["职称不符合该计划要求（中级及以上）。"]
    assert nominate(selection_round, world.a_surgeon)  # 副主任医师 passes


def test_someone_without_a_title_fails_a_title_rule(world):
    made_cohort = cohort(world, of=programme(world, min_title_grade=TitleGrade.JUNIOR_ASSISTANT))
    untitled = factories.person(world.a, "无职称")
    with pytest.raises(ValidationError) as error:
        nominate(selection(made_cohort), untitled)
    assert "职称不符合该计划要求" in error.value.message_dict["person"][0]


def test_a_person_is_nominated_once_per_round(world):
    selection_round = selection(cohort(world))
    nominate(selection_round, world.a_doctor)
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.a_doctor)
    assert "该人员已在本次遴选中被提名" in str(error.value)
    assert Nomination.objects.count() == 1


def test_a_reason_is_required_and_holds_no_patient_data(world):
    selection_round = selection(cohort(world))
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.a_doctor, reason="  ")
    assert error.value.message_dict["reason"] == ["请填写推荐理由。"]
    with pytest.raises(ValidationError) as error:
        nominate(selection_round, world.a_doctor, reason="救治患者 310101199001011234")
    assert "患者信息" in error.value.message_dict["reason"][0]


# Scores -------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [Decimal("100.1"), Decimal("-1"), "abc", None])
def test_scores_outside_0_to_100_or_not_numbers_are_refused(world, score):
    selection_round = selection(cohort(world))
    nomination = nominate(selection_round, world.a_doctor)
    reviewing(selection_round)
    nomination.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        review_score_record(nomination=nomination, reviewer_name="王评审", score=score)
    assert "score" in _fields(error)
    assert not ReviewScore.objects.exists()


def test_several_reviewers_score_once_each_during_review(world):
    selection_round = selection(cohort(world))
    nomination = nominate(selection_round, world.a_doctor)
    with pytest.raises(ValidationError) as error:
        review_score_record(nomination=nomination, reviewer_name="王评审", score=90)
    assert error.value.message_dict["score"] == ["只有评审阶段可以评分。"]
    reviewing(selection_round)
    nomination.refresh_from_db()
    review_score_record(nomination=nomination, reviewer_name="王评审", score=90)
    review_score_record(nomination=nomination, reviewer_name="李评审", score=Decimal("84.5"))
    with pytest.raises(ValidationError) as error:
        review_score_record(nomination=nomination, reviewer_name="王评审", score=70)
    assert "该评审专家已为此提名评分" in str(error.value)
    listed = nominations_of(world.commission, selection_round).get()
    assert listed.average == pytest.approx(Decimal("87.25"))
    assert listed.score_count == 2


def test_a_nominee_cannot_score_themself(world):
    selection_round = selection(cohort(world))
    nomination = nominate(selection_round, world.a_doctor)
    reviewing(selection_round)
    nomination.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        review_score_record(
            nomination=nomination, reviewer_name="", reviewer=world.a_doctor, score=99
        )
    assert "reviewer_name" in _fields(error)


# Approval -----------------------------------------------------------------------------


def test_approval_admits_the_chosen_and_starts_the_cohort(world):
    made_cohort = cohort(world)
    selection_round = selection(made_cohort)
    chosen = nominate(selection_round, world.a_doctor)
    other = nominate(selection_round, world.a_surgeon)
    reviewing(selection_round, chosen)
    reviewing_decide = nomination_decide
    other.refresh_from_db()
    reviewing_decide(nomination=other, status=Nomination.Status.REJECTED)
    selection_round.refresh_from_db()
    members = selection_round_approve(selection_round=selection_round)
    assert [m.person for m in members] == [world.a_doctor]
    assert members[0].entered_on == TODAY
    selection_round.refresh_from_db()
    made_cohort.refresh_from_db()
    assert selection_round.status == SelectionRound.Status.APPROVED
    assert made_cohort.status == Cohort.Status.RUNNING


def test_approval_waits_until_every_nomination_is_decided(world):
    selection_round = selection(cohort(world))
    nominate(selection_round, world.a_doctor)
    reviewing(selection_round)
    selection_round.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        selection_round_approve(selection_round=selection_round)
    assert error.value.message_dict["status"] == ["尚有 1 份提名未决定是否入选。"]
    assert not CohortMember.objects.exists()


def test_approval_beyond_the_quota_admits_nobody(world):
    made_cohort = cohort(world, of=programme(world, quota=2))
    selection_round = selection(made_cohort)
    nominations = [
        nominate(selection_round, person)
        for person in (world.a_doctor, world.a_surgeon, world.b_doctor)
    ]
    reviewing(selection_round, *nominations)
    selection_round.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        selection_round_approve(selection_round=selection_round)
    assert error.value.message_dict["quota"] == [
        "超出名额：本期名额 2 人，已有 0 人，拟入选 3 人。"
    ]
    selection_round.refresh_from_db()
    made_cohort.refresh_from_db()
    assert not CohortMember.objects.exists()
    assert selection_round.status == SelectionRound.Status.REVIEWING
    assert made_cohort.status == Cohort.Status.SELECTING


def test_one_chosen_person_breaking_a_rule_keeps_everyone_out(world):
    """The rules are checked again at approval: here the age limit was set after the
    nominations."""
    made_programme = programme(world)
    made_cohort = cohort(world, of=made_programme)
    selection_round = selection(made_cohort)
    young = factories.person(world.a, "青年医生", birth=TODAY.replace(year=TODAY.year - 30))
    nominations = [nominate(selection_round, young), nominate(selection_round, world.a_doctor)]
    reviewing(selection_round, *nominations)
    programme_update(programme=made_programme, max_age=35)
    selection_round.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        selection_round_approve(selection_round=selection_round)
    message = error.value.message_dict["nominations"][0]
    assert message.startswith(f"{world.a_doctor.name}：超过该计划的年龄上限（35 周岁")
    assert young.name not in message
    assert not CohortMember.objects.exists()


def test_a_member_of_the_cohort_is_not_nominated_again(world):
    made_cohort = cohort(world)
    admitted(world, world.a_doctor, of_cohort=made_cohort)
    with pytest.raises(ValidationError) as error:
        nominate(selection(made_cohort), world.a_doctor)
    assert error.value.message_dict["person"] == ["已是本期培养对象。"]
    assert CohortMember.objects.count() == 1


def test_a_member_is_not_admitted_twice_even_past_the_nomination_check(world):
    """Two rounds of a cohort cannot be open at once; were a member added meanwhile, the
    approval still refuses the duplicate."""
    made_cohort = cohort(world)
    first = selection(made_cohort)
    with pytest.raises(ValidationError) as error:
        selection(made_cohort, name="补充遴选")
    assert "该期已有尚未批准的遴选" in str(error.value)
    nomination = nominate(first, world.a_doctor)
    reviewing(first, nomination)
    CohortMember.objects.create(cohort=made_cohort, person=world.a_doctor, entered_on=START)
    first.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        selection_round_approve(selection_round=first)
    assert "已是本期培养对象" in error.value.message_dict["nominations"][0]
    assert CohortMember.objects.count() == 1


def test_the_database_refuses_a_duplicate_member(world):
    member = admitted(world, world.a_doctor)[0]
    duplicate = CohortMember(cohort=member.cohort, person=world.a_doctor, entered_on=TODAY)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "该人员已是本期培养对象" in str(error.value)


def test_an_active_member_of_another_cohort_of_the_programme_is_refused(world):
    member = admitted(world, world.a_doctor)[0]
    second = cohort(world, of=member.cohort.programme, name="第二期")
    with pytest.raises(ValidationError) as error:
        nominate(selection(second), world.a_doctor)
    assert error.value.message_dict["person"] == ["正在参加本计划其他一期的培养。"]


def test_a_withdrawn_member_frees_a_place(world):
    made_cohort = cohort(world, of=programme(world, quota=1))
    first = admitted(world, world.a_doctor, of_cohort=made_cohort)[0]
    member_withdraw(member=first, on=TODAY, reason="调离本区")
    second = admitted(world, world.a_surgeon, of_cohort=made_cohort)
    assert [m.person for m in second] == [world.a_surgeon]
    assert places_taken(made_cohort) == 1


def test_approval_refuses_a_future_date(world):
    selection_round = selection(cohort(world))
    reviewing(selection_round, nominate(selection_round, world.a_doctor))
    selection_round.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        selection_round_approve(
            selection_round=selection_round, approved_on=TODAY + datetime.timedelta(days=1)
        )
    assert "approved_on" in _fields(error)
    assert not CohortMember.objects.exists()


# Members: goals, reviews, completion, withdrawal --------------------------------------


def test_a_goal_belongs_to_a_year_of_the_membership(world):
    member = admitted(world, world.a_doctor)[0]
    goal = member_goal_add(member=member, year=TODAY.year, text="独立完成 PCI 50 例")
    assert goal.pk
    last = member.cohort.end_on.year
    with pytest.raises(ValidationError) as error:
        member_goal_add(member=member, year=last + 1, text="晋升副高")
    assert error.value.message_dict["year"] == [f"年度须在培养期内（{TODAY.year}—{last} 年）。"]
    with pytest.raises(ValidationError):
        member_goal_add(member=member, year=TODAY.year, text="联系 13800138000")
    assert MemberGoal.objects.count() == 1


def test_an_annual_review_once_a_year_and_not_ahead(world):
    member = admitted(world, world.a_doctor)[0]
    review = annual_review_record(
        member=member, year=TODAY.year, rating=AnnualReview.Rating.EXCELLENT, reviewer="评审组"
    )
    assert review.get_rating_display() == "优秀"
    with pytest.raises(ValidationError) as error:
        annual_review_record(member=member, year=TODAY.year, rating="qualified", reviewer="评审组")
    assert "该学员本年度的考核已登记" in str(error.value)
    with pytest.raises(ValidationError) as error:
        annual_review_record(
            member=member, year=TODAY.year + 1, rating="qualified", reviewer="评审组"
        )
    assert "year" in _fields(error)
    with pytest.raises(ValidationError) as error:
        annual_review_record(member=member, year=TODAY.year - 1, rating="unknown", reviewer=" ")
    assert {"year", "rating", "reviewer"} <= _fields(error)
    assert AnnualReview.objects.count() == 1


def test_completion_gives_a_certificate_number(world):
    members = admitted(world, world.a_doctor, world.a_surgeon)
    done = member_complete(member=members[1], completed_on=TODAY)
    made_cohort = done.cohort
    assert done.status == CohortMember.Status.COMPLETED
    assert done.exited_on == TODAY
    assert done.certificate_number == f"310113-{made_cohort.year}-{made_cohort.pk:03d}-001"
    other = member_complete(member=members[0], completed_on=TODAY)
    assert other.certificate_number.endswith("-002")


def test_an_unqualified_year_keeps_a_member_from_completing(world):
    member = admitted(world, world.a_doctor)[0]
    annual_review_record(
        member=member, year=TODAY.year, rating=AnnualReview.Rating.UNQUALIFIED, reviewer="评审组"
    )
    with pytest.raises(ValidationError) as error:
        member_complete(member=member, completed_on=TODAY)
    assert error.value.message_dict["completed_on"] == [f"{TODAY.year} 年度考核不合格，不能结业。"]
    member.refresh_from_db()
    assert member.status == CohortMember.Status.ACTIVE
    assert member.certificate_number == ""


@pytest.mark.parametrize("days", [-1, 1])
def test_leaving_before_entering_or_in_the_future_is_refused(world, days):
    member = admitted(world, world.a_doctor)[0]
    on = (member.entered_on if days < 0 else TODAY) + datetime.timedelta(days=days)
    with pytest.raises(ValidationError) as error:
        member_withdraw(member=member, on=on, reason="调离")
    assert "on" in _fields(error)
    with pytest.raises(ValidationError) as error:
        member_complete(member=member, completed_on=on)
    assert "completed_on" in _fields(error)
    member.refresh_from_db()
    assert member.status == CohortMember.Status.ACTIVE


def test_the_database_refuses_an_exit_before_the_entry(world):
    member = admitted(world, world.a_doctor)[0]
    member.status = CohortMember.Status.WITHDRAWN
    member.exited_on = member.entered_on - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    assert "exited_on" in error.value.message_dict


def test_a_withdrawal_needs_a_reason_and_ends_the_membership_once(world):
    member = admitted(world, world.a_doctor)[0]
    with pytest.raises(ValidationError) as error:
        member_withdraw(member=member, on=TODAY, reason="")
    assert error.value.message_dict["reason"] == ["请填写退出原因。"]
    member_withdraw(member=member, on=TODAY, reason="调离本区")
    with pytest.raises(ValidationError):
        member_complete(member=member, completed_on=TODAY)
    member.refresh_from_db()
    assert (member.status, member.exit_reason) == (CohortMember.Status.WITHDRAWN, "调离本区")


def test_a_cohort_finishes_only_when_every_member_has_left(world):
    member = admitted(world, world.a_doctor)[0]
    with pytest.raises(ValidationError) as error:
        cohort_finish(cohort=member.cohort)
    assert error.value.message_dict["status"] == ["尚有 1 名培养对象未结业或退出。"]
    member_complete(member=member, completed_on=TODAY)
    assert cohort_finish(cohort=member.cohort).status == Cohort.Status.FINISHED


# The mentor rule ----------------------------------------------------------------------


def test_members_missing_a_required_mentor_are_shown(world):
    members = admitted(world, world.a_doctor, world.a_surgeon)
    made_cohort = members[0].cohort
    # 孙名医 of the partner hospital mentors 李心怡: external; 周外科 mentors her too: internal.
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=START,
    )
    mentorship_create(
        mentor=world.a_surgeon, apprentices=[world.a_doctor], institution=world.a, start_on=START
    )
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_surgeon],
        institution=world.a,
        start_on=START,
    )
    rows = {
        m.person_id: (m.has_internal_mentor, m.has_external_mentor)
        for m in members_of(world.commission, made_cohort)
    }
    assert rows == {world.a_doctor.pk: (True, True), world.a_surgeon.pk: (False, True)}
    missing = members_of(world.commission, made_cohort, missing_mentor=True)
    assert [m.person_id for m in missing] == [world.a_surgeon.pk]


def test_an_ended_mentorship_does_not_count(world):
    member = admitted(world, world.a_doctor)[0]
    mentorship_create(
        mentor=world.partner_expert,
        apprentices=[world.a_doctor],
        institution=world.a,
        start_on=START,
        status="ended",
    )
    row = members_of(world.commission, member.cohort).get()
    assert not row.has_external_mentor


# The timeline -------------------------------------------------------------------------


def test_entering_reviews_and_leaving_appear_on_the_person_s_timeline(world):
    from yicai.people.timeline import events_for

    first, second = admitted(world, world.a_doctor, world.a_surgeon)
    annual_review_record(
        member=first, year=TODAY.year, rating=AnnualReview.Rating.QUALIFIED, reviewer="评审组"
    )
    member_complete(member=first, completed_on=TODAY)
    member_withdraw(member=second, on=TODAY, reason="调离本区")
    titles = {event.title for event in events_for(world.a_doctor) if event.section == "training"}
    assert "入选 育才计划（第一期）" in titles
    assert "育才计划（第一期） 结业" in titles
    assert f"育才计划 {TODAY.year} 年度考核：合格" in titles
    surgeon = {event.title for event in events_for(world.a_surgeon)}
    assert "退出 育才计划（第一期）" in surgeon
    assert "育才计划（第一期） 结业" not in surgeon
