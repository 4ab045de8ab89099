"""What org gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import OVERSEERS, Entry, Item

_KEEPS = {"org.view", "org.edit", "org.export"}
PERMISSIONS = {
    # Only the commission registers a new institution.
    Role.COMMISSION_ADMIN: _KEEPS | {"org.create"},
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"org.view"},
    Role.MENTOR: {"org.view"},
    Role.STAFF: {"org.view"},
}

MENU = [Entry("records", Item(_("医疗机构"), "org:list", "org.view", roles=OVERSEERS), order=40)]
