"""Workforce planning's dated parameters and population, and the figures per 1,000 population
against the targets (规划指标): the value in force on a day (the latest from that day or
before, a region's own before the one above it, before the national one); what the service
refuses and in which words; only a commission sets them; the pages, their export and the API;
doctors, nurses and midwives per 1,000 and nurses per doctor worked by hand."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.insights.planning_helpers import staff
from yicai.access.models import AuditEntry
from yicai.insights import queries, services
from yicai.insights.models import PlanningParameter
from yicai.org.models import Region

pytestmark = pytest.mark.django_db
D = datetime.date
PARAMETERS = "/planning/parameters/"
POPULATION = "/planning/population/"
PLANNING = "/planning/"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


PLAN_DAY = D(2022, 5, 20)


def target(key="doctor_density", value="3.20", day=PLAN_DAY, where=None, by=None):
    return services.parameter_create(
        by=by,
        key=key,
        value=Decimal(value),
        valid_from=day,
        region=where,
        source="测试用规划文件",
    )


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# --- The value in force --------------------------------------------------------------------


def test_the_value_in_force_is_the_latest_one_and_a_regions_own_goes_first(world):
    district, shanghai = region("310113"), region("310000")
    target(value="3.20", day=D(2022, 5, 20))
    target(value="3.00", day=D(2023, 1, 1), where=shanghai)
    target(value="2.50", day=D(2024, 1, 1), where=district)
    target(value="2.80", day=D(2027, 1, 1), where=district)
    found = queries.Parameters(PlanningParameter.objects.all())

    def value(where, day):
        row = found.in_force("doctor_density", queries.region_chain(where), day)
        return row.value if row else None

    assert value(district, D(2022, 1, 1)) is None  # before any
    assert value(district, D(2022, 6, 30)) == Decimal("3.20")  # national
    assert value(district, D(2023, 6, 30)) == Decimal("3.00")  # the city above
    assert value(district, D(2024, 1, 1)) == Decimal("2.50")  # its own, from its first day
    assert value(district, D(2026, 12, 31)) == Decimal("2.50")
    assert value(district, D(2027, 1, 1)) == Decimal("2.80")
    assert value(region("310104"), D(2025, 1, 1)) == Decimal("3.00")  # a neighbour: the city
    assert value(region("110101"), D(2025, 1, 1)) == Decimal("3.20")  # elsewhere: national
    assert value(None, D(2025, 1, 1)) == Decimal("3.20")


def test_the_seeded_parameters_name_their_sources(world):
    seeded = {
        (p.key, p.valid_from): p for p in PlanningParameter.objects.filter(region__isnull=True)
    }
    who = seeded[("health_worker_density", D(2016, 1, 1))]
    assert who.value == Decimal("4.45") and "Workforce 2030" in who.source
    assert seeded[("retirement_age_male", D(2025, 1, 1))].value == 63
    assert (
        "渐进式延迟法定退休年龄" in seeded[("retirement_step_female_worker", D(2025, 1, 1))].source
    )
    # The national plan's targets could not be checked: none is seeded (docs/planning.md).
    assert not PlanningParameter.objects.filter(key="doctor_density").exists()
    assert all(p.source for p in seeded.values())


# --- What the service refuses --------------------------------------------------------------


def test_only_a_commission_sets_figures_and_only_for_its_own_region(world):
    district = region("310113")
    made = target(value="2.50", day=D(2024, 1, 1), where=district, by=world.commission)
    assert made.region == district
    assert refused(lambda: target(by=world.commission))["region"] == [
        "只有全域管理员可以设置全国通用的参数：请选择本辖区。"
    ]
    assert refused(lambda: target(where=region("310104"), by=world.commission))["region"] == [
        "只能为本卫健委辖区及其下级地区设置参数。"
    ]
    # An institution's administrator holds insights.edit (its WISN studies), not this.
    assert refused(lambda: target(where=district, by=world.hospital_a))["region"] == [
        "只能为本卫健委辖区及其下级地区设置参数。"
    ]
    assert refused(
        lambda: services.parameter_update(parameter=made, by=world.hospital_a, value=Decimal(3))
    )["region"] == ["只能修改本卫健委辖区的参数。"]
    # The installation's commission sets the national ones.
    everywhere = factories.user(
        "whole", roles=[("commission_admin", {"scope": "all", "region": None})]
    )
    assert target(by=everywhere).region is None


def test_every_problem_of_a_parameter_is_said_at_once(world):
    problems = refused(
        lambda: services.parameter_create(
            by=world.commission,
            key="retirement_age_male",
            value=Decimal("62.5"),
            valid_from=D(1899, 12, 31),
            region=region("310113"),
            source=" ",
        )
    )
    assert problems == {
        "region": ["法定退休年龄由国家统一规定，不能按地区设置：请留空“适用地区”。"],
        "valid_from": ["起始日期须在 1900-01-01 至 2100-12-31 之间。"],
        "value": ["法定退休年龄须为 40 至 75 之间的整岁数。"],
        "source": ["请注明数值的出处：文件名称、文号或统计公报。"],
    }
    assert refused(lambda: target(key="nurses_per_doctor", value="0"))["value"] == [
        "目标值须大于 0。"
    ]
    assert refused(lambda: target(key="retirement_step_male", value="0"))["value"] == [
        "延迟节奏须为 1 至 24 之间的整月数。"
    ]
    assert refused(lambda: target(key="unknown"))["key"] == ["请选择参数。"]


def test_a_statutory_age_only_rises(world):
    lower = refused(lambda: target(key="retirement_age_male", value="62", day=D(2030, 1, 1)))
    assert lower["value"] == ["法定退休年龄只能逐步提高：不能低于此前的 63 岁。"]
    higher = refused(lambda: target(key="retirement_age_male", value="64", day=D(2020, 1, 1)))
    assert higher["value"] == ["法定退休年龄只能逐步提高：不能高于此后的 63 岁。"]
    assert target(key="retirement_age_male", value="65", day=D(2040, 1, 1)).value == 65


def test_a_day_holds_one_value_of_a_key_and_region(world):
    target()
    assert "全国通用的这一参数在此起始日期已有数值。" in str(refused(target))
    district = region("310113")
    target(where=district)
    assert "该地区的这一参数在此起始日期已有数值。" in str(refused(lambda: target(where=district)))


def test_the_last_statutory_age_of_a_kind_stays(world):
    ages = PlanningParameter.objects.filter(key="retirement_age_male").order_by("valid_from")
    services.parameter_delete(parameter=ages.last(), by=None)
    assert refused(lambda: services.parameter_delete(parameter=ages.get(), by=None))["value"] == [
        "这是该类人员唯一的法定退休年龄，不能删除。"
    ]


def test_a_population_is_one_a_region_and_year_and_the_commissions(world):
    district = region("310113")
    made = services.population_create(
        by=world.commission, region=district, year=2024, population=52_000
    )
    assert str(made) == "宝山区 2024"
    again = refused(
        lambda: services.population_create(by=None, region=district, year=2024, population=1)
    )
    assert "该地区这一年度的常住人口已登记。" in str(again)
    assert refused(
        lambda: services.population_create(
            by=world.hospital_a, region=district, year=2023, population=0
        )
    ) == {
        "region": ["只能登记本卫健委辖区及其下级地区的常住人口。"],
        "population": ["常住人口须大于 0。"],
    }


# --- Pages ---------------------------------------------------------------------------------


def test_the_parameters_page_lists_marks_exports_and_edits(client, world):
    district = region("310113")
    target(value="3.20", day=D(2022, 5, 20))
    regional = target(value="2.50", day=D(2024, 1, 1), where=district)
    login(client, world.commission)
    page = client.get(PARAMETERS, {"key": "doctor_density"})
    assert page.status_code == 200
    shown = list(page.context["page_obj"])
    assert [p.value for p in shown] == [Decimal("3.20"), Decimal("2.50")]  # national first
    assert page.context["current"] >= {p.pk for p in shown}  # each in force for its region
    assert page.context["editable"] == {regional.pk}  # the district's, not the national one
    assert client.get(PARAMETERS, {"key": "beds"}).status_code == 400
    response = client.get(PARAMETERS, {"export": "xlsx", "key": "health_worker_density"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("参数", "数值", "起始日期", "适用地区", "来源")
    assert rows[1][:2] == ("每千人口医师、护士和助产士数", 4.45)
    assert rows[1][3] == "全国通用"
    assert "导出规划参数" in AuditEntry.objects.filter(event="export").latest("pk").object_repr
    # The form: a new target, then a change, each in the audit log with its actor.
    posted = client.post(
        f"{PARAMETERS}new/",
        {
            "key": "nurse_density",
            "value": "3.80",
            "valid_from": "2025-01-01",
            "region": district.pk,
            "source": "区“十四五”卫生健康规划",
        },
    )
    assert posted.status_code == 302
    made = PlanningParameter.objects.get(key="nurse_density")
    kind = ContentType.objects.get_for_model(PlanningParameter)
    assert AuditEntry.objects.filter(
        content_type=kind, object_pk=str(made.pk), actor=world.commission
    ).exists()
    bad = client.post(f"{PARAMETERS}{made.pk}/edit/", {"key": "nurse_density", "value": "-1"})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"value", "valid_from", "source"}
    changed = client.post(
        f"{PARAMETERS}{made.pk}/edit/",
        {"key": "nurse_density", "value": "3.9", "valid_from": "2025-01-01", "source": "改"},
    )
    assert changed.status_code == 200  # the region left empty: national, not theirs
    assert changed.context["form"].errors["region"] == [
        "只有全域管理员可以设置全国通用的参数：请选择本辖区。"
    ]
    # A national row is not the district commission's to change: not found.
    national = PlanningParameter.objects.get(key="doctor_density", region=None)
    assert client.get(f"{PARAMETERS}{national.pk}/edit/").status_code == 404


def test_who_reads_and_who_may_set_the_figures(client, world):
    for persona in ("hospital_a", "dept_head"):
        login(client, getattr(world, persona))
        page = client.get(PARAMETERS).content.decode()
        assert "新增参数" not in page and "4.45" in page
        assert client.get(f"{PARAMETERS}new/").status_code == 403
        assert client.get(f"{POPULATION}new/").status_code == 403
    login(client, world.trainee)
    assert client.get(PARAMETERS).status_code == 403


def test_the_population_page_records_a_year_and_refuses_it_twice(client, world):
    district = region("310113")
    login(client, world.commission)
    form = client.get(f"{POPULATION}new/", {"region": district.pk, "year": 2024})
    assert form.context["form"].initial == {"region": str(district.pk), "year": "2024"}
    data = {"region": district.pk, "year": 2024, "population": 52000, "source": "统计公报"}
    assert client.post(f"{POPULATION}new/", data).status_code == 302
    twice = client.post(f"{POPULATION}new/", data)
    assert twice.status_code == 200 and "该地区这一年度的常住人口已登记。" in twice.content.decode()
    listed = client.get(POPULATION, {"year": 2024})
    assert [p.population for p in listed.context["page_obj"]] == [52000]
    assert client.get(POPULATION, {"year": "二〇二四"}).status_code == 400
    # A hospital reads its district's population, and changes nothing.
    login(client, world.hospital_a)
    read = client.get(POPULATION)
    assert [p.population for p in read.context["page_obj"]] == [52000]
    assert read.context["editable"] == set()


# --- The figures per 1,000 population --------------------------------------------------------


def build_district(world):
    """The district's staff: 8 doctors (5 执业医师, 3 执业助理医师), 10 nurses, 2 midwives;
    not counted: an external expert and the partner hospital's doctor."""
    a, b = world.a, world.b
    born = D(1985, 1, 1)
    for n in range(5):
        staff(a, f"医师{n}", born, category="11", department=world.a_cardiology)
    for n in range(3):
        staff(b, f"助理{n}", born, category="12", department=world.b_medicine)
    for n in range(10):
        staff(a if n < 6 else b, f"护士{n}", born, sex="2", category="21")
    for n in range(2):
        staff(a, f"助产{n}", born, sex="2", category="22")
    staff(a, "外聘专家", born, category="11", kind="external_expert")
    staff(world.partner, "合作医师", born, category="11")
    district = region("310113")
    services.population_create(by=None, region=district, year=2024, population=52_000)
    target(value="3.20", day=D(2022, 5, 20))
    target(value="2.50", day=D(2024, 1, 1), where=district)
    target(key="nurses_per_doctor", value="1.20", day=D(2022, 5, 20))
    return district


def _indicators(figures):
    return {
        i.key: (i.actual, i.target.value if i.target else None, i.gap) for i in figures.indicators
    }


def test_the_figures_per_thousand_against_the_targets_in_force(world):
    district = build_district(world)
    figures = queries.density(world.commission, region=district, year=2024, as_of=D(2025, 6, 30))
    assert figures.counts == {"doctors": 8, "nurses": 10, "midwives": 2, "health_workers": 20}
    # 8 × 1,000 / 52,000 = 0.1538…; 10 / 8 = 1.25; 20 × 1,000 / 52,000 = 0.3846…
    assert _indicators(figures) == {
        "doctor_density": (Decimal("0.15"), Decimal("2.50"), Decimal("-2.35")),
        "nurse_density": (Decimal("0.19"), None, None),
        "nurses_per_doctor": (Decimal("1.25"), Decimal("1.20"), Decimal("0.05")),
        # 0.384615… − 4.45 = −4.065385…: −4.07 (the gap from the exact figure)
        "health_worker_density": (Decimal("0.38"), Decimal("4.45"), Decimal("-4.07")),
    }
    # Before the district's own target: the national one.
    earlier = queries.density(world.commission, region=district, year=2024, as_of=D(2023, 6, 30))
    assert _indicators(earlier)["doctor_density"] == (
        Decimal("0.15"),
        Decimal("3.20"),
        Decimal("-3.05"),
    )
    # No population of 2023: no figure per 1,000, the ratio still.
    unrecorded = queries.density(world.commission, region=district, year=2023, as_of=D(2025, 6, 30))
    assert unrecorded.population is None
    assert _indicators(unrecorded)["doctor_density"] == (None, Decimal("2.50"), None)
    assert _indicators(unrecorded)["nurses_per_doctor"][0] == Decimal("1.25")


def test_the_planning_page_shows_the_table_and_links_the_people(client, world):
    district = build_district(world)
    login(client, world.commission)
    response = client.get(PLANNING, {"region": district.pk, "year": 2024, "as_of": "2025-06-30"})
    assert response.status_code == 200
    text = response.content.decode()
    row = text[text.index('data-indicator="doctor_density"') :]
    row = row[: row.index("</tr>")]
    assert ">0.15<" in row and ">2.50<" in row and ">-2.35<" in row and "测试用规划文件" in row
    ratio = text[text.index('data-indicator="nurses_per_doctor"') :]
    assert "1 : 1.25" in ratio[: ratio.index("</tr>")]
    for group in response.context["groups"]:
        people = client.get(group["url"]).context["page_obj"]
        assert people.paginator.count == group["count"], group["key"]
    missing = client.get(PLANNING, {"region": district.pk, "year": 2023}).content.decode()
    assert "宝山区 2023 年尚未登记常住人口，无法计算每千人口数。" in missing
    assert f"{POPULATION}new/?region={district.pk}&amp;year=2023" in missing
    assert client.get(PLANNING, {"region": region("110101").pk}).status_code == 400
    # A hospital has no region to count: it is told so, and sees the targets in force.
    hospital = login(client, world.hospital_a).get(PLANNING).content.decode()
    assert "您的账号没有可统计的辖区" in hospital and "4.45" in hospital


def test_the_planning_page_costs_the_same_queries_for_more_people(client, world):
    district = region("310113")
    services.population_create(by=None, region=district, year=2024, population=52_000)
    login(client, world.commission)
    query = {"region": district.pk, "year": 2024}
    client.get(PLANNING, query)
    with CaptureQueriesContext(connection) as few:
        client.get(PLANNING, query)
    for n in range(6):
        staff(world.a, f"医师{n}", D(1985, 1, 1), category="11")
    with CaptureQueriesContext(connection) as many:
        client.get(PLANNING, query)
    assert len(many) == len(few)


def test_the_api_reads_the_parameters_population_and_figures(world, as_api):
    district = build_district(world)
    api = as_api(world.dept_head)
    parameters = api.get("/api/v1/insights/parameters/", {"key": "doctor_density"}).json()
    assert [
        (p["value"], p["region"]["code"] if p["region"] else None) for p in parameters["results"]
    ] == [
        ("3.20", None),
        ("2.50", "310113"),
    ]
    assert parameters["results"][0]["parameter_key"] == "doctor_density"
    assert parameters["results"][0]["key_display"] == "每千人口执业（助理）医师数"
    assert api.get("/api/v1/insights/parameters/", {"key": "beds"}).status_code == 400
    populations = api.get("/api/v1/insights/population/").json()["results"]
    assert [(p["region"]["name"], p["year"], p["population"]) for p in populations] == [
        ("宝山区", 2024, 52000)
    ]
    body = (
        as_api(world.commission)
        .get(
            "/api/v1/insights/density/",
            {"region": district.pk, "year": 2024, "as_of": "2025-06-30"},
        )
        .json()
    )
    assert body["population"] == 52000 and body["counts"]["doctors"] == 8
    doctors = body["indicators"][0]
    assert (doctors["indicator"], doctors["actual"], doctors["target"], doctors["gap"]) == (
        "doctor_density",
        "0.15",
        "2.50",
        "-2.35",
    )
    assert doctors["target_region"]["code"] == "310113"
    nothing = as_api(world.hospital_a).get("/api/v1/insights/density/").json()
    assert nothing["region"] is None and nothing["counts"] == {}
