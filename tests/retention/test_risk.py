"""The attrition-risk flag: rule-based reasons in words, in a fixed number of queries, and the
流失风险 page of the administrators who keep the people, filtered and exported."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.retention import care_records
from tests.retention import reminder_records as records
from yicai.access.models import AuditEntry
from yicai.people.models import Person
from yicai.retention.risk import reasons_for, risks_for
from yicai.retention.services import care

pytestmark = pytest.mark.django_db
D = records.D


def test_reasons_in_words(world):
    records.introduced_doctor(world)  # ends 2023-08-31
    records.introduced_surgeon(world)  # tranche 2 due 2023-07-01, unpaid
    risks = risks_for(Person.objects.all(), D(2023, 8, 15))
    assert risks == {
        world.a_doctor.pk: ["服务期将于2023-08-31到期（6个月内）"],
        world.a_surgeon.pk: ["安家补贴第2期逾期未发放（应发于2023-07-01）"],
    }


def test_no_reason_outside_the_windows(world):
    records.introduced_doctor(world)
    records.introduced_surgeon(world)
    # A year before the commitment ends, and the tranche not yet due.
    assert risks_for(Person.objects.all(), D(2022, 6, 10)) == {}
    # After the commitment's last day, nothing is ending any more.
    assert world.a_doctor.pk not in risks_for(Person.objects.all(), D(2023, 9, 1))


def test_a_tranche_cancelled_while_the_person_stays(world):
    from yicai.recruitment.models import Tranche

    surgeon = records.introduced_surgeon(world)
    Tranche.objects.filter(pk=surgeon.tranche.pk).update(
        cancelled_on=D(2023, 7, 2), cancel_reason="考核未通过"
    )
    assert risks_for(Person.objects.all(), D(2023, 8, 15)) == {
        world.a_surgeon.pk: ["安家补贴第2期已取消"]
    }


def test_a_directed_graduate_owing_less_than_six_months(world):
    contract = records.directed_in_service(world)
    assert contract.person_id is not None
    reasons = reasons_for(Person.objects.all(), D(2023, 6, 10))
    assert [(r.kind, r.text) for r in reasons[contract.person_id]] == [
        ("obligation", "服务期将于2023-07-31到期（6个月内）")
    ]


def test_years_without_promotion(world, settings):
    # Everyone's title was obtained 2018-01-01; the partner expert is 主任医师 (正高).
    assert risks_for(Person.objects.all(), D(2023, 6, 10)) == {}  # 5 years < 8
    settings.YICAI_RISK_NO_PROMOTION_YEARS = 5
    risks = risks_for(Person.objects.all(), D(2023, 6, 10))
    assert risks[world.a_doctor.pk] == ["连续5年未晋升职称（现职称取得于2018-01-01）"]
    below_senior = {world.a_doctor, world.a_ward_nurse, world.a_surgeon, world.b_doctor}
    assert set(risks) == {person.pk for person in below_senior}
    # Only the people asked about.
    assert set(risks_for(Person.objects.filter(institution=world.b), D(2023, 6, 10))) == {
        world.b_doctor.pk
    }


def test_a_fixed_number_of_queries(world, settings, django_assert_max_num_queries):
    settings.YICAI_RISK_NO_PROMOTION_YEARS = 5
    records.introduced_doctor(world)
    with django_assert_max_num_queries(10) as few:
        risks_for(Person.objects.all(), D(2023, 8, 15))
    records.introduced_surgeon(world)
    records.directed_in_service(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        many = risks_for(Person.objects.all(), D(2023, 8, 15))
    assert len(many[world.a_surgeon.pk]) == 2


def test_the_page_shows_each_administrator_their_people(client, world):
    records.introduced_doctor(world)
    records.introduced_surgeon(world)
    records.directed_in_service(world)
    url = reverse("retention:risks")
    login(client, world.commission)
    page = client.get(url, {"as_of": "2023-06-10"}).content.decode()
    assert "李心怡" in page and "定向医学生" in page
    assert "服务期将于2023-08-31到期（6个月内）" in page
    login(client, world.hospital_a)
    page = client.get(url, {"as_of": "2023-06-10"}).content.decode()
    assert "李心怡" in page and "定向医学生" not in page
    login(client, world.hospital_b)
    page = client.get(url, {"as_of": "2023-06-10"}).content.decode()
    assert "定向医学生" in page and "李心怡" not in page
    login(client, world.dept_head)
    assert client.get(url).status_code == 403


def test_the_page_filters_and_exports(client, world):
    records.introduced_doctor(world)
    records.introduced_surgeon(world)
    url = reverse("retention:risks")
    login(client, world.commission)
    page = client.get(url, {"as_of": "2023-08-15", "reason": "tranche"}).content.decode()
    rows = page.split('id="risks"')[1]
    assert "周外科" in rows and "李心怡" not in rows
    page = client.get(url, {"as_of": "2023-08-15", "institution": world.b.pk}).content.decode()
    assert "周外科" not in page.split('id="risks"')[1]
    assert client.get(url, {"reason": "nonsense"}).status_code == 400
    export = client.get(url, {"as_of": "2023-08-15", "export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "李心怡" in text and "安家补贴第2期逾期未发放（应发于2023-07-01）" in text
    assert AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).exists()


def test_the_menu_offers_it_to_administrators(client, world):
    from yicai.menu import menu_for

    def items(user):
        return [item.url_name for section in menu_for(user) for item in section.items]

    assert "retention:risks" in items(world.commission)
    assert "retention:risks" in items(world.hospital_a)
    assert "retention:risks" not in items(world.dept_head)
    assert "retention:risks" not in items(world.trainee)


def test_a_served_talent_whose_check_ins_go_unanswered(client, world):
    """Two monthly greetings past their deadline undone in the last three months (June's and
    July's; one alone is not a reason): the serving institution (B) sees the served talent on
    its page; A does not."""
    enrolment = care_records.served(world, on=D(2023, 3, 10))
    care.tasks_generate(D(2023, 6, 30))
    greetings = enrolment.tasks.filter(item__recurrence="monthly").order_by("due_on")
    for task in greetings.filter(due_on__lt=D(2023, 6, 1)):
        care.task_complete(task=task, by=None, channel="phone", note="已问候", done_on=task.due_on)
    assert reasons_for(Person.objects.filter(pk=enrolment.person_id), D(2023, 6, 20)) == {}
    found = risks_for(Person.objects.filter(pk=enrolment.person_id), D(2023, 7, 20))
    assert found == {enrolment.person_id: ["近三个月2次月度问候未完成"]}
    url = reverse("retention:risks")
    login(client, world.hospital_b)
    page = client.get(url, {"as_of": "2023-07-20"}).content.decode()
    assert "钱科创" in page and "近三个月2次月度问候未完成" in page
    login(client, world.hospital_a)
    assert "钱科创" not in client.get(url, {"as_of": "2023-07-20"}).content.decode()
