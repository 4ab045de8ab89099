"""Cultivation programmes (培养计划): the programmes with their cohorts, a cohort with its
members and the mentors its programme asks for, a selection round with its nominations, an
institution's nomination into an open round, and the talent pool (英才库)
(/api/v1/training/programmes/, cohorts/, rounds/, talent-pool/).

As on the pages: programmes, cohorts and rounds are seen by everyone working in the
commission's region (training.view); members and nominations go by the person; nominating
needs training.edit, for the institution's own staff, while the round is open.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from yicai.api.base import (
    ApiView,
    ModelInput,
    ModelOutput,
    calling_service,
    calling_service_as,
    form_filters,
    get_one,
)
from yicai.api.fields import (
    Ref,
    api_names,
    choice,
    choice_values,
    pk_field,
    status_choice,
    with_labels,
)
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, row_action
from yicai.org.queries import INSTITUTION_OUT_OF_SCOPE
from yicai.training.api.common import backfill_only
from yicai.training.api.mentoring import MentorOut
from yicai.training.forms.programmes import (
    ACTIVE_CHOICES,
    MemberFilterForm,
    ProgrammeFilterForm,
    TalentPoolFilterForm,
)
from yicai.training.models import programmes as models
from yicai.training.queries import programmes as queries
from yicai.training.services.programmes import (
    PROGRAMME_FIELDS,
    annual_review_record,
    cohort_create,
    member_complete,
    member_goal_add,
    member_withdraw,
    nomination_create,
    nomination_decide,
    programme_create,
    programme_update,
    review_score_record,
    selection_round_approve,
    selection_round_open,
    selection_round_review,
)

NO_REGION = _("账号未关联卫健委辖区，不能创建培养计划。")

# ---------------------------------------------------------------------------------------------
# Programmes

PROGRAMME_API_FIELDS = api_names(PROGRAMME_FIELDS, kind="programme_kind")


class CohortRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    places_taken = serializers.IntegerField(read_only=True, help_text=_("已入选人数（不含退出）"))


class ProgrammeFiguresOut(serializers.Serializer):
    cohorts = serializers.IntegerField(read_only=True, help_text=_("期数"))
    members = serializers.IntegerField(read_only=True, help_text=_("培养对象人数（不含退出）"))
    completed = serializers.IntegerField(read_only=True, help_text=_("已结业人数"))
    latest = CohortRef(read_only=True, allow_null=True, help_text=_("最近一期及其名额使用"))


class ProgrammeOut(ModelOutput):
    region = Ref(read_only=True)
    programme_kind = choice("kind", models.Programme.Kind.choices, _("类别"), read_only=True)
    min_title_grade = serializers.ChoiceField(
        [("", _("不限")), *models.TitleGrade.choices], read_only=True, label=_("最低职称级别")
    )
    mentor_rule = serializers.CharField(
        read_only=True, help_text=_("须配备的导师，如“院内、院外导师各一名”；不要求则为空")
    )
    figures = ProgrammeFiguresOut(source="figures_shown", read_only=True)

    class Meta:
        model = models.Programme
        fields = (
            "id",
            *with_labels(
                PROGRAMME_API_FIELDS,
                "programme_kind",
                name="region",
                requires_external_mentor="mentor_rule",
            ),
            "figures",
        )


def _add_figures(programmes) -> None:
    """Each programme's figures, as its `figures` shows them (two queries for a page)."""
    figures = queries.programme_figures(programmes)
    for programme in programmes:
        programme.figures_shown = figures[programme.pk]


class RoundRef(ModelOutput):
    round_status = status_choice(models.SelectionRound.Status.choices, read_only=True)
    nominated = serializers.IntegerField(read_only=True, help_text=_("提名人数"))

    class Meta:
        model = models.SelectionRound
        fields: tuple[str, ...] = (
            "id",
            "name",
            "opens_on",
            "closes_on",
            "round_status",
            "round_status_display",
            "approved_on",
            "nominated",
        )


class CohortOut(ModelOutput):
    cohort_status = status_choice(models.Cohort.Status.choices, read_only=True)
    places_taken = serializers.IntegerField(read_only=True, help_text=_("已入选人数（不含退出）"))

    class Meta:
        model = models.Cohort
        fields: tuple[str, ...] = (
            "id",
            "name",
            "year",
            "start_on",
            "end_on",
            "cohort_status",
            "cohort_status_display",
            "places_taken",
        )


class ProgrammeCohortOut(CohortOut):
    rounds = RoundRef(many=True, read_only=True)

    class Meta(CohortOut.Meta):
        fields = (*CohortOut.Meta.fields, "rounds")


class ProgrammeDetailOut(ProgrammeOut):
    cohorts = ProgrammeCohortOut(
        source="cohorts_shown", many=True, read_only=True, help_text=_("各期，最近的在前")
    )

    class Meta(ProgrammeOut.Meta):
        fields = (*ProgrammeOut.Meta.fields, "cohorts")


class ProgrammeIn(ModelInput):
    """A programme's rules; they apply to nominations and approvals from now on."""

    programme_kind = choice("kind", models.Programme.Kind.choices, _("类别"))
    min_title_grade = serializers.ChoiceField(
        [("", _("不限")), *models.TitleGrade.choices],
        required=False,
        allow_blank=True,
        label=_("最低职称级别"),
    )

    class Meta:
        model = models.Programme
        fields = PROGRAMME_API_FIELDS
        validators: list = []  # the service checks the rows together in its transaction


class CohortIn(ModelInput):
    class Meta:
        model = models.Cohort
        fields = ("year", "name", "start_on", "end_on")
        extra_kwargs = {
            "end_on": {
                "required": False,
                "allow_null": True,
                "help_text": _("留空则按培养周期计算。"),
            }
        }
        validators: list = []


@extend_schema(tags=["training"])
class ProgrammeViewSet(RecordViewSet):
    """The programmes of the commission's region, each with its cohorts, members and the use
    of its latest cohort's places; the commission sets them up and opens cohorts
    (training.configure)."""

    permissions = record_permissions(
        "training",
        create="training.configure",
        partial_update="training.configure",
        cohort="training.configure",
    )
    pagination_class = cursor_pagination("name", "id")
    filter_form = ProgrammeFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("计划名称中的文字")),
        OpenApiParameter("kind", str, enum=models.Programme.Kind.values),
        OpenApiParameter(
            "active", str, enum=choice_values(ACTIVE_CHOICES), description=_("yes：在用")
        ),
    ]
    output = ProgrammeOut
    detail_output = ProgrammeDetailOut
    create_input = ProgrammeIn
    update_service = programme_update
    row_keyword = "programme"
    error_names = {"kind": "programme_kind"}
    descriptions = {
        "create": "A programme of the commission's region.",
        "partial_update": "Change a programme's rules; the quota may not fall below a cohort's "
        "members.",
    }

    def list_rows(self, **filters):
        return queries.programme_list(self.request.user, **filters)

    def detail_rows(self):
        return queries.programmes_for(self.request.user)

    def edit_rows(self):
        return queries.programmes_for(self.request.user, "training.configure")

    def annotate_page(self, rows):
        _add_figures(rows)

    def detail_data(self, row):
        row.cohorts_shown = queries.cohorts_of(row)
        _add_figures([row])
        return ProgrammeDetailOut(row).data

    def create_record(self, values):
        # The region is looked up once the input is valid: its errors come first.
        region = queries.configurable_regions(self.request.user).first()
        if region is None:
            raise serializers.ValidationError({"non_field_errors": [NO_REGION]})
        return programme_create(region=region, **values)

    @row_action(CohortIn, CohortOut, 201)
    def cohort(self, request, pk):
        """A new cohort (期) of the programme."""
        user = request.user
        programme = get_one(queries.programmes_for(user, "training.configure"), pk)
        values = self.checked(CohortIn, user=user)
        with calling_service():
            saved = cohort_create(programme=programme, **values)
        row = get_one(queries.with_places(queries.cohorts_for(user)), saved.pk)
        return Response(CohortOut(row).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# Cohorts and their members


class ReviewOut(ModelOutput):
    class Meta:
        model = models.AnnualReview
        fields: tuple[str, ...] = ("year", "rating", "rating_display")


# A cohort member as every list of them begins: who, where they work, their status. No
# docstring: the schema would describe each subclass with it.
class MemberHeadOut(ModelOutput):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    member_status = status_choice(models.CohortMember.Status.choices, read_only=True)

    class Meta:
        model = models.CohortMember
        fields: tuple[str, ...] = ("id", "person", "institution", "department")


class MemberOut(MemberHeadOut):
    has_internal_mentor = serializers.BooleanField(
        read_only=True, help_text=_("是否在进行中的师带徒关系中有院内导师")
    )
    has_external_mentor = serializers.BooleanField(
        read_only=True, help_text=_("是否在进行中的师带徒关系中有院外导师")
    )
    missing_mentor = serializers.SerializerMethodField(
        help_text=_("是否缺少培养计划要求的导师（进行中的师带徒关系）")
    )
    goal_count = serializers.IntegerField(read_only=True, help_text=_("年度培养目标数"))
    reviews = ReviewOut(many=True, read_only=True, help_text=_("年度考核，按年度"))

    class Meta(MemberHeadOut.Meta):
        fields: tuple[str, ...] = (
            *MemberHeadOut.Meta.fields,
            "entered_on",
            "exited_on",
            "exit_reason",
            "member_status",
            "member_status_display",
            "certificate_number",
            "has_internal_mentor",
            "has_external_mentor",
            "missing_mentor",
            "goal_count",
            "reviews",
        )

    def get_missing_mentor(self, member) -> bool:
        programme = self.context["programme"]
        return bool(
            (programme.requires_internal_mentor and not member.has_internal_mentor)
            or (programme.requires_external_mentor and not member.has_external_mentor)
        )


class MentorRule(serializers.Serializer):
    requires_internal_mentor = serializers.BooleanField(read_only=True)
    requires_external_mentor = serializers.BooleanField(read_only=True)
    text = serializers.CharField(read_only=True, help_text=_("如“院内、院外导师各一名”"))


class CohortDetailOut(CohortOut):
    programme = Ref(read_only=True)
    quota = serializers.IntegerField(source="programme.quota", read_only=True)
    mentor_rule = MentorRule(read_only=True, help_text=_("培养计划要求的导师"))
    missing_mentor_count = serializers.IntegerField(
        read_only=True, help_text=_("您可见的培养中学员里缺少所需导师的人数")
    )
    members = MemberOut(
        source="members_shown",
        many=True,
        read_only=True,
        help_text=_("您可见的本期学员（按查询条件）"),
    )
    rounds = RoundRef(source="rounds_shown", many=True, read_only=True)

    class Meta(CohortOut.Meta):
        fields = (
            *CohortOut.Meta.fields,
            "programme",
            "quota",
            "mentor_rule",
            "missing_mentor_count",
            "members",
            "rounds",
        )


class MemberGoalOut(ModelOutput):
    target_kind = serializers.CharField(
        read_only=True, help_text=_("目标类别（同职业生涯目标的 goal_kind）；未分类则为空")
    )

    class Meta:
        model = models.MemberGoal
        fields = ("id", "year", "text", "target_kind", "target_kind_display")


class AnnualReviewOut(ReviewOut):
    class Meta(ReviewOut.Meta):
        fields = (*ReviewOut.Meta.fields, "comments", "reviewer", "reviewed_on")


class MemberMentorshipOut(MentorOut):
    class Meta(MentorOut.Meta):
        fields = (*MentorOut.Meta.fields, "start_on", "end_on")


class MemberDetailOut(MemberOut):
    cohort = Ref(read_only=True)
    programme = Ref(source="cohort.programme", read_only=True)
    goals = MemberGoalOut(source="goals_shown", many=True, read_only=True)
    reviews = AnnualReviewOut(source="reviews_shown", many=True, read_only=True)
    mentorships = MemberMentorshipOut(
        source="mentorships_shown",
        many=True,
        read_only=True,
        help_text=_("作为徒弟的进行中的师带徒关系，院内导师在前"),
    )

    class Meta(MemberOut.Meta):
        fields = (*MemberOut.Meta.fields, "cohort", "programme", "goals", "mentorships")


class MemberGoalIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    goal_kind = choice(
        "target_kind",
        models.GoalKind.choices,
        _("目标类别"),
        required=False,
        help_text=_("同职业生涯目标的 goal_kind；不填则不分类。"),
    )
    text = serializers.CharField(max_length=300, label=_("目标"))


class AnnualReviewIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label=_("年度"))
    rating = serializers.ChoiceField(models.AnnualReview.Rating.choices, label=_("考核结果"))
    reviewer = serializers.CharField(max_length=50, label=_("考核人"))
    reviewed_on = serializers.DateField(label=_("考核日期"))
    comments = serializers.CharField(
        required=False,
        allow_blank=True,
        label=_("考核意见"),
        help_text=_("不要填写身份证号、手机号等信息。"),
    )


class MemberCompleteIn(serializers.Serializer):
    completed_on = serializers.DateField(label=_("结业日期"))


class MemberWithdrawIn(serializers.Serializer):
    on = serializers.DateField(label=_("退出日期"))
    reason = serializers.CharField(max_length=200, label=_("退出原因"))


@extend_schema(tags=["training"])
class MemberViewSet(RecordViewSet):
    """One member of a cohort the user may see: their yearly goals, annual reviews and the
    mentorships that meet (or not) the programme's mentor rule."""

    permissions = {
        "retrieve": "training.view",
        "goal": "training.edit",
        "review": "training.edit",
        "complete": "training.configure",
        "withdraw": "training.configure",
    }
    output = MemberDetailOut  # one member, read or changed (members are listed by cohort)

    def detail_rows(self):
        members = queries.with_mentors(queries.members_for(self.request.user))
        return members.annotate(goal_count=Count("goals", distinct=True))

    def detail_data(self, row):
        row.goals_shown = queries.member_goals_of(row)
        row.reviews_shown = queries.member_reviews_of(row)
        row.mentorships_shown = queries.member_mentorships(row.person)
        return MemberDetailOut(row, context={"programme": row.cohort.programme}).data

    def _act(self, pk, permission, serializer, service, created=False, **names) -> Response:
        member = get_one(queries.members_for(self.request.user, permission), pk)
        values = self.checked(serializer)
        with calling_service_as(**names):
            service(member=member, **values)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return self.answer(self.get_detail(member.pk), code)

    @row_action(MemberGoalIn, MemberDetailOut, 201)
    def goal(self, request, pk):
        """A yearly goal of the member, within their years in the cohort."""
        return self._act(
            pk,
            "training.edit",
            MemberGoalIn,
            member_goal_add,
            created=True,
            target_kind="goal_kind",
        )

    @row_action(AnnualReviewIn, MemberDetailOut, 201)
    def review(self, request, pk):
        """The member's annual review (年度考核), once a year."""
        return self._act(pk, "training.edit", AnnualReviewIn, annual_review_record, created=True)

    @row_action(MemberCompleteIn, MemberDetailOut)
    def complete(self, request, pk):
        """The member completes the programme (结业) and may download the certificate."""
        return self._act(pk, "training.configure", MemberCompleteIn, member_complete)

    @row_action(MemberWithdrawIn, MemberDetailOut)
    def withdraw(self, request, pk):
        """The member leaves the cohort (退出), freeing their place."""
        return self._act(pk, "training.configure", MemberWithdrawIn, member_withdraw)


# ---------------------------------------------------------------------------------------------
# Selection rounds and nominations


class ScoreOut(ModelOutput):
    class Meta:
        model = models.ReviewScore
        fields = ("reviewer_name", "score", "comment")


class NominationOut(ModelOutput):
    round = serializers.IntegerField(source="round_id", read_only=True)
    person = Ref(read_only=True)
    institution = Ref(read_only=True)
    nomination_status = status_choice(models.Nomination.Status.choices, read_only=True)
    average = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text=_("评审平均分；尚无评分则为空"),
    )
    score_count = serializers.IntegerField(read_only=True)
    scores = ScoreOut(many=True, read_only=True)

    class Meta:
        model = models.Nomination
        fields = (
            "id",
            "round",
            "person",
            "institution",
            "reason",
            "nomination_status",
            "nomination_status_display",
            "average",
            "score_count",
            "scores",
            "nominated_on",
            "decided_on",
            "created_at",
        )


class RoundCounts(serializers.Serializer):
    all = serializers.IntegerField(read_only=True)
    nominated = serializers.IntegerField(read_only=True, help_text=_("尚未决定"))
    approved = serializers.IntegerField(read_only=True)
    rejected = serializers.IntegerField(read_only=True)


class RoundDetailOut(RoundRef):
    cohort = Ref(read_only=True)
    programme = Ref(source="cohort.programme", read_only=True)
    note = serializers.CharField(read_only=True)
    counts = RoundCounts(read_only=True, help_text=_("本次遴选的提名人数（全部）"))
    nominations = NominationOut(
        source="nominations_shown",
        many=True,
        read_only=True,
        help_text=_("您可见的提名，平均分高的在前"),
    )

    class Meta(RoundRef.Meta):
        fields = (*RoundRef.Meta.fields, "cohort", "programme", "note", "counts", "nominations")


class NominationIn(ModelInput):
    class Meta:
        model = models.Nomination
        fields = ("institution", "person", "reason", "nominated_on")
        extra_kwargs = {
            # Blank: the service's own words (请填写推荐理由), as the page and the import say.
            "reason": {"allow_blank": True, "help_text": _("不要填写身份证号、手机号等信息。")},
            "nominated_on": {
                "required": False,
                "help_text": _(
                    "留空即今天（须在提名期内）。补录以往遴选时填写真实的提名日期，"
                    "须在提名期内，需要补录权限（training.backfill）。"
                ),
            },
        }

    def scope_fields(self, user):
        self.fields["institution"] = pk_field(
            queries.nominating_institutions(user),
            INSTITUTION_OUT_OF_SCOPE,
            help_text=_("提名机构：您可以编辑的辖区管理机构。"),
        )
        self.fields["person"] = pk_field(
            queries.people_to_nominate(user),
            queries.PERSON_TO_NOMINATE_OUT_OF_SCOPE,
            help_text=_("须是提名机构的人员。"),
        )


class SelectionRoundIn(ModelInput):
    class Meta:
        model = models.SelectionRound
        fields = ("name", "opens_on", "closes_on", "note")
        validators: list = []


class RoundApproveIn(serializers.Serializer):
    approved_on = serializers.DateField(label=_("批准日期"))
    entered_on = serializers.DateField(
        label=_("入选日期"), required=False, allow_null=True, help_text=_("留空即批准日期。")
    )


def round_out(user, selection_round) -> dict:
    selection_round.nominated = selection_round.nominations.count()
    selection_round.counts = queries.round_counts(selection_round)
    selection_round.nominations_shown = queries.nominations_of(user, selection_round)
    return RoundDetailOut(selection_round).data


@extend_schema(tags=["training"])
class RoundViewSet(RecordViewSet):
    """A selection round with the nominations the user may see; while it is open an
    institution nominates its own staff (training.edit); the commission closes the call for
    review and approves the chosen into the cohort (training.configure)."""

    permissions = {
        "retrieve": "training.view",
        "nominate": "training.edit",
        "review": "training.configure",
        "approve": "training.configure",
    }
    output = RoundDetailOut  # one round, read or acted on (rounds are listed by cohort)

    def detail_rows(self):
        return queries.rounds_for(self.request.user)

    def edit_rows(self):
        return queries.rounds_for(self.request.user, "training.configure")

    def detail_data(self, row):
        return round_out(self.request.user, row)

    @row_action(None, RoundDetailOut)
    def review(self, request, pk):
        """Close the call: no more nominations, the reviewers score."""
        selection_round = self.get_editable(pk)
        with calling_service():
            selection_round_review(selection_round=selection_round)
        return self.answer(selection_round)

    @row_action(RoundApproveIn, RoundDetailOut)
    def approve(self, request, pk):
        """Every nomination chosen becomes a member of the cohort, or none does (undecided
        nominations, the quota and the programme's rules are checked)."""
        selection_round = self.get_editable(pk)
        values = self.checked(RoundApproveIn)
        with calling_service():
            selection_round_approve(selection_round=selection_round, **values)
        return self.answer(self.get_detail(pk))

    @row_action(NominationIn, NominationOut, 201)
    def nominate(self, request, pk):
        """An institution puts one of its staff forward while the call is open; people the
        programme's rules exclude are refused with the rule named."""
        user = request.user
        selection_round = get_one(queries.rounds_for(user, "training.edit"), pk)
        values = self.checked(NominationIn, user=user)
        backfill_only(user, values, "nominated_on")
        with calling_service():
            saved = nomination_create(selection_round=selection_round, **values)
        row = get_one(queries.nominations_of(user, selection_round), saved.pk)
        return Response(NominationOut(row).data, status=status.HTTP_201_CREATED)


class ReviewScoreIn(ModelInput):
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=100, label=_("评分")
    )

    class Meta:
        model = models.ReviewScore
        fields = ("reviewer_name", "score", "comment")
        extra_kwargs = {"comment": {"help_text": _("不要填写身份证号、手机号等信息。")}}
        validators: list = []  # once per reviewer: the service says so by field


class NominationDecideIn(serializers.Serializer):
    nomination_status = choice(
        "status",
        [
            (models.Nomination.Status.APPROVED, models.Nomination.Status.APPROVED.label),
            (models.Nomination.Status.REJECTED, models.Nomination.Status.REJECTED.label),
        ],
        _("是否入选"),
    )
    decided_on = serializers.DateField(
        label=_("决定日期"),
        required=False,
        help_text=_(
            "留空即今天。补录以往遴选时填写，不早于提名日期，需要补录权限（training.backfill）。"
        ),
    )


@extend_schema(tags=["training"])
class NominationViewSet(ApiView):
    """During review the commission records the reviewers' scores of a nomination and
    decides whether it is chosen (training.configure)."""

    permissions = {"score": "training.configure", "decide": "training.configure"}
    queryset = models.Nomination.objects.none()

    def _nomination(self, pk) -> models.Nomination:
        return get_one(queries.nominations_for(self.request.user, "training.configure"), pk)

    def _out(self, nomination) -> dict:
        user = self.request.user
        return NominationOut(
            get_one(queries.nominations_of(user, nomination.round), nomination.pk)
        ).data

    @row_action(ReviewScoreIn, NominationOut, 201)
    def score(self, request, pk):
        """A reviewer's score (0–100), once per reviewer, while the round is under review."""
        nomination = self._nomination(pk)
        values = self.checked(ReviewScoreIn, user=request.user)
        with calling_service():
            review_score_record(nomination=nomination, **values)
        return Response(self._out(nomination), status=status.HTTP_201_CREATED)

    @row_action(NominationDecideIn, NominationOut)
    def decide(self, request, pk):
        """Chosen (入选) or not, while the round is under review."""
        nomination = self._nomination(pk)
        values = self.checked(NominationDecideIn)
        backfill_only(request.user, values, "decided_on")
        with calling_service_as(status="nomination_status"):
            nomination_decide(nomination=nomination, **values)
        return Response(self._out(nomination))


@extend_schema(tags=["training"])
class CohortViewSet(RecordViewSet):
    """One cohort: its places, the mentors its programme asks for, the members the user may
    see (with their mentors, goals and reviews) and its selection rounds."""

    permissions = {"retrieve": "training.view", "open_round": "training.configure"}
    output = CohortDetailOut  # one cohort (cohorts are listed by programme)
    detail_parameters = [
        OpenApiParameter("status", str, enum=models.CohortMember.Status.values),
        OpenApiParameter("missing_mentor", bool, description=_("true：仅列出缺少所需导师的学员")),
    ]

    def detail_rows(self):
        return queries.with_places(queries.cohorts_for(self.request.user))

    def detail_data(self, row):
        user = self.request.user
        filters = form_filters(MemberFilterForm(self.request.query_params))
        programme = row.programme
        row.members_shown = queries.members_of(user, row, **filters)
        row.rounds_shown = queries.rounds_of(row).annotate(nominated=Count("nominations"))
        row.missing_mentor_count = (
            queries.with_mentors(queries.members_for(user))
            .filter(cohort=row, status=models.CohortMember.Status.ACTIVE)
            .filter(queries.missing_mentor_q(programme))
            .count()
        )
        row.mentor_rule = {
            "requires_internal_mentor": programme.requires_internal_mentor,
            "requires_external_mentor": programme.requires_external_mentor,
            "text": programme.mentor_rule,
        }
        return CohortDetailOut(row, context={"programme": programme}).data

    @row_action(SelectionRoundIn, RoundDetailOut, 201)
    def open_round(self, request, pk):
        """A selection round of the cohort, open for nominations between its dates."""
        user = request.user
        cohort = get_one(queries.cohorts_for(user, "training.configure"), pk)
        values = self.checked(SelectionRoundIn, user=user)
        with calling_service():
            saved = selection_round_open(cohort=cohort, **values)
        row = get_one(queries.rounds_for(user), saved.pk)
        return Response(round_out(user, row), status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# The talent pool (英才库)


class PoolMemberOut(MemberHeadOut):
    cohort = Ref(read_only=True)
    programme = Ref(source="cohort.programme", read_only=True)

    class Meta(MemberHeadOut.Meta):
        fields = (
            *MemberHeadOut.Meta.fields,
            "programme",
            "cohort",
            "entered_on",
            "exited_on",
            "member_status",
            "member_status_display",
            "certificate_number",
        )


@extend_schema(tags=["training"])
class PoolViewSet(RecordViewSet):
    """The talent pool (英才库): everyone the user may see who is or was in a cohort, one row
    per membership."""

    permissions = {"list": "training.view"}
    pagination_class = cursor_pagination("-entered_on", "id")
    filter_form = TalentPoolFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名或拼音首字母")),
        OpenApiParameter("programme", int, description=_("培养计划 id")),
        OpenApiParameter("status", str, enum=models.CohortMember.Status.values),
        INSTITUTION_PARAMETER,
    ]
    output = PoolMemberOut

    def list_rows(self, **filters):
        return queries.talent_pool_list(self.request.user, **filters)
