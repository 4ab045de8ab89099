"""Career plans (职业生涯规划) with their goals and how far each has come
(/api/v1/training/career-plans/). Progress is derived from the records by the queries (a title
held, a verified independent case, a secondment or enrolment in the year), never typed;
research and other goals count once the mentor or HR marked them done.

As on the pages: reading needs training.view; a plan is seen by its person, their
institution, their department head and their mentors. Writing a plan or its goals needs
training.edit on it; marking a research or other goal done (or reopening it) is for the
person's mentor or HR.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from yicai.access.scope import scoped
from yicai.api.base import (
    ApiView,
    ModelOutput,
    calling_service_as,
    get_one,
)
from yicai.api.fields import CodeRef, Ref, choice, pk_field
from yicai.api.records import RecordViewSet, cursor_pagination, record_permissions
from yicai.api.schema import INSTITUTION_PARAMETER, ROW_ID, errors, row_action
from yicai.training.exports.careers import target_label
from yicai.training.forms.careers import CareerFilterForm
from yicai.training.models import CareerGoal, CareerPlan, GoalKind, TrainingKind
from yicai.training.queries import careers as queries
from yicai.training.services.careers import (
    career_goal_add,
    career_goal_delete,
    career_goal_mark_done,
    career_goal_reopen,
    career_plan_create,
    career_plan_update,
)


class MembershipRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="cohort.__str__", read_only=True, help_text=_("计划与期"))


class MentorshipRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    mentor = Ref(read_only=True)


class CareerPlanOut(ModelOutput):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    cohort_member = MembershipRef(read_only=True, allow_null=True)
    mentorship = MentorshipRef(read_only=True, allow_null=True)
    goal_count = serializers.IntegerField(read_only=True, help_text=_("目标数"))
    goals_met = serializers.IntegerField(read_only=True, help_text=_("其中已达成的"))

    class Meta:
        model = CareerPlan
        fields: tuple[str, ...] = (
            "id",
            "person",
            "institution",
            "department",
            "direction",
            "cohort_member",
            "mentorship",
            "goal_count",
            "goals_met",
            "created_at",
            "updated_at",
        )


class ProgressOut(serializers.Serializer):
    met = serializers.BooleanField(read_only=True)
    met_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("达成日期"))
    evidence = serializers.CharField(read_only=True, help_text=_("依据，如所取得的职称"))
    derived = serializers.BooleanField(
        read_only=True, help_text=_("true：由记录得出；false：由导师或人事部门确认")
    )
    overdue = serializers.BooleanField(read_only=True, help_text=_("年度已过仍未达成"))


class CareerGoalOut(ModelOutput):
    goal_kind = choice("kind", GoalKind.choices, _("类别"), read_only=True)
    target = serializers.CharField(
        source="target_shown", read_only=True, help_text=_("目标职称、技术、篇数或培训类别")
    )
    target_title = CodeRef(read_only=True, allow_null=True)
    target_technique = Ref(read_only=True, allow_null=True)
    target_training_kind = serializers.CharField(
        read_only=True,
        help_text=_("培训类别（同培训指标的 training_kind）；不限则为空"),
    )
    progress = ProgressOut(source="progress_shown", read_only=True)

    class Meta:
        model = CareerGoal
        fields = (
            "id",
            "year",
            "goal_kind",
            "goal_kind_display",
            "text",
            "target",
            "target_title",
            "target_technique",
            "target_papers",
            "target_training_kind",
            "done_on",
            "done_note",
            "progress",
        )


class CareerPlanDetailOut(CareerPlanOut):
    goals = CareerGoalOut(
        source="goals_shown", many=True, read_only=True, help_text=_("目标，按年度")
    )

    class Meta(CareerPlanOut.Meta):
        fields = (*CareerPlanOut.Meta.fields, "goals")


OUT_OF_SCOPE = _("所选人员不存在、已有职业生涯规划或不在您的管辖范围内。")


class CareerPlanIn(serializers.Serializer):
    direction = serializers.CharField(
        label=_("发展方向"), required=False, allow_blank=True, max_length=2000
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = pk_field(
            queries.people_to_plan(user),
            OUT_OF_SCOPE,
            label=_("人员"),
            help_text=_("人员 id；须是您可以编辑且尚无规划的人员。"),
        )


class CareerPlanChangeIn(serializers.Serializer):
    direction = serializers.CharField(
        label=_("发展方向"), required=False, allow_blank=True, max_length=2000
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort_member"] = pk_field(
            queries.plan_membership_choices(plan.person) if plan else CareerPlan.objects.none(),
            _("所选培养计划不存在或不是该人员的。"),
            label=_("所在培养计划"),
            optional=True,
            help_text=_("该人员的培养计划成员 id"),
        )
        self.fields["mentorship"] = pk_field(
            queries.plan_mentorship_choices(plan.person) if plan else CareerPlan.objects.none(),
            _("所选师带徒关系不存在或该人员不是其徒弟。"),
            label=_("师带徒关系"),
            optional=True,
            help_text=_("该人员为徒弟的师带徒关系 id"),
        )


class CareerGoalIn(serializers.Serializer):
    year = serializers.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    goal_kind = choice("kind", GoalKind.choices, _("类别"))
    text = serializers.CharField(label=_("目标"), max_length=300)
    target_papers = serializers.IntegerField(
        label=_("论文篇数"),
        min_value=1,
        max_value=50,
        required=False,
        allow_null=True,
        help_text=_("科研目标填写。"),
    )
    target_training_kind = serializers.CharField(
        label=_("培训类别"),
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("进修培训目标填写，同培训指标的 training_kind；留空即不限。"),
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_title"] = pk_field(
            queries.titles_to_aim_for(),
            _("所选职称不存在。"),
            label=_("目标职称"),
            optional=True,
            help_text=_("职称代码 id；职称目标填写。"),
        )
        self.fields["target_technique"] = pk_field(
            queries.techniques_to_aim_for(plan.person) if plan else CareerPlan.objects.none(),
            _("所选技术不存在或不是该人员所在机构的。"),
            label=_("目标技术"),
            optional=True,
            help_text=_("本机构的技术 id；新技术目标填写。"),
        )

    def validate_target_training_kind(self, value):
        if value and value not in TrainingKind.values:
            raise serializers.ValidationError(_("培训类别不正确。"))
        return value


class DoneIn(serializers.Serializer):
    done_on = serializers.DateField(label=_("完成日期"))
    note = serializers.CharField(label=_("完成说明"), max_length=300, required=False)


def _plan_out(user, pk) -> dict:
    return _plan_data(get_one(queries.plans_for(user), pk))


def _plan_data(plan) -> dict:
    """One plan with its goals, each with its target and progress."""
    goals = queries.career_goals_of(plan)
    progress = queries.progress_of(goals)
    for goal in goals:
        goal.target_shown = target_label(goal)
        goal.progress_shown = progress[goal.pk]
    plan.goals_shown = goals
    plan.goal_count = len(goals)
    plan.goals_met = sum(1 for item in progress.values() if item.met)
    return CareerPlanDetailOut(plan).data


@extend_schema(tags=["training"])
class CareerPlanViewSet(RecordViewSet):
    """Career plans the user may see, each with how many of its goals are met; one plan with
    its goals and the progress of each."""

    permissions = record_permissions("training", "create", "partial_update", goal="training.edit")
    pagination_class = cursor_pagination("-updated_at", "-id")
    filter_form = CareerFilterForm
    list_parameters = [
        OpenApiParameter("q", str, description=_("姓名或拼音首字母")),
        INSTITUTION_PARAMETER,
        OpenApiParameter("year", int, description=_("有该年度目标的规划")),
    ]
    output = CareerPlanOut
    detail_output = CareerPlanDetailOut
    create_input = CareerPlanIn
    change_input = CareerPlanChangeIn
    create_service = career_plan_create
    update_service = career_plan_update
    row_keyword = "plan"
    descriptions = {
        "create": "A plan for a person who has none (the membership and mentorship are linked "
        "after).",
        "partial_update": "Change the direction, or link the person's membership or mentorship.",
    }

    def list_rows(self, **filters):
        return queries.career_list(self.request.user, **filters)

    def detail_rows(self):
        return queries.plans_for(self.request.user)

    def edit_rows(self):
        return queries.plans_for(self.request.user, "training.edit")

    def annotate_page(self, rows):
        progress = queries.plan_progress(rows)
        for plan in rows:
            plan.goals_met = progress[plan.pk][0]

    def detail_data(self, row):
        return _plan_data(row)

    def input_arguments(self, row):
        # A change's choices (memberships, mentorships) are the plan's person's.
        return {"user": self.request.user} if row is None else {"plan": row}

    @row_action(CareerGoalIn, CareerPlanDetailOut, 201)
    def goal(self, request, pk):
        """Add a goal to the plan (its target as its kind asks)."""
        plan = get_one(queries.plans_for(request.user, "training.edit"), pk)
        values = self.checked(CareerGoalIn, plan=plan)
        with calling_service_as(kind="goal_kind"):
            career_goal_add(plan=plan, **values)
        return Response(_plan_out(request.user, pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=["training"])
class CareerGoalViewSet(ApiView):
    """One goal of a plan: deleting it needs training.edit on the plan; marking it done or
    reopening it is for the person's mentor or HR (research and other goals only)."""

    permissions = {"destroy": "training.edit", "done": "training.view", "reopen": "training.view"}
    queryset = CareerGoal.objects.none()

    def _goals(self, permission: str):
        return scoped(
            self.request.user,
            CareerGoal.objects.select_related("plan__person", "plan__mentorship"),
            permission,
        )

    def _markable(self, pk):
        user = self.request.user
        goal = get_one(self._goals("training.view"), pk)
        plan = get_one(queries.plans_for(user), goal.plan_id)
        if not queries.plan_may_mark(user, plan):
            raise PermissionDenied(_("只有该人员的导师或人事部门可以确认目标完成。"))
        return goal

    @extend_schema(parameters=[ROW_ID], responses={204: None, **errors(404)})
    def destroy(self, request, pk):
        goal = get_one(self._goals("training.edit"), pk)
        get_one(queries.plans_for(request.user, "training.edit"), goal.plan_id)
        with calling_service_as():
            career_goal_delete(goal=goal)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @row_action(DoneIn, CareerPlanDetailOut)
    def done(self, request, pk):
        """Mark a research or other goal done (goals derived from the records are refused)."""
        goal = self._markable(pk)
        values = self.checked(DoneIn)
        with calling_service_as():
            career_goal_mark_done(goal=goal, by=request.user, **values)
        return Response(_plan_out(request.user, goal.plan_id))

    @row_action(None, CareerPlanDetailOut)
    def reopen(self, request, pk):
        """Take back a done mark."""
        goal = self._markable(pk)
        with calling_service_as():
            career_goal_reopen(goal=goal)
        return Response(_plan_out(request.user, goal.plan_id))
