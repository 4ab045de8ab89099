"""Imports checked and waiting for confirmation, for the home page's 我的待办
(yicai/todo.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yicai import todo
from yicai.access.models import RequestUser
from yicai.access.scope import has_perm
from yicai.exchange.engine import entities
from yicai.exchange.queries import jobs_awaiting_confirmation
from yicai.todo import Item


def imports(user: RequestUser) -> list[Item]:
    if not any(has_perm(user, entity.permission) for entity in entities()):
        return []
    return todo.each(
        jobs_awaiting_confirmation(user),
        lambda job: Item(
            _("导入待确认：%s") % job.original_name,
            reverse("exchange:job", args=[job.token]),
            detail=_("新增 %(new)d，更新 %(updated)d，有错误 %(invalid)d")
            % {"new": job.new, "updated": job.updated, "invalid": job.invalid},
            key="exchange.import_to_confirm",
        ),
        Item(_("其他待确认的导入"), reverse("exchange:imports"), key="exchange.imports"),
    )


def register_providers() -> None:
    todo.register("exchange.imports")(imports)
