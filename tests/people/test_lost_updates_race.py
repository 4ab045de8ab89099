"""Two real connections saving the same person from the same version at once: exactly one
wins, the other is refused (yicai.versions). Its own module: the personas shared by a module
live in a transaction that other connections cannot see."""

import threading

import pytest

from tests import factories
from tests.concurrency import real_connections, run_in_thread, together
from yicai import versions
from yicai.people import services
from yicai.people.models import Person

pytestmark = pytest.mark.usefixtures("committed_db")


def test_two_connections_saving_the_same_version_at_once_exactly_one_wins(tmp_path):
    hospital = factories.institution("并发测试医院")
    person = factories.person(hospital, "并发")
    loaded = Person.objects.get(pk=person.pk).version
    start = threading.Barrier(2)

    def edit(position: str):
        def work():
            mine = Person.objects.get(pk=person.pk)  # this thread's own connection
            start.wait(timeout=10)
            try:
                services.person_update(person=mine, position=position, version=loaded)
            except versions.VersionConflict:
                return "refused"
            return "saved"

        return work

    with real_connections(tmp_path):
        positions = ("甲岗位", "乙岗位")
        outcomes = dict(zip(positions, together([edit(p) for p in positions]), strict=True))
        saved = run_in_thread(lambda: Person.objects.get(pk=person.pk))
    assert sorted(outcomes.values()) == ["refused", "saved"], outcomes
    winner = next(p for p, outcome in outcomes.items() if outcome == "saved")
    assert saved.position == winner and saved.version == loaded + 1
