"""The bell in the page header: the user's unread notifications, counted once per request
and only when the page shows it (none for anonymous users, or a session still owing its
second factor or a new password)."""

from typing import Any

from django.http import HttpRequest

from yicai.notifications.queries import unread_count


def _count(request: HttpRequest) -> int:
    cached: Any = request  # kept on the request, not an attribute Django knows
    if not hasattr(cached, "_yicai_unread"):
        cached._yicai_unread = unread_count(request.user)
    count: int = cached._yicai_unread
    return count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "yicai_pending", False):
        return {}
    # A callable: the template calls it where it shows the count, and only then is it read.
    return {"notifications_unread": lambda: _count(request)}
