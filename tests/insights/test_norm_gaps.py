"""Gaps against the stored norms (配置标准缺口): doctors and nurses needed by the bed norms per
department and institution, and by the targets per 1,000 population for the district, against
the staff on file, counted by hand; the dated, region-first norm; each count a link to exactly
its people; scope; constant query counts; the export and the API saying what the page says."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import once_per_module
from tests.conftest import login
from tests.insights.norm_helpers import bed_norms, beds, norm, ward_staff
from tests.insights.planning_helpers import staff
from yicai.insights import norms
from yicai.insights import services as insights_services

pytestmark = pytest.mark.django_db
D = datetime.date
PAGE = "/planning/norms/"
API = "/api/v1/insights/norm-gaps/"
AS_OF = D(2025, 6, 30)


def build(world):
    """Beds: cardiology 30 in 2023 and 40 in 2024 (the 2024 figure is the latest up to 2025),
    surgery 25 in 2025, B's general practice 10 in 2025; the district's 100,000 residents in
    2025 and its 3.20 doctors per 1,000 (the WHO's 4.45 is seeded nationally)."""
    bed_norms(world)
    made = {
        "cardiology_2023": beds(world.a_cardiology, 2023, 30),
        "cardiology": beds(world.a_cardiology, 2024, 40),
        "surgery": beds(world.a_surgery, 2025, 25),
        "b": beds(world.b_medicine, 2025, 10),
    }
    ward_staff(world)
    district = world.a.commission_region
    insights_services.population_create(by=None, region=district, year=2025, population=100_000)
    norm("doctor_density", "3.20", D(2025, 1, 1), region=district)
    return made


_built, records = once_per_module(build)


def _lines(row):
    return [(line.group, line.needed, line.current, line.gap) for line in row.lines]


def _table(gaps):
    return [(row.institution, row.department, row.beds, row.year, _lines(row)) for row in gaps.rows]


def test_the_needs_by_beds_and_the_gaps_are_counted_by_hand(world, records):
    """In 2025 the district's own 0.35 doctors a bed applies; nurses 0.40 nationally.
    Cardiology: 40 × 0.35 = 14.00 doctors for 2 (甲一, 甲二), 40 × 0.40 = 16.00 nurses for 3.
    Surgery: 25 × 0.35 = 8.75 for 1 (乙一); 10.00 nurses for none. A: 65 beds, 22.75 doctors
    for 3, 26.00 nurses for 3. B: 10 beds, 3.50 and 4.00 for none."""
    gaps = norms.norm_gaps(world.commission, as_of=AS_OF)
    d = Decimal
    # Institutions by name (乙 before 甲), each one's departments then its total.
    assert _table(gaps) == [
        (
            "乙社区卫生服",
            "全科",
            10,
            2025,
            [("doctors", d("3.50"), 0, d("3.50")), ("nurses", d("4.00"), 0, d("4.00"))],
        ),
        (
            "乙社区卫生服",
            "合计",
            10,
            2025,
            [("doctors", d("3.50"), 0, d("3.50")), ("nurses", d("4.00"), 0, d("4.00"))],
        ),
        (
            "甲区中心医院",
            "心血管内科",
            40,
            2024,
            [("doctors", d("14.00"), 2, d("12.00")), ("nurses", d("16.00"), 3, d("13.00"))],
        ),
        (
            "甲区中心医院",
            "普外科",
            25,
            2025,
            [("doctors", d("8.75"), 1, d("7.75")), ("nurses", d("10.00"), 0, d("10.00"))],
        ),
        (
            "甲区中心医院",
            "合计",
            65,
            None,
            [("doctors", d("22.75"), 3, d("19.75")), ("nurses", d("26.00"), 3, d("23.00"))],
        ),
    ]
    assert gaps.department_shortfalls()[world.a_surgery.pk] == d("17.75")
    assert gaps.missing == []


def test_an_earlier_day_takes_the_norm_and_the_beds_then_in_force(world, records):
    """On 2024-06-30 the national 0.30 doctors a bed applies, and the beds of 2024 or before:
    cardiology 40 (12.00 doctors), no surgery or B beds yet. With the year 2023, cardiology's
    30 beds: 9.00 doctors, 12.00 nurses."""
    gaps = norms.norm_gaps(world.commission, as_of=D(2024, 6, 30))
    assert [(row.department, row.beds, _lines(row)[0][1]) for row in gaps.rows] == [
        ("心血管内科", 40, Decimal("12.00")),
        ("合计", 40, Decimal("12.00")),
    ]
    older = norms.norm_gaps(world.commission, as_of=D(2024, 6, 30), year=2023)
    assert [(row.beds, row.year, _lines(row)[1][1]) for row in older.rows[:1]] == [
        (30, 2023, Decimal("12.00"))
    ]


def test_the_needs_by_population_are_counted_by_hand(world, records):
    """100,000 residents: 3.20 per 1,000 → 320.00 doctors for 3 (gap 317.00); no nurse target
    set; the WHO's 4.45 → 445.00 doctors, nurses and midwives for 6 (gap 439.00)."""
    population = norms.norm_gaps(world.commission, as_of=AS_OF).population
    assert (population.region, population.year, population.population) == (
        world.a.commission_region,
        2025,
        100_000,
    )
    assert [(line.group, line.needed, line.current, line.gap) for line in population.lines] == [
        ("doctors", Decimal("320.00"), 3, Decimal("317.00")),
        ("nurses", None, 3, None),
        ("health_workers", Decimal("445.00"), 6, Decimal("439.00")),
    ]
    # A hospital's account has no region of its own to count.
    assert norms.norm_gaps(world.hospital_a, as_of=AS_OF).population.lines == []


def test_each_sees_only_their_own_departments(world, records):
    institutions = {
        persona: {row.institution for row in norms.norm_gaps(getattr(world, persona)).rows}
        for persona in ("hospital_a", "hospital_b")
    }
    assert institutions == {"hospital_a": {"甲区中心医院"}, "hospital_b": {"乙社区卫生服"}}
    filtered = norms.norm_gaps(world.commission, as_of=AS_OF, institution=world.b)
    assert [row.department for row in filtered.rows] == ["全科", "合计"]


def test_each_count_on_the_page_opens_exactly_its_people(client, world, records):
    login(client, world.commission)
    response = client.get(PAGE, {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    text = response.content.decode()
    assert "12.00" in text and "22.75" in text and "317.00" in text
    cells = {
        (item["row"].department, cell["line"].group): cell["url"]
        for item in response.context["rows"]
        for cell in item["lines"]
    }
    expected = {
        ("心血管内科", "doctors"): {"甲一", "甲二"},
        ("心血管内科", "nurses"): {"护一", "护二", "护三"},
        ("普外科", "doctors"): {"乙一"},
        ("合计", "doctors"): {"甲一", "甲二", "乙一"},
    }
    for key, names in expected.items():
        listed = client.get(cells[key]).context["page_obj"]
        assert {person.name for person in listed} == names, key
    population = {cell["line"].group: cell["url"] for cell in response.context["population"]}
    listed = client.get(population["health_workers"]).context["page_obj"]
    assert {p.name for p in listed} == {"甲一", "甲二", "乙一", "护一", "护二", "护三"}


def test_no_beds_and_no_norm_are_said_so(client, world, records):
    """B's account, before its beds were recorded: the empty table says where to record them;
    a bed norm set nowhere is named."""
    login(client, world.hospital_b)
    text = client.get(PAGE, {"as_of": "2024-06-30"}).content.decode()
    assert 'id="norm-beds-empty"' in text
    from yicai.insights.models import PlanningParameter

    PlanningParameter.objects.filter(key="nurses_per_bed").delete()
    gaps = norms.norm_gaps(world.commission, as_of=AS_OF)
    assert gaps.missing == ["床护比（每张实际开放床位配备注册护士数）"]
    assert all(line.needed is None for row in gaps.rows for line in row.lines[1:])


def test_a_bad_filter_is_a_400(client, world, records):
    login(client, world.commission)
    assert client.get(PAGE, {"as_of": "1800-01-01"}).status_code == 400
    assert client.get(PAGE, {"institution": "x"}).status_code == 400


def test_the_query_count_does_not_grow_with_departments(client, world, records):
    login(client, world.commission)
    params = {"as_of": AS_OF.isoformat()}
    with CaptureQueriesContext(connection) as first:
        assert client.get(API, params).status_code == 200
    for n in range(3):
        department = world.b_medicine.institution.departments.create(name=f"新科{n}")
        beds(department, 2025, 20)
        staff(world.b, f"新护{n}", D(1995, 1, 1), sex="2", category="21", department=department)
    with CaptureQueriesContext(connection) as second:
        body = client.get(API, params).json()
    assert len(body["beds"]) == 5 + 3
    assert len(second) == len(first)


def test_the_api_and_the_export_say_what_the_page_says(client, world, records):
    login(client, world.commission)
    params = {"as_of": AS_OF.isoformat()}
    body = client.get(API, params).json()
    page = norms.norm_gaps(world.commission, as_of=AS_OF)
    assert [
        (row["department"] and row["department"]["name"], row["beds"], row["lines"][0]["gap"])
        for row in body["beds"]
    ] == [
        (None if row.total else row.department, row.beds, f"{row.lines[0].gap:.2f}")
        for row in page.rows
    ]
    assert body["population"]["lines"][0] == {
        "group": "doctors",
        "group_label": "执业（助理）医师",
        "norm_key": "doctor_density",
        "norm": "3.20",
        "needed": "320.00",
        "current": 3,
        "gap": "317.00",
    }
    response = client.get(PAGE, {**params, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    # The district's three lines, B's four, then cardiology's doctors.
    assert values[7][:5] == [
        "甲区中心医院",
        "心血管内科",
        "实际开放床位 40 张",
        2024,
        "执业（助理）医师",
    ]
    assert values[7][6:] == [14, 2, 12]
    assert values[0][:2] == [world.a.commission_region.name, ""]
