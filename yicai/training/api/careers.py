"""Career plans (职业生涯规划) with their goals and how far each has come
(/api/v1/training/career-plans/). Progress is derived from the records by the queries (a title
held, a verified independent case, a secondment or enrolment in the year), never typed;
research and other goals count once the mentor or HR marked them done.

As on the pages: reading needs training.view; a plan is seen by its person, their
institution, their department head and their mentors.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from yicai.org.api import ROW_ID, ApiView, CodeRef, Ref, cursor_pagination, errors, get_one
from yicai.training.api.common import INSTITUTION_PARAMETER, choice, form_filters
from yicai.training.exports.careers import target_label
from yicai.training.forms.careers import CareerFilterForm
from yicai.training.models import CareerGoal, CareerPlan, GoalKind
from yicai.training.queries import careers as queries


class MembershipRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="cohort.__str__", read_only=True, help_text=_("计划与期"))


class MentorshipRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    mentor = Ref(read_only=True)


class CareerPlanOut(serializers.ModelSerializer):
    person = Ref(read_only=True)
    institution = Ref(source="person.institution", read_only=True, allow_null=True)
    department = Ref(source="person.department", read_only=True, allow_null=True)
    cohort_member = MembershipRef(read_only=True, allow_null=True)
    mentorship = MentorshipRef(read_only=True, allow_null=True)
    goal_count = serializers.IntegerField(read_only=True, help_text=_("目标数"))
    goals_met = serializers.IntegerField(read_only=True, help_text=_("其中已达成的"))

    class Meta:
        model = CareerPlan
        fields = (
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
        read_only_fields = fields


class ProgressOut(serializers.Serializer):
    met = serializers.BooleanField(read_only=True)
    met_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("达成日期"))
    evidence = serializers.CharField(read_only=True, help_text=_("依据，如所取得的职称"))
    derived = serializers.BooleanField(
        read_only=True, help_text=_("true：由记录得出；false：由导师或人事部门确认")
    )
    overdue = serializers.BooleanField(read_only=True, help_text=_("年度已过仍未达成"))


class CareerGoalOut(serializers.ModelSerializer):
    goal_kind = choice("kind", GoalKind.choices, _("类别"), read_only=True)
    goal_kind_display = serializers.CharField(source="get_kind_display", read_only=True)
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
        read_only_fields = fields


class CareerPlanDetailOut(CareerPlanOut):
    goals = CareerGoalOut(
        source="goals_shown", many=True, read_only=True, help_text=_("目标，按年度")
    )

    class Meta(CareerPlanOut.Meta):
        fields = (*CareerPlanOut.Meta.fields, "goals")
        read_only_fields = fields


@extend_schema(tags=["training"])
class CareerPlanViewSet(ApiView):
    """Career plans the user may see, each with how many of its goals are met; one plan with
    its goals and the progress of each."""

    permissions = {"list": "training.view", "retrieve": "training.view"}
    pagination_class = cursor_pagination("-updated_at", "-id")
    queryset = CareerPlan.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description=_("姓名或拼音首字母")),
            INSTITUTION_PARAMETER,
            OpenApiParameter("year", int, description=_("有该年度目标的规划")),
        ],
        responses={200: CareerPlanOut(many=True), **errors(400, 404)},
    )
    def list(self, request):
        filters = form_filters(CareerFilterForm(request.user, request.query_params))
        page = list(self.paginate_queryset(queries.career_list(request.user, **filters)))
        progress = queries.plan_progress(page)
        for plan in page:
            plan.goals_met = progress[plan.pk][0]
        return self.get_paginated_response(CareerPlanOut(page, many=True).data)

    @extend_schema(parameters=[ROW_ID], responses={200: CareerPlanDetailOut, **errors(404)})
    def retrieve(self, request, pk):
        plan = get_one(queries.plans_for(request.user), pk)
        goals = queries.career_goals_of(plan)
        progress = queries.progress_of(goals)
        for goal in goals:
            goal.target_shown = target_label(goal)
            goal.progress_shown = progress[goal.pk]
        plan.goals_shown = goals
        plan.goal_count = len(goals)
        plan.goals_met = sum(1 for item in progress.values() if item.met)
        return Response(CareerPlanDetailOut(plan).data)
