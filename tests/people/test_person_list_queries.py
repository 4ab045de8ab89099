"""The person list's query count does not grow with its rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from tests.exchange import importing
from yicai.codes.queries import code_for
from yicai.people import services
from yicai.people.models import Person


def _add_people(world, count: int) -> None:
    tag = code_for("talent_tag", "shortage")
    for index in range(count):
        person = factories.person(
            world.a,
            f"测试{index:03d}",
            department=world.a_surgery,
            birth=datetime.date(1980, 1, 1) + datetime.timedelta(index),
            title="233",
        )
        services.tag_add(person=person, tag=tag, valid_from=datetime.date(2024, 1, 1))


def _import_people(world, count: int) -> None:
    """`count` people of hospital A with a post, an education, a title and a licence, through
    the roster import's bulk path (as a hospital brings its staff in): far quicker than one
    service call per record."""
    rows = [
        importing.person_row(
            f"导入{index:03d}",
            birth=datetime.date(1970, 1, 1) + datetime.timedelta(index),
            所在科室="普外科",
        )
        for index in range(count)
    ]
    job = importing.preview(world.hospital_a, importing.xlsx(rows))
    assert (job.invalid, job.problems) == (0, []), job.problems
    importing.commit(job)
    assert Person.objects.filter(name__startswith="导入").count() == count


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/people/",
        "/people/?page=2",
        "/people/?q=cs&sort=-birth",
        "/people/?title_grade=intermediate",
        "/org/",
        "/",
    ],
)
def test_page_queries_do_not_grow_with_rows(world, client, url):
    login(client, world.hospital_a)
    _add_people(world, 10)
    few = _queries(client, url)
    _add_people(world, 40)
    many = _queries(client, url)
    assert few == many


def test_person_list_and_export_query_counts_are_the_same_for_10_and_500_rows(world, client):
    login(client, world.commission)
    _add_people(world, 10 - 5)  # the world already holds five people
    _export_queries(client)  # warm the content-type cache the audit entry uses
    few = (_queries(client, "/people/?sort=title"), _export_queries(client))
    _import_people(world, 490)
    many = (_queries(client, "/people/?sort=title"), _export_queries(client))
    assert few == many


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/people/?export=xlsx")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    return len(captured)
