"""/api/v1/insights/wisn/: the list with the page's filters, a study read, added, changed and
removed through the same services as the forms (the same words for the same problem), 404
outside the scope, 403 without the permission; the result as the page shows it."""

import pytest

from tests.insights.wisn_helpers import category, study
from yicai.insights.models import WisnStudy

pytestmark = pytest.mark.django_db
URL = "/api/v1/insights/wisn/"


def _new(world, **values):
    return {
        "department": world.a_cardiology.pk,
        "staff_category": category("21").pk,
        "year": 2023,
        "days_a_week": "5",
        "hours_a_day": "8",
        "public_holidays": "10",
        "annual_leave": "20",
        "current_staff": "6",
        **values,
    }


def test_the_list_holds_the_scope_and_reads_the_filters(as_api, world):
    mine = study(world, year=2023)
    study(world, department=world.b_medicine, year=2023)
    rows = as_api(world.dept_head).get(URL).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["staff_category"]["name"] == "执业医师"
    everyone = as_api(world.commission)
    assert len(everyone.get(URL).json()["results"]) == 2
    assert len(everyone.get(URL, {"institution": world.b.pk}).json()["results"]) == 1
    assert everyone.get(URL, {"year": 2001}).json()["results"] == []
    assert everyone.get(URL, {"year": "x"}).status_code == 400


def test_a_study_is_added_changed_and_removed_in_the_forms_words(as_api, world):
    api = as_api(world.hospital_a)
    created = api.post(URL, _new(world), format="json")
    assert created.status_code == 201, created.json()
    row = f"{URL}{created.json()['id']}/"
    assert api.get(row).json()["activities"] == []
    result = api.get(f"{row}result/").json()
    assert (result["awt_hours"], result["ratio"], result["reading"]) == ("1840.00", None, None)
    refused = api.patch(row, {"annual_leave": "300"}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "days_a_week": [
            "可用工作时间须大于 0：全年可工作 260.00 天，各项假日与缺勤合计 310.00 天。"
        ]
    }
    assert api.patch(row, {"current_staff": "7"}, format="json").json()["current_staff"] == "7.00"
    again = api.post(URL, _new(world), format="json")
    assert again.status_code == 400
    assert "该科室本年度已有此类人员的测算。" in str(again.json())
    other = api.post(URL, _new(world, department=world.b_medicine.pk), format="json")
    assert other.json() == {"department": ["所选科室不存在或不在您的管辖范围内。"]}
    assert api.delete(row).status_code == 204
    assert not WisnStudy.objects.exists()


def test_reading_is_not_planning(as_api, world):
    mine = study(world)
    head = as_api(world.dept_head)
    assert head.get(f"{URL}{mine.pk}/result/").status_code == 200
    assert head.post(URL, _new(world), format="json").status_code == 403
    assert head.patch(f"{URL}{mine.pk}/", {"year": 2022}, format="json").status_code == 403
    assert as_api(world.trainee).get(URL).status_code == 403
    assert as_api(world.hospital_b).get(f"{URL}{mine.pk}/result/").status_code == 404
