"""The secondment pages: the list with its figures and export, one secondment where the trainee
reports and the linked leader comments, and the forms; each as its users would use it."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.conftest import login
from tests.training.secondments import START, TODAY, leader_user, secondment
from yicai.training.models import MonthlyReport, Secondment, SecondmentNeed, Technique
from yicai.training.services.secondments import (
    monthly_report_comment,
    monthly_report_submit,
    secondment_withdraw,
)

pytestmark = pytest.mark.django_db


def test_the_list_shows_todays_figures_and_the_rows_in_scope(client, world):
    secondment(world)
    secondment(world, person=world.b_doctor, linked_leader=None)
    login(client, world.hospital_a)
    page = client.get(reverse("training:secondments"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.a_doctor.name in html
    assert world.b_doctor.name not in html
    assert page.context["figures"]["active"] == 1


def test_the_list_filters_by_status(client, world):
    secondment(world)
    ended = secondment(world, person=world.a_ward_nurse, linked_leader=None)
    secondment_withdraw(secondment=ended, on=TODAY)
    login(client, world.commission)
    page = client.get(reverse("training:secondments"), {"status": "withdrawn"})
    assert [row.pk for row in page.context["page_obj"]] == [ended.pk]
    page = client.get(reverse("training:secondments"), {"status": "current"})
    assert ended.pk not in [row.pk for row in page.context["page_obj"]]


def test_the_export_holds_the_rows_in_scope(client, world):
    secondment(world)
    secondment(world, person=world.b_doctor, linked_leader=None)
    login(client, world.hospital_b)
    response = client.get(reverse("training:secondments"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [world.b_doctor.name]


def test_roles_without_training_view_get_403(client, world):
    made = secondment(world)
    for user in (world.auditor, world.security, world.nobody):
        login(client, user)
        assert client.get(reverse("training:secondments")).status_code == 403
        assert client.get(reverse("training:secondment", args=[made.pk])).status_code in (403, 404)


def test_another_hospital_gets_404_on_a_secondment(client, world):
    made = secondment(world)
    login(client, world.hospital_b)
    assert client.get(reverse("training:secondment", args=[made.pk])).status_code == 404
    response = client.post(reverse("training:secondment_edit", args=[made.pk]), {})
    assert response.status_code == 404


def test_the_trainee_submits_a_report_and_the_leader_comments_it(client, world):
    made = secondment(world)
    login(client, world.trainee)
    response = client.post(
        reverse("training:report_submit", args=[made.pk]),
        {"month": START.isoformat(), "content": "跟台肝胆手术 20 台", "techniques": "胆道镜"},
    )
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    leader = leader_user(world)
    login(client, leader)
    page = client.get(reverse("training:secondment", args=[made.pk]))
    assert page.context["is_leader"]
    assert "comment-form" in page.content.decode()
    client.post(reverse("training:report_comment", args=[report.pk]), {"comment": "多上手"})
    report.refresh_from_db()
    assert report.comment == "多上手"
    assert report.commented_by == world.a_surgeon


def test_someone_else_cannot_comment_even_when_they_see_the_report(client, world):
    made = secondment(world)
    report = monthly_report_submit(
        secondment=made, person=world.a_doctor, month=START, content="学习"
    )
    login(client, world.hospital_a)  # sees it, but is not the linked leader
    response = client.post(reverse("training:report_comment", args=[report.pk]), {"comment": "x"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.comment == ""
    login(client, world.hospital_b)
    response = client.post(reverse("training:report_comment", args=[report.pk]), {"comment": "x"})
    assert response.status_code == 404


def test_a_bad_report_is_shown_again_with_the_field_error(client, world):
    made = secondment(world)
    login(client, world.trainee)
    response = client.post(
        reverse("training:report_submit", args=[made.pk]),
        {"month": (TODAY + datetime.timedelta(days=62)).isoformat(), "content": "未来"},
    )
    assert response.status_code == 400
    assert "不能提交未来月份的月报" in response.content.decode()
    assert not MonthlyReport.objects.exists()


def test_a_colleague_cannot_report_for_the_trainee(client, world):
    made = secondment(world, person=world.a_ward_nurse, linked_leader=None)
    login(client, world.trainee)  # a_doctor: does not see the nurse's secondment
    response = client.post(
        reverse("training:report_submit", args=[made.pk]),
        {"month": START.isoformat(), "content": "代写"},
    )
    assert response.status_code == 404
    assert not MonthlyReport.objects.exists()


def test_only_the_trainee_submits_a_report_not_an_account_that_sees_it(client, world):
    """The department head sees the secondment; it is not theirs, and they may not enter
    reports on the trainee's behalf (administrators may: see test_backfill)."""
    made = secondment(world)
    login(client, world.dept_head)
    assert client.get(reverse("training:secondment", args=[made.pk])).status_code == 200
    response = client.post(
        reverse("training:report_submit", args=[made.pk]),
        {"month": START.isoformat(), "content": "代写"},
    )
    assert response.status_code == 403
    assert not MonthlyReport.objects.exists()


def test_the_hospital_plans_a_secondment_a_year_long_by_default(client, world):
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:secondment_create"),
        {
            "person": world.a_doctor.pk,
            "host": world.partner.pk,
            "host_department": "超声科",
            "start_on": "2023-02-27",
            "linked_leader": world.a_surgeon.pk,
            "objectives": "肝胆介入超声",
        },
    )
    assert response.status_code == 302
    made = Secondment.objects.get()
    assert made.end_on == datetime.date(2024, 2, 26)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("person", "b_doctor"),
        ("host", "a"),
        ("start_on", "2023-13-01"),
        ("linked_leader", "b_doctor"),
    ],
)
def test_the_form_refuses_hostile_values_and_saves_nothing(client, world, field, value):
    values = {
        "person": world.a_doctor.pk,
        "host": world.partner.pk,
        "host_department": "超声科",
        "start_on": "2023-02-27",
    }
    values[field] = getattr(world, value).pk if hasattr(world, value) else value
    login(client, world.hospital_a)
    response = client.post(reverse("training:secondment_create"), values)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Secondment.objects.exists()


def test_completion_from_the_page_puts_techniques_in_the_registry(client, world):
    made = secondment(world)
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:complete", args=[made.pk]),
        {
            "completed_on": TODAY.isoformat(),
            "report": "完成进修",
            "techniques": "胆道镜取石术，手术\n超声造影, 诊断检查\n\n",
        },
    )
    assert response.status_code == 302
    planned = Technique.objects.filter(secondment=made).order_by("name")
    assert [(t.name, t.category) for t in planned] == [
        ("胆道镜取石术", "surgery"),
        ("超声造影", "diagnosis"),
    ]
    made.refresh_from_db()
    assert made.status == Secondment.Status.COMPLETED


def test_an_unknown_technique_category_names_the_line(client, world):
    made = secondment(world)
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:complete", args=[made.pk]),
        {"completed_on": TODAY.isoformat(), "report": "完成", "techniques": "甲\n乙，魔法"},
    )
    assert response.status_code == 400
    assert "第 2 行" in response.content.decode()
    assert not Technique.objects.exists()


def test_needs_are_raised_by_the_trainee_and_resolved_by_the_hospital(client, world):
    made = secondment(world)
    login(client, world.trainee)
    client.post(reverse("training:need_raise", args=[made.pk]), {"content": "需要住宿协调"})
    need = SecondmentNeed.objects.get()
    response = client.post(reverse("training:need_resolve", args=[need.pk]), {"resolution": "x"})
    assert response.status_code == 403  # the trainee does not mark their own need resolved
    login(client, world.hospital_a)
    client.post(reverse("training:need_resolve", args=[need.pk]), {"resolution": "已安排"})
    need.refresh_from_db()
    assert need.resolution == "已安排"


def test_the_commission_creates_a_district_wide_batch(client, world):
    login(client, world.commission)
    response = client.post(
        reverse("training:batch_create"), {"name": "2023年赴复旦进修", "year": 2023}
    )
    assert response.status_code == 302
    login(client, world.hospital_a)
    page = client.get(reverse("training:secondment_create"))
    assert "2023年赴复旦进修" in page.content.decode()


def test_the_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    login(client, world.commission)
    secondment(world)
    url = reverse("training:secondments")
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for person in (world.a_surgeon, world.a_ward_nurse, world.b_doctor):
        secondment(world, person=person, linked_leader=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_detail_query_count_does_not_grow_with_reports(
    client, world, django_assert_max_num_queries
):
    made = secondment(world)
    monthly_report_submit(secondment=made, person=world.a_doctor, month=START, content="一")
    leader = leader_user(world)
    login(client, leader)
    url = reverse("training:secondment", args=[made.pk])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for months in (1, 2, 3):
        report = monthly_report_submit(
            secondment=made,
            person=world.a_doctor,
            month=START + datetime.timedelta(days=31 * months),
            content="学习",
        )
        monthly_report_comment(report=report, person=world.a_surgeon, comment="好")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_hospital_sees_the_batch_it_organises_before_anyone_joins(client, world):
    login(client, world.hospital_a)
    response = client.post(
        reverse("training:batch_create"),
        {"name": "甲院2026年进修", "year": 2026, "institution": world.a.pk},
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert "甲院2026年进修" in page.content.decode()
    assert page.context["form"].is_valid()  # the ?batch= filter names a batch it may see
    login(client, world.hospital_b)
    assert "甲院2026年进修" not in client.get(reverse("training:secondments")).content.decode()
