"""Expert studios (名医工作室) and the year's figures (/api/v1/training/studios/)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from yicai.org.api import (
    ROW_ID,
    ApiView,
    ModelInput,
    Ref,
    calling_service,
    cursor_pagination,
    errors,
    get_one,
)
from yicai.training import queries, services
from yicai.training.api.common import (
    INSTITUTION_PARAMETER,
    department_field,
    expert_field,
    form_filters,
    institution_field,
    no_repeats,
)
from yicai.training.forms.studios import StudioFilterForm
from yicai.training.models import ExpertStudio, StudioMember, StudioTier
from yicai.training.queries.studios import studios_with_members


class StudioOut(serializers.ModelSerializer):
    lead = Ref(read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExpertStudio
        fields = (
            "id",
            "name",
            "lead",
            "tier",
            "tier_display",
            "institution",
            "department",
            "founded_on",
            "closed_on",
            "member_count",
        )
        read_only_fields = fields


class StudioMemberOut(serializers.ModelSerializer):
    person = Ref(read_only=True)

    class Meta:
        model = StudioMember
        fields = ("person", "joined_on")
        read_only_fields = fields


class StudioDetailOut(StudioOut):
    members = StudioMemberOut(many=True, read_only=True)

    class Meta(StudioOut.Meta):
        fields = (*StudioOut.Meta.fields, "members")
        read_only_fields = fields


class StudioIn(ModelInput):
    members = serializers.ListField(child=serializers.IntegerField())  # see scope_fields

    class Meta:
        model = ExpertStudio
        fields = ("name", "lead", "tier", "institution", "department", "founded_on", "members")

    def scope_fields(self, user):
        self.fields["lead"] = expert_field(
            user,
            _("所选领衔专家不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )
        self.fields["institution"] = institution_field(user)
        self.fields["department"] = department_field(user)
        self.fields["members"] = expert_field(
            user,
            _("所选成员不存在或不在您的管辖范围内。"),
            many=True,
            required=False,
            label=_("成员"),
            help_text=_("人员 id 列表；自成立之日起为成员。"),
        )

    def validate_members(self, people):
        return no_repeats(people, _("同一成员不能重复选择。"))


class StudioChangeIn(StudioIn):
    """A change of the studio (its name, lead, tier, host, dates); members are changed on
    the studio's page."""

    class Meta(StudioIn.Meta):
        fields = services.STUDIO_FIELDS

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
class StudioViewSet(ApiView):
    """Expert studios the user may see (their leads and members see theirs), the year's
    figures; founding one needs training.edit on its institution."""

    permissions = {
        "list": "training.view",
        "retrieve": "training.view",
        "create": "training.edit",
        "partial_update": "training.edit",
        "figures": "training.view",
    }
    pagination_class = cursor_pagination("name", "id")
    queryset = ExpertStudio.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("工作室名称或领衔专家姓名中的文字")),
            OpenApiParameter("tier", str, enum=StudioTier.values),
            INSTITUTION_PARAMETER,
            OpenApiParameter("year", int, description=_("只看该年度运行中的工作室")),
        ],
        responses={200: StudioOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = form_filters(StudioFilterForm(request.user, request.query_params))
        page = self.paginate_queryset(queries.studio_list(request.user, **filters))
        return self.get_paginated_response(StudioOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: StudioDetailOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(StudioDetailOut(get_one(studios_with_members(request.user), pk)).data)

    @extend_schema(request=StudioIn, responses={201: StudioDetailOut, **errors(400)})
    def create(self, request):
        data = StudioIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.studio_create(**data.validated_data)
        row = get_one(studios_with_members(request.user), saved.pk)
        return Response(StudioDetailOut(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROW_ID],
        request=StudioChangeIn,
        responses={200: StudioDetailOut, **errors(400, 404)},
    )
    def partial_update(self, request, pk):
        studio = get_one(queries.studios_for(request.user, "training.edit"), pk)
        data = StudioChangeIn(studio, data=request.data, partial=True, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            services.studio_update(studio=studio, **data.validated_data)
        return Response(StudioDetailOut(get_one(studios_with_members(request.user), pk)).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description=_("年度，默认今年"))],
        responses={200: StudioFigures, **errors(400)},
    )
    def figures(self, request):
        criteria = YearIn(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        year = criteria.validated_data.get("year", timezone.localdate().year)
        return Response(StudioFigures(queries.studio_figures(request.user, year)).data)
