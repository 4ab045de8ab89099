"""The annual report's files made in the background, over the API (/api/v1/insights/report/
jobs/): ask for one (POST: its format and period, read with the page's form), list one's own,
follow one (its status and progress, section by section), download it once made (`file/`,
audited as an export) and try a failed one again (`retry/`). The same services and the same
rule as the page (yicai.insights.report_jobs): a job is read only by the user who asked.
The report itself, as JSON, is /api/v1/insights/report/ (`api.ReportViewSet`)."""

from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from yicai.api.base import ModelOutput, calling_service, form_filters, get_one
from yicai.api.fields import status_choice
from yicai.api.records import RecordViewSet, cursor_pagination
from yicai.api.schema import ROW_ID, errors, row_action
from yicai.insights import report_jobs
from yicai.insights.forms import ReportJobForm
from yicai.insights.models import ReportJob
from yicai.insights.queries import EXPORT
from yicai.xlsx import XLSX_CONTENT_TYPE


class AnnualReportJobSectionOut(serializers.Serializer):
    title = serializers.CharField(read_only=True, help_text=_("已完成的部分"))
    progress = serializers.IntegerField(read_only=True, help_text=_("完成该部分时的进度（%）"))


class AnnualReportJobOut(ModelOutput):
    format = serializers.ChoiceField(ReportJob.Format.choices, read_only=True)
    report_job_status = status_choice(ReportJob.Status.choices, read_only=True)
    sections = AnnualReportJobSectionOut(many=True, read_only=True)
    file = serializers.SerializerMethodField(help_text=_("下载文件的地址；生成完成前为空"))

    class Meta:
        model = ReportJob
        fields = (
            "id",
            "title",
            "format",
            "since",
            "until",
            "report_job_status",
            "report_job_status_display",
            "progress",
            "stage",
            "sections",
            "error",
            "size",
            "created_at",
            "finished_at",
            "file",
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file(self, job: ReportJob) -> str | None:
        if job.status != ReportJob.Status.DONE:
            return None
        return reverse("api-insights-report-job-file", kwargs={"pk": job.pk})


class AnnualReportJobIn(serializers.Serializer):
    format = serializers.ChoiceField(ReportJob.Format.choices, label=_("文件格式"))
    year = serializers.IntegerField(required=False, allow_null=True, help_text=_("年度，默认今年"))
    since = serializers.DateField(
        required=False, allow_null=True, help_text=_("起始日（与截止日同填）")
    )
    until = serializers.DateField(
        required=False, allow_null=True, help_text=_("截止日（与起始日同填）")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The period as the page reads it: a year (this year by default), or both days.
        given = {name: value for name, value in attrs.items() if value is not None}
        return form_filters(ReportJobForm(given))


@extend_schema(tags=["insights"])
class ReportJobViewSet(RecordViewSet):
    """The annual report as a file (PDF or Excel), made in the background: ask for it, follow
    its progress, download it. A job is read only by the user who asked for it."""

    permissions = {
        "list": EXPORT,
        "retrieve": EXPORT,
        "create": EXPORT,
        "file": EXPORT,
        "retry": EXPORT,
    }
    pagination_class = cursor_pagination("-created_at", "-id")
    output = AnnualReportJobOut
    create_input = AnnualReportJobIn
    create_status = status.HTTP_202_ACCEPTED
    descriptions = {
        "create": "Ask for the report as a file: it is made in the background; the answer is "
        "the job and its progress (the same file being made already: that job). Once done, "
        "download it from `file`.",
    }

    def list_rows(self, **filters: Any) -> "QuerySet[ReportJob]":
        return report_jobs.report_jobs_for(self.request.user)

    def input_arguments(self, row: Any) -> dict[str, Any]:
        return {}

    def create_record(self, values: dict[str, Any]) -> ReportJob:
        return report_jobs.report_job_create(
            by=self.request.user,
            format=values["format"],
            since=values["since"],
            until=values["until"],
        )

    @extend_schema(
        parameters=[ROW_ID],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            **errors(404),
        },
    )
    def file(self, request: Request, pk: str) -> HttpResponseBase:
        """The report's file once made (404 before), as the page downloads it; audited."""
        return report_jobs.report_job_file(get_one(self.list_rows(), pk))

    @row_action(None, AnnualReportJobOut, status.HTTP_202_ACCEPTED)
    def retry(self, request: Request, pk: str) -> Response:
        """Makes a failed file again (or one whose worker stopped): queued anew."""
        job = get_one(self.list_rows(), pk)
        with calling_service():
            report_jobs.report_job_retry(job=job, by=request.user)
        return Response(AnnualReportJobOut(job).data, status=status.HTTP_202_ACCEPTED)
