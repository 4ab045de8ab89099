"""The cultivation overview (/api/v1/training/overview/): every figure of the overview page,
from the same query (`training.queries.overview`), counted over the records the user may see.
"""

from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ApiView, form_filters
from yicai.api.schema import errors
from yicai.training.forms.overview import OverviewForm
from yicai.training.queries.overview import overview

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MONEY = _("金额（元）：十进制数，以字符串表示，保留两位小数，如“580000.00”")


def _day(what: "StrOrPromise") -> serializers.DateField:
    return serializers.DateField(read_only=True, help_text=what)


def _number(what: "StrOrPromise") -> serializers.IntegerField:
    return serializers.IntegerField(read_only=True, help_text=what)


def _money(what: "StrOrPromise") -> serializers.DecimalField:
    """An amount in yuan, as the overview's amounts are all said."""
    return serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text=format_lazy("{}{}", what, MONEY)
    )


# Each figure, read-only, with what it counts.
class Overview(serializers.Serializer):
    since = _day(_("活动统计的起始日期（含）"))
    until = _day(_("活动统计的截止日期（含）"))
    held_until = _day(_("已开展的专家活动和远程会诊统计到此日（截止日期与今天中较早者）"))
    as_of = _day(_("进行中、在外、待批注、未解决等数字的统计日"))
    year = _number(_("工作室经费的年度"))
    mentorships = _number(_("统计日进行中的师带徒关系数"))
    pairs = _number(_("其中的师徒对数"))
    external_mentor_pairs = _number(_("其中院外导师带教的师徒对数"))
    studios = _number(_("该年度运行中的工作室数"))
    studios_by_tier = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("按级别（national、provincial、district）的工作室数，含 0"),
    )
    studio_subsidy_due = _money(_("按级别标准应补助；"))
    studio_funding_recorded = _money(_("已登记经费；"))
    visits = _number(_("起止日期之间已开展的专家活动数"))
    planned_visits = _number(_("计划中的专家活动数（今天以后）"))
    consultations = _number(_("起止日期之间的远程会诊数"))
    gaps_filled = _number(_("起止日期之间填补的技术空白数"))
    gaps_filled_first_in_region = _number(_("其中同时填补本辖区空白的"))
    verified_independent_cases = _number(_("起止日期之间完成、经审核的独立完成病例数"))
    active_secondments = _number(_("统计日在外进修人数"))
    reports_awaiting_comment = _number(_("统计日尚待挂钩领导批注的月报数"))
    open_needs = _number(_("统计日尚未解决的进修需求数"))
    flexible_teams = _number(_("统计日合作中的柔性引进团队数"))


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
                description=_("活动统计的起始日期（含），默认截止日期所在年度的 1 月 1 日"),
            ),
            OpenApiParameter(
                "until", OpenApiTypes.DATE, description=_("活动统计的截止日期（含），默认今天")
            ),
            OpenApiParameter(
                "as_of",
                OpenApiTypes.DATE,
                description=_(
                    "进行中的师带徒、合作中的团队、在外进修、待批注月报、未解决需求的统计日，"
                    "默认今天；如 2023-12-31"
                ),
            ),
            OpenApiParameter(
                "year", int, description=_("工作室及其经费的年度，默认统计日所在年度")
            ),
        ],
        responses={200: Overview, **errors(400)},
    )
    def retrieve(self, request):
        values = form_filters(OverviewForm(request.query_params))
        return Response(Overview(overview(request.user, **values)).data)
