"""Career plans (职业生涯规划): HR of the person's institution writes the plan and its yearly
goals; the mentor or HR marks research and other goals done. Title, technique and training
goals are never marked: the records show them met (see queries.careers)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yicai.access.models import User
from yicai.codes.models import Code
from yicai.people.models import Person
from yicai.training.models import (
    DERIVED_KINDS,
    Apprenticeship,
    CareerGoal,
    CareerPlan,
    CohortMember,
    GoalKind,
    Mentorship,
    Technique,
)
from yicai.training.services.rules import assign, no_patient_data, raise_errors, saved

PLAN_FIELDS = ("direction", "cohort_member", "mentorship")


def _links_errors(plan: CareerPlan, errors: dict[str, str]) -> None:
    member, mentorship = plan.cohort_member, plan.mentorship
    if member is not None and member.person_id != plan.person_id:
        errors["cohort_member"] = _("所选培养计划不是该人员的。")
    if (
        mentorship is not None
        and not Apprenticeship.objects.filter(
            mentorship=mentorship, apprentice_id=plan.person_id
        ).exists()
    ):
        errors["mentorship"] = _("该人员不是此师带徒关系的徒弟。")


@transaction.atomic
def career_plan_create(
    *,
    person: Person,
    direction: str = "",
    cohort_member: CohortMember | None = None,
    mentorship: Mentorship | None = None,
) -> CareerPlan:
    """A person's career plan, one per person."""
    errors: dict[str, str] = {}
    if CareerPlan.objects.filter(person=person).exists():
        errors["person"] = _("该人员已有职业生涯规划。")
    plan = CareerPlan(
        person=person,
        direction=(direction or "").strip(),
        cohort_member=cohort_member,
        mentorship=mentorship,
    )
    _links_errors(plan, errors)
    no_patient_data(errors, direction=direction)
    return saved(plan, errors)


@transaction.atomic
def career_plan_update(*, plan: CareerPlan, **values: object) -> CareerPlan:
    assign(plan, values, PLAN_FIELDS)
    errors: dict[str, str] = {}
    _links_errors(plan, errors)
    no_patient_data(errors, direction=plan.direction)
    return saved(plan, errors)


@transaction.atomic
def career_goal_add(
    *,
    plan: CareerPlan,
    year: int,
    kind: str,
    text: str,
    target_title: Code | None = None,
    target_technique: Technique | None = None,
    target_papers: int | None = None,
    target_training_kind: str = "",
) -> CareerGoal:
    """A goal for a year. Only the target that fits its kind is kept: a title for a title
    goal, a technique for a technique goal, a number of papers for research, a kind of
    training for training."""
    errors: dict[str, str] = {}
    if kind != GoalKind.TITLE:
        target_title = None
    if kind != GoalKind.TECHNIQUE:
        target_technique = None
    if kind != GoalKind.RESEARCH:
        target_papers = None
    if kind != GoalKind.TRAINING:
        target_training_kind = ""
    if kind == GoalKind.TITLE and target_title is None:
        errors["target_title"] = _("职称目标须选择目标职称。")
    elif target_title is not None and (
        target_title.table.key != "title" or target_title.parent_id is None
    ):
        errors["target_title"] = _("请选择具体职称，而不是职称系列。")
    if kind == GoalKind.TECHNIQUE and target_technique is None:
        errors["target_technique"] = _("新技术目标须选择目标技术。")
    elif target_technique is not None and (
        target_technique.institution_id != plan.person.institution_id
    ):
        errors["target_technique"] = _("目标技术须是本人所在机构登记的新技术新项目。")
    no_patient_data(errors, text=text)
    goal = CareerGoal(
        plan=plan,
        year=year,
        kind=kind,
        text=(text or "").strip(),
        target_title=target_title,
        target_technique=target_technique,
        target_papers=target_papers,
        target_training_kind=target_training_kind or "",
    )
    goal = saved(goal, errors)
    plan.save(update_fields=["updated_at"])
    return goal


@transaction.atomic
def career_goal_delete(*, goal: CareerGoal) -> None:
    plan = goal.plan
    goal.delete()
    plan.save(update_fields=["updated_at"])


@transaction.atomic
def career_goal_mark_done(
    *, goal: CareerGoal, done_on: datetime.date, by: User, note: str = ""
) -> CareerGoal:
    """The mentor or HR confirms a research or other goal done, with the day. The caller has
    checked that `by` is one of them."""
    errors: dict[str, str] = {}
    if goal.kind in DERIVED_KINDS:
        message = _("%s目标的完成情况由记录自动得出，不能手工标记。")
        raise ValidationError({"done_on": message % goal.get_kind_display()})
    if not done_on:
        errors["done_on"] = _("请填写完成日期。")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("完成日期不能晚于今天。")
    no_patient_data(errors, note=note)
    raise_errors(errors)
    goal.done_on = done_on
    goal.done_by = by
    goal.done_note = (note or "").strip()
    return saved(goal, errors)


@transaction.atomic
def career_goal_reopen(*, goal: CareerGoal) -> CareerGoal:
    """Undo a mark made by mistake."""
    if goal.done_on is None:
        raise ValidationError({"done_on": _("该目标尚未标记完成。")})
    goal.done_on, goal.done_by, goal.done_note = None, None, ""
    return saved(goal)
