"""Mentor evaluations of apprentices (带教评价) (/api/v1/training/evaluations/).

As on the mentorship page: the evaluations of the mentorships the user may see are read with
training.view; the institution records one from the mentor's word with training.edit on the
mentorship's institution, for one of the mentorship's apprentices, once a period. The mentor
confirms it later (in person or through a one-time link, on the pages).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from yicai.api.base import (
    ROW_ID,
    ApiView,
    ModelInput,
    Ref,
    calling_service_as,
    choice,
    cursor_pagination,
    errors,
    get_one,
    pk_field,
)
from yicai.training import services
from yicai.training.models import Apprenticeship, MentorEvaluation
from yicai.training.queries.evaluations import evaluations_for
from yicai.training.queries.mentoring import mentorships_for

MENTORSHIP_OUT_OF_SCOPE = _("所选师带徒关系不存在或不在您的管辖范围内。")


class EvaluationOut(serializers.ModelSerializer):
    apprenticeship = serializers.IntegerField(source="apprenticeship_id", read_only=True)
    mentorship = serializers.IntegerField(source="apprenticeship.mentorship_id", read_only=True)
    apprentice = Ref(source="apprenticeship.apprentice", read_only=True)
    mentor = Ref(source="apprenticeship.mentorship.mentor", read_only=True)
    evaluation_rating = choice(
        "rating", MentorEvaluation.Rating.choices, _("评价等级"), read_only=True
    )
    evaluation_rating_display = serializers.CharField(source="get_rating_display", read_only=True)
    confirmed = serializers.BooleanField(read_only=True, help_text=_("导师是否已确认"))

    class Meta:
        model = MentorEvaluation
        fields = (
            "id",
            "apprenticeship",
            "mentorship",
            "apprentice",
            "mentor",
            "period",
            "evaluation_rating",
            "evaluation_rating_display",
            "comments",
            "recorded_at",
            "confirmed",
            "confirmed_at",
            "confirmed_by_name",
        )
        read_only_fields = fields


class EvaluationIn(ModelInput):
    evaluation_rating = choice("rating", MentorEvaluation.Rating.choices, _("评价等级"))

    class Meta:
        model = MentorEvaluation
        fields = ("apprenticeship", "period", "evaluation_rating", "comments")
        extra_kwargs = {"comments": {"help_text": _("不要填写身份证号、手机号等信息。")}}
        validators: list = []  # once a period: the service says so in its transaction

    def scope_fields(self, user):
        self.fields["apprenticeship"] = pk_field(
            Apprenticeship.objects.filter(
                mentorship__in=mentorships_for(user, "training.edit")
            ).select_related("apprentice"),
            _("所选徒弟不存在或不在您的管辖范围内。"),
            help_text=_("师带徒关系中的徒弟（见师带徒关系的 apprentices）。"),
        )


class EvaluationFilter(serializers.Serializer):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentorship"] = pk_field(
            mentorships_for(user), MENTORSHIP_OUT_OF_SCOPE, required=False
        )


@extend_schema(tags=["training"])
class EvaluationViewSet(ApiView):
    """Mentor evaluations of the mentorships the user may see; recording one needs
    training.edit on the mentorship's institution."""

    permissions = {"list": "training.view", "retrieve": "training.view", "create": "training.edit"}
    pagination_class = cursor_pagination("-recorded_at", "-id")
    queryset = MentorEvaluation.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("mentorship", int, description=_("师带徒关系 id"))],
        responses={200: EvaluationOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        criteria = EvaluationFilter(data=request.query_params, user=request.user)
        criteria.is_valid(raise_exception=True)
        rows = evaluations_for(request.user)
        if mentorship := criteria.validated_data.get("mentorship"):
            rows = rows.filter(apprenticeship__mentorship=mentorship)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EvaluationOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: EvaluationOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(EvaluationOut(get_one(evaluations_for(request.user), pk)).data)

    @extend_schema(request=EvaluationIn, responses={201: EvaluationOut, **errors(400)})
    def create(self, request):
        data = EvaluationIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service_as(rating="evaluation_rating"):
            saved = services.evaluation_record(user=request.user, **data.validated_data)
        row = get_one(evaluations_for(request.user), saved.pk)
        return Response(EvaluationOut(row).data, status=status.HTTP_201_CREATED)
