"""The dashboard 人才驾驶舱: staff as of a day by the people list's own rule (so a figure and
the list behind it agree), drilled down institution → department → people; the sources'
figures (Sixian's round, Baoshan's introductions and shortage talent growing by 181 at about
10 % a year, Changtai's studios by tier, interventions 300 → 1,200) on the page and in the
API; one panel's export; scope; constant queries."""

import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.insights.annual_scenarios import record_sources
from tests.pdf import page_text
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.insights.annual import annual_report
from yicai.insights.annual_files import report_pdf
from yicai.people import services as people_services
from yicai.people.models import Person, TalentTag

pytestmark = pytest.mark.django_db
URL = "/dashboard/"
D = datetime.date


def _shortage_181(world):
    """Baoshan's shortage talent: 862 on 2021-07-01 and 181 more recognised since, 1,043 on
    2023-07-01: (1,043 / 862) ** (1 / 2 years) − 1 = 10.0 % a year. Written in bulk (the
    figure counts tags held, not how they were entered)."""
    tag = code_for("talent_tag", "shortage")
    sex = code_for("sex", "1")
    people = Person.objects.bulk_create(
        Person(
            name=f"紧缺{n}",
            name_initials="jq",
            name_pinyin=f"jinque{n}",
            sex=sex,
            birth_date=D(1990, 1, 1),
            institution=world.a,
        )
        for n in range(1043)
    )
    TalentTag.objects.bulk_create(
        TalentTag(person=person, tag=tag, valid_from=D(2020, 3, 1) if n < 862 else D(2022, 9, 1))
        for n, person in enumerate(people)
    )


@pytest.fixture
def recorded(world):
    return record_sources(world, shortage=_shortage_181)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_sources_figures_read_on_the_dashboard_and_in_the_api(client, recorded, as_api):
    world = recorded
    login(client, world.commission)
    query = {"as_of": "2023-07-01", "since": "2021-07-01", "until": "2023-07-01"}
    page = client.get(URL, query)
    assert page.status_code == 200
    shown = _text(page.content.decode())
    # Shortage talent over the two days, and the round of 2021.
    assert "862 → 1,043" in shown
    assert "+181人，年均增长10.0%" in shown
    assert "68人申报，52人通过：正高级10人，副高级42人" in shown
    # Changtai's studios of 2023, by tier, and the interventions over five years.
    year_2023 = client.get(URL, {"as_of": "2023-12-31"}).content.decode()
    flat = _text(year_2023)
    assert "名医工作室21个，2023年应拨补助2,200,000.00元。" in flat
    for tier, n, each, due in (
        ("国家级", 3, "200,000.00", "600,000.00"),
        ("省级", 8, "100,000.00", "800,000.00"),
        ("区级", 10, "80,000.00", "800,000.00"),
    ):
        assert f"{tier} {n} {each} {due}" in flat
    assert "2019: 300 2023: 1,200 4.00倍" in flat
    # Baoshan's 198 introductions of 2021–2023 (17 senior, 3 discipline leaders).
    baoshan = _text(
        client.get(URL, {"since": "2021-01-01", "until": "2023-12-31"}).content.decode()
    )
    assert re.search(r"期内引进人才 198 副高级及以上17人，学科带头人3人", baoshan)

    # The API answers the same figures, with the same links.
    api = as_api(world.commission)
    answer = api.get("/api/v1/insights/dashboard/", query).json()
    cards = {card["key"]: card for card in answer["cards"]}
    assert cards["shortage"]["value"] == "862 → 1,043"
    assert cards["shortage"]["detail"] == "+181人，年均增长10.0%"
    rounds = next(panel for panel in answer["panels"] if panel["key"] == "rounds")
    assert rounds["rows"][0][4]["text"] == "68人申报，52人通过：正高级10人，副高级42人"
    assert rounds["rows"][0][1]["text"] == "68" and rounds["rows"][0][2]["text"] == "52"

    late = api.get("/api/v1/insights/dashboard/", {"as_of": "2023-12-31"}).json()
    panels = {panel["key"]: panel for panel in late["panels"]}
    assert panels["studios"]["note"] == "名医工作室21个，2023年应拨补助2,200,000.00元。"
    assert [[cell["text"] for cell in row] for row in panels["studios"]["rows"]] == [
        ["国家级", "3", "200,000.00", "600,000.00"],
        ["省级", "8", "100,000.00", "800,000.00"],
        ["区级", "10", "80,000.00", "800,000.00"],
    ]
    volumes = [[cell["text"] for cell in row] for row in panels["disciplines"]["rows"]]
    assert volumes == [
        [
            f"{world.a.name} {world.a_cardiology.name}",
            "介入手术例数",
            "2019: 300",
            "2023: 1,200",
            "4.00倍",
        ]
    ]

    # The annual report of the same two days says it too, on the page and in its PDF.
    made = annual_report(world.commission, D(2021, 7, 1), D(2023, 7, 1))
    said = "紧缺专业人才由2021-07-01的862人增至2023-07-01的1043人，增加181人，年均增长10.0%。"
    assert said in made.text
    assert said in page_text(report_pdf(made)).replace("\n", "")


def _department_people(world):
    """A's rehabilitation department over the years: 甲 since 2015 (中级 from 2018, 副高 from
    2022-06-01); 乙 from 2021-03-01; 丙 from 2010 to 2019-12-31, its post's start unknown to
    the roster of one, so undated."""
    rehab = factories.department(world.a, "康复科")
    first = factories.person(world.a, "甲康复", department=rehab, title="233", birth=D(1980, 5, 1))
    people_services.title_add(
        person=first, title=code_for("title", "232"), obtained_on=D(2022, 6, 1)
    )
    second = factories.person(world.a, "乙康复", birth=D(1995, 5, 1))
    people_services.appointment_add(
        person=second, institution=world.a, department=rehab, start_on=D(2021, 3, 1)
    )
    third = factories.person(world.a, "丙康复", birth=D(1960, 5, 1), male=False)
    people_services.appointment_add(
        person=third, institution=world.a, department=rehab, end_on=D(2019, 12, 31)
    )
    return rehab


def _cells(client, query, panel):
    answer = client.get("/api/v1/insights/dashboard/", query).json()
    rows = next(p for p in answer["panels"] if p["key"] == panel)["rows"]
    return {row[0]["text"]: row[1] for row in rows}


def test_staff_as_of_a_day_and_the_people_behind_each_figure(client, world, as_api):
    rehab = _department_people(world)
    api = as_api(world.commission)
    login(client, world.commission)
    expected = {
        # 丙's undated post counts until its end; 乙 not yet; 甲 中级.
        "2019-06-01": {"staff": 2, "grades": {"中级": 1}},
        "2020-12-31": {"staff": 1, "grades": {"中级": 1}},
        "2023-01-01": {"staff": 2, "grades": {"副高级": 1}},
    }
    for day, figures in expected.items():
        query = {"department": rehab.pk, "as_of": day}
        answer = api.get("/api/v1/insights/dashboard/", query).json()
        cards = {card["key"]: card for card in answer["cards"]}
        assert cards["staff"]["value"] == str(figures["staff"]), day
        grades = _cells(api, query, "grades")
        for label, n in figures["grades"].items():
            assert grades[label]["text"] == str(n), (day, label)
        # The number links to the people list on that day, which lists exactly them.
        listed = client.get(cards["staff"]["url"])
        assert listed.status_code == 200
        names = set(re.findall(r"[甲乙丙]康复", listed.content.decode()))
        assert len(names) == figures["staff"], (day, names)
        for label, n in figures["grades"].items():
            behind = client.get(grades[label]["url"]).content.decode()
            assert len(set(re.findall(r"[甲乙丙]康复", behind))) == n, (day, label)


def test_drilling_down_from_institutions_to_departments_to_people(client, world):
    rehab = _department_people(world)
    login(client, world.commission)
    top = client.get(URL, {"as_of": "2023-01-01"}).content.decode()
    # Each institution's name drills down to its own dashboard.
    link = re.search(rf'href="([^"]*institution={world.a.pk}[^"]*)">{world.a.name}<', top)
    assert link, "the institution drills down"
    level = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "各科室在岗人数" in level and "康复科" in level
    department = re.search(rf'href="([^"]*department={rehab.pk}[^"]*)">康复科<', level)
    assert department
    board = client.get(department.group(1).replace("&amp;", "&"))
    assert board.status_code == 200
    assert 'id="card-staff">2<' in board.content.decode()


def test_a_hospital_sees_its_own_and_a_wrong_day_is_refused(client, world, as_api):
    login(client, world.hospital_b)
    page = client.get(URL).content.decode()
    assert world.b.name in page and world.a.name not in page
    refused = client.get(URL, {"institution": world.a.pk})
    assert refused.status_code == 400
    api = as_api(world.hospital_b)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    answer = api.get("/api/v1/insights/dashboard/", {"as_of": tomorrow.isoformat()})
    assert answer.status_code == 400
    assert answer.json() == {"as_of": ["现状截至日期不能晚于今天。"]}
    backwards = api.get(
        "/api/v1/insights/dashboard/", {"since": "2023-02-01", "until": "2023-01-01"}
    )
    assert backwards.json() == {"until": ["截止日不能早于起始日。"]}


def test_a_panel_exports_its_table_audited(client, world):
    rehab = _department_people(world)
    login(client, world.hospital_a)
    got = client.get(
        URL, {"department": rehab.pk, "as_of": "2023-01-01", "panel": "grades", "export": "xlsx"}
    )
    assert got.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(got.streaming_content))).worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert ("副高级", 1) in rows and ("初级（师级）", 0) in rows
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert entry.additional_data["filters"]["panel"] == "grades"
    assert client.get(URL, {"panel": "nothing", "export": "xlsx"}).status_code == 404


def test_the_dashboard_takes_the_same_queries_for_few_or_many_people(client, world):
    login(client, world.commission)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(URL, {"as_of": "2023-01-01"}).status_code == 200
        return len(seen)

    before = queries()
    rehab = factories.department(world.b, "眼科")
    for n in range(15):
        factories.person(world.b, f"眼科{n}", department=rehab, title="234")
    assert queries() == before
