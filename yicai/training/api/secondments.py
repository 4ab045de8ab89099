"""Secondments (进修): batches, members with their monthly reports and needs, completion and
withdrawal (/api/v1/training/secondment-batches/, secondments/, reports/, needs/).

As on the pages: reading needs training.view (a linked leader 挂钩领导 sees the secondments
they follow); planning, changing, completing and withdrawing need training.edit on the
trainee's institution; only the trainee submits a monthly report and only the linked leader
comments on it; the trainee or their institution raises a need while the secondment runs,
and their institution or the linked leader resolves it.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from yicai.api.base import (
    ApiView,
    ModelInput,
    ModelOutput,
    calling_service,
    get_one,
)
from yicai.api.fields import Ref, choice, choice_values, pk_field, status_choice
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, as_of_parameter, row_action
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE, institutions_for
from yicai.training.forms.secondments import STATUS_CHOICES, SecondmentFilterForm
from yicai.training.models import (
    MonthlyReport,
    Secondment,
    SecondmentBatch,
    SecondmentNeed,
    Technique,
)
from yicai.training.queries import secondments as queries
from yicai.training.services.secondments import (
    SECONDMENT_FIELDS,
    monthly_report_comment,
    monthly_report_submit,
    secondment_batch_create,
    secondment_complete,
    secondment_create,
    secondment_need_raise,
    secondment_need_resolve,
    secondment_update,
    secondment_withdraw,
)

# ---------------------------------------------------------------------------------------------
# Batches (进修批次)


class BatchOut(ModelOutput):
    institution = Ref(read_only=True, allow_null=True, help_text=_("由卫健委统一组织时为空"))
    members = serializers.IntegerField(read_only=True, help_text=_("您可见的批次成员数"))
    active = serializers.IntegerField(
        read_only=True, help_text=_("其中在统计日（默认今天）在外进修的人数")
    )

    class Meta:
        model = SecondmentBatch
        fields = ("id", "name", "year", "institution", "note", "members", "active", "created_at")


class BatchIn(ModelInput):
    class Meta:
        model = SecondmentBatch
        fields = ("name", "year", "institution", "note")
        extra_kwargs = {"year": {"min_value": 1990, "max_value": 2100}}
        validators: list = []  # the service checks the unique name in its transaction

    def scope_fields(self, user):
        self.fields["institution"] = pk_field(
            institutions_for(user, "training.edit").filter(relation="managed"),
            INSTITUTION_OUT_OF_SCOPE,
            optional=True,
            help_text=_("由卫健委统一组织时留空（仅卫健委可以）。"),
        )


class BatchFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    as_of = serializers.DateField(required=False)


@extend_schema(tags=["training"])
class BatchViewSet(RecordViewSet):
    """Secondment batches the user may see (those with a member they see, their region's),
    with their members and those away (today, or on `as_of`) counted over the members the
    user sees; creating one needs training.edit."""

    permissions = {"list": "training.view", "create": "training.edit"}
    pagination_class = cursor_pagination("-year", "name", "id")
    filter_input = BatchFilter
    list_parameters = [
        OpenApiParameter("year", int, description=_("年度")),
        as_of_parameter(_("在外人数（active）的统计日，默认今天；如 2023-12-31")),
    ]
    output = BatchOut
    create_input = BatchIn

    def list_rows(self, year=None, as_of=None):
        self.as_of = as_of  # not a filter: the day the page's batches are counted on
        rows = queries.batches_for(self.request.user)
        return rows if year is None else rows.filter(year=year)

    def annotate_page(self, rows):
        counts = queries.batch_counts(self.request.user, rows, self.as_of)
        for batch in rows:
            batch.members, batch.active = counts[batch.pk]["members"], counts[batch.pk]["active"]

    def create_record(self, values):
        # The region is looked up once the input is valid: its errors come first.
        region = queries.batch_region(self.request.user, values.get("institution"))
        if region is None:
            raise serializers.ValidationError({"institution": [_("请选择组织机构。")]})
        return secondment_batch_create(region=region, **values)

    def after_save(self, row):
        row.members = row.active = 0  # new: nobody has joined yet
        return row


# ---------------------------------------------------------------------------------------------
# Secondments (进修)


class SecondmentOut(ModelOutput):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    batch = Ref(read_only=True, allow_null=True)
    host = Ref(read_only=True)
    linked_leader = Ref(read_only=True, allow_null=True)
    secondment_status = status_choice(Secondment.Status.choices, read_only=True)
    report_count = serializers.IntegerField(read_only=True, help_text=_("已提交的月报数"))
    awaiting_comment = serializers.IntegerField(
        read_only=True, help_text=_("尚待挂钩领导批注的月报数")
    )
    open_needs = serializers.IntegerField(read_only=True, help_text=_("尚未解决的需求数"))

    class Meta:
        model = Secondment
        fields: tuple[str, ...] = (
            "id",
            "person",
            "institution",
            "department",
            "batch",
            "host",
            "host_department",
            "start_on",
            "end_on",
            "objectives",
            "linked_leader",
            "secondment_status",
            "secondment_status_display",
            "completed_on",
            "report_count",
            "awaiting_comment",
            "open_needs",
            "created_at",
        )


class AccountName(serializers.CharField):
    """The name of the account in `source` (who entered a row on someone's behalf); blank
    when there is none."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance) -> str:
        user: Any = super().get_attribute(instance)  # the account, not yet a string
        return user.display_name if user is not None else ""


class ReportOut(ModelOutput):
    secondment = serializers.IntegerField(source="secondment_id", read_only=True)
    commented_by = Ref(read_only=True, allow_null=True)
    entered_by_name = AccountName(
        source="entered_by", help_text=_("代录月报的管理员账号姓名；本人提交的为空")
    )
    comment_entered_by_name = AccountName(
        source="comment_entered_by", help_text=_("代录批注的管理员账号姓名；挂钩领导本人批注的为空")
    )

    class Meta:
        model = MonthlyReport
        fields = (
            "id",
            "secondment",
            "month",
            "content",
            "techniques",
            "submitted_at",
            "comment",
            "commented_at",
            "commented_by",
            "entered_by_name",
            "comment_entered_by_name",
        )


class NeedOut(ModelOutput):
    secondment = serializers.IntegerField(source="secondment_id", read_only=True)

    class Meta:
        model = SecondmentNeed
        fields = ("id", "secondment", "raised_on", "content", "resolved_on", "resolution")


class PlannedTechniqueOut(ModelOutput):
    technique_category = choice("category", Technique.Category.choices, _("类别"), read_only=True)
    technique_status = status_choice(Technique.Status.choices, read_only=True)

    class Meta:
        model = Technique
        fields = ("id", "name", "technique_category", "technique_status")


class SecondmentDetailOut(SecondmentOut):
    reports = ReportOut(
        source="reports_shown", many=True, read_only=True, help_text=_("月报，最近的在前")
    )
    needs = NeedOut(
        source="needs_shown", many=True, read_only=True, help_text=_("需求，未解决的在前")
    )
    techniques = PlannedTechniqueOut(
        source="techniques_shown",
        many=True,
        read_only=True,
        help_text=_("结业时列入计划引进的新技术"),
    )

    class Meta(SecondmentOut.Meta):
        fields = (*SecondmentOut.Meta.fields, "completion_report", "reports", "needs", "techniques")


class SecondmentIn(ModelInput):
    class Meta:
        model = Secondment
        fields: tuple[str, ...] = (
            "person",
            "batch",
            "host",
            "host_department",
            "start_on",
            "end_on",
            "linked_leader",
            "objectives",
        )
        extra_kwargs = {
            "end_on": {"required": False, "help_text": _("留空则为一年。")},
            "objectives": {"help_text": _("不要填写患者身份证号、手机号等信息。")},
        }

    def scope_fields(self, user):
        self.fields["person"] = pk_field(
            queries.people_to_second(user),
            queries.PERSON_TO_SECOND_OUT_OF_SCOPE,
            help_text=_("人员 id；须是您可以编辑的人员。"),
        )
        self.fields["batch"] = pk_field(
            queries.batches_to_join(user),
            queries.BATCH_OUT_OF_SCOPE,
            optional=True,
        )
        self.fields["host"] = pk_field(
            queries.host_choices(user),
            queries.HOST_OUT_OF_SCOPE,
            help_text=_("合作医院，或您可见的机构。"),
        )
        self.fields["linked_leader"] = pk_field(
            queries.leader_choices(user),
            queries.LEADER_OUT_OF_SCOPE,
            optional=True,
            help_text=_("本专科的院领导或科主任，全程跟踪进修情况。"),
        )


class SecondmentChangeIn(SecondmentIn):
    """The plan changes; who went, and with which batch, does not."""

    class Meta(SecondmentIn.Meta):
        fields = SECONDMENT_FIELDS

    def scope_fields(self, user):
        super().scope_fields(user)
        del self.fields["person"], self.fields["batch"]


class ReportIn(ModelInput):
    class Meta:
        model = MonthlyReport
        fields = ("month", "content", "techniques")
        extra_kwargs = {"month": {"help_text": _("该月任意一天均可，按月份记。")}}


class CommentIn(serializers.Serializer):
    comment = serializers.CharField(label=_("领导批注"), max_length=5000)
    commented_on = serializers.DateField(
        label=_("批注日期"),
        required=False,
        help_text=_(
            "代录挂钩领导以往的批注时填写（需要补录权限 training.backfill）；领导本人批注不填。"
        ),
    )


class NeedIn(ModelInput):
    class Meta:
        model = SecondmentNeed
        fields = ("content", "raised_on")
        extra_kwargs = {"raised_on": {"required": False, "help_text": _("留空即今天。")}}


class ResolveIn(ModelInput):
    class Meta:
        model = SecondmentNeed
        fields = ("resolution",)
        extra_kwargs = {"resolution": {"required": True, "allow_blank": False}}


class PlannedTechnique(serializers.Serializer):
    name = serializers.CharField(label=_("技术名称"), max_length=100)
    technique_category = serializers.ChoiceField(
        Technique.Category.choices,
        label=_("类别"),
        default=Technique.Category.OTHER,
        help_text=_("默认为其他。"),
    )


class PlannedTechniques(serializers.ListField):
    """The techniques to introduce; an error in one of them is said in one line, with its
    place in the list (第 n 项), so that the 400 keeps its flat shape."""

    child = PlannedTechnique()

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            lines = []
            for index, problems in sorted(error.detail.items()):
                found = problems.values() if isinstance(problems, dict) else [problems]
                for messages in found:
                    for message in messages if isinstance(messages, list) else [messages]:
                        lines.append(
                            _("第 %(n)d 项：%(message)s") % {"n": index + 1, "message": message}
                        )
            raise serializers.ValidationError(lines) from None


class CompletionIn(serializers.Serializer):
    completed_on = serializers.DateField(label=_("结业日期"))
    report = serializers.CharField(label=_("结业报告"), max_length=20000)
    techniques = PlannedTechniques(
        label=_("拟引进的新技术"),
        required=False,
        default=list,
        help_text=_("列入本机构新技术登记，状态为计划引进。"),
    )


class WithdrawIn(serializers.Serializer):
    on = serializers.DateField(label=_("中止日期"), required=False, help_text=_("留空即今天。"))


@extend_schema(tags=["training"])
class SecondmentViewSet(RecordViewSet):
    """Secondments the user may see (their institution's, a linked leader's trainees', the
    trainee's own), each with its reports and needs; the actions as on the secondment page."""

    permissions = record_permissions(
        "training",
        "create",
        "partial_update",
        report="training.view",
        need="training.view",
        complete="training.edit",
        withdraw="training.edit",
    )
    pagination_class = cursor_pagination("-start_on", "id")
    filter_form = SecondmentFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名、进修医院或科室中的文字")),
        OpenApiParameter(
            "status",
            str,
            enum=choice_values(STATUS_CHOICES),
            description=_("current：在统计日（as_of，默认今天）在外进修"),
        ),
        OpenApiParameter("batch", int, description=_("进修批次 id")),
        INSTITUTION_PARAMETER,
        as_of_parameter(_("status=current 的统计日，默认今天")),
    ]
    output = SecondmentOut
    detail_output = SecondmentDetailOut
    create_input = SecondmentIn
    change_input = SecondmentChangeIn
    create_service = secondment_create
    update_service = secondment_update
    row_keyword = "secondment"

    def list_rows(self, **filters):
        return queries.secondment_list(self.request.user, **filters)

    def edit_rows(self):
        return queries.secondments_for(self.request.user, "training.edit")

    def detail_data(self, row):
        row.reports_shown = queries.reports_of(row)
        row.needs_shown = queries.needs_of(row)
        row.techniques_shown = row.techniques.order_by("name")
        return SecondmentDetailOut(row).data

    @row_action(ReportIn, ReportOut, 201)
    def report(self, request, pk):
        """The trainee's monthly report (one a month, within the secondment); or a past one
        an administrator of the trainee's institution enters on their behalf
        (training.backfill), also once the secondment has ended."""
        secondment = get_one(queries.secondments_for(request.user), pk)
        author = _author(
            request.user, secondment, secondment.person_id, _("只有进修人员本人可以提交月报。")
        )
        values = self.checked(ReportIn, user=request.user)
        with calling_service():
            saved = monthly_report_submit(secondment=secondment, **author, **values)
        return Response(ReportOut(saved).data, status=status.HTTP_201_CREATED)

    @row_action(NeedIn, NeedOut, 201)
    def need(self, request, pk):
        """A need raised by the trainee or their institution while the secondment runs."""
        user = request.user
        secondment = get_one(queries.secondments_for(user), pk)
        is_trainee = user.person_id is not None and user.person_id == secondment.person_id
        if secondment.status != Secondment.Status.ACTIVE:
            raise PermissionDenied(_("该进修已结束，不能再登记需求。"))
        if not (is_trainee or queries.secondment_may_edit(user, secondment)):
            raise PermissionDenied(_("只有进修人员本人或其所在机构可以登记需求。"))
        values = self.checked(NeedIn, user=user)
        with calling_service():
            saved = secondment_need_raise(secondment=secondment, **values)
        return Response(NeedOut(saved).data, status=status.HTTP_201_CREATED)

    @row_action(CompletionIn, SecondmentDetailOut)
    def complete(self, request, pk):
        """Close the secondment with its report; the techniques named enter the home
        institution's registry as planned."""
        secondment = self.get_editable(pk)
        values = self.checked(CompletionIn)
        planned = [(item["name"], item["technique_category"]) for item in values.pop("techniques")]
        with calling_service():
            secondment_complete(secondment=secondment, techniques=planned, **values)
        return self.answer(self.get_detail(pk))

    @row_action(WithdrawIn, SecondmentDetailOut)
    def withdraw(self, request, pk):
        """Stop the secondment early: it ends that day and no longer counts."""
        secondment = self.get_editable(pk)
        values = self.checked(WithdrawIn)
        on = values.get("on") or timezone.localdate()
        with calling_service():
            secondment_withdraw(secondment=secondment, on=on)
        return self.answer(self.get_detail(pk))


def _author(user, secondment, own_id, refused) -> dict:
    author = queries.author_of(user, secondment, own_id)
    if author is None:
        raise PermissionDenied(refused)
    return author


@extend_schema(tags=["training"])
class ReportViewSet(ApiView):
    """A monthly report: only the trainee's linked leader comments on it (and may revise the
    comment)."""

    permissions = {"comment": "training.view"}
    queryset = MonthlyReport.objects.none()

    @row_action(CommentIn, ReportOut)
    def comment(self, request, pk):
        """The linked leader's comment; or a past one (from paper) an administrator of the
        trainee's institution enters in the leader's name with its day (training.backfill)."""
        user = request.user
        report = queries.report_for(user, pk)
        secondment = report.secondment
        # Anyone else who sees it is told by the service that only the leader comments.
        author = queries.author_of(user, secondment, secondment.linked_leader_id) or {
            "person": user.person if user.person_id else None
        }
        values = self.checked(CommentIn)
        if "person" in author:  # the leader comments today
            values.pop("commented_on", None)
        with calling_service():
            saved = monthly_report_comment(report=report, **author, **values)
        return Response(ReportOut(saved).data)


@extend_schema(tags=["training"])
class NeedViewSet(ApiView):
    """A need is resolved by the trainee's institution or their linked leader."""

    permissions = {"resolve": "training.view"}
    queryset = SecondmentNeed.objects.none()

    @row_action(ResolveIn, NeedOut)
    def resolve(self, request, pk):
        user = request.user
        need = queries.need_for(user, pk)
        is_leader = (
            user.person_id is not None and user.person_id == need.secondment.linked_leader_id
        )
        if not (is_leader or queries.secondment_may_edit(user, need.secondment)):
            raise PermissionDenied(_("只有进修人员所在机构或其挂钩领导可以登记解决情况。"))
        values = self.checked(ResolveIn, user=user)
        with calling_service():
            saved = secondment_need_resolve(need=need, resolution=values["resolution"])
        return Response(NeedOut(saved).data)
