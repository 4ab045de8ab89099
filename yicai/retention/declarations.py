"""What retention gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import ADMINISTRATORS, OVERSEERS, Entry, Item

# retention.view / .edit / .export: the records that are not money (promotion rounds,
# competitions, services), kept by the commission and the institutions.
# retention.money: seeing money at all (funds, ledgers, policies' amounts, award runs), for the
# commission and an institution's administrators (its HR and finance office); never a
# department head. retention.ledger: recording money in and out of a fund one keeps.
# retention.policy: drafting policies and preparing award runs, the commission's.
# retention.approve: approving a run (not one's own) and letting an expense overdraw a fund.
_KEEPS = {"retention.view", "retention.edit", "retention.export"}
_MONEY = {"retention.money", "retention.ledger"}
# retention.risk: the attrition-risk flags of the people one keeps (reasons that name tranches
# withheld), for the commission and an institution's administrators.
_RISK = {"retention.risk"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _KEEPS | _MONEY | _RISK | {"retention.policy", "retention.approve"},
    Role.INSTITUTION_ADMIN: _KEEPS | _MONEY | _RISK,
    Role.DEPARTMENT_HEAD: {"retention.view"},
}

# Money is the commission's and an institution's administrators' (never a department head's).
MENU: list[Entry] = [
    Entry(
        "retain",
        Item(_("激励政策"), "retention:policies", "retention.money", roles=ADMINISTRATORS),
    ),
    Entry(
        "retain",
        Item(_("奖励核发"), "retention:runs", "retention.money", roles=ADMINISTRATORS),
    ),
    Entry(
        "retain",
        Item(_("经费台账"), "retention:funds", "retention.money", roles=ADMINISTRATORS),
    ),
    Entry(
        "retain", Item(_("职称晋升"), "retention:rounds", "retention.view", roles=ADMINISTRATORS)
    ),
    Entry(
        "retain",
        Item(_("技能竞赛"), "retention:competitions", "retention.view", roles=OVERSEERS),
    ),
    Entry(
        "retain", Item(_("专家接待"), "retention:lodges", "retention.view", roles=ADMINISTRATORS)
    ),
    Entry(
        "retain",
        Item(_("“八个一”服务"), "retention:care_tasks", "retention.view", roles=ADMINISTRATORS),
    ),
    Entry("retain", Item(_("流失风险"), "retention:risks", "retention.risk", roles=ADMINISTRATORS)),
]
