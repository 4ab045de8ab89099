"""What insights gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import OVERSEERS, Entry, Item

# insights.edit: recording a department's WISN study (its working time, activities and
# allowances), the administrators'; a department head reads their own department's.
_KEEPS = {"insights.view", "insights.export", "insights.edit"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS,
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"insights.view"},
}

MENU = [
    Entry(
        "use", Item(_("人才工作年度报告"), "insights:report", "insights.export", roles=OVERSEERS)
    ),
    Entry(
        "use", Item(_("人员需求测算（WISN）"), "insights:studies", "insights.view", roles=OVERSEERS)
    ),
]

# The national health-workforce table (卫生人力基本信息调查表, yicai.insights.national): an
# institution's report to the statistics system, made and checked by the administrators, not
# by a department head (person.export would let one in).
NATIONAL_TABLE = "insights.national_table"
_ADMINISTRATORS = frozenset({Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN})
for _role in _ADMINISTRATORS:
    PERMISSIONS[_role] = PERMISSIONS[_role] | {NATIONAL_TABLE}
MENU.append(
    Entry(
        "use",
        Item(
            _("卫生人力基本信息调查表"),
            "insights:national_table",
            NATIONAL_TABLE,
            roles=_ADMINISTRATORS,
        ),
    )
)
