"""Recruitment plans waiting for the commission's decision, and plans returned to a hospital,
for the home page's 我的待办 (yicai/todo.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yicai import todo
from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.recruitment import queries
from yicai.recruitment.models import RecruitmentPlan
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


def register_providers() -> None:
    todo.register("recruitment.plans")(plans)
