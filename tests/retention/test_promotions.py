"""Title-promotion rounds through the services: eligibility derived from the records (years in
the grade below, education, the year's CME credits from 育, a licence valid on the closing
day) with its reasons; one application a person a round; results one by one and in bulk; a
pass adds the title to the person's records with the application as its source, and the
incentive policy's promotion reward follows; the figures' sentence."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.retention.helpers import ISSUED, draft_policy, promotion_rule, talent_fund
from tests.retention.promotion_scenarios import applicant, senior_round, sixian_round
from yicai.codes.queries import code_for
from yicai.people.models import Licence, TitleRecord
from yicai.people.services import education_add, licence_add, title_add
from yicai.people.timeline import events_for
from yicai.retention.models import PromotionApplication, PromotionRound
from yicai.retention.queries.promotions import figures_of, round_figures
from yicai.retention.services import awards, policies, promotions
from yicai.training.services.education import external_credit_record

D = datetime.date
Result = PromotionApplication.Result
Eligibility = PromotionApplication.Eligibility


def _round(world, **requirement):
    held = senior_round(world.a.commission_region, 2021)
    promotions.requirement_set(promotion_round=held, by=None, grade="senior", **requirement)
    return held


def _apply(held, person, grade="senior", by=None):
    return promotions.application_create(
        by=by, promotion_round=held, person=person, grade=grade, applied_on=D(2021, 4, 1)
    )


def test_eligible_from_the_records(world):
    held = _round(
        world,
        min_years=5,
        min_education=code_for("education", "21"),
        min_credits="25",
        licence_required=True,
    )
    person = applicant(world.a, "钱副主任", "232", D(2015, 3, 1))
    education_add(person=person, level=code_for("education", "14"), graduated_on=D(2005, 7, 1))
    external_credit_record(
        person=person,
        earned_on=D(2021, 2, 1),
        title="省级继续教育项目",
        provider="省卫健委",
        credit_class="class_i",
        credits="20",
    )
    external_credit_record(
        person=person,
        earned_on=D(2021, 3, 1),
        title="市级继续教育项目",
        provider="市卫健委",
        credit_class="class_ii",
        credits="10",
    )
    licence_add(
        person=person,
        number="110310000000001",
        category=Licence.PracticeCategory.CLINICAL,
        issued_on=D(2010, 1, 1),
        expires_on=D(2026, 1, 1),
    )
    application = _apply(held, person)
    assert application.eligibility == Eligibility.ELIGIBLE
    assert application.reasons == ""
    assert application.years_in_grade == 6  # 2015-03-01 to the closing day 2021-04-30
    assert str(application.credits) == "30.0"  # the year's credits, as 育 counts them
    assert application.title == code_for("title", "231")
    assert application.institution == world.a


def test_each_shortfall_said_in_words(world):
    held = _round(
        world,
        min_years=5,
        min_education=code_for("education", "21"),
        min_credits="25",
        licence_required=True,
    )
    person = applicant(world.a, "孙副主任", "232", D(2019, 3, 1))
    education_add(person=person, level=code_for("education", "31"), graduated_on=D(2005, 7, 1))
    licence_add(
        person=person,
        number="110310000000002",
        category=Licence.PracticeCategory.CLINICAL,
        issued_on=D(2010, 1, 1),
        expires_on=D(2020, 12, 31),
    )
    application = _apply(held, person)
    assert application.eligibility == Eligibility.INELIGIBLE
    assert application.reason_lines == [
        "取得副高级职称2年，不满5年。",
        "学历“大学专科毕业”低于最低学历“大学本科毕业”。",
        "2021年继续教育学分0.0分，低于25.0分。",
        "截至2021-04-30无有效执业证书。",
    ]


def test_missing_data_leaves_it_to_check(world):
    held = _round(world, min_years=5, licence_required=True)
    person = factories.person(world.a, "无日期")
    title_add(person=person, title=code_for("title", "232"))
    application = _apply(held, person)
    assert application.eligibility == Eligibility.TO_CHECK
    assert application.reason_lines == [
        "现职称无取得时间，年限无法核对",
        "未登记执业证书，请人工核对。",
    ]
    assert application.years_in_grade is None


def test_without_the_grade_below_ineligible(world):
    held = _round(world)
    application = _apply(held, applicant(world.a, "主治", "233", D(2010, 1, 1)))
    assert application.eligibility == Eligibility.INELIGIBLE
    assert application.reason_lines == ["未取得副高级职称，不能申报正高级。"]


def test_one_application_a_person_a_round(world):
    held = _round(world)
    person = applicant(world.a, "重复", "232", D(2010, 1, 1))
    _apply(held, person)
    with pytest.raises(ValidationError) as refused:
        _apply(held, person, grade="associate_senior")
    assert refused.value.message_dict == {"person": ["该人员已在本轮评审中申报。"]}


def test_an_application_needs_the_grade_set_and_the_period(world):
    held = senior_round(world.a.commission_region, 2021)
    person = applicant(world.a, "中级", "234", D(2010, 1, 1))
    with pytest.raises(ValidationError) as refused:
        promotions.application_create(
            by=None,
            promotion_round=held,
            person=person,
            grade="intermediate",
            applied_on=D(2021, 5, 1),
        )
    assert refused.value.message_dict == {
        "grade": ["本轮评审未设置该级别的申报条件。"],
        "applied_on": ["申报日期须在申报期内（2021-03-01 至 2021-04-30）。"],
    }


def test_only_the_commission_holds_a_round(world):
    with pytest.raises(ValidationError) as refused:
        promotions.round_create(
            by=world.hospital_a,
            region=world.a.commission_region,
            year=2022,
            series=code_for("title", "230"),
            name="2022年度评审",
            opens_on=D(2022, 3, 1),
            closes_on=D(2022, 4, 30),
        )
    assert refused.value.message_dict == {
        "region": ["只有卫健委可以设立和修改本辖区的职称晋升评审。"]
    }
    with pytest.raises(ValidationError) as twice:
        senior_round(world.a.commission_region, 2021)
        senior_round(world.a.commission_region, 2021)
    assert twice.value.message_dict == {"__all__": ["本辖区该年度该系列已有评审。"]}


def test_a_pass_adds_the_title_with_the_round_as_its_source(world):
    held = _round(world)
    person = applicant(world.a, "晋升", "232", D(2010, 1, 1))
    application = _apply(held, person)
    done = promotions.result_record(
        application=application, by=world.commission, result=Result.PASSED, on=D(2021, 9, 30)
    )
    record = TitleRecord.objects.get(person=person, grade="senior")
    assert done.title_record == record
    assert record.promotion == done  # the round is its source
    assert (record.title.name, record.obtained_on) == ("主任医师", D(2021, 9, 30))
    person.refresh_from_db()
    assert person.title_grade == "senior"
    held.refresh_from_db()
    assert held.status == PromotionRound.Status.CLOSED
    for result in (Result.WITHDRAWN, Result.FAILED, Result.PASSED):
        with pytest.raises(ValidationError) as refused:
            promotions.result_record(
                application=done, by=world.commission, result=result, on=D(2021, 10, 8)
            )
        assert refused.value.message_dict == {
            "result": ["晋升 已通过并取得职称，不能再改为未通过或撤回。"]
        }
    assert TitleRecord.objects.filter(person=person, grade="senior").count() == 1
    # The round has its results: no more applications.
    with pytest.raises(ValidationError) as closed:
        _apply(held, applicant(world.a, "迟到", "232", D(2010, 1, 1)))
    assert closed.value.message_dict == {"round": ["本轮评审已出结果，不再接受申报。"]}


def test_an_institution_only_withdraws(world):
    held = _round(world)
    application = _apply(held, applicant(world.a, "撤回", "232", D(2010, 1, 1)))
    with pytest.raises(ValidationError) as refused:
        promotions.result_record(application=application, by=world.hospital_a, result=Result.PASSED)
    assert refused.value.message_dict == {
        "result": ["评审结果由卫健委登记；申报单位只能撤回申报。"]
    }
    done = promotions.result_record(
        application=application, by=world.hospital_a, result=Result.WITHDRAWN, on=D(2021, 4, 20)
    )
    assert (done.result, done.result_on) == (Result.WITHDRAWN, D(2021, 4, 20))


def test_an_ineligible_application_does_not_pass(world):
    held = _round(world)
    application = _apply(held, applicant(world.a, "主治", "233", D(2010, 1, 1)))
    with pytest.raises(ValidationError) as refused:
        promotions.results_record(
            promotion_round=held,
            by=world.commission,
            applications=[application.pk],
            result=Result.PASSED,
            on=D(2021, 9, 30),
        )
    assert refused.value.message_dict == {"applications": ["主治 不符合申报条件，不能评为通过。"]}
    assert not TitleRecord.objects.filter(person=application.person, grade="senior").exists()


def test_sixian_figures(world):
    made = sixian_round(world.a.commission_region, 2021, institution=world.a)
    figures = figures_of(world.commission, made.round)
    assert (figures.applied, figures.passed) == (68, 52)
    assert figures.by_grade == {"senior": 10, "associate_senior": 42}
    assert figures.sentence == "68人申报，52人通过：正高级10人，副高级42人"
    assert TitleRecord.objects.filter(promotion__round=made.round).count() == 52
    # Hospital B sees none of A's applications.
    assert figures_of(world.hospital_b, made.round).sentence == "0人申报，0人通过"


def test_no_pass_no_grades_said(world):
    held = _round(world)
    application = _apply(held, applicant(world.a, "未过", "232", D(2010, 1, 1)))
    promotions.result_record(
        application=application, by=None, result=Result.FAILED, on=D(2021, 9, 30)
    )
    figures = round_figures(PromotionApplication.objects.filter(round=held))
    assert (figures.sentence, figures.by_grade) == ("1人申报，0人通过", {})


def test_the_promotion_reward_follows_through_the_policy(world):
    policy = draft_policy(world, talent_fund(world))
    promotion_rule(policy, "senior", (ISSUED, "50000"), name="晋升正高奖励")
    policies.policy_publish(policy=policy, by=world.commission, on=ISSUED)
    held = _round(world)
    person = applicant(world.a, "受奖", "232", D(2010, 1, 1))
    promotions.result_record(
        application=_apply(held, person), by=None, result=Result.PASSED, on=D(2021, 9, 30)
    )
    run = awards.award_run_prepare(
        policy=policy, by=None, period_start=D(2021, 1, 1), period_end=D(2021, 12, 31)
    )
    line = run.lines.get(person=person)
    assert (line.rule.name, str(line.amount)) == ("晋升正高奖励", "50000.00")


def test_the_application_and_its_result_are_on_the_persons_timeline(world):
    held = senior_round(world.a.commission_region, 2021)
    person = applicant(world.a, "孙晋升", "232", D(2014, 7, 1))
    application = promotions.application_create(
        by=None, promotion_round=held, person=person, grade="senior", applied_on=D(2021, 4, 1)
    )
    promotions.result_record(application=application, by=None, result="passed", on=D(2021, 9, 30))
    events = [(e.date, e.kind, e.title) for e in events_for(person)]
    assert (D(2021, 4, 1), "职称申报", "申报主任医师（2021年度卫生系列高级职称评审）") in events
    assert (D(2021, 9, 30), "职称评审", "主任医师评审通过") in events
