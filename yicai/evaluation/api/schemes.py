"""Assessment schemes over the API (/api/v1/evaluation/...): schemes with their indicator
tree, a scheme's ranked sheets, a subject's sheet with its score history, publication, and
appeals filed and resolved: the pages' queries, filter forms, services and messages."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ModelOutput, calling_service, get_one
from yicai.api.fields import Ref, choice, status_choice
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import ROW_ID, errors, row_action
from yicai.evaluation.forms.schemes import AppealFilterForm, SchemeFilterForm
from yicai.evaluation.models import Appeal, Indicator, Scheme, Subject
from yicai.evaluation.queries import schemes as queries
from yicai.evaluation.queries.schemes import PUBLISH, VIEW
from yicai.evaluation.scoring import Sheet
from yicai.evaluation.services import results as result_services
from yicai.evaluation.services import schemes as services


class IndicatorOut(ModelOutput):
    indicator_source = choice("source", Indicator.Source.choices, _("计分来源"), read_only=True)
    indicator_mode = choice("mode", Indicator.Mode.choices, _("计分方式"), read_only=True)

    class Meta:
        model = Indicator
        fields = (
            "id",
            "parent",
            "name",
            "weight",
            "indicator_source",
            "indicator_mode",
            "metric",
            "target",
            "pass_line",
            "scale_max",
            "position",
        )


class SchemeOut(ModelOutput):
    region = Ref(read_only=True)
    scheme_subject_type = choice(
        "subject_type", Scheme.SubjectType.choices, _("考核对象"), read_only=True
    )
    scheme_status = status_choice(Scheme.Status.choices, read_only=True)

    class Meta:
        model = Scheme
        fields: tuple[str, ...] = (
            "id",
            "region",
            "name",
            "cycle_start",
            "cycle_end",
            "scheme_subject_type",
            "renormalise",
            "scheme_status",
            "published_at",
        )


class SchemeDetailOut(SchemeOut):
    indicators = IndicatorOut(many=True, read_only=True)

    class Meta(SchemeOut.Meta):
        fields = (*SchemeOut.Meta.fields, "indicators")


class CellOut(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk")
    figure = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    score = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class SheetOut(serializers.Serializer):
    subject = serializers.IntegerField(source="subject.pk")
    subject_label = serializers.CharField(source="subject.label")
    total = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, help_text=_("无数据时为 null")
    )
    rank = serializers.IntegerField(allow_null=True)
    cells = CellOut(many=True, source="cell_list")


class VersionOut(serializers.Serializer):
    version = serializers.IntegerField(source="result.number")
    taken_at = serializers.DateTimeField(source="result.taken_at")
    reason = serializers.CharField(source="result.reason")
    total = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class EvidenceOut(serializers.Serializer):
    indicator = serializers.IntegerField()
    url = serializers.CharField(help_text=_("下载佐证材料的地址"))


class SubjectSheetOut(SheetOut):
    scheme = serializers.IntegerField(source="subject.scheme_id")
    history = VersionOut(many=True, help_text=_("各发布版本的得分，新者在前"))
    evidence = EvidenceOut(many=True, help_text=_("人工评分所附的佐证材料"))


class AppealOut(ModelOutput):
    appeal_status = status_choice(Appeal.Status.choices, read_only=True)
    result: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("采纳后重新计分的结果版本 id")
    )

    class Meta:
        model = Appeal
        fields = (
            "id",
            "subject",
            "indicator",
            "reason",
            "filed_at",
            "appeal_status",
            "resolution",
            "resolved_at",
            "result",
        )


class AppealIn(serializers.Serializer):
    indicator = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("申诉的指标 id；不填为总分")
    )
    reason = serializers.CharField(max_length=2000, label=_("申诉理由"), allow_blank=True)


class AppealResolveIn(serializers.Serializer):
    upheld = serializers.BooleanField(label=_("是否采纳"))
    resolution = serializers.CharField(max_length=2000, label=_("处理意见"), allow_blank=True)


def _with_cells(sheet: Sheet) -> Sheet:
    sheet.cell_list = list(sheet.cells.values())  # type: ignore[attr-defined]
    return sheet


@extend_schema(tags=["evaluation"])
class SchemeViewSet(RecordViewSet):
    """Assessment schemes of the user's region (a draft the commission's alone), each with its
    indicator tree; its ranked sheets; publication (the commission's)."""

    permissions = record_permissions("evaluation", sheets=VIEW, publish=PUBLISH)
    pagination_class = cursor_pagination("-cycle_start", "id")
    filter_form = staticmethod(lambda user, query: SchemeFilterForm(query))
    list_parameters = [
        OpenApiParameter("q", str, description=_("方案名称中的文字")),
        OpenApiParameter("year", int, description=_("考核期所含年度")),
        OpenApiParameter("subject_type", str, enum=Scheme.SubjectType.values),
        OpenApiParameter("status", str, enum=Scheme.Status.values),
    ]
    output = SchemeOut
    detail_output = SchemeDetailOut

    def list_rows(self, **filters: Any) -> "QuerySet[Scheme]":
        return queries.scheme_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[Scheme]":
        return queries.schemes_for(self.request.user).prefetch_related("indicators")

    @extend_schema(parameters=[ROW_ID], responses={200: SheetOut(many=True), **errors(404)})
    def sheets(self, request: Any, pk: str) -> Response:
        """The sheets of the subjects the user may see, ranked among all: a draft's trial
        scores, a published scheme's latest version."""
        scheme = get_one(queries.schemes_for(request.user), pk)
        sheets = [_with_cells(sheet) for sheet in queries.visible_sheets(request.user, scheme)]
        return Response(SheetOut(sheets, many=True).data)

    @row_action(None, SchemeOut)
    def publish(self, request: Any, pk: str) -> Response:
        """Publishes the results: version 1 of every score is kept (refused, with every
        problem said, while the tree is incomplete)."""
        scheme = get_one(queries.schemes_for(request.user, PUBLISH), pk)
        with calling_service():
            done = services.scheme_publish(scheme=scheme, by=request.user)
        return Response(SchemeOut(done).data)


@extend_schema(tags=["evaluation"])
class SubjectViewSet(RecordViewSet):
    """A subject's sheet (their own person, institution and department head see it once
    published) with the history of its scores; an appeal filed against it."""

    permissions = record_permissions("evaluation", appeal=VIEW)
    output = SubjectSheetOut

    def detail_rows(self) -> "QuerySet[Subject]":
        return queries.subjects_for(self.request.user)

    def detail_data(self, row: Subject) -> Any:
        sheet = _with_cells(queries.subject_sheet(row))
        sheet.history = queries.score_history(row)  # type: ignore[attr-defined]
        kept = queries.evidence_kept(list(row.scheme.indicators.all()))
        sheet.evidence = [  # type: ignore[attr-defined]
            {
                "indicator": indicator,
                "url": reverse("evaluation:evidence", args=[row.pk, indicator]),
            }
            for subject, indicator in sorted(kept)
            if subject == row.pk
        ]
        return SubjectSheetOut(sheet).data

    @row_action(AppealIn, AppealOut, 201)
    def appeal(self, request: Any, pk: str) -> Response:
        """An appeal against the subject's total or one indicator (the same rules and messages
        as the page)."""
        subject = get_one(self.detail_rows(), pk)
        values = self.checked(AppealIn)
        indicator = None
        if values.get("indicator") is not None:
            indicator = subject.scheme.indicators.filter(pk=values["indicator"]).first()
            if indicator is None:
                raise serializers.ValidationError({"indicator": [_("请选择本方案中的指标。")]})
        with calling_service():
            filed = result_services.appeal_file(
                subject=subject, indicator=indicator, reason=values["reason"], by=request.user
            )
        return Response(AppealOut(filed).data, status=201)


@extend_schema(tags=["evaluation"])
class AppealViewSet(RecordViewSet):
    """Appeals on the subjects the user may see; resolved by the commission with a reason."""

    permissions = record_permissions("evaluation", resolve=PUBLISH)
    pagination_class = cursor_pagination("-filed_at", "-id")
    filter_form = staticmethod(lambda user, query: AppealFilterForm(query))
    list_parameters = [
        OpenApiParameter("q", str, description=_("考核对象或方案名称中的文字")),
        OpenApiParameter("status", str, enum=Appeal.Status.values),
    ]
    output = AppealOut

    def list_rows(self, **filters: Any) -> "QuerySet[Appeal]":
        return queries.appeal_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[Appeal]":
        return queries.appeals_for(self.request.user)

    @row_action(AppealResolveIn, AppealOut)
    def resolve(self, request: Any, pk: str) -> Response:
        """Upheld, the scores are taken again (a new version; the earlier kept); rejected,
        they stay; either way with the reason given."""
        appeal = get_one(queries.appeals_for(request.user, PUBLISH), pk)
        values = self.checked(AppealResolveIn)
        with calling_service():
            done = result_services.appeal_resolve(appeal=appeal, by=request.user, **values)
        return Response(AppealOut(done).data)
