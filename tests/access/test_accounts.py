"""The security administrator's work on accounts: bind to a person, create for a person,
reset a password or the second factor, re-enable, grant the least by default; all audited,
POST only, never on their own account (三员分立)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.conftest import login
from yicai.access import passwords, queries, services
from yicai.access.models import AuditEntry, Role, Scope, SecurityPolicy, User


def audited(event, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(event=event, object_pk=str(user.pk)).order_by("pk"))


@pytest.fixture
def newcomer(world):
    return factories.user("newcomer", roles=[(Role.STAFF, {})])


# Binding -------------------------------------------------------------------------------


def test_binding_gives_the_account_its_own_record_and_is_audited(world, client, newcomer):
    login(client, newcomer)
    assert client.get(f"/people/{world.a_surgeon.pk}/").status_code == 404  # no person yet

    login(client, world.security)
    response = client.post(f"/accounts/users/{newcomer.pk}/bind/", {"person": world.a_surgeon.pk})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.person == world.a_surgeon
    assert newcomer.first_name == "newcomer"  # a name already given is kept
    [entry] = audited(AuditEntry.Event.USER_CHANGE, newcomer)[-1:]
    assert entry.actor == world.security and "周外科" in entry.object_repr

    login(client, newcomer)
    assert client.get(f"/people/{world.a_surgeon.pk}/").status_code == 200


def test_a_person_bound_to_another_account_is_refused_in_chinese(world, client, newcomer):
    with pytest.raises(ValidationError, match="已绑定账号 trainee"):
        services.user_bind(user=newcomer, person=world.a_doctor)
    login(client, world.security)
    response = client.post(f"/accounts/users/{newcomer.pk}/bind/", {"person": world.a_doctor.pk})
    assert response.status_code == 200
    assert "李心怡 已绑定账号 trainee，一人只能对应一个账号。" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.person is None


def test_unbinding_takes_the_record_away_after_a_confirmation(world, client):
    login(client, world.security)
    page = client.get(f"/accounts/users/{world.trainee.pk}/").content.decode()
    assert "李心怡" in page and "确定解除绑定" in page
    assert client.post(f"/accounts/users/{world.trainee.pk}/unbind/").status_code == 302
    world.trainee.refresh_from_db()
    assert world.trainee.person is None
    assert "解除用户 trainee 与人员 李心怡 的绑定" in (
        audited(AuditEntry.Event.USER_CHANGE, world.trainee)[-1].object_repr
    )
    login(client, world.trainee)
    assert client.get(f"/people/{world.a_doctor.pk}/").status_code == 404


def test_an_account_is_created_for_a_person_from_the_link_on_their_page(world, client):
    login(client, world.hospital_a)
    page = client.get(f"/people/{world.a_surgeon.pk}/").content.decode()
    assert "尚未开通账号" in page
    link = f"/accounts/users/?person={world.a_surgeon.pk}"
    assert link in page
    # The hospital passes the link on; only the security administrator can open it.
    assert client.get(link).status_code == 403

    login(client, world.security)
    form = client.get(link).context["form"]
    assert str(form["person"].value()) == str(world.a_surgeon.pk)
    response = client.post(
        link,
        {"username": "zhouwaike", "password": "Start-Here-2026!", "person": world.a_surgeon.pk},
    )
    assert response.status_code == 302
    account = User.objects.get(username="zhouwaike")
    assert account.person == world.a_surgeon and account.first_name == "周外科"
    assert account.must_change_password

    login(client, world.hospital_a)
    page = client.get(f"/people/{world.a_surgeon.pk}/").content.decode()
    assert "zhouwaike" in page and "尚未开通账号" not in page


def test_an_account_cannot_be_created_for_a_person_who_has_one(world, client):
    login(client, world.security)
    response = client.post(
        "/accounts/users/",
        {"username": "second", "password": "Start-Here-2026!", "person": world.a_doctor.pk},
    )
    assert response.status_code == 200
    assert "已绑定账号 trainee" in " ".join(response.context["form"].errors["person"])
    assert not User.objects.filter(username="second").exists()


def test_the_people_to_bind_are_those_of_the_administrators_region(world):
    elsewhere = factories.institution("外区医院", commission="310104")
    stranger = factories.person(elsewhere, "外区人")
    regional = factories.user(
        "regional_security",
        roles=[(Role.SECURITY_ADMIN, {"region": factories.region("310113")})],
    )
    assert stranger in queries.bindable_people(world.security)  # the whole installation
    bindable = set(queries.bindable_people(regional))
    assert world.a_doctor in bindable and world.b_doctor in bindable
    assert stranger not in bindable
    assert not queries.bindable_people(world.hospital_a).exists()  # not an account admin


def test_the_account_page_shows_no_identity_or_phone_number(world, client):
    from yicai.people import services as people_services

    people_services.person_update(person=world.a_doctor, phone="13912345678")
    login(client, world.security)
    page = client.get(f"/accounts/users/{world.trainee.pk}/").content.decode()
    assert "李心怡 · 女性 · 1985 年生 · 甲区中心医院 · 心血管内科" in page
    assert world.a_doctor.id_number not in page and world.a_doctor.id_number[-4:] not in page
    assert "13912345678" not in page and "5678" not in page


def test_the_person_search_shows_who_people_are_but_no_numbers(world, client):
    from yicai.people import services as people_services

    people_services.person_update(person=world.a_surgeon, phone="13912345678")
    login(client, world.security)
    found = client.get("/pick/access.bindable/", {"q": "zwk"}).json()["results"]
    assert found == [
        {
            "id": world.a_surgeon.pk,
            "name": "周外科",
            "detail": "男性 · 1985 年生 · 甲区中心医院 · 普外科",
        }
    ]
    everyone = str(client.get("/pick/access.bindable/").json())
    for person in (world.a_doctor, world.a_surgeon, world.b_doctor):
        assert person.name in everyone and person.id_number[-4:] not in everyone
    assert "5678" not in everyone


def test_the_security_administrator_cannot_look_people_up_by_an_identity_number(world, client):
    """The search shows no numbers, and does not confirm who holds one either."""
    login(client, world.security)
    number = world.a_surgeon.id_number
    for typed in (number, number[-4:]):
        assert client.get("/pick/access.bindable/", {"q": typed}).json()["results"] == []
    login(client, world.hospital_a)  # an administrator who may read numbers finds them
    found = client.get("/pick/training.experts/", {"q": number[-4:]}).json()["results"]
    assert [person["id"] for person in found] == [world.a_surgeon.pk]


@pytest.mark.parametrize("persona", ["commission", "hospital_a", "auditor", "trainee"])
def test_only_account_administrators_may_search_people_to_bind(world, client, persona):
    login(client, getattr(world, persona))
    assert client.get("/pick/access.bindable/", {"q": "李"}).status_code == 403


def test_the_account_page_holds_only_the_chosen_person_not_everyone(world, client, newcomer):
    login(client, world.security)
    page = client.get(f"/accounts/users/{newcomer.pk}/").content.decode()
    assert 'data-picker="/pick/access.bindable/"' in page
    for person in (world.a_doctor, world.a_surgeon, world.b_doctor, world.partner_expert):
        assert person.name not in page
    chosen = client.get("/accounts/users/", {"person": world.a_surgeon.pk}).content.decode()
    assert "周外科" in chosen and "陈全科" not in chosen


def test_a_person_outside_the_administrators_region_cannot_be_bound(world, client, newcomer):
    elsewhere = factories.institution("外区医院", commission="310104")
    stranger = factories.person(elsewhere, "外区人")
    regional = factories.user(
        "regional_security",
        roles=[(Role.SECURITY_ADMIN, {"region": factories.region("310113")})],
    )
    login(client, regional)
    assert client.get("/pick/access.bindable/", {"q": "外区人"}).json()["results"] == []
    response = client.post(f"/accounts/users/{newcomer.pk}/bind/", {"person": stranger.pk})
    assert "所选对应人员不在可选范围内" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.person is None


# Passwords -----------------------------------------------------------------------------


def test_a_reset_shows_a_temporary_password_once_and_forces_a_change(world, client):
    user = world.hospital_b
    login(client, user)
    other = client.session
    login(client, world.security)
    response = client.post(f"/accounts/users/{user.pk}/password-reset/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    temporary = response.context["temporary"]
    assert temporary in response.content.decode()
    assert temporary not in str([str(m) for m in response.context["messages"]])
    user.refresh_from_db()
    assert user.check_password(temporary) and not user.check_password(factories.PASSWORD)
    assert user.must_change_password
    assert audited(AuditEntry.Event.PASSWORD_RESET, user)[-1].actor == world.security
    assert temporary not in str(audited(AuditEntry.Event.PASSWORD_RESET, user)[-1].__dict__)
    # The account's open sessions ended with the old password.
    assert not client.session.__class__(other.session_key).get(SESSION_KEY)

    client.logout()
    assert client.post(
        "/accounts/login/", {"username": user.username, "password": temporary}
    ).status_code == (302)
    assert client.get("/people/")["Location"] == "/accounts/password/"
    assert "首次登录或密码已到期" in client.get("/accounts/password/").content.decode()


@pytest.mark.parametrize("min_length", [10, 20])
def test_temporary_passwords_meet_the_policy_in_force(world, min_length):
    policy = SecurityPolicy.current()
    services.policy_update(policy=policy, min_length=min_length)
    for _ in range(10):
        temporary = services.password_reset(user=world.hospital_b)
        assert len(temporary) >= min_length
    assert len({passwords.generate() for _ in range(20)}) == 20


# Lockout, disable, enable --------------------------------------------------------------


def test_re_enabling_an_account_lets_it_log_in_and_lifts_a_lockout(world, client):
    user = world.hospital_b
    services.user_disable(user=user)
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert queries.locked_out(user)
    login(client, world.security)
    page = client.get(f"/accounts/users/{user.pk}/").content.decode()
    assert "启用账号" in page and "已锁定" in page

    assert client.post(f"/accounts/users/{user.pk}/enable/").status_code == 302
    user.refresh_from_db()
    assert user.is_active and not queries.locked_out(user)
    assert "启用用户 hospital_b" in audited(AuditEntry.Event.USER_CHANGE, user)[-1].object_repr
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_a_locked_but_active_account_is_unlocked_with_the_same_action(world, client):
    user = world.hospital_b
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    login(client, world.security)
    assert "解除登录锁定" in client.get(f"/accounts/users/{user.pk}/").content.decode()
    client.post(f"/accounts/users/{user.pk}/enable/")
    assert not queries.locked_out(user)
    assert "解除用户 hospital_b 的登录锁定" in (
        audited(AuditEntry.Event.USER_CHANGE, user)[-1].object_repr
    )


def test_enabling_an_active_unlocked_account_writes_nothing(world):
    before = AuditEntry.objects.count()
    services.user_enable(user=world.hospital_b)
    assert AuditEntry.objects.count() == before


# Second factor -------------------------------------------------------------------------


def test_a_second_factor_reset_makes_the_user_enrol_again(world, client):
    user = world.commission
    services.totp_device_ensure(user=user)
    login(client, world.security)
    assert "重置二次验证" in client.get(f"/accounts/users/{user.pk}/").content.decode()
    assert client.post(f"/accounts/users/{user.pk}/otp-reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert audited(AuditEntry.Event.OTP_RESET, user)[-1].additional_data == {"devices_removed": 1}

    client.logout()
    client.post("/accounts/login/", {"username": user.username, "password": factories.PASSWORD})
    assert client.get("/people/")["Location"] == "/accounts/otp/"
    page = client.get("/accounts/otp/").content.decode()
    assert "请用身份验证器扫描二维码" in page  # a new device to enrol, not the old one
    assert TOTPDevice.objects.filter(user=user, confirmed=False).count() == 1


# The grant-role form -------------------------------------------------------------------


def test_the_grant_role_form_grants_the_least_by_default(world, client, newcomer):
    login(client, world.security)
    form = client.get(f"/accounts/users/{newcomer.pk}/").context["form"]
    assert form["role"].value() == Role.STAFF and form["scope"].value() == Scope.SELF
    page = client.get(f"/accounts/users/{newcomer.pk}/").content.decode()
    assert '<option value="staff" selected>' in page
    assert '<option value="self" selected>' in page
    assert '<option value="commission_admin" selected>' not in page
    assert '<option value="all" selected>' not in page


# Who may do it -------------------------------------------------------------------------

ACTIONS = ["bind", "unbind", "password-reset", "otp-reset", "enable", "disable"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", ["commission", "hospital_a", "auditor", "trainee", "nobody"])
def test_only_the_security_administrator_acts_on_accounts(world, client, action, persona):
    login(client, getattr(world, persona))
    target = world.hospital_b
    response = client.post(f"/accounts/users/{target.pk}/{action}/", {"person": world.b_doctor.pk})
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active and target.person is None
    assert target.check_password(factories.PASSWORD)


@pytest.mark.parametrize("action", ACTIONS)
def test_account_actions_are_post_only_and_never_on_ones_own_account(world, client, action):
    login(client, world.security)
    assert client.get(f"/accounts/users/{world.hospital_b.pk}/{action}/").status_code == 405
    own = client.post(f"/accounts/users/{world.security.pk}/{action}/", {"person": 1})
    assert own.status_code == 403


def test_account_actions_need_the_csrf_token(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login(strict, world.security)
    response = strict.post(f"/accounts/users/{world.hospital_b.pk}/password-reset/")
    assert response.status_code == 403
    world.hospital_b.refresh_from_db()
    assert not world.hospital_b.must_change_password


# The users list ------------------------------------------------------------------------


def test_the_users_list_filters_shows_people_and_exports_with_its_filter(world, client):
    login(client, world.security)
    page = client.get("/accounts/users/", {"q": "李心怡"}).content.decode()
    assert "trainee" in page and "hospital_a" not in page
    client.get("/accounts/users/", {"q": "trainee", "export": "csv"})
    export = AuditEntry.objects.filter(event="export").latest("pk")
    assert export.additional_data["in_words"] == "关键词=trainee"


def test_the_users_list_and_export_queries_do_not_grow_with_accounts(
    world, client, django_assert_max_num_queries
):
    def export() -> str:
        response = client.get("/accounts/users/", {"export": "csv"})
        return b"".join(response.streaming_content).decode("utf-8-sig")

    login(client, world.security)
    client.get("/accounts/users/")
    with django_assert_max_num_queries(20) as few:
        client.get("/accounts/users/")
    with django_assert_max_num_queries(20) as few_exported:
        export()
    for n in range(15):
        person = factories.person(world.b, f"新人{n}")
        account = factories.user(f"extra{n}", person=person)
        services.role_assign(user=account, role=Role.INSTITUTION_ADMIN, institution=world.b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/accounts/users/").content.decode()
    assert "新人14" in page
    with django_assert_max_num_queries(len(few_exported.captured_queries)):
        assert "新人14 · 男性 · 1985 年生" in export()
