"""REST API for the cultivation records (育): mentorships, techniques, case logs and their
verification, expert studios with the year's figures, expert visits with their counts, and
remote consultations (/api/v1/training/...).

As on the pages: reading needs training.view, recording training.edit, logging a case
training.log (for one's own person), verifying training.verify on the row. Rows come from the
scoped queries of `training.queries`, writes go through `training.services`; a row outside the
user's scope is a 404, a foreign key outside it a 400 naming the field.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from yicai.org.api import (
    ROW_ID,
    ApiView,
    ModelInput,
    Ref,
    calling_service,
    cursor_pagination,
    errors,
    get_one,
    pk_field,
)
from yicai.org.queries import departments_for, institutions_for
from yicai.people.queries import people_for
from yicai.training import queries, services
from yicai.training.forms.activity import VisitFilterForm
from yicai.training.forms.common import GAP_CHOICES, VERIFIED_CHOICES
from yicai.training.forms.mentoring import CaseFilterForm, TechniqueFilterForm
from yicai.training.forms.studios import StudioFilterForm
from yicai.training.models import (
    CaseLog,
    Consultation,
    ExpertStudio,
    Mentorship,
    StudioMember,
    StudioTier,
    Technique,
    Visit,
)
from yicai.training.queries.activity import consultation_list
from yicai.training.queries.mentoring import (
    experts_for,
    mentorship_list,
    mentorships_for,
    mentorships_of,
    supervisors_for,
    techniques_to_log,
)
from yicai.training.queries.studios import studios_with_members

INSTITUTION_OUT_OF_SCOPE = _("所选机构不存在或不在您的管辖范围内。")
DEPARTMENT_OUT_OF_SCOPE = _("所选科室不存在或不在您的管辖范围内。")


def _form_filters(form) -> dict:
    """A page's filter form over the query string: its values, or a 400 by field."""
    if not form.is_valid():
        raise ValidationError({name: list(messages) for name, messages in form.errors.items()})
    return form.cleaned_data


def _values(choices) -> list[str]:
    return [value for value, _label in choices if value]


def _institution_field(user, **kwargs):
    return pk_field(institutions_for(user, "training.edit"), INSTITUTION_OUT_OF_SCOPE, **kwargs)


def _department_field(user):
    return pk_field(
        departments_for(user, "training.edit"),
        DEPARTMENT_OUT_OF_SCOPE,
        required=False,
        allow_null=True,
    )


def _expert_field(user, message, **kwargs):
    return pk_field(experts_for(user), message, **kwargs)


def _choice(source: str, choices, label, **kwargs) -> serializers.ChoiceField:
    """A choice field named after its record (mentor_kind, visit_kind, ...), so that its enum
    is not confused in the schema with the institution's kind or the person's category."""
    return serializers.ChoiceField(choices, source=source, label=label, **kwargs)


def _no_repeats(people, message):
    if len({person.pk for person in people}) != len(people):
        raise serializers.ValidationError(message)
    return people


INSTITUTION_PARAMETER = OpenApiParameter("institution", int, description=_("机构 id"))
SINCE = OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日期（含）"))
UNTIL = OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日期（含）"))


class ApprenticeRef(serializers.Serializer):
    id = serializers.IntegerField(source="apprentice_id", read_only=True)
    name = serializers.CharField(source="apprentice.name", read_only=True)


# ---------------------------------------------------------------------------------------------
# Mentorships (师带徒)


class MentorshipOut(serializers.ModelSerializer):
    mentor = Ref(read_only=True)
    mentor_kind = _choice("kind", Mentorship.Kind.choices, _("导师类别"), read_only=True)
    mentor_kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    mentorship_status = _choice("status", Mentorship.Status.choices, _("状态"), read_only=True)
    mentorship_status_display = serializers.CharField(source="get_status_display", read_only=True)
    apprentices = ApprenticeRef(source="apprenticeships", many=True, read_only=True)

    class Meta:
        model = Mentorship
        fields = (
            "id",
            "mentor",
            "mentor_kind",
            "mentor_kind_display",
            "institution",
            "department",
            "apprentices",
            "start_on",
            "end_on",
            "mentorship_status",
            "mentorship_status_display",
            "goals",
            "target_visits",
            "target_lectures",
            "target_operations",
            "created_at",
        )
        read_only_fields = fields


class MentorshipIn(ModelInput):
    apprentices = serializers.ListField(child=serializers.IntegerField())  # see scope_fields

    class Meta:
        model = Mentorship
        fields = (
            "mentor",
            "apprentices",
            "institution",
            "department",
            "start_on",
            "end_on",
            "goals",
            "target_visits",
            "target_lectures",
            "target_operations",
        )

    def scope_fields(self, user):
        self.fields["mentor"] = _expert_field(
            user,
            _("所选导师不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )
        self.fields["apprentices"] = pk_field(
            people_for(user, "training.edit"),
            _("所选徒弟不存在或不在您的管辖范围内。"),
            many=True,
            label=_("徒弟"),
            help_text=_("人员 id 列表；须是带教机构的人员。"),
        )
        self.fields["institution"] = _institution_field(user)
        self.fields["department"] = _department_field(user)

    def validate_apprentices(self, people):
        return _no_repeats(people, _("同一徒弟不能重复选择。"))


class MentorshipFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    status = serializers.ChoiceField(Mentorship.Status.choices, required=False, allow_blank=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"] = pk_field(
            institutions_for(user), INSTITUTION_OUT_OF_SCOPE, required=False
        )


@extend_schema(tags=["training"])
class MentorshipViewSet(ApiView):
    """Mentorships the user may see (a mentor: those they lead; an apprentice: their own);
    recording one needs training.edit on its institution."""

    permissions = {"list": "training.view", "retrieve": "training.view", "create": "training.edit"}
    pagination_class = cursor_pagination("-start_on", "-id")
    queryset = Mentorship.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("导师或徒弟姓名中的文字")),
            OpenApiParameter("status", str, enum=Mentorship.Status.values),
            INSTITUTION_PARAMETER,
        ],
        responses={200: MentorshipOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        criteria = MentorshipFilter(data=request.query_params, user=request.user)
        criteria.is_valid(raise_exception=True)
        rows = mentorship_list(request.user, **criteria.validated_data)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MentorshipOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: MentorshipOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(MentorshipOut(get_one(mentorships_for(request.user), pk)).data)

    @extend_schema(request=MentorshipIn, responses={201: MentorshipOut, **errors(400)})
    def create(self, request):
        data = MentorshipIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.mentorship_create(**data.validated_data)
        row = get_one(mentorships_for(request.user), saved.pk)
        return Response(MentorshipOut(row).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# Techniques (新技术新项目)


class TechniqueOut(serializers.ModelSerializer):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    technique_category = _choice("category", Technique.Category.choices, _("类别"), read_only=True)
    technique_category_display = serializers.CharField(
        source="get_category_display", read_only=True
    )
    origin_display = serializers.CharField(source="get_origin_display", read_only=True)
    technique_status = _choice("status", Technique.Status.choices, _("状态"), read_only=True)
    technique_status_display = serializers.CharField(source="get_status_display", read_only=True)
    gap_filled_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("首例经审核的独立完成病例的日期（填补技术空白）；尚无则为空"),
    )
    verified_independent = serializers.IntegerField(
        read_only=True, help_text=_("经审核的独立完成病例数")
    )
    first_in_region = serializers.SerializerMethodField(
        help_text=_("是否同时填补了本辖区的技术空白")
    )

    class Meta:
        model = Technique
        fields = (
            "id",
            "name",
            "institution",
            "department",
            "technique_category",
            "technique_category_display",
            "origin",
            "origin_display",
            "mentorship",
            "secondment",
            "technique_status",
            "technique_status_display",
            "gap_filled_on",
            "verified_independent",
            "first_in_region",
            "created_at",
        )
        read_only_fields = fields

    def get_first_in_region(self, technique) -> bool:
        return technique.pk in self.context.get("firsts", ())


def _techniques_out(techniques, many: bool):
    rows = list(techniques) if many else [techniques]
    firsts = queries.first_in_region(rows)
    return TechniqueOut(techniques, many=many, context={"firsts": firsts}).data


class TechniqueIn(ModelInput):
    technique_category = _choice("category", Technique.Category.choices, _("类别"))
    technique_status = _choice(
        "status",
        Technique.Status.choices,
        _("状态"),
        required=False,
        help_text=_("默认为计划引进。"),
    )

    class Meta:
        model = Technique
        fields = (
            "institution",
            "department",
            "name",
            "technique_category",
            "origin",
            "mentorship",
            "technique_status",
        )
        validators: list = []  # the service checks the unique name in its transaction

    def scope_fields(self, user):
        self.fields["institution"] = _institution_field(user)
        self.fields["department"] = _department_field(user)
        self.fields["mentorship"] = pk_field(
            mentorships_for(user, "training.edit"),
            _("所选师带徒关系不存在或不在您的管辖范围内。"),
            required=False,
            allow_null=True,
        )


@extend_schema(tags=["training"])
class TechniqueViewSet(ApiView):
    """Techniques the user may see, each with the date it filled a gap (its first verified
    independent case) and its verified independent cases; registering needs training.edit."""

    permissions = {"list": "training.view", "retrieve": "training.view", "create": "training.edit"}
    pagination_class = cursor_pagination("name", "id")
    queryset = Technique.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("技术名称中的文字")),
            INSTITUTION_PARAMETER,
            OpenApiParameter("status", str, enum=Technique.Status.values),
            OpenApiParameter(
                "gap", str, enum=_values(GAP_CHOICES), description=_("是否已填补技术空白")
            ),
        ],
        responses={200: TechniqueOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = _form_filters(TechniqueFilterForm(request.user, request.query_params))
        page = self.paginate_queryset(queries.technique_list(request.user, **filters))
        return self.get_paginated_response(_techniques_out(page, many=True))

    @extend_schema(parameters=[ROW_ID], responses={200: TechniqueOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(self._out(pk))

    @extend_schema(request=TechniqueIn, responses={201: TechniqueOut, **errors(400)})
    def create(self, request):
        data = TechniqueIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.technique_register(**data.validated_data)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)

    def _out(self, pk) -> dict:
        return _techniques_out(get_one(queries.technique_list(self.request.user), pk), many=False)


# ---------------------------------------------------------------------------------------------
# Case logs (病例/手术记录) and their verification


class CaseLogOut(serializers.ModelSerializer):
    apprentice = Ref(read_only=True)
    technique = Ref(read_only=True)
    institution = Ref(source="technique.institution", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    supervisor = Ref(read_only=True, allow_null=True)
    verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = CaseLog
        fields = (
            "id",
            "apprentice",
            "technique",
            "institution",
            "performed_on",
            "role",
            "role_display",
            "supervisor",
            "mentorship",
            "note",
            "verified",
            "verified_at",
            "verified_by_name",
            "created_at",
        )
        read_only_fields = fields


class CaseLogIn(ModelInput):
    """What an apprentice logs; they log for themselves (the calling user's person)."""

    class Meta:
        model = CaseLog
        fields = ("technique", "performed_on", "role", "supervisor", "mentorship", "note")

    def scope_fields(self, user):
        person = user.person if user is not None and user.person_id else None
        self.fields["technique"] = pk_field(
            techniques_to_log(person),
            _("所选技术不存在或不是本人所在机构登记的技术。"),
        )
        self.fields["supervisor"] = pk_field(
            supervisors_for(person),
            _("审核人须是本人的导师或同科室人员。"),
            required=False,
            allow_null=True,
        )
        self.fields["mentorship"] = pk_field(
            mentorships_of(person),
            _("所选师带徒关系不存在或本人不是其徒弟。"),
            required=False,
            allow_null=True,
        )


@extend_schema(tags=["training"])
class CaseLogViewSet(ApiView):
    """Case logs the user may see (a mentor: their apprentices' and those they supervise; a
    trainee: their own). A trainee logs their own (training.log); a mentor, supervisor or
    administrator verifies or withdraws a verification (training.verify, on the row)."""

    permissions = {
        "list": "training.view",
        "retrieve": "training.view",
        "create": "training.log",
        "verify": "training.verify",
        "unverify": "training.verify",
    }
    pagination_class = cursor_pagination("-performed_on", "-id")
    queryset = CaseLog.objects.none()

    def _out(self, pk) -> dict:
        return CaseLogOut(get_one(queries.case_logs_for(self.request.user), pk)).data

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("记录人姓名或技术名称中的文字")),
            OpenApiParameter("role", str, enum=CaseLog.Role.values),
            OpenApiParameter("verified", str, enum=_values(VERIFIED_CHOICES)),
        ],
        responses={200: CaseLogOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = _form_filters(CaseFilterForm(request.query_params))
        page = self.paginate_queryset(queries.case_list(request.user, **filters))
        return self.get_paginated_response(CaseLogOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: CaseLogOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(self._out(pk))

    @extend_schema(request=CaseLogIn, responses={201: CaseLogOut, **errors(400)})
    def create(self, request):
        if request.user.person_id is None:
            raise PermissionDenied(_("您的账户未关联人员档案，不能登记病例。"))
        data = CaseLogIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.case_log_create(apprentice=request.user.person, **data.validated_data)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ROW_ID], request=None, responses={200: CaseLogOut, **errors(400, 404)}
    )
    def verify(self, request, pk):
        return self._verification(pk, services.case_log_verify)

    @extend_schema(
        parameters=[ROW_ID], request=None, responses={200: CaseLogOut, **errors(400, 404)}
    )
    def unverify(self, request, pk):
        return self._verification(pk, services.case_log_unverify)

    def _verification(self, pk, service) -> Response:
        user = self.request.user
        case_log = get_one(queries.case_logs_for(user, "training.verify"), pk)
        with calling_service():
            service(case_log=case_log, user=user)
        return Response(self._out(case_log.pk))


# ---------------------------------------------------------------------------------------------
# Expert studios (名医工作室)


class StudioOut(serializers.ModelSerializer):
    lead = Ref(read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ExpertStudio
        fields = (
            "id",
            "name",
            "lead",
            "tier",
            "tier_display",
            "institution",
            "department",
            "founded_on",
            "closed_on",
            "member_count",
        )
        read_only_fields = fields


class StudioMemberOut(serializers.ModelSerializer):
    person = Ref(read_only=True)

    class Meta:
        model = StudioMember
        fields = ("person", "joined_on")
        read_only_fields = fields


class StudioDetailOut(StudioOut):
    members = StudioMemberOut(many=True, read_only=True)

    class Meta(StudioOut.Meta):
        fields = (*StudioOut.Meta.fields, "members")
        read_only_fields = fields


class StudioIn(ModelInput):
    members = serializers.ListField(child=serializers.IntegerField())  # see scope_fields

    class Meta:
        model = ExpertStudio
        fields = ("name", "lead", "tier", "institution", "department", "founded_on", "members")

    def scope_fields(self, user):
        self.fields["lead"] = _expert_field(
            user,
            _("所选领衔专家不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )
        self.fields["institution"] = _institution_field(user)
        self.fields["department"] = _department_field(user)
        self.fields["members"] = _expert_field(
            user,
            _("所选成员不存在或不在您的管辖范围内。"),
            many=True,
            required=False,
            label=_("成员"),
            help_text=_("人员 id 列表；自成立之日起为成员。"),
        )

    def validate_members(self, people):
        return _no_repeats(people, _("同一成员不能重复选择。"))


class StudioFigures(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    studios = serializers.IntegerField(read_only=True, help_text=_("该年度运行中的工作室数"))
    by_tier = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text=_("按级别的工作室数")
    )
    subsidy_due = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text=_("按级别标准应补助（元）")
    )
    funding_recorded = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text=_("已登记经费（元）")
    )


class YearIn(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2999)


@extend_schema(tags=["training"])
class StudioViewSet(ApiView):
    """Expert studios the user may see (their leads and members see theirs), the year's
    figures; founding one needs training.edit on its institution."""

    permissions = {
        "list": "training.view",
        "retrieve": "training.view",
        "create": "training.edit",
        "figures": "training.view",
    }
    pagination_class = cursor_pagination("name", "id")
    queryset = ExpertStudio.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("工作室名称或领衔专家姓名中的文字")),
            OpenApiParameter("tier", str, enum=StudioTier.values),
            INSTITUTION_PARAMETER,
        ],
        responses={200: StudioOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = _form_filters(StudioFilterForm(request.user, request.query_params))
        page = self.paginate_queryset(queries.studio_list(request.user, **filters))
        return self.get_paginated_response(StudioOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: StudioDetailOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(StudioDetailOut(get_one(studios_with_members(request.user), pk)).data)

    @extend_schema(request=StudioIn, responses={201: StudioDetailOut, **errors(400)})
    def create(self, request):
        data = StudioIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.studio_create(**data.validated_data)
        row = get_one(studios_with_members(request.user), saved.pk)
        return Response(StudioDetailOut(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description=_("年度，默认今年"))],
        responses={200: StudioFigures, **errors(400)},
    )
    def figures(self, request):
        criteria = YearIn(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        year = criteria.validated_data.get("year", timezone.localdate().year)
        return Response(StudioFigures(queries.studio_figures(request.user, year)).data)


# ---------------------------------------------------------------------------------------------
# Expert visits (专家来院)


class VisitOut(serializers.ModelSerializer):
    expert = Ref(read_only=True)
    visit_kind = _choice("kind", Visit.Kind.choices, _("形式"), read_only=True)
    visit_kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    studio = Ref(read_only=True, allow_null=True)

    class Meta:
        model = Visit
        fields = (
            "id",
            "expert",
            "visit_kind",
            "visit_kind_display",
            "institution",
            "department",
            "held_on",
            "studio",
            "mentorship",
            "patients",
            "attendees",
            "operations",
            "note",
            "created_at",
        )
        read_only_fields = fields


class VisitIn(ModelInput):
    visit_kind = _choice("kind", Visit.Kind.choices, _("形式"))

    class Meta:
        model = Visit
        fields = (
            "expert",
            "visit_kind",
            "institution",
            "department",
            "held_on",
            "studio",
            "mentorship",
            "patients",
            "attendees",
            "operations",
            "note",
        )
        extra_kwargs = {"held_on": {"help_text": _("今后的日期为计划中的活动，到日子才计数。")}}

    def scope_fields(self, user):
        self.fields["expert"] = _expert_field(
            user,
            _("所选专家不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )
        self.fields["institution"] = _institution_field(user)
        self.fields["department"] = _department_field(user)
        self.fields["studio"] = pk_field(
            queries.studios_for(user, "training.edit"),
            _("所选工作室不存在或不在您的管辖范围内。"),
            required=False,
            allow_null=True,
        )
        self.fields["mentorship"] = pk_field(
            mentorships_for(user, "training.edit"),
            _("所选师带徒关系不存在或不在您的管辖范围内。"),
            required=False,
            allow_null=True,
        )


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


class SinceIn(serializers.Serializer):
    since = serializers.DateField(required=False)


def _count_rows(rows, key: str) -> list[dict]:
    return [
        {"id": row[f"{key}_id"], "name": row[f"{key}__name"], "visits": row["visits"]}
        for row in rows
    ]


@extend_schema(tags=["training"])
class VisitViewSet(ApiView):
    """Expert visits the user may see (an expert: theirs; an apprentice: those for their
    mentorship) and their counts; recording one needs training.edit on its institution."""

    permissions = {
        "list": "training.view",
        "retrieve": "training.view",
        "create": "training.edit",
        "counts": "training.view",
    }
    pagination_class = cursor_pagination("-held_on", "-id")
    queryset = Visit.objects.none()

    def _out(self, pk) -> dict:
        return VisitOut(get_one(queries.visits_for(self.request.user), pk)).data

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("专家姓名或机构名称中的文字")),
            OpenApiParameter("kind", str, enum=Visit.Kind.values),
            SINCE,
            UNTIL,
        ],
        responses={200: VisitOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = _form_filters(VisitFilterForm(request.query_params))
        page = self.paginate_queryset(queries.visit_list(request.user, **filters))
        return self.get_paginated_response(VisitOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: VisitOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(self._out(pk))

    @extend_schema(request=VisitIn, responses={201: VisitOut, **errors(400)})
    def create(self, request):
        data = VisitIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.visit_record(**data.validated_data)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("since", OpenApiTypes.DATE, description=_("自该日起（含）"))],
        responses={200: VisitCounts, **errors(400)},
    )
    def counts(self, request):
        criteria = SinceIn(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        counts = queries.visit_counts(request.user, since=criteria.validated_data.get("since"))
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


class ConsultationOut(serializers.ModelSerializer):
    expert = Ref(read_only=True)
    requester = Ref(read_only=True)
    institution = Ref(read_only=True)

    class Meta:
        model = Consultation
        fields = (
            "id",
            "expert",
            "requester",
            "institution",
            "held_on",
            "summary",
            "advice",
            "outcome",
        )
        read_only_fields = fields


class ConsultationIn(ModelInput):
    class Meta:
        model = Consultation
        fields = ("expert", "requester", "institution", "held_on", "summary", "advice", "outcome")
        extra_kwargs = {
            "summary": {"help_text": _("描述病情，不写患者身份：身份证号、手机号等会被拒绝。")}
        }

    def scope_fields(self, user):
        self.fields["expert"] = _expert_field(
            user,
            _("所选会诊专家不存在或不在您的管辖范围内。"),
            help_text=_("您可见的人员，或合作医院的专家。"),
        )
        self.fields["requester"] = pk_field(
            people_for(user, "training.edit"),
            _("所选申请医生不存在或不在您的管辖范围内。"),
            help_text=_("须是申请机构的人员。"),
        )
        self.fields["institution"] = _institution_field(user)


class ConsultationFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)


@extend_schema(tags=["training"])
class ConsultationViewSet(ApiView):
    """Remote consultations the user may see (an expert: those they gave; a doctor: those they
    asked for); recording one needs training.edit on the requesting institution."""

    permissions = {"list": "training.view", "retrieve": "training.view", "create": "training.edit"}
    pagination_class = cursor_pagination("-held_on", "-id")
    queryset = Consultation.objects.none()

    def _out(self, pk) -> dict:
        return ConsultationOut(get_one(queries.consultations_for(self.request.user), pk)).data

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("专家、申请医生姓名或机构名称中的文字")),
            SINCE,
            UNTIL,
        ],
        responses={200: ConsultationOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        criteria = ConsultationFilter(data=request.query_params)
        criteria.is_valid(raise_exception=True)
        page = self.paginate_queryset(consultation_list(request.user, **criteria.validated_data))
        return self.get_paginated_response(ConsultationOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: ConsultationOut, **errors(404)})
    def retrieve(self, request, pk):
        return Response(self._out(pk))

    @extend_schema(request=ConsultationIn, responses={201: ConsultationOut, **errors(400)})
    def create(self, request):
        data = ConsultationIn(data=request.data, user=request.user)
        data.is_valid(raise_exception=True)
        with calling_service():
            saved = services.consultation_record(**data.validated_data)
        return Response(self._out(saved.pk), status=status.HTTP_201_CREATED)
