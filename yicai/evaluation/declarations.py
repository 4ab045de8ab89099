"""What evaluation gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import MENTORS, OVERSEERS, Entry, Item

# evaluation.view / .export: the schemes of one's region and the score sheets of the subjects
# one keeps (an institution its own, a department head its department's).
# evaluation.edit: drafting a scheme, its indicators, subjects and links (the commission's).
# evaluation.publish: publishing a scheme's results and resolving appeals (the commission's).
# evaluation.disciplines: reading the disciplines' yearly figures of the departments one keeps
# or heads; evaluation.figures: entering and importing them (an institution its own, the
# commission its region's).
# A manual indicator's score is entered by its named reviewer, whatever their role.
_READS = {"evaluation.view", "evaluation.export", "evaluation.disciplines"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _READS | {"evaluation.edit", "evaluation.publish", "evaluation.figures"},
    Role.INSTITUTION_ADMIN: _READS | {"evaluation.figures"},
    Role.DEPARTMENT_HEAD: {"evaluation.view", "evaluation.disciplines"},
    # A person assessed reads their own published sheet and may appeal it.
    Role.MENTOR: {"evaluation.view"},
    Role.STAFF: {"evaluation.view"},
}

MENU: list[Entry] = [
    Entry("use", Item(_("考核方案"), "evaluation:schemes", "evaluation.view")),
    Entry("use", Item(_("考核申诉"), "evaluation:appeals", "evaluation.view", roles=OVERSEERS)),
    # A named reviewer (an officer, an expert) scores here (the page lists only their
    # indicators); a person assessed finds their own sheet through 考核方案.
    Entry("use", Item(_("待我评分"), "evaluation:reviews", "evaluation.view", roles=MENTORS)),
    Entry(
        "use",
        Item(_("学科年度数据"), "evaluation:figures", "evaluation.disciplines", roles=OVERSEERS),
    ),
]
