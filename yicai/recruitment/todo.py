"""Recruitment plans waiting for the commission's decision, and plans returned to a hospital,
for the home page's 我的待办 (yicai/todo.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yicai import todo
from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.recruitment import queries
from yicai.recruitment.models import Clawback, RecruitmentPlan
from yicai.todo import Item


def plans(user: RequestUser) -> list[Item]:
    """The commission: plans to decide; a hospital: its plans returned to it."""
    listed = reverse("recruitment:plans")
    if has_perm(user, queries.APPROVE):
        return [
            Item(
                _("待审批的招聘计划"),
                f"{listed}?status={RecruitmentPlan.Status.SUBMITTED}",
                todo.count(queries.to_approve(user)),
                key="recruitment.plans_to_approve",
            )
        ]
    if has_perm(user, queries.EDIT):
        returned = queries.plans_for(user, queries.EDIT).filter(
            status=RecruitmentPlan.Status.RETURNED
        )
        return [
            Item(
                _("被退回待修改的招聘计划"),
                f"{listed}?status={RecruitmentPlan.Status.RETURNED}",
                todo.count(returned),
                key="recruitment.plans_returned",
            )
        ]
    return []


def entitlements(user: RequestUser) -> list[Item]:
    """Who pays: the tranches fallen due; the commission: the clawbacks to decide."""
    items = []
    if has_perm(user, queries.EDIT):
        items.append(
            Item(
                _("到期待发放的引进待遇"),
                reverse("recruitment:payments_due"),
                todo.count(queries.payments_due(user, permission=queries.EDIT)),
                key="recruitment.payments_due",
            )
        )
    if has_perm(user, queries.APPROVE):
        proposed = queries.clawbacks_for(user, queries.APPROVE).filter(
            status=Clawback.Status.PROPOSED
        )
        items.append(
            Item(
                _("待审批的待遇退还"),
                reverse("recruitment:introductions") + "?owing=on",
                todo.count(proposed),
                key="recruitment.clawbacks_to_decide",
            )
        )
    return items


def register_providers() -> None:
    todo.register("recruitment.plans")(plans)
    todo.register("recruitment.entitlements")(entitlements)
