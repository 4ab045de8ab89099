"""Mentorships (师带徒), techniques (新技术新项目) and case logs with their verification
(/api/v1/training/mentorships/, techniques/, case-logs/)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from yicai.access.scope import require
from yicai.api.base import (
    ModelInput,
    ModelOutput,
    calling_service,
    get_one,
)
from yicai.api.fields import Ref, choice, choice_values, no_repeats, pk_field, status_choice
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import (
    INSTITUTION_PARAMETER,
    SINCE,
    UNTIL,
    as_of_parameter,
    errors,
    row_action,
)
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE, institutions_for
from yicai.people.queries import people_for
from yicai.training.api.common import (
    department_field,
    expert_field,
    institution_field,
    mentorship_field,
)
from yicai.training.declarations import BACKFILL
from yicai.training.forms.common import GAP_CHOICES, VERIFIED_CHOICES
from yicai.training.forms.mentoring import CaseFilterForm, TechniqueFilterForm
from yicai.training.models import CaseLog, Mentorship, Technique
from yicai.training.queries import mentoring as mentoring_queries
from yicai.training.queries.mentoring import (
    APPRENTICE_NOT_YOURS,
    SUPERVISOR_NOT_ALLOWED,
    TECHNIQUE_NOT_THERE,
    case_list,
    case_logs_for,
    mentorship_list,
    mentorships_for,
    mentorships_of,
    people_to_backfill,
    supervisors_for,
    technique_list,
    techniques_for,
    techniques_to_log,
)
from yicai.training.services.mentoring import (
    MENTORSHIP_FIELDS,
    case_log_backfill,
    case_log_create,
    case_log_unverify,
    case_log_verify,
    case_log_verify_on_paper,
    mentorship_create,
    mentorship_update,
    technique_delete,
    technique_register,
    technique_update,
)


class ApprenticeRef(serializers.Serializer):
    id = serializers.IntegerField(source="apprentice_id", read_only=True)
    name = serializers.CharField(source="apprentice.name", read_only=True)


# ---------------------------------------------------------------------------------------------
# Mentorships (师带徒)

# What the mentorship sets out to do (the service's fields from the goals on, but the status).
TARGETS = ("goals", "target_visits", "target_lectures", "target_operations")


# Who mentors, and where: the head of a mentorship's every answer. No docstring: the schema
# would describe each subclass with it.
class MentorOut(ModelOutput):
    mentor = Ref(read_only=True)
    mentor_kind = choice("kind", Mentorship.Kind.choices, _("导师类别"), read_only=True)
    institution = Ref(read_only=True)

    class Meta:
        model = Mentorship
        fields: tuple[str, ...] = (
            "id",
            "mentor",
            "mentor_kind",
            "mentor_kind_display",
            "institution",
        )


class MentorshipOut(MentorOut):
    department = Ref(read_only=True, allow_null=True)
    mentorship_status = status_choice(Mentorship.Status.choices, read_only=True)
    apprentices = ApprenticeRef(source="apprenticeships", many=True, read_only=True)

    class Meta(MentorOut.Meta):
        fields = (
            *MentorOut.Meta.fields,
            "department",
            "apprentices",
            "start_on",
            "end_on",
            "mentorship_status",
            "mentorship_status_display",
            *TARGETS,
            "created_at",
        )


class MentorshipIn(ModelInput):
    apprentices = serializers.ListField(child=serializers.IntegerField())  # see scope_fields

    class Meta:
        model = Mentorship
        # The service's fields, the apprentices after the mentor; the status only changes.
        fields = (
            "mentor",
            "apprentices",
            *(name for name in MENTORSHIP_FIELDS if name not in ("mentor", "status")),
        )

    def scope_fields(self, user):
        self.fields["mentor"] = expert_field(
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
        self.fields["institution"] = institution_field(user)
        self.fields["department"] = department_field(user)

    def validate_apprentices(self, people):
        return no_repeats(people, _("同一徒弟不能重复选择。"))


class MentorshipChangeIn(MentorshipIn):
    """A change of the agreement; `apprentices`, when given, is the whole new list (those
    missing are removed, new ones added)."""

    mentorship_status = status_choice(Mentorship.Status.choices, required=False)

    class Meta(MentorshipIn.Meta):
        fields = (*MentorshipIn.Meta.fields, "mentorship_status")


class MentorshipFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    status = serializers.ChoiceField(Mentorship.Status.choices, required=False, allow_blank=True)
    as_of = serializers.DateField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"] = pk_field(
            institutions_for(self.context["request"].user), INSTITUTION_OUT_OF_SCOPE, required=False
        )


@extend_schema(tags=["training"])
class MentorshipViewSet(RecordViewSet):
    """Mentorships the user may see (a mentor: those they lead; an apprentice: their own);
    recording one needs training.edit on its institution."""

    permissions = record_permissions("training", "create", "partial_update")
    pagination_class = cursor_pagination("-start_on", "-id")
    filter_input = MentorshipFilter
    list_parameters = [
        OpenApiParameter("q", str, description=_("导师或徒弟姓名中的文字")),
        OpenApiParameter("status", str, enum=Mentorship.Status.values),
        INSTITUTION_PARAMETER,
        as_of_parameter(_("只看该日进行中的（已结束的按其结束日期计）")),
    ]
    output = MentorshipOut
    create_input = MentorshipIn
    change_input = MentorshipChangeIn
    create_service = mentorship_create
    update_service = mentorship_update
    row_keyword = "mentorship"
    error_names = {"status": "mentorship_status"}
    descriptions = {
        "partial_update": (
            "Change the agreement, its status or its apprentices (as on the mentorship's page)."
        ),
    }

    def list_rows(self, **filters):
        return mentorship_list(self.request.user, **filters)

    def detail_rows(self):
        return mentorships_for(self.request.user)

    def edit_rows(self):
        return mentorships_for(self.request.user, "training.edit")


# ---------------------------------------------------------------------------------------------
# Techniques (新技术新项目)


class TechniqueOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    technique_category = choice("category", Technique.Category.choices, _("类别"), read_only=True)
    technique_status = status_choice(Technique.Status.choices, read_only=True)
    gap_filled_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text=_("首例经审核的独立完成病例的日期（填补技术空白）；尚无则为空"),
    )
    verified_independent = serializers.IntegerField(
        read_only=True, help_text=_("经审核的独立完成病例数")
    )
    first_in_region = serializers.BooleanField(
        read_only=True, help_text=_("是否同时填补了本辖区的技术空白")
    )  # set by TechniqueViewSet.annotate_page

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


class TechniqueIn(ModelInput):
    technique_category = choice("category", Technique.Category.choices, _("类别"))
    technique_status = status_choice(
        Technique.Status.choices,
        required=False,
        help_text=_("默认为计划引进。"),
    )

    class Meta:
        model = Technique
        fields: tuple[str, ...] = (
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
        self.fields["institution"] = institution_field(user)
        self.fields["department"] = department_field(user)
        self.fields["mentorship"] = mentorship_field(user, "training.edit", optional=True)


class TechniqueChangeIn(TechniqueIn):
    """A change of what is registered; the institution stays (its case logs were made there)."""

    technique_status = status_choice(Technique.Status.choices, required=False)

    class Meta(TechniqueIn.Meta):
        fields = tuple(name for name in TechniqueIn.Meta.fields if name != "institution")

    def scope_fields(self, user):
        super().scope_fields(user)
        del self.fields["institution"]


@extend_schema(tags=["training"])
class TechniqueViewSet(RecordViewSet):
    """Techniques the user may see, each with the date it filled a gap (its first verified
    independent case) and its verified independent cases; registering needs training.edit."""

    permissions = record_permissions("training", "create", "partial_update", "destroy")
    pagination_class = cursor_pagination("name", "id")
    filter_form = TechniqueFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("技术名称中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("status", str, enum=Technique.Status.values),
        OpenApiParameter(
            "gap", str, enum=choice_values(GAP_CHOICES), description=_("是否已填补技术空白")
        ),
        OpenApiParameter("since", OpenApiTypes.DATE, description=_("填补空白日期不早于该日（含）")),
        OpenApiParameter("until", OpenApiTypes.DATE, description=_("填补空白日期不晚于该日（含）")),
    ]
    output = TechniqueOut
    create_input = TechniqueIn
    change_input = TechniqueChangeIn
    create_service = technique_register
    update_service = technique_update
    delete_service = technique_delete
    destroy_errors = (400,)  # one with case logs stays
    row_keyword = "technique"
    error_names = {"category": "technique_category", "status": "technique_status"}
    descriptions = {
        "destroy": "Delete a technique registered by mistake (one with case logs is a 400)."
    }

    def list_rows(self, **filters):
        return technique_list(self.request.user, **filters)

    def edit_rows(self):
        return mentoring_queries.techniques_for(self.request.user, "training.edit")

    def annotate_page(self, rows):
        firsts = mentoring_queries.first_in_region(rows)  # one query for the page
        for technique in rows:
            technique.first_in_region = technique.pk in firsts

    def detail_data(self, row):
        self.annotate_page([row])
        return super().detail_data(row)


# ---------------------------------------------------------------------------------------------
# Case logs (病例/手术记录) and their verification


class CaseLogOut(ModelOutput):
    apprentice = Ref(read_only=True)
    technique = Ref(read_only=True)
    institution = Ref(source="technique.institution", read_only=True)
    supervisor = Ref(read_only=True, allow_null=True)
    verified = serializers.BooleanField(read_only=True)
    entered_by_name = serializers.SerializerMethodField(
        help_text=_("代录的管理员账号姓名；徒弟本人登记的为空")
    )
    paper_scan = serializers.SerializerMethodField(
        help_text=_("纸质审核扫描件的下载地址（网页登录后可下载）；没有则为空")
    )

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
            "verified_on_paper",
            "paper_reference",
            "paper_scan",
            "entered_by_name",
            "created_at",
        )

    def get_entered_by_name(self, case_log) -> str:
        return case_log.entered_by.display_name if case_log.entered_on_behalf else ""

    def get_paper_scan(self, case_log) -> str | None:
        if not case_log.paper_scan:
            return None
        return reverse("training:case_scan", args=[case_log.pk])


class CaseLogIn(ModelInput):
    """What an apprentice logs; they log for themselves (the calling user's person)."""

    class Meta:
        model = CaseLog
        fields: tuple[str, ...] = (
            "technique",
            "performed_on",
            "role",
            "supervisor",
            "mentorship",
            "note",
        )

    def scope_fields(self, user):
        person = user.person if user is not None and user.person_id else None
        self.fields["technique"] = pk_field(techniques_to_log(person), TECHNIQUE_NOT_THERE)
        self.fields["supervisor"] = pk_field(
            supervisors_for(person), SUPERVISOR_NOT_ALLOWED, optional=True
        )
        self.fields["mentorship"] = pk_field(
            mentorships_of(person),
            _("所选师带徒关系不存在或本人不是其徒弟。"),
            optional=True,
        )


class CaseBackfillIn(CaseLogIn):
    """A past case an administrator enters on the apprentice's behalf (the import's row)."""

    verified = serializers.BooleanField(
        label=_("已审核"),
        required=False,
        default=False,
        help_text=_("true：以您的名义审核通过（与导入的“已审核：是”相同）。"),
    )
    paper_reference = serializers.CharField(
        label=_("纸质审核凭证"),
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text=_("已在纸质病例本上审核的凭证编号：填写则记为纸质审核。"),
    )

    class Meta(CaseLogIn.Meta):
        fields = ("apprentice", *CaseLogIn.Meta.fields, "verified", "paper_reference")

    def scope_fields(self, user):
        self.fields["apprentice"] = pk_field(
            people_to_backfill(user),
            APPRENTICE_NOT_YOURS,
            help_text=_("代录时填写：徒弟的人员 id（需要补录权限 training.backfill）。"),
        )
        self.fields["technique"] = pk_field(techniques_for(user, BACKFILL), TECHNIQUE_NOT_THERE)
        self.fields["supervisor"] = expert_field(user, SUPERVISOR_NOT_ALLOWED, optional=True)
        self.fields["mentorship"] = mentorship_field(user, BACKFILL, optional=True)


class PaperIn(serializers.Serializer):
    paper_reference = serializers.CharField(
        label=_("纸质审核凭证"), required=False, allow_blank=True, default="", max_length=100
    )
    paper_scan = serializers.FileField(
        label=_("纸质审核扫描件"),
        required=False,
        default=None,
        help_text=_("PDF、JPG 或 PNG，不超过 10 MB；以 multipart/form-data 上传。"),
    )


@extend_schema(tags=["training"])
class CaseLogViewSet(RecordViewSet):
    """Case logs the user may see (a mentor: their apprentices' and those they supervise; a
    trainee: their own). A trainee logs their own (training.log); an administrator enters a
    past one on an apprentice's behalf (`apprentice` given; training.backfill) and records
    one verified on paper (training.backfill); a mentor, supervisor or administrator
    verifies or withdraws a verification (training.verify, on the row)."""

    permissions = {
        "list": "training.view",
        "retrieve": "training.view",
        "create": "",  # training.log, or training.backfill with `apprentice`: see create()
        "verify": "training.verify",
        "unverify": "training.verify",
        "paper": BACKFILL,
    }
    pagination_class = cursor_pagination("-performed_on", "-id")
    # The case page's filter form, which does not depend on the user.
    filter_form = staticmethod(lambda user, query: CaseFilterForm(query))
    list_parameters = [
        OpenApiParameter("q", str, description=_("记录人姓名或技术名称中的文字")),
        OpenApiParameter("role", str, enum=CaseLog.Role.values),
        OpenApiParameter("verified", str, enum=choice_values(VERIFIED_CHOICES)),
        SINCE,
        UNTIL,
    ]
    output = CaseLogOut
    # Not create_input: who logs (the trainee, or an administrator on their behalf) chooses
    # the input and the permission, so create is this class's own action.

    def list_rows(self, **filters):
        return case_list(self.request.user, **filters)

    def detail_rows(self):
        return case_logs_for(self.request.user)

    @extend_schema(
        request=PolymorphicProxySerializer(
            "CaseLogCreate", serializers=[CaseLogIn, CaseBackfillIn], resource_type_field_name=None
        ),
        responses={201: CaseLogOut, **errors(400)},
    )
    def create(self, request):
        """A trainee logs their own case (training.log); with `apprentice`, an administrator
        enters a past one on that apprentice's behalf (training.backfill), by the same rules
        and messages as the case-log import."""
        user = request.user
        if "apprentice" in request.data:
            require(user, BACKFILL)
            values = self.checked(CaseBackfillIn, user=user)
            with calling_service():
                saved = case_log_backfill(entered_by=user, **values)
        else:
            require(user, "training.log")
            if user.person_id is None:
                raise PermissionDenied(_("您的账号未关联人员档案，不能登记病例。"))
            values = self.checked(CaseLogIn, user=user)
            with calling_service():
                saved = case_log_create(apprentice=user.person, entered_by=user, **values)
        return self.answer(self.get_detail(saved.pk), status.HTTP_201_CREATED)

    @row_action(PaperIn, CaseLogOut)
    def paper(self, request, pk):
        """Record a case as verified on paper: the document's reference and/or a scan (send
        the scan as multipart/form-data)."""
        case_log = get_one(case_logs_for(request.user, BACKFILL), pk)
        values = self.checked(PaperIn)
        with calling_service():
            case_log_verify_on_paper(case_log=case_log, user=request.user, **values)
        return self.answer(self.get_detail(case_log.pk))

    @row_action(None, CaseLogOut)
    def verify(self, request, pk):
        return self._verification(pk, case_log_verify)

    @row_action(None, CaseLogOut)
    def unverify(self, request, pk):
        return self._verification(pk, case_log_unverify)

    def _verification(self, pk, service) -> Response:
        user = self.request.user
        case_log = get_one(case_logs_for(user, "training.verify"), pk)
        with calling_service():
            service(case_log=case_log, user=user)
        return self.answer(self.get_detail(case_log.pk))
