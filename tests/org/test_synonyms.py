"""What people write for a code is data the commission extends; imports read it."""

from tests.conftest import login
from yicai.codes import services
from yicai.codes.models import CodeTable, Synonym
from yicai.codes.queries import code_for


def test_the_shipped_synonyms_read_hospital_writing_as_national_codes(db):
    title = Synonym.objects.get(table__key="title", text="住院医师", personnel_category=None)
    assert title.code.name == "医师"
    education = Synonym.objects.get(table__key="education", text="本科")
    assert education.code.name == "大学本科毕业"
    nurse = code_for("personnel_category", "21")
    deputy = Synonym.objects.get(table__key="title", text="副主任", personnel_category=nurse)
    assert deputy.code.name == "副主任护师"


def test_the_commission_adds_a_synonym_on_the_code_table_page(world, client):
    login(client, world.commission)
    response = client.post(
        "/codes/title/",
        {"synonym-text": " 规培医师 ", "synonym-code": code_for("title", "234").pk},
    )
    assert response.status_code == 302
    added = Synonym.objects.get(table__key="title", text="规培医师")
    assert added.code.code == "234"
    page = client.get("/codes/title/").content.decode()
    assert "规培医师" in page


def test_a_synonym_that_is_another_codes_name_is_refused(world, client):
    login(client, world.commission)
    response = client.post(
        "/codes/title/",
        {"synonym-text": "主治医师", "synonym-code": code_for("title", "234").pk},
    )
    assert response.status_code == 200
    assert "“主治医师”已是代码 233 的名称。" in response.content.decode()
    assert not Synonym.objects.filter(text="主治医师").exists()


def test_a_hospital_cannot_change_synonyms(world, client):
    login(client, world.hospital_a)
    response = client.post(
        "/codes/title/",
        {"synonym-text": "规培医师", "synonym-code": code_for("title", "234").pk},
    )
    assert response.status_code == 403
    synonym = Synonym.objects.get(table__key="title", text="住院医师")
    assert client.post(f"/codes/title/synonyms/{synonym.pk}/delete/").status_code == 403
    assert Synonym.objects.filter(pk=synonym.pk).exists()


def test_the_commission_removes_a_synonym(world, client):
    table = CodeTable.objects.get(key="staffing")
    synonym = services.synonym_add(table=table, text="老编制", code=code_for("staffing", "1"))
    login(client, world.commission)
    response = client.post(f"/codes/staffing/synonyms/{synonym.pk}/delete/")
    assert response.status_code == 302
    assert not Synonym.objects.filter(pk=synonym.pk).exists()
