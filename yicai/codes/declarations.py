"""What codes gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import OVERSEERS, Entry, Item

# The commission keeps the dictionaries; everyone reads the code tables with org.view.
PERMISSIONS = {Role.COMMISSION_ADMIN: {"codes.manage"}}

MENU = [Entry("records", Item(_("代码表"), "codes:list", "org.view", roles=OVERSEERS), order=50)]
