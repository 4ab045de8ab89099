"""Hostile values in every parameter of every list, filter, API and FHIR endpoint: no answer is
a server error, the API answers JSON, FHIR answers an OperationOutcome, never HTML.

The endpoints come from the URL configuration (pages), the OpenAPI document (API) and the
CapabilityStatement (FHIR), so a new one is fuzzed without being listed here. A page's
parameters are the field names its own HTML offers, plus the common ones. Each endpoint gets
every hostile value in all its parameters at once, and each parameter alone the sharpest
values (a deterministic sample keeps it quick on both databases). A page is sent what the
middleware refuses for every page only once, and its parameters one by one only where the
view refused them together.
"""

import base64
import functools
import json
import re
from urllib.parse import quote

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import login
from yicai import picker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("untraced_templates")]

# Longer than any column, and than a PostgreSQL index entry may be (2,704 bytes; this is 6,000).
LONG = "长" * 2_000
INVALID_UTF8 = b"\xff\xfe\xc3("  # not UTF-8: sent as raw bytes in the query string


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# Paging cursors as the server would sign none: nested too deep, and keys of the wrong kinds.
DEEP_CURSOR = _cursor("[" * 5_000)
ODD_CURSOR = _cursor('{"after": [null, "\\u0000", [1], 1e999], "before": {}, "n": "x"}')
# Refused by `HostileInputMiddleware` before a page's view runs, whatever the page (a control
# character, a whole number beyond 64 bits): a page is sent them once, each in one parameter.
# The API reads its query parameters itself and gets them all like the rest.
BEFORE_THE_VIEW = [
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999",
    "1" * 5_000,
    "a\x00b",
    "\x1f",
]
# Sent in all of an endpoint's parameters at once (a page: those that reach its view).
TO_THE_VIEW = [
    "²",
    "９",
    "-1",
    "1e3",
    "%",
    "'; --",
    "[]",
    "2024-02-30",
    "0000-00-00",
    LONG,
    INVALID_UTF8,
    DEEP_CURSOR,
    ODD_CURSOR,
]
HOSTILE = TO_THE_VIEW + BEFORE_THE_VIEW
# Sent in each parameter alone, one in turn: the values that crashed something.
SHARP = ["²", "9223372036854775808", "a\x00b", INVALID_UTF8, "99999999999999999999", DEEP_CURSOR]
SHARP_TO_THE_VIEW = [value for value in SHARP if value not in BEFORE_THE_VIEW]
# Read by hand by some views rather than through a form.
COMMON = [
    "q",
    "page",
    "cursor",
    "institution",
    "department",
    "person",
    "kind",
    "relation",
    "status",
    "year",
    "month",
    "held_on",
    "sort",
    "next",
    "export",
]
HOSTILE_NAMES = {"a\x00": "1", "b\x01c": "1"}  # in parameter names too
SKIP_FIELDS = {"csrfmiddlewaretoken", "password", "old_password", "new_password1", "new_password2"}
GET_FORM = re.compile(r'<form\b(?![^>]*method="post")[^>]*>(.*?)</form>', re.S | re.I)
NAME_ATTR = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


@functools.cache  # the same few values, thousands of times: LONG alone is 18,000 characters
def encoded(value) -> str:
    if isinstance(value, bytes):
        return "".join(f"%{byte:02X}" for byte in value)
    return quote(value, safe="")


def query(params: dict) -> str:
    return "&".join(f"{encoded(name)}={encoded(value)}" for name, value in params.items())


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


ROUTES = [route for route, _p in _walk(get_resolver().url_patterns)]
PAGE_ROUTES = [
    route
    for route in ROUTES
    if not route.startswith(("api/", "fhir/", "pick/", "i18n/", "accounts/log", "accounts/otp"))
]
PLAIN_PAGES = [route for route in PAGE_ROUTES if "<" not in route]
PAGES_WITH_IDS = [route for route in PAGE_ROUTES if "<" in route]


def fill(route: str, value) -> str:
    """The route with every path parameter set to `value` (or a well-formed stand-in where the
    converter would not match it)."""

    value = value.decode("latin-1") if isinstance(value, bytes) else value

    def one(match):
        converter = match.group(1) or "str"
        if converter == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        if converter == "int":
            return value if value.isascii() and value.isdigit() else "1"
        if converter == "slug":
            return value if re.fullmatch(r"[-\w]+", value, re.ASCII) else "x"
        return encoded(value) or "x"

    return "/" + CONVERTER.sub(one, route)


class Fuzz:
    """Sends requests, each in a savepoint (an error on PostgreSQL must not poison the next),
    and keeps every server error with what caused it."""

    def __init__(self, client):
        self.client = client
        self.problems: list[str] = []
        self.sent = 0

    def report(self) -> str:
        return f"{len(self.problems)} of {self.sent} requests:\n" + "\n".join(self.problems[:30])

    def send(self, method: str, url: str, *, body=None, content_type=None, check=None):
        self.sent += 1
        label = f"{method} {url[:160]!r}"
        try:
            with transaction.atomic():
                if body is None:
                    response = getattr(self.client, method.lower())(url)
                else:
                    response = getattr(self.client, method.lower())(
                        url, body, content_type=content_type
                    )
        except Exception as error:  # every exception escaping a view is a 500
            self.problems.append(f"{label}: {type(error).__name__}: {str(error)[:120]}")
            return None
        if response.status_code >= 500:
            self.problems.append(f"{label}: {response.status_code}")
        elif check and (wrong := check(response)):
            self.problems.append(f"{label}: {wrong}")
        return response

    def params(self, path: str, names, check=None, *, thorough=False) -> None:
        """Every hostile value in all `names` at once; then each name alone with one sharp
        value in turn (`thorough`: with every hostile value, for endpoints that refuse a
        search as a whole when one parameter is wrong, as FHIR does)."""
        names = sorted(set(names))
        for value in HOSTILE:
            self.send("GET", f"{path}?{query(dict.fromkeys(names, value))}", check=check)
        for index, name in enumerate(names):
            values = HOSTILE if thorough else [SHARP[index % len(SHARP)]]
            for value in values:
                self.send("GET", f"{path}?{query({name: value})}", check=check)
        self.send("GET", f"{path}?{query(HOSTILE_NAMES)}", check=check)

    def page_params(self, path: str, names) -> None:
        """A page's parameters: what the middleware refuses, once (it must answer 400); every
        value that reaches the view in all `names` at once; then, where the view refused the
        names together (a refusal at one may hide what the view does with the next), each
        name alone with one sharp value in turn."""
        names = sorted(set(names))
        before = {name: BEFORE_THE_VIEW[i % len(BEFORE_THE_VIEW)] for i, name in enumerate(names)}
        self.send("GET", f"{path}?{query(before)}", check=refused_before_the_view)
        refused = False
        for value in TO_THE_VIEW:
            response = self.send("GET", f"{path}?{query(dict.fromkeys(names, value))}")
            refused |= response is not None and response.status_code == 400
        if refused:
            for index, name in enumerate(names):
                value = SHARP_TO_THE_VIEW[index % len(SHARP_TO_THE_VIEW)]
                self.send("GET", f"{path}?{query({name: value})}")
        self.send("GET", f"{path}?{query(HOSTILE_NAMES)}")


def refused_before_the_view(response):
    return None if response.status_code == 400 else f"{response.status_code}, not refused"


def _persona_seeing(client, world, path: str):
    for persona in ("commission", "security", "auditor", "trainee", "mentor"):
        login(client, getattr(world, persona))
        response = client.get(path)
        if response.status_code == 200:
            return response
    return response


def _field_names(response) -> set[str]:
    if response is None or "html" not in response.get("Content-Type", ""):
        return set()
    text = response.content.decode("utf-8", "replace")
    return {
        name
        for form in GET_FORM.findall(text)
        for name in NAME_ATTR.findall(form)
        if name not in SKIP_FIELDS
    }


@pytest.mark.parametrize("route", PLAIN_PAGES)
def test_no_page_parameter_gives_a_server_error(client, world, route):
    path = "/" + route
    page = _persona_seeing(client, world, path)
    fuzz = Fuzz(client)
    fuzz.page_params(path, _field_names(page) | set(COMMON))
    assert not fuzz.problems, fuzz.report()


def test_no_id_in_a_page_address_gives_a_server_error(client, world):
    login(client, world.commission)
    fuzz = Fuzz(client)
    values = ("9223372036854775808", "a\x00b", INVALID_UTF8)
    urls = {fill(route, value) for route in PAGES_WITH_IDS for value in values}
    for url in sorted(urls):
        fuzz.send("GET", url)
        fuzz.send("POST", url)
    assert not fuzz.problems, fuzz.report()


# -- the API ---------------------------------------------------------------------------------


def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


SCHEMA = _schema()
API_PATHS = sorted(SCHEMA["paths"])


# Bodies no parser should choke on: nested too deep, a NUL escaped and raw, not UTF-8.
DEEP_AND_NUL_BODIES = ["[" * 100_000, '{"a":' * 100_000, '{"name": "a\\u0000b"}', "\x00"]
DEEP_AND_NUL_BODIES.append(b'{"name": "\xff"}')
# Every field of a request body at once.
BODY_VALUES = [2**63, -(2**63) - 1, 10**30, [2**63], "²", "9223372036854775808", 1e308, {"a": []}]


def _body_fields(operation: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return sorted(schema.get("properties", {}))


def api_check(response):
    if response.status_code >= 400 and "json" not in response.get("Content-Type", ""):
        return f"{response.status_code} answered as {response.get('Content-Type')}"
    return None


def _api_url(path: str, value: str) -> str:
    return re.sub(r"\{\w+\}", lambda _m: encoded(value) or "x", path)


@pytest.mark.parametrize("path", API_PATHS)
def test_no_api_parameter_gives_a_server_error(client, world, path):
    login(client, world.commission)
    fuzz = Fuzz(client)
    operations = SCHEMA["paths"][path]
    if "get" in operations and "{" not in path:
        names = {p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"}
        fuzz.params(path, names | set(COMMON), check=api_check)
    for value in ("²", "9223372036854775808", "a\x00b", "%"):
        if "{" in path:
            for method in operations:
                if method in ("get", "delete"):
                    fuzz.send(method.upper(), _api_url(path, value), check=api_check)
                else:
                    body = "{}"
                    fuzz.send(
                        method.upper(),
                        _api_url(path, value),
                        body=body,
                        content_type="application/json",
                        check=api_check,
                    )
    for method in set(operations) & {"post", "put", "patch"}:
        url = _api_url(path, "1")
        fields = _body_fields(operations[method])
        for value in BODY_VALUES:
            body = json.dumps(dict.fromkeys(fields, value))
            fuzz.send(
                method.upper(), url, body=body, content_type="application/json", check=api_check
            )
        for body in DEEP_AND_NUL_BODIES:
            fuzz.send(
                method.upper(), url, body=body, content_type="application/json", check=api_check
            )
    assert not fuzz.problems, fuzz.report()


# -- FHIR ------------------------------------------------------------------------------------


def fhir_check(response):
    content_type = response.get("Content-Type", "")
    if "fhir+json" not in content_type:
        return f"{response.status_code} answered as {content_type}"
    if response.status_code >= 400 and response.json().get("resourceType") != "OperationOutcome":
        return f"{response.status_code} without an OperationOutcome"
    return None


FHIR_TYPES = ["Practitioner", "PractitionerRole", "Organization"]


@pytest.mark.parametrize("resource_type", FHIR_TYPES)
def test_no_fhir_parameter_gives_a_server_error_or_html(client, world, resource_type):
    login(client, world.commission)
    statement = client.get("/fhir/metadata").json()
    (resource,) = [r for r in statement["rest"][0]["resource"] if r["type"] == resource_type]
    names = {p["name"] for p in resource.get("searchParam", [])}
    names |= {"_count", "_offset", "_format", "_id", "_sort", "_include", "q"}
    fuzz = Fuzz(client)
    fuzz.params(f"/fhir/{resource_type}", names, check=fhir_check, thorough=True)
    for value in SHARP + ["-1", "\x00", "%"]:
        fuzz.send("GET", f"/fhir/{resource_type}/{encoded(value) or 'x'}", check=fhir_check)
    for body in ("[" * 100_000, "\x00"):
        fuzz.send(
            "POST",
            f"/fhir/{resource_type}/_search",
            body=body,
            content_type="application/json",
            check=fhir_check,
        )
        fuzz.send(
            "POST",
            f"/fhir/{resource_type}/_search",
            body=f"name={encoded('a' + chr(0) + 'b')}",
            content_type="application/x-www-form-urlencoded",
            check=fhir_check,
        )
    assert not fuzz.problems, fuzz.report()


# -- the person pickers ----------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(picker._SOURCES))
def test_no_picker_parameter_gives_a_server_error(client, world, source):
    login(client, world.commission)
    fuzz = Fuzz(client)
    path = f"/pick/{source}/"
    names = {"q", "page", "cursor", "ids", "institution", "department", "programme", "event"}
    fuzz.params(path, names)
    for value in SHARP + ["\x00"]:
        fuzz.send(
            "POST",
            path,
            body=f"names={encoded(value)}",
            content_type="application/x-www-form-urlencoded",
        )
    assert not fuzz.problems, fuzz.report()


# -- what the issue found, answered in the endpoint's own words ---------------------------


def test_a_nul_in_a_page_filter_is_a_chinese_400_naming_the_parameter(client, world):
    login(client, world.commission)
    response = client.get("/org/?q=a%00b")
    assert response.status_code == 400
    assert "参数“q”含有不允许的控制字符" in response.content.decode()


def test_a_number_beyond_64_bits_in_a_page_filter_is_a_400(client, world):
    login(client, world.commission)
    response = client.get("/training/visits/calendar/?institution=9223372036854775808")
    assert response.status_code == 400
    assert "参数“institution”的数值超出范围" in response.content.decode()


def test_a_superscript_two_is_no_institution(client, world):
    login(client, world.commission)
    assert client.get("/people/?institution=%C2%B2").status_code == 400  # the filter's error
    response = client.get("/api/v1/people/?institution=%C2%B2")
    assert response.status_code == 400
    assert "institution" in response.json()


def test_the_api_answers_a_body_nested_too_deep_with_a_json_400(client, world):
    login(client, world.commission)
    response = client.post("/api/v1/people/", "[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}


def test_a_nul_in_a_json_body_names_its_field(client, world):
    login(client, world.commission)
    response = client.post(
        "/api/v1/institutions/", {"name": "a\x00b"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["name"]


@pytest.mark.parametrize(
    "search", ["name=a%00b", "identifier=a%00b", "practitioner.identifier=a%00b"]
)
def test_fhir_answers_a_nul_with_an_operation_outcome(client, world, search):
    login(client, world.commission)
    resource = "PractitionerRole" if search.startswith("practitioner.") else "Practitioner"
    response = client.get(f"/fhir/{resource}?{search}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    assert response.json()["resourceType"] == "OperationOutcome"


def test_a_picker_refuses_an_id_it_cannot_read(client, world):
    login(client, world.commission)
    for bad in ("page=%C2%B2", "page=0", "event=9223372036854775808", "event=%EF%BC%99"):
        response = client.get(f"/pick/training.learners/?{bad}")
        assert response.status_code == 400, bad
        assert "detail" in response.json()
