"""Property-based run of the live OpenAPI schema (schemathesis, in-process over WSGI), signed in
with hospital A's administrator's token: no answer is a server error and every answer matches
the schema (status code, content type, body). Examples are bounded to keep it quick."""

import io
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(world) -> str:
    call_command("token", "hospital_a", stdout=io.StringIO())
    return Token.objects.get(user=world.hospital_a).key


def _generated_schema() -> dict:
    """The document /api/schema/ serves, generated in-process (collection needs no database)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


SCHEMA = _generated_schema()
schema = schemathesis.openapi.from_dict(SCHEMA)
schema.app = WSGIHandler()
# The examples and fuzzing phases (positive and negative data) run, bounded by max_examples.
# The coverage phase is deterministic but unbounded (about 1,900 requests, 45 s more); the
# boundary cases it tries are covered by test_api_validation.py and the methods test below.
schema.config.phases.coverage.enabled = False


@pytest.fixture
def wsgi_keeps_the_test_connection():
    # The WSGI handler would close the test's connection (and its transaction) after each
    # request; Django's own test client avoids that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_schema_tested_is_the_one_served(world, as_api):
    served = as_api(world.hospital_a).get("/api/schema/?format=json")
    assert served.status_code == 200
    assert served.json() == SCHEMA


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, token, wsgi_keeps_the_test_connection):
    response = case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
    assert response.status_code < 500  # also among CHECKS; said here so the test reads alone


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "DELETE", "PUT"])
@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/people/1/titles/"])
def test_unexpected_methods_are_answered_without_a_server_error(world, token, method, path):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.generic(method, path)
    assert response.status_code in (200, 405)
    if response.status_code == 405:
        assert response["Allow"]
