"""A phone number is an 11-digit mobile or a landline with its area code; the form, the API
and the import give the same answer and the same message."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import login
from yicai.people.validators import phone_number


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13800138000", "13800138000"),
        (" 138 0013 8000 ", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("021-66001234", "021-66001234"),
        ("02166001234", "021-66001234"),
        ("(0591)87654321", "0591-87654321"),
        ("（0591）8765432", "0591-8765432"),
        ("010-66001234-802", "010-66001234-802"),
        ("010-66001234转802", "010-66001234-802"),
        ("１３８００１３８０００", "13800138000"),
        ("0591－87654321", "0591-87654321"),
        ("", ""),
    ],
)
def test_mobiles_and_landlines_with_area_codes_are_accepted(typed, stored):
    assert phone_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "6600123",
        "66001234",
        "1380013800",
        "138001380000",
        "12800138000",
        "１３８００１３８００",
        "¹³⁸⁰⁰¹³⁸⁰⁰⁰",
        "021-123",
        "phone",
    ],
)
def test_short_long_or_foreign_digits_are_refused_in_chinese(typed):
    with pytest.raises(ValidationError) as refused:
        phone_number(typed)
    assert "请填写 11 位手机号码，或带区号的固定电话" in refused.value.messages[0]


def test_the_person_form_refuses_a_seven_digit_number_with_the_same_message(world, client):
    login(client, world.hospital_a)
    response = client.post(
        f"/people/{world.a_doctor.pk}/edit/",
        {
            "name": world.a_doctor.name,
            "sex": world.a_doctor.sex_id,
            "birth_date": world.a_doctor.birth_date.isoformat(),
            "category": "staff",
            "institution": world.a.pk,
            "phone": "6600123",
        },
    )
    assert response.status_code == 200
    assert "电话号码“6600123”不对" in response.content.decode()
    world.a_doctor.refresh_from_db()
    assert world.a_doctor.phone_cipher == ""
