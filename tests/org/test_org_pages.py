"""Institutions, departments and discipline designations: create, edit, refuse bad input."""

import pytest

from tests.conftest import login
from yicai.access.models import AuditEntry
from yicai.org.models import Department, DisciplineDesignation, Institution, Region


def _institution_form(**overrides):
    district = Region.objects.get(code="310113")
    data = {
        "name": "新建社区卫生服务中心",
        "short_name": "新建社区",
        "code": "",
        "kind": "community",
        "grade": "1",
        "relation": "managed",
        "region": district.pk,
        "commission_region": district.pk,
        "affiliation": "",
        "active": "on",
    }
    data.update(overrides)
    return data


def test_the_commission_creates_an_institution_and_it_is_audited(world, client):
    login(client, world.commission)
    response = client.post("/org/new/", _institution_form())
    created = Institution.objects.get(name="新建社区卫生服务中心")
    assert response.status_code == 302 and response["Location"] == f"/org/{created.pk}/"
    entry = AuditEntry.objects.get_for_object(created).get()
    assert entry.actor == world.commission and entry.action == AuditEntry.Action.CREATE


def test_a_duplicate_institution_name_is_refused_in_chinese(world, client):
    login(client, world.commission)
    before = Institution.objects.count()
    response = client.post("/org/new/", _institution_form(name=world.a.name))
    assert Institution.objects.count() == before
    assert "已存在" in " ".join(response.context["form"].errors["name"])


def test_the_commission_cannot_create_an_institution_outside_its_region(world, client):
    login(client, world.commission)
    beijing = Region.objects.get(code="110101")
    before = Institution.objects.count()
    response = client.post("/org/new/", _institution_form(commission_region=beijing.pk))
    assert Institution.objects.count() == before
    assert "管辖范围" in " ".join(response.context["form"].errors["commission_region"])


@pytest.mark.parametrize("persona", ["hospital_a", "dept_head", "trainee", "security"])
def test_only_the_commission_creates_institutions(world, client, persona):
    login(client, getattr(world, persona))
    assert client.get("/org/new/").status_code == 403
    assert client.post("/org/new/", _institution_form()).status_code == 403
    assert not Institution.objects.filter(name="新建社区卫生服务中心").exists()


def test_a_hospital_edits_its_own_institution_but_not_another(world, client):
    login(client, world.hospital_a)
    data = _institution_form(name="甲区中心医院（新院区）", kind="general", grade="2")
    assert client.post(f"/org/{world.a.pk}/edit/", data).status_code == 302
    world.a.refresh_from_db()
    assert world.a.name == "甲区中心医院（新院区）"
    assert client.get(f"/org/{world.b.pk}/edit/").status_code == 404
    assert client.post(f"/org/{world.b.pk}/edit/", data).status_code == 404


def test_a_hospital_adds_and_nests_departments(world, client):
    login(client, world.hospital_a)
    response = client.post(
        f"/org/{world.a.pk}/departments/new/",
        {"name": "心内一病区", "parent": world.a_cardiology.pk, "clinical": "on"},
    )
    assert response.status_code == 302
    ward = Department.objects.get(name="心内一病区")
    assert ward.institution == world.a and ward.parent == world.a_cardiology


def test_a_department_cannot_sit_under_itself(world, client):
    login(client, world.hospital_a)
    url = f"/org/{world.a.pk}/departments/{world.a_cardiology.pk}/edit/"
    response = client.post(url, {"name": "心血管内科", "parent": world.a_cardio_ward.pk})
    assert "上级科室不能是本科室" in " ".join(response.context["form"].errors["parent"])
    world.a_cardiology.refresh_from_db()
    assert world.a_cardiology.parent is None


def test_a_department_of_another_institution_is_not_reachable(world, client):
    login(client, world.hospital_a)
    url = f"/org/{world.a.pk}/departments/{world.b_medicine.pk}/edit/"
    assert client.get(url).status_code == 404
    url = f"/org/{world.b.pk}/departments/{world.b_medicine.pk}/edit/"
    assert client.get(url).status_code == 404


def test_a_designation_with_years_out_of_order_is_refused(world, client):
    login(client, world.hospital_a)
    data = {
        "department": world.a_cardiology.pk,
        "name": "泛血管疾病",
        "kind": "top_priority",
        "level": "district",
        "year_from": 2023,
        "year_to": 2021,
        "lead": world.a_doctor.pk,
    }
    response = client.post(f"/org/{world.a.pk}/disciplines/new/", data)
    assert not DisciplineDesignation.objects.exists()
    assert "截止年度" in " ".join(response.context["form"].errors["year_to"])
    data["year_to"] = 2025
    assert client.post(f"/org/{world.a.pk}/disciplines/new/", data).status_code == 302
    page = client.get(f"/org/{world.a.pk}/").content.decode()
    assert "泛血管疾病" in page and "重中之重学科" in page and "李心怡" in page


def test_a_designation_lead_must_be_someone_the_user_may_see(world, client):
    login(client, world.hospital_a)
    data = {
        "department": world.a_cardiology.pk,
        "name": "全科",
        "kind": "key_specialty",
        "level": "district",
        "year_from": 2023,
        "lead": world.b_doctor.pk,
    }
    response = client.post(f"/org/{world.a.pk}/disciplines/new/", data)
    assert "lead" in response.context["form"].errors
    assert not DisciplineDesignation.objects.exists()
