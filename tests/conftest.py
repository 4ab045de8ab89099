"""Shared personas (as healthchecks' alice / bob / charlie) and login helpers.

Two managed institutions A and B in the demo district, and a partner hospital P in Shanghai.
Every permission test uses these people and no others.
"""

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.template import Template
from django.test import utils as django_test_utils
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from tests import factories, migrated
from tests.builders import FAST_HASHERS, rolled_back_at_module_end
from yicai.access import services as access_services
from yicai.access.models import Role, Scope


@dataclass
class World:
    a: object
    b: object
    partner: object
    a_cardiology: object
    a_cardio_ward: object
    a_surgery: object
    b_medicine: object
    a_doctor: object
    a_ward_nurse: object
    a_surgeon: object
    b_doctor: object
    partner_expert: object
    commission: object
    hospital_a: object
    hospital_b: object
    dept_head: object
    mentor: object
    trainee: object
    auditor: object
    security: object
    nobody: object


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite on SQLite, then on PostgreSQL. A test marked `own_database`
    does exactly the same in both runs (it never opens the suite's database), so it runs in
    the first only. So do the browser tests: what they check is the page in the browser
    (scripts, the content policy, layout, a flow clicked through); the server side of every
    page they open is tested on both databases by the page, API and scope tests."""
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        return
    once = pytest.mark.skip(reason="uses no database of the suite's: run in the SQLite run")
    in_the_browser = pytest.mark.skip(reason="a browser test: run in the SQLite run")
    for item in items:
        if item.get_closest_marker("own_database"):
            item.add_marker(once)
        elif item.get_closest_marker("browser"):
            item.add_marker(in_the_browser)


@pytest.fixture
def world(shared_world) -> World:
    """The personas, built once per module and shared through savepoints. Browser tests,
    which commit on a live server, override this with a world of their own."""
    return shared_world


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The personas built once for a whole module, inside a transaction rolled back at its end;
    each test runs in a savepoint within it, as with Django's setUpTestData."""
    with rolled_back_at_module_end(django_db_blocker):
        yield build_world()


@pytest.fixture
def shared_world(module_world, db) -> World:
    return copy.deepcopy(module_world)  # a test's in-memory changes stay in that test


def build_world() -> World:
    f = factories
    a = f.institution("甲区中心医院")
    b = f.institution("乙社区卫生服务中心", kind="community")
    partner = f.institution("沪上合作医院", relation="partner", located="310104")
    a_cardiology = f.department(a, "心血管内科")
    a_cardio_ward = f.department(a, "心内二病区", parent=a_cardiology)
    a_surgery = f.department(a, "普外科")
    b_medicine = f.department(b, "全科")
    a_doctor = f.person(a, "李心怡", department=a_cardiology, male=False, title="233")
    a_ward_nurse = f.person(a, "赵护士", department=a_cardio_ward, male=False, title="254")
    # Heads surgery and, as a hospital leader, is in charge of cardiology too (挂钩领导).
    a_surgeon = f.person(
        a, "周外科", department=a_surgery, title="232", in_charge=(a_surgery, a_cardiology)
    )
    b_doctor = f.person(b, "陈全科", department=b_medicine, title="234")
    partner_expert = f.person(partner, "孙名医", category="external_expert", title="231")
    district = f.region("310113")
    return World(
        a=a,
        b=b,
        partner=partner,
        a_cardiology=a_cardiology,
        a_cardio_ward=a_cardio_ward,
        a_surgery=a_surgery,
        b_medicine=b_medicine,
        a_doctor=a_doctor,
        a_ward_nurse=a_ward_nurse,
        a_surgeon=a_surgeon,
        b_doctor=b_doctor,
        partner_expert=partner_expert,
        commission=f.user(
            "commission", roles=[(Role.COMMISSION_ADMIN, {"scope": Scope.ALL, "region": district})]
        ),
        hospital_a=f.user("hospital_a", roles=[(Role.INSTITUTION_ADMIN, {"institution": a})]),
        hospital_b=f.user("hospital_b", roles=[(Role.INSTITUTION_ADMIN, {"institution": b})]),
        dept_head=f.user("dept", roles=[(Role.DEPARTMENT_HEAD, {"department": a_cardiology})]),
        mentor=f.user("mentor", person=partner_expert, roles=[(Role.MENTOR, {})]),
        trainee=f.user("trainee", person=a_doctor, roles=[(Role.STAFF, {})]),
        auditor=f.user("auditor", roles=[(Role.AUDITOR, {})]),
        security=f.user("security", roles=[(Role.SECURITY_ADMIN, {})]),
        nobody=f.user("nobody"),
    )


def login(client, user):
    """Log in as a finished session would be: password done, second factor passed."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device = access_services.totp_device_ensure(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def api(db):
    """A DRF test client (JSON by default)."""
    return APIClient()


@pytest.fixture
def as_api(api):
    """The API client signed in as a persona, the way a finished browser session is."""

    def _as(user):
        login(api, user)
        return api

    return _as


@pytest.fixture
def as_user(client):
    def _as(user):
        return login(client, user)

    return _as


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def untraced_templates(monkeypatch):
    """Templates render without the test client's capture of every template and context (as
    outside tests): for the walkers that send thousands of requests and read only statuses
    and bodies, never `response.context`."""
    saved = django_test_utils._TestState.saved_data
    monkeypatch.setattr(Template, "_render", saved.template_render)


@pytest.fixture(scope="session", autouse=True)
def _media(tmp_path_factory):
    """Uploads go to a temporary folder, set before any module builds its records (a record
    built once for a module keeps its file where the module's tests find it)."""
    django_settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _tasks(settings):
    """Background tasks run at once, inside the test."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[migrated.Migrated]:
    """The test database as migrations made it (codes, regions, content types), recorded once:
    every test that commits for real then ends by putting that back (tests/migrated.py), not
    with Django's flush of every table and reload of the migrated rows."""
    with django_db_blocker.unblock():
        state = migrated.record(connections[DEFAULT_DB_ALIAS])
    with migrated.put_back_after_committed_tests(state):
        yield state


@pytest.fixture
def migrated_state(django_db_setup) -> migrated.Migrated:
    """What migrations left in the test database, recorded at the session's start."""
    return django_db_setup


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes are committed, seen by other connections and threads, starting
    from the migrated data (codes, regions)."""


@pytest.fixture(autouse=True)
def _audit_checkpoint(settings, tmp_path_factory):
    """Each test's audit checkpoint is its own file, never the site's var/."""
    settings.AUDIT_CHECKPOINT = str(tmp_path_factory.mktemp("audit") / "checkpoint.json")
