"""The user's own notifications (/api/v1/notifications/): listed (unread only, of a kind),
read one, mark one or all read. Anyone signed in has theirs, and no one else's."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yicai.api.base import ModelOutput
from yicai.api.records import RecordViewSet, cursor_pagination
from yicai.api.schema import row_action
from yicai.notifications import queries, services
from yicai.notifications.forms import NotificationFilterForm
from yicai.notifications.models import Notification


class NotificationOut(ModelOutput):
    kind_display = serializers.CharField(source="kind_label", read_only=True)

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "kind_display",
            "title",
            "body",
            "url",
            "due_on",
            "created_at",
            "read_at",
        )


class MarkedAllOut(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text=_("标为已读的条数"))


@extend_schema(tags=["notifications"])
class NotificationViewSet(RecordViewSet):
    """The signed-in user's notifications, the newest first."""

    # One's own notifications need no permission ("": the rows are the user's alone).
    permissions = {"list": "", "retrieve": "", "read": "", "read_all": ""}
    pagination_class = cursor_pagination("-created_at", "-id")
    filter_form = NotificationFilterForm
    list_parameters = [
        OpenApiParameter("unread", str, enum=["", "1"], description=_("1：只看未读")),
        OpenApiParameter("kind", str, description=_("类别")),
    ]
    output = NotificationOut

    def list_rows(self, **filters: Any) -> Any:
        return queries.notification_list(self.request.user, **filters)

    @row_action(None, NotificationOut)
    def read(self, request: Request, pk: str) -> Response:
        notification = queries.notification_for(request.user, pk)
        services.mark_read(notification=notification)
        return Response(NotificationOut(notification).data)

    @extend_schema(request=None, responses={200: MarkedAllOut})
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.mark_all_read(user=request.user)})
