"""What access gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import Entry, Item

# 三员分立: the auditor reads and exports the audit log, the security administrator manages
# accounts and the security policy; neither holds business data.
PERMISSIONS = {
    Role.AUDITOR: {"audit.view", "audit.export"},
    Role.SECURITY_ADMIN: {"users.manage", "policy.manage"},
}

MENU = [
    Entry("admin", Item(_("审计日志"), "access:audit", "audit.view")),
    Entry("admin", Item(_("用户与角色"), "access:users", "users.manage")),
    Entry("admin", Item(_("安全策略"), "access:policy", "policy.manage")),
]
