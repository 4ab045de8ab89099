from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ApiView, form_filters
from yicai.api.schema import INSTITUTION_PARAMETER, errors
from yicai.insights.dashboard.forms import DashboardForm
from yicai.insights.dashboard.queries import dashboard_of
from yicai.insights.queries import VIEW


class DashboardCellOut(serializers.Serializer):
    text = serializers.CharField()
    url = serializers.CharField(help_text=_("该数字背后的记录列表（页面地址），无则为空"))


class DashboardCardOut(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField(source="label")
    value = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField()


class DashboardPanelOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    note = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=DashboardCellOut(many=True))


class DashboardOut(serializers.Serializer):
    as_of = serializers.DateField()
    since = serializers.DateField()
    until = serializers.DateField()
    counted_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("范围内人员较多时，所示数字的统计时间（后台定期重新统计）；否则为空"),
    )
    cards = DashboardCardOut(many=True)
    panels = DashboardPanelOut(many=True)


class DashboardViewSet(ApiView):
    """The dashboard 人才驾驶舱, as its page shows it: the same figures and links."""

    permissions = {"retrieve": VIEW}

    @extend_schema(
        parameters=[
            INSTITUTION_PARAMETER,
            OpenApiParameter("department", int, description=_("科室")),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description=_("人员现状截至，默认今天")),
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description=_("起始日，默认截止日当年1月1日")
            ),
            OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日，默认现状截至日")),
        ],
        responses={200: DashboardOut, **errors(400)},
    )
    def retrieve(self, request: Any) -> Response:
        values = form_filters(DashboardForm(request.user, request.query_params))
        seen = dashboard_of(request.user, values)
        return Response(DashboardOut(seen).data)
