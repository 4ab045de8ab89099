"""`yicai demo`'s 八个一 service: 30 served talents (no institution, not staff) enrolled at the
district's community health centres with a guardian doctor of the centre; a year of tasks,
most done with a satisfaction score, some overdue; two green-channel requests, one answered in
time and one late. Loaded once for the module (as of a fixed day)."""

import datetime

import pytest

from tests.builders import rolled_back_at_module_end
from yicai.demo import users
from yicai.demo.care import load_care
from yicai.demo.district import load_district
from yicai.people.models import Person
from yicai.retention.models import Enrolment, GreenChannelRequest, ServiceTask

TODAY = datetime.date(2026, 6, 17)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with rolled_back_at_module_end(django_db_blocker):
        load_district(people=300, today=TODAY)
        users.ensure_accounts("Demo-Pass-2026!")
        yield load_care(today=TODAY)


@pytest.fixture
def demo(loaded, db):
    return loaded


def test_thirty_served_talents_at_community_centres_with_their_guardians(demo):
    assert demo == 30 == Enrolment.objects.count()
    for enrolment in Enrolment.objects.select_related("person", "guardian", "institution"):
        assert enrolment.institution.kind == "community"
        assert enrolment.guardian.institution_id == enrolment.institution_id
        assert enrolment.person.category == Person.Category.SERVED_TALENT
        assert enrolment.person.institution_id is None
    assert load_care(today=TODAY) == 0  # loaded once


def test_a_year_of_tasks_most_done_some_overdue(demo):
    tasks = ServiceTask.objects.filter(due_on__lte=TODAY)
    done = tasks.filter(done_on__isnull=False)
    overdue = tasks.filter(done_on__isnull=True, deadline__lt=TODAY)
    assert tasks.count() > 30 * 12
    assert done.count() > tasks.count() * 0.7
    assert overdue.exists()
    assert not done.filter(satisfaction__isnull=True).exists()
    assert not done.filter(done_on__gt=TODAY).exists()


def test_two_green_channel_requests_one_in_time_one_late(demo):
    requests = list(GreenChannelRequest.objects.order_by("requested_at"))
    assert [request.in_time for request in requests] == [True, False]
