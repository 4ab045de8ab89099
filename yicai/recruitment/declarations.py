"""What recruitment gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import ADMINISTRATORS, OVERSEERS, Entry, Item

# As with cultivation records: the administrators keep them, a department head reads its own.
_KEEPS = {"recruitment.view", "recruitment.edit", "recruitment.export"}
# Approving (or returning) a recruitment plan is the commission's.
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS | {"recruitment.approve"},
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"recruitment.view"},
}

MENU = [
    Entry(
        "attract",
        Item(_("招才引智概览"), "recruitment:overview", "recruitment.view", roles=OVERSEERS),
    ),
    Entry(
        "attract",
        Item(_("招聘计划"), "recruitment:plans", "recruitment.view", roles=ADMINISTRATORS),
    ),
    Entry(
        "attract",
        Item(_("报名人员"), "recruitment:applications", "recruitment.view", roles=ADMINISTRATORS),
    ),
    Entry(
        "attract",
        Item(_("人才引进"), "recruitment:introductions", "recruitment.view", roles=OVERSEERS),
    ),
    Entry(
        "attract",
        Item(_("定向培养"), "recruitment:contracts", "recruitment.view", roles=ADMINISTRATORS),
    ),
    Entry(
        "attract",
        Item(
            _("紧缺与高层次人才增长"),
            "recruitment:talent_growth",
            "recruitment.view",
            roles=OVERSEERS,
        ),
    ),
    Entry(
        "attract",
        Item(_("专家网络"), "recruitment:network", "recruitment.view", roles=OVERSEERS),
    ),
    Entry(
        "attract",
        Item(_("合作协议"), "recruitment:agreements", "recruitment.view", roles=OVERSEERS),
    ),
]
