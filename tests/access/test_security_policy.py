"""等保 2.0 level-3 defaults: passwords, lockout, sessions, second factor, 三员分立."""

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.conftest import login
from yicai.access import services
from yicai.access.models import Role, SecurityPolicy, User


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "至少需要 10 个字符"),
        ("abcdefghijk1", "至少 3 类"),
        ("Password1234", "太常见"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(world, password, message):
    with pytest.raises(ValidationError) as error:
        services.password_change(user=world.trainee, new_password=password)
    assert message in " ".join(error.value.messages)


def test_the_last_five_passwords_cannot_be_reused(world):
    user = world.trainee
    used = [f"Rotate-{n}-Yicai!" for n in range(5)]
    for password in used:
        services.password_change(user=user, new_password=password)
    for password in used:
        with pytest.raises(ValidationError, match="最近 5 次"):
            services.password_change(user=user, new_password=password)
    services.password_change(user=user, new_password="Brand-New-9-Yicai!")


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(world, client):
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "hospital_a", "password": "nope"})
    response = client.post(
        "/accounts/login/", {"username": "hospital_a", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert "锁定 15 分钟" in response.content.decode()


def test_guessing_the_current_password_on_the_change_form_counts_as_failed_logins(world, client):
    from yicai.access.models import AuditEntry

    login(client, world.hospital_a)
    wrong = {"old_password": "nope", "new_password": "New-Pass-2026!", "new_password2": "x"}
    for _attempt in range(4):
        response = client.post("/accounts/password/", wrong)
        assert response.status_code == 200 and "当前密码不正确" in response.content.decode()
    response = client.post("/accounts/password/", wrong)  # the fifth: locked, and logged out
    assert response.status_code == 429
    assert "锁定 15 分钟" in response.content.decode()
    failures = AuditEntry.objects.filter(event=AuditEntry.Event.LOGIN_FAILED)
    assert list(failures.values_list("object_repr", flat=True)) == ["hospital_a"] * 5
    assert client.get("/people/").status_code == 302  # the session has ended
    response = client.post(
        "/accounts/login/", {"username": "hospital_a", "password": factories.PASSWORD}
    )
    assert response.status_code == 429  # the right password waits out the lockout too


def test_a_new_user_must_change_the_password_first(world, client):
    user = world.hospital_a
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    login(client, user)
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def test_a_password_older_than_90_days_must_be_changed(world, client):
    user = world.hospital_a
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=91)
    )
    login(client, user)
    assert client.get("/").headers["Location"] == "/accounts/password/"


def test_roles_that_need_a_second_factor_are_sent_to_it(world, client):
    client.force_login(world.commission, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/"
    device = services.totp_device_ensure(user=world.commission)
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    wrong = f"{(totp.token() + 1) % 1_000_000:06d}"
    page = client.post("/accounts/otp/", {"token": wrong}).content.decode()
    assert "验证码不正确" in page
    assert client.get("/people/").status_code == 302  # a wrong code does not pass
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows retries after a failure
    client.post("/accounts/otp/", {"token": f"{totp.token():06d}"})
    assert client.get("/people/").status_code == 200


def test_an_idle_session_ends_after_thirty_minutes(world, client):
    login(client, world.hospital_a)
    assert client.get("/people/").status_code == 200
    session = client.session
    session["yicai_seen"] = time.time() - 31 * 60
    session.save()
    response = client.get("/people/")
    assert response.status_code == 302 and "expired" in response["Location"]
    assert client.get("/people/").status_code == 302


def test_reading_pages_writes_the_session_at_most_once_a_minute(world, client):
    login(client, world.hospital_a)
    client.get("/people/")
    seen = client.session["yicai_seen"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/people/").status_code == 200
    assert not [q for q in captured if q["sql"].startswith("UPDATE")], "a read wrote"
    assert client.session["yicai_seen"] == seen
    session = client.session
    session["yicai_seen"] = time.time() - 61
    session.save()
    client.get("/people/")
    assert client.session["yicai_seen"] > time.time() - 5  # a minute on: written again
    session = client.session
    del session["yicai_seen"]  # a session from before the timestamp was kept
    session.save()
    client.get("/people/")
    assert client.session["yicai_seen"] > time.time() - 5  # written at once, never skipped


def test_disabling_a_user_ends_their_sessions_at_once(world, client):
    login(client, world.hospital_a)
    assert client.get("/people/").status_code == 200
    services.user_disable(user=world.hospital_a)
    response = client.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("first", [Role.COMMISSION_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
@pytest.mark.parametrize("second", [Role.COMMISSION_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR])
def test_no_account_holds_two_of_the_three_administrator_roles(world, first, second):
    user = factories.user(
        "someone",
        roles=[(first, {"region": factories.region()} if first == Role.COMMISSION_ADMIN else {})],
    )
    if first == second:
        return
    with pytest.raises(ValidationError, match="三员分立"):
        services.role_assign(user=user, role=second)
    assert set(user.role_assignments.values_list("role", flat=True)) == {first}


def test_a_user_without_roles_sees_nothing(world, client):
    login(client, world.nobody)
    assert client.get("/people/").status_code == 403
    assert client.get("/org/").status_code == 403
    home = client.get("/").content.decode()
    assert "人才总数" not in home


def test_the_security_admin_creates_a_user_and_grants_a_role(world, client):
    login(client, world.security)
    response = client.post(
        "/accounts/users/",
        {"username": "newbie", "full_name": "新同事", "password": "Start-Here-2026!"},
    )
    newbie = User.objects.get(username="newbie")
    assert response.status_code == 302 and newbie.must_change_password
    client.post(
        f"/accounts/users/{newbie.pk}/",
        {"role": Role.INSTITUTION_ADMIN, "scope": "own_institution", "institution": world.b.pk},
    )
    assert newbie.role_assignments.get().institution == world.b


def test_the_security_admin_edits_the_policy(world, client):
    login(client, world.security)
    data = {
        "min_length": 12,
        "min_classes": 3,
        "history_count": 5,
        "max_age_days": 90,
        "lockout_failures": 5,
        "lockout_minutes": 30,
        "idle_minutes": 20,
        "session_hours": 8,
        "otp_roles": [Role.AUDITOR],
    }
    assert client.post("/accounts/policy/", data).status_code == 302
    policy = SecurityPolicy.current()
    assert policy.min_length == 12 and policy.lockout_minutes == 30
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        services.password_change(user=world.trainee, new_password="Abc-12345!")


def test_the_menu_stays_hidden_until_the_second_factor_is_passed(world, client):
    client.force_login(world.commission, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/accounts/otp/").content.decode()
    assert "人才档案" not in page and 'name="token"' in page
    login(client, world.commission)
    assert "人才档案" in client.get("/").content.decode()
