"""Token and session authentication: `yicai token` issues and audits a token; a token works
without a browser session's second factor, is refused while an administrator's password reset
is pending, and writes carry its user as the audit actor. Anonymous calls get 401; schema and
docs are for signed-in users only and load nothing from outside."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from yicai.access import services as access_services
from yicai.access.models import AuditEntry, Role


def _token(username: str, *args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", username, *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_yicai_token_prints_the_same_token_until_rotated_and_audits_each_print(world):
    key = _token("hospital_a")
    assert re.fullmatch(r"[0-9a-f]{40}", key)
    assert Token.objects.get(user=world.hospital_a).key == key
    assert _token("hospital_a") == key
    rotated = _token("hospital_a", "--rotate")
    assert rotated != key
    assert not Token.objects.filter(key=key).exists()
    entries = AuditEntry.objects.filter(
        event=AuditEntry.Event.USER_CHANGE, object_pk=str(world.hospital_a.pk)
    )
    actions = [
        entry.additional_data["api_token"]
        for entry in entries.order_by("pk")
        if "api_token" in (entry.additional_data or {})
    ]
    assert actions == ["created", "shown", "rotated"]
    assert all(
        key not in str(entry.additional_data) and rotated not in str(entry.additional_data)
        for entry in entries
    )


def test_yicai_token_refuses_unknown_and_disabled_users(world):
    with pytest.raises(CommandError, match="no such user"):
        _token("ghost")
    access_services.user_disable(user=world.trainee)
    with pytest.raises(CommandError, match="inactive"):
        _token("trainee")


def test_a_token_reads_the_users_scope_without_a_second_factor(world):
    # The commission's role requires a second factor on the web; the token stands in for it.
    client = _client(_token("commission"))
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 5
    client = _client(_token("hospital_b"))
    names = {row["name"] for row in client.get("/api/v1/people/").json()["results"]}
    assert names == {world.b_doctor.name}
    assert client.get(f"/api/v1/people/{world.a_doctor.pk}/").status_code == 404


def test_a_token_write_is_audited_as_its_user(world):
    client = _client(_token("hospital_a"))
    response = client.patch(
        f"/api/v1/people/{world.a_surgeon.pk}/", {"position": "副主任医师"}, format="json"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_pk=str(world.a_surgeon.pk)).order_by("pk").last()
    assert entry.actor_id == world.hospital_a.pk
    assert entry.actor_institution_id == world.a.pk


def test_a_token_of_an_account_awaiting_its_password_change_is_refused(world):
    user = access_services.user_create(
        username="fresh", password=factories.PASSWORD, must_change_password=True
    )
    access_services.role_assign(user=user, role=Role.INSTITUTION_ADMIN, institution=world.a)
    err = io.StringIO()
    call_command("token", "fresh", stdout=io.StringIO(), stderr=err)
    assert "must change the password" in err.getvalue()
    client = _client(Token.objects.get(user=user).key)
    response = client.get("/api/v1/people/")
    assert response.status_code == 403
    assert "修改密码" in response.json()["detail"]
    access_services.password_change(user=user, new_password="Another-Pass-2026!")
    assert client.get("/api/v1/people/").status_code == 200


def test_a_token_outlives_the_password_age_limit(world):
    client = _client(_token("hospital_a"))
    long_ago = timezone.now() - datetime.timedelta(days=400)  # the clock moves on
    get_user_model().objects.filter(pk=world.hospital_a.pk).update(password_changed_at=long_ago)
    assert client.get("/api/v1/people/").status_code == 200


def test_a_token_of_a_user_without_a_role_sees_nothing(world):
    client = _client(_token("nobody"))
    for url in ("/api/v1/people/", "/api/v1/institutions/", "/api/v1/departments/"):
        assert client.get(url).status_code == 403, url
    client = _client(_token("auditor"))
    assert client.get("/api/v1/people/").status_code == 403


@pytest.mark.parametrize(
    "header", [None, "Token 0000000000000000000000000000000000000000", "Token", "Bearer x"]
)
def test_anonymous_and_bad_tokens_get_401(world, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/people/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_session_still_owing_its_second_factor_gets_no_data(world):
    client = APIClient()
    client.force_login(world.commission)  # no second factor in this session
    response = client.get("/api/v1/people/")
    assert response.status_code == 302
    assert "/otp" in response["Location"]


def test_a_session_write_needs_the_csrf_token(world):
    from tests.conftest import login

    client = login(APIClient(enforce_csrf_checks=True), world.hospital_a)
    response = client.patch(
        f"/api/v1/people/{world.a_surgeon.pk}/", {"position": "x"}, format="json"
    )
    assert response.status_code == 403


def test_schema_and_docs_need_a_signed_in_user(world, as_api):
    assert APIClient().get("/api/schema/").status_code == 401
    docs = APIClient().get("/api/docs/")
    assert docs.status_code == 302 and "/accounts/login/" in docs["Location"]
    api = as_api(world.trainee)
    schema = api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/people/{id}/" in schema.json()["paths"]


def test_swagger_ui_is_served_locally(world, as_api):
    page = as_api(world.hospital_a).get("/api/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources), sources


def _drf_views(resolver=None, prefix=""):
    """Every DRF view the URLconf routes, with its path pattern."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _drf_views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "cls", None) or getattr(
                entry.callback, "view_class", None
            )
            initkwargs = getattr(entry.callback, "initkwargs", {}) or {}
            if view is not None and hasattr(view, "permission_classes"):
                classes = initkwargs.get("permission_classes", view.permission_classes)
                yield prefix + str(entry.pattern), view, list(classes)


def test_every_machine_entry_point_applies_the_one_readiness_rule():
    from yicai.access.permissions import AccountReady
    from yicai.fhir.views import Capability

    views = list(_drf_views())
    assert len(views) > 50  # the API, FHIR and the schema are all walked
    for pattern, view, classes in views:
        if view is Capability:  # FHIR's metadata is open to all and holds no data
            assert classes == []
            continue
        assert AccountReady in classes, pattern


def test_a_token_awaiting_its_password_change_reads_nothing_from_fhir_either(world):
    user = access_services.user_create(
        username="fresh", password=factories.PASSWORD, must_change_password=True
    )
    access_services.role_assign(user=user, role=Role.INSTITUTION_ADMIN, institution=world.a)
    call_command("token", "fresh", stdout=io.StringIO(), stderr=io.StringIO())
    client = _client(Token.objects.get(user=user).key)
    for url in ("/fhir/Practitioner", f"/fhir/Practitioner/{world.a_surgeon.pk}", "/api/schema/"):
        response = client.get(url)
        assert response.status_code == 403, url
    outcome = client.get("/fhir/Practitioner").json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "修改密码" in outcome["issue"][0]["diagnostics"]
    access_services.password_change(user=user, new_password="Another-Pass-2026!")
    assert client.get("/fhir/Practitioner").status_code == 200
