"""A WISN activity's annual workload read from the department's discipline figure of the
study's year (docs/wisn.md): the required staff worked by hand to two decimals, a corrected
figure changing it, a figure not recorded said so and left out, the services' refusals, the
page and the API naming the figure, and the list's query count."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.insights.wisn_helpers import study
from yicai.evaluation.services.disciplines import figure_set, figure_update
from yicai.insights import queries, services, wisn

pytestmark = pytest.mark.django_db
D = Decimal


def _fed_study(world, *, department=None, visits=40000, code="11"):
    """5 days a week, 8 hours a day, 10 public holidays and 20 days of leave: 230 days, 1,840
    hours. Consultations of 15 minutes read from the year's 门急诊人次: one worker does
    1,840 ÷ 0.25 = 7,360 a year. Meetings take 20 % of the time: CAF 1 ÷ 0.8 = 1.25.
    40,000 visits: 40,000 ÷ 7,360 × 1.25 = 6.7934… → 6.79 required, for 3."""
    department = department or world.a_cardiology
    figure = figure_set(
        by=None, department=department, year=2025, measure="outpatient_visits", value=visits
    ).figure
    made = study(world, department=department, code=code, year=2025)
    services.allowance_add(study=made, kind="category", name="科室会议", percent=D(20))
    activity = services.activity_add(
        study=made,
        name="门诊诊疗",
        minutes_per_unit=D(15),
        annual_workload=D(999),  # typed too: the figure is what counts
        workload_measure="outpatient_visits",
    )
    return made, figure, activity


def test_the_workload_comes_from_the_figure_and_follows_its_correction(world):
    made, figure, activity = _fed_study(world)
    assert activity.annual_workload is None  # nothing typed is kept
    result = queries.study_result(made)
    assert result.activities[0].activity.annual_workload == D(40000)
    assert wisn.shown(result.activities[0].standard_workload) == "7360.00"
    assert wisn.shown(result.health_service_staff) == "5.43"
    assert wisn.shown(result.required_staff) == "6.79"
    assert wisn.shown(result.difference) == "-3.79"
    # The figure corrected: 44,160 visits are 6 workers' workload, × 1.25 = 7.50.
    figure_update(figure=figure, by=None, value=44160)
    made.refresh_from_db()
    assert wisn.shown(queries.study_result(made).required_staff) == "7.50"


def test_a_figure_not_recorded_is_said_so_and_left_out(client, world):
    made, figure, _activity = _fed_study(world)
    services.activity_add(
        study=made, name="住院查房", minutes_per_unit=D(20), workload_measure="discharges"
    )
    assert wisn.shown(queries.study_result(made).required_staff) == "6.79"
    login(client, world.hospital_a)
    text = client.get(f"/wisn/{made.pk}/").content.decode()
    assert "2025 年出院人次未登记：本活动未计入" in text
    assert f'href="/evaluation/figures/{figure.pk}/"' in text
    assert "取自 2025 年学科年度数据：门急诊人次 40000人次" in text
    body = client.get(f"/api/v1/insights/wisn/{made.pk}/result/").json()
    assert body["required_staff"] == "6.79"
    assert body["activities"][0]["figure"] == figure.pk
    assert (
        body["activities"][0]["workload_source"] == "取自 2025 年学科年度数据：门急诊人次 40000人次"
    )
    assert body["missing_figures"] == ["住院查房：2025 年出院人次未登记：本活动未计入"]


def test_the_services_ask_for_a_workload_or_a_measure(world):
    made = study(world, year=2024)
    with pytest.raises(ValidationError) as neither:
        services.activity_add(study=made, name="门诊", minutes_per_unit=D(10))
    assert neither.value.message_dict == {
        "annual_workload": ["请填写年工作量，或选择取自学科年度数据的指标。"]
    }
    with pytest.raises(ValidationError) as unknown:
        services.activity_add(
            study=made, name="门诊", minutes_per_unit=D(10), workload_measure="beds"
        )
    assert unknown.value.message_dict == {"workload_measure": ["请选择学科年度数据的指标。"]}
    typed = services.activity_add(
        study=made, name="门诊", minutes_per_unit=D(10), annual_workload=D(100)
    )
    # Switched to a figure, then back to a typed number.
    fed = services.activity_update(activity=typed, workload_measure="outpatient_visits")
    assert (fed.workload_measure, fed.annual_workload) == ("outpatient_visits", None)
    back = services.activity_update(activity=fed, workload_measure="", annual_workload=D(50))
    assert (back.workload_measure, back.annual_workload) == ("", D(50))


def test_the_form_posts_a_measure_instead_of_a_number(client, world):
    made = study(world, year=2025)
    figure_set(
        by=None, department=world.a_cardiology, year=2025, measure="interventions", value=1200
    )
    login(client, world.hospital_a)
    response = client.post(
        f"/wisn/{made.pk}/activities/",
        {"name": "介入手术", "minutes_per_unit": "90", "workload_measure": "interventions"},
    )
    assert response.status_code == 302
    result = queries.study_result(made)
    # 1,200 × 1.5 hours ÷ 1,840 hours = 0.9782… → 0.98.
    assert wisn.shown(result.required_staff) == "0.98"


def test_the_list_of_fed_studies_costs_the_same_queries_for_more_studies(client, world):
    _fed_study(world)
    login(client, world.hospital_a)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/wisn/").status_code == 200
    _fed_study(world, department=world.a_surgery)
    _fed_study(world, code="21")
    with CaptureQueriesContext(connection) as three:
        response = client.get("/wisn/")
    assert len(response.context["page_obj"]) == 3
    assert len(three) == len(one)
    assert {wisn.shown(s.result.required_staff) for s in response.context["page_obj"]} == {"6.79"}
    with CaptureQueriesContext(connection) as exported:
        assert client.get("/wisn/", {"export": "xlsx"}).status_code == 200
    assert len(exported) < 20
