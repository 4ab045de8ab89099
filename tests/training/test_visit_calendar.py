"""The visits calendar: a month from Monday to Sunday with its held and planned visits in the
user's scope, ?month=YYYY-MM with links to the months around it, filters by institution and
expert, and links to a visit's edit page only for those who may edit it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import login
from yicai.training.services.activity import visit_record

URL = "/training/visits/calendar/"


def visit(world, on, **extra):
    return visit_record(
        expert=extra.pop("expert", world.partner_expert),
        kind=extra.pop("kind", "clinic"),
        institution=extra.pop("institution", world.a),
        held_on=on,
        **extra,
    )


def _days(response) -> dict:
    """{date: [visit ids]} of the month's days that hold visits."""
    return {
        cell["day"]: [v.pk for v in cell["visits"]]
        for week in response.context["weeks"]
        for cell in week
        if cell["visits"]
    }


def test_a_month_shows_its_visits_on_their_days_from_monday(world, client):
    first = visit(world, datetime.date(2024, 3, 1))
    second = visit(world, datetime.date(2024, 3, 1), kind="lecture", expert=world.a_surgeon)
    last = visit(world, datetime.date(2024, 3, 31))
    visit(world, datetime.date(2024, 2, 29))  # the grid shows the day, not February's visits
    visit(world, datetime.date(2024, 4, 1))
    login(client, world.hospital_a)
    response = client.get(URL, {"month": "2024-03"})
    assert response.status_code == 200
    assert _days(response) == {
        datetime.date(2024, 3, 1): [first.pk, second.pk],
        datetime.date(2024, 3, 31): [last.pk],
    }
    weeks = response.context["weeks"]
    assert weeks[0][0]["day"] == datetime.date(2024, 2, 26)  # a Monday
    assert weeks[-1][-1]["day"] == datetime.date(2024, 3, 31)  # a Sunday
    assert not weeks[0][0]["in_month"] and weeks[0][4]["in_month"]
    page = response.content.decode()
    for name in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"):
        assert f'<th class="text-center">{name}</th>' in page
    assert "2024 年 3 月" in page
    assert response.context["previous_url"] == "?month=2024-02"
    assert response.context["next_url"] == "?month=2024-04"
    assert response.context["count"] == 3


def test_planned_visits_are_marked_and_the_default_month_is_this_one(world, client):
    today = timezone.localdate()
    ahead = today + datetime.timedelta(days=1)
    planned = visit(world, ahead)
    login(client, world.hospital_a)
    response = client.get(URL, {"month": f"{ahead:%Y-%m}"})
    assert planned.pk in _days(response)[ahead]
    assert "计划" in response.content.decode()
    assert client.get(URL).status_code == 200
    # A month it cannot show is a wrong filter: 400, this month, and the field's error.
    for bad in ({"month": "2024-13"}, {"month": "0001-01"}, {"month": "三月"}):
        response = client.get(URL, bad)
        assert response.status_code == 400, bad
        assert response.context["first"] == today.replace(day=1), bad
        assert "月份：月份" in response.content.decode(), bad


def test_the_filters_keep_to_an_institution_or_an_expert_and_follow_the_month_links(world, client):
    at_a = visit(world, datetime.date(2024, 3, 5))
    by_surgeon = visit(world, datetime.date(2024, 3, 6), expert=world.a_surgeon)
    at_b = visit(world, datetime.date(2024, 3, 7), expert=world.b_doctor, institution=world.b)
    login(client, world.commission)
    everything = client.get(URL, {"month": "2024-03"})
    assert response_ids(everything) == {at_a.pk, by_surgeon.pk, at_b.pk}
    only_b = client.get(URL, {"month": "2024-03", "institution": world.b.pk})
    assert response_ids(only_b) == {at_b.pk}
    assert only_b.context["next_url"] == f"?institution={world.b.pk}&month=2024-04"
    surgeon = client.get(URL, {"month": "2024-03", "expert": world.a_surgeon.pk})
    assert response_ids(surgeon) == {by_surgeon.pk}
    login(client, world.hospital_a)
    # B is not among A's choices: the filter is refused, and B's visits stay out of sight.
    refused = client.get(URL, {"month": "2024-03", "institution": world.b.pk})
    assert response_ids(refused) == {at_a.pk, by_surgeon.pk}
    assert "institution" in refused.context["form"].errors


def response_ids(response) -> set:
    return {pk for ids in _days(response).values() for pk in ids}


@pytest.mark.parametrize(
    "who, seen, edits",
    [
        ("commission", {"a", "b"}, {"a", "b"}),
        ("hospital_a", {"a"}, {"a"}),
        ("hospital_b", {"b"}, {"b"}),
        ("dept_head", set(), set()),  # the visits were not in cardiology
        ("mentor", {"a"}, set()),  # the expert sees theirs, edits none
        ("trainee", set(), set()),
    ],
)
def test_each_role_sees_its_visits_and_edit_links_only_where_it_may_edit(
    world, client, who, seen, edits
):
    made = {
        "a": visit(world, datetime.date(2024, 3, 5), department=world.a_surgery),
        "b": visit(world, datetime.date(2024, 3, 6), expert=world.b_doctor, institution=world.b),
    }
    login(client, getattr(world, who))
    response = client.get(URL, {"month": "2024-03"})
    assert response.status_code == 200
    assert response_ids(response) == {made[name].pk for name in seen}
    page = response.content.decode()
    for name, item in made.items():
        link = f"/training/visits/{item.pk}/edit/"
        assert (link in page) == (name in edits), (name, link)


@pytest.mark.parametrize("who", ["auditor", "security", "nobody"])
def test_roles_without_cultivation_records_are_refused(world, client, who):
    login(client, getattr(world, who))
    assert client.get(URL).status_code == 403


def test_the_calendar_does_not_grow_its_queries_with_visits(world, client):
    login(client, world.hospital_a)
    visit(world, datetime.date(2024, 3, 1))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"month": "2024-03"}).status_code == 200
        return len(captured)

    few = count()
    experts = [world.partner_expert, world.a_surgeon, world.a_doctor]
    for day in range(2, 29):
        visit(
            world,
            datetime.date(2024, 3, day),
            expert=experts[day % 3],
            department=world.a_surgery,
        )
    assert count() == few


def test_an_editor_plans_a_visit_from_a_day_of_the_month(world, client):
    login(client, world.hospital_a)
    page = client.get(URL, {"month": "2024-03"}).content.decode()
    assert "/training/visits/new/?held_on=2024-03-05&amp;next=" in page
    form = client.get("/training/visits/new/", {"held_on": "2024-03-05"}).context["form"]
    assert form.initial["held_on"] == "2024-03-05"
    assert form.initial["institution"] == world.a  # the only one hospital A edits
    login(client, world.mentor)
    assert "/training/visits/new/" not in client.get(URL, {"month": "2024-03"}).content.decode()
