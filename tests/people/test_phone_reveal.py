"""A staff member's phone, revealed as the identity number is: its own permission, audited."""

import pytest

from tests.conftest import login
from yicai.access import audit
from yicai.access.models import AuditEntry
from yicai.access.scope import has_perm
from yicai.people import services

PHONE = "13912345678"
BUTTON = "查看完整手机号（将记入审计日志）"


@pytest.fixture
def with_phone(world):
    services.person_update(person=world.a_doctor, phone=PHONE)
    return world.a_doctor


def test_the_hospital_reveals_a_phone_in_place_and_it_is_audited(world, client, with_phone):
    login(client, world.hospital_a)
    page = client.get(f"/people/{with_phone.pk}/").content.decode()
    assert PHONE not in page and BUTTON in page and "*******5678" in page
    response = client.post(f"/people/{with_phone.pk}/reveal-phone/", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.startswith('<span id="phone">') and PHONE in fragment
    assert BUTTON not in fragment and "<html" not in fragment
    entry = AuditEntry.objects.filter(event="reveal_phone").get()
    assert entry.actor == world.hospital_a and entry.actor_institution == world.a
    assert entry.object_pk == str(with_phone.pk)
    assert entry.object_repr == "查看 李心怡 的完整手机号码"
    assert PHONE not in str(entry.additional_data)
    assert audit.verify().ok


@pytest.mark.parametrize("persona", ["dept_head", "mentor", "trainee", "auditor", "security"])
def test_roles_without_the_permission_see_no_button_and_get_403(world, client, with_phone, persona):
    user = getattr(world, persona)
    assert not has_perm(user, "person.reveal_phone")
    login(client, user)
    page = client.get(f"/people/{with_phone.pk}/")
    assert BUTTON not in page.content.decode()
    response = client.post(f"/people/{with_phone.pk}/reveal-phone/")
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(event="reveal_phone").exists()


def test_hospital_b_cannot_reveal_the_phone_of_someone_in_a(world, client, with_phone):
    login(client, world.hospital_b)
    response = client.post(f"/people/{with_phone.pk}/reveal-phone/")
    assert response.status_code == 404 and PHONE not in response.content.decode()
    assert not AuditEntry.objects.filter(event="reveal_phone").exists()


def test_the_reveal_needs_a_post(world, client, with_phone):
    login(client, world.hospital_a)
    assert client.get(f"/people/{with_phone.pk}/reveal-phone/").status_code == 405


def test_no_button_when_there_is_no_phone(world, client):
    login(client, world.hospital_a)
    assert BUTTON not in client.get(f"/people/{world.a_surgeon.pk}/").content.decode()
