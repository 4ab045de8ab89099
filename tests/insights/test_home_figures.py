"""Home page figures: counted on each visit for a scope of ordinary size, kept and recounted
in the background for a scope too large to count on every visit."""

import datetime

from django.utils import timezone

from tests import factories
from tests.conftest import login
from yicai.insights import queries
from yicai.insights.models import FigureSnapshot


def test_a_small_scope_is_counted_on_every_visit(world, client, monkeypatch):
    monkeypatch.setattr(queries, "LIVE_LIMIT", 4)
    login(client, world.hospital_a)  # three people, then four
    figures = client.get("/").context["figures"]
    assert (figures["total"], figures["as_of"]) == (3, None)
    factories.person(world.a, "新同事", birth=datetime.date(1990, 1, 2))
    login(client, world.hospital_a)
    assert client.get("/").context["figures"]["total"] == 4
    assert not FigureSnapshot.objects.exists()


def test_a_large_scope_sees_kept_figures_with_the_time_they_were_counted(
    world, client, monkeypatch
):
    monkeypatch.setattr(queries, "LIVE_LIMIT", 3)
    login(client, world.commission)  # five people: more than the limit
    response = client.get("/")
    figures = response.context["figures"]
    assert figures["total"] == 5 and figures["senior"] == 2
    assert figures["as_of"] is not None
    assert "以上统计截至" in response.content.decode()
    factories.person(world.a, "新同事", birth=datetime.date(1990, 1, 2))
    assert client.get("/").context["figures"]["total"] == 5  # kept, not yet recounted

    # Older than FRESH: the visit asks for a recount (tasks run at once in the tests).
    counted = timezone.now() - queries.FRESH - datetime.timedelta(minutes=1)
    FigureSnapshot.objects.update(computed_at=counted)
    figures = client.get("/").context["figures"]
    assert figures["total"] == 6 and figures["as_of"] > counted
    assert FigureSnapshot.objects.count() == 1


def test_users_with_the_same_scope_share_kept_figures_and_others_do_not(world, client, monkeypatch):
    monkeypatch.setattr(queries, "LIVE_LIMIT", 2)
    login(client, world.commission)
    client.get("/")
    login(client, world.hospital_a)
    assert client.get("/").context["figures"]["total"] == 3
    assert FigureSnapshot.objects.count() == 2
