"""Title-promotion rounds and applications over the API (/api/v1/retention/rounds/,
/rounds/{id}/figures/, /rounds/{id}/results/, /promotion-applications/ and their
/result/): the pages' queries, filter forms, services and messages."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ModelInput, ModelOutput, calling_service_as, get_one
from yicai.api.fields import CodeRef, Ref, choice, code_field, pk_field, status_choice
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, ROW_ID, errors, row_action
from yicai.people.queries import PERSON_OUT_OF_SCOPE
from yicai.retention.forms.promotions import ApplicationFilterForm, RoundFilterForm, title_series
from yicai.retention.models import (
    APPLIED_GRADES,
    PromotionApplication,
    PromotionRound,
    RoundRequirement,
)
from yicai.retention.queries import promotions as queries
from yicai.retention.queries.promotions import EDIT, VIEW
from yicai.retention.services import promotions as services

ROUND_OUT_OF_SCOPE = _("所选评审不存在或不在您的管辖范围内。")
_RESULTS = [
    (value, label)
    for value, label in PromotionApplication.Result.choices
    if value != PromotionApplication.Result.PENDING
]


def _grade(**kwargs: Any) -> serializers.ChoiceField:
    return choice("grade", APPLIED_GRADES, _("申报级别"), **kwargs)


class PromotionRequirementOut(ModelOutput):
    promotion_grade = _grade(read_only=True)
    min_education = CodeRef(read_only=True, allow_null=True)

    class Meta:
        model = RoundRequirement
        fields = (
            "promotion_grade",
            "min_years",
            "min_education",
            "min_credits",
            "licence_required",
        )


class PromotionRoundOut(ModelOutput):
    region = Ref(read_only=True)
    series = CodeRef(read_only=True)
    promotion_round_status = status_choice(PromotionRound.Status.choices, read_only=True)

    class Meta:
        model = PromotionRound
        fields: tuple[str, ...] = (
            "id",
            "region",
            "year",
            "series",
            "name",
            "opens_on",
            "closes_on",
            "promotion_round_status",
            "note",
        )


class PromotionRoundDetailOut(PromotionRoundOut):
    requirements = PromotionRequirementOut(many=True, read_only=True)

    class Meta(PromotionRoundOut.Meta):
        fields = (*PromotionRoundOut.Meta.fields, "requirements")


class PromotionRoundIn(ModelInput):
    """A round of the user's commission (the commission's alone)."""

    class Meta:
        model = PromotionRound
        fields = services.ROUND_FIELDS

    def scope_fields(self, user: Any) -> None:
        self.fields["series"] = code_field(title_series(), _("职称系列"))


class PromotionFiguresOut(serializers.Serializer):
    applied = serializers.IntegerField(help_text=_("申报人数"))
    passed = serializers.IntegerField(help_text=_("通过人数"))
    by_grade = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("按级别的通过人数（无人通过的级别不列）")
    )
    sentence = serializers.CharField(help_text=_("如“68人申报，52人通过：正高级10人，副高级42人”"))


class PromotionResultIn(serializers.Serializer):
    result = serializers.ChoiceField(_RESULTS, label=_("评审结果"))
    on = serializers.DateField(label=_("结果日期"), required=False, help_text=_("不填为今天"))


class PromotionResultsIn(PromotionResultIn):
    applications = serializers.ListField(
        child=serializers.IntegerField(), label=_("申报 id 列表"), allow_empty=True
    )


class PromotionApplicationOut(ModelOutput):
    round = Ref(read_only=True)
    person = Ref(read_only=True)
    institution = Ref(read_only=True)
    title = CodeRef(read_only=True)
    promotion_grade = _grade(read_only=True)
    promotion_eligibility = choice(
        "eligibility", PromotionApplication.Eligibility.choices, _("资格"), read_only=True
    )
    promotion_result = choice(
        "result", PromotionApplication.Result.choices, _("评审结果"), read_only=True
    )
    title_record: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("通过后档案中新增的职称记录 id")
    )

    class Meta:
        model = PromotionApplication
        fields = (
            "id",
            "round",
            "person",
            "institution",
            "promotion_grade",
            "title",
            "applied_on",
            "promotion_eligibility",
            "reasons",
            "years_in_grade",
            "credits",
            "promotion_result",
            "result_on",
            "title_record",
        )


class PromotionApplicationIn(ModelInput):
    """An application of a person whose records the user keeps, in an open round."""

    promotion_grade = _grade()

    class Meta:
        model = PromotionApplication
        fields = ("round", "person", "promotion_grade", "applied_on")
        extra_kwargs = {"applied_on": {"required": False}}
        validators: list[Any] = []  # one a person a round: the service says it, on `person`

    def scope_fields(self, user: Any) -> None:
        self.fields["round"] = pk_field(queries.rounds_for(user, EDIT), ROUND_OUT_OF_SCOPE)
        self.fields["person"] = pk_field(queries.people_to_propose(user), PERSON_OUT_OF_SCOPE)


@extend_schema(tags=["retention"])
class PromotionRoundViewSet(RecordViewSet):
    """Title-promotion rounds of the user's region (institutions see their region's); held
    by the commission alone; a round's figures and its results recorded in bulk."""

    permissions = record_permissions("retention", "create", figures=VIEW, results=EDIT)
    pagination_class = cursor_pagination("-year", "id")
    filter_form = RoundFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("名称中的文字")),
        OpenApiParameter("year", int),
        OpenApiParameter("series", int, description=_("职称系列（代码 id）")),
        OpenApiParameter("status", str, enum=PromotionRound.Status.values),
    ]
    output = PromotionRoundOut
    detail_output = PromotionRoundDetailOut
    create_input = PromotionRoundIn
    create_service = services.round_create

    def list_rows(self, **filters: Any) -> "QuerySet[PromotionRound]":
        return queries.round_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[PromotionRound]":
        return queries.rounds_for(self.request.user).prefetch_related("requirements")

    def edit_rows(self) -> "QuerySet[PromotionRound]":
        return queries.rounds_to_manage(self.request.user)

    def service_arguments(self) -> dict[str, Any]:
        user = self.request.user
        return {"by": user, "region": queries.round_region(user)}

    @extend_schema(parameters=[ROW_ID], responses={200: PromotionFiguresOut, **errors(404)})
    def figures(self, request: Any, pk: str) -> Response:
        """Applied, passed and passed by grade, as the user sees the round's applications,
        and the sentence that says them."""
        promotion_round = queries.round_for(request.user, pk)
        shown = queries.figures_of(request.user, promotion_round)
        return Response(
            PromotionFiguresOut(
                {
                    "applied": shown.applied,
                    "passed": shown.passed,
                    "by_grade": shown.by_grade,
                    "sentence": shown.sentence,
                }
            ).data
        )

    @row_action(PromotionResultsIn, PromotionApplicationOut(many=True))
    def results(self, request: Any, pk: str) -> Response:
        """One result for many applications of the round: all recorded, or none with every
        problem said (the commission's)."""
        promotion_round = get_one(queries.rounds_to_manage(request.user), pk)
        values = self.checked(PromotionResultsIn)
        with calling_service_as():
            done = services.results_record(
                promotion_round=promotion_round, by=request.user, **values
            )
        return Response(PromotionApplicationOut(done, many=True).data)


@extend_schema(tags=["retention"])
class PromotionApplicationViewSet(RecordViewSet):
    """Applications the user may see (an institution its own, the commission its region's);
    added by an institution for its people; a result recorded (an institution only
    withdraws)."""

    permissions = record_permissions("retention", "create", result=EDIT)
    pagination_class = cursor_pagination("id")
    filter_form = ApplicationFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名或单位名称中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("grade", str, enum=[value for value, _label in APPLIED_GRADES]),
        OpenApiParameter("eligibility", str, enum=PromotionApplication.Eligibility.values),
        OpenApiParameter("result", str, enum=PromotionApplication.Result.values),
        OpenApiParameter("round", int, description=_("评审 id")),
    ]
    output = PromotionApplicationOut
    create_input = PromotionApplicationIn
    error_names = {"grade": "promotion_grade"}

    def filters(self) -> dict[str, Any]:
        found = super().filters()
        given = self.request.query_params.get("round")
        if given:
            found["round"] = get_one(queries.rounds_for(self.request.user), given)
        return found

    def list_rows(self, **filters: Any) -> "QuerySet[PromotionApplication]":
        return queries.application_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[PromotionApplication]":
        return queries.applications_for(self.request.user)

    def edit_rows(self) -> "QuerySet[PromotionApplication]":
        return queries.applications_for(self.request.user, EDIT)

    def create_record(self, values: dict[str, Any]) -> Any:
        return services.application_create(
            by=self.request.user,
            promotion_round=values.pop("round"),
            **values,
        )

    @row_action(PromotionResultIn, PromotionApplicationOut)
    def result(self, request: Any, pk: str) -> Response:
        """Record the application's result: passed (the title added to the person's records),
        failed or withdrawn; never after a pass."""
        application = queries.application_for(request.user, pk, EDIT)
        values = self.checked(PromotionResultIn)
        with calling_service_as():
            done = services.result_record(application=application, by=request.user, **values)
        return Response(PromotionApplicationOut(done).data)
