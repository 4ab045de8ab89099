"""Two real connections saving the same person from the same version at once: exactly one
wins, the other is refused (yicai.versions). Its own module: the personas shared by a module
live in a transaction that other connections cannot see."""

import threading

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

from tests import factories
from yicai import versions
from yicai.people import services
from yicai.people.models import Person


@pytest.fixture
def _migrated_data_restored(django_db_setup, django_db_blocker):
    """A transactional test empties the database; give the code tables back afterwards."""
    yield
    contents = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            call_command(
                "flush",
                database=DEFAULT_DB_ALIAS,
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connections[DEFAULT_DB_ALIAS].creation.deserialize_db_from_string(contents)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_migrated_data_restored")
def test_two_connections_saving_the_same_version_at_once_exactly_one_wins():
    if connection.vendor != "postgresql":
        # SQLite's in-memory test database (shared cache) answers "database table is locked"
        # to the second writer instead of queueing it (issue 11, point 7); the sequential
        # tests in test_lost_updates.py cover SQLite.
        pytest.skip("two writers at once: PostgreSQL")
    hospital = factories.institution("并发测试医院")
    person = factories.person(hospital, "并发")
    loaded = Person.objects.get(pk=person.pk).version
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(position: str) -> None:
        try:
            mine = Person.objects.get(pk=person.pk)  # this thread's own connection
            start.wait(timeout=10)
            services.person_update(person=mine, position=position, version=loaded)
            outcomes[position] = "saved"
        except versions.VersionConflict:
            outcomes[position] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(p,)) for p in ("甲岗位", "乙岗位")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    winner = next(p for p, outcome in outcomes.items() if outcome == "saved")
    saved = Person.objects.get(pk=person.pk)
    assert saved.position == winner and saved.version == loaded + 1
