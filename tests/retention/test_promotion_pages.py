"""Title-promotion pages and API: Sixian's 2021 round shows "68人申报，52人通过：正高级10人，
副高级42人" on its page and in the API; only the commission holds a round; an institution
applies for its own people through the picker; results one by one and ticked in bulk; the
same refusal in the form and the API; the exports open and are audited; the lists' queries
do not grow with their rows."""

import datetime
import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import login
from tests.retention.promotion_scenarios import applicant, senior_round, sixian_round
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people.models import TitleRecord
from yicai.retention.models import PromotionApplication, PromotionRound
from yicai.retention.services import promotions

D = datetime.date
ROUNDS = "/retention/promotion-rounds/"
API = "/api/v1/retention/"
SENTENCE = "68人申报，52人通过：正高级10人，副高级42人"


def _page(round_pk: int) -> str:
    return f"{ROUNDS}{round_pk}/"


def _applied(held, person, grade="senior"):
    return promotions.application_create(
        by=None, promotion_round=held, person=person, grade=grade, applied_on=D(2021, 4, 1)
    )


def test_sixian_figures_on_the_page_and_in_the_api(client, world, as_api):
    made = sixian_round(world.a.commission_region, 2021, institution=world.a)
    page = login(client, world.commission).get(_page(made.round.pk))
    assert page.status_code == 200
    assert SENTENCE in page.content.decode()
    listed = client.get(ROUNDS).content.decode()
    assert made.round.name in listed
    figures = as_api(world.commission).get(f"{API}rounds/{made.round.pk}/figures/")
    assert figures.status_code == 200
    assert figures.json() == {
        "applied": 68,
        "passed": 52,
        "by_grade": {"senior": 10, "associate_senior": 42},
        "sentence": SENTENCE,
    }
    # The applications' export holds the 68, audited.
    response = client.get(_page(made.round.pk), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "申报单位", "申报级别", "申报职称")
    assert len(rows) == 69
    assert sum(1 for row in rows[1:] if row[9] == "通过") == 52
    entry = AuditEntry.objects.filter(event=AuditEntry.Event.EXPORT).latest("pk")
    assert "导出职称晋升申报" in entry.object_repr


def test_only_the_commission_holds_a_round(client, world, as_api):
    assert login(client, world.hospital_a).get(ROUNDS + "new/").status_code == 403
    login(client, world.commission)
    values = {
        "year": "2022",
        "series": code_for("title", "250").pk,
        "name": "2022年度护理高级职称评审",
        "opens_on": "2022-03-01",
        "closes_on": "2022-04-30",
    }
    response = client.post(ROUNDS + "new/", values)
    held = PromotionRound.objects.get(name="2022年度护理高级职称评审")
    assert response.status_code == 302
    assert response["Location"] == _page(held.pk)
    assert held.region == world.a.commission_region
    again = client.post(ROUNDS + "new/", values)
    assert again.status_code == 200
    assert "本辖区该年度该系列已有评审。" in again.content.decode()
    body = {**values, "series": values["series"], "year": 2023}
    refused = as_api(world.hospital_a).post(f"{API}rounds/", body, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"region": ["只有卫健委可以设立和修改本辖区的职称晋升评审。"]}
    made = as_api(world.commission).post(f"{API}rounds/", body, format="json")
    assert made.status_code == 201
    assert (made.json()["year"], made.json()["promotion_round_status"]) == (2023, "open")


def test_an_institution_applies_for_its_people(client, world, as_api):
    held = senior_round(world.a.commission_region, 2021)
    person = applicant(world.a, "甲院副主任", "232", D(2014, 5, 1))
    login(client, world.hospital_a)
    form = client.get(f"{_page(held.pk)}applications/new/")
    assert form.status_code == 200
    values = {"person": person.pk, "grade": "senior", "applied_on": "2021-04-10"}
    response = client.post(f"{_page(held.pk)}applications/new/", values)
    assert response.status_code == 302
    application = PromotionApplication.objects.get(round=held, person=person)
    assert (application.eligibility, application.years_in_grade) == ("eligible", 6)
    again = client.post(f"{_page(held.pk)}applications/new/", values)
    assert "该人员已在本轮评审中申报。" in again.content.decode()
    # The same refusal over the API.
    body = {
        "round": held.pk,
        "person": person.pk,
        "promotion_grade": "senior",
        "applied_on": "2021-04-10",
    }
    refused = as_api(world.hospital_a).post(f"{API}promotion-applications/", body, format="json")
    assert refused.status_code == 400
    assert refused.json() == {"person": ["该人员已在本轮评审中申报。"]}
    # Hospital B can name none of A's people, nor see A's application.
    other = as_api(world.hospital_b).post(
        f"{API}promotion-applications/",
        {**body, "person": applicant(world.a, "甲院另一人", "232", D(2014, 5, 1)).pk},
        format="json",
    )
    assert other.status_code == 400
    assert list(other.json()) == ["person"]
    shown = as_api(world.hospital_b).get(f"{API}promotion-applications/{application.pk}/")
    assert shown.status_code == 404
    page = login(client, world.hospital_b).get(_page(held.pk)).content.decode()
    assert "甲院副主任" not in page


def test_results_one_by_one_and_in_bulk(client, world, as_api):
    held = senior_round(world.a.commission_region, 2021)
    first, second, third = (
        _applied(held, applicant(world.a, f"评审{n}", "232", D(2010, 1, 1))) for n in range(3)
    )
    login(client, world.commission)
    page = client.get(_page(held.pk)).content.decode()
    assert "3人申报，0人通过" in page
    response = client.post(
        f"/retention/promotion-applications/{first.pk}/result/",
        {"result": "passed", "on": "2021-09-30"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.title_record == TitleRecord.objects.get(person=first.person, grade="senior")
    bulk = client.post(
        f"{_page(held.pk)}results/",
        {"applications": [second.pk, third.pk], "result": "failed", "on": "2021-09-30"},
    )
    assert bulk.status_code == 302
    assert set(PromotionApplication.objects.values_list("result", flat=True)) == {
        "passed",
        "failed",
    }
    assert "3人申报，1人通过：正高级1人" in client.get(_page(held.pk)).content.decode()
    # Failing a pass is refused, on the page and over the API alike.
    refused = client.post(
        f"/retention/promotion-applications/{first.pk}/result/",
        {"result": "failed", "on": "2021-10-08"},
    )
    assert refused.status_code == 400
    message = "评审0 已通过并取得职称，不能再改为未通过或撤回。"
    assert message in refused.content.decode()
    answered = as_api(world.commission).post(
        f"{API}promotion-applications/{first.pk}/result/",
        {"result": "withdrawn"},
        format="json",
    )
    assert (answered.status_code, answered.json()) == (400, {"result": [message]})
    # The bulk over the API: all or none, every problem said.
    answered = as_api(world.commission).post(
        f"{API}rounds/{held.pk}/results/",
        {"applications": [first.pk, second.pk], "result": "withdrawn", "on": "2021-10-08"},
        format="json",
    )
    assert answered.status_code == 400
    assert answered.json() == {"applications": [message]}
    second.refresh_from_db()
    assert second.result == "failed"


def test_the_rounds_list_filters(client, world):
    senior_round(world.a.commission_region, 2021)
    senior_round(world.a.commission_region, 2022, series="250", name="2022年度护理评审")
    login(client, world.hospital_a)
    text = client.get(ROUNDS, {"year": "2022"}).content.decode()
    assert "2022年度护理评审" in text
    assert "2021年度卫生系列高级职称评审" not in text
    assert client.get(ROUNDS, {"year": "abc"}).status_code == 400
    assert "新建评审" not in text  # an institution holds no round


def test_the_pages_cost_the_same_queries_for_many_rows(
    client, world, django_assert_max_num_queries
):
    held = senior_round(world.a.commission_region, 2021)
    _applied(held, applicant(world.a, "首位", "232", D(2010, 1, 1)))
    login(client, world.commission)
    urls = (ROUNDS, _page(held.pk))
    few = {}
    for url in urls:
        for query in ({}, {"export": "xlsx"}):
            with CaptureQueriesContext(connection) as done:
                assert client.get(url, query).status_code == 200
            few[url, str(query)] = len(done)
    for n in range(20):
        _applied(held, applicant(world.a if n % 2 else world.b, f"多人{n}", "232", D(2010, 1, 1)))
    senior_round(world.a.commission_region, 2022)
    for url in urls:
        for query in ({}, {"export": "xlsx"}):
            with django_assert_max_num_queries(few[url, str(query)]):
                assert client.get(url, query).status_code == 200


def test_the_commission_changes_a_round_and_sets_its_requirements(client, world):
    held = senior_round(world.a.commission_region, 2021)
    _applied(held, applicant(world.a, "已申报", "232", D(2010, 1, 1)))
    login(client, world.commission)
    edit = f"{_page(held.pk)}edit/"
    form = client.get(edit).content.decode()
    assert held.name in form
    values = {
        "year": "2021",
        "series": code_for("title", "250").pk,
        "name": "2021年度高级职称评审（更正）",
        "opens_on": "2021-03-01",
        "closes_on": "2021-05-10",
    }
    refused = client.post(edit, values)
    assert "本轮已有申报，年度和系列不能修改。" in refused.content.decode()
    assert client.post(edit, {**values, "series": held.series_id}).status_code == 302
    held.refresh_from_db()
    assert (held.name, held.closes_on) == ("2021年度高级职称评审（更正）", D(2021, 5, 10))
    response = client.post(
        f"{_page(held.pk)}requirements/",
        {
            "grade": "senior",
            "min_years": "5",
            "min_education": code_for("education", "21").pk,
            "min_credits": "25",
            "licence_required": "on",
        },
    )
    assert response.status_code == 302
    requirement = held.requirements.get(grade="senior")
    assert (requirement.min_years, str(requirement.min_credits), requirement.licence_required) == (
        5,
        "25.0",
        True,
    )
    page = client.get(_page(held.pk)).content.decode()
    assert "大学本科毕业" in page
    # The institution neither changes a round nor sets what it asks.
    login(client, world.hospital_a)
    assert client.get(edit).status_code == 403
    assert client.post(f"{_page(held.pk)}requirements/", {"grade": "senior"}).status_code == 403
