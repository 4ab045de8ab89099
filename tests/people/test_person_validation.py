"""Bad input gets a Chinese message on the field and saves nothing."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import login
from yicai.access.models import AuditEntry
from yicai.codes.queries import code_for
from yicai.people.identity import identity_errors
from yicai.people.models import Person


def _form(world, **overrides):
    data = {
        "name": "吴新人",
        "sex": code_for("sex", "1").pk,
        "birth_date": "1990-03-15",
        "id_number": factories.id_number(datetime.date(1990, 3, 15), male=True),
        "phone": "13800138000",
        "category": "staff",
        "institution": world.a.pk,
        "department": world.a_surgery.pk,
        "position": "住院医师",
    }
    data.update(overrides)
    return data


def _post(client, world, **overrides):
    before = Person.objects.count()
    response = client.post("/people/new/", _form(world, **overrides))
    return response, Person.objects.count() - before


def _field_error(response, field: str) -> str:
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


def test_a_valid_person_is_created_with_encrypted_identifiers(world, client):
    login(client, world.hospital_a)
    response, added = _post(client, world)
    assert response.status_code == 302 and added == 1
    person = Person.objects.get(name="吴新人")
    assert person.id_number_cipher.startswith("a1:") and "1990" not in person.id_number_cipher
    assert person.phone_cipher.startswith("a1:") and "13800138000" not in person.phone_cipher
    assert person.id_number[6:14] == "19900315"  # decrypted as it was posted
    assert person.name_initials == "wxr"


def test_it_refuses_a_bad_check_digit(world, client):
    login(client, world.hospital_a)
    good = factories.id_number(datetime.date(1990, 3, 15))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response, added = _post(client, world, id_number=bad)
    assert added == 0
    assert "身份证号码无效" in _field_error(response, "id_number")


def test_it_refuses_a_birth_date_that_disagrees_with_the_number(world, client):
    login(client, world.hospital_a)
    response, added = _post(client, world, birth_date="1990-03-16")
    assert added == 0
    assert "出生日期与身份证号码不一致" in _field_error(response, "birth_date")


def test_it_refuses_a_sex_that_disagrees_with_the_number(world, client):
    login(client, world.hospital_a)
    response, added = _post(client, world, sex=code_for("sex", "2").pk)
    assert added == 0
    assert "性别与身份证号码不一致" in _field_error(response, "sex")


def test_it_refuses_a_duplicate_identity_number(world, client):
    login(client, world.hospital_a)
    existing = world.b_doctor  # in another institution: still one person in the region
    response, added = _post(
        client,
        world,
        id_number=existing.id_number.lower(),
        birth_date=existing.birth_date.isoformat(),
    )
    assert added == 0
    assert "已存在" in _field_error(response, "id_number")


def test_it_refuses_a_future_birth_date(world, client):
    login(client, world.hospital_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response, added = _post(client, world, birth_date=tomorrow.isoformat(), id_number="")
    assert added == 0
    assert "不能晚于今天" in _field_error(response, "birth_date")


def test_it_refuses_a_department_of_another_institution(world, client):
    login(client, world.commission)
    response, added = _post(client, world, department=world.b_medicine.pk)
    assert added == 0
    assert "科室不属于所选机构" in _field_error(response, "department")


def test_a_hospital_cannot_create_a_person_in_another_institution(world, client):
    login(client, world.hospital_a)
    response, added = _post(client, world, institution=world.b.pk)
    assert added == 0
    assert "institution" in response.context["form"].errors


@pytest.mark.parametrize("phone", ["1380013800a", "12", "=1+2", "1" * 16])
def test_it_refuses_a_malformed_phone(world, client, phone):
    login(client, world.hospital_a)
    response, added = _post(client, world, phone=phone)
    assert added == 0
    assert "手机号码" in _field_error(response, "phone")


@pytest.mark.parametrize("name", ["", "   "])
def test_it_refuses_a_blank_name(world, client, name):
    login(client, world.hospital_a)
    response, added = _post(client, world, name=name)
    assert added == 0
    assert "name" in response.context["form"].errors


def test_a_failed_edit_changes_nothing_and_writes_no_audit_entry(world, client):
    login(client, world.hospital_a)
    person = world.a_surgeon
    before = AuditEntry.objects.count()
    data = _form(
        world, name="改名了", birth_date="2001-01-01", id_number="", department=world.a_surgery.pk
    )
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 200
    assert "出生日期与身份证号码不一致" in _field_error(response, "birth_date")
    person.refresh_from_db()
    assert person.name == "周外科" and person.birth_date == datetime.date(1985, 6, 1)
    assert AuditEntry.objects.count() == before


def test_an_edit_is_saved_and_audited_with_the_identity_number_masked(world, client):
    login(client, world.hospital_a)
    person = world.a_surgeon
    data = _form(
        world,
        name="周外科",
        birth_date="1985-06-01",
        id_number="",
        position="科主任",
        department=world.a_surgery.pk,
    )
    response = client.post(f"/people/{person.pk}/edit/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.position == "科主任"
    entry = AuditEntry.objects.get_for_object(person).filter(changes__isnull=False).latest("pk")
    assert entry.changes["position"] == ["医师", "科主任"]
    assert entry.actor == world.hospital_a and entry.actor_institution_id == world.a.pk
    assert person.id_number not in str(entry.changes)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_arbitrary_text_never_passes_as_an_identity_number_unless_valid(text):
    from stdnum.cn import ric

    errors = identity_errors(text.strip().upper(), None, None)
    if text.strip() and not ric.is_valid(text.strip().upper()):
        assert "id_number" in errors


def test_the_edit_form_shows_the_stored_dates_in_the_date_picker(world, client):
    login(client, world.hospital_a)
    page = client.get(f"/people/{world.a_surgeon.pk}/edit/").content.decode()
    assert 'type="date"' in page and 'value="1985-06-01"' in page


def test_a_new_identity_number_with_the_same_last_digits_is_audited_masked(world):
    from stdnum.cn import ric

    from yicai.people import services

    person = world.a_surgeon
    old = person.id_number
    # Same birth date and last four digits, another area code: only the log can tell.
    areas = [
        f"{city}{n:02d}" for city in ("1101", "3101", "3201", "4401", "5101") for n in range(1, 20)
    ]
    candidates = (area + old[6:17] + ric.calc_check_digit(area + old[6:17] + "0") for area in areas)
    new = next(
        c
        for c in candidates
        if c[-4:] == old[-4:] and c != old and not identity_errors(c, None, None)
    )
    services.person_update(person=person, id_number=new, phone="13912345678")
    entry = (
        AuditEntry.objects.get_for_object(person).filter(additional_data__isnull=False).latest("pk")
    )
    assert set(entry.additional_data) == {"身份证号码", "手机号码"}
    assert old not in str(entry.additional_data) and new not in str(entry.additional_data)
    assert "13912345678" not in str(entry.additional_data)


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n[:-1] + n[-1].lower(),
        lambda n: f" {n[:6]} {n[6:14]}-{n[14:]} ",
        lambda n: n.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
    ],
)
def test_identity_numbers_are_normalised_as_people_type_them(typed):
    from yicai.people.identity import normalise

    number = "11010519491231002X"
    assert normalise(typed(number)) == number


def test_a_new_person_without_birth_date_and_sex_takes_them_from_the_number(world, client):
    login(client, world.hospital_a)
    number = factories.id_number(datetime.date(1993, 6, 7), male=False)
    response = client.post(
        "/people/new/",
        {"name": "号码人", "id_number": number, "category": "staff", "institution": world.a.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(name="号码人")
    assert person.birth_date == datetime.date(1993, 6, 7)
    assert person.sex.code == "2"


def test_without_a_number_birth_date_and_sex_are_asked_for(world, client):
    login(client, world.hospital_a)
    response = client.post(
        "/people/new/", {"name": "无号人", "category": "staff", "institution": world.a.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写性别。" in page and "请填写出生日期。" in page
    assert not Person.objects.filter(name="无号人").exists()


def test_a_hospital_administrator_finds_their_institution_chosen(world, client):
    login(client, world.hospital_a)
    page = client.get("/people/new/").content.decode()
    assert f'<option value="{world.a.pk}" selected>' in page
