"""What people gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import ADMINISTRATORS, OVERSEERS, Actor, Entry, Item, oversees

_KEEPS = {"person.view", "person.edit", "person.export", "person.reveal", "person.reveal_phone"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS,
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"person.view", "person.export"},
    Role.MENTOR: {"person.view"},
    Role.STAFF: {"person.view"},
}


def _has_person(user: Actor) -> bool:
    return getattr(user, "person_id", None) is not None


def _own_record_only(user: Actor) -> bool:
    # Whoever oversees people finds their own record in the list of everyone's.
    return _has_person(user) and not oversees(user)


MENU = [
    Entry(
        "records",
        Item(_("我的档案"), "people:detail", "person.view"),
        order=10,
        shown=_own_record_only,
        own_person=True,
    ),
    Entry("records", Item(_("人才档案"), "people:list", "person.view", roles=OVERSEERS), order=20),
    Entry(
        "records",
        Item(_("信息更正申请"), "people:corrections", "person.edit", roles=ADMINISTRATORS),
        order=60,
    ),
    # Anyone with a record may ask for it to be corrected (PIPL art. 46).
    Entry(
        "records",
        Item(_("我的信息更正"), "people:corrections_mine", "person.view"),
        order=70,
        shown=_has_person,
    ),
]
