"""A search's query count does not grow with its rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.fhir.helpers import fhir_get
from yicai.codes.queries import code_for
from yicai.people import services

_serial = iter(range(10_000))


def _add_people(world, count: int) -> None:
    level, degree = code_for("education", "21"), code_for("degree", "2")
    for _ in range(count):
        index = next(_serial)
        person = factories.person(
            world.a,
            f"测试{index:03d}",
            department=world.a_surgery,
            birth=datetime.date(1980, 1, 1) + datetime.timedelta(index),
            title="233",
        )
        services.licence_add(person=person, number=f"1103101130{index:05d}", category="1")
        services.education_add(
            person=person,
            level=level,
            degree=degree,
            school="复旦大学",
            graduated_on=datetime.date(2005, 7, 1),
        )


def _queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        body = fhir_get(client, url)
    return len(captured), len(body.get("entry", []))


URLS = [
    "/fhir/Practitioner?_count=100",
    "/fhir/Practitioner?name=测试&_count=100",
    "/fhir/PractitionerRole?_count=100",
    "/fhir/Organization?_count=100",
]


@pytest.mark.parametrize("persona", ["commission", "hospital_a"])
def test_search_queries_do_not_grow_with_rows(world, client, persona):
    """10 then 50 more people, each with an appointment, a title, a licence and a degree."""
    login(client, getattr(world, persona))
    _add_people(world, 10)
    few = {url: _queries(client, url) for url in URLS}
    _add_people(world, 40)
    many = {url: _queries(client, url) for url in URLS}
    for url in URLS:
        if "Organization" not in url:
            assert many[url][1] == few[url][1] + 40, url
        assert many[url][0] == few[url][0], url
