"""Writers queue for the embedded database, and one that waited too long is told to retry
(503, Retry-After, in Chinese), never shown a 500. Real connections on a real file."""

import contextlib
import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories
from tests.concurrency import real_connections, run_in_thread, together
from yicai.access.models import Role
from yicai.people.models import Person

pytestmark = pytest.mark.usefixtures("committed_db")

SHORT_WAIT = "PRAGMA busy_timeout=300; PRAGMA journal_mode=WAL;"


def _hospital(count: int):
    hospital = factories.institution("甲区中心医院")
    ward = factories.department(hospital, "心血管内科")
    people = [factories.person(hospital, f"王{n}", department=ward) for n in range(count)]
    admin = factories.user("hr", roles=[(Role.INSTITUTION_ADMIN, {"institution": hospital})])
    return people, Token.objects.create(user=admin).key


def _patch(key: str, person: Person, position: str):
    def work():
        client = APIClient(raise_request_exception=False)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client.patch(f"/api/v1/people/{person.pk}/", {"position": position}, format="json")

    return work


def _holder(seconds: float, holding: threading.Event):
    """Another writer holding the embedded database's write lock for a while."""

    def hold():
        path = connections.settings["default"]["NAME"]
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            holding.set()
            threading.Event().wait(seconds)
            other.execute("ROLLBACK")

    return hold


def test_twenty_four_simultaneous_edits_all_save(tmp_path):
    """On SQLite they queue behind a writer that holds the lock for 6 s, longer than the
    5 s writers used to wait."""
    people, key = _hospital(24)
    holding = threading.Event()
    works = [_patch(key, person, "主治医师") for person in people]
    if connection.vendor == "sqlite":
        edits = works

        def after_the_holder_starts(work):
            return lambda: holding.wait(5) and work()

        works = [_holder(6, holding), *map(after_the_holder_starts, edits)]
    with real_connections(tmp_path):
        responses = together(works)[-24:]
        saved = run_in_thread(lambda: Person.objects.filter(position="主治医师").count())
    assert [response.status_code for response in responses] == [200] * 24
    assert saved == 24


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the embedded database's one writer at a time",
)
def test_a_writer_that_waited_out_the_busy_timeout_is_told_to_retry(tmp_path):
    people, key = _hospital(1)
    holding = threading.Event()

    def edit_meanwhile():
        assert holding.wait(5)
        return _patch(key, people[0], "主治医师")()

    with real_connections(tmp_path, init_command=SHORT_WAIT):
        _held, response = together([_holder(1.5, holding), edit_meanwhile])
        after = run_in_thread(_patch(key, people[0], "主任医师"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "系统正忙" in response.json()["detail"]
    assert after.status_code == 200  # once the lock is released, the same edit goes through
    assert connection.vendor == "sqlite"
