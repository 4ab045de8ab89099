"""What person records ask of a hospital administrator today, for the home page's 我的待办
(yicai/todo.py): records a roster left incomplete, and licences about to expire."""

from django.urls import reverse
from django.utils.translation import gettext as _

from yicai import todo
from yicai.access.models import Role
from yicai.access.scope import roles
from yicai.people.queries import (
    LICENCE_NOTICE_DAYS,
    corrections_to_resolve,
    incomplete,
    licence_expiring,
    people_for,
)
from yicai.todo import Item


def hospital(user) -> list[Item]:
    # HR keeps the records; the commission reads them and a department head does not edit.
    if Role.INSTITUTION_ADMIN not in roles(user):
        return []
    people = people_for(user, "person.edit")
    return [
        Item(
            _("档案不完整的人员"),
            reverse("people:list") + "?incomplete=on",
            count=todo.count(people.filter(incomplete())),
            detail=_("学历缺毕业院校或毕业时间、职称缺取得时间"),
            key="people.incomplete",
        ),
        Item(
            _("执业证书 %d 天内到期的人员") % LICENCE_NOTICE_DAYS,
            reverse("people:list") + "?licence_expiring=on",
            count=todo.count(people.filter(licence_expiring())),
            key="people.licence_expiring",
        ),
    ]


def corrections(user) -> list[Item]:
    """Correction requests waiting for HR (PIPL art. 46: without undue delay). The
    commission may resolve them too, from the list page; hospitals keep the records."""
    if Role.INSTITUTION_ADMIN not in roles(user):
        return []
    pending = corrections_to_resolve(user, "pending")
    if user.person_id is not None:  # nobody resolves a request about themselves
        pending = pending.exclude(person_id=user.person_id)
    return [
        Item(
            _("待处理的信息更正申请"),
            reverse("people:corrections"),
            count=todo.count(pending),
            key="people.corrections",
        )
    ]


def register_providers() -> None:
    todo.register("people.hospital")(hospital)
    todo.register("people.corrections")(corrections)
