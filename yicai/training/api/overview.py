"""The cultivation overview (/api/v1/training/overview/): every figure of the overview page,
from the same query (`training.queries.overview`), counted over the records the user may see.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.org.api import ApiView, errors
from yicai.training.queries.overview import overview

MONEY = _("金额（元）：十进制数，以字符串表示，保留两位小数，如“580000.00”")


class OverviewIn(serializers.Serializer):
    since = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class Overview(serializers.Serializer):
    since = serializers.DateField(read_only=True, help_text=_("活动统计的起始日期（含）"))
    year = serializers.IntegerField(read_only=True, help_text=_("工作室经费的年度"))
    mentorships = serializers.IntegerField(read_only=True, help_text=_("进行中的师带徒关系数"))
    pairs = serializers.IntegerField(read_only=True, help_text=_("其中的师徒对数"))
    external_mentor_pairs = serializers.IntegerField(
        read_only=True, help_text=_("其中院外导师带教的师徒对数")
    )
    studios = serializers.IntegerField(read_only=True, help_text=_("该年度运行中的工作室数"))
    studios_by_tier = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("按级别（national、provincial、district）的工作室数，含 0"),
    )
    studio_subsidy_due = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        help_text=format_lazy("{}{}", _("按级别标准应补助；"), MONEY),
    )
    studio_funding_recorded = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        help_text=format_lazy("{}{}", _("已登记经费；"), MONEY),
    )
    visits = serializers.IntegerField(read_only=True, help_text=_("起始日期以来已开展的专家活动数"))
    planned_visits = serializers.IntegerField(read_only=True, help_text=_("计划中的专家活动数"))
    consultations = serializers.IntegerField(
        read_only=True, help_text=_("起始日期以来的远程会诊数")
    )
    gaps_filled = serializers.IntegerField(
        read_only=True, help_text=_("起始日期以来填补的技术空白数")
    )
    gaps_filled_first_in_region = serializers.IntegerField(
        read_only=True, help_text=_("其中同时填补本辖区空白的")
    )
    verified_independent_cases = serializers.IntegerField(
        read_only=True, help_text=_("起始日期以来经审核的独立完成病例数")
    )
    active_secondments = serializers.IntegerField(read_only=True, help_text=_("今天在外进修人数"))
    reports_awaiting_comment = serializers.IntegerField(
        read_only=True, help_text=_("待挂钩领导批注的月报数")
    )
    open_needs = serializers.IntegerField(read_only=True, help_text=_("尚未解决的进修需求数"))
    flexible_teams = serializers.IntegerField(
        read_only=True, help_text=_("今天合作中的柔性引进团队数")
    )


@extend_schema(tags=["training"])
class OverviewViewSet(ApiView):
    """The figures the commission reports (mentor pairs, studios, expert visits, gaps filled,
    secondments), each counted from the records the user may see, as on the overview page."""

    permissions = {"retrieve": "training.view"}
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.DATE,
                description=_("活动统计的起始日期（含），默认今年 1 月 1 日"),
            ),
            OpenApiParameter("year", int, description=_("工作室经费年度，默认今年")),
        ],
        responses={200: Overview, **errors(400)},
    )
    def retrieve(self, request):
        criteria = OverviewIn(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        values = criteria.validated_data
        figures = overview(request.user, since=values.get("since"), year=values.get("year"))
        return Response(Overview(figures).data)
