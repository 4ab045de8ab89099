"""What Practitioner, PractitionerRole, Organization and the CapabilityStatement say."""

import datetime

import pytest

from tests.conftest import login
from tests.fhir.helpers import fhir_get, validate
from yicai.codes.queries import code_for
from yicai.fhir import resources as fhir
from yicai.people import services


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("李心怡", "李", "心怡"),
        ("王五", "王", "五"),
        ("欧阳修", "欧阳", "修"),
        ("司马相如", "司马", "相如"),
        ("诸葛亮", "诸葛", "亮"),
        ("司马", "司", "马"),  # two characters only: a one-character surname and a given name
    ],
)
def test_it_splits_chinese_names_into_family_and_given(name, family, given):
    human = fhir.split_name(name)
    assert (human["text"], human["family"], human["given"]) == (name, family, [given])


@pytest.mark.parametrize("name", ["阿不都·热合曼", "John Smith", "李"])
def test_it_keeps_only_the_text_of_names_it_cannot_split(name):
    assert fhir.split_name(name) == {"use": "official", "text": name}


@pytest.mark.parametrize(
    ("code", "gender"), [("1", "male"), ("2", "female"), ("0", "unknown"), ("9", "unknown")]
)
def test_it_maps_gb_t_2261_1_sex_codes_to_administrative_gender(code, gender):
    assert fhir.gender(code) == gender


def test_a_practitioner_carries_name_gender_birth_masked_number_and_qualifications(world, client):
    person = world.a_doctor
    services.licence_add(
        person=person,
        number="110310113000123",
        category="1",
        scope="内科专业",
        registered_institution=world.a,
        issued_on=datetime.date(2012, 3, 1),
    )
    services.education_add(
        person=person,
        level=code_for("education", "21"),
        degree=code_for("degree", "2"),
        school="复旦大学",
        major="临床医学",
        graduated_on=datetime.date(2008, 7, 1),
    )
    login(client, world.commission)
    body = fhir_get(client, f"/fhir/Practitioner/{person.pk}")
    assert body["id"] == str(person.pk)
    assert body["name"] == [
        {"use": "official", "text": "李心怡", "family": "李", "given": ["心怡"]}
    ]
    assert body["gender"] == "female"
    assert body["birthDate"] == "1985-06-01"
    resident = [i for i in body["identifier"] if i["system"] == fhir.RESIDENT_ID_SYSTEM]
    assert [i["value"] for i in resident] == ["*" * 14 + person.id_number[-4:]]
    assert fhir.MASKED in body["meta"]["security"]
    licence = [i for i in body["identifier"] if i["system"] == fhir.LICENCE_SYSTEM]
    assert licence[0]["value"] == "110310113000123"
    assert licence[0]["type"]["coding"][0]["code"] == "LN"
    texts = [q["code"]["text"] for q in body["qualification"]]
    assert "主治医师" in texts
    assert any("复旦大学" in text for text in texts)
    licence_qualification = body["qualification"][0]
    assert licence_qualification["issuer"] == {"reference": f"Organization/{world.a.pk}"}
    assert licence_qualification["period"] == {"start": "2012-03-01"}
    assert person.id_number not in str(body)


def test_a_practitioner_role_is_an_appointment(world, client):
    appointment = world.a_ward_nurse.appointments.get()
    login(client, world.hospital_a)
    body = fhir_get(client, f"/fhir/PractitionerRole/{appointment.pk}")
    assert body["practitioner"] == {
        "reference": f"Practitioner/{world.a_ward_nurse.pk}",
        "display": "赵护士",
    }
    assert body["organization"]["reference"] == f"Organization/{world.a.pk}"
    assert body["code"] == [{"text": "医师"}]
    assert body["specialty"][0]["text"] == "心内二病区"
    assert body["specialty"][0]["coding"][0]["code"] == str(world.a_cardio_ward.pk)
    assert body["period"] == {"start": "2015-07-01"}
    assert body["active"] is True


def test_an_ended_appointment_is_an_inactive_role(world, client):
    appointment = services.appointment_add(
        person=world.b_doctor,
        institution=world.a,
        department=world.a_surgery,
        position="住院医师",
        start_on=datetime.date(2010, 9, 1),
        end_on=datetime.date(2014, 8, 31),
    )
    login(client, world.commission)
    body = fhir_get(client, f"/fhir/PractitionerRole/{appointment.pk}")
    assert body["active"] is False
    assert body["period"] == {"start": "2010-09-01", "end": "2014-08-31"}


def test_an_organization_is_an_institution_with_its_region(world, client):
    login(client, world.commission)
    body = fhir_get(client, f"/fhir/Organization/{world.partner.pk}")
    assert body["name"] == "沪上合作医院"
    assert body["active"] is True
    assert body["address"][0]["state"] == "上海市"
    assert body["address"][0]["district"] == "徐汇区"
    assert body["address"][0]["text"] == "上海市徐汇区"
    kinds = {coding["code"] for coding in body["type"][0]["coding"]}
    assert kinds == {"prov", "general"}


def test_the_capability_statement_is_open_and_lists_the_three_resources(client):
    body = fhir_get(client, "/fhir/metadata")
    assert body["fhirVersion"] == "4.0.1"
    rest = body["rest"][0]
    assert [r["type"] for r in rest["resource"]] == [
        "Practitioner",
        "PractitionerRole",
        "Organization",
    ]
    practitioner = rest["resource"][0]
    assert {p["name"] for p in practitioner["searchParam"]} == {
        "_id",
        "identifier",
        "name",
        "organization",
    }


def test_a_search_bundle_validates_and_links_its_pages(world, client):
    login(client, world.commission)
    body = fhir_get(client, "/fhir/Practitioner?_count=2")
    validate(body)
    assert body["total"] == 5
    assert len(body["entry"]) == 2
    links = {link["relation"]: link["url"] for link in body["link"]}
    assert set(links) == {"self", "first", "next", "last"}
    assert "_offset=4" in links["last"]
    assert body["entry"][0]["fullUrl"].endswith(
        f"/fhir/Practitioner/{body['entry'][0]['resource']['id']}"
    )
    seen = [entry["resource"]["id"] for entry in body["entry"]]
    while "next" in links:
        page = fhir_get(client, links["next"])
        seen += [entry["resource"]["id"] for entry in page["entry"]]
        links = {link["relation"]: link["url"] for link in page["link"]}
    assert len(seen) == len(set(seen)) == 5
    assert seen == sorted(seen, key=int)


def test_a_count_of_zero_returns_only_the_total(world, client):
    login(client, world.commission)
    body = fhir_get(client, "/fhir/Organization?_count=0")
    assert body["total"] == 3
    assert "entry" not in body


def test_a_count_above_the_maximum_is_capped(world, client):
    login(client, world.commission)
    body = fhir_get(client, "/fhir/Organization?_count=100000")
    self_link = next(link["url"] for link in body["link"] if link["relation"] == "self")
    assert "_count=100&" in self_link


def test_searches_filter_by_name_and_organization(world, client):
    login(client, world.commission)
    by_name = fhir_get(client, "/fhir/Practitioner?name=心怡")
    assert [e["resource"]["id"] for e in by_name["entry"]] == [str(world.a_doctor.pk)]
    by_initials = fhir_get(client, "/fhir/Practitioner?name=zhs")
    assert [e["resource"]["id"] for e in by_initials["entry"]] == [str(world.a_ward_nurse.pk)]
    at_b = fhir_get(client, f"/fhir/Practitioner?organization=Organization/{world.b.pk}")
    assert [e["resource"]["id"] for e in at_b["entry"]] == [str(world.b_doctor.pk)]
    roles = fhir_get(client, f"/fhir/PractitionerRole?practitioner={world.a_surgeon.pk}")
    assert [e["resource"]["practitioner"]["display"] for e in roles["entry"]] == ["周外科"]
    roles_at_a = fhir_get(client, f"/fhir/PractitionerRole?organization={world.a.pk}")
    assert roles_at_a["total"] == 3
    orgs = fhir_get(client, "/fhir/Organization?name=社区")
    assert [e["resource"]["id"] for e in orgs["entry"]] == [str(world.b.pk)]
