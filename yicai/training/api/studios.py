"""Expert studios (名医工作室) and the year's figures (/api/v1/training/studios/)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ModelOutput
from yicai.api.fields import Ref, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, errors
from yicai.training.api.common import LedGroupIn, LedGroupOut, expert_field
from yicai.training.forms.studios import StudioFilterForm
from yicai.training.models import ExpertStudio, StudioMember, StudioTier
from yicai.training.queries.studios import (
    studio_figures,
    studio_list,
    studios_for,
    studios_with_members,
)
from yicai.training.services import studios as studios_services
from yicai.training.services.studios import STUDIO_FIELDS, studio_create


class StudioOut(LedGroupOut):
    class Meta:
        model = ExpertStudio
        fields = ("id", *with_labels(STUDIO_FIELDS, "tier"), "member_count")


class StudioMemberOut(ModelOutput):
    person = Ref(read_only=True)

    class Meta:
        model = StudioMember
        fields = ("person", "joined_on")


class StudioDetailOut(StudioOut):
    members = StudioMemberOut(many=True, read_only=True)

    class Meta(StudioOut.Meta):
        fields = (*StudioOut.Meta.fields, "members")


class StudioIn(LedGroupIn):
    members_help = _("人员 id 列表；自成立之日起为成员。")

    class Meta:
        model = ExpertStudio
        # A studio is founded open: its closing is a change.
        fields = (*(name for name in STUDIO_FIELDS if name != "closed_on"), "members")

    def scope_fields(self, user):
        super().scope_fields(user)
        self.fields["lead"] = expert_field(
            user,
            _("所选领衔专家不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )


class StudioChangeIn(StudioIn):
    """A change of the studio (its name, lead, tier, host, dates); members are changed on
    the studio's page."""

    class Meta(StudioIn.Meta):
        fields = STUDIO_FIELDS

    def scope_fields(self, user):
        super().scope_fields(user)
        del self.fields["members"]


class StudioFigures(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    studios = serializers.IntegerField(read_only=True, help_text=_("该年度运行中的工作室数"))
    by_tier = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text=_("按级别的工作室数")
    )
    subsidy_due = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text=_("按级别标准应补助（元）")
    )
    funding_recorded = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text=_("已登记经费（元）")
    )


class YearIn(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999)


@extend_schema(tags=["training"])
class StudioViewSet(RecordViewSet):
    """Expert studios the user may see (their leads and members see theirs), the year's
    figures; founding one needs training.edit on its institution."""

    # Who may do what: the action's scope permission, as on the pages.
    permissions = record_permissions(
        "training", "create", "partial_update", figures="training.view"
    )
    pagination_class = cursor_pagination("name", "id")
    # The list is filtered by the studio page's own filter form: one rule for page and API.
    filter_form = StudioFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("工作室名称或领衔专家姓名中的文字")),
        OpenApiParameter("tier", str, enum=StudioTier.values),
        INSTITUTION_PARAMETER,
        OpenApiParameter("year", int, description=_("只看该年度运行中的工作室")),
    ]
    output = StudioOut  # a row of the list
    detail_output = StudioDetailOut  # one studio, read, founded or changed
    create_input = StudioIn
    change_input = StudioChangeIn
    create_service = studio_create
    update_service = studios_services.studio_update  # called as studio_update(studio=row, ...)
    row_keyword = "studio"

    def list_rows(self, **filters):
        return studio_list(self.request.user, **filters)

    def detail_rows(self):
        return studios_with_members(self.request.user)

    def edit_rows(self):
        return studios_for(self.request.user, "training.edit")

    # A custom action: a method with its own schema, routed in training/api_urls.py.
    @extend_schema(
        parameters=[OpenApiParameter("year", int, description=_("年度，默认今年"))],
        responses={200: StudioFigures, **errors(400)},
    )
    def figures(self, request):
        values = self.checked(YearIn, request.query_params)
        year = values.get("year", timezone.localdate().year)
        return Response(StudioFigures(studio_figures(request.user, year)).data)
