"""Expert visits (专家来院) with their counts, and remote consultations (远程会诊)
(/api/v1/training/visits/, consultations/)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ModelInput, ModelOutput
from yicai.api.fields import Ref, api_names, choice, pk_field, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import SINCE, UNTIL, errors
from yicai.people.queries import people_for
from yicai.training.api.common import (
    department_field,
    expert_field,
    institution_field,
    mentorship_field,
)
from yicai.training.forms.activity import VisitFilterForm
from yicai.training.models import COUNT_RULE, Consultation, Visit
from yicai.training.queries.activity import (
    consultation_list,
    consultations_for,
    visit_counts,
    visit_list,
    visits_for,
)
from yicai.training.queries.mentoring import EXPERT_OUT_OF_SCOPE
from yicai.training.queries.studios import STUDIO_OUT_OF_SCOPE, studios_for
from yicai.training.services.activity import (
    CONSULTATION_FIELDS,
    VISIT_FIELDS,
    consultation_record,
    consultation_update,
    visit_delete,
    visit_record,
    visit_update,
)

# ---------------------------------------------------------------------------------------------
# Expert visits (专家来院)

VISIT_API_FIELDS = api_names(VISIT_FIELDS, kind="visit_kind")


class VisitOut(ModelOutput):
    expert = Ref(read_only=True)
    visit_kind = choice("kind", Visit.Kind.choices, _("形式"), read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    studio = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = ("id", *with_labels(VISIT_API_FIELDS, "visit_kind"), "created_at")


class VisitIn(ModelInput):
    visit_kind = choice("kind", Visit.Kind.choices, _("形式"))

    class Meta:
        model = Visit
        fields = VISIT_API_FIELDS
        extra_kwargs = {
            "held_on": {"help_text": _("今后的日期为计划中的活动，到日子才计数。")},
            # Said as the import says it of a cell.
            **{
                name: {
                    "error_messages": {
                        key: COUNT_RULE for key in ("invalid", "min_value", "max_value")
                    }
                }
                for name in ("patients", "attendees", "operations")
            },
        }

    def scope_fields(self, user):
        self.fields["expert"] = expert_field(
            user, EXPERT_OUT_OF_SCOPE, help_text=_("您可见的人员，或合作医院的专家。")
        )
        self.fields["institution"] = institution_field(user)
        self.fields["department"] = department_field(user)
        self.fields["studio"] = pk_field(
            studios_for(user, "training.edit"),
            STUDIO_OUT_OF_SCOPE,
            optional=True,
        )
        self.fields["mentorship"] = mentorship_field(user, "training.edit", optional=True)


class CountRow(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True, allow_null=True)
    visits = serializers.IntegerField(read_only=True)


class MonthRow(serializers.Serializer):
    month = serializers.DateField(read_only=True, help_text=_("该月第一天"))
    visits = serializers.IntegerField(read_only=True)


class VisitCounts(serializers.Serializer):
    total = serializers.IntegerField(read_only=True, help_text=_("已开展的活动数（不含计划中）"))
    by_expert = CountRow(many=True, read_only=True)
    by_studio = CountRow(many=True, read_only=True, help_text=_("id 为空：不属于工作室的活动"))
    by_institution = CountRow(many=True, read_only=True)
    by_month = MonthRow(many=True, read_only=True)


class PeriodIn(serializers.Serializer):
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


def _count_rows(rows, key: str) -> list[dict]:
    return [
        {"id": row[f"{key}_id"], "name": row[f"{key}__name"], "visits": row["visits"]}
        for row in rows
    ]


@extend_schema(tags=["training"])
class VisitViewSet(RecordViewSet):
    """Expert visits the user may see (an expert: theirs; an apprentice: those for their
    mentorship) and their counts; recording one needs training.edit on its institution."""

    permissions = record_permissions(
        "training", "create", "partial_update", "destroy", counts="training.view"
    )
    pagination_class = cursor_pagination("-held_on", "-id")
    # The visit page's filter form, which does not depend on the user.
    filter_form = staticmethod(lambda user, query: VisitFilterForm(query))
    list_parameters = [
        OpenApiParameter("q", str, description=_("专家姓名或机构名称中的文字")),
        OpenApiParameter("kind", str, enum=Visit.Kind.values),
        SINCE,
        UNTIL,
    ]
    output = VisitOut
    create_input = VisitIn
    create_service = visit_record
    update_service = visit_update
    delete_service = visit_delete
    row_keyword = "visit"
    error_names = {"kind": "visit_kind"}
    descriptions = {
        "partial_update": "Correct a visit, or move a planned one.",
        "destroy": "Delete a visit recorded by mistake, or a planned one called off.",
    }

    def list_rows(self, **filters):
        return visit_list(self.request.user, **filters)

    def detail_rows(self):
        return visits_for(self.request.user)

    def edit_rows(self):
        return visits_for(self.request.user, "training.edit")

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATE, description=_("自该日起（含）")),
            OpenApiParameter("until", OpenApiTypes.DATE, description=_("至该日止（含）")),
        ],
        responses={200: VisitCounts, **errors(400)},
    )
    def counts(self, request):
        values = self.checked(PeriodIn, request.query_params)
        counts = visit_counts(request.user, **values)
        body = {
            "total": counts["total"],
            "by_expert": _count_rows(counts["by_expert"], "expert"),
            "by_studio": _count_rows(counts["by_studio"], "studio"),
            "by_institution": _count_rows(counts["by_institution"], "institution"),
            "by_month": counts["by_month"],
        }
        return Response(VisitCounts(body).data)


# ---------------------------------------------------------------------------------------------
# Remote consultations (远程会诊)


class ConsultationOut(ModelOutput):
    expert = Ref(read_only=True)
    requester = Ref(read_only=True)
    institution = Ref(read_only=True)

    class Meta:
        model = Consultation
        fields = ("id", *CONSULTATION_FIELDS)


class ConsultationIn(ModelInput):
    class Meta:
        model = Consultation
        fields = CONSULTATION_FIELDS
        extra_kwargs = {
            "summary": {"help_text": _("描述病情，不写患者身份：身份证号、手机号等会被拒绝。")}
        }

    def scope_fields(self, user):
        self.fields["expert"] = expert_field(
            user,
            _("所选会诊专家不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )
        self.fields["requester"] = pk_field(
            people_for(user, "training.edit"),
            _("所选申请医生不存在或不在您的管辖范围内。"),
            help_text=_("须是申请机构的人员。"),
        )
        self.fields["institution"] = institution_field(user)


class ConsultationFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


@extend_schema(tags=["training"])
class ConsultationViewSet(RecordViewSet):
    """Remote consultations the user may see (an expert: those they gave; a doctor: those they
    asked for); recording one needs training.edit on the requesting institution."""

    permissions = record_permissions("training", "create", "partial_update")
    pagination_class = cursor_pagination("-held_on", "-id")
    filter_input = ConsultationFilter
    list_parameters = [
        OpenApiParameter("q", str, description=_("专家、申请医生姓名或机构名称中的文字")),
        SINCE,
        UNTIL,
    ]
    output = ConsultationOut
    create_input = ConsultationIn
    create_service = consultation_record
    update_service = consultation_update
    row_keyword = "consultation"
    descriptions = {
        "partial_update": (
            "Correct a consultation, or complete it (the advice and outcome often come later)."
        ),
    }

    def list_rows(self, **filters):
        return consultation_list(self.request.user, **filters)

    def detail_rows(self):
        return consultations_for(self.request.user)

    def edit_rows(self):
        return consultations_for(self.request.user, "training.edit")
