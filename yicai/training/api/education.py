"""Continuing education (继续医学教育) and training quotas (/api/v1/training/education/...):
events with the attendance the user may see, recording attendance, each person's credits of a
year against the requirement, the quotas with what fills them, and enrolments.

As on the pages: reading needs training.view; recording an event, its attendance or an
enrolment training.edit on its institution (attendees among the staff the user records for).
Credits and quota fulfilment are derived by the queries, never stored.
"""

from functools import cached_property
from typing import TypedDict

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from yicai.access.scope import has_perm
from yicai.api.base import (
    ModelInput,
    ModelOutput,
    calling_service,
    get_one,
)
from yicai.api.fields import Ref, api_names, choice, pk_field, status_choice, with_labels
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, SINCE, UNTIL, errors, row_action
from yicai.org.models import Institution
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE, institutions_for
from yicai.people.models import Person
from yicai.people.queries import PERSON_OUT_OF_SCOPE, people_for
from yicai.training.api.common import department_field, institution_field
from yicai.training.forms.education import (
    EnrolmentFilterForm,
    EventFilterForm,
    QuotaFilterForm,
)
from yicai.training.models import education as models
from yicai.training.queries import education as queries
from yicai.training.services.education import (
    ENROLMENT_FIELDS,
    EVENT_FIELDS,
    attendance_record,
    attendance_remove,
    credit_requirement_set,
    enrolment_create,
    event_create,
    event_delete,
    event_update,
    external_credit_record,
    quota_set,
)

CREDITS = _("学分：十进制数，以字符串表示，保留一位小数，如“2.5”")
YEAR_PARAMETER = OpenApiParameter("year", int, description=_("年度，默认今年"))
YES_NO = ["yes", "no"]


class CreditInput(TypedDict):
    """A credit amount's DecimalField arguments, to spread into it (`**CREDIT_INPUT`)."""

    max_digits: int
    decimal_places: int
    min_value: int


CREDIT_INPUT: CreditInput = {"max_digits": 4, "decimal_places": 1, "min_value": 0}


# ---------------------------------------------------------------------------------------------
# Events and their attendance

EVENT_API_FIELDS = api_names(EVENT_FIELDS, kind="event_kind")


class EventOut(ModelOutput):
    event_kind = choice("kind", models.EducationEvent.Kind.choices, _("形式"), read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    speaker = Ref(read_only=True, allow_null=True)
    speaker_display = serializers.CharField(read_only=True, help_text=_("主讲人姓名"))
    attendee_count = serializers.IntegerField(
        read_only=True, help_text=_("登记参加的人数（含您不可见的人员）")
    )

    class Meta:
        model = models.EducationEvent
        fields = (
            "id",
            *with_labels(
                EVENT_API_FIELDS, "event_kind", "credit_class", speaker_name="speaker_display"
            ),
            "attendee_count",
            "created_at",
        )
        extra_kwargs = {"credits": {"help_text": CREDITS}}


class AttendanceOut(ModelOutput):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    own_credits = serializers.DecimalField(
        source="credits",
        max_digits=4,
        decimal_places=1,
        read_only=True,
        allow_null=True,
        help_text=_("单独授予的学分；为空即按活动学分"),
    )
    awarded_credits = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        read_only=True,
        help_text=format_lazy("{}{}", _("实得学分；"), CREDITS),
    )

    class Meta:
        model = models.Attendance
        fields = (
            "id",
            "person",
            "institution",
            "department",
            "own_credits",
            "awarded_credits",
            "recorded_at",
        )


class EventDetailOut(EventOut):
    attendances = AttendanceOut(
        source="attendances_shown",
        many=True,
        read_only=True,
        help_text=_("您可见的参加人员（其他机构的人员不列出）"),
    )
    hidden_attendees = serializers.IntegerField(read_only=True, help_text=_("您不可见的参加人数"))

    class Meta(EventOut.Meta):
        fields = (*EventOut.Meta.fields, "attendances", "hidden_attendees")


class EventIn(ModelInput):
    event_kind = choice("kind", models.EducationEvent.Kind.choices, _("形式"))

    class Meta:
        model = models.EducationEvent
        fields = EVENT_API_FIELDS
        extra_kwargs = {
            "held_on": {"help_text": _("可登记今后的活动，举行后再登记参加人员。")},
            "title": {"help_text": _("疑难病例讨论只写病种与要点，不要填写患者信息。")},
            "credits": {"help_text": CREDITS},
        }

    def scope_fields(self, user):
        self.fields["institution"] = institution_field(user)
        self.fields["department"] = department_field(user)
        self.fields["speaker"] = pk_field(
            people_for(user).select_related("institution"),
            _("所选主讲人不存在或不在您的管辖范围内。"),
            optional=True,
            help_text=_("人员 id；主讲人不在人才档案中时改填院外主讲人。"),
        )


class AttendanceIn(serializers.Serializer):
    credits = serializers.DecimalField(
        label=_("授予学分"),
        max_digits=4,
        decimal_places=1,
        min_value=0,
        required=False,
        allow_null=True,
        help_text=_("留空即按活动学分。"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"] = pk_field(
            queries.people_for_training(user, "training.edit"),
            _("所选参加人员不存在或不在您的管辖范围内。"),
            many=True,
            label=_("参加人员"),
            help_text=_("人员 id 列表；须是您可以编辑的本机构人员。"),
        )


@extend_schema(tags=["training"])
class EventViewSet(RecordViewSet):
    """Continuing-education events the user may see (their institution's, those they spoke
    at or attended), each with the attendance the user may see; recording an event or its
    attendance needs training.edit on its institution."""

    permissions = record_permissions(
        "training", "create", "partial_update", "destroy", attendance="training.edit"
    )
    pagination_class = cursor_pagination("-held_on", "-id")
    filter_form = EventFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("主题或主讲人中的文字")),
        OpenApiParameter("kind", str, enum=models.EducationEvent.Kind.values),
        INSTITUTION_PARAMETER,
        OpenApiParameter("credit_class", str, enum=models.CreditClass.values),
        SINCE,
        UNTIL,
    ]
    output = EventOut
    detail_output = EventDetailOut
    create_input = EventIn
    create_service = event_create
    update_service = event_update
    delete_service = event_delete
    row_keyword = "event"
    error_names = {"kind": "event_kind"}
    destroy_errors = (400,)  # an event someone attended stays
    descriptions = {
        "partial_update": "Change an event; attendees given its credits follow a change of them.",
        "destroy": "Delete an event nobody attended (with attendance it is a 400 on `event`).",
    }

    def list_rows(self, **filters):
        return queries.event_list(self.request.user, **filters)

    def edit_rows(self):
        return queries.events_for(self.request.user, "training.edit")

    def detail_data(self, row):
        # Only the attendees the user may see are listed; the others are counted.
        row.attendances_shown = list(queries.attendances_of(self.request.user, row))
        row.hidden_attendees = row.attendee_count - len(row.attendances_shown)
        return super().detail_data(row)

    @row_action(AttendanceIn, EventDetailOut, 201)
    def attendance(self, request, pk):
        """Several people attended (all of them recorded, or none when one is refused)."""
        event = self.get_editable(pk)
        values = self.checked(AttendanceIn, user=request.user)
        with calling_service():
            attendance_record(event=event, **values)
        return self.answer(self.get_detail(pk), status.HTTP_201_CREATED)


@extend_schema(tags=["training"])
class AttendanceViewSet(RecordViewSet):
    """One attendance: removing it needs training.edit on both the attendee and the event."""

    permissions = {"destroy": "training.edit"}
    output = AttendanceOut
    delete_service = attendance_remove
    row_keyword = "attendance"

    def edit_rows(self):
        return queries.attendances_for(self.request.user, "training.edit")

    def get_editable(self, pk):
        attendance = super().get_editable(pk)
        get_one(queries.events_for(self.request.user, "training.edit"), attendance.event_id)
        return attendance


# ---------------------------------------------------------------------------------------------
# Credits against the requirement


class Credits(serializers.Serializer):
    class_i = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)
    class_ii = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)


# A person of the list, with the credits CreditViewSet.annotate_page gives them.
class CreditOut(serializers.Serializer):
    person = Ref(source="*", read_only=True)
    institution = Ref(read_only=True, allow_null=True)
    department = Ref(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True)
    earned = Credits(
        read_only=True,
        help_text=format_lazy("{}{}", _("本年度已得学分（Ⅰ类、Ⅱ类、合计）；"), CREDITS),
    )
    # DRF's metaclass takes declared fields off the class: this does not shadow Field.required.
    required = Credits(read_only=True, help_text=_("本年度的学分要求"))  # type: ignore[assignment]
    meets = serializers.BooleanField(
        read_only=True, help_text=_("是否达到要求（总学分与两类学分均不少于要求）")
    )


class CreditFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    below = serializers.ChoiceField(YES_NO, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.context["request"].user
        self.fields["institution"] = pk_field(
            institutions_for(user, "training.view"), INSTITUTION_OUT_OF_SCOPE, required=False
        )


class RequirementIn(serializers.Serializer):
    year = serializers.IntegerField(label=_("起始年度"), min_value=2000, max_value=2100)
    total = serializers.DecimalField(label=_("年度总学分"), **CREDIT_INPUT)
    class_i = serializers.DecimalField(label=_("其中Ⅰ类学分不少于"), **CREDIT_INPUT)
    class_ii = serializers.DecimalField(label=_("其中Ⅱ类学分不少于"), **CREDIT_INPUT)


class RequirementOut(ModelOutput):
    class Meta:
        model = models.CreditRequirement
        fields = ("id", "year", "total", "class_i", "class_ii")


class ExternalCreditOut(ModelOutput):
    person = Ref(read_only=True)

    class Meta:
        model = models.ExternalCredit
        fields = (
            "id",
            "person",
            "earned_on",
            "title",
            "provider",
            "credit_class",
            "credit_class_display",
            "credits",
            "created_at",
        )
        extra_kwargs = {"credits": {"help_text": CREDITS}}


class ExternalCreditIn(serializers.Serializer):
    earned_on = serializers.DateField(label=_("取得日期"))
    title = serializers.CharField(label=_("项目名称"), max_length=200)
    provider = serializers.CharField(label=_("举办单位"), max_length=100)
    credit_class = serializers.ChoiceField(models.CreditClass.choices, label=_("学分类别"))
    credits = serializers.DecimalField(label=_("学分"), **CREDIT_INPUT)

    def __init__(self, *args, user=None, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        people = (
            Person.objects.filter(pk=user.person_id)
            if own
            else queries.people_for_training(user, "training.edit")
        )
        self.fields["person"] = pk_field(
            people,
            PERSON_OUT_OF_SCOPE,
            required=not own,
            label=_("人员"),
            help_text=_("人员 id；本人上报时可省略（只能是本人）。"),
        )


@extend_schema(tags=["training"])
class ExternalCreditViewSet(RecordViewSet):
    """Credits earned outside: an administrator (training.edit) records them for their
    staff, a staff member (training.log) reports their own."""

    permissions = {"create": ""}  # training.edit, or training.log for one's own: see `own`
    output = ExternalCreditOut
    create_input = ExternalCreditIn
    create_service = external_credit_record

    @cached_property
    def own(self) -> bool:
        """Whether the user reports their own credits rather than records their staff's
        (with neither permission: 403)."""
        user = self.request.user
        if has_perm(user, "training.edit"):
            return False
        if getattr(user, "person_id", None) is not None and has_perm(user, "training.log"):
            return True
        raise PermissionDenied

    def input_arguments(self, row):
        return {"user": self.request.user, "own": self.own}

    def create_record(self, values):
        if self.own:  # the reporter themself, whatever the input names
            values["person"] = self.request.user.person
        return super().create_record(values)

    def after_save(self, row):
        return row  # answered as recorded


@extend_schema(tags=["training"])
class CreditViewSet(RecordViewSet):
    """The staff the user may see with their credits of a year, by class, against the
    requirement in force that year (the commission's, or the national rules)."""

    permissions = {"list": "training.view", "requirement": "training.configure"}
    queryset = models.EducationEvent.objects.none()  # a model for the schema: people are listed
    pagination_class = cursor_pagination("name_initials", "id")
    filter_input = CreditFilter
    list_parameters = [
        YEAR_PARAMETER,
        OpenApiParameter("q", str, description=_("姓名中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter(
            "below", str, enum=YES_NO, description=_("yes：未达到要求；no：已达到要求")
        ),
    ]
    output = CreditOut

    def list_rows(self, year=None, below="", **filters):
        # The year and its requirement are kept for the page's rows (see annotate_page).
        self.year = year or queries.this_year()
        self.requirement = queries.requirement_for(self.year)
        standing = {"yes": "below", "no": "met"}.get(below, "")
        return queries.credit_list(self.request.user, year=self.year, standing=standing, **filters)

    def annotate_page(self, rows):
        requirement = self.requirement
        required = {
            "class_i": requirement.class_i,
            "class_ii": requirement.class_ii,
            "total": requirement.total,
        }
        for person in rows:
            person.year = self.year
            person.earned = {
                "class_i": queries.round_credits(person.class_i),
                "class_ii": queries.round_credits(person.class_ii),
                "total": queries.round_credits(person.total),
            }
            person.required = required
            person.meets = queries.meets(person, requirement)

    @extend_schema(request=RequirementIn, responses={200: RequirementOut, **errors(400)})
    def requirement(self, request):
        """Set (or change) the commission's requirement from a year on; needs
        training.configure."""
        values = self.checked(RequirementIn)
        with calling_service():
            saved = credit_requirement_set(**values)
        return Response(RequirementOut(saved).data)


# ---------------------------------------------------------------------------------------------
# Quotas and what fills them


class QuotaOut(ModelOutput):
    institution = Ref(read_only=True)
    training_kind = choice("kind", models.TrainingKind.choices, _("培训类别"), read_only=True)
    fulfilled = serializers.IntegerField(
        read_only=True,
        help_text=_("已完成人次：本年度开始且未中止/退出的进修（或该类培训）"),
    )
    met = serializers.SerializerMethodField(help_text=_("是否已完成指标"))

    class Meta:
        model = models.TrainingQuota
        fields = (
            "id",
            "institution",
            "year",
            "training_kind",
            "training_kind_display",
            "number",
            "fulfilled",
            "met",
        )

    def get_met(self, quota) -> bool:
        return quota.fulfilled >= quota.number


class QuotaIn(serializers.Serializer):
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    training_kind = choice("kind", models.TrainingKind.choices, _("培训类别"))
    number = serializers.IntegerField(label=_("指标（人次）"), min_value=0, max_value=10000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"] = pk_field(
            institutions_for(user, "training.configure").filter(
                relation=Institution.Relation.MANAGED
            ),
            INSTITUTION_OUT_OF_SCOPE,
            label=_("机构"),
            help_text=_("辖区管理的机构 id"),
        )


@extend_schema(tags=["training"])
class QuotaViewSet(RecordViewSet):
    """A year's training quotas of the institutions the user may see, each with what fills it
    (secondments, short courses, degree study starting that year and not withdrawn)."""

    permissions = {"list": "training.view", "create": "training.configure"}
    pagination_class = cursor_pagination("institution_id", "kind", "id")
    filter_form = QuotaFilterForm
    list_parameters = [
        YEAR_PARAMETER,
        INSTITUTION_PARAMETER,
        OpenApiParameter("kind", str, enum=models.TrainingKind.values),
        OpenApiParameter("unmet", str, enum=YES_NO, description=_("yes：未完成；no：已完成")),
    ]
    output = QuotaOut
    create_input = QuotaIn
    create_service = quota_set
    create_status = status.HTTP_200_OK  # one quota a year and kind: set, or changed
    error_names = {"kind": "training_kind"}
    descriptions = {  # as the docstring it was, line break included
        "create": "Set (or change) an institution's quota of a year for a kind of training; needs\n"
        "training.configure."
    }

    def list_rows(self, **filters):
        return queries.quota_list(self.request.user, **filters)

    def after_save(self, row):
        # Read with what fills it, among the quotas the user may configure.
        rows = queries.quota_list(self.request.user, year=row.year, permission="training.configure")
        return get_one(rows, row.pk)


# ---------------------------------------------------------------------------------------------
# Enrolments (短期培训、学历教育)


ENROLMENT_API_FIELDS = api_names(ENROLMENT_FIELDS, kind="enrolment_kind", status="enrolment_status")


class EnrolmentOut(ModelOutput):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    enrolment_kind = choice("kind", models.Enrolment.Kind.choices, _("类别"), read_only=True)
    enrolment_status = status_choice(models.Enrolment.Status.choices, read_only=True)

    class Meta:
        model = models.Enrolment
        fields = (
            "id",
            "person",
            "institution",
            "department",
            *with_labels(ENROLMENT_API_FIELDS, "enrolment_kind", "enrolment_status"),
            "created_at",
        )


class EnrolmentIn(ModelInput):
    enrolment_kind = choice("kind", models.Enrolment.Kind.choices, _("类别"))
    enrolment_status = status_choice(
        models.Enrolment.Status.choices,
        required=False,
        help_text=_("默认为在读/在训。"),
    )

    class Meta:
        model = models.Enrolment
        fields = ("person", *ENROLMENT_API_FIELDS)

    def scope_fields(self, user):
        self.fields["person"] = pk_field(
            queries.people_for_training(user, "training.edit"),
            PERSON_OUT_OF_SCOPE,
            help_text=_("人员 id；须是您可以编辑的本机构人员。"),
        )


@extend_schema(tags=["training"])
class EnrolmentViewSet(RecordViewSet):
    """Short courses and degree study of the people the user may see (which, with
    secondments, fill the quotas); recording one needs training.edit on the person."""

    permissions = record_permissions("training", "create")
    pagination_class = cursor_pagination("-start_on", "-id")
    filter_form = EnrolmentFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名、项目或单位中的文字")),
        OpenApiParameter("kind", str, enum=models.Enrolment.Kind.values),
        OpenApiParameter("status", str, enum=models.Enrolment.Status.values),
        OpenApiParameter("year", int, description=_("开始年度")),
        INSTITUTION_PARAMETER,
    ]
    output = EnrolmentOut
    create_input = EnrolmentIn
    create_service = enrolment_create
    error_names = {"kind": "enrolment_kind", "status": "enrolment_status"}

    def list_rows(self, **filters):
        return queries.enrolment_list(self.request.user, **filters)

    def detail_rows(self):
        return queries.enrolments_for(self.request.user)
