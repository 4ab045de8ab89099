"""The /api/v1/training/ lists, details and figures make as many queries for many rows as for
few (mentorships with their apprentices, techniques with their gaps, studios with members)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import once_per_module
from tests.training.api import (
    API,
    consultation,
    mentoring_records,
    pair,
    signed_in,
    studio,
    visit,
)
from tests.training.helpers import case, technique
from yicai.training.models import CaseLog
from yicai.training.services.mentoring import case_log_verify
from yicai.training.services.studios import studio_member_add

_built, records = once_per_module(mentoring_records)


def _more(world, records, start: int, count: int) -> None:
    """`count` more rows of every kind at A, each with people and links of its own."""
    w = world
    for index in range(start, start + count):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(index)
        mentorship = pair(w, w.partner_expert, w.a_surgeon, w.a_ward_nurse)
        item = technique(w, f"新技术{index:03d}", mentorship=mentorship)
        logged = case(w, item, on=day, mentorship=records["pair"])
        case_log_verify(case_log=logged, user=w.hospital_a)
        studio(w, f"工作室{index:03d}", w.partner_expert, members=[w.a_doctor, w.a_surgeon])
        visit(w, w.partner_expert, day, mentorship=mentorship, studio=records["a_studio"])
        consultation(w, w.partner_expert, w.a_surgeon, on=day)


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


URLS = [
    "mentorships/",
    "mentorships/?q=周&status=active&institution={institution}",
    "techniques/",
    "techniques/?gap=yes&institution={institution}",
    "case-logs/",
    "case-logs/?verified=yes&role=independent&q=李",
    "studios/",
    "studios/?tier=district&institution={institution}",
    "studios/figures/?year=2024",
    "visits/",
    "visits/?kind=clinic&since=2024-01-01&until=2025-12-31&q=孙",
    "visits/counts/?since=2024-01-01",
    "consultations/",
    "consultations/?q=周&since=2024-01-01",
]


@pytest.mark.parametrize("persona", ["commission", "mentor"])
@pytest.mark.parametrize("url", URLS)
def test_list_queries_do_not_grow_with_rows(world, records, persona, url):
    api = signed_in(getattr(world, persona))
    # The institution filter names one the persona sees (the mentor's own is the partner's).
    seen = world.partner if persona == "mentor" else world.a
    url = f"{API}/{url.format(institution=seen.pk)}"
    _more(world, records, 0, 2)
    few = _queries(api, url)
    _more(world, records, 2, 20)
    many = _queries(api, url)
    assert few == many
    # About ten are the request's own: session, user, device, policy, roles, regions.
    assert many <= 16, many


@pytest.mark.parametrize(("collection", "key"), [("mentorships", "pair"), ("studios", "a_studio")])
def test_a_detail_does_not_grow_with_its_people(world, records, collection, key):
    api = signed_in(world.hospital_a)
    url = f"{API}/{collection}/{records[key].pk}/"
    one = _queries(api, url)
    if collection == "studios":
        for person in (world.a_surgeon, world.a_ward_nurse):
            studio_member_add(
                studio=records[key], person=person, joined_on=datetime.date(2024, 1, 1)
            )
    else:
        from yicai.training.models import Apprenticeship

        for person in (world.a_surgeon, world.a_ward_nurse):
            Apprenticeship.objects.create(mentorship=records[key], apprentice=person)
    assert _queries(api, url) == one
    assert len(api.get(url).json()["members" if collection == "studios" else "apprentices"]) == 3


def test_the_rows_counted_in_the_list_are_the_ones_added(world, records):
    """The fixture above really adds rows to each list the counts are compared on."""
    api = signed_in(world.commission)
    _more(world, records, 0, 3)
    for collection, before in (
        ("mentorships", 4),
        ("techniques", 4),
        ("case-logs", 4),
        ("studios", 3),
        ("visits", 4),
        ("consultations", 3),
    ):
        assert len(api.get(f"{API}/{collection}/").json()["results"]) == before + 3, collection
    assert CaseLog.objects.filter(verified_at__isnull=False).count() == 3
