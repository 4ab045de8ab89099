"""Each app declares the permissions its roles get; collected, they are exactly the table
access.scope held before the apps declared their own (issue 12): no role gained or lost one."""

from yicai.access import scope
from yicai.access.models import Role
from yicai.training import declarations

_RECORDS = {
    "person.view",
    "person.edit",
    "person.export",
    "person.reveal",
    "person.reveal_phone",
    "org.view",
    "org.edit",
    "org.export",
    "training.view",
    "training.edit",
    "training.export",
    "training.verify",
}
BACKFILL = "training.backfill"
# access.scope.PERMISSIONS and OVERSEEING as they were written by hand, before issue 12.
BEFORE = {
    Role.COMMISSION_ADMIN: _RECORDS
    | {"org.create", "codes.manage", "training.configure", BACKFILL},
    Role.INSTITUTION_ADMIN: _RECORDS | {BACKFILL},
    Role.DEPARTMENT_HEAD: {
        "person.view",
        "person.export",
        "org.view",
        "training.view",
        "training.export",
        "training.verify",
    },
    Role.MENTOR: {"person.view", "org.view", "training.view", "training.verify"},
    Role.STAFF: {"person.view", "org.view", "training.view", "training.log"},
    Role.AUDITOR: {"audit.view", "audit.export"},
    Role.SECURITY_ADMIN: {"users.manage", "policy.manage"},
}
OVERSEEING_BEFORE = {"training.view", "training.export", "training.verify"}


def of_the_apps_of_before(table: dict) -> dict:
    """The table without the permissions of apps added since (recruitment), which their own
    tests check: each role's permissions of before are still exactly its own."""
    domains = {permission.split(".")[0] for granted in BEFORE.values() for permission in granted}
    return {
        role: {permission for permission in granted if permission.split(".")[0] in domains}
        for role, granted in table.items()
    }


def test_the_collected_permissions_are_the_table_of_before():
    assert of_the_apps_of_before(scope.permissions()) == BEFORE
    assert scope.PERMISSIONS is scope.permissions()  # the name tests patch is the one read
    assert declarations.BACKFILL == BACKFILL  # training names it, not the shared layer


def test_the_collected_overseeing_is_what_it_was():
    assert scope.overseeing() == OVERSEEING_BEFORE == scope.OVERSEEING


def test_a_role_answers_from_the_collected_table():
    for role, granted in BEFORE.items():
        for permission in set().union(*BEFORE.values()):
            assert scope.role_may(role, permission) == (permission in granted), (role, permission)
