"""What insights gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import OVERSEERS, Entry, Item

# insights.edit: recording a department's WISN study (its working time, activities and
# allowances), the administrators'; a department head reads their own department's.
# Workforce planning: the dated parameters and the regions' population are set with
# insights.edit by a commission only (queries.planner); everyone with insights.view reads
# them, the retirement projection of the people they see and the people behind it; the
# figures per 1,000 population are a commission's region's.
_KEEPS = {"insights.view", "insights.export", "insights.edit"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS,
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"insights.view"},
}

_COMMISSION = frozenset({Role.COMMISSION_ADMIN})
MENU = [
    Entry(
        "use", Item(_("人员需求测算（WISN）"), "insights:studies", "insights.view", roles=OVERSEERS)
    ),
    Entry("use", Item(_("规划指标"), "insights:planning", "insights.view", roles=_COMMISSION)),
    Entry("use", Item(_("退休预测"), "insights:retirement", "insights.view", roles=OVERSEERS)),
    Entry("use", Item(_("规划参数"), "insights:parameters", "insights.view", roles=OVERSEERS)),
    Entry("use", Item(_("常住人口"), "insights:populations", "insights.view", roles=_COMMISSION)),
]
