"""The dashboard of a scope too large to count on every visit (the limit set low here): counted
once and kept, shown with the time it was counted, recounted in the background when older
than FRESH or after a change; a small scope counted on every visit; the same queries for the
kept figures however many people."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.conftest import login
from yicai.codes.queries import code_for
from yicai.insights import queries as insights
from yicai.insights.models import FigureSnapshot
from yicai.people.models import Person

pytestmark = pytest.mark.django_db
URL = "/dashboard/"
DAY = {"as_of": "2023-01-01"}


def _visit(client, query=DAY):
    with CaptureQueriesContext(connection) as seen:
        page = client.get(URL, query)
    assert page.status_code == 200
    return page, len(seen)


def _staff(page) -> str:
    return next(card.value for card in page.context["board"].cards if card.key == "staff")


def test_a_large_scope_is_counted_once_kept_and_read_with_its_time(world, client, monkeypatch):
    monkeypatch.setattr(insights, "LIVE_LIMIT", 3)
    login(client, world.commission)
    # The commission sees five people in post: 李心怡, 赵护士 and 周外科 of A and 陈全科 of B
    # (posts since 2015-07-01), and the partner's expert (no post on file: in post where the
    # profile says).
    first, counting = _visit(client)
    board = first.context["board"]
    assert _staff(first) == "5"
    assert board.counted_at is not None
    shown = timezone.localtime(board.counted_at).strftime("%Y-%m-%d %H:%M")
    assert f"以上数字截至 {shown} 统计" in first.content.decode()
    assert FigureSnapshot.objects.count() == 1
    places = {row[0].text: row[1].value for row in board.panel("places").rows}
    assert places == {world.a.name: 3, world.b.name: 1, world.partner.name: 1}

    # The second visit reads the kept figures, counted at the same time, in fewer queries.
    second, reading = _visit(client)
    assert _staff(second) == "5"
    assert second.context["board"].counted_at == board.counted_at
    assert reading < counting
    # The same figures in the API, with the time they were counted.
    api = client.get("/api/v1/insights/dashboard/", DAY).json()
    assert {c["key"]: c["value"] for c in api["cards"]}["staff"] == "5"
    assert api["counted_at"] is not None

    # The kept figures' panels read as counted: each bar still links to its list.
    grades = second.context["board"].panel("grades")
    assert [row[1].value for row in grades.rows] == [
        row[1].value for row in board.panel("grades").rows
    ]
    assert grades.rows[0][1].url.startswith("/people/?on=2023-01-01")


def test_a_change_or_age_asks_for_a_recount_once(world, client, monkeypatch):
    monkeypatch.setattr(insights, "LIVE_LIMIT", 3)
    login(client, world.commission)
    first, _n = _visit(client)
    counted = first.context["board"].counted_at

    # A change is recorded (the audit log moves on): the next visit asks for a recount, which
    # the tests' task backend runs at once, so the page already shows it.
    factories.person(world.b, "新同事", department=world.b_medicine)
    after_change, _n = _visit(client)
    assert _staff(after_change) == "6"
    assert after_change.context["board"].counted_at > counted

    # Kept figures older than FRESH are recounted too, even with nothing changed.
    old = timezone.now() - insights.FRESH - datetime.timedelta(minutes=1)
    FigureSnapshot.objects.update(computed_at=old)
    aged, _n = _visit(client)
    assert aged.context["board"].counted_at > old

    # A recount asked for a moment ago is not asked for again: the stale figures are shown.
    FigureSnapshot.objects.update(computed_at=old, requested_at=timezone.now())
    waiting, _n = _visit(client)
    assert waiting.context["board"].counted_at == old


def test_each_day_and_scope_keeps_its_own_and_a_small_scope_is_counted_live(
    world, client, monkeypatch
):
    monkeypatch.setattr(insights, "LIVE_LIMIT", 3)
    login(client, world.commission)
    _visit(client)
    _visit(client, {"as_of": "2014-01-01"})  # before the posts on file began
    assert FigureSnapshot.objects.count() == 2
    before, _n = _visit(client, {"as_of": "2014-01-01"})
    assert _staff(before) == "1"  # the partner's expert, whose post has no dates
    # Hospital A has three people, not more than the limit: counted on every visit, exactly.
    login(client, world.hospital_a)
    page, _n = _visit(client)
    assert page.context["board"].counted_at is None
    assert "以上数字截至" not in page.content.decode()
    assert FigureSnapshot.objects.count() == 2


def test_kept_figures_take_the_same_queries_for_few_or_many_people(world, client, monkeypatch):
    monkeypatch.setattr(insights, "LIVE_LIMIT", 3)
    login(client, world.commission)
    _visit(client)
    _page, few = _visit(client)
    # Forty more people, written in bulk (no audit entry: the kept figures stay as they are).
    sex = code_for("sex", "2")
    Person.objects.bulk_create(
        Person(name=f"批量{n}", sex=sex, birth_date=datetime.date(1990, 1, 1), institution=world.a)
        for n in range(40)
    )
    page, many = _visit(client)
    assert _staff(page) == "5"
    assert many == few
