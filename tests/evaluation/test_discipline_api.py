"""/api/v1/evaluation/figures/ and /api/v1/evaluation/disciplines/<id>/series/: the list with
the page's filters, a figure set (and set again: changed), changed and removed through the same
service as the form (the same words for the same problem), a discipline's series with the
growth and multiples the page shows, 404 outside the scope, 403 without the permission."""

import pytest

from tests.conftest import login
from tests.evaluation.disciplines import INTERVENTIONS, figures
from yicai.evaluation.models import DisciplineFigure

pytestmark = pytest.mark.django_db
URL = "/api/v1/evaluation/figures/"


def series_url(department) -> str:
    return f"/api/v1/evaluation/disciplines/{department.pk}/series/"


def test_the_list_holds_the_scope_and_reads_the_filters(as_api, world):
    mine = figures(world.a_cardiology, {2022: 880, 2023: 1200})
    figures(world.b_medicine, {2023: 5})
    rows = as_api(world.hospital_a).get(URL).json()["results"]
    assert [row["id"] for row in rows] == [mine[2022].pk, mine[2023].pk]
    assert rows[1] == {
        "id": mine[2023].pk,
        "institution": {"id": world.a.pk, "name": "甲区中心医院"},
        "department": {"id": world.a_cardiology.pk, "name": "心血管内科"},
        "year": 2023,
        "measure": "interventions",
        "measure_display": "介入手术例数",
        "value": 1200,
        "unit": "例",
        "note": "",
        "created_at": rows[1]["created_at"],
        "updated_at": rows[1]["updated_at"],
    }
    everyone = as_api(world.commission)
    assert len(everyone.get(URL).json()["results"]) == 3
    assert len(everyone.get(URL, {"institution": world.b.pk}).json()["results"]) == 1
    assert (
        len(everyone.get(URL, {"year_from": 2023, "measure": "interventions"}).json()["results"])
        == 2
    )
    bad = everyone.get(URL, {"year_from": 2023, "year_to": 2022})
    assert bad.status_code == 400 and bad.json() == {"year_to": ["截止年度不能早于起始年度。"]}


def test_a_figure_is_set_set_again_changed_and_removed(as_api, world):
    api = as_api(world.hospital_a)
    new = {"department": world.a_cardiology.pk, "year": 2021, "measure": "interventions"}
    created = api.post(URL, {**new, "value": 600}, format="json")
    assert created.status_code == 200, created.json()
    row = f"{URL}{created.json()['id']}/"
    again = api.post(URL, {**new, "value": 610, "note": "HIS 报表"}, format="json")
    assert (again.status_code, again.json()["id"], again.json()["value"]) == (
        200,
        created.json()["id"],
        610,
    )
    changed = api.patch(row, {"value": 615}, format="json")
    assert changed.status_code == 200 and changed.json()["note"] == "HIS 报表"
    assert DisciplineFigure.objects.get().value == 615
    assert api.delete(row).status_code == 204
    assert not DisciplineFigure.objects.exists()


def test_problems_are_a_400_by_field_in_the_forms_words(as_api, client, world):
    wrong = {
        "department": world.a_cardiology.pk,
        "year": 1900,
        "measure": "interventions",
        "value": -5,
    }
    answer = as_api(world.hospital_a).post(URL, wrong, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"year": ["年度不能早于 1949 年。"], "value": ["数值不能为负数。"]}
    page = login(client, world.hospital_a).post("/evaluation/figures/new/", wrong)
    for messages in answer.json().values():
        assert messages[0] in page.content.decode()
    unknown = as_api(world.hospital_a).post(URL, {**wrong, "measure": "x"}, format="json")
    assert unknown.status_code == 400 and "measure" in unknown.json()
    assert not DisciplineFigure.objects.exists()


def test_outside_the_scope_is_a_404_and_read_only_roles_get_a_403(as_api, world):
    theirs = figures(world.b_medicine, {2021: 77})[2021]
    api = as_api(world.hospital_a)
    assert api.get(f"{URL}{theirs.pk}/").status_code == 404
    assert api.patch(f"{URL}{theirs.pk}/", {"value": 1}, format="json").status_code == 404
    assert api.delete(f"{URL}{theirs.pk}/").status_code == 404
    out = {"department": world.b_medicine.pk, "year": 2021, "measure": "discharges", "value": 1}
    answer = api.post(URL, out, format="json")
    assert answer.json() == {"department": ["所选科室不存在或不在您的管辖范围内。"]}
    assert api.get(series_url(world.b_medicine)).status_code == 404
    mine = figures(world.a_cardiology, {2021: 610})[2021]
    head = as_api(world.dept_head)
    assert head.get(f"{URL}{mine.pk}/").status_code == 200
    assert head.patch(f"{URL}{mine.pk}/", {"value": 1}, format="json").status_code == 403
    assert head.post(URL, {**out, "department": world.a_cardiology.pk}).status_code == 403
    assert as_api(world.trainee).get(URL).status_code == 403


def test_a_disciplines_series_gives_the_multiple_and_the_average_growth(as_api, world):
    on_file = figures(world.a_cardiology, INTERVENTIONS)
    answer = as_api(world.dept_head).get(series_url(world.a_cardiology))
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["department"]["name"], body["institution"]["name"]) == (
        "心血管内科",
        "甲区中心医院",
    )
    assert (body["year_from"], body["year_to"]) == (2019, 2023)
    [series] = body["series"]
    assert (series["measure"], series["measure_display"], series["unit"]) == (
        "interventions",
        "介入手术例数",
        "例",
    )
    assert (series["multiple"], series["average_growth"], series["years"]) == ("4.00", "41.42", 4)
    assert (series["first"]["value"], series["last"]["value"], series["highest"]) == (
        300,
        1200,
        1200,
    )
    assert [(p["year"], p["value"], p["figure"], p["growth"]) for p in series["points"]] == [
        (2019, 300, on_file[2019].pk, None),
        (2020, 420, on_file[2020].pk, "40.00"),
        (2021, 610, on_file[2021].pk, "45.24"),
        (2022, 880, on_file[2022].pk, "44.26"),
        (2023, 1200, on_file[2023].pk, "36.36"),
    ]
    assert [record["year"] for record in body["records"]] == [2019, 2020, 2021, 2022, 2023]
    assert body["records"][0]["as_of"] == "2019-12-31"
    narrowed = as_api(world.dept_head).get(series_url(world.a_cardiology), {"year_to": 2021})
    assert narrowed.json()["series"][0]["multiple"] == "2.03"  # 610 / 300
    bad = as_api(world.dept_head).get(series_url(world.a_cardiology), {"year_from": "x"})
    assert bad.status_code == 400 and "year_from" in bad.json()
