"""Authentication, bad parameters, unknown ids and types: each an OperationOutcome."""

import pytest
from rest_framework.authtoken.models import Token

from tests.conftest import login
from tests.fhir.helpers import fhir_get, ids

URLS = [
    "/fhir/Practitioner",
    "/fhir/Practitioner/1",
    "/fhir/PractitionerRole",
    "/fhir/PractitionerRole/1",
    "/fhir/Organization",
    "/fhir/Organization/1",
]


@pytest.mark.parametrize("url", URLS)
def test_it_asks_an_anonymous_client_to_authenticate(db, client, url):
    body = fhir_get(client, url, status=401)
    assert body["issue"][0]["code"] == "login"
    assert client.get(url)["WWW-Authenticate"] == "Token"


def test_it_refuses_a_wrong_token(db, client):
    body = fhir_get(client, "/fhir/Practitioner", status=401, HTTP_AUTHORIZATION="Token nope")
    assert body["issue"][0]["severity"] == "error"


def test_a_token_sees_what_its_user_may_see(world, client):
    token = Token.objects.create(user=world.hospital_b)
    bundle = fhir_get(client, "/fhir/Practitioner", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert ids(bundle) == {world.b_doctor.pk}


@pytest.mark.parametrize(
    "query",
    [
        "/fhir/Practitioner?_count=abc",
        "/fhir/Practitioner?_count=-1",
        "/fhir/Practitioner?_offset=x",
        "/fhir/Practitioner?gender=male",  # not a supported parameter
        "/fhir/Practitioner?name:exact=李心怡",  # modifiers are not supported
        "/fhir/Practitioner?name=李&name=王",
        "/fhir/Practitioner?organization=abc",
        "/fhir/Practitioner?organization=Practitioner/1",
        "/fhir/Practitioner?_id=not*an*id",
        "/fhir/PractitionerRole?practitioner=Organization/1",
        "/fhir/PractitionerRole?identifier=abc",
        "/fhir/PractitionerRole?organization=1.5",
        "/fhir/Organization?identifier=|",
        "/fhir/Organization?name=x&_sort=name",
    ],
)
def test_bad_parameters_get_400_with_a_chinese_diagnostic(world, client, query):
    login(client, world.commission)
    body = fhir_get(client, query, status=400)
    issue = body["issue"][0]
    assert issue["code"] == "invalid"
    assert any("\u4e00" <= char <= "\u9fff" for char in issue["diagnostics"])


@pytest.mark.parametrize(
    "url", ["/fhir/Practitioner/999999", "/fhir/Practitioner/abc", "/fhir/Organization/0"]
)
def test_unknown_ids_get_404(world, client, url):
    login(client, world.commission)
    assert fhir_get(client, url, status=404)["issue"][0]["code"] == "not-found"


def test_unknown_resource_types_get_404(world, client):
    login(client, world.commission)
    assert fhir_get(client, "/fhir/Patient/1", status=404)["issue"][0]["code"] == "not-supported"


def test_only_reads_are_allowed(world, client):
    token = Token.objects.create(user=world.commission)
    response = client.post("/fhir/Practitioner", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 405
    assert response.json()["resourceType"] == "OperationOutcome"


def test_only_json_is_offered(world, client):
    login(client, world.commission)
    fhir_get(client, "/fhir/Organization?_format=xml", status=406)
    fhir_get(client, "/fhir/Organization?_format=json")
    response = client.get("/fhir/Organization", HTTP_ACCEPT="application/json")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/Practitioner/99999999999999999999",
        "/fhir/PractitionerRole/9999999999",
        "/fhir/Organization/9999999999",
    ],
)
def test_ids_beyond_any_key_are_not_found_rather_than_failing(world, client, url):
    login(client, world.commission)
    outcome = fhir_get(client, url, status=404)
    assert outcome["issue"][0]["code"] == "not-found"


@pytest.mark.parametrize(
    "url",
    [
        "/fhir/Practitioner?_id=9999999999",
        "/fhir/Practitioner?organization=9999999999",
        "/fhir/PractitionerRole?practitioner=9999999999",
        "/fhir/PractitionerRole?identifier=9999999999",
    ],
)
def test_search_ids_beyond_any_key_find_nothing(world, client, url):
    login(client, world.commission)
    assert fhir_get(client, url)["total"] == 0


def test_a_huge_offset_is_refused(world, client):
    login(client, world.commission)
    outcome = fhir_get(client, "/fhir/Practitioner?_offset=99999999999999999999", status=400)
    assert outcome["issue"][0]["severity"] == "error"


def test_diagnostics_do_not_quote_the_value_sent(world, client):
    """An identity number typed into the wrong parameter is not sent back."""
    login(client, world.commission)
    number = world.a_doctor.id_number
    for url in (
        f"/fhir/Practitioner?organization={number[:17]}Y",
        f"/fhir/Practitioner?_count={number[:17]}X",
        f"/fhir/PractitionerRole?identifier={number[:17]}X",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert number[:14] not in response.content.decode(), url
