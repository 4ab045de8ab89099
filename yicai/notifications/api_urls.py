"""The notifications' API routes (collected by `yicai.api.urls`)."""

from yicai.api.routes import COLLECTION, ID, READ, Routes, action
from yicai.notifications.api import NotificationViewSet

_notifications = Routes("v1/notifications", "api-notifications")

urlpatterns = [
    _notifications("", NotificationViewSet.as_view({"get": COLLECTION["get"]}), "list"),
    _notifications("read-all/", action(NotificationViewSet, "read_all"), "read-all"),
    _notifications(f"{ID}/", NotificationViewSet.as_view(READ), "row"),
    _notifications(f"{ID}/read/", action(NotificationViewSet, "read"), "read"),
]
