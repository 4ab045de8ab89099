"""The annual talent-work report: the sources' figures, recorded through the services, read
the same on the page, in the API and in the workbook; a hospital's report is of its own
institution; a wrong period is refused by field. Its files made in the background, their
progress, downloads and audit: test_report_jobs.py."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.insights.annual_scenarios import (
    BAOSHAN_INTRODUCTIONS,
    CHANGTAI_SUBSIDY,
    INTERVENTIONS,
    SIXIAN_ROUND,
    record_sources,
)
from tests.recruitment.scenarios import shortage_talent
from yicai.evaluation.services.disciplines import figure_set
from yicai.insights.annual import annual_report
from yicai.insights.annual_files import report_pdf, report_xlsx

pytestmark = pytest.mark.django_db
URL = "/reports/annual/"
D = datetime.date


@pytest.fixture
def recorded(world):
    return record_sources(world)


def test_the_sources_figures_read_the_same_on_the_page_and_in_the_workbook(client, recorded):
    world = recorded
    login(client, world.commission)
    # 2021: Sixian's round; the studios founded in October 2023 are not running yet.
    page = client.get(URL, {"year": 2021}).content.decode()
    assert "2021年度人才工作报告" in page
    assert SIXIAN_ROUND in page
    # The page offers its files, made in the background for the period it shows.
    assert 'action="/reports/annual/jobs/"' in page
    assert 'name="since" value="2021-01-01"' in page and 'name="until" value="2021-12-31"' in page
    # 2023: the studios, their subsidy, and the interventions four times what they were.
    made = annual_report(world.commission, D(2023, 1, 1), D(2023, 12, 31))
    text = made.text
    assert CHANGTAI_SUBSIDY in text
    assert INTERVENTIONS in text
    # Baoshan's introductions and the shortage talent over their own periods.
    baoshan = annual_report(world.commission, D(2021, 1, 1), D(2023, 12, 31)).text
    assert BAOSHAN_INTRODUCTIONS in baoshan
    shortage = annual_report(world.commission, D(2021, 7, 1), D(2023, 7, 1)).text
    assert "紧缺专业人才由2021-07-01的100人增至2023-07-01的121人，增加21人，年均增长10.0%。" in (
        shortage
    )

    # The workbook: the text first, then a sheet per section's tables.
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(made)))
    lines = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert CHANGTAI_SUBSIDY in lines
    studios = [row for row in book["育才"].iter_rows(values_only=True) if row[0]]
    assert studios[-3:] == [("国家级", 3), ("省级", 8), ("区级", 10)]
    disciplines = book["学科建设"]
    rows = list(disciplines.iter_rows(values_only=True))
    assert [v for v in rows[2] if v is not None] == [
        world.a.name,
        world.a_cardiology.name,
        "介入手术例数",
        2019,
        300,
        2023,
        1200,
        4,
    ]


def test_the_api_answers_the_same_report(client, recorded, as_api):
    world = recorded
    api = as_api(world.commission)
    answer = api.get("/api/v1/insights/report/", {"year": 2021}).json()
    assert answer["title"].endswith("2021年度人才工作报告")
    assert SIXIAN_ROUND in answer["text"]
    retain = next(s for s in answer["sections"] if s["title"] == "四、留才")
    assert retain["tables"][0]["rows"] == [["2021", retain["tables"][0]["rows"][0][1], "68", "52"]]
    refused = api.get("/api/v1/insights/report/", {"since": "2023-01-01"})
    assert refused.status_code == 400
    assert refused.json() == {"until": ["起始日和截止日须同时填写。"]}


def test_a_hospital_reports_its_own_institution(client, world):
    b_surgery = factories.department(world.b, "普外科")
    for year, value in ((2022, 100), (2023, 150)):
        for department, times in ((world.a_cardiology, 1), (b_surgery, 9)):
            figure_set(
                by=None, department=department, year=year, measure="discharges", value=value * times
            )
    made = annual_report(world.hospital_a, D(2023, 1, 1), D(2023, 12, 31))
    assert made.title == f"{world.a.name}2023年度人才工作报告"
    assert world.a.name in made.text and world.b.name not in made.text
    login(client, world.hospital_b)
    page = client.get(URL, {"year": 2023}).content.decode()
    assert world.b.name in page and world.a_cardiology.name not in page


def test_a_wrong_period_is_refused_by_field_and_an_empty_scope_says_so(client, world):
    login(client, world.commission)
    reversed_period = client.get(URL, {"since": "2023-12-31", "until": "2023-01-01"})
    assert reversed_period.status_code == 400
    assert "截止日不能早于起始日。" in reversed_period.content.decode()
    assert client.get(URL, {"year": "二〇二三"}).status_code == 400
    empty = client.get(URL, {"year": 2020}).content.decode()
    for said in ("期内没有职称评审记录。", "近五年没有学科年度数据。", "期内没有发布的考核方案。"):
        assert said in empty
    login(client, world.dept_head)
    assert client.get(URL).status_code == 403


def test_the_report_takes_the_same_queries_for_one_department_or_many(world):
    def queries_for_report():
        with CaptureQueriesContext(connection) as counted:
            annual_report(world.commission, D(2023, 1, 1), D(2023, 12, 31))
        return len(counted)

    figure_set(by=None, department=world.a_cardiology, year=2023, measure="interventions", value=1)
    queries_for_report()  # the user's roles are read once, then kept on the user
    few = queries_for_report()
    for department in (factories.department(world.b, "普外科"), world.a_surgery):
        figure_set(by=None, department=department, year=2023, measure="interventions", value=2)
        factories.person(department.institution, "新人", department=department, birth=D(1999, 9, 9))
    assert queries_for_report() == few


def test_the_files_draw_an_empty_report(world):
    made = annual_report(world.nobody, D(2023, 1, 1), D(2023, 12, 31))
    assert report_pdf(made).startswith(b"%PDF-")
    first = openpyxl.load_workbook(io.BytesIO(report_xlsx(made))).worksheets[0]
    assert first["A1"].value == made.title


def test_this_years_report_counts_to_today_and_a_fall_reads_as_one(world):
    today = timezone.localdate()
    made = annual_report(world.commission, D(today.year, 1, 1), D(today.year, 12, 31))
    assert made.until == today and f"截至{today.isoformat()}，在岗" in made.text
    assert made.title.endswith(f"{today.year}年度人才工作报告")
    shortage_talent(world)  # one of A's recognitions lapsed on 30 April 2022
    fall = annual_report(world.commission, D(2022, 1, 1), D(2022, 5, 1)).text
    assert "紧缺专业人才由2022-01-01的100人减至2022-05-01的99人，减少1人" in fall
