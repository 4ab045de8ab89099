"""Partner agreements (合作协议, /api/v1/recruitment/agreements/) and recruitment plans
(/plans/, /posts/): declared on the shared record viewset; the lists read the pages' filter
forms and writes go through the services, the plans' steps as on the plan's page."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from yicai.api.base import (
    ApiView,
    ModelInput,
    ModelOutput,
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
from yicai.org.models import Department
from yicai.org.queries import DEPARTMENT_OUT_OF_SCOPE, INSTITUTION_OUT_OF_SCOPE
from yicai.people.queries import PERSON_OUT_OF_SCOPE
from yicai.recruitment import queries, services
from yicai.recruitment.forms import (
    AgreementFilterForm,
    IntroductionFiguresForm,
    IntroductionFilterForm,
    PlanFiguresForm,
    PlanFilterForm,
    TalentGrowthForm,
)
from yicai.recruitment.models import Introduction, PartnerAgreement, Post, RecruitmentPlan

# Named after the record, so that its enum is not the institution's `kind` in the schema.
KIND = "agreement_kind"
# The service's fields, as the API names them.
FIELDS = tuple(KIND if name == "kind" else name for name in services.AGREEMENT_FIELDS)


def _kind(**kwargs: Any) -> serializers.ChoiceField:
    return choice("kind", PartnerAgreement.Kind.choices, _("协议类型"), **kwargs)


class AgreementOut(ModelOutput):
    institution = Ref(read_only=True)
    department = Ref(read_only=True, allow_null=True)
    partner = Ref(read_only=True, allow_null=True)
    agreement_kind = _kind(read_only=True)

    class Meta:
        model = PartnerAgreement
        fields = ("id", *FIELDS)


class AgreementIn(ModelInput):
    """An agreement as recorded or changed: its partner by id when on file, else by name."""

    agreement_kind = _kind()

    class Meta:
        model = PartnerAgreement
        fields = FIELDS

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
    signing institution."""

    permissions = record_permissions("recruitment", "create", "partial_update")
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


@extend_schema(tags=["recruitment"])
class TalentGrowthViewSet(ApiView):
    """People holding a talent tag on two days, as the page 紧缺与高层次人才增长 counts them."""

    permissions = {"figures": "recruitment.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("tag", int, description=_("人才标签代码 id，默认紧缺专业人才")),
            OpenApiParameter("since", OpenApiTypes.DATE, description=_("起始日，默认两年前的今天")),
            OpenApiParameter("until", OpenApiTypes.DATE, description=_("截止日，默认今天")),
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


class IntroductionIn(ModelInput):
    """An introduction: its person by id among those whose records the user keeps; a title
    grade left out is the one on file."""

    introduction_mode = _mode()
    introduction_category = _category()

    class Meta:
        model = Introduction
        fields = INTRODUCTION_API_FIELDS

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
    institution and the person's records."""

    permissions = record_permissions(
        "recruitment", "create", "partial_update", "destroy", figures="recruitment.view"
    )
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
