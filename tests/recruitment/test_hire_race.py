"""Two real connections hiring the same candidate at once (two officers, a double click that
reached two workers): one person and one appointment, and both calls answer with that hire.
Its own module: the personas shared by a module live in a transaction that other connections
cannot see, so what is needed is built here, committed."""

import datetime
import threading
from types import SimpleNamespace

import pytest
from django.db import transaction

from tests import factories
from tests.concurrency import real_connections, run_in_thread, together
from tests.recruitment.helpers import candidate_on_notice, published_plan
from yicai.people.models import Appointment, Person
from yicai.recruitment import services
from yicai.recruitment.models import Application

pytestmark = pytest.mark.usefixtures("committed_db")

PUBLISHED = datetime.date(2022, 4, 1)
HIRED_ON = datetime.date(2022, 6, 20)  # the notice ended on 7 June


def _candidate() -> Application:
    hospital = factories.institution("并发招聘医院")
    department = factories.department(hospital, "心内科")
    # published_plan asks the world for the approving account only: the command line's None.
    plan = published_plan(
        SimpleNamespace(commission=None), hospital, on=PUBLISHED, department=department
    )
    return candidate_on_notice(plan.posts.get(), "并发")


def _hire(pk: int) -> Application:
    # Each thread loads the application on its own connection, as a request would.
    return services.application_hire(application=Application.objects.get(pk=pk), on=HIRED_ON)


def _on_file(candidate: Application) -> tuple[list[int], int]:
    people = list(
        Person.objects.filter(id_number_index=candidate.id_number_index).values_list(
            "pk", flat=True
        )
    )
    return people, Appointment.objects.filter(person__in=people).count()


# One person, one appointment, both calls answering with that hire, the application hired
# on the day asked.
ONE_HIRE = (1, 1, True, (Application.Status.HIRED, True, HIRED_ON))


def _hires(tmp_path, works) -> tuple:
    """What the two hires left: people and appointments of the candidate's number, whether
    both calls answered with that person, and the application as stored."""
    candidate = _candidate()
    with real_connections(tmp_path):
        results = together(works(candidate.pk))
        people, appointments = run_in_thread(_on_file, candidate)
        stored = run_in_thread(lambda: Application.objects.get(pk=candidate.pk))
    answered = all(
        isinstance(result, Application) and [result.person_id] == people for result in results
    )
    kept = (stored.status, [stored.person_id] == people, stored.hired_on)
    return len(people), appointments, answered, kept


def test_two_hires_at_the_same_moment_make_one_person_and_one_appointment(tmp_path):
    start = threading.Barrier(2)

    def works(pk):
        def hire():
            start.wait(timeout=10)
            return _hire(pk)

        return [hire, hire]

    assert _hires(tmp_path, works) == ONE_HIRE


def test_a_hire_made_while_another_is_still_open_finds_it_once_committed(tmp_path):
    # The interleaving that breaks a lock not taken: the second hire reads the application
    # while the first has hired but not yet committed.
    first_open = threading.Event()

    def works(pk):
        def hire_and_hold():
            with transaction.atomic():
                hired = _hire(pk)
                first_open.set()
                threading.Event().wait(0.6)
            return hired

        def hire_meanwhile():
            assert first_open.wait(10)
            return _hire(pk)

        return [hire_and_hold, hire_meanwhile]

    assert _hires(tmp_path, works) == ONE_HIRE
