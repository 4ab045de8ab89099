"""The forms bench walks every create and edit page, and finds a record for each one's id."""

import pytest
from django.urls import reverse

from bench import forms
from tests.builders import PageRecords

pytestmark = pytest.mark.django_db
# Pages only the commission opens (it defines programmes, their cohorts and rounds, and the
# assessment schemes with their indicators).
COMMISSION_PAGES = {
    "training:programme_edit",
    "training:cohort_create",
    "training:round_create",
    "evaluation:scheme_edit",
    "evaluation:indicator_edit",
}


def test_it_walks_the_create_and_edit_pages_and_the_record_pages_with_person_forms():
    names = {name for name, _route in forms._pages()}
    assert {"training:case_create", "training:visit_edit", "org:designation_edit"} <= names
    assert set(forms.RECORD_PAGES) <= names
    assert "training:visits" not in names


def test_every_page_with_an_id_finds_a_record_the_user_may_edit(world):
    PageRecords(world)
    missing = []
    for name, route in forms._pages():
        if "<" not in route:
            continue
        user = world.commission if name in COMMISSION_PAGES else world.hospital_a
        kwargs = forms._samples(name, user, route)
        if kwargs is None:
            missing.append(name)
        else:
            reverse(name, kwargs=kwargs)
    assert missing == []
