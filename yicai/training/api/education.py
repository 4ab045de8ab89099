"""Continuing education (继续医学教育) and training quotas (/api/v1/training/education/...):
events with the attendance the user may see, recording attendance, each person's credits of a
year against the requirement, the quotas with what fills them, and enrolments.

As on the pages: reading needs training.view; recording an event, its attendance or an
enrolment training.edit on its institution (attendees among the staff the user records for).
Credits and quota fulfilment are derived by the queries, never stored.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from yicai.access.scope import has_perm
from yicai.api.base import (
    INSTITUTION_PARAMETER,
    ROW_ID,
    SINCE,
    UNTIL,
    ApiView,
    ModelInput,
    Ref,
    calling_service,
    calling_service_as,
    choice,
    cursor_pagination,
    errors,
    form_filters,
    get_one,
    pk_field,
)
from yicai.org.models import Institution
from yicai.org.queries import institutions_for
from yicai.people.models import Person
from yicai.people.queries import people_for
from yicai.training import services
from yicai.training.api.common import department_field, institution_field
from yicai.training.forms.education import (
    EnrolmentFilterForm,
    EventFilterForm,
    QuotaFilterForm,
)
from yicai.training.models import (
    Attendance,
    CreditClass,
    CreditRequirement,
    EducationEvent,
    Enrolment,
    ExternalCredit,
    TrainingKind,
    TrainingQuota,
)
from yicai.training.queries import education as queries
from yicai.training.queries.mentoring import INSTITUTION_OUT_OF_SCOPE

CREDITS = _("学分：十进制数，以字符串表示，保留一位小数，如“2.5”")
YEAR_PARAMETER = OpenApiParameter("year", int, description=_("年度，默认今年"))
YES_NO = ["yes", "no"]
CREDIT_INPUT = {"max_digits": 4, "decimal_places": 1, "min_value": 0}


# ---------------------------------------------------------------------------------------------
# Events and their attendance


class EventOut(serializers.ModelSerializer):
    event_kind = choice("kind", EducationEvent.Kind.choices, _("形式"), read_only=True)
    event_kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    speaker = Ref(read_only=True, allow_null=True)
    speaker_display = serializers.CharField(read_only=True, help_text=_("主讲人姓名"))
    credit_class_display = serializers.CharField(source="get_credit_class_display", read_only=True)
    attendee_count = serializers.IntegerField(
        read_only=True, help_text=_("登记参加的人数（含您不可见的人员）")
    )

    class Meta:
        model = EducationEvent
        fields = (
            "id",
            "event_kind",
            "event_kind_display",
            "title",
            "institution",
            "department",
            "held_on",
            "speaker",
            "speaker_name",
            "speaker_display",
            "hours",
            "credit_class",
            "credit_class_display",
            "credits",
            "note",
            "attendee_count",
            "created_at",
        )
        read_only_fields = fields
        extra_kwargs = {"credits": {"help_text": CREDITS}}


class AttendanceOut(serializers.ModelSerializer):
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
        model = Attendance
        fields = (
            "id",
            "person",
            "institution",
            "department",
            "own_credits",
            "awarded_credits",
            "recorded_at",
        )
        read_only_fields = fields


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
        read_only_fields = fields


class EventIn(ModelInput):
    event_kind = choice("kind", EducationEvent.Kind.choices, _("形式"))

    class Meta:
        model = EducationEvent
        fields = (
            "event_kind",
            "title",
            "institution",
            "department",
            "held_on",
            "speaker",
            "speaker_name",
            "hours",
            "credit_class",
            "credits",
            "note",
        )
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
            required=False,
            allow_null=True,
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
class EventViewSet(ApiView):
    """Continuing-education events the user may see (their institution's, those they spoke
    at or attended), each with the attendance the user may see; recording an event or its
    attendance needs training.edit on its institution."""

    permissions = {
        "list": "training.view",
        "retrieve": "training.view",
        "create": "training.edit",
        "partial_update": "training.edit",
        "destroy": "training.edit",
        "attendance": "training.edit",
    }
    pagination_class = cursor_pagination("-held_on", "-id")
    queryset = EducationEvent.objects.none()

    def _out(self, pk) -> dict:
        user = self.request.user
        event = get_one(queries.event_list(user), pk)
        event.attendances_shown = list(queries.attendances_of(user, event))
        event.hidden_attendees = event.attendee_count - len(event.attendances_shown)
        return EventDetailOut(event).data

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("主题或主讲人中的文字")),
            OpenApiParameter("kind", str, enum=EducationEvent.Kind.values),
            INSTITUTION_PARAMETER,
            OpenApiParameter("credit_class", str, enum=CreditClass.values),
            SINCE,
            UNTIL,
        ],
        responses={200: EventOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = form_filters(EventFilterForm(request.user, request.query_params))
        page = self.paginate_queryset(queries.event_list(request.user, **filters))
        return self.get_paginated_response(EventOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: EventDetailOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(self._out(pk))

    @extend_schema(request=EventIn, responses={201: EventDetailOut, **errors(400)})
    def create(self, request):
        data = EventIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service_as(kind="event_kind"):
            saved = services.event_create(**data.validated_data)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROW_ID],
        request=EventIn,
        responses={200: EventDetailOut, **errors(400, 404)},
    )
    def partial_update(self, request, pk):
        """Change an event; attendees given its credits follow a change of them."""
        event = get_one(queries.events_for(request.user, "training.edit"), pk)
        data = EventIn(event, data=request.data, partial=True, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service_as(kind="event_kind"):
            services.event_update(event=event, **data.validated_data)
        return Response(self._out(pk))

    @extend_schema(parameters=[ROW_ID], responses={204: None, **errors(400, 404)})
    def destroy(self, request, pk):
        """Delete an event nobody attended (with attendance it is a 400 on `event`)."""
        event = get_one(queries.events_for(request.user, "training.edit"), pk)
        with calling_service():
            services.event_delete(event=event)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[ROW_ID],
        request=AttendanceIn,
        responses={201: EventDetailOut, **errors(400, 404)},
    )
    def attendance(self, request, pk):
        """Several people attended (all of them recorded, or none when one is refused)."""
        event = get_one(queries.events_for(request.user, "training.edit"), pk)
        data = AttendanceIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            services.attendance_record(event=event, **data.validated_data)
        return Response(self._out(pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["training"])
class AttendanceViewSet(ApiView):
    """One attendance: removing it needs training.edit on both the attendee and the event."""

    permissions = {"destroy": "training.edit"}
    queryset = Attendance.objects.none()

    @extend_schema(parameters=[ROW_ID], responses={204: None, **errors(404)})
    def destroy(self, request, pk):
        attendance = get_one(queries.attendances_for(request.user, "training.edit"), pk)
        get_one(queries.events_for(request.user, "training.edit"), attendance.event_id)
        with calling_service():
            services.attendance_remove(attendance=attendance)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------------------------------------
# Credits against the requirement


class Credits(serializers.Serializer):
    class_i = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)
    class_ii = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)
    total = serializers.DecimalField(max_digits=6, decimal_places=1, read_only=True)


class CreditOut(serializers.Serializer):
    person = Ref(read_only=True)
    institution = Ref(read_only=True, allow_null=True)
    department = Ref(read_only=True, allow_null=True)
    year = serializers.IntegerField(read_only=True)
    earned = Credits(
        read_only=True,
        help_text=format_lazy("{}{}", _("本年度已得学分（Ⅰ类、Ⅱ类、合计）；"), CREDITS),
    )
    required = Credits(read_only=True, help_text=_("本年度的学分要求"))
    meets = serializers.BooleanField(
        read_only=True, help_text=_("是否达到要求（总学分与两类学分均不少于要求）")
    )


class CreditFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    below = serializers.ChoiceField(YES_NO, required=False, allow_blank=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"] = pk_field(
            institutions_for(user, "training.view"), INSTITUTION_OUT_OF_SCOPE, required=False
        )


class RequirementIn(serializers.Serializer):
    year = serializers.IntegerField(label=_("起始年度"), min_value=2000, max_value=2100)
    total = serializers.DecimalField(label=_("年度总学分"), **CREDIT_INPUT)
    class_i = serializers.DecimalField(label=_("其中Ⅰ类学分不少于"), **CREDIT_INPUT)
    class_ii = serializers.DecimalField(label=_("其中Ⅱ类学分不少于"), **CREDIT_INPUT)


class RequirementOut(serializers.ModelSerializer):
    class Meta:
        model = CreditRequirement
        fields = ("id", "year", "total", "class_i", "class_ii")
        read_only_fields = fields


class ExternalCreditOut(serializers.ModelSerializer):
    person = Ref(read_only=True)
    credit_class_display = serializers.CharField(source="get_credit_class_display", read_only=True)

    class Meta:
        model = ExternalCredit
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
        read_only_fields = fields
        extra_kwargs = {"credits": {"help_text": CREDITS}}


class ExternalCreditIn(serializers.Serializer):
    earned_on = serializers.DateField(label=_("取得日期"))
    title = serializers.CharField(label=_("项目名称"), max_length=200)
    provider = serializers.CharField(label=_("举办单位"), max_length=100)
    credit_class = serializers.ChoiceField(CreditClass.choices, label=_("学分类别"))
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
            _("所选人员不存在或不在您的管辖范围内。"),
            required=not own,
            label=_("人员"),
            help_text=_("人员 id；本人上报时可省略（只能是本人）。"),
        )


@extend_schema(tags=["training"])
class ExternalCreditViewSet(ApiView):
    """Credits earned outside: an administrator (training.edit) records them for their
    staff, a staff member (training.log) reports their own."""

    queryset = ExternalCredit.objects.none()

    @extend_schema(request=ExternalCreditIn, responses={201: ExternalCreditOut, **errors(400)})
    def create(self, request):
        user = request.user
        if has_perm(user, "training.edit"):
            own = False
        elif user.person_id is not None and has_perm(user, "training.log"):
            own = True
        else:
            raise PermissionDenied
        data = ExternalCreditIn(data=request.data, user=user, own=own)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if own:
            values["person"] = user.person
        with calling_service():
            saved = services.external_credit_record(**values)
        return Response(ExternalCreditOut(saved).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["training"])
class CreditViewSet(ApiView):
    """The staff the user may see with their credits of a year, by class, against the
    requirement in force that year (the commission's, or the national rules)."""

    permissions = {"list": "training.view", "requirement": "training.configure"}
    pagination_class = cursor_pagination("name_initials", "id")
    queryset = EducationEvent.objects.none()

    @extend_schema(request=RequirementIn, responses={200: RequirementOut, **errors(400)})
    def requirement(self, request):
        """Set (or change) the commission's requirement from a year on; needs
        training.configure."""
        data = RequirementIn(data=request.data)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.credit_requirement_set(**data.validated_data)
        return Response(RequirementOut(saved).data)

    @extend_schema(
        parameters=[
            YEAR_PARAMETER,
            OpenApiParameter("q", str, description=_("姓名中的文字")),
            INSTITUTION_PARAMETER,
            OpenApiParameter(
                "below", str, enum=YES_NO, description=_("yes：未达到要求；no：已达到要求")
            ),
        ],
        responses={200: CreditOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        criteria = CreditFilter(data=request.query_params, user=request.user)
        criteria.is_valid(raise_exception=True)
        values = dict(criteria.validated_data)
        year = values.pop("year", None) or queries.this_year()
        below = values.pop("below", "")
        standing = {"yes": "below", "no": "met"}.get(below, "")
        requirement = queries.requirement_for(year)
        rows = queries.credit_list(request.user, year=year, standing=standing, **values)
        page = self.paginate_queryset(rows)
        required = {
            "class_i": requirement.class_i,
            "class_ii": requirement.class_ii,
            "total": requirement.total,
        }
        body = [
            {
                "person": person,
                "institution": person.institution,
                "department": person.department,
                "year": year,
                "earned": {
                    "class_i": queries.round_credits(person.class_i),
                    "class_ii": queries.round_credits(person.class_ii),
                    "total": queries.round_credits(person.total),
                },
                "required": required,
                "meets": queries.meets(person, requirement),
            }
            for person in page
        ]
        return self.get_paginated_response(CreditOut(body, many=True).data)


# ---------------------------------------------------------------------------------------------
# Quotas and what fills them


class QuotaOut(serializers.ModelSerializer):
    institution = Ref(read_only=True)
    training_kind = choice("kind", TrainingKind.choices, _("培训类别"), read_only=True)
    training_kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    fulfilled = serializers.IntegerField(
        read_only=True,
        help_text=_("已完成人次：本年度开始且未中止/退出的进修（或该类培训）"),
    )
    met = serializers.SerializerMethodField(help_text=_("是否已完成指标"))

    class Meta:
        model = TrainingQuota
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
        read_only_fields = fields

    def get_met(self, quota) -> bool:
        return quota.fulfilled >= quota.number


class QuotaIn(serializers.Serializer):
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    training_kind = choice("kind", TrainingKind.choices, _("培训类别"))
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
class QuotaViewSet(ApiView):
    """A year's training quotas of the institutions the user may see, each with what fills it
    (secondments, short courses, degree study starting that year and not withdrawn)."""

    permissions = {"list": "training.view", "create": "training.configure"}
    pagination_class = cursor_pagination("institution_id", "kind", "id")
    queryset = TrainingQuota.objects.none()

    @extend_schema(request=QuotaIn, responses={200: QuotaOut, **errors(400)})
    def create(self, request):
        """Set (or change) an institution's quota of a year for a kind of training; needs
        training.configure."""
        data = QuotaIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service_as(kind="training_kind"):
            quota = services.quota_set(**data.validated_data)
        rows = queries.quota_list(request.user, year=quota.year, permission="training.configure")
        return Response(QuotaOut(get_one(rows, quota.pk)).data)

    @extend_schema(
        parameters=[
            YEAR_PARAMETER,
            INSTITUTION_PARAMETER,
            OpenApiParameter("kind", str, enum=TrainingKind.values),
            OpenApiParameter("unmet", str, enum=YES_NO, description=_("yes：未完成；no：已完成")),
        ],
        responses={200: QuotaOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = form_filters(QuotaFilterForm(request.user, request.query_params))
        page = self.paginate_queryset(queries.quota_list(request.user, **filters))
        return self.get_paginated_response(QuotaOut(page, many=True).data)


# ---------------------------------------------------------------------------------------------
# Enrolments (短期培训、学历教育)


class EnrolmentOut(serializers.ModelSerializer):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    enrolment_kind = choice("kind", Enrolment.Kind.choices, _("类别"), read_only=True)
    enrolment_kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    enrolment_status = choice("status", Enrolment.Status.choices, _("状态"), read_only=True)
    enrolment_status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Enrolment
        fields = (
            "id",
            "person",
            "institution",
            "department",
            "enrolment_kind",
            "enrolment_kind_display",
            "provider",
            "programme",
            "start_on",
            "end_on",
            "enrolment_status",
            "enrolment_status_display",
            "created_at",
        )
        read_only_fields = fields


class EnrolmentIn(ModelInput):
    enrolment_kind = choice("kind", Enrolment.Kind.choices, _("类别"))
    enrolment_status = choice(
        "status",
        Enrolment.Status.choices,
        _("状态"),
        required=False,
        help_text=_("默认为在读/在训。"),
    )

    class Meta:
        model = Enrolment
        fields = (
            "person",
            "enrolment_kind",
            "provider",
            "programme",
            "start_on",
            "end_on",
            "enrolment_status",
        )

    def scope_fields(self, user):
        self.fields["person"] = pk_field(
            queries.people_for_training(user, "training.edit"),
            _("所选人员不存在或不在您的管辖范围内。"),
            help_text=_("人员 id；须是您可以编辑的本机构人员。"),
        )


@extend_schema(tags=["training"])
class EnrolmentViewSet(ApiView):
    """Short courses and degree study of the people the user may see (which, with
    secondments, fill the quotas); recording one needs training.edit on the person."""

    permissions = {"list": "training.view", "retrieve": "training.view", "create": "training.edit"}
    pagination_class = cursor_pagination("-start_on", "-id")
    queryset = Enrolment.objects.none()

    def _out(self, pk) -> dict:
        return EnrolmentOut(get_one(queries.enrolments_for(self.request.user), pk)).data

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("姓名、项目或单位中的文字")),
            OpenApiParameter("kind", str, enum=Enrolment.Kind.values),
            OpenApiParameter("status", str, enum=Enrolment.Status.values),
            OpenApiParameter("year", int, description=_("开始年度")),
            INSTITUTION_PARAMETER,
        ],
        responses={200: EnrolmentOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = form_filters(EnrolmentFilterForm(request.user, request.query_params))
        page = self.paginate_queryset(queries.enrolment_list(request.user, **filters))
        return self.get_paginated_response(EnrolmentOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: EnrolmentOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(self._out(pk))

    @extend_schema(request=EnrolmentIn, responses={201: EnrolmentOut, **errors(400)})
    def create(self, request):
        data = EnrolmentIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service_as(kind="enrolment_kind", status="enrolment_status"):
            saved = services.enrolment_create(**data.validated_data)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)
