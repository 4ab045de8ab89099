"""What recruitment gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import OVERSEERS, Entry, Item

# As with cultivation records: the administrators keep them, a department head reads its own.
_KEEPS = {"recruitment.view", "recruitment.edit", "recruitment.export"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS,
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"recruitment.view"},
}

MENU = [
    Entry(
        "attract",
        Item(_("合作协议"), "recruitment:agreements", "recruitment.view", roles=OVERSEERS),
    ),
]
