"""Requests to the FHIR endpoints and validation of what comes back."""

import json

from fhir.resources.R4B import get_fhir_model_class

FHIR_JSON = "application/fhir+json"


def validate(resource: dict):
    """Parse a resource with fhir.resources (its R4B models: fhir.resources 8 ships R5 at the
    top level and R4B, a compatible R4 revision, as a subpackage); a Bundle's entries too."""
    model = get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    for entry in resource.get("entry", []):
        validate(entry["resource"])
    return model


def fhir_get(client, url: str, status: int = 200, **headers) -> dict:
    response = client.get(url, **headers)
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = json.loads(response.content)
    validate(body)
    if status >= 400:
        assert body["resourceType"] == "OperationOutcome"
    return body


def fhir_search(client, url: str, status: int = 200) -> dict:
    """A search as FHIR's POST [base]/<type>/_search: the query string's parameters sent as
    a form body (how a full identity number is searched: never in a URL)."""
    path, _sep, query = url.partition("?")
    response = client.post(
        f"{path}/_search", query, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(FHIR_JSON)
    body = json.loads(response.content)
    validate(body)
    return body


def ids(bundle: dict) -> set[int]:
    assert bundle["type"] == "searchset"
    return {int(entry["resource"]["id"]) for entry in bundle.get("entry", [])}
