"""The national code tables are loaded as data and the commission can extend them."""

import pytest

from tests.conftest import login
from yicai.codes.models import Code, CodeTable

pytestmark = pytest.mark.django_db


def test_the_national_tables_are_loaded_with_their_codes():
    sizes = {table.key: table.codes.count() for table in CodeTable.objects.all()}
    assert sizes["sex"] == 6 and sizes["education"] == 40 and sizes["degree"] == 56
    assert sizes["ethnicity"] == 58 and sizes["title"] == 24
    assert Code.objects.get(table__key="ethnicity", code="01").name == "汉族"
    chief = Code.objects.get(table__key="title", code="231")
    assert chief.name == "主任医师" and chief.grade == "senior" and chief.parent.code == "230"


def test_the_commission_adds_a_talent_tag_that_the_filters_then_offer(world, client):
    login(client, world.commission)
    response = client.post("/codes/talent_tag/", {"code": "returnee_expert", "name": "海归专家"})
    assert response.status_code == 302
    assert "海归专家" in client.get("/people/").content.decode()


def test_a_duplicate_code_is_refused_in_chinese(world, client):
    login(client, world.commission)
    response = client.post("/codes/talent_tag/", {"code": "shortage", "name": "重复"})
    assert "已存在" in " ".join(response.context["form"].errors["code"])


@pytest.mark.parametrize("persona", ["hospital_a", "trainee", "auditor"])
def test_others_read_but_cannot_change_the_tables(world, client, persona):
    login(client, getattr(world, persona))
    response = client.post("/codes/talent_tag/", {"code": "x", "name": "x"})
    assert response.status_code == 403
    assert not Code.objects.filter(table__key="talent_tag", code="x").exists()
