"""Secondments (进修): the rules of a batch, a member, monthly reports with the linked leader's
comment, needs and completion; and who sees them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tests.training.secondments import START, TODAY, leader_user, secondment
from yicai.training.models import MonthlyReport, Secondment, Technique
from yicai.training.queries.secondments import report_for, secondment_figures, secondments_for
from yicai.training.services.mentoring import technique_register
from yicai.training.services.secondments import (
    monthly_report_comment,
    monthly_report_submit,
    secondment_batch_create,
    secondment_complete,
    secondment_need_raise,
    secondment_need_resolve,
    secondment_withdraw,
)

pytestmark = pytest.mark.django_db


def test_a_secondment_lasts_a_year_by_default(world):
    made = secondment(world, start_on=datetime.date(2023, 2, 27))
    assert made.end_on == datetime.date(2024, 2, 26)
    assert made.status == Secondment.Status.ACTIVE


def test_a_leap_day_start_still_gets_a_year(world):
    made = secondment(world, start_on=datetime.date(2024, 2, 29))
    assert made.end_on == datetime.date(2025, 2, 27)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"host": "own"}, "host"),
        ({"linked_leader": "self"}, "linked_leader"),
        ({"host_department": "  "}, "host_department"),
        ({"end_on": START - datetime.timedelta(days=1)}, "end_on"),
        ({"objectives": "跟随患者 310101199001011234 的手术"}, "objectives"),
    ],
)
def test_it_refuses_a_bad_secondment_naming_the_field(world, extra, field):
    if extra.get("host") == "own":
        extra["host"] = world.a
    if extra.get("linked_leader") == "self":
        extra["linked_leader"] = world.a_doctor
    with pytest.raises(ValidationError) as caught:
        secondment(world, **extra)
    assert field in caught.value.message_dict
    assert not Secondment.objects.exists()


def test_a_leader_not_in_charge_of_the_trainees_department_is_refused(world):
    # Same personnel category does not make a leader: the nurse is in charge of nothing.
    with pytest.raises(ValidationError) as caught:
        secondment(world, linked_leader=world.a_ward_nurse)
    assert "挂钩领导须分管进修人员所在的科室" in caught.value.message_dict["linked_leader"][0]


def test_a_leader_in_charge_of_a_department_above_the_trainees_is_accepted(world):
    made = secondment(world, person=world.a_ward_nurse, linked_leader=world.a_surgeon)
    assert made.linked_leader == world.a_surgeon  # in charge of cardiology, above the ward


def test_the_vice_president_in_charge_of_obstetrics_leads_a_midwife(world):
    """院领导挂钩: a physician leads a midwife because obstetrics is in their charge, whatever
    their own personnel category."""
    obstetrics = factories.department(world.a, "妇产科")
    midwife = factories.person(world.a, "钱助产", department=obstetrics, male=False)
    midwife.personnel_category = factories.code_for("personnel_category", "22")
    midwife.save(update_fields=["personnel_category"])
    vice_president = factories.person(
        world.a, "孙院长", department=world.a_surgery, title="231", in_charge=(obstetrics,)
    )
    vice_president.personnel_category = factories.code_for("personnel_category", "11")
    vice_president.save(update_fields=["personnel_category"])
    made = secondment(world, person=midwife, linked_leader=vice_president)
    assert made.linked_leader == vice_president


def test_two_secondments_of_one_person_may_not_overlap(world):
    secondment(world)
    with pytest.raises(ValidationError) as caught:
        secondment(world, start_on=START + datetime.timedelta(days=30))
    assert "start_on" in caught.value.message_dict


def test_a_batch_takes_only_people_of_its_region_and_institution(world):
    region = world.a.commission_region
    batch = secondment_batch_create(
        name="2023年赴复旦附属医院进修", year=2023, region=region, institution=world.a
    )
    assert secondment(world, batch=batch).batch == batch
    with pytest.raises(ValidationError) as caught:
        secondment(world, person=world.b_doctor, batch=batch, linked_leader=None)
    assert "person" in caught.value.message_dict


def test_only_the_trainee_submits_a_monthly_report_for_a_month_of_the_period(world):
    made = secondment(world)
    month = START + datetime.timedelta(days=35)
    report = monthly_report_submit(
        secondment=made, person=world.a_doctor, month=month, content="跟台 12 例"
    )
    assert report.month == month.replace(day=1)
    with pytest.raises(ValidationError):
        monthly_report_submit(secondment=made, person=world.a_surgeon, month=START, content="代写")
    for bad_month in (START - datetime.timedelta(days=40), TODAY + datetime.timedelta(days=40)):
        with pytest.raises(ValidationError) as caught:
            monthly_report_submit(
                secondment=made, person=world.a_doctor, month=bad_month, content="x"
            )
        assert "month" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        monthly_report_submit(secondment=made, person=world.a_doctor, month=month, content="又一份")
    assert MonthlyReport.objects.count() == 1


def test_only_the_linked_leader_comments_a_report(world):
    made = secondment(world)
    report = monthly_report_submit(
        secondment=made, person=world.a_doctor, month=START, content="学习超声造影"
    )
    for stranger in (world.a_doctor, world.partner_expert, None):
        with pytest.raises(ValidationError):
            monthly_report_comment(report=report, person=stranger, comment="好")
    with pytest.raises(ValidationError) as caught:
        monthly_report_comment(report=report, person=world.a_surgeon, comment="  ")
    assert "comment" in caught.value.message_dict
    monthly_report_comment(report=report, person=world.a_surgeon, comment="抓紧实操")
    report.refresh_from_db()
    assert report.comment == "抓紧实操"
    assert report.commented_by == world.a_surgeon
    assert report.commented_at is not None


def test_needs_are_raised_and_resolved(world):
    made = secondment(world)
    need = secondment_need_raise(secondment=made, content="需要购置超声造影剂")
    assert secondment_figures(world.commission)["open_needs"] == 1
    with pytest.raises(ValidationError):
        secondment_need_resolve(need=need, resolution="")
    secondment_need_resolve(need=need, resolution="已采购")
    assert secondment_figures(world.commission)["open_needs"] == 0


def test_a_comment_or_resolution_naming_a_patient_is_refused(world):
    made = secondment(world)
    report = monthly_report_submit(
        secondment=made, person=world.a_doctor, month=START, content="学习超声造影"
    )
    need = secondment_need_raise(secondment=made, content="需要协调住宿")
    with pytest.raises(ValidationError) as caught:
        monthly_report_comment(
            report=report, person=world.a_surgeon, comment="患者电话 13912345678 随访"
        )
    assert "comment" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        secondment_need_resolve(need=need, resolution="联系 13912345678 解决")
    assert "resolution" in caught.value.message_dict
    report.refresh_from_db()
    need.refresh_from_db()
    assert (report.comment, need.resolution, need.resolved_on) == ("", "", None)


def test_completion_puts_the_techniques_to_introduce_in_the_registry_as_planned(world):
    made = secondment(world)
    planned = secondment_complete(
        secondment=made,
        completed_on=TODAY,
        report="完成进修，掌握胆道镜技术",
        techniques=[("胆道镜取石术", Technique.Category.SURGERY), ("超声造影", "diagnosis")],
    )
    assert {t.name for t in planned} == {"胆道镜取石术", "超声造影"}
    for technique in planned:
        assert technique.institution == world.a
        assert technique.status == Technique.Status.PLANNED
        assert technique.origin == Technique.Origin.SECONDMENT
        assert technique.secondment == made
    made.refresh_from_db()
    assert made.status == Secondment.Status.COMPLETED
    assert made.completed_on == TODAY


def test_completion_is_all_or_nothing(world):
    technique_register(institution=world.a, name="超声造影", category="diagnosis", origin="own")
    made = secondment(world)
    with pytest.raises(ValidationError) as caught:
        secondment_complete(
            secondment=made,
            completed_on=TODAY,
            report="完成",
            techniques=[("胆道镜取石术", "surgery"), ("超声造影", "diagnosis")],
        )
    assert "超声造影" in caught.value.message_dict["techniques"][0]
    made.refresh_from_db()
    assert made.status == Secondment.Status.ACTIVE
    assert not Technique.objects.filter(name="胆道镜取石术").exists()


def test_a_technique_the_registry_refuses_leaves_the_secondment_as_it_was(world):
    made = secondment(world)
    with pytest.raises(ValidationError) as caught:
        secondment_complete(
            secondment=made,
            completed_on=TODAY,
            report="完成",
            techniques=[("胆道镜取石术", "surgery"), ("超" * 101, "surgery")],
        )
    assert "techniques" in caught.value.message_dict
    assert made.status == Secondment.Status.ACTIVE  # the page shows it as it is saved
    assert made.completed_on is None
    made.refresh_from_db()
    assert made.status == Secondment.Status.ACTIVE
    assert not Technique.objects.exists()


def test_active_secondments_count_those_under_way_today(world):
    secondment(world)
    secondment(world, person=world.a_surgeon, linked_leader=None)  # under way
    ended = secondment(world, person=world.a_ward_nurse, linked_leader=None)
    secondment_withdraw(secondment=ended, on=TODAY - datetime.timedelta(days=1))
    later = START + datetime.timedelta(days=400)
    secondment(world, person=world.b_doctor, linked_leader=None, start_on=later)  # not yet begun
    figures = secondment_figures(world.commission)
    assert figures["active"] == 2
    assert secondment_figures(world.hospital_b)["active"] == 0
    assert secondment_figures(world.hospital_a)["active"] == 2


def test_a_planned_secondment_is_called_off_before_it_begins(world):
    later = TODAY + datetime.timedelta(days=60)
    planned = secondment(world, start_on=later)
    secondment_withdraw(secondment=planned, on=TODAY)
    planned.refresh_from_db()
    assert planned.status == Secondment.Status.WITHDRAWN
    assert planned.end_on == later  # it never began: a day long, counted nowhere
    assert secondment_figures(world.commission)["active"] == 0
    assert secondment(world, start_on=later).status == Secondment.Status.ACTIVE  # room again


def test_the_linked_leader_sees_their_trainee_and_no_one_else(world):
    mine = secondment(world)
    other = secondment(world, person=world.a_ward_nurse, linked_leader=None)
    report = monthly_report_submit(
        secondment=mine, person=world.a_doctor, month=START, content="学习"
    )
    leader = leader_user(world)
    seen = set(secondments_for(leader).values_list("pk", flat=True))
    assert mine.pk in seen
    assert other.pk not in seen
    assert report_for(leader, report.pk) == report
    # The leader heads surgery: the cardiology trainee is theirs only through the link.
    assert world.a_doctor.department != world.a_surgery
    # The trainee sees their own secondment, not a colleague's.
    assert list(secondments_for(world.trainee)) == [mine]
    assert not secondments_for(world.hospital_b).exists()
