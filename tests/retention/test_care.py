"""The 八个一 service: the package's eight items, enrolling a served talent (not staff, no
institution), the tasks generated when due (once however often), completing a task once,
the overdue lists, the figures and the green channel's SLA."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.retention import care_records as records
from yicai.people.models import Person
from yicai.retention.models import ServiceTask
from yicai.retention.queries import care as queries
from yicai.retention.services import care

pytestmark = pytest.mark.django_db
D = records.D


def periods(enrolment, recurrence):
    return sorted(
        enrolment.tasks.filter(item__recurrence=recurrence).values_list("period", "due_on")
    )


def test_the_package_has_the_eight_items_in_order(world):
    package = records.package(world)
    names = list(package.items.values_list("name", flat=True))
    assert len(names) == 8
    assert names[0] == "结对一名健康守护医生"
    assert names[4] == "赠送一张“生日健康卡”"
    assert care.package_defaults_create(region=world.b.commission_region) == package
    assert package.items.count() == 8


def test_a_served_talent_is_a_person_of_no_institution(world):
    headcount = world.b.people.count()
    enrolment = records.served(world)
    person = enrolment.person
    assert person.category == Person.Category.SERVED_TALENT
    assert person.institution_id is None
    assert person.phone == "13800138000"
    assert world.b.people.count() == headcount


def test_the_guardian_must_be_of_the_serving_institution(world):
    package = records.package(world)
    with pytest.raises(ValidationError) as error:
        care.enrol(
            by=None,
            package=package,
            institution=world.b,
            enrolled_on=records.ENROLLED,
            name="吴某",
            sex=world.b_doctor.sex,
            birth_date=D(1980, 1, 1),
            guardian=world.a_doctor,
        )
    assert error.value.message_dict == {"guardian": ["健康守护医生须为服务机构的人员。"]}


def test_generation_is_idempotent_and_a_new_month_adds_its_greeting(world):
    enrolment = records.served(world, born=D(1988, 5, 20), on=D(2023, 3, 10))
    created = care.tasks_generate(D(2023, 3, 31))
    assert created == care.tasks_generate(D(2023, 3, 31)) + created
    count = ServiceTask.objects.count()
    # three once-items, the greetings of March and (seven days ahead) April, the first half.
    assert periods(enrolment, records.ONCE) == [("once", D(2023, 3, 10))] * 3
    assert periods(enrolment, records.MONTHLY) == [
        ("2023-03", D(2023, 3, 10)),
        ("2023-04", D(2023, 4, 1)),
    ]
    assert periods(enrolment, records.HALF) == [("2023H1", D(2023, 3, 10))]
    assert count == 6
    assert care.tasks_generate(D(2023, 3, 31)) == 0
    assert care.tasks_generate(D(2023, 4, 26)) == 1  # May's greeting only
    assert periods(enrolment, records.MONTHLY)[-1] == ("2023-05", D(2023, 5, 1))
    assert ServiceTask.objects.count() == count + 1


def test_generation_from_scratch_over_a_year_and_again(world):
    enrolment = records.served(world, born=D(1988, 5, 20), on=D(2023, 3, 10))
    care.tasks_generate(D(2024, 3, 9))
    first = ServiceTask.objects.count()
    # Forgetting how far it went: the constraint still keeps each task once.
    enrolment.__class__.objects.update(generated_through=None)
    assert care.tasks_generate(D(2024, 3, 9)) == 0
    assert ServiceTask.objects.count() == first
    assert periods(enrolment, records.BIRTHDAY) == [("2023", D(2023, 5, 20))]
    assert [p for p, _ in periods(enrolment, records.HALF)] == ["2023H1", "2023H2", "2024H1"]
    assert len(periods(enrolment, records.MONTHLY)) == 13  # 2023-03 .. 2024-03
    assert len(periods(enrolment, records.ONCE)) == 3


def test_the_birthday_card_falls_due_on_the_birthday(world):
    enrolment = records.served(world, born=D(1988, 2, 29), on=D(2023, 1, 5))
    care.tasks_generate(D(2023, 2, 20))
    assert periods(enrolment, records.BIRTHDAY) == []
    care.tasks_generate(D(2023, 2, 21))  # within the week ahead
    assert periods(enrolment, records.BIRTHDAY) == [("2023", D(2023, 2, 28))]
    care.tasks_generate(D(2024, 3, 1))
    assert periods(enrolment, records.BIRTHDAY) == [
        ("2023", D(2023, 2, 28)),
        ("2024", D(2024, 2, 29)),
    ]


def test_an_ended_enrolment_gets_nothing_after_it_ended(world):
    enrolment = records.served(world, on=D(2023, 1, 5))
    care.enrolment_end(enrolment=enrolment, by=None, on=D(2023, 2, 10))
    care.tasks_generate(D(2023, 6, 30))
    assert [p for p, _ in periods(enrolment, records.MONTHLY)] == ["2023-01", "2023-02"]


def test_a_task_is_completed_once(world):
    enrolment = records.served(world)
    care.tasks_generate(records.ENROLLED)
    task = enrolment.tasks.filter(item__recurrence=records.MONTHLY).get()
    done = care.task_complete(
        task=task,
        by=world.hospital_b,
        done_on=D(2023, 3, 12),
        channel="phone",
        note="电话问候，近况良好",
        satisfaction=5,
    )
    assert (done.done_on, done.channel, done.satisfaction) == (D(2023, 3, 12), "phone", 5)
    assert done.done_by == world.hospital_b
    with pytest.raises(ValidationError) as error:
        care.task_complete(task=task, by=None, done_on=D(2023, 3, 13), channel="wechat")
    assert error.value.message_dict == {"done_on": ["该服务任务已于2023-03-12完成。"]}


def test_a_satisfaction_score_is_from_1_to_5(world):
    enrolment = records.served(world)
    care.tasks_generate(records.ENROLLED)
    task = enrolment.tasks.first()
    with pytest.raises(ValidationError) as error:
        care.task_complete(
            task=task, by=None, done_on=D(2023, 3, 12), channel="phone", satisfaction=6
        )
    assert "satisfaction" in error.value.message_dict


def _complete_all_but(enrolment, keep):
    for task in enrolment.tasks.exclude(pk__in=[t.pk for t in keep]):
        care.task_complete(
            task=task, by=None, done_on=task.deadline, channel="phone", satisfaction=4
        )


def test_overdue_lists_by_institution_and_team_and_the_figures(world):
    package = records.package(world)
    b1 = records.served(world, package, name="钱一", team="一队")
    b2 = records.served(world, package, name="钱二", team="二队")
    a1 = records.served_at_a(world, package)
    care.tasks_generate(D(2023, 4, 30))
    today = D(2023, 5, 1)
    late = b1.tasks.get(item__recurrence=records.MONTHLY, period="2023-03")
    care.task_complete(task=late, by=None, done_on=D(2023, 4, 20), channel="visit", satisfaction=3)
    for enrolment in (b2, a1):
        _complete_all_but(enrolment, enrolment.tasks.filter(period="2023-04"))
    tasks = queries.tasks_for(world.commission)
    by_institution = {
        row["institution__name"]: row["n"]
        for row in queries.overdue_by(tasks, "institution__name", today)
    }
    # b1: everything but the late greeting (3 once, April and May? not yet past deadline)
    b1_overdue = ServiceTask.objects.filter(
        enrolment=b1, done_on__isnull=True, deadline__lt=today
    ).count()
    assert by_institution == {world.b.name: b1_overdue + 1, world.a.name: 1}
    by_team = {
        row["enrolment__team_name"]: row["n"]
        for row in queries.overdue_by(
            queries.tasks_for(world.hospital_b), "enrolment__team_name", today
        )
    }
    assert by_team == {"一队": b1_overdue, "二队": 1}
    assert queries.task_list(world.hospital_b, status="overdue", today=today).count() == (
        b1_overdue + 1
    )
    assert queries.task_list(world.hospital_a, status="overdue", today=today).count() == 1
    figures = queries.figures(
        world.commission, since=D(2023, 1, 1), until=D(2023, 4, 30), today=today
    )
    assert figures.enrolled == 3
    assert figures.due == ServiceTask.objects.filter(due_on__lte=D(2023, 4, 30)).count()
    assert figures.done_late == 1
    assert figures.overdue == b1_overdue + 2
    done = ServiceTask.objects.filter(done_on__isnull=False, due_on__lte=D(2023, 4, 30))
    assert figures.done_on_time == done.count() - 1
    scores = list(done.values_list("satisfaction", flat=True))
    assert figures.satisfaction == round(sum(scores) / len(scores), 2)


def test_the_task_list_and_figures_take_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    package = records.package(world)
    for n in range(5):
        records.served(world, package, name=f"钱{n}")
    care.tasks_generate(D(2023, 12, 31))
    with django_assert_max_num_queries(4):
        rows = list(queries.task_list(world.hospital_b, status="overdue", today=D(2024, 1, 1)))
        [(t.item.name, t.enrolment.person.name, t.institution.name) for t in rows]
    assert len(rows) > 50
    with django_assert_max_num_queries(5):  # the user's scope (3), enrolled, the tasks
        queries.figures(world.commission, since=D(2023, 1, 1), until=D(2023, 12, 31))


def test_green_channel_met_and_missed(world, settings):
    settings.GREEN_CHANNEL_HOURS = 24
    enrolment = records.served(world)
    at = datetime.datetime(2023, 4, 1, 9, 0, tzinfo=datetime.UTC)
    met = care.green_channel_request(
        enrolment=enrolment, by=None, need="心内科专家号", requested_at=at
    )
    assert met.respond_by == at + datetime.timedelta(hours=24)
    assert met.in_time is None
    care.green_channel_respond(
        request=met,
        by=None,
        outcome="已预约4月2日专家门诊",
        responded_at=at + datetime.timedelta(hours=5),
        satisfaction=5,
    )
    missed = care.green_channel_request(
        enrolment=enrolment, by=None, need="住院床位", requested_at=at
    )
    care.green_channel_respond(
        request=missed,
        by=None,
        outcome="已安排入院",
        responded_at=at + datetime.timedelta(hours=30),
    )
    met.refresh_from_db()
    missed.refresh_from_db()
    assert (met.in_time, missed.in_time) == (True, False)
    with pytest.raises(ValidationError) as error:
        care.green_channel_respond(request=met, by=None, outcome="再次")
    assert error.value.message_dict == {"outcome": ["该申请已应答。"]}
