"""Identity numbers: searchable in full through the blind index, never sent back in full."""

import datetime
from urllib.parse import parse_qs, urlsplit

from tests.conftest import login
from tests.fhir.helpers import fhir_get, fhir_search, ids
from yicai.fhir import resources as fhir
from yicai.people import services


def _body(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def _posted_body(client, url: str) -> str:
    path, _sep, query = url.partition("?")
    response = client.post(
        f"{path}/_search", query, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_full_identity_number_finds_exactly_that_person_and_is_not_echoed(world, client):
    login(client, world.hospital_a)
    number = world.a_surgeon.id_number
    for query in (number, f"{fhir.RESIDENT_ID_SYSTEM}|{number}", number.lower()):
        url = f"/fhir/Practitioner?identifier={query}"
        bundle = fhir_search(client, url)
        assert ids(bundle) == {world.a_surgeon.pk}
        assert bundle["total"] == 1
        text = _posted_body(client, url)
        assert number not in text
        assert number.lower() not in text
        assert number[:14] not in text  # not even the part the mask hides


def test_a_full_identity_number_outside_the_scope_finds_nobody(world, client):
    login(client, world.hospital_a)
    url = f"/fhir/Practitioner?identifier={world.b_doctor.id_number}"
    bundle = fhir_search(client, url)
    assert bundle["total"] == 0
    assert world.b_doctor.id_number not in _posted_body(client, url)


def test_roles_are_found_by_their_practitioners_identity_number(world, client):
    login(client, world.commission)
    number = world.a_ward_nurse.id_number
    url = f"/fhir/PractitionerRole?practitioner.identifier={number}"
    bundle = fhir_search(client, url)
    assert ids(bundle) == {world.a_ward_nurse.appointments.get().pk}
    assert number not in _posted_body(client, url)


def test_no_resource_and_no_error_contains_a_full_number(world, client):
    login(client, world.commission)
    numbers = [getattr(world, key).id_number for key in ("a_doctor", "b_doctor")]
    urls = [
        "/fhir/Practitioner?_count=100",
        f"/fhir/Practitioner/{world.a_doctor.pk}",
        "/fhir/PractitionerRole?_count=100",
        f"/fhir/Practitioner?identifier={numbers[0][:-1]}0",  # wrong check digit: 400
    ]
    for url in urls:
        response = client.get(url)
        for number in numbers:
            assert number[:14] not in response.content.decode(), url


def test_a_bad_identity_number_is_refused_and_not_echoed(world, client):
    login(client, world.commission)
    number = world.a_doctor.id_number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    body = fhir_get(
        client, f"/fhir/Practitioner?identifier={fhir.RESIDENT_ID_SYSTEM}|{wrong}", status=400
    )
    assert "身份证" in body["issue"][0]["diagnostics"]
    assert wrong not in str(body)
    body = fhir_get(
        client, f"/fhir/Practitioner?identifier={fhir.RESIDENT_ID_SYSTEM}|12345", status=400
    )
    assert body["issue"][0]["code"] == "invalid"


def test_a_masked_number_is_not_a_search_key(world, client):
    login(client, world.commission)
    masked = world.a_doctor.id_number_masked
    body = fhir_get(client, f"/fhir/Practitioner?identifier={masked}", status=400)
    assert "脱敏" in body["issue"][0]["diagnostics"]


def test_a_licence_number_finds_its_holder(world, client):
    services.licence_add(
        person=world.b_doctor,
        number="141310113000777",
        category="1",
        issued_on=datetime.date(2015, 1, 1),
    )
    login(client, world.hospital_b)
    assert ids(fhir_get(client, "/fhir/Practitioner?identifier=141310113000777")) == {
        world.b_doctor.pk
    }
    with_system = f"/fhir/Practitioner?identifier={fhir.LICENCE_SYSTEM}|141310113000777"
    assert ids(fhir_get(client, with_system)) == {world.b_doctor.pk}
    other_system = "/fhir/Practitioner?identifier=urn:example:other|141310113000777"
    assert ids(fhir_get(client, other_system)) == set()
    login(client, world.hospital_a)
    assert ids(fhir_get(client, "/fhir/Practitioner?identifier=141310113000777")) == set()


def test_organizations_are_found_by_their_code(world, client):
    world.b.code = "12310113MB0000001X"
    world.b.save(update_fields=["code"])
    login(client, world.commission)
    bundle = fhir_get(client, "/fhir/Organization?identifier=12310113MB0000001X")
    assert ids(bundle) == {world.b.pk}
    assert bundle["entry"][0]["resource"]["identifier"] == [
        {"use": "official", "system": fhir.INSTITUTION_CODE_SYSTEM, "value": "12310113MB0000001X"}
    ]


def test_paging_links_carry_the_blind_index_and_still_find_the_person(world, client):
    services.appointment_add(
        person=world.a_doctor,
        institution=world.a,
        department=world.a_surgery,
        start_on=datetime.date(2009, 9, 1),
        end_on=datetime.date(2015, 6, 30),
    )
    login(client, world.hospital_a)
    number = world.a_doctor.id_number
    first = fhir_search(client, f"/fhir/PractitionerRole?practitioner.identifier={number}&_count=1")
    assert first["total"] == 2
    links = {link["relation"]: link["url"] for link in first["link"]}
    index = parse_qs(urlsplit(links["next"]).query)["practitioner.identifier"][0]
    assert index.startswith(f"{fhir.RESIDENT_ID_INDEX_SYSTEM}|")
    assert number not in str(first)
    second = fhir_get(client, links["next"])
    assert ids(first) | ids(second) == set(world.a_doctor.appointments.values_list("pk", flat=True))
    by_index = fhir_get(client, f"/fhir/Practitioner?identifier={index}")
    assert ids(by_index) == {world.a_doctor.pk}
