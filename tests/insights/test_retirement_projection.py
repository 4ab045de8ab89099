"""The retirement projection (退休预测): who reaches the statutory retirement age on the as-of
day already and in each of the next five years, by institution and department and by
personnel category, counted from hand-worked staff (each retirement day from the decision's
tables, see test_retirement.py); every count a link to exactly the people it counts; the
people whose age cannot be told said so; scope; query counts; the export and the API."""

import datetime
import io
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.insights.planning_helpers import staff
from yicai.access.models import AuditEntry
from yicai.insights import queries
from yicai.insights.models import PlanningParameter

pytestmark = pytest.mark.django_db
D = datetime.date
PAGE = "/planning/retirement/"
PEOPLE = "/planning/people/"
API = "/api/v1/insights/retirement/"
AS_OF = "2025-06-30"


def build(world):
    """Staff of A and B, each with the day they reach the age (as of 2025-06-30: already
    there, or the year; the world's own staff: a_doctor and a_ward_nurse are women without a
    personnel category, so unknown; a_surgeon and b_doctor, men born in 1985, retire at 63 in
    2048, beyond the five years; the partner's expert is no staff of a managed institution)."""
    a, b = world.a, world.b
    cardiology, surgery = world.a_cardiology, world.a_surgery
    # Cardiology.
    staff(a, "甲一", D(1965, 3, 10), category="11", department=cardiology)  # 60y1m 2025-04-10
    staff(a, "甲二", D(1965, 9, 15), category="11", department=cardiology)  # 60y3m 2025-12-15
    staff(
        a, "甲三", D(1970, 5, 20), sex="2", category="21", department=cardiology
    )  # 55y2m 2025-07-20
    staff(
        a, "甲四", D(1975, 11, 5), sex="2", category="90", department=cardiology
    )  # 50y6m 2026-05-05
    staff(a, "甲五", D(1966, 8, 1), category="12", department=cardiology)  # 60y5m 2027-01-01
    staff(a, "外聘", D(1960, 1, 1), category="11", department=cardiology, kind="external_expert")
    # Surgery.
    staff(a, "乙一", D(1972, 2, 29), sex="2", category="11", department=surgery)  # 55y7m 2027-09-29
    staff(a, "乙二", D(1968, 5, 31), category="11", department=surgery)  # 60y11m 2029-04-30
    staff(a, "乙三", D(1969, 6, 1), category="11", department=surgery)  # 61y2m 2030-08-01
    staff(a, "乙四", D(1960, 1, 1), sex="9", category="21", department=surgery)  # 未说明: unknown
    # A, no department: women workers, one reaching the age on the as-of day itself.
    staff(a, "丙一", D(1975, 4, 30), sex="2", category="90")  # 50y2m 2025-06-30
    staff(a, "丙二", D(1975, 5, 1), sex="2", category="90")  # 50y3m 2025-08-01
    # B.
    staff(b, "丁一", D(1964, 12, 20), category="11", department=world.b_medicine)  # 60 2024-12-20


# (institution, department, [already, 2025, 2026, 2027, 2028, 2029], unknown, staff)
BY_DEPARTMENT = [
    ("乙社区卫生服", "全科", [1, 0, 0, 0, 0, 0], 0, 2),
    ("乙社区卫生服", "合计", [1, 0, 0, 0, 0, 0], 0, 2),
    ("甲区中心医院", "心内二病区", [0, 0, 0, 0, 0, 0], 1, 1),
    ("甲区中心医院", "心血管内科", [1, 2, 1, 1, 0, 0], 1, 6),
    ("甲区中心医院", "普外科", [0, 0, 0, 1, 0, 1], 1, 5),
    ("甲区中心医院", "（未填科室）", [1, 1, 0, 0, 0, 0], 0, 2),
    ("甲区中心医院", "合计", [2, 3, 1, 2, 0, 1], 3, 16 - 2),
]
BY_CATEGORY = [
    ("执业医师", [2, 1, 0, 1, 0, 1], 0, 6),
    ("执业助理医师", [0, 0, 0, 1, 0, 0], 0, 1),
    ("注册护士", [0, 1, 0, 0, 0, 0], 1, 2),
    ("工勤技能人员", [1, 1, 1, 0, 0, 0], 0, 3),
    ("（未填从事专业类别）", [0, 0, 0, 0, 0, 0], 2, 4),
]
TOTAL = ([3, 3, 1, 2, 0, 1], 3, 16)


def _table(lines):
    return [
        (
            line["row"].institution,
            line["row"].department,
            line["row"].counts,
            line["row"].unknown,
            line["row"].staff,
        )
        for line in lines
    ]


def test_the_projection_counts_each_year_by_department_and_category(client, world):
    build(world)
    response = login(client, world.commission).get(PAGE, {"as_of": AS_OF})
    assert response.status_code == 200
    assert [p.label for p in response.context["projection"].periods] == [
        "已到龄",
        "2025",
        "2026",
        "2027",
        "2028",
        "2029",
    ]
    assert _table(response.context["departments"]) == BY_DEPARTMENT
    categories = [(i, d, c, u, s) for i, d, c, u, s in _table(response.context["categories"])]
    assert [(d, c, u, s) for _i, d, c, u, s in categories] == BY_CATEGORY
    total = response.context["total"]["row"]
    assert (total.counts, total.unknown, total.staff) == TOTAL
    assert total.ahead == 7
    text = response.content.decode()
    assert "3 人缺少出生日期、性别，或为女职工而缺少从事专业类别" in text


def _people_in(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return [person.name for person in response.context["page_obj"]]


def test_every_count_links_to_the_people_it_counts(client, world):
    build(world)
    login(client, world.commission)
    context = client.get(PAGE, {"as_of": AS_OF}).context
    lines = [*context["departments"], *context["categories"], context["total"]]
    for line in lines:
        for n, url in line["cells"]:
            assert len(_people_in(client, url)) == n, (line["row"].department, url)
        assert len(_people_in(client, line["unknown_url"])) == line["row"].unknown
        assert len(_people_in(client, line["staff_url"])) == line["row"].staff
    # The as-of day's own retirement is among those already at the age, and says its day.
    due = client.get(PEOPLE, {"as_of": AS_OF, "period": "due"})
    assert [p.name for p in due.context["page_obj"]] == ["丁一", "甲一", "丙一"]
    assert "50岁2个月" in due.content.decode() and "2025-06-30" in due.content.decode()
    unknown = _people_in(client, context["total"]["unknown_url"])
    assert sorted(unknown) == sorted(["乙四", "李心怡", "赵护士"])


def test_each_sees_the_projection_of_the_people_they_see(client, world):
    build(world)
    hospital = login(client, world.hospital_a).get(PAGE, {"as_of": AS_OF}).context
    assert hospital["total"]["row"].counts == [2, 3, 1, 2, 0, 1]
    assert hospital["total"]["row"].staff == 14
    head = login(client, world.dept_head).get(PAGE, {"as_of": AS_OF}).context
    assert [line["row"].department for line in head["departments"]] == [
        "心内二病区",
        "心血管内科",
        "合计",
    ]
    assert head["total"]["row"].staff == 7
    # The institution filter offers what the user sees; another is refused.
    assert login(client, world.hospital_a).get(PAGE, {"institution": world.b.pk}).status_code == 400
    only_b = login(client, world.commission).get(PAGE, {"as_of": AS_OF, "institution": world.b.pk})
    assert only_b.context["total"]["row"].counts == [1, 0, 0, 0, 0, 0]


def test_another_day_moves_the_years(client, world):
    build(world)
    login(client, world.commission)
    # On 2024-12-31 the man born 1964-12-20 is already there; 2025 holds five (甲一 in April
    # and 丙一 in June besides the three after June).
    context = client.get(PAGE, {"as_of": "2024-12-31"}).context
    assert [p.label for p in context["projection"].periods][1:] == [
        "2024",
        "2025",
        "2026",
        "2027",
        "2028",
    ]
    assert context["total"]["row"].counts == [1, 0, 5, 1, 2, 0]


def test_a_wrong_filter_is_a_400_in_chinese(client, world):
    login(client, world.commission)
    response = client.get(PAGE, {"as_of": "2025-02-30"})
    assert (
        response.status_code == 400
        and "现状截至：日期格式不对，请按 2024-03-01 这样填写。" in response.content.decode()
    )
    assert client.get(PAGE, {"as_of": "1800-01-01"}).status_code == 400
    assert client.get(PAGE, {"as_of": "2025-02-30", "export": "xlsx"}).status_code == 400
    assert client.get(PEOPLE, {"as_of": AS_OF, "period": "2031"}).status_code == 400
    assert client.get(PEOPLE, {"period": "due", "group": "surgeons"}).status_code == 400


def test_the_page_costs_the_same_queries_for_more_people(client, world):
    login(client, world.commission)
    client.get(PAGE, {"as_of": AS_OF})  # the session and the like, read once
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE, {"as_of": AS_OF})
    build(world)
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE, {"as_of": AS_OF})
    assert len(many) == len(few)
    # The two tables are an aggregate query each.
    aggregates = [
        q["sql"]
        for q in many.captured_queries
        if "COUNT(" in q["sql"].upper() and "people_person" in q["sql"]
    ]
    assert len(aggregates) == 2


def test_the_export_is_the_table_and_is_audited(client, world):
    build(world)
    response = login(client, world.commission).get(PAGE, {"as_of": AS_OF, "export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "机构",
        "科室",
        "已到龄",
        "2025",
        "2026",
        "2027",
        "2028",
        "2029",
        "五年合计",
        "无法计算",
        "在档人数",
    )
    assert rows[4] == ("甲区中心医院", "心血管内科", 1, 2, 1, 1, 0, 0, 4, 1, 6)
    assert rows[-1] == ("总计", "", 3, 3, 1, 2, 0, 1, 7, 3, 16)
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出退休预测" in entry.object_repr
    # A department head reads the projection but exports nothing.
    head = login(client, world.dept_head)
    assert "export=xlsx" not in head.get(PAGE).content.decode()
    assert head.get(PAGE, {"export": "xlsx"}).status_code == 403


def test_the_people_behind_a_count_export_with_their_retirement_day(client, world):
    build(world)
    login(client, world.hospital_a)
    query = {"as_of": AS_OF, "period": "2025", "export": "xlsx"}
    response = client.get(PEOPLE, query)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("法定退休年龄", "到龄日期")
    assert [(row[0], row[-2], row[-1].date()) for row in rows[1:]] == [
        ("甲二", "60岁3个月", D(2025, 12, 15)),
        ("甲三", "55岁2个月", D(2025, 7, 20)),
        ("丙二", "50岁3个月", D(2025, 8, 1)),
    ]
    assert AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")


def test_the_api_answers_the_pages_figures(client, world, as_api):
    build(world)
    body = as_api(world.commission).get(API, {"as_of": AS_OF}).json()
    assert body["as_of"] == AS_OF
    assert [p["key"] for p in body["periods"]] == ["due", "2025", "2026", "2027", "2028", "2029"]
    assert body["periods"][1]["first"] == "2025-07-01"
    cardiology = next(
        r
        for r in body["departments"]
        if r["department"] and r["department"]["name"] == "心血管内科"
    )
    assert cardiology["counts"] == {"due": 1, "2025": 2, "2026": 1, "2027": 1, "2028": 0, "2029": 0}
    assert (cardiology["ahead"], cardiology["unknown"], cardiology["staff"]) == (4, 1, 6)
    assert body["total"]["counts"]["2025"] == 3 and body["total"]["staff"] == 16
    assert body["missing_ages"] == []
    bad = as_api(world.commission).get(API, {"as_of": "not-a-day"})
    assert bad.status_code == 400 and "as_of" in bad.json()


def test_a_kind_without_a_statutory_age_is_said_and_counted_unknown(client, world):
    build(world)
    PlanningParameter.objects.filter(key="retirement_age_female_worker").delete()
    response = login(client, world.commission).get(PAGE, {"as_of": AS_OF})
    assert "尚未设定“女职工（原五十周岁）法定退休年龄（岁）”" in response.content.decode()
    assert response.context["total"]["row"].unknown == 3 + 3
    assert queries.retirement_projection(world.commission, as_of=D(2025, 6, 30)).missing


def test_the_links_name_the_filters_of_their_cell(client, world):
    build(world)
    context = login(client, world.commission).get(PAGE, {"as_of": AS_OF}).context
    no_department = next(
        line for line in context["departments"] if line["row"].department == "（未填科室）"
    )
    _n, url = no_department["cells"][0]
    query = parse_qs(urlparse(url).query)
    assert query == {
        "as_of": [AS_OF],
        "institution": [str(world.a.pk)],
        "without_department": ["1"],
        "period": ["due"],
    }
