"""The WISN studies' pages: the published example's figures on the study's page and over the
API as the calculation gives them; the forms that record a study and add its rows, refusing
in the service's words; the list with its filters and its export (an .xlsx that opens,
audited); another institution's study is a 404; the menu entry; query counts."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.insights.wisn_helpers import category, hiv_clinic, study
from yicai.access.models import AuditEntry
from yicai.insights import queries, services, wisn
from yicai.insights.models import WisnActivity, WisnStudy
from yicai.people.services import person_update

pytestmark = pytest.mark.django_db
LIST = "/wisn/"
API = "/api/v1/insights/wisn/"
D = Decimal


def _page_figures(text: str) -> dict[str, str]:
    """The figures of the study's page by their element's id."""
    figures = {}
    for name in ("possible-days", "awt-days", "awt-hours", "health-service-staff", "cas-percent"):
        start = text.index(f'id="{name}">') + len(f'id="{name}">')
        figures[name] = text[start : text.index("<", start)]
    return figures


def test_the_published_example_shows_the_same_figures_on_the_page_and_the_api(
    client, world, as_api
):
    clinic = hiv_clinic(world)
    result = wisn.calculate(queries.study_inputs(clinic))
    page = login(client, world.dept_head).get(f"{LIST}{clinic.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert _page_figures(text) == {
        "possible-days": "234.00",
        "awt-days": "179.00",
        "awt-hours": "1432.00",
        "health-service-staff": "17.46",
        "cas-percent": wisn.shown(result.cas_percent),
    }
    assert "5728.00" in text  # the consultation's standard workload
    assert f'id="required-staff">{wisn.shown(result.required_staff)}<' in text
    assert f'id="wisn-ratio">{wisn.shown(result.ratio)}<' in text
    assert "人员短缺（工作负荷压力大）" in text
    # A department head reads: no forms, no buttons.
    assert 'id="activity-form"' not in text and "/edit/" not in text
    body = as_api(world.dept_head).get(f"{API}{clinic.pk}/result/").json()
    assert (body["possible_days"], body["awt_days"], body["awt_hours"]) == (
        "234.00",
        "179.00",
        "1432.00",
    )
    assert body["activities"] == [
        {
            "name": "HIV 门诊咨询",
            "minutes_per_unit": "15.00",
            "annual_workload": "100000.00",
            "standard_workload": "5728.00",
            "required_staff": "17.46",
            "workload_source": "",  # typed in, not read from a discipline figure
            "figure": None,
        }
    ]
    assert body["health_service_staff"] == "17.46"
    assert body["category_allowances"] == [
        {"name": "培训", "hours_per_year": "80.00", "percent": wisn.shown(result.cas_percent)}
    ]
    for name in ("caf", "iaf", "required_staff", "difference", "ratio"):
        assert body[name] == wisn.shown(getattr(result, name))
    assert (body["current_staff"], body["reading"]) == ("12.00", "shortage")


def test_the_form_records_a_study_and_its_rows_are_added_on_its_page(client, world):
    login(client, world.hospital_a)
    form = client.get(LIST + "new/").content.decode()
    assert "心血管内科" in form and "全科" not in form  # B's department is not offered
    posted = {
        "department": world.a_cardiology.pk,
        "staff_category": category("21").pk,
        "year": 2023,
        "days_a_week": "5",
        "hours_a_day": "8",
        "public_holidays": "10",
        "annual_leave": "20",
        "sick_leave": "5",
        "other_leave": "3",
        "training_days": "2",
        "current_staff": "3",
    }
    response = client.post(LIST + "new/", posted)
    assert response.status_code == 302, response.content.decode()
    saved = WisnStudy.objects.get()
    assert (saved.institution, saved.staff_category.name) == (world.a, "注册护士")
    page = f"{LIST}{saved.pk}/"
    added = client.post(
        f"{page}activities/", {"name": "门诊", "minutes_per_unit": "30", "annual_workload": "3520"}
    )
    assert added.status_code == 302
    refused = client.post(
        f"{page}activities/", {"name": "查房", "minutes_per_unit": "0", "annual_workload": "10"}
    )
    assert refused.status_code == 400
    assert "活动“查房”的每单位耗时须大于 0 分钟。" in refused.content.decode()
    assert (
        client.post(
            f"{page}allowances/", {"kind": "category", "name": "会议", "percent": "20"}
        ).status_code
        == 302
    )
    whole_year = client.post(
        f"{page}allowances/", {"kind": "category", "name": "培训", "percent": "80"}
    )
    assert whole_year.status_code == 400
    assert "须小于 100%" in whole_year.content.decode()
    text = client.get(page).content.decode()
    assert 'id="caf">1.25<' in text and 'id="required-staff">1.25<' in text
    # The working time that leaves no time at all is refused on the form.
    refused = client.post(f"{page}edit/", {**posted, "annual_leave": "300"})
    assert refused.status_code == 200
    assert "可用工作时间须大于 0" in refused.content.decode()
    activity = WisnActivity.objects.get()
    edit = client.post(
        f"{LIST}activities/{activity.pk}/edit/",
        {"name": "门诊", "minutes_per_unit": "30", "annual_workload": "7040"},
    )
    assert edit.status_code == 302
    assert 'id="health-service-staff">2.00<' in client.get(page).content.decode()
    changed = AuditEntry.objects.get_for_object(activity).filter(action=AuditEntry.Action.UPDATE)
    assert changed.get().actor == world.hospital_a
    assert client.post(f"{LIST}activities/{activity.pk}/delete/").status_code == 302
    assert client.post(f"{page}delete/").status_code == 302
    assert not WisnStudy.objects.exists()


def test_another_institutions_study_is_not_found(client, world, as_api):
    theirs = study(world, department=world.b_medicine)
    login(client, world.hospital_a)
    for url in (f"{LIST}{theirs.pk}/", f"{LIST}{theirs.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{LIST}{theirs.pk}/delete/").status_code == 404
    api = as_api(world.hospital_a)
    assert api.get(f"{API}{theirs.pk}/").status_code == 404
    assert api.get(f"{API}{theirs.pk}/result/").status_code == 404
    assert WisnStudy.objects.filter(pk=theirs.pk).exists()


def test_the_list_filters_exports_and_says_when_empty(client, world):
    physicians = study(world, year=2023, note="=1+1")
    services.activity_add(
        study=physicians, name="门诊", minutes_per_unit=D(30), annual_workload=D(3680)
    )
    study(world, code="21", year=2022)
    study(world, department=world.b_medicine, year=2023)
    login(client, world.hospital_a)
    text = client.get(LIST, {"year": 2023}).content.decode()
    table = text[text.index('id="studies"') : text.index("</table>")]
    assert "执业医师" in table and "注册护士" not in table and "全科" not in table
    assert client.get(LIST, {"year": "二〇二三"}).status_code == 400
    assert "没有符合条件的人员需求测算。" in client.get(LIST, {"year": 2001}).content.decode()
    response = client.get(LIST, {"export": "xlsx", "staff_category": category("11").pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("年度", "机构", "科室", "人员类别", "可用工作时间（小时）")
    # 260 − 30 days = 230 × 8 h = 1,840 h; 3,680 half-hours are one worker's year; 3 on staff.
    assert rows[1:] == [
        (
            2023,
            "甲区中心医院",
            "心血管内科",
            "执业医师",
            1840,
            1,
            1,
            0,
            1,
            3,
            2,
            3,
            "人员富余（相对工作负荷）",
        )
    ]
    csv = client.get(LIST, {"export": "csv", "year": 2022}).streaming_content
    # No activity yet: nothing required, no ratio.
    text = b"".join(csv).decode("utf-8-sig")
    assert "1840.00,0.00,1.00,0.00,0.00,3.00,3.00,,尚无卫生服务活动" in text
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出 WISN 人员需求测算" in entry.object_repr


def test_the_staff_on_file_stand_beside_the_staff_entered(client, world):
    person_update(person=world.a_doctor, personnel_category=category("11"))
    clinic = hiv_clinic(world)
    text = login(client, world.hospital_a).get(f"{LIST}{clinic.pk}/").content.decode()
    assert 'id="on-file">1<' in text and 'id="current-staff">12.00<' in text


def test_who_sees_the_list_and_the_menu_entry(client, world):
    study(world)
    for user in (world.trainee, world.mentor, world.auditor):
        assert login(client, user).get(LIST).status_code == 403
    head = login(client, world.dept_head).get(LIST).content.decode()
    assert "心血管内科" in head and "?export=xlsx" not in head and "新建测算" not in head
    assert login(client, world.dept_head).get(LIST + "new/").status_code == 403
    assert LIST in login(client, world.hospital_a).get("/").content.decode()
    assert LIST not in login(client, world.trainee).get("/").content.decode()


def test_the_list_and_its_export_cost_the_same_queries_for_many_rows(
    client, world, django_assert_max_num_queries
):
    login(client, world.commission)
    hiv_clinic(world)
    few = {}
    for query in ({}, {"export": "xlsx"}):
        with CaptureQueriesContext(connection) as done:
            assert client.get(LIST, query).status_code == 200
        few[str(query)] = len(done)
    for year in range(2000, 2024):
        more = study(world, department=world.b_medicine if year % 2 else world.a_surgery, year=year)
        services.activity_add(
            study=more, name="门诊", minutes_per_unit=D(10), annual_workload=D(1000 + year)
        )
        services.allowance_add(study=more, kind="category", name="会议", percent=D(5))
    for query in ({}, {"export": "xlsx"}):
        with django_assert_max_num_queries(few[str(query)]):
            assert client.get(LIST, query).status_code == 200
