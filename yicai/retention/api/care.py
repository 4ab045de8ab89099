"""The 八个一 service over the API (/api/v1/retention/care/enrolments/, /care/tasks/ and a
task's /complete/, /care/figures/): the pages' queries, filter forms, services and
messages."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.api.base import ModelOutput, calling_service_as, form_filters
from yicai.api.fields import Ref, choice
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, errors, row_action
from yicai.retention.forms.care import EnrolmentFilterForm, FiguresFilterForm, TaskFilterForm
from yicai.retention.models import Enrolment, ServiceTask
from yicai.retention.queries import care as queries
from yicai.retention.queries.care import EDIT, VIEW, Status
from yicai.retention.services import care as services


class CareEnrolmentOut(ModelOutput):
    package = Ref(read_only=True)
    person = Ref(read_only=True)
    institution = Ref(read_only=True)
    guardian = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Enrolment
        fields = (
            "id",
            "package",
            "person",
            "employer",
            "talent_kind",
            "institution",
            "guardian",
            "team_name",
            "enrolled_on",
            "ended_on",
        )


class ServiceTaskOut(ModelOutput):
    item = Ref(read_only=True)
    institution = Ref(read_only=True)
    enrolment: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    person = serializers.CharField(source="enrolment.person.name", read_only=True)
    service_channel = choice("channel", ServiceTask.Channel.choices, _("服务方式"), read_only=True)

    class Meta:
        model = ServiceTask
        fields = (
            "id",
            "enrolment",
            "person",
            "item",
            "period",
            "institution",
            "due_on",
            "deadline",
            "done_on",
            "service_channel",
            "note",
            "satisfaction",
        )


class TaskCompleteIn(serializers.Serializer):
    done_on = serializers.DateField(label=_("完成日期"), required=False, help_text=_("不填为今天"))
    service_channel = choice("channel", ServiceTask.Channel.choices, _("服务方式"))
    note = serializers.CharField(label=_("服务记录"), required=False, allow_blank=True, default="")
    satisfaction = serializers.IntegerField(
        label=_("满意度"), required=False, allow_null=True, default=None
    )


class CareFiguresOut(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    enrolled = serializers.IntegerField(help_text=_("截止日在服人数"))
    due = serializers.IntegerField(help_text=_("期间应办任务数"))
    done_on_time = serializers.IntegerField(help_text=_("按时完成"))
    done_late = serializers.IntegerField(help_text=_("超时完成"))
    overdue = serializers.IntegerField(help_text=_("逾期未办"))
    satisfaction = serializers.FloatField(allow_null=True, help_text=_("平均满意度（1–5）"))


@extend_schema(tags=["retention"])
class CareEnrolmentViewSet(RecordViewSet):
    """Served talents enrolled in the 八个一 package (the serving institution's and the
    commission's)."""

    permissions = record_permissions("retention")
    pagination_class = cursor_pagination("id")
    filter_form = EnrolmentFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名、工作单位或团队中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("active", datetime.date, description=_("在服日期")),
    ]
    output = CareEnrolmentOut

    def list_rows(self, **filters: Any) -> "QuerySet[Enrolment]":
        return queries.enrolment_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[Enrolment]":
        return queries.enrolments_for(self.request.user)


@extend_schema(tags=["retention"])
class CareTaskViewSet(RecordViewSet):
    """Service tasks (open first, the most overdue first); one completed once; the
    figures."""

    permissions = record_permissions("retention", complete=EDIT, figures=VIEW)
    pagination_class = cursor_pagination("id")
    filter_form = TaskFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("服务对象姓名或工作单位中的文字")),
        OpenApiParameter("status", str, enum=list(Status.CHOICES)),
        INSTITUTION_PARAMETER,
        OpenApiParameter("team", str, description=_("服务团队")),
        OpenApiParameter("item", int, description=_("服务项目 id")),
        OpenApiParameter("since", datetime.date),
        OpenApiParameter("until", datetime.date),
    ]
    output = ServiceTaskOut
    error_names = {"channel": "service_channel"}

    def list_rows(self, **filters: Any) -> "QuerySet[ServiceTask]":
        return queries.task_list(self.request.user, **filters).order_by("id")

    def detail_rows(self) -> "QuerySet[ServiceTask]":
        return queries.tasks_for(self.request.user)

    @row_action(TaskCompleteIn, ServiceTaskOut)
    def complete(self, request: Any, pk: str) -> Response:
        """Record the task done (once): the day, the channel, the note and the satisfaction."""
        task = queries.task_for(request.user, pk, EDIT)
        values = self.checked(TaskCompleteIn)
        values.setdefault("done_on", None)
        values["done_on"] = values["done_on"] or timezone.localdate()
        with calling_service_as():
            done = services.task_complete(task=task, by=request.user, **values)
        return Response(ServiceTaskOut(done).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("since", datetime.date, description=_("默认本年1月1日")),
            OpenApiParameter("until", datetime.date, description=_("默认今天")),
            INSTITUTION_PARAMETER,
        ],
        responses={200: CareFiguresOut, **errors(400)},
    )
    def figures(self, request: Any) -> Response:
        """Enrolled on `until`; the tasks due from `since` to `until`: due, done on time, done
        late, overdue; the mean satisfaction."""
        values = form_filters(FiguresFilterForm(request.user, request.query_params))
        today = timezone.localdate()
        since = values.get("since") or datetime.date(today.year, 1, 1)
        until = values.get("until") or today
        shown = queries.figures(
            request.user, since=since, until=until, institution=values.get("institution")
        )
        return Response(CareFiguresOut({"since": since, "until": until, **shown.__dict__}).data)
