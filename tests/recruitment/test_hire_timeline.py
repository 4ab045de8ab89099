"""A hire (聘用) on the person's timeline: the day, the procedure and the place, the plan,
post and department; read in the same number of queries however many hires there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.recruitment.helpers import candidate_on_notice, published_plan
from yicai.people.timeline import Event, events_for
from yicai.recruitment import services
from yicai.recruitment.models import Post

pytestmark = pytest.mark.django_db

D = datetime.date


def _hires(person) -> list[Event]:
    return [event for event in events_for(person) if event.kind == "聘用"]


def _queries(person) -> int:
    with CaptureQueriesContext(connection) as captured:
        events_for(person)
    return len(captured)


def test_a_hire_is_on_the_timeline_and_a_second_adds_no_query(world):
    id_number = factories.id_number(D(1992, 5, 1))
    first = published_plan(world, on=D(2022, 4, 1), department=world.a_cardiology)
    candidate = candidate_on_notice(first.posts.get(), "聘用甲", id_number=id_number)
    # On the notice, not yet hired: nothing on anyone's timeline.
    assert candidate.person is None
    hired = services.application_hire(application=candidate, on=D(2022, 6, 10))
    person = hired.person
    assert _hires(person) == [
        Event(
            D(2022, 6, 10),
            "聘用",
            "通过简易程序聘用至甲区中心医院",
            "2022 年度招聘计划 · 岗位0 · 心血管内科",
            section="recruitment",
        )
    ]
    once = _queries(person)

    # Hired again by the same hospital, through an open recruitment, to no department.
    second = published_plan(
        world, on=D(2023, 3, 1), title="补充招聘计划", procedure=Post.Procedure.OPEN
    )
    again = candidate_on_notice(second.posts.get(), "聘用甲", id_number=id_number)
    assert services.application_hire(application=again, on=D(2023, 5, 15)).person == person
    assert [(e.date, e.title, e.detail) for e in _hires(person)] == [
        (D(2023, 5, 15), "通过公开招聘聘用至甲区中心医院", "2023 补充招聘计划 · 岗位0"),
        (
            D(2022, 6, 10),
            "通过简易程序聘用至甲区中心医院",
            "2022 年度招聘计划 · 岗位0 · 心血管内科",
        ),
    ]
    assert _queries(person) == once
    # Someone else's timeline holds neither.
    assert _hires(world.a_doctor) == []
