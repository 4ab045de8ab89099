"""三员分立 holds when two grants race: two real connections, the first grant still open
while the second is made. Before the user's row was locked, both committed (PostgreSQL) and
one account held commission admin and auditor at once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tests import factories
from tests.concurrency import real_connections, run_in_thread, together
from yicai.access import services
from yicai.access.models import Role, RoleAssignment, User

pytestmark = pytest.mark.usefixtures("committed_db")


@pytest.mark.parametrize(
    ("first", "second"),
    [(Role.COMMISSION_ADMIN, Role.AUDITOR), (Role.SECURITY_ADMIN, Role.STAFF)],
)
def test_two_simultaneous_grants_never_give_one_account_roles_that_must_stay_apart(
    tmp_path, first, second
):
    # Roles that need no institution: a transactional test's database is emptied after it,
    # the regions loaded by migrations included.
    target = factories.user("racer")
    first_open = threading.Event()

    def grant_and_hold():
        with transaction.atomic():
            services.role_assign(user=User.objects.get(pk=target.pk), role=first)
            first_open.set()
            # The second grant is made while this one is not yet committed.
            threading.Event().wait(0.6)
        return "granted"

    def grant_meanwhile():
        assert first_open.wait(10)
        user = User.objects.get(pk=target.pk)
        services.role_assign(user=user, role=second)
        return "granted"

    with real_connections(tmp_path):
        results = together([grant_and_hold, grant_meanwhile])
        held = run_in_thread(
            lambda: sorted(
                RoleAssignment.objects.filter(user=target).values_list("role", flat=True)
            )
        )
    assert results[0] == "granted"
    assert isinstance(results[1], ValidationError), results[1]
    assert "三员分立" in str(results[1].message_dict["role"])
    assert held == [first]
