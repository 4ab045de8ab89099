"""A full identity number is searched with POST [base]/<type>/_search (a form body, standard
FHIR), never in a URL: a GET carrying one is refused with an OperationOutcome saying so."""

import pytest

from tests.conftest import login
from tests.fhir.helpers import fhir_get, fhir_search, ids
from yicai.fhir import resources as fhir

FORM = "application/x-www-form-urlencoded"


def test_post_search_finds_a_practitioner_by_full_number_without_echoing_it(world, client):
    login(client, world.hospital_a)
    number = world.a_surgeon.id_number
    response = client.post("/fhir/Practitioner/_search", f"identifier={number}", FORM)
    assert response.status_code == 200
    body = response.json()
    assert ids(body) == {world.a_surgeon.pk}
    assert number not in response.content.decode()
    # The Bundle's own links are GET links that carry the keyed blind index instead.
    for link in body["link"]:
        assert "/fhir/Practitioner?" in link["url"] and "_search" not in link["url"]
        assert number[:14] not in link["url"]
        assert fhir_get(client, link["url"])["total"] == 1


@pytest.mark.parametrize(
    "path",
    ["/fhir/Practitioner", "/fhir/PractitionerRole", "/fhir/Organization"],
)
def test_every_searched_type_answers_post_search(world, client, path):
    login(client, world.commission)
    posted = fhir_search(client, f"{path}?_count=100")
    assert posted["total"] == fhir_get(client, f"{path}?_count=100")["total"] > 0


def test_post_search_combines_body_and_query_string_and_keeps_the_rules(world, client):
    login(client, world.commission)
    number = world.a_ward_nurse.id_number
    body = fhir_search(
        client, f"/fhir/PractitionerRole?practitioner.identifier={number}&organization={world.a.pk}"
    )
    assert ids(body) == {world.a_ward_nurse.appointments.get().pk}
    unknown = client.post("/fhir/Practitioner/_search", "colour=red", FORM)
    assert unknown.status_code == 400 and unknown.json()["resourceType"] == "OperationOutcome"


@pytest.mark.parametrize(
    "query",
    [
        "/fhir/Practitioner?identifier={n}",
        "/fhir/Practitioner?identifier=" + fhir.RESIDENT_ID_SYSTEM + "|{n}",
        "/fhir/Practitioner?identifier={wrong}",  # a wrong check digit is still a number
        "/fhir/PractitionerRole?practitioner.identifier={n}",
    ],
)
def test_a_get_with_a_full_number_is_refused_pointing_to_post(world, client, query):
    login(client, world.commission)
    number = world.a_doctor.id_number
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    outcome = fhir_get(client, query.format(n=number, wrong=wrong), status=400)
    text = outcome["issue"][0]["diagnostics"]
    assert "POST" in text and "_search" in text
    assert number[:14] not in str(outcome)


def test_a_full_number_in_the_query_string_of_a_post_search_is_refused_too(world, client):
    login(client, world.commission)
    number = world.a_doctor.id_number
    response = client.post(f"/fhir/Practitioner/_search?identifier={number}", "", FORM)
    assert response.status_code == 400 and "_search" in response.json()["issue"][0]["diagnostics"]


def test_a_licence_number_may_still_be_searched_by_get(world, client):
    login(client, world.commission)
    assert fhir_get(client, "/fhir/Practitioner?identifier=141310113000777")["total"] == 0


def test_a_post_search_that_is_not_a_form_gets_an_operation_outcome(world, client):
    login(client, world.commission)
    response = client.post("/fhir/Practitioner/_search", '{"name": "x"}', "application/json")
    assert response.status_code == 415
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_get_of_search_is_told_to_post(world, client):
    login(client, world.commission)
    outcome = fhir_get(client, "/fhir/Practitioner/_search", status=405)
    assert "POST" in outcome["issue"][0]["diagnostics"]
