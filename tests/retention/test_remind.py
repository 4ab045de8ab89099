"""`yicai remind`: each kind of due item notified to whom it concerns, once however often it
runs, on real past days given as --today (each provider with a day it is due and one it is
not)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests import factories
from tests.recruitment.helpers import notice_of_2022
from tests.retention import reminder_records as records
from yicai.access.models import Role, Scope
from yicai.notifications.models import Notification

pytestmark = pytest.mark.django_db
D = records.D


def remind(day, *more):
    out = io.StringIO()
    call_command("remind", "--today", f"{day:%Y-%m-%d}", *more, stdout=out)
    return out.getvalue()


def keys(user, kind=None):
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("key", flat=True))


def test_run_twice_each_due_item_is_notified_once(world):
    records.introduced_surgeon(world)
    records.introduced_doctor(world)
    records.directed_in_service(world)
    records.licence_expiring(world)
    records.secondment_of_doctor(world)
    first = remind(records.TODAY)
    created = Notification.objects.count()
    second = remind(records.TODAY)
    assert Notification.objects.count() == created
    # tranche: A and the commission; obligations: the doctor's (A, commission) and the
    # directed graduate's (B, commission); licence: A and the doctor; the report: the doctor.
    assert created == 2 + 4 + 2 + 1
    assert "待遇到期发放：新建 2 条，已有 0 条" in first
    assert "待遇到期发放：新建 0 条，已有 2 条" in second
    assert "服务期将满：新建 0 条，已有 4 条" in second
    assert Notification.objects.values("user", "key").distinct().count() == created


def test_a_dry_run_writes_nothing(world):
    records.licence_expiring(world)
    out = remind(records.TODAY, "--dry-run")
    assert "执业证书到期：将新建 2 条，已有 0 条" in out
    assert Notification.objects.count() == 0


def test_a_tranche_falling_due_within_30_days(world):
    surgeon = records.introduced_surgeon(world)
    remind(D(2023, 5, 1))  # two months ahead: not yet
    assert keys(world.hospital_a) == []
    remind(D(2023, 6, 10))
    key = f"tranche:{surgeon.tranche.pk}:20230701"
    assert keys(world.hospital_a) == [key]
    assert keys(world.commission) == [key]
    assert keys(world.hospital_b) == [] and keys(world.dept_head) == []
    notification = world.hospital_a.notifications.get()
    assert notification.title == "周外科的安家补贴第2期（100000.00元）将于2023-07-01到期发放"
    assert notification.url == reverse("recruitment:introduction", args=[surgeon.introduction.pk])
    assert notification.due_on == D(2023, 7, 1)


def test_a_paid_tranche_is_not_due(world):
    surgeon = records.introduced_surgeon(world)
    from yicai.recruitment.services import tranche_pay

    tranche_pay(tranche=surgeon.tranche, by=None, paid_on=D(2023, 6, 1))
    remind(D(2023, 6, 10))
    assert keys(world.hospital_a, "tranche") == []


def test_commitments_ending_within_six_months(world):
    introduction = records.introduced_doctor(world)
    contract = records.directed_in_service(world)
    remind(D(2022, 6, 10))  # over a year ahead
    assert keys(world.commission, "obligation") == []
    remind(D(2023, 6, 10))
    assert keys(world.hospital_a, "obligation") == [f"introduction:{introduction.pk}:ends:20230831"]
    assert keys(world.hospital_b, "obligation") == [f"directed:{contract.pk}:ends:20230731"]
    assert len(keys(world.commission, "obligation")) == 2
    title = world.hospital_b.notifications.get().title
    assert title == "定向医学生定向医学生的服务期将于2023-07-31届满"


def test_an_administrator_of_assigned_institutions_hears_of_theirs(world):
    clerk = factories.user(
        "district_clerk",
        roles=[(Role.INSTITUTION_ADMIN, {"scope": Scope.INSTITUTIONS, "institutions": [world.b]})],
    )
    records.directed_in_service(world)
    records.introduced_doctor(world)
    remind(D(2023, 6, 10))
    assert [key.split(":")[0] for key in keys(clerk)] == ["directed"]


def test_licences_expiring_within_60_days(world):
    licence = records.licence_expiring(world, expires_on=D(2023, 9, 1))
    remind(D(2023, 6, 10))  # 83 days ahead
    assert keys(world.trainee, "licence") == []
    remind(D(2023, 7, 10))
    key = f"licence:{licence.pk}:20230901"
    assert keys(world.trainee) == [key]  # the holder's own account
    assert keys(world.hospital_a) == [key]
    assert keys(world.commission) == []
    notification = world.trainee.notifications.get()
    assert notification.title == "李心怡的临床执业证书将于2023-09-01到期"
    assert notification.url == reverse("people:detail", args=[world.a_doctor.pk])


def test_a_monthly_report_not_in_by_the_5th(world):
    secondment = records.secondment_of_doctor(world)
    remind(D(2023, 6, 5))  # still time
    assert keys(world.trainee, "monthly_report") == []
    remind(D(2023, 6, 6))
    assert keys(world.trainee, "monthly_report") == [f"secondment:{secondment.pk}:report:202305"]
    notification = world.trainee.notifications.get()
    assert notification.title == "2023 年 5 月进修月报未按时提交（沪上合作医院）"
    assert notification.url.endswith("#report-form")


def test_a_report_in_is_not_reminded(world):
    records.secondment_of_doctor(world, may_report=True)
    remind(D(2023, 6, 10))
    assert keys(world.trainee, "monthly_report") == []


def test_a_public_notice_ending(world):
    notice = notice_of_2022(world)
    remind(D(2022, 5, 20))  # weeks before its end
    assert keys(world.hospital_a, "notice") == []
    remind(D(2022, 6, 5))
    assert keys(world.hospital_a, "notice") == [f"notice:{notice.pk}:ends:20220607"]
    assert world.hospital_a.notifications.get().url == reverse(
        "recruitment:notice", args=[notice.pk]
    )
    remind(D(2022, 6, 10))  # over
    assert len(keys(world.hospital_a, "notice")) == 1


def test_a_provider_reads_once_whatever_the_rows(world, django_assert_max_num_queries):
    from yicai.people.services import licence_add

    records.introduced_surgeon(world)
    records.introduced_doctor(world)
    records.licence_expiring(world)
    records.secondment_of_doctor(world)
    # The providers' fixed reads (the 八个一 service's two aggregates and its generation too).
    with django_assert_max_num_queries(50) as few:
        remind(records.TODAY)
    records.directed_in_service(world)
    for n, person in enumerate((world.a_ward_nurse, world.b_doctor, world.a_surgeon)):
        number = f"11031011300010{n}"
        licence_add(person=person, number=number, category="1", expires_on=D(2023, 7, 1))
    Notification.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries)):
        remind(records.TODAY)
    assert Notification.objects.count() == 7 + 2 + 3


def test_the_worker_task_runs_the_same(world):
    from yicai.retention.tasks import remind_task

    records.licence_expiring(world)
    result = remind_task.enqueue("2023-06-10")
    assert result.return_value["licence"] == 2
    assert remind_task.enqueue("2023-06-10").return_value["licence"] == 0
