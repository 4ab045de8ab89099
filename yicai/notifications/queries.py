"""A user's own notifications.

A notification is its account's alone, whatever the account's roles: the scope module decides
which of an institution's or a person's rows a role reaches, and has no scope for "this
account's own" (Scope.SELF is the account's person, which some accounts lack). So these reads
filter by the user themselves, and another user's notification is a 404 like any row out of
reach."""

from typing import TYPE_CHECKING

from django.http import Http404

from yicai.access.models import RequestUser, User
from yicai.notifications.models import Notification

if TYPE_CHECKING:
    from django.db.models import QuerySet


def notifications_for(user: RequestUser) -> "QuerySet[Notification]":
    if not isinstance(user, User) or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def notification_for(user: RequestUser, pk: int | str) -> Notification:
    try:
        return notifications_for(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(user: RequestUser) -> int:
    """The header's count: one query."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def notification_list(
    user: RequestUser, *, unread: bool = False, kind: str = "", permission: str | None = None
) -> "QuerySet[Notification]":
    """The user's notifications, the newest first; only the unread, or of one kind, when
    asked. (`permission` is a list's export permission: one's own need none.)"""
    rows = notifications_for(user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-created_at", "-id")
