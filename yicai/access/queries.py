"""Reads for the auditor and the security administrator (no person data here: of a person,
the security administrator sees only what tells namesakes apart when binding an account)."""

import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from django.apps import apps
from django.db.models import Model, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yicai.access.models import AuditEntry, RequestUser, RoleAssignment, SecurityPolicy, User
from yicai.access.scope import administered
from yicai.lookups import containing, narrowed

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


def audit_entries(criteria: Mapping[str, Any]) -> QuerySet[AuditEntry]:
    entries: QuerySet[AuditEntry] = AuditEntry.objects.select_related(
        "actor", "actor_institution", "content_type"
    )
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


def audit_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[str]]:
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


def entry_details(entry: AuditEntry) -> list[tuple[str, str]]:
    """What an entry changed or recorded, as (label, text) lines a reader understands: a row
    change field by field (foreign keys by name), an export's filters in words, and other
    data as compact text."""
    if entry.changes:
        return [
            (str(field), " → ".join(str(value) for value in values))
            for field, values in entry.changes_display_dict.items()
        ]
    data = entry.additional_data or {}
    if entry.event == AuditEntry.Event.EXPORT:
        # Exports recorded before filters were put in words show their parameters.
        raw = "；".join(f"{key}={value}" for key, value in data.get("filters", {}).items())
        return [(str(_("筛选条件")), data.get("in_words") or raw or str(_("全部")))]
    return [(str(key), _plain(value)) for key, value in sorted(data.items())]


def _plain(value: object) -> str:
    """Recorded data without JSON's quotes and braces: "min_length=12，otp_roles=auditor".
    Keys in alphabetical order: PostgreSQL's jsonb keeps them in an order of its own."""
    if isinstance(value, dict):
        return "，".join(f"{key}={_plain(item)}" for key, item in sorted(value.items()))
    if isinstance(value, list | tuple):
        return "、".join(_plain(item) for item in value)
    return "-" if value is None else str(value)


def changes_text(entry: AuditEntry) -> str:
    return "; ".join(f"{label}: {text}" for label, text in entry_details(entry))


def users_with_roles(q: str = "") -> QuerySet[User]:
    accounts = User.objects.select_related(
        "person__sex", "person__institution", "person__department"
    ).prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("institution", "department"),
        )
    )
    return narrowed(accounts, containing(q, "username", "first_name", "person__name")).order_by(
        "username"
    )


def bindable_people(user: RequestUser) -> QuerySet[Model]:
    """The people a security administrator may bind accounts to: the installation, or their
    region. Read through the app registry: `people` imports `access`, never the other way
    round."""
    person = apps.get_model("people", "Person")
    return administered(user, person._default_manager.all())


def locked_out(user: User) -> bool:
    """Whether django-axes refuses the account's logins now (too many failures lately)."""
    from axes.models import AccessAttempt

    policy = SecurityPolicy.current()
    since = timezone.now() - datetime.timedelta(minutes=policy.lockout_minutes)
    failures = AccessAttempt.objects.filter(
        username=user.username, attempt_time__gte=since
    ).aggregate(total=Sum("failures_since_start"))["total"]
    return (failures or 0) >= policy.lockout_failures
