"""The 八个一 pages and API: a served talent enrolled through the form, the enrolment's page
with its tasks and a green-channel request, the task list (overdue first, filters, a bad
filter 400, export audited) and completing a task (the service's refusal on the form, the
same message through the API), the figures, the green channel's SLA; query counts that do
not grow with the rows."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.retention import care_records as records
from yicai.access.models import AuditEntry
from yicai.retention.models import Enrolment, ServiceTask
from yicai.retention.services import care

pytestmark = pytest.mark.django_db
D = records.D


def test_a_served_talent_is_enrolled_through_the_form(client, world):
    package = records.package(world)
    login(client, world.hospital_b)
    page = client.get(reverse("retention:care_enrol"))
    assert page.status_code == 200
    assert "不计入任何机构的人员数" in page.content.decode()
    response = client.post(
        reverse("retention:care_enrol"),
        {
            "package": package.pk,
            "name": "钱科创",
            "sex": world.b_doctor.sex_id,
            "birth_date": "1988-05-20",
            "phone": "13800138000",
            "employer": "张江某芯片公司",
            "institution": world.b.pk,
            "guardian": world.b_doctor.pk,
            "team_name": "一队",
            "team": [world.b_doctor.pk],
            "enrolled_on": "2023-03-10",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    enrolment = Enrolment.objects.get()
    assert response["Location"] == reverse("retention:care_enrolment", args=[enrolment.pk])
    assert enrolment.guardian == world.b_doctor and enrolment.person.institution_id is None
    assert list(enrolment.team.all()) == [world.b_doctor]
    refused = client.post(
        reverse("retention:care_enrol"),
        {
            "package": package.pk,
            "name": "吴某",
            "sex": world.b_doctor.sex_id,
            "birth_date": "1990-01-01",
            "institution": world.b.pk,
            "guardian": world.a_doctor.pk,
            "enrolled_on": "2023-03-10",
        },
    )
    # A's doctor is not B's to pick (the commission picking one is refused by the service).
    assert refused.context["form"].errors["guardian"] == ["所选健康守护医生不在可选范围内。"]
    assert Enrolment.objects.count() == 1


def test_the_enrolment_page_and_a_green_channel_request(client, world):
    enrolment = records.served(world)
    care.tasks_generate(D(2023, 4, 30))
    login(client, world.hospital_b)
    response = client.post(
        reverse("retention:care_green_request", args=[enrolment.pk]), {"need": "心内科专家号"}
    )
    assert response.status_code == 302
    page = client.get(reverse("retention:care_enrolment", args=[enrolment.pk])).content.decode()
    assert "心内科专家号" in page and "待应答" in page
    assert "开展每月一次问候" in page and "逾期" in page
    green = enrolment.green_requests.get()
    answered = client.post(
        reverse("retention:care_green_respond", args=[green.pk]), {"outcome": "已预约"}
    )
    assert answered.status_code == 302
    green.refresh_from_db()
    assert green.in_time is True
    listed = client.get(reverse("retention:care_green")).content.decode()
    assert "已预约" in listed and "按时" in listed


def test_the_task_list_filters_exports_and_completes(client, world):
    enrolment = records.served(world)
    care.tasks_generate(D(2023, 4, 30))
    login(client, world.hospital_b)
    url = reverse("retention:care_tasks")
    overdue = client.get(url, {"status": "overdue"})
    assert overdue.status_code == 200
    shown = overdue.context["page_obj"].object_list
    assert shown and all(task.done_on is None for task in shown)
    assert client.get(url, {"status": "nonsense"}).status_code == 400
    exported = client.get(url, {"status": "overdue", "export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][:3] == ("服务对象", "服务项目", "周期")
    assert len(rows) == 1 + len(shown)
    assert AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).exists()
    task = enrolment.tasks.get(item__recurrence=records.MONTHLY, period="2023-03")
    complete = reverse("retention:care_task_complete", args=[task.pk])
    done = client.post(
        complete,
        {"done_on": "2023-04-02", "channel": "phone", "note": "电话问候", "satisfaction": "5"},
    )
    assert done.status_code == 302
    again = client.post(complete, {"done_on": "2023-04-03", "channel": "wechat"})
    assert again.status_code == 200  # the form again, with the refusal on its field
    assert "该服务任务已于2023-04-02完成。" in again.content.decode()
    assert task.pk not in [
        t.pk for t in client.get(url, {"status": "overdue"}).context["page_obj"].object_list
    ]


def test_the_api_completes_a_task_once_with_the_same_message(as_api, world):
    enrolment = records.served(world)
    care.tasks_generate(D(2023, 4, 30))
    task = enrolment.tasks.order_by("pk").first()
    api = as_api(world.hospital_b)
    url = reverse("api-retention-care-task-complete", args=[task.pk])
    answer = api.post(
        url,
        {"done_on": "2023-04-02", "service_channel": "wechat", "satisfaction": 4},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["service_channel"] == "wechat"
    again = api.post(url, {"done_on": "2023-04-03", "service_channel": "phone"}, format="json")
    assert again.status_code == 400
    assert again.json()["done_on"] == ["该服务任务已于2023-04-02完成。"]
    figures = api.get(
        reverse("api-retention-care-figures"), {"since": "2023-01-01", "until": "2023-04-30"}
    ).json()
    assert figures["enrolled"] == 1
    assert figures["due"] == ServiceTask.objects.filter(due_on__lte=D(2023, 4, 30)).count()
    assert figures["satisfaction"] == 4.0
    listed = api.get(reverse("api-retention-care-tasks"), {"status": "overdue"}).json()
    assert task.pk not in [row["id"] for row in listed["results"]]
    assert (
        as_api(world.hospital_a).get(reverse("api-retention-care-task", args=[task.pk])).status_code
        == 404
    )


def test_the_figures_page(client, world):
    records.served(world)
    care.tasks_generate(D(2023, 4, 30))
    login(client, world.commission)
    page = client.get(
        reverse("retention:care_figures"), {"since": "2023-01-01", "until": "2023-04-30"}
    )
    assert page.status_code == 200
    assert page.context["figures"].enrolled == 1
    assert world.b.name in page.content.decode()


def test_the_lists_cost_the_same_queries_for_many_rows(client, world):
    package = records.package(world)
    records.served(world, package, name="钱一")
    care.tasks_generate(D(2023, 4, 30))
    login(client, world.hospital_b)
    counts = []
    for n in range(2):
        with CaptureQueriesContext(connection) as few:
            for name in ("care_tasks", "care_enrolments", "care_green"):
                assert client.get(reverse(f"retention:{name}")).status_code == 200
        counts.append(len(few.captured_queries))
        for k in range(5):
            records.served(world, package, name=f"钱{n}{k}")
        care.tasks_generate(D(2023, 4, 30))
    assert counts[0] == counts[1]
