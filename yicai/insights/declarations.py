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
# The national health-workforce table (卫生人力基本信息调查表, yicai.insights.national): an
# institution's report to the statistics system, made and checked by the administrators, not
# by a department head (person.export would let one in).
NATIONAL_TABLE = "insights.national_table"
_KEEPS = {"insights.view", "insights.export", "insights.edit", NATIONAL_TABLE}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS,
    Role.INSTITUTION_ADMIN: _KEEPS,
    Role.DEPARTMENT_HEAD: {"insights.view"},
}

_COMMISSION = frozenset({Role.COMMISSION_ADMIN})
_ADMINISTRATORS = frozenset({Role.COMMISSION_ADMIN, Role.INSTITUTION_ADMIN})
MENU = [
    Entry("use", Item(_("人才驾驶舱"), "insights:dashboard", "insights.view", roles=OVERSEERS)),
    Entry(
        "use", Item(_("人才工作年度报告"), "insights:report", "insights.export", roles=OVERSEERS)
    ),
    Entry(
        "use", Item(_("人员需求测算（WISN）"), "insights:studies", "insights.view", roles=OVERSEERS)
    ),
    Entry("use", Item(_("规划指标"), "insights:planning", "insights.view", roles=_COMMISSION)),
    Entry("use", Item(_("退休预测"), "insights:retirement", "insights.view", roles=OVERSEERS)),
    Entry("use", Item(_("规划参数"), "insights:parameters", "insights.view", roles=OVERSEERS)),
    Entry("use", Item(_("常住人口"), "insights:populations", "insights.view", roles=_COMMISSION)),
    # Gaps against the stored norms and the ranked priorities (priority_views.py).
    Entry(
        "use",
        Item(_("人才工作优先事项"), "insights:priorities", "insights.view", roles=_ADMINISTRATORS),
    ),
    Entry(
        "use", Item(_("配置标准缺口"), "insights:norm_gaps", "insights.view", roles=_ADMINISTRATORS)
    ),
    Entry(
        "use",
        Item(
            _("卫生人力基本信息调查表"),
            "insights:national_table",
            NATIONAL_TABLE,
            roles=_ADMINISTRATORS,
        ),
    ),
]
