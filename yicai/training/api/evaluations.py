"""Mentor evaluations of apprentices (带教评价) (/api/v1/training/evaluations/).

As on the mentorship page: the evaluations of the mentorships the user may see are read with
training.view; the institution records one from the mentor's word with training.edit on the
mentorship's institution, for one of the mentorship's apprentices, once a period. The mentor
confirms it later (in person or through a one-time link, on the pages).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from yicai.api.base import ModelInput, ModelOutput
from yicai.api.fields import Ref, choice, pk_field
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.training.api.common import mentorship_field
from yicai.training.models import Apprenticeship, MentorEvaluation
from yicai.training.queries.evaluations import evaluations_for
from yicai.training.queries.mentoring import mentorships_for
from yicai.training.services.evaluations import evaluation_record


class EvaluationOut(ModelOutput):
    apprenticeship = serializers.IntegerField(source="apprenticeship_id", read_only=True)
    mentorship = serializers.IntegerField(source="apprenticeship.mentorship_id", read_only=True)
    apprentice = Ref(source="apprenticeship.apprentice", read_only=True)
    mentor = Ref(source="apprenticeship.mentorship.mentor", read_only=True)
    evaluation_rating = choice(
        "rating", MentorEvaluation.Rating.choices, _("评价等级"), read_only=True
    )
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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentorship"] = mentorship_field(
            self.context["request"].user, "training.view", required=False
        )


@extend_schema(tags=["training"])
class EvaluationViewSet(RecordViewSet):
    """Mentor evaluations of the mentorships the user may see; recording one needs
    training.edit on the mentorship's institution."""

    permissions = record_permissions("training", "create")
    pagination_class = cursor_pagination("-recorded_at", "-id")
    filter_input = EvaluationFilter
    list_parameters = [OpenApiParameter("mentorship", int, description=_("师带徒关系 id"))]
    output = EvaluationOut
    create_input = EvaluationIn
    create_service = evaluation_record
    error_names = {"rating": "evaluation_rating"}

    def list_rows(self, mentorship=None):
        rows = evaluations_for(self.request.user)
        if mentorship:
            rows = rows.filter(apprenticeship__mentorship=mentorship)
        return rows

    def service_arguments(self):
        return {"user": self.request.user}  # the service records who took the mentor's word
