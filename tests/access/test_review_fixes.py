"""Holes found in review, each closed and kept closed."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from tests.conftest import login
from yicai.access import audit, services
from yicai.access.models import AuditEntry, Role, User
from yicai.org.models import Region


def _totp(user) -> str:
    from django_otp.oath import TOTP

    device = services.totp_device_ensure(user=user)
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


def test_the_second_factor_never_redirects_off_site(world, client):
    client.force_login(world.commission, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/accounts/otp/?next=https://evil.example/phish", {"token": _totp(world.commission)}
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_the_second_factor_comes_before_a_forced_password_change(world, client):
    User.objects.filter(pk=world.commission.pk).update(must_change_password=True)
    client.force_login(world.commission, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/accounts/password/").headers["Location"] == "/accounts/otp/"


def test_an_institution_admin_cannot_hand_their_institution_to_another_commission(world, client):
    login(client, world.hospital_a)
    form = client.get(f"/org/{world.a.pk}/edit/").context["form"]
    assert "commission_region" not in form.fields and "relation" not in form.fields
    beijing = Region.objects.get(code="110101")
    client.post(
        f"/org/{world.a.pk}/edit/",
        {
            "name": world.a.name,
            "kind": "general",
            "grade": "2",
            "region": world.a.region_id,
            "commission_region": beijing.pk,
            "relation": "partner",
            "active": "on",
        },
    )
    world.a.refresh_from_db()
    assert world.a.commission_region.code == "310113" and world.a.relation == "managed"


@pytest.mark.parametrize("oversight", [Role.SECURITY_ADMIN, Role.AUDITOR])
def test_oversight_roles_hold_no_other_role(world, oversight):
    holder = world.security if oversight == Role.SECURITY_ADMIN else world.auditor
    with pytest.raises(ValidationError, match="不能兼任其他角色"):
        services.role_assign(user=holder, role=Role.INSTITUTION_ADMIN, institution=world.a)
    with pytest.raises(ValidationError, match="不能兼任其他角色"):
        services.role_assign(user=world.hospital_b, role=oversight)


def test_the_security_admin_cannot_administer_their_own_account(world, client):
    login(client, world.security)
    own = f"/accounts/users/{world.security.pk}/"
    assert client.get(own).status_code == 403
    assert (
        client.post(
            own,
            {"role": "institution_admin", "scope": "own_institution", "institution": world.a.pk},
        ).status_code
        == 403
    )
    assert client.post(f"{own}disable/").status_code == 403


def test_a_weak_initial_password_is_a_field_error_not_a_crash(world, client):
    login(client, world.security)
    response = client.post("/accounts/users/", {"username": "weak", "password": "123"})
    assert response.status_code == 200
    assert "至少需要 10 个字符" in " ".join(response.context["form"].errors["password"])
    assert not User.objects.filter(username="weak").exists()


def test_deleting_a_user_leaves_the_audit_chain_intact(world):
    user = factories.user("short_lived")
    with audit.acting_as(user):
        audit.record(AuditEntry.Event.LOGIN, obj=user, actor=user)
    user.delete()
    assert audit.verify().ok


def test_bulk_writes_to_the_audit_log_are_refused(world):
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.bulk_create([AuditEntry(event="login", action=3)])


def test_an_uncompressed_ipv6_address_does_not_break_the_chain(world, client):
    login(client, world.hospital_a)
    client.post(f"/people/{world.a_doctor.pk}/reveal/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1")
    assert audit.verify().ok
    assert AuditEntry.objects.filter(event="reveal").get().remote_addr == "2001:db8::1"


def test_an_export_filtered_by_a_full_identity_number_logs_only_its_last_digits(world, client):
    login(client, world.hospital_a)
    number = world.a_doctor.id_number
    client.get("/people/", {"q": number, "export": "xlsx"})
    entry = AuditEntry.objects.filter(event="export").latest("pk")
    assert number not in str(entry.additional_data)
    assert entry.additional_data["filters"]["q"].endswith(number[-4:])


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_extreme_dates_in_the_audit_filter_are_refused_politely(world, client, day):
    login(client, world.auditor)
    response = client.get("/accounts/audit/", {"until": day, "since": day})
    assert response.status_code == 400  # the page, with the field's message (params.filter_status)
    assert "2000 至 2100" in response.content.decode()


def test_only_offered_languages_are_used(world, client):
    from django.conf import settings

    login(client, world.hospital_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/people/").content.decode()
    assert 'lang="zh-hans"' in page and "人才档案" in page


@pytest.mark.parametrize(
    "field", ["idle_minutes", "session_hours", "max_age_days", "lockout_failures", "min_length"]
)
def test_the_policy_refuses_values_that_would_lock_everyone_out(world, client, field):
    login(client, world.security)
    data = {
        "min_length": 10,
        "min_classes": 3,
        "history_count": 5,
        "max_age_days": 90,
        "lockout_failures": 5,
        "lockout_minutes": 15,
        "idle_minutes": 30,
        "session_hours": 8,
        "otp_roles": [],
    }
    data[field] = 0
    response = client.post("/accounts/policy/", data)
    assert response.status_code == 200 and field in response.context["form"].errors


def test_the_age_filter_works_on_29_february(world, client):
    login(client, world.hospital_a)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2028, 2, 29)):
        assert client.get("/people/", {"age_band": "30-39"}).status_code == 200
        assert client.get("/").status_code == 200


def test_full_width_digits_are_read_as_digits_and_other_digits_are_not(world, client):
    """A Chinese keyboard types full-width digits: the form takes them as the import does,
    and stores ASCII; superscripts and other scripts' digits are refused."""
    from yicai.people import services as people_services

    people_services.person_update(person=world.a_doctor, phone="１３８００１３８０００")
    world.a_doctor.refresh_from_db()
    assert world.a_doctor.phone == "13800138000"
    with pytest.raises(ValidationError, match="手机号码"):
        people_services.person_update(person=world.a_doctor, phone="¹³⁸⁰⁰¹³⁸⁰⁰⁰")


def test_a_spaced_identity_number_is_accepted(world, client):
    login(client, world.hospital_a)
    number = factories.id_number(datetime.date(1991, 2, 3), male=False)
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    response = client.post(
        "/people/new/",
        {
            "name": "空格号",
            "sex": world.a_doctor.sex_id,
            "birth_date": "1991-02-03",
            "id_number": spaced,
            "category": "staff",
            "institution": world.a.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors


def test_staff_see_only_the_head_count_they_may_see(world, client):
    login(client, world.trainee)
    institution = client.get("/org/").context["page_obj"][0]
    assert institution == world.a and institution.staff_count == 1


def test_editing_the_post_on_the_profile_edits_the_current_appointment(world):
    from yicai.codes.queries import code_for
    from yicai.people import services as people_services

    person = world.a_doctor
    people_services.person_update(person=person, department=world.a_surgery)
    people_services.tag_add(
        person=person, tag=code_for("talent_tag", "shortage"), valid_from=datetime.date(2024, 1, 1)
    )
    person.refresh_from_db()
    assert person.department == world.a_surgery
