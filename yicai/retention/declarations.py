"""What retention gives each role and shows in the menu (see yicai.registry)."""

from yicai.access.models import Role
from yicai.menu import Entry

# Money is seen only by those who hold a money permission: the commission and an
# institution's administrators (its HR and finance office), never a department head.
PERMISSIONS = {
    Role.COMMISSION_ADMIN: {
        "retention.view",
        "retention.edit",
        "retention.export",
        "retention.money",
        "retention.approve",
    },
    Role.INSTITUTION_ADMIN: {"retention.view", "retention.export", "retention.money"},
    Role.DEPARTMENT_HEAD: {"retention.view"},
}

# The menu entries come with the pages.
MENU: list[Entry] = []
