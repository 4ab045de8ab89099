"""Reads for the auditor and the security administrator (no person data here)."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.models import AuditEntry, RoleAssignment, User

AUDIT_HEADERS = [
    _("时间"),
    _("事件"),
    _("操作"),
    _("操作人"),
    _("操作人机构"),
    _("IP"),
    _("请求号"),
    _("对象类型"),
    _("对象"),
    _("变更内容"),
    _("哈希"),
]


def audit_entries(criteria: dict) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "actor_institution", "content_type")
    if criteria.get("event"):
        entries = entries.filter(event=criteria["event"])
    if criteria.get("actor"):
        entries = entries.filter(
            Q(actor__username__icontains=criteria["actor"])
            | Q(actor__first_name__icontains=criteria["actor"])
        )
    if criteria.get("text"):
        entries = entries.filter(object_repr__icontains=criteria["text"])
    if criteria.get("since"):
        entries = entries.filter(timestamp__gte=_start_of(criteria["since"]))
    if criteria.get("until"):
        entries = entries.filter(
            timestamp__lt=_start_of(criteria["until"] + datetime.timedelta(days=1))
        )
    return entries.order_by("-pk")


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def audit_rows(entries: QuerySet[AuditEntry]):
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
            entry.get_event_display(),
            entry.action_label,
            entry.actor.username if entry.actor else "",
            str(entry.actor_institution or ""),
            entry.remote_addr or "",
            entry.cid or "",
            entry.content_type.name if entry.content_type else "",
            entry.object_repr,
            changes_text(entry),
            entry.entry_hash,
        ]


def changes_text(entry: AuditEntry) -> str:
    if entry.changes:
        return "; ".join(
            f"{field}: {values[0]} → {values[1]}"
            for field, values in entry.changes.items()
            if isinstance(values, list | tuple) and len(values) == 2
        )
    return str(entry.additional_data or "")


def users_with_roles() -> QuerySet[User]:
    return User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("institution", "department"),
        )
    ).order_by("username")
