"""The annual talent-work report: the sources' figures, recorded through the services, read
the same on the page, in the API, in the PDF's text and in the workbook; a hospital's report
is of its own institution; downloads are audited; a wrong period is refused by field."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.conftest import login
from tests.pdf import page_text
from tests.recruitment.scenarios import baoshan_198, shortage_talent
from tests.retention.promotion_scenarios import sixian_round
from tests.training.api import studio
from yicai.access.models import AuditEntry
from yicai.evaluation.services.disciplines import figure_set
from yicai.insights.annual import annual_report
from yicai.insights.annual_files import report_pdf, report_xlsx

pytestmark = pytest.mark.django_db
URL = "/reports/annual/"
D = datetime.date
# Changtai's 21 studios (the source gives no split by tier: this one is ours) and the yearly
# subsidies of its tiers, 200,000, 100,000 and 80,000 CNY: 3×200,000 + 8×100,000 + 10×80,000.
CHANGTAI_TIERS = ["national"] * 3 + ["provincial"] * 8 + ["district"] * 10
CHANGTAI_SUBSIDY = "名医工作室21个，2023年应拨补助2,200,000.00元。"


@pytest.fixture
def recorded(world):
    """Sixian's 2021 senior-title round; Baoshan's 198 introductions of 2021–2023; shortage
    talent 100 → 121 from mid-2021 to mid-2023; Changtai's 21 studios; A's cardiology's
    interventions, 300 in 2019 to 1,200 in 2023."""
    region = world.a.commission_region
    sixian_round(region, 2021, institution=world.a)
    baoshan_198(world)
    shortage_talent(world)
    for n, tier in enumerate(CHANGTAI_TIERS):
        lead = factories.person(world.a, f"名医{n}", birth=D(1951 + n, 2, 3))
        studio(world, f"名医工作室{n}", lead, tier=tier)
    for year, value in ((2019, 300), (2021, 700), (2023, 1200)):
        figure_set(
            by=None, department=world.a_cardiology, year=year, measure="interventions", value=value
        )
    return world


def test_the_sources_figures_read_the_same_on_the_page_in_the_pdf_and_the_workbook(
    client, recorded
):
    world = recorded
    login(client, world.commission)
    # 2021: Sixian's round; the studios founded in October 2023 are not running yet.
    page = client.get(URL, {"year": 2021}).content.decode()
    assert "2021年度人才工作报告" in page
    assert "68人申报，52人通过：正高级10人，副高级42人" in page
    # 2023: the studios, their subsidy, and the interventions four times what they were.
    made = annual_report(world.commission, D(2023, 1, 1), D(2023, 12, 31))
    text = made.text
    assert CHANGTAI_SUBSIDY in text
    assert "介入手术例数由2019年的300增至2023年的1200，为4.00倍。" in text
    # Baoshan's introductions and the shortage talent over their own periods.
    baoshan = annual_report(world.commission, D(2021, 1, 1), D(2023, 12, 31)).text
    assert "期内引进人才198人，其中副高级及以上职称17人、学科带头人3人。" in baoshan
    shortage = annual_report(world.commission, D(2021, 7, 1), D(2023, 7, 1)).text
    assert "紧缺专业人才由2021-07-01的100人增至2023-07-01的121人，增加21人，年均增长10.0%。" in (
        shortage
    )

    # The PDF says what the page says, with its table of contents.
    pdf = client.get(URL, {"since": "2021-01-01", "until": "2023-12-31", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    shown = page_text(pdf.content)
    assert "目录" in shown and "一、人才队伍" in shown
    flat = shown.replace("\n", "")
    assert "期内引进人才198人，其中副高级及以上职称17人、学科带头人3人。" in flat
    assert "68人申报，52人通过：正高级10人，副高级42人" in flat
    assert CHANGTAI_SUBSIDY in flat
    assert "介入手术例数由2019年的300增至2023年的1200，为4.00倍。" in flat
    assert shown.count("五、学科建设") >= 2  # the heading, and its line in the contents

    # The workbook: the text first, then a sheet per section's tables.
    xlsx = client.get(URL, {"year": 2023, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
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

    # Every download is audited, with its period.
    exports = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).order_by("pk")
    assert [entry.additional_data["filters"] for entry in exports] == [
        {"since": "2021-01-01", "until": "2023-12-31", "format": "pdf"},
        {"year": "2023", "format": "xlsx"},
    ]


def test_the_api_answers_the_same_report(client, recorded, as_api):
    world = recorded
    api = as_api(world.commission)
    answer = api.get("/api/v1/insights/report/", {"year": 2021}).json()
    assert answer["title"].endswith("2021年度人才工作报告")
    assert "68人申报，52人通过：正高级10人，副高级42人" in answer["text"]
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
