"""Partner agreements (合作协议, /api/v1/recruitment/agreements/), recruitment plans
(/plans/, /posts/), introductions with their entitlements (/introductions/, /tranches/,
/clawbacks/, /payments-due/), applicants through to a hire (/applications/, a post's
ranking and shortlist, the public notice, objections), directed students (/directed/,
/breaches/) and the expert network (/events/, /invitees/, /network/, /referrals/):
declared on the shared record viewset; the lists read the pages' filter forms and writes go
through the services, each step as on its page (the same refusals in the same words). An
agreement's and an introduction's signed document may come with them as multipart/form-data
and is downloaded from its page's address, within the reader's scope."""

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from yicai.access.pii import mask_last4
from yicai.api.base import (
    ApiView,
    ModelInput,
    ModelOutput,
    Serializer,
    calling_service_as,
    form_filters,
    get_one,
)
from yicai.api.fields import (
    CodeRef,
    Ref,
    api_names,
    choice,
    code_field,
    pk_field,
    status_choice,
    with_labels,
)
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, ROW_ID, SINCE, UNTIL, errors, row_action
from yicai.codes.queries import codes_of
from yicai.org.models import Department
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.params import JSONParser
from yicai.people.models import Person
from yicai.people.queries import PERSON_OUT_OF_SCOPE
from yicai.recruitment import notices, queries, services
from yicai.recruitment.forms import (
    AgreementFilterForm,
    ApplicationFilterForm,
    ContractFilterForm,
    EventFilterForm,
    IntroductionFiguresForm,
    IntroductionFilterForm,
    NetworkFilterForm,
    OverviewForm,
    PaymentsDueForm,
    PlanFiguresForm,
    PlanFilterForm,
    TalentGrowthForm,
)
from yicai.recruitment.models import (
    Application,
    Breach,
    Clawback,
    DirectedContract,
    DirectedKind,
    Entitlement,
    Introduction,
    InvitationEvent,
    Invitee,
    Objection,
    PartnerAgreement,
    Post,
    PublicNotice,
    RecruitmentPlan,
    Referral,
    Tranche,
)

# Named after the record, so that its enum is not the institution's `kind` in the schema.
KIND = "agreement_kind"
# The service's fields, as the API names them.
FIELDS = tuple(KIND if name == "kind" else name for name in services.AGREEMENT_FIELDS)


# A signed document comes with its record as multipart/form-data; the rest may stay JSON.
UPLOADS = [JSONParser, MultiPartParser]


def _kind(**kwargs: Any) -> serializers.ChoiceField:
    return choice("kind", PartnerAgreement.Kind.choices, _("协议类型"), **kwargs)


class DocumentLink(serializers.CharField):
    """Where a record's signed document is downloaded (its page's address, which checks the
    reader's scope), or null when none was uploaded."""

    def __init__(self, page: str, **kwargs: Any) -> None:
        self.page = page
        super().__init__(
            read_only=True,
            allow_null=True,
            help_text=_("签署文本的下载地址（在您的管辖范围内可下载）；未上传时为空"),
            **kwargs,
        )

    def get_attribute(self, instance: Any) -> str | None:
        return reverse(self.page, args=[instance.pk]) if instance.document else None


def _document_in(label: Any) -> serializers.FileField:
    return serializers.FileField(
        label=label,
        write_only=True,
        required=False,
        help_text=_(
            "签署的文本：PDF、JPG 或 PNG，不超过 10 MB，以 multipart/form-data 上传；"
            "再次上传将替换，省略表示不变。"
        ),
    )


class AgreementOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    partner = Ref(read_only=True, allow_null=True)
    agreement_kind = _kind(read_only=True)
    document = DocumentLink("recruitment:agreement_document")

    class Meta:
        model = PartnerAgreement
        fields = ("id", *FIELDS, "document")


class AgreementIn(ModelInput):
    """An agreement as recorded or changed: its partner by id when on file, else by name;
    its signed text uploaded with it (multipart/form-data) when there is one."""

    agreement_kind = _kind()
    document = _document_in(_("协议文本"))

    class Meta:
        model = PartnerAgreement
        fields = (*FIELDS, "document")

    def scope_fields(self, user: Any) -> None:
        self.fields["institution"] = pk_field(
            queries.managed_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )
        self.fields["department"] = pk_field(
            queries.editable_departments(user),
            DEPARTMENT_OUT_OF_SCOPE,
            optional=True,
        )
        self.fields["partner"] = pk_field(
            queries.partner_choices(),
            queries.NOT_A_PARTNER,
            optional=True,
            help_text=_("登记在册的合作机构 id；未登记的，填写 partner_name。"),
        )


@extend_schema(tags=["recruitment"])
class AgreementViewSet(RecordViewSet):
    """Partner agreements the user may see (an institution its own, a department head their
    department's, the commission its region's); recording one needs recruitment.edit on the
    signing institution. The signed text may be uploaded with it (multipart/form-data); the
    answer links to its download."""

    permissions = record_permissions("recruitment", "create", "partial_update")
    parser_classes = UPLOADS
    pagination_class = cursor_pagination("-starts_on", "id")
    filter_form = AgreementFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("协议名称或合作方中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("kind", str, enum=PartnerAgreement.Kind.values),
        SINCE,
        UNTIL,
        OpenApiParameter("as_of", OpenApiTypes.DATE, description=_("只看在该日有效的协议")),
    ]
    output = AgreementOut
    create_input = AgreementIn
    create_service = services.agreement_create
    update_service = services.agreement_update
    row_keyword = "agreement"
    error_names = {"kind": KIND}

    def list_rows(self, **filters: Any) -> "QuerySet[PartnerAgreement]":
        return queries.agreement_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[PartnerAgreement]":
        return queries.agreements_for(self.request.user, "recruitment.edit")

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the institution is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}


# --- Recruitment plans (/api/v1/recruitment/plans/, /posts/) ------------------------------

PROCEDURE, ORGANISER = "post_procedure", "post_organiser"
POST_FIELDS = api_names(services.POST_FIELDS, procedure=PROCEDURE, organiser=ORGANISER)
PLAN_STEPS: dict[str, Callable[..., Any]] = {
    "submit": services.plan_submit,
    "approve": services.plan_approve,
    "return": services.plan_return,
    "publish": services.plan_publish,
    "close": services.plan_close,
}


def _procedure(**kwargs: Any) -> serializers.ChoiceField:
    return choice("procedure", Post.Procedure.choices, _("招聘程序"), **kwargs)


def _organiser(**kwargs: Any) -> serializers.ChoiceField:
    return choice("organiser", Post.Organiser.choices, _("组织实施"), **kwargs)


class PostOut(ModelOutput):
    department = Ref(read_only=True, allow_null=True)
    min_education = CodeRef(read_only=True, allow_null=True)
    min_degree = CodeRef(read_only=True, allow_null=True)
    title_required = CodeRef(read_only=True, allow_null=True)
    staffing = CodeRef(read_only=True, allow_null=True)
    post_procedure = _procedure(read_only=True)
    post_organiser = _organiser(read_only=True)

    class Meta:
        model = Post
        fields = ("id", *with_labels(POST_FIELDS, PROCEDURE, ORGANISER))


class PostIn(ModelInput):
    """A post; its department is one of the plan's institution, its conditions national codes
    (education, degree, title, staffing) by id."""

    post_procedure = _procedure()
    post_organiser = _organiser(required=False)  # the institution by default

    class Meta:
        model = Post
        fields = POST_FIELDS

    def __init__(self, *args: Any, plan: RecruitmentPlan | None = None, **kwargs: Any) -> None:
        self.plan = plan
        super().__init__(*args, **kwargs)

    def scope_fields(self, user: Any) -> None:
        plan = self.plan or getattr(self.instance, "plan", None)
        departments = plan.institution.departments.all() if plan else Department.objects.none()
        self.fields["department"] = pk_field(departments, DEPARTMENT_OUT_OF_SCOPE, optional=True)
        for name, codes in queries.post_code_choices().items():
            label = getattr(Post._meta.get_field(name), "verbose_name", name)
            self.fields[name] = code_field(codes, label, optional=True)


class PlanOut(ModelOutput):
    institution = Ref(read_only=True)
    plan_status = status_choice(RecruitmentPlan.Status.choices, read_only=True)
    post_count = serializers.IntegerField(read_only=True, help_text=_("岗位数"))
    places = serializers.IntegerField(read_only=True, help_text=_("招聘人数"))

    class Meta:
        model = RecruitmentPlan
        fields: tuple[str, ...] = (
            "id",
            *services.PLAN_FIELDS,
            *with_labels(["plan_status"], "plan_status"),
            "submitted_on",
            "decided_on",
            "return_reason",
            "published_on",
            "closed_on",
            "post_count",
            "places",
        )


class PlanDetailOut(PlanOut):
    posts = PostOut(many=True, read_only=True, source="posts_shown")

    class Meta(PlanOut.Meta):
        fields = (*PlanOut.Meta.fields, "posts")


class PlanIn(ModelInput):
    class Meta:
        model = RecruitmentPlan
        fields = services.PLAN_FIELDS
        extra_kwargs = {
            name: {"required": False} for name in ("written_weight", "interview_weight")
        }

    def scope_fields(self, user: Any) -> None:
        self.fields["institution"] = pk_field(
            queries.managed_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )


class StepIn(serializers.Serializer):
    on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("这一步的日期，不填为今天（往年的计划填实际日期）。"),
    )


class ReturnIn(StepIn):
    # Left empty, the service says what is missing (as it does to the page).
    reason = serializers.CharField(
        label=_("退回原因"), required=False, allow_blank=True, default=""
    )


class FiguresOut(serializers.Serializer):
    year = serializers.IntegerField()
    plans = serializers.IntegerField(help_text=_("已批准（含已发布、已结束）的计划数"))
    places = serializers.IntegerField()
    filled = serializers.IntegerField(help_text=_("已聘用人数（报名人员已聘用）"))
    by_procedure = serializers.DictField(child=serializers.IntegerField())
    by_institution = serializers.ListField(child=serializers.DictField())
    by_specialty = serializers.ListField(child=serializers.DictField())


@extend_schema(tags=["recruitment"])
class PlanViewSet(RecordViewSet):
    """Recruitment plans the user may see (an institution its own, the commission its
    region's), each with its posts; a draft or returned plan is changed and its posts added
    by recruitment.edit on its institution; the commission approves or returns a submitted one
    (recruitment.approve)."""

    permissions = record_permissions(
        "recruitment",
        "create",
        "partial_update",
        "destroy",
        post="recruitment.edit",
        submit="recruitment.edit",
        publish="recruitment.edit",
        close="recruitment.edit",
        approve=queries.APPROVE,
        send_back=queries.APPROVE,
        figures="recruitment.view",
    )
    pagination_class = cursor_pagination("-year", "id")
    filter_form = PlanFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("计划名称或单位名称中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("year", int),
        OpenApiParameter("status", str, enum=RecruitmentPlan.Status.values),
    ]
    output = PlanOut
    detail_output = PlanDetailOut
    create_input = PlanIn
    create_service = services.plan_create
    update_service = services.plan_update
    delete_service = services.plan_delete
    row_keyword = "plan"
    destroy_errors = (400,)
    descriptions = {"destroy": "Delete a draft never submitted."}

    def list_rows(self, **filters: Any) -> "QuerySet[RecruitmentPlan]":
        return queries.plan_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[RecruitmentPlan]":
        return queries.plans_for(self.request.user, queries.EDIT)

    def detail_data(self, row: RecruitmentPlan) -> Any:
        row.posts_shown = queries.posts_of(row)  # type: ignore[attr-defined]
        return PlanDetailOut(row).data

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the institution is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    @row_action(PostIn, PlanDetailOut, 201)
    def post(self, request: Any, pk: str) -> Response:
        """Add a post to a draft or returned plan."""
        plan = self.get_editable(pk)
        values = self.checked(PostIn, user=request.user, plan=plan)
        with calling_service_as(procedure=PROCEDURE, organiser=ORGANISER):
            services.post_add(plan=plan, **values)
        return self.answer(self.get_detail(pk), status.HTTP_201_CREATED)

    def _step(self, name: str, into: type[StepIn], pk: str) -> Response:
        permission = self.permissions[self.action]
        plan = get_one(queries.plans_for(self.request.user, permission), pk)
        values = {k: v for k, v in self.checked(into).items() if v is not None}
        if permission == queries.APPROVE:
            values["by"] = self.request.user
        days = ("submitted_on", "decided_on", "published_on", "closed_on")
        with calling_service_as(**dict.fromkeys(days, "on")):  # the day is `on` here
            PLAN_STEPS[name](plan=plan, **values)
        return self.answer(self.get_detail(pk))

    @row_action(StepIn, PlanDetailOut)
    def submit(self, request: Any, pk: str) -> Response:
        """Send a draft (or a corrected returned plan) to the commission."""
        return self._step("submit", StepIn, pk)

    @row_action(StepIn, PlanDetailOut)
    def approve(self, request: Any, pk: str) -> Response:
        """Approve a submitted plan (once: a second approval is a 400)."""
        return self._step("approve", StepIn, pk)

    @row_action(ReturnIn, PlanDetailOut)
    def send_back(self, request: Any, pk: str) -> Response:
        """Return a submitted plan to its institution, with the reason."""
        return self._step("return", ReturnIn, pk)

    @row_action(StepIn, PlanDetailOut)
    def publish(self, request: Any, pk: str) -> Response:
        """Publish an approved plan."""
        return self._step("publish", StepIn, pk)

    @row_action(StepIn, PlanDetailOut)
    def close(self, request: Any, pk: str) -> Response:
        """Close a published plan."""
        return self._step("close", StepIn, pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description=_("年度，默认本年")),
            INSTITUTION_PARAMETER,
        ],
        responses={200: FiguresOut, **errors(400)},
    )
    def figures(self, request: Any) -> Response:
        """Places of the year's approved plans the user sees: by procedure, and by
        institution and by specialty, each split by procedure (as the figures page)."""
        values = form_filters(PlanFiguresForm(request.user, request.query_params))
        year = values.get("year") or timezone.localdate().year
        shown = queries.plan_figures(request.user, year=year, institution=values.get("institution"))
        return Response(FiguresOut({"year": year, **shown.__dict__}).data)


@extend_schema(tags=["recruitment"])
class PostViewSet(ApiView):
    """One post of a plan: changed or removed while its plan is a draft or returned
    (recruitment.edit on the plan's institution)."""

    permissions = {"partial_update": "recruitment.edit", "destroy": "recruitment.edit"}
    queryset = Post.objects.none()

    @extend_schema(
        parameters=[ROW_ID], request=PostIn, responses={200: PostOut, **errors(400, 404)}
    )
    def partial_update(self, request: Any, pk: str) -> Response:
        post = queries.post_for(request.user, pk, queries.EDIT)
        values = self.checked(PostIn, user=request.user, instance=post, partial=True)
        with calling_service_as(procedure=PROCEDURE, organiser=ORGANISER):
            services.post_update(post=post, **values)
        return Response(PostOut(queries.post_for(request.user, pk)).data)

    @extend_schema(parameters=[ROW_ID], responses={204: None, **errors(400, 404)})
    def destroy(self, request: Any, pk: str) -> Response:
        post = queries.post_for(request.user, pk, queries.EDIT)
        with calling_service_as():
            services.post_delete(post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GrowthLineOut(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text=_("机构或从事专业类别的 id"))
    name = serializers.CharField(source="label")
    at_start = serializers.IntegerField()
    at_end = serializers.IntegerField()
    change = serializers.IntegerField()


class TalentGrowthOut(serializers.Serializer):
    tag = CodeRef()
    since = serializers.DateField()
    until = serializers.DateField()
    at_start = serializers.IntegerField(help_text=_("起始日持有该标签的人数"))
    at_end = serializers.IntegerField(help_text=_("截止日持有该标签的人数"))
    change = serializers.IntegerField()
    yearly_rate = serializers.FloatField(
        allow_null=True, help_text=_("年均增长率（0.1 即 10%），起始日为 0 时为空")
    )
    by_institution = GrowthLineOut(many=True)
    by_category = GrowthLineOut(many=True)


# The two days a figure compares (talent growth, the overview), as their forms default them.
TWO_DAYS = (
    OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日，默认两年前的今天")),
    OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日，默认今天")),
)


@extend_schema(tags=["recruitment"])
class TalentGrowthViewSet(ApiView):
    """People holding a talent tag on two days, as the page 紧缺与高层次人才增长 counts them."""

    permissions = {"figures": "recruitment.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("tag", int, description=_("人才标签代码 id，默认紧缺专业人才")),
            *TWO_DAYS,
            INSTITUTION_PARAMETER,
        ],
        responses={200: TalentGrowthOut, **errors(400)},
    )
    def figures(self, request: Any) -> Response:
        values = form_filters(TalentGrowthForm(request.user, request.query_params))
        growth = queries.talent_growth(request.user, **values)
        return Response(
            TalentGrowthOut({**growth.__dict__, "tag": values["tag"], "change": growth.change}).data
        )


# --- Introductions (/api/v1/recruitment/introductions/) ---------------------------------

INTRODUCTION_MODE, INTRODUCTION_CATEGORY = "introduction_mode", "introduction_category"
INTRODUCTION_API_FIELDS = api_names(
    services.INTRODUCTION_FIELDS, mode=INTRODUCTION_MODE, category=INTRODUCTION_CATEGORY
)


def _mode(**kwargs: Any) -> serializers.ChoiceField:
    return choice("mode", Introduction.Mode.choices, _("引进方式"), **kwargs)


def _category(**kwargs: Any) -> serializers.ChoiceField:
    return choice("category", Introduction.Category.choices, _("人才类别"), **kwargs)


class IntroductionOut(ModelOutput):
    person = Ref(read_only=True)
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    introduction_mode = _mode(read_only=True)
    introduction_category = _category(read_only=True)

    class Meta:
        model = Introduction
        fields = (
            "id",
            *with_labels(
                INTRODUCTION_API_FIELDS, INTRODUCTION_MODE, INTRODUCTION_CATEGORY, "title_grade"
            ),
        )


class CommitmentLastDay(serializers.DateField):
    """The last day of the service commitment, derived (services.commitment_last_day)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            read_only=True,
            allow_null=True,
            help_text=_("服务期的最后一天；未约定服务期时为空"),
            **kwargs,
        )

    def get_attribute(self, instance: Introduction) -> Any:
        return services.commitment_last_day(instance)


class IntroductionDetailOut(IntroductionOut):
    commitment_last_day = CommitmentLastDay()
    document = DocumentLink("recruitment:introduction_document")

    class Meta(IntroductionOut.Meta):
        fields = (
            *IntroductionOut.Meta.fields,
            "commitment_last_day",
            "left_on",
            "left_reason",
            "document",
        )


class IntroductionIn(ModelInput):
    """An introduction: its person by id among those whose records the user keeps; a title
    grade left out is the one on file; its signed agreement uploaded with it
    (multipart/form-data) when there is one."""

    introduction_mode = _mode()
    introduction_category = _category()
    document = _document_in(_("引进协议"))

    class Meta:
        model = Introduction
        fields = (*INTRODUCTION_API_FIELDS, "document")

    def scope_fields(self, user: Any) -> None:
        self.fields["person"] = pk_field(queries.people_to_introduce(user), PERSON_OUT_OF_SCOPE)
        self.fields["institution"] = pk_field(
            queries.managed_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )
        self.fields["department"] = pk_field(
            queries.editable_departments(user), DEPARTMENT_OUT_OF_SCOPE, optional=True
        )


class IntroductionFiguresOut(serializers.Serializer):
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)
    total = serializers.IntegerField()
    senior = serializers.IntegerField(help_text=_("引进时为副高级或正高级职称的人次"))
    discipline_leaders = serializers.IntegerField(help_text=_("学科带头人人次"))
    by_year = serializers.ListField(
        child=serializers.DictField(), help_text=_("每年按引进方式的人次、合计与比上年增减")
    )
    by_mode = serializers.DictField(child=serializers.IntegerField())
    by_category = serializers.DictField(child=serializers.IntegerField())
    by_title_grade = serializers.DictField(child=serializers.IntegerField())


@extend_schema(tags=["recruitment"])
class IntroductionViewSet(RecordViewSet):
    """Introductions the user may see (an institution its own, a department head their
    department's, the commission its region's); recording one needs recruitment.edit on the
    institution and the person's records. One introduction's answer adds its commitment's last
    day, the person's leaving and the link to the signed agreement, which may be uploaded with
    it (multipart/form-data)."""

    permissions = record_permissions(
        "recruitment", "create", "partial_update", "destroy", figures="recruitment.view"
    )
    parser_classes = UPLOADS
    pagination_class = cursor_pagination("-introduced_on", "id")
    filter_form = IntroductionFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名、原工作单位或层次中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("mode", str, enum=Introduction.Mode.values),
        OpenApiParameter("category", str, enum=Introduction.Category.values),
        SINCE,
        UNTIL,
    ]
    output = IntroductionOut
    detail_output = IntroductionDetailOut
    create_input = IntroductionIn
    create_service = services.introduction_create
    update_service = services.introduction_update
    delete_service = services.introduction_delete
    row_keyword = "introduction"
    error_names = {"mode": INTRODUCTION_MODE, "category": INTRODUCTION_CATEGORY}

    def list_rows(self, **filters: Any) -> "QuerySet[Introduction]":
        return queries.introduction_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[Introduction]":
        return queries.introductions_for(self.request.user, queries.EDIT)

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    @extend_schema(
        parameters=[SINCE, UNTIL, INSTITUTION_PARAMETER],
        responses={200: IntroductionFiguresOut, **errors(400)},
    )
    def figures(self, request: Any) -> Response:
        """Introductions by year and mode with the growth on the year before, by category and
        by title grade; senior-title ones and discipline leaders (as the figures page)."""
        values = form_filters(IntroductionFiguresForm(request.user, request.query_params))
        shown = queries.introduction_figures(request.user, **values)
        return Response(IntroductionFiguresOut(shown).data)


# --- Applicants through to a hire (/applications/, /posts/{id}/ranking/ and shortlist/,
# /plans/{id}/notice/, /notices/, /objections/) -------------------------------------------

APPLICATION_STATUS, APPLICATION_STAGE = "application_status", "application_stage"
# Written, never answered: the answers carry them masked.
SEALED = ("id_number", "phone")
APPLICANT_FIELDS = tuple(name for name in services.APPLICATION_FIELDS if name not in SEALED)
POST_OUT_OF_SCOPE = _("所选岗位不存在或不在您的管辖范围内。")


def _application_status(**kwargs: Any) -> serializers.ChoiceField:
    return status_choice(Application.Status.choices, **kwargs)


def _stage(**kwargs: Any) -> serializers.ChoiceField:
    return choice("stage", Application.Stage.choices, _("止步环节"), **kwargs)


class CombinedScore(serializers.DecimalField):
    """The combined score by the plan's weights, derived (queries.combined_score), never
    stored: null while a score the weights ask for is missing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=5,
            decimal_places=2,
            read_only=True,
            allow_null=True,
            help_text=_("综合成绩：按计划的笔试、面试占比计算；缺少所需成绩时为空"),
            **kwargs,
        )

    def get_attribute(self, instance: Application) -> Decimal | None:
        return queries.combined_score(instance, instance.post.plan)


class ApplicationOut(ModelOutput):
    post = Ref(read_only=True)
    plan = serializers.IntegerField(source="post.plan_id", read_only=True)
    institution = Ref(source="post.plan.institution", read_only=True)
    sex = CodeRef(read_only=True, allow_null=True)
    education = CodeRef(read_only=True, allow_null=True)
    degree = CodeRef(read_only=True, allow_null=True)
    title = CodeRef(read_only=True, allow_null=True)
    id_number_masked = serializers.CharField(read_only=True, help_text=_("只显示后四位"))
    phone_masked = serializers.CharField(read_only=True, help_text=_("只显示后四位"))
    application_status = _application_status(read_only=True)
    application_stage = _stage(read_only=True, allow_blank=True)
    combined_score = CombinedScore()
    notice = serializers.IntegerField(
        source="notice_id", read_only=True, allow_null=True, help_text=_("所在公示的 id")
    )
    person = serializers.IntegerField(
        source="person_id", read_only=True, allow_null=True, help_text=_("聘用后的人员档案 id")
    )

    class Meta:
        model = Application
        fields: tuple[str, ...] = (
            "id",
            "post",
            "plan",
            "institution",
            *APPLICANT_FIELDS,
            "id_number_masked",
            "phone_masked",
            *with_labels([APPLICATION_STATUS], APPLICATION_STATUS),
            "eligibility_findings",
            "eligibility_reason",
            "written_score",
            "interview_score",
            "combined_score",
            "shortlist_reason",
            *with_labels([APPLICATION_STAGE], APPLICATION_STAGE),
            "outcome_reason",
            "notice",
            "person",
            "hired_on",
            "purged_on",
            "created_at",
        )


class ObjectionOut(ModelOutput):
    class Meta:
        model = Objection
        fields = ("id", "received_on", "content", "resolved_on", "upheld", "resolution")


class ApplicationDetailOut(ApplicationOut):
    objections = ObjectionOut(many=True, read_only=True, help_text=_("公示期间的异议"))

    class Meta(ApplicationOut.Meta):
        fields = (*ApplicationOut.Meta.fields, "objections")


def _sealed(label: Any) -> serializers.CharField:
    """A number stored encrypted: written, never answered (the answers carry it masked)."""
    return serializers.CharField(
        label=label,
        write_only=True,
        required=False,
        allow_blank=True,
        default="",  # a new application without one: the service says it is required
        max_length=30,
        help_text=_("加密存储，不会回显。修改时省略表示不变。"),
    )


class ApplicationIn(ModelInput):
    """An application to a post of a published plan the user keeps, reviewed at once against
    the post's rules; a birth date and sex left out are read from the identity number."""

    id_number = _sealed(_("身份证号码"))
    phone = _sealed(_("手机号码"))

    class Meta:
        model = Application
        fields: tuple[str, ...] = ("post", *services.APPLICATION_FIELDS)
        extra_kwargs = {"applied_on": {"required": False, "help_text": _("不填为今天。")}}
        validators: list[Any] = []  # the service checks one application a post, in its transaction

    def scope_fields(self, user: Any) -> None:
        self.fields["post"] = pk_field(
            Post.objects.filter(plan__in=queries.plans_for(user, queries.EDIT)),
            POST_OUT_OF_SCOPE,
        )
        self.fields["sex"] = code_field(codes_of("sex").filter(note=""), _("性别"), optional=True)
        for name, codes in queries.application_code_choices().items():
            label = getattr(Application._meta.get_field(name), "verbose_name", name)
            self.fields[name] = code_field(codes, label, optional=True)


class ApplicationChangeIn(ApplicationIn):
    """Corrections to an applicant's details; its post does not change."""

    class Meta(ApplicationIn.Meta):
        fields = services.APPLICATION_FIELDS

    def scope_fields(self, user: Any) -> None:
        super().scope_fields(user)
        del self.fields["post"]


def _reason(label: Any) -> serializers.CharField:
    # Left empty where one is needed, the service says so (as it does to the page).
    return serializers.CharField(label=label, required=False, allow_blank=True, default="")


class EligibilityIn(serializers.Serializer):
    eligible = serializers.BooleanField(
        label=_("审查结论"), help_text=_("true：资格审查通过；false：资格审查不通过")
    )
    reason = _reason(_("审查理由"))


def _score(label: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("省略表示不变，null 表示清除。"),
    )


class ScoresIn(serializers.Serializer):
    written_score = _score(_("笔试成绩"))
    interview_score = _score(_("面试成绩"))
    exam_number = serializers.CharField(
        label=_("准考证号"), max_length=30, required=False, allow_blank=True
    )


class ShortlistIn(serializers.Serializer):
    reason = _reason(_("确定理由"))


class CheckResultIn(serializers.Serializer):
    passed = serializers.BooleanField(
        label=_("结论"), help_text=_("体检或考察（按考生所处环节）：true 合格，false 不合格")
    )
    reason = _reason(_("不合格原因"))


class OutcomeIn(serializers.Serializer):
    withdrawn = serializers.BooleanField(
        label=_("情形"), help_text=_("true：本人放弃；false：未通过（缺考、不合格等）")
    )
    reason = _reason(_("原因"))


class ObjectionIn(ModelInput):
    class Meta:
        model = Objection
        fields = ("received_on", "content")


class ObjectionResolveIn(serializers.Serializer):
    upheld = serializers.BooleanField(
        label=_("核查结论"), help_text=_("true：反映属实（取消聘用资格）；false：反映不属实")
    )
    resolution = _reason(_("核查结果"))
    on = serializers.DateField(
        label=_("处理日期"), required=False, allow_null=True, help_text=_("不填为今天。")
    )


@extend_schema(tags=["recruitment"])
class ApplicationViewSet(RecordViewSet):
    """Applications (报名) the user may see: the recruiting institution's and the
    commission's (a plan is an institution's: a department head sees none). Identity and
    phone numbers are written and answered only masked. Adding, correcting and each step
    need recruitment.edit on the plan's institution, through the services the application's
    page uses."""

    permissions = record_permissions(
        "recruitment",
        "create",
        "partial_update",
        "destroy",
        "decide",
        "scores",
        "shortlist",
        "check",
        "out",
        "objections",
        "hire",
    )
    pagination_class = cursor_pagination("-applied_on", "id")
    filter_form = ApplicationFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名、准考证号或岗位名称中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("year", int, description=_("计划年度")),
        OpenApiParameter("status", str, enum=Application.Status.values),
        OpenApiParameter("post", int, description=_("岗位 id")),
    ]
    output = ApplicationOut
    detail_output = ApplicationDetailOut
    create_input = ApplicationIn
    change_input = ApplicationChangeIn
    create_service = services.application_create
    update_service = services.application_update
    delete_service = services.application_delete
    row_keyword = "application"
    destroy_errors = (400,)
    descriptions = {
        "partial_update": "Correct an applicant's details until the exams settle the review "
        "(identity and phone numbers left out are kept); the review runs again unless an "
        "officer decided it.",
        "destroy": "Delete an application entered by mistake, before anything was decided on it.",
    }

    def list_rows(self, **filters: Any) -> "QuerySet[Application]":
        return queries.application_list(self.request.user, **filters).select_related("sex")

    def detail_rows(self) -> "QuerySet[Application]":
        return queries.applications_for(self.request.user).select_related("sex")

    def edit_rows(self) -> "QuerySet[Application]":
        return queries.applications_for(self.request.user, queries.EDIT)

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the plan's institution is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    def _step(
        self,
        pk: str,
        into: Serializer,
        act: Callable[..., Any],
        code: int = status.HTTP_200_OK,
        **names: str,
    ) -> Response:
        """`act` on an application the user may change, with the input read by `into`; the
        service's refusals under the input's `names` where they differ."""
        application = self.get_editable(pk)
        values = self.checked(into)
        with calling_service_as(**names):
            act(application=application, **values)
        return self.answer(self.get_detail(pk), code)

    @row_action(EligibilityIn, ApplicationDetailOut)
    def decide(self, request: Any, pk: str) -> Response:
        """An officer's decision on the eligibility review, with the reason: it stands over
        what the automatic review found, which is kept beside it."""
        return self._step(pk, EligibilityIn, partial(services.eligibility_decide, by=request.user))

    @row_action(ScoresIn, ApplicationDetailOut)
    def scores(self, request: Any, pk: str) -> Response:
        """Record or correct an eligible applicant's exam scores (and exam number) until the
        medical check's candidates are chosen."""

        def record(application: Application, **values: Any) -> None:
            kept = {
                name: getattr(application, name) for name in ("written_score", "interview_score")
            }
            services.application_scores(application=application, **{**kept, **values})

        return self._step(pk, ScoresIn, record)

    @row_action(ShortlistIn, ApplicationDetailOut)
    def shortlist(self, request: Any, pk: str) -> Response:
        """Send an applicant tied at the last open place to the medical check, saying why
        (never past a better-ranked applicant still waiting)."""
        return self._step(pk, ShortlistIn, services.application_shortlist)

    @row_action(CheckResultIn, ApplicationDetailOut)
    def check(self, request: Any, pk: str) -> Response:
        """The medical check's result, then the background check's: on to the next, or out
        at this stage with the reason."""
        return self._step(pk, CheckResultIn, services.application_check)

    @row_action(OutcomeIn, ApplicationDetailOut)
    def out(self, request: Any, pk: str) -> Response:
        """The applicant withdraws or fails where they stand, with the reason; a place they
        held goes to the next in rank."""
        return self._step(pk, OutcomeIn, services.application_out)

    @row_action(ObjectionIn, ApplicationDetailOut, 201)
    def objections(self, request: Any, pk: str) -> Response:
        """Record an objection to a candidate on the public notice; it holds the hire until
        it is resolved."""
        return self._step(pk, ObjectionIn, services.objection_record, status.HTTP_201_CREATED)

    @row_action(StepIn, ApplicationDetailOut)
    def hire(self, request: Any, pk: str) -> Response:
        """Hire a candidate whose notice is over with no objection open: the person on file
        (by identity number, or new) and their appointment, once however often posted."""
        return self._step(pk, StepIn, services.application_hire, hired_on="on")


class RankedOut(serializers.Serializer):
    rank = serializers.IntegerField(
        help_text=_("名次：综合成绩与面试成绩都相同者并列，并列占用其后的名次")
    )
    combined = serializers.DecimalField(max_digits=5, decimal_places=2, help_text=_("综合成绩"))
    application = serializers.IntegerField(source="application.pk", help_text=_("报名 id"))
    name = serializers.CharField(source="application.name")
    written_score = serializers.DecimalField(
        source="application.written_score", max_digits=5, decimal_places=2, allow_null=True
    )
    interview_score = serializers.DecimalField(
        source="application.interview_score", max_digits=5, decimal_places=2, allow_null=True
    )
    application_status = choice("application.status", Application.Status.choices, _("状态"))
    application_status_display = serializers.CharField(source="application.get_status_display")


class RankingOut(serializers.Serializer):
    post = Ref()
    places = serializers.IntegerField(help_text=_("招聘人数"))
    applied = serializers.IntegerField(help_text=_("报名人数"))
    reviewed_in = serializers.IntegerField(
        help_text=_("资格审查通过的人数（含其后放弃或未通过的）")
    )
    holding = serializers.IntegerField(help_text=_("占用名额的人数（体检至聘用）"))
    hired = serializers.IntegerField(help_text=_("已聘用人数"))
    ranking = RankedOut(many=True, help_text=_("资格审查通过且成绩齐全的考生，按名次"))


class ShortlistOut(serializers.Serializer):
    chosen = Ref(many=True, help_text=_("本次确定的体检人选"))
    tied = Ref(
        many=True,
        help_text=_("在最后一个名额上成绩并列的考生：加试或人工确定后，逐个确定（shortlist）"),
    )


@extend_schema(tags=["recruitment"])
class PostRankingViewSet(ApiView):
    """A post's ranking of its applicants (recruitment.view) and the medical-check
    shortlist taken from it (recruitment.edit on the plan's institution)."""

    permissions = {"ranking": queries.VIEW, "shortlist": queries.EDIT}
    queryset = Post.objects.none()

    @extend_schema(parameters=[ROW_ID], responses={200: RankingOut, **errors(404)})
    def ranking(self, request: Any, pk: str) -> Response:
        """The post's figures and its ranking as published: ties share a rank; those who
        withdrew or failed later keep theirs."""
        post = queries.post_for(request.user, pk)
        shown = {"post": post, **queries.post_figures(post), "ranking": queries.post_ranking(post)}
        return Response(RankingOut(shown).data)

    @row_action(None, ShortlistOut)
    def shortlist(self, request: Any, pk: str) -> Response:
        """Send the best-ranked eligible applicants to the medical check, as many as the
        places not held (again after someone drops out: the next in rank); those tied at the
        last place are named, not chosen."""
        post = queries.post_for(request.user, pk, queries.EDIT)
        with calling_service_as():
            chosen = services.post_shortlist(post=post)
        return Response(ShortlistOut({"chosen": chosen.chosen, "tied": chosen.tied}).data)


class NoticeLineOut(ModelOutput):
    post = Ref(read_only=True)
    department = Ref(source="post.department", read_only=True, allow_null=True)
    sex = CodeRef(read_only=True, allow_null=True)
    education = CodeRef(read_only=True, allow_null=True)
    id_number_masked = serializers.CharField(read_only=True, help_text=_("只显示后四位"))
    combined_score = CombinedScore()
    application_status = _application_status(read_only=True)

    class Meta:
        model = Application
        fields = (
            "id",
            "name",
            "sex",
            "birth_date",
            "id_number_masked",
            "education",
            "school",
            "major",
            "post",
            "department",
            "combined_score",
            *with_labels([APPLICATION_STATUS], APPLICATION_STATUS),
        )


class NoticeOut(ModelOutput):
    plan = serializers.IntegerField(source="plan_id", read_only=True)
    applications = NoticeLineOut(
        source="lines_shown",
        many=True,
        read_only=True,
        help_text=_("公示的考生，按岗位；其后的结果不改变公示名单"),
    )

    class Meta:
        model = PublicNotice
        fields = ("id", "plan", "title", "starts_on", "ends_on", "created_at", "applications")


class NoticeIn(ModelInput):
    class Meta:
        model = PublicNotice
        fields = ("title", "starts_on", "ends_on")
        extra_kwargs = {
            "title": {
                "required": False,
                "allow_blank": True,
                "help_text": _("不填则按计划名称生成。"),
            }
        }


def _notice_data(notice: PublicNotice) -> Any:
    lines = notices.lines(notice).select_related("post__plan")  # the plan: combined scores
    notice.lines_shown = lines  # type: ignore[attr-defined]
    return NoticeOut(notice).data


@extend_schema(tags=["recruitment"])
class NoticeViewSet(ApiView):
    """The public notice (公示) of a plan's candidates for hire: published from the plan
    (recruitment.edit on its institution), read by whoever sees the plan; identity numbers
    masked as on the posted notice."""

    permissions = {"publish": queries.EDIT, "retrieve": queries.VIEW}
    queryset = PublicNotice.objects.none()

    @row_action(NoticeIn, NoticeOut, 201)
    def publish(self, request: Any, pk: str) -> Response:
        """Publish the notice of the plan's candidates who passed both checks (`id`: the
        plan's)."""
        plan = get_one(queries.plans_for(request.user, queries.EDIT), pk)
        values = self.checked(NoticeIn, user=request.user)
        with calling_service_as():
            notice = services.notice_publish(plan=plan, by=request.user, **values)
        return Response(_notice_data(notice), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ROW_ID], responses={200: NoticeOut, **errors(404)})
    def retrieve(self, request: Any, pk: str) -> Response:
        return Response(_notice_data(queries.notice_for(request.user, pk)))


@extend_schema(tags=["recruitment"])
class ObjectionViewSet(ApiView):
    """An objection raised during the public notice, settled by the recruiting institution."""

    permissions = {"resolve": queries.EDIT}
    queryset = Objection.objects.none()

    @row_action(ObjectionResolveIn, ApplicationDetailOut)
    def resolve(self, request: Any, pk: str) -> Response:
        """Settle an objection: found true, the candidate is out at the notice; else the
        hire may go ahead. Answers with the candidate's application."""
        objection = queries.objection_for(request.user, pk, queries.EDIT)
        values = self.checked(ObjectionResolveIn)
        with calling_service_as(resolved_on="on"):
            services.objection_resolve(objection=objection, by=request.user, **values)
        applications = queries.applications_for(request.user).select_related("sex")
        return Response(ApplicationDetailOut(get_one(applications, objection.application_id)).data)


# --- Introductions' entitlements (/introductions/{id}/entitlements/ and leave/, /tranches/,
# /clawbacks/, /payments-due/) -------------------------------------------------------------

ENTITLEMENT_KIND, ENTITLEMENT_REPAYMENT = "entitlement_kind", "entitlement_repayment"
ENTITLEMENT_CHOICES = (ENTITLEMENT_KIND, ENTITLEMENT_REPAYMENT)
CLAWBACK_STATUS = "clawback_status"


def _entitlement_kind(**kwargs: Any) -> serializers.ChoiceField:
    return choice("kind", Entitlement.Kind.choices, _("待遇项目"), **kwargs)


def _entitlement_repayment(**kwargs: Any) -> serializers.ChoiceField:
    return choice("repayment", Entitlement.Repayment.choices, _("未满服务期离开时"), **kwargs)


def _paid(entitlement: Entitlement) -> Decimal:
    """What was paid of an entitlement (its tranches prefetched)."""
    return sum((t.amount for t in entitlement.tranches.all() if t.paid_on), Decimal("0.00"))


class PaidAmount(serializers.DecimalField):
    """What was paid of an entitlement so far, derived from its tranches."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=12,
            decimal_places=2,
            read_only=True,
            help_text=_("已发放金额（元）：已发放各期之和"),
            **kwargs,
        )

    def get_attribute(self, instance: Entitlement) -> Decimal:
        return _paid(instance)


class TrancheOut(ModelOutput):
    entitlement = serializers.IntegerField(source="entitlement_id", read_only=True)

    class Meta:
        model = Tranche
        fields = (
            "id",
            "entitlement",
            "number",
            "amount",
            "due_on",
            "condition",
            "paid_on",
            "voucher",
            "cancelled_on",
            "cancel_reason",
        )


class ClawbackOut(ModelOutput):
    entitlement = serializers.IntegerField(source="entitlement_id", read_only=True)
    entitlement_kind = choice(
        "entitlement.kind", Entitlement.Kind.choices, _("待遇项目"), read_only=True
    )
    entitlement_kind_display = serializers.CharField(
        source="entitlement.get_kind_display", read_only=True
    )
    clawback_status = status_choice(Clawback.Status.choices, read_only=True)

    class Meta:
        model = Clawback
        fields = (
            "id",
            "entitlement",
            "entitlement_kind",
            "entitlement_kind_display",
            "left_on",
            "months_served",
            "months_committed",
            "paid",
            "amount",
            "basis",
            *with_labels([CLAWBACK_STATUS], CLAWBACK_STATUS),
            "decided_on",
            "reason",
            "created_at",
        )


class EntitlementOut(ModelOutput):
    entitlement_kind = _entitlement_kind(read_only=True)
    entitlement_repayment = _entitlement_repayment(read_only=True)
    paid = PaidAmount()
    tranches = TrancheOut(many=True, read_only=True)
    clawback = ClawbackOut(
        source="clawback_due",
        read_only=True,
        allow_null=True,
        help_text=_("未满服务期离开时按协议计算的退还；没有时为空"),
    )

    class Meta:
        model = Entitlement
        fields = (
            "id",
            *with_labels([ENTITLEMENT_KIND, ENTITLEMENT_REPAYMENT], *ENTITLEMENT_CHOICES),
            "amount",
            "paid",
            "note",
            "tranches",
            "clawback",
        )


class TrancheIn(serializers.Serializer):
    amount = serializers.DecimalField(label=_("金额（元）"), max_digits=12, decimal_places=2)
    due_on = serializers.DateField(label=_("应发日期"))
    condition = serializers.CharField(
        label=_("发放条件"), max_length=200, required=False, allow_blank=True, default=""
    )


class EntitlementIn(ModelInput):
    """An entitlement granted in tranches, whose amounts add up to its amount exactly."""

    entitlement_kind = _entitlement_kind()
    entitlement_repayment = _entitlement_repayment(required=False)  # pro rata by default
    tranches = TrancheIn(
        many=True, label=_("发放安排"), help_text=_("各期的金额、应发日期和发放条件，按期次顺序")
    )

    class Meta:
        model = Entitlement
        fields = (ENTITLEMENT_KIND, "amount", ENTITLEMENT_REPAYMENT, "note", "tranches")


class PayIn(serializers.Serializer):
    paid_on = serializers.DateField(
        label=_("发放日期"), required=False, allow_null=True, help_text=_("不填为今天。")
    )
    voucher = serializers.CharField(
        label=_("凭证号"), max_length=60, required=False, allow_blank=True, default=""
    )


class IntroductionLeaveIn(serializers.Serializer):
    left_on = serializers.DateField(label=_("离开日期"))
    reason = serializers.CharField(
        label=_("离开原因"), max_length=200, required=False, allow_blank=True, default=""
    )


class DecisionIn(serializers.Serializer):
    approve = serializers.BooleanField(
        label=_("审批意见"), help_text=_("true：批准退还；false：免除退还（须说明理由）")
    )
    reason = _reason(_("理由"))
    on = serializers.DateField(
        label=_("审批日期"), required=False, allow_null=True, help_text=_("不填为今天。")
    )


def _entitlements(introduction: Introduction) -> "QuerySet[Entitlement]":
    return queries.entitlements_of(introduction).select_related("clawback_due__entitlement")


@extend_schema(tags=["recruitment"])
class EntitlementViewSet(ApiView):
    """An introduction's entitlements (引进待遇), each with its tranches and the clawback
    proposed when the person left early: read by whoever sees the introduction, granted and
    the leaving recorded by recruitment.edit on its institution."""

    permissions = {"entitlements": queries.VIEW, "grant": queries.EDIT, "leave": queries.EDIT}
    queryset = Entitlement.objects.none()
    pagination_class = None  # an introduction's few, whole

    @extend_schema(parameters=[ROW_ID], responses={200: EntitlementOut(many=True), **errors(404)})
    def entitlements(self, request: Any, pk: str) -> Response:
        """The introduction's entitlements (`id`: the introduction's), each with its tranches
        (paid, due or cancelled) and its clawback, if any."""
        introduction = queries.introduction_for(request.user, pk)
        return Response(EntitlementOut(_entitlements(introduction), many=True).data)

    @row_action(EntitlementIn, EntitlementOut, 201)
    def grant(self, request: Any, pk: str) -> Response:
        """Grant the introduced person an entitlement paid in tranches (not once they have
        left)."""
        introduction = queries.introduction_for(request.user, pk, queries.EDIT)
        values = self.checked(EntitlementIn, user=request.user)
        tranches = [(t["amount"], t["due_on"], t["condition"]) for t in values.pop("tranches")]
        with calling_service_as(kind=ENTITLEMENT_KIND, repayment=ENTITLEMENT_REPAYMENT):
            made = services.entitlement_add(introduction=introduction, tranches=tranches, **values)
        granted = get_one(_entitlements(introduction), made.pk)
        return Response(EntitlementOut(granted).data, status=status.HTTP_201_CREATED)

    @row_action(IntroductionLeaveIn, ClawbackOut(many=True))
    def leave(self, request: Any, pk: str) -> Response:
        """The introduced person leaves: the tranches not paid are cancelled; before the
        commitment's last day, a clawback is proposed for each entitlement the agreement asks
        back, computed to the cent. Answers with the clawbacks proposed (none: [])."""
        introduction = queries.introduction_for(request.user, pk, queries.EDIT)
        values = self.checked(IntroductionLeaveIn)
        with calling_service_as():
            clawbacks = services.introduction_leave(introduction=introduction, **values)
        return Response(ClawbackOut(clawbacks, many=True).data)


@extend_schema(tags=["recruitment"])
class TrancheViewSet(ApiView):
    """One tranche of an entitlement, paid once (recruitment.edit on its institution)."""

    permissions = {"pay": queries.EDIT}
    queryset = Tranche.objects.none()

    @row_action(PayIn, TrancheOut)
    def pay(self, request: Any, pk: str) -> Response:
        """Record the tranche's payment: once (a second one, or one of a cancelled tranche,
        is refused), never after the person left."""
        tranche = queries.tranche_for(request.user, pk, queries.EDIT)
        values = self.checked(PayIn)
        with calling_service_as():
            paid = services.tranche_pay(tranche=tranche, by=request.user, **values)
        return Response(TrancheOut(paid).data)


@extend_schema(tags=["recruitment"])
class ClawbackViewSet(ApiView):
    """A clawback proposed when an introduced person left early, for the commission to
    approve or waive (recruitment.approve)."""

    permissions = {"decide": queries.APPROVE}
    queryset = Clawback.objects.none()

    @row_action(DecisionIn, ClawbackOut)
    def decide(self, request: Any, pk: str) -> Response:
        """Approve the clawback, or waive it saying why; once."""
        clawback = queries.clawback_for(request.user, pk, queries.APPROVE)
        values = self.checked(DecisionIn)
        with calling_service_as(decided_on="on"):
            decided = services.clawback_decide(clawback=clawback, by=request.user, **values)
        return Response(ClawbackOut(decided).data)


class PaymentDueOut(ModelOutput):
    entitlement = serializers.IntegerField(source="entitlement_id", read_only=True)
    entitlement_kind = choice(
        "entitlement.kind", Entitlement.Kind.choices, _("待遇项目"), read_only=True
    )
    entitlement_kind_display = serializers.CharField(
        source="entitlement.get_kind_display", read_only=True
    )
    introduction = serializers.IntegerField(
        source="entitlement.introduction_id", read_only=True, help_text=_("引进记录 id")
    )
    person = Ref(source="entitlement.introduction.person", read_only=True)
    institution = Ref(source="entitlement.introduction.institution", read_only=True)

    class Meta:
        model = Tranche
        fields = (
            "id",
            "entitlement",
            "entitlement_kind",
            "entitlement_kind_display",
            "introduction",
            "person",
            "institution",
            "number",
            "amount",
            "due_on",
            "condition",
        )


@extend_schema(tags=["recruitment"])
class PaymentsDueViewSet(RecordViewSet):
    """Tranches fallen due by a day (today by default), neither paid nor cancelled, the
    oldest first, as the payments-due page lists them."""

    permissions = {"list": queries.VIEW}
    pagination_class = cursor_pagination("due_on", "id")
    filter_form = PaymentsDueForm
    list_parameters = [
        OpenApiParameter("as_of", OpenApiTypes.DATE, description=_("截至日期，默认今天")),
        INSTITUTION_PARAMETER,
    ]
    output = PaymentDueOut

    def list_rows(self, **filters: Any) -> "QuerySet[Tranche]":
        return queries.payments_due(self.request.user, **filters)


# --- Directed students (/directed/, /directed/figures/, /directed-kinds/, /breaches/) -------

CONTRACT_STATUS, CONTRACT_REPAYMENT = "contract_status", "contract_repayment"
BREACH_STATUS = "breach_status"
DIRECTED_API_FIELDS = api_names(
    (name for name in services.DIRECTED_FIELDS if name not in SEALED),
    repayment=CONTRACT_REPAYMENT,
)
# Left out or null, a new contract's are its kind's years owed and graduation 5 years on.
DEFAULTED_YEARS = ("graduation_year", "service_years")
KIND_NOT_THERE = _("所选定向培养类型不存在。")
NOT_A_SERVICE_PLACE = _("所选服务单位不是本区在用的医疗卫生机构。")


def _contract_repayment(**kwargs: Any) -> serializers.ChoiceField:
    return choice("repayment", DirectedContract.Repayment.choices, _("违约退还"), **kwargs)


class MaskedPhone(serializers.CharField):
    """A contract's phone number as shown: its last four digits."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, help_text=_("只显示后四位"), **kwargs)

    def get_attribute(self, instance: DirectedContract) -> str:
        return mask_last4(instance.phone_last4, 11)


class ServiceLastDay(serializers.DateField):
    """The last day of the years owed, from the first day at the service place."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            read_only=True,
            allow_null=True,
            help_text=_("服务期满日期（自到岗日起算）；尚未到岗时为空"),
            **kwargs,
        )

    def get_attribute(self, instance: DirectedContract) -> Any:
        return services.service_last_day(instance)


class KindOut(ModelOutput):
    class Meta:
        model = DirectedKind
        fields = ("id", "code", "name", "service_years")


class ContractOut(ModelOutput):
    kind = Ref(read_only=True)
    sex = CodeRef(read_only=True, allow_null=True)
    sponsor = Ref(read_only=True)
    service_place = Ref(read_only=True, allow_null=True)
    id_number_masked = serializers.CharField(read_only=True, help_text=_("只显示后四位"))
    phone_masked = MaskedPhone()
    contract_repayment = _contract_repayment(read_only=True)
    contract_status = status_choice(DirectedContract.Status.choices, read_only=True)
    service_last_day = ServiceLastDay()
    person = serializers.IntegerField(
        source="person_id", read_only=True, allow_null=True, help_text=_("毕业后的人员档案 id")
    )

    class Meta:
        model = DirectedContract
        fields: tuple[str, ...] = (
            "id",
            *with_labels(DIRECTED_API_FIELDS, CONTRACT_REPAYMENT, name="sex"),
            "birth_date",
            "id_number_masked",
            "phone_masked",
            *with_labels([CONTRACT_STATUS], CONTRACT_STATUS),
            "graduated_on",
            "service_starts_on",
            "service_last_day",
            "left_on",
            "left_reason",
            "person",
            "created_at",
        )


class BreachOut(ModelOutput):
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    breach_status = status_choice(Breach.Status.choices, read_only=True)

    class Meta:
        model = Breach
        fields = (
            "id",
            "contract",
            "left_on",
            "months_served",
            "months_committed",
            "paid",
            "amount",
            "penalty",
            "basis",
            *with_labels([BREACH_STATUS], BREACH_STATUS),
            "decided_on",
            "reason",
            "created_at",
        )


class ContractDetailOut(ContractOut):
    breach = BreachOut(
        read_only=True,
        allow_null=True,
        help_text=_("服务期满前离岗的违约退还，待卫健委审批；没有时为空"),
    )

    class Meta(ContractOut.Meta):
        fields = (*ContractOut.Meta.fields, "breach")


class ContractIn(ModelInput):
    """A directed student's contract: the years owed are the kind's unless given, graduation
    five years after enrolment unless given; the identity number is required, sealed and
    answered only masked; birth date and sex are read from it."""

    id_number = _sealed(_("身份证号码"))
    phone = _sealed(_("手机号码"))
    contract_repayment = _contract_repayment(required=False)  # in full by default

    class Meta:
        model = DirectedContract
        fields = (*DIRECTED_API_FIELDS, *SEALED)
        extra_kwargs = {
            "graduation_year": {
                "required": False,
                "allow_null": True,
                "help_text": _("不填为入学后 5 年。"),
            },
            "service_years": {
                "required": False,
                "allow_null": True,
                "help_text": _("不填为该类型的规定年限。"),
            },
        }
        validators: list[Any] = []  # the service checks one contract a kind, in its transaction

    def scope_fields(self, user: Any) -> None:
        self.fields["kind"] = pk_field(queries.directed_kinds(), KIND_NOT_THERE)
        self.fields["sponsor"] = pk_field(
            queries.managed_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )
        self.fields["service_place"] = pk_field(
            queries.service_places(), NOT_A_SERVICE_PLACE, optional=True
        )


def _service_place(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return pk_field(queries.service_places(), NOT_A_SERVICE_PLACE, label=_("服务单位"), **kwargs)


class DayIn(serializers.Serializer):
    on = serializers.DateField(
        label=_("日期"), required=False, allow_null=True, help_text=_("不填为今天。")
    )


class AssignIn(serializers.Serializer):
    service_place = _service_place()


class StartIn(serializers.Serializer):
    on = serializers.DateField(label=_("到岗日期"))
    service_place = _service_place(optional=True, help_text=_("不填为已分配的服务单位。"))


class DirectedLeaveIn(serializers.Serializer):
    on = serializers.DateField(label=_("离岗日期"))
    reason = serializers.CharField(
        label=_("离岗原因"), max_length=200, required=False, allow_blank=True, default=""
    )


class DirectedFiguresYearOut(serializers.Serializer):
    year = serializers.IntegerField(help_text=_("入学年份"))
    kinds = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("各类型的人数，顺序同 kinds")
    )
    total = serializers.IntegerField()


class DirectedFiguresOut(serializers.Serializer):
    kinds = KindOut(many=True)
    by_year = DirectedFiguresYearOut(many=True, help_text=_("按入学年份和类型的人数"))
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text=_("按协议状态的人数")
    )
    total = serializers.IntegerField()


@extend_schema(tags=["recruitment"])
class ContractViewSet(RecordViewSet):
    """Directed students' contracts (定向培养协议) the sponsoring institution keeps (and the
    commission its region's; no department's). Identity and phone numbers are written and
    answered only masked. Recording, correcting (until the student starts serving) and each
    step need recruitment.edit on the sponsor, through the services the contract's page uses;
    the breach is the commission's to decide (/breaches/{id}/decide/)."""

    permissions = record_permissions(
        "recruitment",
        "create",
        "partial_update",
        "graduate",
        "assign",
        "start",
        "leave",
        "fulfil",
        figures=queries.VIEW,
    )
    pagination_class = cursor_pagination("-enrolled_year", "id")
    filter_form = ContractFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名、培养院校或服务单位中的文字")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("kind", int, description=_("定向培养类型 id")),
        OpenApiParameter("enrolled_year", int),
        OpenApiParameter("status", str, enum=DirectedContract.Status.values),
        OpenApiParameter("graduating", int, description=_("当年毕业（仍在读）的年份")),
    ]
    output = ContractOut
    detail_output = ContractDetailOut
    create_input = ContractIn
    create_service = services.directed_contract_create
    update_service = services.directed_contract_update
    row_keyword = "contract"
    error_names = {"repayment": CONTRACT_REPAYMENT}
    descriptions = {
        "partial_update": "Correct a contract's terms until the student starts serving "
        "(identity and phone numbers left out are kept).",
    }

    def list_rows(self, **filters: Any) -> "QuerySet[DirectedContract]":
        return queries.contract_list(self.request.user, **filters).select_related("sex")

    def detail_rows(self) -> "QuerySet[DirectedContract]":
        return queries.contracts_for(self.request.user).select_related("sex", "breach")

    def edit_rows(self) -> "QuerySet[DirectedContract]":
        return queries.contracts_for(self.request.user, queries.EDIT)

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the sponsor is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        # Years a new contract takes by default: null in a change keeps them, as on the form.
        kept = {name for name in DEFAULTED_YEARS if values.get(name, 0) is None}
        changed = {name: value for name, value in values.items() if name not in kept}
        return {**changed, "by": self.request.user}

    def _step(self, pk: str, into: Serializer, act: Callable[..., Any], **names: str) -> Response:
        """`act` on a contract the user may change, with the input read by `into`; the
        service's refusals under the input's `names` where they differ."""
        contract = self.get_editable(pk)
        values = self.checked(into)
        with calling_service_as(**names):
            act(contract=contract, **values)
        return self.answer(self.get_detail(pk))

    @row_action(DayIn, ContractDetailOut)
    def graduate(self, request: Any, pk: str) -> Response:
        """The student graduates: on file as a person (a directed student), found by identity
        number or new."""
        return self._step(pk, DayIn, services.directed_graduate, graduated_on="on")

    @row_action(AssignIn, ContractDetailOut)
    def assign(self, request: Any, pk: str) -> Response:
        """The graduate is assigned their service place (分配), not yet there."""
        return self._step(pk, AssignIn, services.directed_assign)

    @row_action(StartIn, ContractDetailOut)
    def start(self, request: Any, pk: str) -> Response:
        """The graduate starts at the service place (到岗): staff there with an appointment;
        the years owed count from that day."""
        return self._step(pk, StartIn, services.directed_start, service_starts_on="on")

    @row_action(DirectedLeaveIn, ContractDetailOut)
    def leave(self, request: Any, pk: str) -> Response:
        """The graduate leaves the service place: on or after the last day owed the contract
        is fulfilled; before it, a breach with the repayment the contract states, for the
        commission to decide."""
        return self._step(pk, DirectedLeaveIn, services.directed_leave, left_on="on")

    @row_action(DayIn, ContractDetailOut)
    def fulfil(self, request: Any, pk: str) -> Response:
        """The years owed are served (the graduate stays on): the contract is fulfilled."""
        return self._step(pk, DayIn, services.directed_fulfil)

    @extend_schema(
        parameters=[INSTITUTION_PARAMETER], responses={200: DirectedFiguresOut, **errors(400)}
    )
    def figures(self, request: Any) -> Response:
        """The contracts the user sees by year of enrolment and kind, and by status (as
        above the contracts' list)."""
        values = form_filters(ContractFilterForm(request.user, request.query_params))
        shown = queries.directed_figures(request.user, institution=values.get("institution"))
        return Response(DirectedFiguresOut(shown).data)


@extend_schema(tags=["recruitment"])
class DirectedKindViewSet(ApiView):
    """The kinds of directed-training contract (as data, the commission's) and the years of
    service each owes by default."""

    permissions = {"kinds": queries.VIEW}
    queryset = DirectedKind.objects.none()
    pagination_class = None  # a handful

    @extend_schema(responses={200: KindOut(many=True), **errors()})
    def kinds(self, request: Any) -> Response:
        return Response(KindOut(queries.directed_kinds(), many=True).data)


@extend_schema(tags=["recruitment"])
class BreachViewSet(ApiView):
    """A directed student's breach (违约), for the commission to approve or waive
    (recruitment.approve)."""

    permissions = {"decide": queries.APPROVE}
    queryset = Breach.objects.none()

    @row_action(DecisionIn, BreachOut)
    def decide(self, request: Any, pk: str) -> Response:
        """Approve the repayment (and the penalty) the contract states, or waive it saying
        why; once."""
        breach = queries.breach_for(request.user, pk, queries.APPROVE)
        values = self.checked(DecisionIn)
        with calling_service_as(decided_on="on"):
            decided = services.breach_decide(breach=breach, by=request.user, **values)
        return Response(BreachOut(decided).data)


# --- The expert network (/events/, /invitees/, /network/, /referrals/) ----------------------


def _expert_field(user: Any, label: Any) -> serializers.PrimaryKeyRelatedField:
    """An expert an invitation or a referral may name, refused in the page's words."""
    return pk_field(
        queries.experts(user),
        format_lazy(_("所选{}不在可选范围内。"), label),
        label=label,
        help_text=_("人员 id：您可见的人员，或合作医院的专家。"),
    )


class InviteeOut(ModelOutput):
    event = serializers.IntegerField(source="event_id", read_only=True)
    person = Ref(read_only=True)

    class Meta:
        model = Invitee
        fields = ("id", "event", "person", "attended", "note")


class InvitationEventOut(ModelOutput):
    institution = Ref(read_only=True)
    invited = serializers.IntegerField(read_only=True, help_text=_("邀请人数"))
    came = serializers.IntegerField(read_only=True, help_text=_("到场人数"))

    class Meta:
        model = InvitationEvent
        fields: tuple[str, ...] = (
            "id",
            *services.EVENT_FIELDS,
            "invited",
            "came",
            "created_at",
        )


class InvitationEventDetailOut(InvitationEventOut):
    invitees = InviteeOut(
        source="invitees_shown", many=True, read_only=True, help_text=_("邀请名单")
    )

    class Meta(InvitationEventOut.Meta):
        fields = (*InvitationEventOut.Meta.fields, "invitees")


class InvitationEventIn(ModelInput):
    class Meta:
        model = InvitationEvent
        fields = services.EVENT_FIELDS
        validators: list[Any] = []  # the service names a second one of the day in its words

    def scope_fields(self, user: Any) -> None:
        self.fields["institution"] = pk_field(
            queries.managed_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )


class InviteeIn(ModelInput):
    """An expert on the event's list: came (by default), or invited and did not come."""

    class Meta:
        model = Invitee
        fields = ("person", "attended", "note")
        validators: list[Any] = []

    def scope_fields(self, user: Any) -> None:
        self.fields["person"] = _expert_field(user, _("受邀专家"))


@extend_schema(tags=["recruitment"])
class InvitationEventViewSet(RecordViewSet):
    """Invitation events (专家邀请活动) of the institutions the user sees (an institution's
    HR office's, no department's), with how many were invited and came; recording one and
    its invitees needs recruitment.edit on the inviting institution."""

    permissions = record_permissions("recruitment", "create", "partial_update", "invitees")
    pagination_class = cursor_pagination("-held_on", "id")
    filter_form = EventFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("活动名称中的文字")),
        INSTITUTION_PARAMETER,
        SINCE,
        UNTIL,
    ]
    output = InvitationEventOut
    detail_output = InvitationEventDetailOut
    create_input = InvitationEventIn
    create_service = services.event_create
    update_service = services.event_update
    row_keyword = "event"

    def list_rows(self, **filters: Any) -> "QuerySet[InvitationEvent]":
        return queries.event_list(self.request.user, **filters)

    def edit_rows(self) -> "QuerySet[InvitationEvent]":
        return queries.events_for(self.request.user, queries.EDIT)

    def detail_data(self, row: InvitationEvent) -> Any:
        row.invitees_shown = row.invitees.select_related("person").order_by("id")  # type: ignore[attr-defined]
        return InvitationEventDetailOut(row).data

    def service_arguments(self) -> dict[str, Any]:
        return {"by": self.request.user}  # the service checks the institution is theirs

    def change_values(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "by": self.request.user}

    @row_action(InviteeIn, InvitationEventDetailOut, 201)
    def invitees(self, request: Any, pk: str) -> Response:
        """Put an expert on the event's list (once), as having come or not."""
        event = self.get_editable(pk)
        values = self.checked(InviteeIn, user=request.user)
        with calling_service_as():
            services.invitee_add(by=request.user, event=event, **values)
        return self.answer(self.get_detail(pk), status.HTTP_201_CREATED)


@extend_schema(tags=["recruitment"])
class InviteeViewSet(RecordViewSet):
    """One expert on an event's list: read with the event, taken off it by recruitment.edit
    on the inviting institution."""

    permissions = {"retrieve": queries.VIEW, "destroy": queries.EDIT}
    output = InviteeOut
    delete_service = services.invitee_remove
    row_keyword = "invitee"

    def get_detail(self, pk: object) -> Invitee:
        return queries.invitee_for(self.request.user, pk)

    def get_editable(self, pk: object) -> Invitee:
        return queries.invitee_for(self.request.user, pk, queries.EDIT)


class ReferralOut(ModelOutput):
    institution = Ref(read_only=True)
    referrer = Ref(read_only=True)
    referred = Ref(read_only=True)

    class Meta:
        model = Referral
        fields = ("id", "institution", "referrer", "referred", "referred_on", "note", "created_at")


class ReferralIn(ModelInput):
    """Whom the expert (the path's) brought, to which institution the user keeps, and when."""

    class Meta:
        model = Referral
        fields = ("referred", "institution", "referred_on", "note")
        validators: list[Any] = []  # the service names a referral recorded twice

    def scope_fields(self, user: Any) -> None:
        self.fields["referred"] = _expert_field(user, _("引荐的专家"))
        self.fields["institution"] = pk_field(
            queries.managed_institutions(user), INSTITUTION_OUT_OF_SCOPE
        )


@extend_schema(tags=["recruitment"])
class ReferralViewSet(RecordViewSet):
    """Who brought whom (引荐): read by whoever sees the receiving institution's records,
    removed by recruitment.edit on it."""

    permissions = {"retrieve": queries.VIEW, "destroy": queries.EDIT}
    output = ReferralOut
    delete_service = services.referral_delete
    row_keyword = "referral"

    def detail_rows(self) -> "QuerySet[Referral]":
        return queries.referrals_for(self.request.user)

    def edit_rows(self) -> "QuerySet[Referral]":
        return queries.referrals_for(self.request.user, queries.EDIT)


class PersonBriefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    institution = Ref(allow_null=True, help_text=_("所在单位"))


class ExpertOut(ModelOutput):
    institution = Ref(read_only=True, allow_null=True)
    mentorships = serializers.IntegerField(
        source="mentorship_count", read_only=True, help_text=_("领衔的师带徒数")
    )
    studios = serializers.IntegerField(
        source="studio_count", read_only=True, help_text=_("领衔的工作室数")
    )
    visits = serializers.IntegerField(
        source="visit_count", read_only=True, help_text=_("下沉服务次数")
    )

    class Meta:
        model = Person
        fields = ("id", "name", "institution", "mentorships", "studios", "visits")


class CameByIntroductionOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    introduction_mode = _mode(read_only=True)
    introduction_category = _category(read_only=True)

    class Meta:
        model = Introduction
        fields = (
            "id",
            "institution",
            "department",
            "introduced_on",
            *with_labels(
                [INTRODUCTION_MODE, INTRODUCTION_CATEGORY], INTRODUCTION_MODE, INTRODUCTION_CATEGORY
            ),
            "left_on",
        )


class InvitedEventOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()
    institution = Ref()


class ExpertInvitationOut(ModelOutput):
    event = InvitedEventOut(read_only=True)

    class Meta:
        model = Invitee
        fields = ("id", "event", "attended", "note")


class LedOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    institution = Ref()


class ExpertNetworkOut(serializers.Serializer):
    person = PersonBriefOut()
    introductions = CameByIntroductionOut(many=True, help_text=_("引进记录"))
    brought_by = ReferralOut(many=True, help_text=_("由谁引荐而来"))
    brought = ReferralOut(many=True, help_text=_("其引荐的专家"))
    invitations = ExpertInvitationOut(many=True, help_text=_("受邀参加的活动（含未到场的）"))
    mentorships = LedOut(many=True, help_text=_("此后领衔的师带徒"))
    studios = LedOut(many=True, help_text=_("此后领衔的名医工作室"))
    visits = serializers.IntegerField(help_text=_("下沉服务次数"))


@extend_schema(tags=["recruitment"])
class NetworkViewSet(RecordViewSet):
    """The experts in the user's network (introduced, brought by someone or bringing someone,
    or invited, in the records the user sees), with what they have done since in 育; whom an
    expert brought is recorded by recruitment.edit on the receiving institution."""

    permissions = record_permissions("recruitment", referrals=queries.EDIT)
    pagination_class = cursor_pagination("name_pinyin", "id")
    filter_form = NetworkFilterForm
    list_parameters = [OpenApiParameter("q", str, description=_("姓名中的文字"))]
    output = ExpertOut
    detail_output = ExpertNetworkOut

    def list_rows(self, **filters: Any) -> "QuerySet[Person]":
        return queries.network_list(self.request.user, **filters)

    def detail_rows(self) -> "QuerySet[Person]":
        return queries.network_people(self.request.user)

    def annotate_page(self, rows: list[Person]) -> None:
        counts = queries.network_counts(self.request.user, rows)
        for person in rows:
            done = counts.get(person.pk, {})
            person.mentorship_count = done.get("mentorships", 0)  # type: ignore[attr-defined]
            person.studio_count = done.get("studios", 0)  # type: ignore[attr-defined]
            person.visit_count = done.get("visits", 0)  # type: ignore[attr-defined]

    def detail_data(self, row: Person) -> Any:
        return ExpertNetworkOut(queries.expert_network(self.request.user, row)).data

    @row_action(ReferralIn, ExpertNetworkOut, 201)
    def referrals(self, request: Any, pk: str) -> Response:
        """Record whom the expert (`id`: the person's) brought, where and when; answers with
        the expert's network."""
        referrer = get_one(queries.experts(request.user), pk)
        values = self.checked(ReferralIn, user=request.user)
        with calling_service_as():
            services.referral_create(by=request.user, referrer=referrer, **values)
        return self.answer(self.get_detail(pk), status.HTTP_201_CREATED)


# --- The overview (/api/v1/recruitment/overview/) ---------------------------------------


class OverviewOut(serializers.Serializer):
    year = serializers.IntegerField()
    since = serializers.DateField()
    until = serializers.DateField()
    places = serializers.IntegerField(help_text=_("该年度已批准计划的招聘人数"))
    by_procedure = serializers.DictField(child=serializers.IntegerField())
    filled = serializers.IntegerField(help_text=_("已聘用人数"))
    introduced = serializers.IntegerField(help_text=_("期间引进人次"))
    senior = serializers.IntegerField(help_text=_("其中高级职称"))
    discipline_leaders = serializers.IntegerField(help_text=_("其中学科带头人"))
    shortage_at_start = serializers.IntegerField(allow_null=True)
    shortage_at_end = serializers.IntegerField(allow_null=True)
    shortage_yearly_rate = serializers.FloatField(allow_null=True)
    directed = serializers.IntegerField(help_text=_("定向培养学生"))
    payments_due = serializers.IntegerField()
    payments_due_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    clawbacks_proposed = serializers.IntegerField()
    breaches_proposed = serializers.IntegerField()
    agreements_in_force = serializers.IntegerField()
    experts = serializers.IntegerField()


@extend_schema(tags=["recruitment"])
class OverviewViewSet(ApiView):
    """引 at a glance, as the overview page (招才引智概览) shows it."""

    permissions = {"figures": "recruitment.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description=_("计划年度，默认截止日所在年")),
            *TWO_DAYS,
            INSTITUTION_PARAMETER,
        ],
        responses={200: OverviewOut, **errors(400)},
    )
    def figures(self, request: Any) -> Response:
        values = form_filters(OverviewForm(request.user, request.query_params))
        shown = queries.overview(request.user, **values)
        plans, introductions, shortage = shown.plans, shown.introductions, shown.shortage
        return Response(
            OverviewOut(
                {
                    "year": shown.year,
                    "since": shown.since,
                    "until": shown.until,
                    "places": plans.places,
                    "by_procedure": plans.by_procedure,
                    "filled": plans.filled,
                    "introduced": introductions.total,
                    "senior": introductions.senior,
                    "discipline_leaders": introductions.discipline_leaders,
                    "shortage_at_start": shortage.at_start if shortage else None,
                    "shortage_at_end": shortage.at_end if shortage else None,
                    "shortage_yearly_rate": shortage.yearly_rate if shortage else None,
                    "directed": shown.directed.total,
                    "payments_due": shown.payments_due,
                    "payments_due_amount": shown.payments_due_amount,
                    "clawbacks_proposed": shown.clawbacks_proposed,
                    "breaches_proposed": shown.breaches_proposed,
                    "agreements_in_force": shown.agreements_in_force,
                    "experts": shown.experts,
                }
            ).data
        )
