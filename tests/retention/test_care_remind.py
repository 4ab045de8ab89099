"""`yicai remind` and the 八个一 service: it generates the tasks due first (each once, however
often it runs), then tells each serving institution's administrators, once a day, how many of
its tasks are due within the week or overdue, and whose birthday card is coming."""

import io

import pytest
from django.core.management import call_command

from tests.retention import care_records as records
from yicai.notifications.models import Notification
from yicai.retention.models import ServiceTask
from yicai.retention.reminders import care_open

pytestmark = pytest.mark.django_db
D = records.D


def remind(day):
    out = io.StringIO()
    call_command("remind", "--today", f"{day:%Y-%m-%d}", stdout=out)
    return out.getvalue()


def test_remind_twice_creates_each_due_item_once(world):
    package = records.package(world)
    records.served(world, package, name="钱一", born=D(1988, 6, 12))
    records.served(world, package, name="钱二")
    records.served_at_a(world, package)
    first = remind(D(2023, 6, 10))
    tasks = ServiceTask.objects.count()
    notified = sorted(Notification.objects.values_list("user__username", "key"))
    second = remind(D(2023, 6, 10))
    assert ServiceTask.objects.count() == tasks
    assert sorted(Notification.objects.values_list("user__username", "key")) == notified
    # Each of the three: 3 once-items, the greetings of March to June, 2023H1; the birthday
    # cards of 钱一 (06-12, within the week) and 钱二 (05-20, overdue).
    assert tasks == 3 * (3 + 4 + 1) + 2
    assert ServiceTask.objects.values("enrolment", "item", "period").distinct().count() == tasks
    b, a = world.b.pk, world.a.pk
    assert notified == [
        ("hospital_a", f"care:{a}:20230610"),
        ("hospital_b", f"care:{b}:20230610"),
        ("hospital_b", f"care_birthday:{b}:20230610"),
    ]
    assert "八个一服务任务：新建 2 条，已有 0 条" in first
    assert "八个一服务任务：新建 0 条，已有 2 条" in second
    title = world.hospital_b.notifications.get(kind="service_task").title
    # B's two: everything open; June's greeting (deadline 06-15) and 钱一's card not overdue.
    assert title == "18 项服务任务待完成，其中 15 项逾期"
    assert world.hospital_b.notifications.get(kind="care_birthday").title == (
        "1 位服务对象将在 7 天内过生日，请送上生日健康卡"
    )
    assert world.commission.notifications.filter(kind="service_task").count() == 0


def test_the_next_day_is_a_new_notice_and_done_tasks_are_not_counted(world):
    enrolment = records.served(world)
    remind(D(2023, 6, 10))
    for task in enrolment.tasks.all():
        task.done_on = task.due_on
        task.channel = "phone"
        task.save()
    remind(D(2023, 6, 11))
    assert list(
        world.hospital_b.notifications.filter(kind="service_task").values_list("key", flat=True)
    ) == [f"care:{world.b.pk}:20230610"]
    assert list(care_open(D(2023, 6, 11))) == []


def test_the_aggregate_reads_the_same_whatever_the_enrolments(world, django_assert_max_num_queries):
    package = records.package(world)
    records.served(world, package, name="钱一")
    remind(D(2023, 6, 10))
    Notification.objects.all().delete()
    with django_assert_max_num_queries(60) as few:
        remind(D(2023, 7, 10))
    for n in range(6):
        records.served(world, package, name=f"钱{n}x")
    Notification.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries)):
        remind(D(2023, 8, 10))
    assert world.hospital_b.notifications.filter(kind="service_task").count() == 1
