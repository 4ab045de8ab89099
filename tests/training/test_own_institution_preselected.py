"""A hospital administrator, whose scope is one institution, finds it chosen on the create
forms that ask for an institution; the commission, with many, chooses itself."""

import re

import pytest
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db

FORMS = [
    reverse("training:batch_create"),
    reverse("training:education_event_create"),
    reverse("training:visit_create"),
]


def _chosen(html: str) -> list[str]:
    select = re.search(r'<select name="institution".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)" selected>', select)


@pytest.mark.parametrize("url", FORMS)
def test_a_hospital_finds_its_own_institution_chosen(client, world, url):
    login(client, world.hospital_a)
    assert _chosen(client.get(url).content.decode()) == [str(world.a.pk)]


@pytest.mark.parametrize("url", FORMS)
def test_the_commission_chooses_among_its_institutions(client, world, url):
    login(client, world.commission)
    assert _chosen(client.get(url).content.decode()) == []


def test_an_appointment_added_by_a_hospital_starts_at_its_institution(client, world):
    login(client, world.hospital_a)
    url = reverse("people:record_add", args=[world.a_doctor.pk, "appointment"])
    assert _chosen(client.get(url).content.decode()) == [str(world.a.pk)]
