"""The API's query counts do not grow with its rows (10 versus 50 people, 1 versus 6 records)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests import factories
from yicai.codes.queries import code_for
from yicai.people import services


def _add_people(world, count: int) -> None:
    tag = code_for("talent_tag", "shortage")
    for index in range(count):
        person = factories.person(
            world.a,
            f"接口{index:03d}",
            department=world.a_surgery,
            birth=datetime.date(1980, 1, 1) + datetime.timedelta(index),
            title="233",
        )
        services.tag_add(person=person, tag=tag, valid_from=datetime.date(2024, 1, 1))


def _queries(api, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/",
        "/api/v1/people/?sort=institution",
        "/api/v1/people/?q=jk&sort=-birth&title_grade=intermediate",
        "/api/v1/people/?tag={tag}&institution={a}&department={surgery}",
        "/api/v1/institutions/",
        "/api/v1/departments/",
    ],
)
def test_list_queries_do_not_grow_with_rows(world, as_api, url):
    url = url.format(
        tag=code_for("talent_tag", "shortage").pk, a=world.a.pk, surgery=world.a_surgery.pk
    )
    api = as_api(world.hospital_a)
    _add_people(world, 10 - 3)  # hospital A already holds three people
    few = _queries(api, url)
    _add_people(world, 40)
    many = _queries(api, url)
    assert few == many
    assert many <= 15, many


def test_the_person_list_has_the_same_count_with_a_token(world, api):
    call_command("token", "commission", stdout=io.StringIO())
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user=world.commission).key}")
    _add_people(world, 5)
    few = _queries(api, "/api/v1/people/")
    _add_people(world, 40)
    assert _queries(api, "/api/v1/people/") == few


def test_the_person_detail_does_not_grow_with_records(world, as_api):
    api = as_api(world.hospital_a)
    person = world.a_surgeon
    url = f"/api/v1/people/{person.pk}/"
    one = _queries(api, url)
    for year in range(2001, 2006):
        services.education_add(
            person=person,
            level=code_for("education", "21"),
            school=f"第{year}学院",
            graduated_on=datetime.date(year, 7, 1),
        )
        services.title_add(
            person=person, title=code_for("title", "233"), obtained_on=datetime.date(year, 1, 1)
        )
        services.tag_add(
            person=person,
            tag=code_for("talent_tag", "shortage"),
            valid_from=datetime.date(year, 1, 1),
        )
    assert _queries(api, url) == one
    assert _queries(api, f"{url}educations/") == _queries(api, f"{url}tags/")
